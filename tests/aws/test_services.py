"""aws.services.*: every fo_aws service call against moto (auth off; see
test_auth.py for signature checks). Setup and cross-checks use boto3.
EKS add-ons come from the test layer in moto_server.py (moto has none)."""
import json
import urllib.request

import fotest
from fotest import check, expect_ok, run_cli


def setup(moto, home):
    return fotest.base_env(home.path, {"AWS_ENDPOINT_URL": moto.endpoint, "AWS_ACCESS_KEY_ID": "testing",
                                       "AWS_SECRET_ACCESS_KEY": "testing"})


def sts():
    with fotest.Moto() as moto, fotest.Home() as home:
        env = setup(moto, home)
        ident = expect_ok(run_cli(["whoami"], env), "GetCallerIdentity")
        check(ident.get("Account") == fotest.ACCOUNT and ident.get("Arn", "").startswith("arn:aws:"), f"identity {ident}")


def route53():
    with fotest.Moto() as moto, fotest.Home() as home:
        env = setup(moto, home)
        r53 = moto.boto("route53")
        zone = r53.create_hosted_zone(Name="example.com.", CallerReference="fo-1")["HostedZone"]["Id"]
        r53.create_hosted_zone(Name="example.org.", CallerReference="fo-2")
        zones = expect_ok(run_cli(["route53-list-zones"], env), "ListHostedZones")
        check(sorted(z["Name"] for z in zones) == ["example.com.", "example.org."], f"zones {zones}")
        check(any(z["Id"] == zone for z in zones), f"zone id {zone} not in {zones}")

        # weighted pair 255/0, then the failover flip to 0/255
        for setid, weight, ip in (("primary", 255, "10.0.0.1"), ("secondary", 0, "10.1.0.1")):
            info = expect_ok(run_cli(["route53-change", zone, "UPSERT", "app.example.com.", "A", "60", setid,
                                      str(weight), ip], env), "ChangeResourceRecordSets")
            check(info.get("Status") in ("PENDING", "INSYNC") and info.get("Id"), f"change info {info}")
        change = expect_ok(run_cli(["route53-get-change", info["Id"]], env), "GetChange")
        check(change.get("Status") in ("PENDING", "INSYNC"), f"GetChange {change}")
        change = expect_ok(run_cli(["route53-wait", info["Id"]], env), "wait for INSYNC")
        check(change.get("Status") == "INSYNC" and info["Id"].endswith(change.get("Id", "?")), f"wait {change}")
        for setid, weight, ip in (("primary", 0, "10.0.0.1"), ("secondary", 255, "10.1.0.1")):
            expect_ok(run_cli(["route53-change", zone.split("/")[-1], "UPSERT", "app.example.com.", "A", "60",
                               setid, str(weight), ip], env), "flip")
        rrsets = expect_ok(run_cli(["route53-list-rrsets", zone], env), "ListResourceRecordSets")
        weights = {r.get("SetIdentifier"): r.get("Weight") for r in rrsets if r["Name"] == "app.example.com."}
        check(weights == {"primary": "0", "secondary": "255"}, f"weights after flip {weights}")
        one = [r for r in rrsets if r.get("SetIdentifier") == "secondary"][0]
        check(one["ResourceRecords"] == [{"Value": "10.1.0.1"}], f"records {one}")
        via_boto = {r.get("SetIdentifier"): r.get("Weight")
                    for r in r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
                    if r["Name"] == "app.example.com."}
        check(via_boto == {"primary": 0, "secondary": 255}, f"boto3 sees {via_boto}")

        # pagination: 120 zones come back in two pages (maxitems=100, Marker/IsTruncated)
        for i in range(118):
            r53.create_hosted_zone(Name=f"z{i:03d}.example.net.", CallerReference=f"p{i}")
        res = run_cli(["-v", "route53-list-zones"], env)
        zones = expect_ok(res, "ListHostedZones paged")
        check(len(zones) == 120 and len({z["Id"] for z in zones}) == 120, f"paged zones: {len(zones)}")
        check("&marker=" in res.err, "no second page was requested")

        # errors: code, message, status, request id
        bad = run_cli(["route53-list-rrsets", "ZNOSUCHZONE"], env)
        check(bad.rc == 1 and bad.error and bad.error["code"] == "NoSuchHostedZone" and bad.error["status"] == 404,
              f"missing zone: {bad!r}")
        check("route53 ListResourceRecordSets: NoSuchHostedZone" in bad.error["message"], f"message {bad.error}")
        bad = run_cli(["route53-change", zone, "DELETE", "nope.example.com.", "A", "60", "", "-1", "10.9.9.9"], env)
        check(bad.rc == 1 and bad.error and bad.error["status"] == 400, f"delete of missing record: {bad!r}")


