"""audit.live.*: failover-audit check with the live AWS sources (eks, aws_backup, route53, remote Terraform state)
against moto on loopback (tests/aws/fotest.py, the layers in tests/moto_ext). Both regions are seeded with boto3;
each case runs the real binary ($FO_AUDIT_BIN) and asserts the findings of its JSON report and its exit code.

usage: test_live_aws.py CASE   (eks, backup, route53, s3_state, gitlab_state, unreachable)"""
import http.server
import json
import os
import socket
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "aws"))
sys.path.insert(0, os.path.join(HERE, ".."))
import fotest  # noqa: E402
from fotest import check  # noqa: E402
from moto_ext.control import Control  # noqa: E402

P, S = "us-east-1", "us-east-2"
ACCOUNT = fotest.ACCOUNT


# A temporary directory for configs and reports, removed afterwards (files written 0600).
Work = fotest.Home


def audit(work, config, extra_env=None):
    """failover-audit check --config CONFIG --format json; (exit code, report or None, stderr)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.startswith("FO_AUDIT_")}
    env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_EC2_METADATA_DISABLED": "true",
                "HOME": work.path, "NO_COLOR": "1"})
    env.update(extra_env or {})
    p = subprocess.run([os.environ["FO_AUDIT_BIN"], "check", "--config", work.write("cfg.yml", config), "--format",
                        "json"], env=env, capture_output=True, text=True, timeout=300, cwd=work.path)
    try:
        rep = json.loads(p.stdout)
    except ValueError:
        rep = None
    return p.returncode, rep, p.stderr


def found(rep):
    return sorted((f["rule"]["id"], f["full_path"]) for f in rep["findings"])


def message(rep, rule):
    return [f["message"] for f in rep["findings"] if f["rule"]["id"] == rule]


def config(endpoint, primary, secondary, checks=None):
    def side(region, keys):
        return "\n".join([f"    region: {region}", f"    aws_endpoint_url: {endpoint}"] +
                         [f"    {k}: {json.dumps(v)}" for k, v in keys.items()])
    text = f"version: 1\nsides:\n  primary:\n{side(P, primary)}\n  secondary:\n{side(S, secondary)}\n"
    if checks:
        text += "checks:\n" + "".join(f"  {c}: {{}}\n" for c in checks)
    return text


# ---- EKS ------------------------------------------------------------------------------------------------------

def seed_cluster(moto, region, name, version="1.31", addon_version="v1.18.3-eksbuild.1", labels=None,
                 extra_groups=()):
    eks = moto.boto("eks", region=region)
    role = f"arn:aws:iam::{ACCOUNT}:role/eks"
    eks.create_cluster(name=name, version=version, roleArn=role,
                       resourcesVpcConfig={"subnetIds": ["subnet-1", "subnet-2"]})
    eks.create_addon(clusterName=name, addonName="vpc-cni", addonVersion=addon_version,
                     configurationValues='{"env":{"WARM_IP_TARGET":"2"}}')
    eks.create_nodegroup(clusterName=name, nodegroupName="workers", nodeRole=role, subnets=["subnet-1"],
                         scalingConfig={"minSize": 1, "maxSize": 5, "desiredSize": 3}, instanceTypes=["m5.large"],
                         amiType="AL2023_x86_64_STANDARD", labels=labels or {"tier": "app"},
                         taints=[{"key": "dedicated", "value": "app", "effect": "NO_SCHEDULE"}])
    for g, desired in extra_groups:
        eks.create_nodegroup(clusterName=name, nodegroupName=g, nodeRole=role, subnets=["subnet-1"],
                             scalingConfig={"minSize": 0, "maxSize": 5, "desiredSize": desired},
                             instanceTypes=["m5.large"], amiType="AL2023_x86_64_STANDARD")


def eks():
    """Equal clusters: exit 0 (scaling sizes differ under pilot light and are not drift). Drifted: version, add-on
    version, node group labels; a pilot-light group running in the secondary is its own finding."""
    with fotest.Moto() as moto, Work() as work:
        seed_cluster(moto, P, "same", extra_groups=[("batch", 2)])
        seed_cluster(moto, S, "same", extra_groups=[("batch", 0)])
        rc, rep, err = audit(work, config(moto.endpoint, {"eks_cluster": "same"},
                                          {"eks_cluster": "same", "eks_pilot_light_nodegroups": "batch"}))
        check(rc == 0 and rep and not rep["findings"], f"equal clusters: rc={rc} {rep and found(rep)} {err}")
        check("primary: reading eks (same)" in err and "secondary: read eks:" in err, f"progress: {err}")
        # `snapshot` of one side reads the live source the same way
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "HOME": work.path})
        p = subprocess.run([os.environ["FO_AUDIT_BIN"], "snapshot", "--config", os.path.join(work.path, "cfg.yml"),
                            "--side", "secondary", "-o", "-"], env=env, capture_output=True, text=True, timeout=300)
        snap = json.loads(p.stdout) if p.returncode == 0 else {}
        check(sorted(snap.get("objects", {})) == ["eks/addon/vpc-cni", "eks/cluster", "eks/nodegroup/batch",
                                                  "eks/nodegroup/workers"], f"snapshot: rc={p.returncode} {p.stderr}")

        seed_cluster(moto, P, "drift", extra_groups=[("batch", 2)])
        seed_cluster(moto, S, "drift", version="1.30", addon_version="v1.18.1-eksbuild.1",
                     labels={"tier": "web"}, extra_groups=[("batch", 2)])
        rc, rep, err = audit(work, config(moto.endpoint, {"eks_cluster": "drift"},
                                          {"eks_cluster": "drift", "eks_pilot_light_nodegroups": "batch"}))
        check(rc == 1 and rep, f"drift: rc={rc} {err}")
        want = [("eks.addon-version-differs", "eks/addon/vpc-cni/addonVersion"),
                ("eks.nodegroup-differs", "eks/nodegroup/workers/labels.tier"),
                ("eks.pilot-light-active", "eks/nodegroup/batch/scaling.desiredSize@secondary"),
                ("eks.version-differs", "eks/cluster/version")]
        check(found(rep) == want, f"drift findings: {found(rep)}")


# ---- AWS Backup ------------------------------------------------------------------------------------------------

def vault_arn(region, name):
    return f"arn:aws:backup:{region}:{ACCOUNT}:backup-vault:{name}"


def seed_backup(moto, region, plan, copy_region):
    b = moto.boto("backup", region=region)
    for v in ("main", "dr"):
        try:
            b.create_backup_vault(BackupVaultName=v)
        except b.exceptions.AlreadyExistsException:
            pass
    b.create_backup_plan(BackupPlan={"BackupPlanName": plan, "Rules": [{
        "RuleName": "daily", "TargetBackupVaultName": "main", "ScheduleExpression": "cron(0 5 ? * * *)",
        "Lifecycle": {"DeleteAfterDays": 35},
        "CopyActions": [{"DestinationBackupVaultArn": vault_arn(copy_region, "dr"),
                         "Lifecycle": {"DeleteAfterDays": 35}}]}]})


def backup():
    """Copies to the other region and fresh points: exit 0. A plan copying into its own region (on both sides:
    drift all the same) and a 30 h old newest copy (RPO 26 h) are findings, the age in the message."""
    with fotest.Moto() as moto, Work() as work:
        ctl = Control(moto.endpoint)
        seed_backup(moto, P, "app", S)
        seed_backup(moto, S, "app", P)
        seed_backup(moto, P, "local", P)
        seed_backup(moto, S, "local", S)
        db = f"arn:aws:rds:{P}:{ACCOUNT}:db:app"
        ctl.backup_point(P, "main", db, age_hours=30, copy_to={"region": S, "vault": "dr"})
        ctl.backup_point(P, "main", db, age_hours=2)
        primary = {"backup_plans": "app", "backup_vault": "main"}
        secondary = {"backup_plans": "app", "backup_vault": "dr"}
        rc, rep, err = audit(work, config(moto.endpoint, primary, dict(secondary, backup_rpo_hours="48")))
        check(rc == 0 and rep and not rep["findings"], f"in sync: rc={rc} {rep and found(rep)} {err}")

        rc, rep, err = audit(work, config(moto.endpoint, dict(primary, backup_plans="*"),
                                          dict(secondary, backup_plans="*")))
        check(rc == 1 and rep, f"drift: rc={rc} {err}")
        want = [("backup.copy-same-region", "backup/plan/local/Rules[RuleName=daily].CopyActions@primary"),
                ("backup.copy-same-region", "backup/plan/local/Rules[RuleName=daily].CopyActions@secondary"),
                ("backup.copy-stale", "backup/freshness/age_hours@secondary")]
        check(found(rep) == want, f"drift findings: {found(rep)}")
        msg = message(rep, "backup.copy-stale")
        check(len(msg) == 1 and "copy in vault dr is 30.0 hours old (RPO 26 hours)" in msg[0], f"message: {msg}")


# ---- Route53 ---------------------------------------------------------------------------------------------------

def seed_route53(moto, name, weights, health=(True, True), ttls=(60, 60), sides=(0, 1)):
    r53 = moto.boto("route53")
    zone = r53.create_hosted_zone(Name="example.com", CallerReference=name)["HostedZone"]["Id"].split("/")[-1]
    changes, checks = [], []
    for side, (region, w) in enumerate(zip((P, S), weights)):
        if side not in sides:
            continue
        rr = {"Name": f"{name}.example.com", "Type": "A", "TTL": ttls[side], "SetIdentifier": region, "Weight": w,
              "ResourceRecords": [{"Value": f"192.0.2.{side + 1}"}]}
        if health[side]:
            rr["HealthCheckId"] = r53.create_health_check(CallerReference=f"{name}-{region}", HealthCheckConfig={
                "Type": "HTTPS", "FullyQualifiedDomainName": f"{region}.example.com", "Port": 443,
                "ResourcePath": "/health"})["HealthCheck"]["Id"]
            checks.append(rr["HealthCheckId"])
        else:
            rr["HealthCheckId"] = "00000000-0000-0000-0000-000000000000"
        changes.append({"Action": "CREATE", "ResourceRecordSet": rr})
    r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": changes})
    return zone, checks


def route53():
    """255/0 with both health checks: exit 0. Both weights > 0 and a health check that does not exist: findings."""
    with fotest.Moto() as moto, Work() as work:
        def sides(zone, name):
            return ({"route53_zone_id": zone, "route53_record": f"{name}.example.com", "route53_set_identifier": P},
                    {"route53_zone_id": zone, "route53_record": f"{name}.example.com", "route53_set_identifier": S})
        zone, checks = seed_route53(moto, "ok", (255, 0))
        rc, rep, err = audit(work, config(moto.endpoint, *sides(zone, "ok")))
        check(rc == 0 and rep and not rep["findings"], f"pair in order: rc={rc} {rep and found(rep)} {err}")
        # the standby's health check turns unhealthy (GetHealthCheckStatus through tests/moto_ext/route53.py)
        Control(moto.endpoint)._call(f"/_fo/route53/health/{checks[1]}", {"status": "unhealthy"})
        rc, rep, err = audit(work, config(moto.endpoint, *sides(zone, "ok")))
        check(rc == 1 and rep and found(rep) == [("route53.health-check-unhealthy",
                                                  "route53/ok.example.com./A/health_status@secondary")],
              f"unhealthy standby: rc={rc} {rep and found(rep)} {err}")
        msg = message(rep, "route53.health-check-unhealthy")
        check("unhealthy (0/3 checkers report success): Failure: HTTP Status Code 503" in msg[0], f"message: {msg}")

        zone, _ = seed_route53(moto, "bad", (255, 10), health=(True, False))
        rc, rep, err = audit(work, config(moto.endpoint, *sides(zone, "bad")))
        check(rc == 1 and rep, f"drift: rc={rc} {err}")
        want = [("route53.active-weight", "route53/bad.example.com./A/weight@both"),
                ("route53.health-check-missing", "route53/bad.example.com./A/health_check_id@secondary")]
        check(found(rep) == want, f"drift findings: {found(rep)}")

        # the standby's record is gone; then the halves' TTLs differ
        zone, _ = seed_route53(moto, "half", (255, 0), sides=(0,))
        rc, rep, err = audit(work, config(moto.endpoint, *sides(zone, "half")))
        check(rc == 1 and rep and found(rep) == [("route53.record-missing", "route53/half.example.com./A@secondary")],
              f"record missing: rc={rc} {rep and found(rep)} {err}")
        zone, _ = seed_route53(moto, "ttl", (255, 0), ttls=(60, 300))
        rc, rep, err = audit(work, config(moto.endpoint, *sides(zone, "ttl")))
        check(rc == 1 and rep and found(rep) == [("route53.ttl-differs", "route53/ttl.example.com./A/ttl@both")],
              f"ttl: rc={rc} {rep and found(rep)} {err}")
        check(message(rep, "route53.ttl-differs") == ["TTL primary 60, secondary 300 (-1: alias record)"], "message")


# ---- unreachable ------------------------------------------------------------------------------------------------

def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there any more: connections are refused
    return port


def unreachable():
    """The secondary's endpoint refuses connections: exit 3 naming the source and side; the reports are whole.
    Throttled on every attempt: exit 3 with the service's error after the configured attempts."""
    from fault_proxy import FaultProxy
    with fotest.Moto() as moto, Work() as work:
        seed_cluster(moto, P, "app")
        seed_cluster(moto, S, "app")
        def behind(steps):
            proxy = FaultProxy(moto.endpoint, steps)
            try:
                return audit(work, config(moto.endpoint, {"eks_cluster": "app"},
                                          {"eks_cluster": "app", "aws_max_attempts": "2"}).replace(
                    f"aws_endpoint_url: {moto.endpoint}\n    eks_cluster: \"app\"\n    aws_max",
                    f"aws_endpoint_url: {proxy.endpoint}\n    eks_cluster: \"app\"\n    aws_max"))
            finally:
                proxy.stop()
        rc, rep, err = behind(["throttle-json"] * 20)
        check(rc == 3 and "source 'eks' (secondary) could not be read" in err and "ThrottlingException" in err,
              f"throttled: rc={rc} {err}")
        # credentials refused (an expired or revoked token answers the same way): not retried, exit 3
        rc2, rep2, err2 = behind(["denied"])
        check(rc2 == 3 and "source 'eks' (secondary) could not be read" in err2 and "AccessDenied" in err2,
              f"denied: rc={rc2} {err2}")
        check(rep and rep["exit_code"] == 3, "throttled: report")

        text = config(moto.endpoint, {"eks_cluster": "app"}, {"eks_cluster": "app", "aws_max_attempts": "2"})
        text = text.replace(f"aws_endpoint_url: {moto.endpoint}\n    eks_cluster: \"app\"\n    aws_max",
                            f"aws_endpoint_url: http://127.0.0.1:{closed_port()}\n    eks_cluster: \"app\"\n"
                            "    aws_max")
        check(text.count("127.0.0.1") == 2 and moto.endpoint in text, f"config: {text}")
        cfg = work.write("cfg.yml", text)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "HOME": work.path,
                    "AWS_EC2_METADATA_DISABLED": "true"})
        out = os.path.join(work.path, "r.json")
        p = subprocess.run([os.environ["FO_AUDIT_BIN"], "check", "--config", cfg, "--output", f"json={out}",
                            "--output", f"junit={out}.xml"], env=env, capture_output=True, text=True, timeout=300)
        check(p.returncode == 3, f"rc={p.returncode} {p.stderr}")
        check("source 'eks' (secondary) could not be read" in p.stderr, f"stderr: {p.stderr}")
        rep = json.load(open(out))
        check(rep["exit_code"] == 3 and any(s["name"] == "eks" and s["state"] == "unreadable"
                                            for s in rep["sources"]), f"report sources: {rep.get('sources')}")
        check(os.path.getsize(out + ".xml") > 0 and not [f for f in os.listdir(work.path) if ".tmp" in f],
              f"leftovers: {os.listdir(work.path)}")


