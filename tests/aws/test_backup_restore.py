"""aws.backup_restore.*: the restore-job layer (tests/moto_ext/backup_restore.py) moto lacks, through boto3,
and the C client's RDS calls (fo_aws_rds through fo_aws_cli) on the instance a restore creates."""
import os
import sys

import fotest
from fotest import check, expect_ok, run_cli

sys.path.insert(0, os.path.join(fotest.HERE, ".."))
from moto_ext.control import Control  # noqa: E402

DB = "arn:aws:rds:us-east-1:123456789012:db:mariadb"
META = {"DBInstanceIdentifier": "mariadb-dr", "DBInstanceClass": "db.t3.small", "Engine": "mariadb", "Port": "3306"}


def planted(moto):
    moto.boto("backup", region="us-east-1").create_backup_vault(BackupVaultName="primary")
    moto.boto("backup", region="us-east-2").create_backup_vault(BackupVaultName="secondary")
    return Control(moto.endpoint).backup_point("us-east-1", "primary", DB, age_hours=3, metadata=META,
                                               copy_to={"region": "us-east-2", "vault": "secondary"})


def layer():
    """A job takes N polls, then creates the DB instance in moto's RDS; a token repeats the job; a failure."""
    with fotest.Moto() as moto:
        ctl = Control(moto.endpoint)
        copy = planted(moto)["CopyRecoveryPointArn"]
        bk = moto.boto("backup", region="us-east-2")
        ctl.restore_config(polls=2)
        role = "arn:aws:iam::123456789012:role/restore"
        job = bk.start_restore_job(RecoveryPointArn=copy, Metadata=META, IamRoleArn=role, IdempotencyToken="t-1",
                                   ResourceType="RDS")["RestoreJobId"]
        again = bk.start_restore_job(RecoveryPointArn=copy, Metadata=META, IamRoleArn=role, IdempotencyToken="t-1",
                                     ResourceType="RDS")["RestoreJobId"]
        check(again == job, f"same idempotency token, same job: {job} vs {again}")
        seen = [bk.describe_restore_job(RestoreJobId=job)["Status"] for _ in range(3)]
        check(seen == ["RUNNING", "RUNNING", "COMPLETED"], f"statuses over the polls: {seen}")
        done = bk.describe_restore_job(RestoreJobId=job)
        check(done["CreatedResourceArn"].endswith(":db:mariadb-dr"), f"created resource: {done}")
        dbs = moto.boto("rds", region="us-east-2").describe_db_instances(DBInstanceIdentifier="mariadb-dr")
        inst = dbs["DBInstances"][0]
        check(inst["DBInstanceClass"] == "db.t3.small" and inst["Engine"] == "mariadb"
              and inst["Endpoint"]["Address"], f"restored instance in moto's RDS: {inst}")
        state = ctl._call("/_fo/backup_restore/state")
        check(state["start_calls"] == 2 and len(state["jobs"]) == 1, f"calls counted, one job: {state}")

        # A failing job; the C client reads the restored instance (and a missing one).
        ctl.restore_config(polls=0, fail="Insufficient capacity for db.t3.small")
        bad = bk.start_restore_job(RecoveryPointArn=copy, Metadata=dict(META, DBInstanceIdentifier="other"),
                                   IamRoleArn=role)["RestoreJobId"]
        failed = bk.describe_restore_job(RestoreJobId=bad)
        check(failed["Status"] == "FAILED" and "Insufficient capacity" in failed["StatusMessage"], f"{failed}")
        try:
            bk.describe_restore_job(RestoreJobId="nope")
            check(False, "an unknown job must be ResourceNotFoundException")
        except bk.exceptions.ResourceNotFoundException:
            pass
        try:
            moto.boto("backup", region="us-east-1").start_restore_job(RecoveryPointArn=copy, Metadata=META,
                                                                      IamRoleArn=role)
            check(False, "a point of another region must not restore")
        except bk.exceptions.ResourceNotFoundException:
            pass


def rds():
    """fo_aws_rds: DescribeDBInstances of the restored instance, FO_ENOTFOUND shape for a missing one, delete."""
    with fotest.Moto() as moto, fotest.Home() as home:
        env = fotest.base_env(home.path, {"AWS_ENDPOINT_URL": moto.endpoint, "AWS_ACCESS_KEY_ID": "testing",
                                          "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-2"})
        moto.boto("rds", region="us-east-2").create_db_instance(DBInstanceIdentifier="mariadb-dr", Engine="mariadb",
                                                               EngineVersion="10.11.8", DBInstanceClass="db.t3.micro", AllocatedStorage=20)
        got = expect_ok(run_cli(["rds-describe", "mariadb-dr"], env), "DescribeDBInstances")
        check(got["DBInstanceIdentifier"] == "mariadb-dr" and got["Endpoint"]["Address"]
              and got["DBInstanceArn"].endswith(":db:mariadb-dr"), f"instance: {got}")
        missing = run_cli(["rds-describe", "nope"], env)
        check(missing.rc == 1 and missing.error and missing.error["code"] == "DBInstanceNotFound", f"{missing!r}")
        expect_ok(run_cli(["rds-delete", "mariadb-dr"], env), "DeleteDBInstance")
        left = moto.boto("rds", region="us-east-2").describe_db_instances()["DBInstances"]
        check(left == [], f"deleted: {left}")


if __name__ == "__main__":
    fotest.main({"layer": layer, "rds": rds})