def eks():
    with fotest.Moto() as moto, fotest.Home() as home:
        env = setup(moto, home)
        ek = moto.boto("eks", region="us-east-2")
        role = "arn:aws:iam::123456789012:role/eks"
        ek.create_cluster(name="dr", roleArn=role, resourcesVpcConfig={"subnetIds": ["subnet-1", "subnet-2"]})
        for ng in ("pilot-a", "pilot-b"):
            ek.create_nodegroup(clusterName="dr", nodegroupName=ng, nodeRole=role, subnets=["subnet-1"],
                                scalingConfig={"minSize": 0, "maxSize": 3, "desiredSize": 0})
        ek.create_addon(clusterName="dr", addonName="vpc-cni")
        ek.create_addon(clusterName="dr", addonName="coredns")
        env["AWS_REGION"] = "us-east-2"

        cl = expect_ok(run_cli(["eks-describe-cluster", "dr"], env), "DescribeCluster")
        check(cl["name"] == "dr" and cl["status"] in ("ACTIVE", "CREATING"), f"cluster {cl}")
        ngs = expect_ok(run_cli(["eks-list-nodegroups", "dr"], env), "ListNodegroups")
        check(sorted(ngs) == ["pilot-a", "pilot-b"], f"nodegroups {ngs}")
        ng = expect_ok(run_cli(["eks-describe-nodegroup", "dr", "pilot-a"], env), "DescribeNodegroup")
        check(ng["scalingConfig"] == {"minSize": 0, "maxSize": 3, "desiredSize": 0}, f"nodegroup {ng}")
        upd = expect_ok(run_cli(["eks-update-nodegroup", "dr", "pilot-a", "2", "6", "3"], env), "UpdateNodegroupConfig")
        check(upd.get("id") and upd.get("type") == "ConfigUpdate", f"update {upd}")
        sc = ek.describe_nodegroup(clusterName="dr", nodegroupName="pilot-a")["nodegroup"]["scalingConfig"]
        check(sc == {"minSize": 2, "maxSize": 6, "desiredSize": 3}, f"boto3 sees scaling {sc}")
        addons = expect_ok(run_cli(["eks-list-addons", "dr"], env), "ListAddons (test layer)")
        check(addons == ["coredns", "vpc-cni"], f"addons {addons}")
        ad = expect_ok(run_cli(["eks-describe-addon", "dr", "vpc-cni"], env), "DescribeAddon (test layer)")
        check(ad["addonName"] == "vpc-cni" and ad["status"] == "ACTIVE", f"addon {ad}")

        bad = run_cli(["eks-describe-cluster", "nope"], env)
        check(bad.rc == 1 and bad.error and bad.error["code"] == "ResourceNotFoundException"
              and bad.error["status"] == 404 and bad.error["message"], f"missing cluster: {bad!r}")
        # wrong region: the cluster lives in us-east-2 only
        env["AWS_REGION"] = "us-east-1"
        bad = run_cli(["eks-describe-cluster", "dr"], env)
        check(bad.rc == 1 and bad.error and bad.error["code"] == "ResourceNotFoundException", f"region: {bad!r}")


PLAN = {"BackupPlanName": "fo-dr", "Rules": [{
    "RuleName": "daily", "TargetBackupVaultName": "primary", "ScheduleExpression": "cron(0 5 ? * * *)",
    "CopyActions": [{"DestinationBackupVaultArn": "arn:aws:backup:us-east-2:123456789012:backup-vault:secondary"}]}]}