# ---- remote Terraform state -------------------------------------------------------------------------------------

def state(version="1.31", sg_rule="10.0.0.0/16"):
    return json.dumps({"version": 4, "terraform_version": "1.9.8", "serial": 3, "lineage": "x", "outputs": {},
                       "resources": [
                           {"mode": "managed", "type": "aws_eks_cluster", "name": "main",
                            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                            "instances": [{"attributes": {"name": "app", "version": version}}]},
                           {"mode": "managed", "type": "aws_security_group_rule", "name": "db",
                            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                            "instances": [{"attributes": {"cidr_blocks": [sg_rule], "from_port": 5432}}]}]})


def s3_state():
    """Each side's state in an S3 bucket of its region (the primary's bucket in another region than the side, read
    with terraform_state_s3_region): equal states exit 0; a differing one is found like a local state's drift."""
    with fotest.Moto() as moto, Work() as work:
        for region, bucket in ((P, "tf-primary"), (S, "tf-secondary"), ("eu-west-1", "tf-elsewhere")):
            s3 = moto.boto("s3", region=region)
            kw = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
            s3.create_bucket(Bucket=bucket, **kw)
        moto.boto("s3", region=P).put_object(Bucket="tf-primary", Key="env/app/terraform.tfstate", Body=state())
        moto.boto("s3", region=S).put_object(Bucket="tf-secondary", Key="env/app/terraform.tfstate", Body=state())
        moto.boto("s3", region="eu-west-1").put_object(Bucket="tf-elsewhere", Key="app.tfstate",
                                                       Body=state(version="1.30", sg_rule="10.1.0.0/16"))
        primary = {"terraform_state_s3": "s3://tf-primary/env/app/terraform.tfstate"}
        rc, rep, err = audit(work, config(moto.endpoint, primary,
                                          {"terraform_state_s3": "s3://tf-secondary/env/app/terraform.tfstate"}))
        check(rc == 0 and rep and not rep["findings"], f"equal states: rc={rc} {rep and found(rep)} {err}")
        check("secondary: reading terraform_state (s3://tf-secondary/env/app/terraform.tfstate)" in err,
              f"progress: {err}")
        rc, rep, err = audit(work, config(moto.endpoint, primary, {"terraform_state_s3": "s3://tf-elsewhere/app.tfstate",
                                                                   "terraform_state_s3_region": "eu-west-1"}))
        want = [("eks.version-differs", "terraform/aws_eks_cluster.main/version"),
                ("state.attribute-differs", "terraform/aws_security_group_rule.db/cidr_blocks")]
        check(rc == 1 and rep and found(rep) == want, f"drift: rc={rc} {rep and found(rep)} {err}")
        rc, rep, err = audit(work, config(moto.endpoint, primary, {"terraform_state_s3": "s3://tf-secondary/nope"}))
        check(rc == 3 and "source 'terraform_state' (secondary) could not be read: state s3://tf-secondary/nope:" in err,
              f"missing object: rc={rc} {err}")


