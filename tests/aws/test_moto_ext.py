"""aws.moto_ext.*: the test layers in tests/moto_ext that fill in what moto lacks for failover_pilot_light
(eks_nodegroups.py, autoscaling_capacity.py) and failover_backup_replication_plan (backup_plans.py), driven
through boto3 and the control client."""
import os
import sys

import botocore.config

import fotest
from fotest import check

sys.path.insert(0, os.path.join(fotest.HERE, ".."))
from moto_ext.control import Control  # noqa: E402
from moto_ext.seed_pilot_light import seed  # noqa: E402

R = "us-east-2"


def states(asg, name):
    g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]
    return sorted(i["LifecycleState"] for i in g["Instances"])


def nodegroups():
    """UpdateNodegroupConfig stays InProgress for N polls (node group UPDATING while it does), then Successful;
    the backing group follows the scaling config and its instances come up after N polls."""
    with fotest.Moto() as moto:
        names = seed(moto.endpoint, R, nodegroup_size=(0, 0, 5))
        check(names["backing_asg"] == "eks-dr-workers", f"seed: {names}")
        ctl = Control(moto.endpoint)
        ctl.eks_nodegroup(R, "dr", "workers", update_polls=3)
        ctl.asg_capacity(R, "eks-dr-workers", polls=2)
        eks, asg = moto.boto("eks", region=R), moto.boto("autoscaling", region=R)
        ng = eks.describe_nodegroup(clusterName="dr", nodegroupName="workers")["nodegroup"]
        check(ng["resources"]["autoScalingGroups"] == [{"name": "eks-dr-workers"}], f"backing group: {ng}")
        u = eks.update_nodegroup_config(clusterName="dr", nodegroupName="workers",
                                        scalingConfig={"minSize": 1, "desiredSize": 3, "maxSize": 5})["update"]
        check(u["status"] == "InProgress", f"update: {u}")
        seen = []
        for _ in range(3):
            st = eks.describe_update(name="dr", updateId=u["id"], nodegroupName="workers")["update"]["status"]
            ngs = eks.describe_nodegroup(clusterName="dr", nodegroupName="workers")["nodegroup"]["status"]
            seen.append((st, ngs, states(asg, "eks-dr-workers")))
        check(seen[0][:2] == ("InProgress", "UPDATING") and seen[1][0] == "InProgress" and
              seen[2][:2] == ("Successful", "ACTIVE"), f"update progress: {seen}")
        check(seen[0][2] == ["Pending"] * 3 and seen[2][2] == ["InService"] * 3, f"instances: {seen}")
        try:
            eks.describe_update(name="dr", updateId="nope", nodegroupName="workers")
            check(False, "unknown update id answered")
        except eks.exceptions.ResourceNotFoundException:
            pass