def backup():
    with fotest.Moto() as moto, fotest.Home() as home:
        env = setup(moto, home)
        made = expect_ok(run_cli(["backup-create-plan", json.dumps(PLAN)], env), "CreateBackupPlan")
        pid = made.get("BackupPlanId")
        check(pid and made.get("BackupPlanArn"), f"create {made}")
        got = expect_ok(run_cli(["backup-get-plan", pid], env), "GetBackupPlan")
        check(got["BackupPlan"]["BackupPlanName"] == "fo-dr", f"get {got}")
        rule = got["BackupPlan"]["Rules"][0]
        check(rule["CopyActions"][0]["DestinationBackupVaultArn"].endswith(":secondary"), f"rule {rule}")
        plans = expect_ok(run_cli(["backup-list-plans"], env), "ListBackupPlans")
        check([p["BackupPlanId"] for p in plans] == [pid], f"list {plans}")
        check(moto.boto("backup").get_backup_plan(BackupPlanId=pid)["BackupPlan"]["BackupPlanName"] == "fo-dr",
              "boto3 does not see the plan")
        gone = expect_ok(run_cli(["backup-delete-plan", pid], env), "DeleteBackupPlan")
        check(gone.get("BackupPlanId") == pid and gone.get("DeletionDate"), f"delete {gone}")
        bad = run_cli(["backup-get-plan", "no-such-plan"], env)
        check(bad.rc == 1 and bad.error and bad.error["code"] == "ResourceNotFoundException", f"missing plan: {bad!r}")


def backup_points():
    """Recovery points and copies (moto lacks them: tests/moto_ext/backup_points.py), listed across pages."""
    import urllib.request
    with fotest.Moto() as moto, fotest.Home() as home:
        env = setup(moto, home)
        env["AWS_REGION"] = "us-east-1"
        moto.boto("backup", region="us-east-1").create_backup_vault(BackupVaultName="primary")
        moto.boto("backup", region="us-east-2").create_backup_vault(BackupVaultName="secondary")
        db = "arn:aws:rds:us-east-1:123456789012:db:mariadb"

        def plant(**body):
            req = urllib.request.Request(moto.endpoint + "/_fo/backup/recovery_point", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            return json.loads(opener.open(req, timeout=10).read())

        to2 = {"region": "us-east-2", "vault": "secondary"}
        old = plant(region="us-east-1", vault="primary", resource_arn=db, age_hours=30, copy_to=to2)
        new = plant(region="us-east-1", vault="primary", resource_arn=db, age_hours=2, copy_to=to2)
        plant(region="us-east-1", vault="primary", resource_arn=db, age_hours=1, status="PARTIAL")
        plant(region="us-east-1", vault="primary", resource_arn="arn:aws:rds:us-east-1:123456789012:db:other",
              age_hours=0.5)
        urllib.request.build_opener(urllib.request.ProxyHandler({})).open(urllib.request.Request(
            moto.endpoint + "/_fo/backup/page_size", data=b'{"size": 1}', method="POST"), timeout=10)
        pts = expect_ok(run_cli(["backup-list-points", "primary"], env), "ListRecoveryPointsByBackupVault")
        check(len(pts) == 4, f"all points over 4 pages: {pts}")
        mine = expect_ok(run_cli(["backup-list-points", "primary", db], env), "ListRecoveryPointsByBackupVault by ARN")
        check(len(mine) == 3, f"by resource: {mine}")
        newest = expect_ok(run_cli(["backup-newest", "primary", db], env), "newest")
        check(newest["RecoveryPointArn"] == new["RecoveryPointArn"], f"newest completed skips PARTIAL: {newest}")
        env["AWS_REGION"] = "us-east-2"
        copy = expect_ok(run_cli(["backup-newest", "secondary", "", "copies"], env), "newest copy")
        check(copy["RecoveryPointArn"] == new["CopyRecoveryPointArn"]
              and copy["SourceBackupVaultArn"].endswith(":backup-vault:primary"), f"newest copy: {copy}")
        one = expect_ok(run_cli(["backup-describe-point", "secondary", old["CopyRecoveryPointArn"]], env),
                        "DescribeRecoveryPoint")
        check(one["RecoveryPointArn"] == old["CopyRecoveryPointArn"] and one["Status"] == "COMPLETED", f"{one}")
        bad = run_cli(["backup-list-points", "no-such-vault"], env)
        check(bad.rc == 1 and bad.error and bad.error["code"] == "ResourceNotFoundException", f"no vault: {bad!r}")


def autoscaling():
    with fotest.Moto() as moto, fotest.Home() as home:
        env = setup(moto, home)
        asg = moto.boto("autoscaling")
        asg.create_launch_configuration(LaunchConfigurationName="lc", ImageId="ami-12c6146b", InstanceType="t3.micro")
        for name in ("pilot-1", "pilot-2", "other"):
            asg.create_auto_scaling_group(AutoScalingGroupName=name, LaunchConfigurationName="lc", MinSize=0,
                                          MaxSize=2, DesiredCapacity=0, AvailabilityZones=["us-east-1a"])
        allg = expect_ok(run_cli(["asg-describe"], env), "DescribeAutoScalingGroups (all)")
        check(sorted(g["AutoScalingGroupName"] for g in allg) == ["other", "pilot-1", "pilot-2"], f"all {allg}")
        two = expect_ok(run_cli(["asg-describe", "pilot-1", "pilot-2"], env), "DescribeAutoScalingGroups (names)")
        check(sorted(g["AutoScalingGroupName"] for g in two) == ["pilot-1", "pilot-2"], f"named {two}")
        check(two[0]["MinSize"] == "0" and two[0]["DesiredCapacity"] == "0", f"sizes {two[0]}")
        expect_ok(run_cli(["asg-update", "pilot-1", "1", "4", "2"], env), "UpdateAutoScalingGroup")
        g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["pilot-1"])["AutoScalingGroups"][0]
        check((g["MinSize"], g["MaxSize"], g["DesiredCapacity"]) == (1, 4, 2), f"boto3 sees {g}")
        # pagination: moto pages DescribeAutoScalingGroups by 50 (NextToken)
        for i in range(60):
            asg.create_auto_scaling_group(AutoScalingGroupName=f"bulk-{i:02d}", LaunchConfigurationName="lc",
                                          MinSize=0, MaxSize=1, DesiredCapacity=0, AvailabilityZones=["us-east-1a"])
        res = run_cli(["-v", "asg-describe"], env)
        allg = expect_ok(res, "DescribeAutoScalingGroups paged")
        check(len(allg) == 63 and len({g["AutoScalingGroupName"] for g in allg}) == 63, f"paged groups {len(allg)}")
        check("NextToken=" in res.err, "no second page was requested")
        one = expect_ok(run_cli(["asg-describe", "pilot-1"], env), "describe one")
        check(len(one) == 1 and one[0]["DesiredCapacity"] == "2", f"one {one}")
        check(isinstance(one[0].get("Instances"), list) and "InstanceId" in one[0]["Instances"][0],
              f"instances list shape {one[0].get('Instances')!r}")