class GitLabState(http.server.BaseHTTPRequestHandler):
    """/api/v4/projects/42/terraform/state/<name>: the state when the PRIVATE-TOKEN header is right, else 401."""
    states = {}
    token = "glpat-test-token-0123456789"
    seen = []

    def do_GET(self):
        GitLabState.seen.append((self.path, self.headers.get("PRIVATE-TOKEN")))
        name = self.path.rsplit("/", 1)[-1]
        if self.headers.get("PRIVATE-TOKEN") != self.token:
            body, code = b'{"message":"401 Unauthorized"}', 401
        elif not self.path.startswith("/api/v4/projects/42/terraform/state/") or name not in self.states:
            body, code = b'{"message":"404 Not Found"}', 404
        else:
            body, code = self.states[name].encode(), 200
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def gitlab_state():
    """GitLab's HTTP state backend on a loopback server that checks the token header: equal states exit 0, a drift
    is found, a refused token exits 3 naming the source and the variable (never the token)."""
    GitLabState.states = {"primary": state(), "secondary": state(), "drifted": state(version="1.30")}
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), GitLabState)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_address[1]}/api/v4/projects/42/terraform/state/"
    try:
        with Work() as work:
            def cfg(p, s):
                return (f"version: 1\nsides:\n  primary:\n    region: {P}\n    terraform_state_gitlab: {base}{p}\n"
                        f"    terraform_state_gitlab_token_env: TF_STATE_TOKEN\n  secondary:\n    region: {S}\n"
                        f"    terraform_state_gitlab: {base}{s}\n    terraform_state_gitlab_token_env: TF_STATE_TOKEN\n")
            good = {"TF_STATE_TOKEN": GitLabState.token}
            rc, rep, err = audit(work, cfg("primary", "secondary"), good)
            check(rc == 0 and rep and not rep["findings"], f"equal: rc={rc} {rep and found(rep)} {err}")
            check(sorted(GitLabState.seen) == [("/api/v4/projects/42/terraform/state/primary", GitLabState.token),
                                               ("/api/v4/projects/42/terraform/state/secondary", GitLabState.token)],
                  f"requests: {GitLabState.seen}")
            # the URL from GitLab's job variables
            rc, rep, err = audit(work, cfg("primary", "secondary").replace(
                f"http://127.0.0.1:{srv.server_address[1]}/api/v4/projects/42/", "${CI_API_V4_URL}/projects/${CI_PROJECT_ID}/"),
                dict(good, CI_API_V4_URL=f"http://127.0.0.1:{srv.server_address[1]}/api/v4", CI_PROJECT_ID="42"))
            check(rc == 0 and rep and not rep["findings"], f"CI variables: rc={rc} {err}")
            rc, rep, err = audit(work, cfg("primary", "drifted"), good)
            check(rc == 1 and rep and found(rep) == [("eks.version-differs", "terraform/aws_eks_cluster.main/version")],
                  f"drift: rc={rc} {rep and found(rep)} {err}")
            rc, rep, err = audit(work, cfg("primary", "secondary"), {"TF_STATE_TOKEN": "glpat-expired-token"})
            check(rc == 3 and "source 'terraform_state' (primary) could not be read" in err and
                  "HTTP 401: the token in TF_STATE_TOKEN was refused" in err, f"refused token: rc={rc} {err}")
            check("glpat-expired-token" not in err and "glpat-expired-token" not in json.dumps(rep),
                  "the token leaked into the output")
            rc, rep, err = audit(work, cfg("primary", "nope"), good)
            check(rc == 3 and "HTTP 404" in err, f"missing state: rc={rc} {err}")
    finally:
        srv.shutdown()
        srv.server_close()