def backup_plans():
    """backup_plans.py: UpdateBackupPlan gives a new VersionId, the copy action's Lifecycle comes back as sent,
    selections create/get/list/delete, DeleteBackupPlan refused while a selection exists, an injected
    CreateBackupSelection failure, a deleted plan's name can be used again, and the call log in order."""
    with fotest.Moto() as moto:
        ctl = Control(moto.endpoint)
        b = moto.boto("backup", region="us-east-1")
        dest = "arn:aws:backup:us-east-2:123456789012:backup-vault:secondary"
        rule = {"RuleName": "copy", "TargetBackupVaultName": "primary", "Lifecycle": {"DeleteAfterDays": 7},
                "CopyActions": [{"DestinationBackupVaultArn": dest, "Lifecycle": {"DeleteAfterDays": 14}}]}
        made = b.create_backup_plan(BackupPlan={"BackupPlanName": "fo-dr", "Rules": [rule]})
        pid, v1 = made["BackupPlanId"], made["VersionId"]
        got = b.get_backup_plan(BackupPlanId=pid)["BackupPlan"]["Rules"][0]
        check(got["CopyActions"][0]["Lifecycle"] == {"DeleteAfterDays": 14} and got["Lifecycle"] ==
              {"DeleteAfterDays": 7}, f"lifecycles as sent: {got}")
        rule2 = dict(rule, CopyActions=[{"DestinationBackupVaultArn": dest, "Lifecycle": {"DeleteAfterDays": 30}}])
        up = b.update_backup_plan(BackupPlanId=pid, BackupPlan={"BackupPlanName": "fo-dr", "Rules": [rule2]})
        check(up["VersionId"] != v1 and up["BackupPlanId"] == pid, f"update: {up}")
        up2 = b.update_backup_plan(BackupPlanId=pid, BackupPlan={"BackupPlanName": "fo-dr", "Rules": [rule2]})
        check(up2["VersionId"] != up["VersionId"], "a second update kept the version id")
        got = b.get_backup_plan(BackupPlanId=pid)
        check(got["VersionId"] == up2["VersionId"] and
              got["BackupPlan"]["Rules"][0]["CopyActions"][0]["Lifecycle"] == {"DeleteAfterDays": 30}, f"get: {got}")

        ctl.backup_fail_selection(count=1)
        sel = {"SelectionName": "db", "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
               "Resources": ["arn:aws:rds:us-east-1:123456789012:db:mariadb"]}
        try:
            b.create_backup_selection(BackupPlanId=pid, BackupSelection=sel)
            check(False, "the injected selection failure did not happen")
        except b.exceptions.InvalidParameterValueException:
            pass
        check(b.list_backup_selections(BackupPlanId=pid)["BackupSelectionsList"] == [], "a failed selection exists")
        sid = b.create_backup_selection(BackupPlanId=pid, BackupSelection=sel)["SelectionId"]
        one = b.get_backup_selection(BackupPlanId=pid, SelectionId=sid)
        check(one["BackupSelection"]["Resources"] == sel["Resources"], f"get selection: {one}")
        check([s["SelectionId"] for s in b.list_backup_selections(BackupPlanId=pid)["BackupSelectionsList"]] == [sid],
              "list selections")
        try:
            b.delete_backup_plan(BackupPlanId=pid)
            check(False, "a plan with a selection was deleted")
        except b.exceptions.InvalidRequestException:
            pass
        b.delete_backup_selection(BackupPlanId=pid, SelectionId=sid)
        b.delete_backup_plan(BackupPlanId=pid)
        check("DeletionDate" in b.get_backup_plan(BackupPlanId=pid), "deleted plan without DeletionDate")
        again = b.create_backup_plan(BackupPlan={"BackupPlanName": "fo-dr", "Rules": [rule]})
        check(again["BackupPlanId"] != pid, "re-created plan has the old id")
        ops = [c["op"] for c in ctl.backup_plans_state()["calls"]]
        check(ops == ["CreateBackupPlan", "UpdateBackupPlan", "UpdateBackupPlan", "CreateBackupSelection(failed)",
                      "CreateBackupSelection", "DeleteBackupSelection", "DeleteBackupPlan", "CreateBackupPlan"],
              f"call log: {ops}")


def capacity():
    """max_in_service caps InService instances (never reaching capacity); an unscripted group is untouched."""
    with fotest.Moto() as moto:
        seed(moto.endpoint, R)
        ctl = Control(moto.endpoint)
        asg = moto.boto("autoscaling", region=R)
        asg.update_auto_scaling_group(AutoScalingGroupName="queue", MinSize=0, MaxSize=4, DesiredCapacity=3)
        check(states(asg, "queue") == ["InService"] * 3, "unscripted group changed")
        ctl.asg_capacity(R, "queue", polls=0, max_in_service=1)
        for _ in range(3):
            check(states(asg, "queue") == ["InService", "Pending", "Pending"], f"capped: {states(asg, 'queue')}")


def unreachable():
    """A region made unreachable answers 503 for EKS and Auto Scaling; other regions still answer."""
    with fotest.Moto() as moto:
        seed(moto.endpoint, R)
        Control(moto.endpoint).unreachable(R)
        once = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
        import boto3
        kw = dict(endpoint_url=moto.endpoint, aws_access_key_id="testing", aws_secret_access_key="testing",
                  config=once)
        for svc, call in (("eks", lambda c: c.describe_nodegroup(clusterName="dr", nodegroupName="workers")),
                          ("autoscaling", lambda c: c.describe_auto_scaling_groups())):
            try:
                call(boto3.client(svc, region_name=R, **kw))
                check(False, f"{svc} answered in an unreachable region")
            except botocore.exceptions.ClientError as e:
                check(e.response["ResponseMetadata"]["HTTPStatusCode"] == 503, f"{svc}: {e}")
        boto3.client("autoscaling", region_name="us-east-1", **kw).describe_auto_scaling_groups()
        Control(moto.endpoint).unreachable(R, False)
        boto3.client("eks", region_name=R, **kw).describe_nodegroup(clusterName="dr", nodegroupName="workers")


if __name__ == "__main__":
    fotest.main({"backup_plans": backup_plans, "nodegroups": nodegroups, "capacity": capacity, "unreachable": unreachable})