def s3():
    with fotest.Moto() as moto, fotest.Home() as home:
        env = setup(moto, home)
        s3c = moto.boto("s3")
        s3c.create_bucket(Bucket="fo-tfstate")
        body = json.dumps({"version": 4, "serial": 7, "outputs": {"x": {"value": "é ✓"}}}).encode()
        key = "env/prod+dr/weird key~(1).tfstate"
        s3c.put_object(Bucket="fo-tfstate", Key=key, Body=body)
        got = run_cli(["s3-get", "fo-tfstate", key], env)
        check(got.rc == 0 and got.out.encode() == body, f"GetObject: {got!r}")
        url = run_cli(["s3-presign", "fo-tfstate", key], env)
        check(url.rc == 0 and "X-Amz-Signature=" in url.out and "X-Amz-Expires=300" in url.out, f"presign {url!r}")
        check(urllib.request.urlopen(url.out.strip(), timeout=10).read() == body, "presigned URL body differs")
        # a body over the caller's limit stops the transfer with a clear error
        big = run_cli(["s3-get", "fo-tfstate", key, str(len(body) - 1)], env)
        check(big.rc == 1 and big.error["rc"] == -7 and  # -7: FO_ELIMIT
              f"response larger than {len(body) - 1} bytes" in big.error["message"], f"limit: {big!r}")
        check(big.error["message"].startswith("s3 GetObject: "), f"limit message: {big.error}")
        bad = run_cli(["s3-get", "fo-tfstate", "missing"], env)
        check(bad.rc == 1 and bad.error and bad.error["code"] == "NoSuchKey" and bad.error["status"] == 404,
              f"missing key: {bad!r}")


if __name__ == "__main__":
    fotest.main({"sts": sts, "route53": route53, "eks": eks, "backup": backup, "backup_points": backup_points, "autoscaling": autoscaling, "s3": s3})
