"""backup_plan_aws: what the failover_backup_replication_plan e2e tests do to and read from moto (boto3 + layers).

usage: backup_plan_aws.py ENDPOINT OP ARGS...
  seed                                  vaults: primary (us-east-1), secondary and encrypted (us-east-2, KMS key)
  point AGE_HOURS [RESOURCE_ARN]        a completed recovery point in primary and its copy in secondary, AGE hours old
  plan PLAN_ID                          GetBackupPlan as JSON
  selections PLAN_ID                    the plan's selections (GetBackupSelection of each) as a JSON list
  plans                                 ids of the plans not deleted, as a JSON list
  drop-copy-lifecycle PLAN_ID           UpdateBackupPlan without the copy action's Lifecycle (drift)
  delete-selection PLAN_ID SELECTION_ID
  make-plan NAME DEST_ARN ROLE RESOURCE print {"plan": id, "selection": id}: a plan as the resource makes it
  fail-selection [COUNT]                the next CreateBackupSelection calls fail (backup_plans.py)
  calls                                 the Backup plan/selection call log (backup_plans.py) as JSON
Static test credentials only.
"""
import json
import os
import sys

import boto3
import botocore.config

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from moto_ext.control import Control  # noqa: E402

DB = "arn:aws:rds:us-east-1:123456789012:db:mariadb"
KEY = "arn:aws:kms:us-east-2:123456789012:key/0d4c8e2a-1f5b-4e7c-9a3d-6b2f8c1e5a70"


def backup(ep, region="us-east-1"):
    return boto3.client("backup", region_name=region, endpoint_url=ep,
                        config=botocore.config.Config(proxies={}, retries={"max_attempts": 1}))


def main(a):
    ep, op, rest = a[1], a[2], a[3:]
    b = backup(ep)
    if op == "seed":
        b.create_backup_vault(BackupVaultName="primary")
        backup(ep, "us-east-2").create_backup_vault(BackupVaultName="secondary")
        backup(ep, "us-east-2").create_backup_vault(BackupVaultName="encrypted", EncryptionKeyArn=KEY)
    elif op == "point":
        res = rest[1] if len(rest) > 1 else DB
        print(json.dumps(Control(ep).backup_point("us-east-1", "primary", res, age_hours=float(rest[0]),
                                                  copy_to={"region": "us-east-2", "vault": "secondary"})))
    elif op == "plan":
        got = b.get_backup_plan(BackupPlanId=rest[0])
        got.pop("ResponseMetadata", None)
        print(json.dumps(got, default=str))
    elif op == "selections":
        out = []
        for s in b.list_backup_selections(BackupPlanId=rest[0])["BackupSelectionsList"]:
            one = b.get_backup_selection(BackupPlanId=rest[0], SelectionId=s["SelectionId"])
            one.pop("ResponseMetadata", None)
            out.append(one)
        print(json.dumps(out, default=str))
    elif op == "plans":
        print(json.dumps(sorted(p["BackupPlanId"] for p in b.list_backup_plans()["BackupPlansList"])))
    elif op == "drop-copy-lifecycle":
        plan = b.get_backup_plan(BackupPlanId=rest[0])["BackupPlan"]
        for rule in plan["Rules"]:
            rule.pop("RuleId", None)
            for ca in rule.get("CopyActions", []):
                ca.pop("Lifecycle", None)
        b.update_backup_plan(BackupPlanId=rest[0], BackupPlan=plan)
    elif op == "delete-selection":
        b.delete_backup_selection(BackupPlanId=rest[0], SelectionId=rest[1])
    elif op == "make-plan":
        name, dest, role, res = rest
        rule = {"RuleName": "failover-copy", "TargetBackupVaultName": "primary",
                "ScheduleExpression": "cron(0 5 ? * * *)", "StartWindowMinutes": 480,
                "CompletionWindowMinutes": 10080, "Lifecycle": {"DeleteAfterDays": 7},
                "CopyActions": [{"DestinationBackupVaultArn": dest, "Lifecycle": {"DeleteAfterDays": 14}}]}
        pid = b.create_backup_plan(BackupPlan={"BackupPlanName": name, "Rules": [rule]})["BackupPlanId"]
        sid = b.create_backup_selection(BackupPlanId=pid, BackupSelection={
            "SelectionName": name, "IamRoleArn": role, "Resources": [res]})["SelectionId"]
        print(json.dumps({"plan": pid, "selection": sid}))
    elif op == "fail-selection":
        Control(ep).backup_fail_selection(count=int(rest[0]) if rest else 1)
    elif op == "calls":
        print(json.dumps(Control(ep).backup_plans_state()["calls"]))
    else:
        print(f"unknown operation {op!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
