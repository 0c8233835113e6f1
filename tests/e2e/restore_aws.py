"""restore_aws.py: setup and read-back for the failover_restore e2e cases (cases_restore.sh), through boto3 and
the moto layers' control endpoints (tests/moto_ext/backup_points.py, backup_restore.py).

usage: restore_aws.py ENDPOINT OP [ARGS]
  vaults                          the source vault "primary" (us-east-1) and the destination "dr" (us-east-2)
  plant AGE_HOURS [STATUS] [RESOURCE]  a backup of RESOURCE (default the MariaDB ARN) AGE_HOURS old and its copy
                                  in dr: prints {"copy": ARN, "created": RFC 3339 of the copy's CreationDate}
  rds-exists ID                   "yes" or "no" (us-east-2)
  rds-endpoint ID                 the instance's endpoint address
  rds-delete ID                   delete it behind Terraform's back
  restore-state                   the restore layer's state (jobs, start_calls)
  restore-config POLLS [FAIL]     jobs started from now on take POLLS polls (then fail with FAIL)
  restore-job ID POLLS [FAIL|-]   change a running job ("-": no failure)
"""
import datetime
import json
import os
import sys

import boto3

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from tests.moto_ext.control import Control  # noqa: E402

DB = "arn:aws:rds:us-east-1:123456789012:db:mariadb"
META = {"DBInstanceIdentifier": "mariadb", "DBInstanceClass": "db.r6g.large", "Engine": "mariadb",
        "EngineVersion": "10.11.8", "Port": "3306", "DBSubnetGroupName": "use1-private"}


def client(endpoint, service, region="us-east-2"):
    return boto3.client(service, endpoint_url=endpoint, region_name=region, aws_access_key_id="testing",
                        aws_secret_access_key="testing")


def rfc3339(epoch):
    return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main(argv):
    endpoint, op, args = argv[1], argv[2], argv[3:]
    ctl = Control(endpoint)
    if op == "vaults":
        client(endpoint, "backup", "us-east-1").create_backup_vault(BackupVaultName="primary")
        client(endpoint, "backup", "us-east-2").create_backup_vault(BackupVaultName="dr")
        return 0
    if op == "plant":
        status = args[1] if len(args) > 1 else "COMPLETED"
        resource = args[2] if len(args) > 2 else DB
        made = ctl.backup_point("us-east-1", "primary", resource, age_hours=float(args[0]), status=status,
                                copy_to={"region": "us-east-2", "vault": "dr"}, metadata=META)
        state = ctl._call("/_fo/backup/state")
        copy = [p for p in state["recovery_points"]["us-east-2/dr"]
                if p["RecoveryPointArn"] == made["CopyRecoveryPointArn"]][0]
        print(json.dumps({"copy": copy["RecoveryPointArn"], "created": rfc3339(copy["CreationDate"])}))
        return 0
    if op in ("rds-exists", "rds-endpoint", "rds-delete"):
        rds = client(endpoint, "rds")
        if op == "rds-delete":
            rds.delete_db_instance(DBInstanceIdentifier=args[0], SkipFinalSnapshot=True)
            return 0
        found = [d for d in rds.describe_db_instances()["DBInstances"] if d["DBInstanceIdentifier"] == args[0]]
        if op == "rds-exists":
            print("yes" if found else "no")
        else:
            print(found[0]["Endpoint"]["Address"] if found else "")
        return 0
    if op == "restore-state":
        print(json.dumps(ctl._call("/_fo/backup_restore/state")))
        return 0
    if op == "restore-config":
        ctl.restore_config(polls=int(args[0]), fail=args[1] if len(args) > 1 else None)
        return 0
    if op == "restore-job":
        fail = args[2] if len(args) > 2 else None
        ctl.restore_job(args[0], polls=int(args[1]), fail="" if fail == "-" else fail)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
