"""seed_backup: create what failover_backup_replication_plan needs, on a moto endpoint (the example's demo).

The source vault in the primary region, the destination vault in the secondary, and one completed recovery
point of `resource` with its copy in the destination vault, `age_hours` old (backup_points.py plants them).

usage: seed_backup.py ENDPOINT [--primary us-east-1] [--secondary us-east-2] [--source-vault mariadb]
                      [--destination-vault mariadb-dr] [--resource ARN] [--age-hours 3] [--print KEY]
Prints a JSON object: {"destination_vault_arn", "copy"} (with --print, only that value). Needs boto3 (the moto venv has it); credentials are
static test keys, never real ones.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from moto_ext.control import Control  # noqa: E402

DB = "arn:aws:rds:us-east-1:123456789012:db:mariadb"


def seed(endpoint, primary="us-east-1", secondary="us-east-2", source_vault="mariadb",
         destination_vault="mariadb-dr", resource=DB, age_hours=3.0):
    import boto3
    kw = dict(endpoint_url=endpoint, aws_access_key_id="AKIDBACKUPSEEDTEST", aws_secret_access_key="backup-test")
    boto3.client("backup", region_name=primary, **kw).create_backup_vault(BackupVaultName=source_vault)
    dest = boto3.client("backup", region_name=secondary, **kw).create_backup_vault(
        BackupVaultName=destination_vault)["BackupVaultArn"]
    point = Control(endpoint).backup_point(primary, source_vault, resource, age_hours=age_hours,
                                           copy_to={"region": secondary, "vault": destination_vault})
    return {"destination_vault_arn": dest, "copy": point.get("CopyRecoveryPointArn")}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("endpoint")
    ap.add_argument("--primary", default="us-east-1")
    ap.add_argument("--secondary", default="us-east-2")
    ap.add_argument("--source-vault", default="mariadb")
    ap.add_argument("--destination-vault", default="mariadb-dr")
    ap.add_argument("--resource", default=DB)
    ap.add_argument("--age-hours", default=3.0, type=float)
    ap.add_argument("--print", dest="key")
    a = ap.parse_args()
    out = seed(a.endpoint, a.primary, a.secondary, a.source_vault, a.destination_vault, a.resource, a.age_hours)
    print(out[a.key] if a.key else json.dumps(out))


if __name__ == "__main__":
    main()