def web_identity():
    """No keys in the environment: each side assumes its own role through web identity, the primary from its
    aws_web_identity_* keys, the secondary from FO_AUDIT_SECONDARY_AWS_ROLE_ARN/_WEB_IDENTITY_TOKEN_FILE (one
    role per region, as the GitLab CI job does). A side without any credentials is unreadable (exit 3)."""
    with fotest.Moto() as moto, Work() as work:
        seed_cluster(moto, P, "app")
        seed_cluster(moto, S, "app")
        tok_p, tok_s = work.write("tok-p", "header.primary.sig"), work.write("tok-s", "header.secondary.sig")
        primary = {"eks_cluster": "app", "aws_web_identity_role_arn": f"arn:aws:iam::{ACCOUNT}:role/audit-use1",
                   "aws_web_identity_token_file": tok_p}
        text = config(moto.endpoint, primary, {"eks_cluster": "app"})

        def run(extra):
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.startswith("FO_AUDIT")}
            env.update({"HOME": work.path, "AWS_EC2_METADATA_DISABLED": "true", "FO_AUDIT_LOG": "debug"})
            env.update(extra)
            p = subprocess.run([os.environ["FO_AUDIT_BIN"], "check", "--config", work.write("cfg.yml", text),
                                "--format", "json"], env=env, capture_output=True, text=True, timeout=300)
            return p.returncode, p.stderr
        rc, err = run({"FO_AUDIT_SECONDARY_AWS_ROLE_ARN": f"arn:aws:iam::{ACCOUNT}:role/audit-use2",
                       "FO_AUDIT_SECONDARY_AWS_WEB_IDENTITY_TOKEN_FILE": tok_s})
        check(rc == 0, f"web identity per side: rc={rc} {err[-3000:]}")
        check("header.primary.sig" not in err and "header.secondary.sig" not in err, "a token reached the log")
        rc, err = run({})
        check(rc == 3 and "source 'eks' (secondary) could not be read" in err and
              "source 'eks' (primary)" not in err, f"secondary without credentials: rc={rc} {err[-3000:]}")


CASES = {"web_identity": web_identity, "s3_state": s3_state, "gitlab_state": gitlab_state, "eks": eks, "backup": backup, "route53": route53, "unreachable": unreachable}

if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name not in CASES:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        CASES[name]()
    except fotest.TestFailure as e:
        print(f"FAIL [audit.live.{name}]: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"ok audit.live.{name}")
