"""audit.verify.*: `failover-audit verify` against moto on loopback (both regions seeded with boto3), a loopback DNS
server (verify/fake_dns.py), a real MariaDB server from Debian in a temporary datadir, and a loopback MongoDB
stand-in answering the documented `hello`/`replSetGetStatus` replies (verify/fake_mongo.py: Debian 12 has no MongoDB
server). The secondary (us-east-2) is the now-active side; the primary (us-east-1) is the stopped one. Each case runs
the real binary ($FO_AUDIT_BIN) and asserts its exit code and the rule ids of its JSON report.

usage: test_verify.py CASE   (config, applications, healthy, target, backlog, trigger, restore, alarm, dns, mariadb, mongodb)"""
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "aws"))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "verify"))
import fotest  # noqa: E402
from fotest import check  # noqa: E402
from fake_dns import FakeDNS  # noqa: E402
from fake_mongo import FakeMongo  # noqa: E402

P, S = "us-east-1", "us-east-2"
ACCOUNT = fotest.ACCOUNT
NAME = "app.example.com"
LB_IP = "10.20.30.40"


# A temporary directory for configs and reports, removed afterwards (files written 0600).
Work = fotest.Home


def env_for(work, extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.startswith("FO_AUDIT_")}
    env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_EC2_METADATA_DISABLED": "true",
                "HOME": work.path, "NO_COLOR": "1"})
    env.update(extra or {})
    return env


def verify(work, cfg, extra_env=None, side="secondary"):
    """failover-audit verify --side SIDE --format json; (exit code, report or None, stderr)."""
    p = subprocess.run([os.environ["FO_AUDIT_BIN"], "verify", "--side", side, "--config", work.write("cfg.yml", cfg),
                        "--format", "json"], env=env_for(work, extra_env), capture_output=True, text=True, timeout=300,
                       cwd=work.path)
    try:
        rep = json.loads(p.stdout)
    except ValueError:
        rep = None
    # a sanitizer build exits 1 on an error, the code of a failed check: never let one pass as a finding
    check("Sanitizer" not in p.stderr, f"sanitizer report: {p.stderr[-3000:]}")
    return p.returncode, rep, p.stderr


def rules(rep):
    return sorted({f["rule"]["id"] for f in rep["findings"]}) if rep else None


def yaml_side(region, endpoint, verify_keys):
    lines = [f"    region: {region}", f"    aws_endpoint_url: {endpoint}"]
    if verify_keys is not None:
        lines.append("    verify:")
        for k, v in verify_keys.items():
            lines.append(f"      {k}: {json.dumps(v)}")
    return "\n".join(lines)


def config(endpoint, active, stopped=None):
    return (f"version: 1\nsides:\n  primary:\n{yaml_side(P, endpoint, stopped)}\n"
            f"  secondary:\n{yaml_side(S, endpoint, active)}\n")


# ---- seeding --------------------------------------------------------------------------------------------------

def lambda_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("handler.py", "def handler(event, context):\n    return None\n")
    return buf.getvalue()


def seed_side(moto, region, active):
    """A region of the app: load balancer + target group with one running instance, a work queue, a Lambda consumer
    with its SQS trigger (enabled on the active side, disabled on the stopped one), queue servers (an ASG: 1 on the
    active side, 0 on the stopped one), a restored DB instance and an alarm in OK (active side)."""
    ec2, elb = moto.boto("ec2", region=region), moto.boto("elbv2", region=region)
    sqs, lam, iam = moto.boto("sqs", region=region), moto.boto("lambda", region=region), moto.boto("iam", region=region)
    asg, rds, cw = moto.boto("autoscaling", region=region), moto.boto("rds", region=region), \
        moto.boto("cloudwatch", region=region)
    out = {}
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    azs = [a["ZoneName"] for a in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"]
               for i, az in enumerate(azs)]
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    inst = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, SubnetId=subnets[0])["Instances"][0]["InstanceId"]
    lb = elb.create_load_balancer(Name="web", Subnets=subnets, Type="application")["LoadBalancers"][0]
    tg = elb.create_target_group(Name="web-tg", Protocol="HTTP", Port=80, VpcId=vpc,
                                 TargetType="instance")["TargetGroups"][0]
    elb.register_targets(TargetGroupArn=tg["TargetGroupArn"], Targets=[{"Id": inst, "Port": 80}])
    elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}])
    out.update(instance=inst, lb_dns=lb["DNSName"], ec2=ec2)
    q = sqs.create_queue(QueueName="work")["QueueUrl"]
    qarn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    out.update(queue=q, sqs=sqs)
    try:
        role = iam.create_role(RoleName="worker", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        role = iam.get_role(RoleName="worker")["Role"]["Arn"]
    lam.create_function(FunctionName="worker", Runtime="python3.12", Role=role, Handler="handler.handler",
                        Code={"ZipFile": lambda_zip()})
    m = lam.create_event_source_mapping(EventSourceArn=qarn, FunctionName="worker", Enabled=active, BatchSize=10)
    out.update(mapping=m["UUID"], lam=lam)
    asg.create_launch_configuration(LaunchConfigurationName="qs", ImageId=ami, InstanceType="t3.micro")
    asg.create_auto_scaling_group(AutoScalingGroupName="queue-servers", LaunchConfigurationName="qs", MinSize=0,
                                  MaxSize=2, DesiredCapacity=1 if active else 0, AvailabilityZones=azs)
    if active:
        rds.create_db_instance(DBInstanceIdentifier="orders-restored", Engine="mariadb", EngineVersion="10.11.8", DBInstanceClass="db.t3.micro",
                               MasterUsername="admin", MasterUserPassword="secret-pw-1", AllocatedStorage=20)
        cw.put_metric_alarm(AlarmName="web-5xx", MetricName="HTTPCode_Target_5XX_Count", Namespace="AWS/ApplicationELB",
                            Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1,
                            ComparisonOperator="GreaterThanOrEqualToThreshold")
        cw.set_alarm_state(AlarmName="web-5xx", StateValue="OK", StateReason="fine")
        out.update(cw=cw)
    return out


def active_keys(dns, extra=None):
    keys = {"dns_name": NAME, "resolver": dns.address, "load_balancers": ["web"],
            "queues": [f"PLACEHOLDER"], "backlog_interval_seconds": 1, "lambda_functions": ["worker"],
            "rds_instance": "orders-restored", "alarms": ["web-5xx"]}
    keys.update(extra or {})
    return keys


def stopped_keys():
    return {"lambda_functions": ["worker"], "queue_server_asgs": ["queue-servers"]}


class World:
    """moto with both regions seeded and a DNS server pointing the name at the active side's load balancer."""

    def __enter__(self):
        self.moto = fotest.Moto()
        try:
            self.active = seed_side(self.moto, S, True)
            self.stopped = seed_side(self.moto, P, False)
        except BaseException:
            self.moto.stop()
            raise
        self.dns = FakeDNS({NAME: ("CNAME", self.active["lb_dns"]), self.active["lb_dns"]: ("A", [LB_IP])})
        self.work = Work()
        return self

    def config(self, extra=None, stopped=None):
        keys = active_keys(self.dns, extra)
        keys["queues"] = [self.active["queue"]] if keys.get("queues") == ["PLACEHOLDER"] else keys["queues"]
        return config(self.moto.endpoint, keys, stopped_keys() if stopped is None else stopped)

    def __exit__(self, *a):
        self.dns.close()
        self.work.__exit__()
        self.moto.stop()


# ---- cases ----------------------------------------------------------------------------------------------------

def healthy():
    """Everything in place: exit 0, no finding, every check timed in the JSON report."""
    with World() as w:
        rc, rep, err = verify(w.work, w.config())
        check(rc == 0 and rep and rep["findings"] == [], f"healthy: rc={rc} rules={rules(rep)} {err[-3000:]}")
        keys = {c["key"]: c for c in rep["checks"]}
        for k in ["verify/network/dns/" + NAME, "verify/network/target-group/web-tg", "verify/messaging/queue/work",
                  "verify/messaging/lambda/worker", "verify/data/rds/orders-restored",
                  "verify/integrity/lambda/worker", "verify/integrity/queue-servers", "verify/observability/alarms"]:
            check(k in keys and keys[k]["status"] == "passed", f"check {k} missing or failed: {sorted(keys)}")
        q = keys["verify/messaging/queue/work"]
        check(q["duration_ms"] >= 1000 and q["finished"] >= q["started"], f"queue check not timed: {q}")
        check([s["id"] for s in rep["steps"]] ==
              ["network", "applications", "messaging", "data", "integrity", "observability"],
              f"verify's steps: {rep['steps']}")
        check(NAME in w.dns.queries, "the configured resolver was not asked")
        # the same run in text: a heading per checklist step
        p = subprocess.run([os.environ["FO_AUDIT_BIN"], "verify", "--side", "secondary", "--config",
                            os.path.join(w.work.path, "cfg.yml")], env=env_for(w.work), capture_output=True,
                           text=True, timeout=300)
        check(p.returncode == 0 and "Network: ok" in p.stdout and "Integrity: ok" in p.stdout, p.stdout[-2000:])
        # no verify section on the named side: a usage error
        rc, rep, err = verify(w.work, config(w.moto.endpoint, active_keys(w.dns), None), side="primary")
        check(rc == 2 and "sides.primary has no 'verify' section" in err, f"primary without verify: rc={rc} {err}")


def target():
    """A stopped instance behind the target group: verify.target-unhealthy (exit 1), naming the target."""
    with World() as w:
        w.active["ec2"].stop_instances(InstanceIds=[w.active["instance"]])
        rc, rep, err = verify(w.work, w.config())
        check(rc == 1 and rules(rep) == ["verify.target-unhealthy"], f"target: rc={rc} rules={rules(rep)} {err[-2000:]}")
        f = rep["findings"][0]
        check(w.active["instance"] in f["message"] and f["side"] == "secondary", f"finding: {f}")


def backlog():
    """Messages arrive between the two depth samples and nothing consumes them: verify.queue-backlog-growing. The
    test adds them after the binary says the first sample is taken (its stderr), so the order is certain."""
    with World() as w:
        cfg = w.work.write("cfg.yml", w.config({"backlog_interval_seconds": 5}))
        proc = subprocess.Popen([os.environ["FO_AUDIT_BIN"], "verify", "--side", "secondary", "--config", cfg,
                                 "--format", "json"], env=env_for(w.work), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        lines = []
        t = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
        t.start()
        ok = fotest.wait_for(lambda: any("first queue depth sample taken" in ln for ln in lines), timeout=120)
        if ok:
            for i in range(3):
                w.active["sqs"].send_message(QueueUrl=w.active["queue"], MessageBody=f"m{i}")
        out = proc.communicate(timeout=300)[0]
        t.join(10)
        check(ok, f"no first-sample line: {''.join(lines)[-2000:]}")
        rep = json.loads(out)
        check(proc.returncode == 1 and rules(rep) == ["verify.queue-backlog-growing"],
              f"backlog: rc={proc.returncode} rules={rules(rep)} {''.join(lines)[-2000:]}")
        check(rep["findings"][0]["secondary"]["value"] == [0, 3], f"samples: {rep['findings'][0]}")


def trigger():
    """The stopped side's Lambda trigger is still enabled: verify.trigger-still-enabled (Integrity); and the active
    side's trigger disabled: verify.trigger-not-enabled (Messaging)."""
    with World() as w:
        w.stopped["lam"].update_event_source_mapping(UUID=w.stopped["mapping"], Enabled=True)
        rc, rep, err = verify(w.work, w.config())
        check(rc == 1 and rules(rep) == ["verify.trigger-still-enabled"], f"trigger: rc={rc} rules={rules(rep)} {err}")
        f = rep["findings"][0]
        check(f["side"] == "primary" and f["path"] == w.stopped["mapping"], f"finding: {f}")
        w.stopped["lam"].update_event_source_mapping(UUID=w.stopped["mapping"], Enabled=False)
        w.active["lam"].update_event_source_mapping(UUID=w.active["mapping"], Enabled=False)
        rc, rep, err = verify(w.work, w.config())
        check(rc == 1 and rules(rep) == ["verify.trigger-not-enabled"], f"active trigger: rc={rc} rules={rules(rep)}")


def restore():
    """The restored instance is missing: verify.rds-unavailable."""
    with World() as w:
        rc, rep, err = verify(w.work, w.config({"rds_instance": "orders-never-restored"}))
        check(rc == 1 and rules(rep) == ["verify.rds-unavailable"], f"restore: rc={rc} rules={rules(rep)} {err}")
        check("orders-never-restored" in rep["findings"][0]["message"], rep["findings"][0]["message"])
        # markdown (a merge request note): the verification steps, the finding under Data
        p = subprocess.run([os.environ["FO_AUDIT_BIN"], "verify", "--side", "secondary", "--config",
                            os.path.join(w.work.path, "cfg.yml"), "--format", "markdown"], env=env_for(w.work),
                           capture_output=True, text=True, timeout=300)
        check(p.returncode == 1 and "| Verification step |" in p.stdout and "### Data" in p.stdout and
              "Sync step" not in p.stdout, p.stdout[-3000:])


def alarm():
    """An alarm in ALARM: verify.alarm-not-ok with its reason; an unknown alarm name: verify.alarm-missing."""
    with World() as w:
        w.active["cw"].set_alarm_state(AlarmName="web-5xx", StateValue="ALARM", StateReason="5xx above 1")
        rc, rep, err = verify(w.work, w.config({"alarms": ["web-5xx", "no-such-alarm"]}))
        check(rc == 1 and rules(rep) == ["verify.alarm-missing", "verify.alarm-not-ok"],
              f"alarm: rc={rc} rules={rules(rep)} {err}")
        msg = [f["message"] for f in rep["findings"] if f["rule"]["id"] == "verify.alarm-not-ok"][0]
        check("5xx above 1" in msg, msg)


def dns():
    """The name still points at the other side (another address), then does not exist: dns-wrong-target, then
    dns-unresolved; a closed moto port: the source is unreadable (exit 3)."""
    with World() as w:
        w.dns.records[NAME.lower()] = ("A", ["192.0.2.99"])
        rc, rep, err = verify(w.work, w.config())
        check(rc == 1 and rules(rep) == ["verify.dns-wrong-target"], f"dns: rc={rc} rules={rules(rep)} {err}")
        del w.dns.records[NAME.lower()]
        rc, rep, err = verify(w.work, w.config())
        check(rc == 1 and rules(rep) == ["verify.dns-unresolved"] and "NXDOMAIN" in rep["findings"][0]["message"],
              f"dns unresolved: rc={rc} rules={rules(rep)}")
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        cfg = w.config().replace(w.moto.endpoint, f"http://127.0.0.1:{port}")
        rc, rep, err = verify(w.work, cfg, {"FO_AUDIT_SECONDARY_AWS_MAX_ATTEMPTS": "1"})
        check(rc == 3 and "verify.network" in err, f"unreachable: rc={rc} {err[-2000:]}")


# ---- MariaDB: a real server from Debian in a temporary datadir ---------------------------------------------------

class MariaDB:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="fo-verify-mariadb-")
        data, self.sock = os.path.join(self.dir, "data"), os.path.join(self.dir, "sock")
        user = ["--user=root"] if os.geteuid() == 0 else []
        subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={data}", "--auth-root-authentication-method=socket",
                        "--skip-test-db"] + user, check=True, capture_output=True, timeout=300)
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.log = os.path.join(self.dir, "err.log")
        self.proc = subprocess.Popen(["mariadbd", "--no-defaults", f"--datadir={data}", f"--socket={self.sock}",
                                      f"--port={self.port}", "--bind-address=127.0.0.1", f"--log-error={self.log}",
                                      f"--pid-file={os.path.join(self.dir, 'pid')}", "--skip-log-bin"] + user,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not fotest.wait_for(lambda: self.sql("SELECT 1", quiet=True), timeout=120):
            self.stop()
            raise fotest.TestFailure("mariadbd did not start: " + open(self.log).read()[-2000:])

    def sql(self, text, quiet=False):
        p = subprocess.run(["mariadb", "--no-defaults", f"--socket={self.sock}", "-u", "root", "-e", text],
                           capture_output=True, text=True, timeout=60)
        if p.returncode and not quiet:
            raise fotest.TestFailure(f"mariadb: {text}: {p.stderr}")
        return p.returncode == 0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def mariadb():
    """The write+read probe against a real server passes; a wrong password is a finding that names the user and
    never the password (not in the report, not on stderr)."""
    db = MariaDB()
    try:
        db.sql("CREATE DATABASE orders; CREATE USER 'verifier'@'127.0.0.1' IDENTIFIED BY 'right-pw-7';"
               "GRANT ALL ON orders.* TO 'verifier'@'127.0.0.1';")
        with fotest.Moto() as moto, Work() as work:
            rds = moto.boto("rds", region=S)
            rds.create_db_instance(DBInstanceIdentifier="orders-restored", Engine="mariadb", EngineVersion="10.11.8",
                                   DBInstanceClass="db.t3.micro", MasterUsername="admin",
                                   MasterUserPassword="secret-pw-1", AllocatedStorage=20)
            keys = {"rds_instance": "orders-restored",
                    "mariadb": {"host": "127.0.0.1", "port": db.port, "user": "verifier",
                                "password_env": "ORDERS_DB_PASSWORD", "database": "orders"}}
            cfg = config(moto.endpoint, keys)
            rc, rep, err = verify(work, cfg, {"ORDERS_DB_PASSWORD": "right-pw-7"})
            check(rc == 0 and rep["findings"] == [], f"mariadb ok: rc={rc} rules={rules(rep)} {err[-2000:]}")
            check(any(c["key"] == "verify/data/mariadb" and c["status"] == "passed" for c in rep["checks"]),
                  f"mariadb check: {rep['checks']}")
            p = subprocess.run(["mariadb", "--no-defaults", f"--socket={db.sock}", "-u", "root", "-N", "-e",
                                "SELECT COUNT(*) FROM orders.failover_verify_probe"], capture_output=True, text=True)
            check(p.stdout.strip() == "1", f"the probe's row: {p.stdout} {p.stderr}")
            rc, rep, err = verify(work, cfg, {"ORDERS_DB_PASSWORD": "wrong-pw-3"})
            text = json.dumps(rep) + err
            check(rc == 1 and rules(rep) == ["verify.mariadb-probe-failed"], f"wrong pw: rc={rc} rules={rules(rep)}")
            msg = rep["findings"][0]["message"]
            check("Access denied" in msg and "verifier" in msg, msg)
            check("wrong-pw-3" not in text and "right-pw-7" not in text, "a password reached the report or stderr")
            rc, rep, err = verify(work, cfg, {})
            check(rc == 1 and "ORDERS_DB_PASSWORD is not set" in rep["findings"][0]["message"], f"unset: {rules(rep)}")
    finally:
        db.stop()


def mongodb():
    """The member of the active region: PRIMARY passes; a SECONDARY 120 s behind with a 30 s limit fails
    (verify.mongodb-unhealthy); one 5 s behind passes. The server is the loopback stand-in (fake_mongo.py)."""
    with fotest.Moto() as moto, Work() as work:
        me = "db-use2:27017"
        for members, want in (
                ([{"name": me, "stateStr": "PRIMARY"}, {"name": "db-use1:27017", "stateStr": "SECONDARY"}], []),
                ([{"name": "db-use1:27017", "stateStr": "PRIMARY"},
                  {"name": me, "stateStr": "SECONDARY", "lag_s": 120}], ["verify.mongodb-unhealthy"]),
                ([{"name": "db-use1:27017", "stateStr": "PRIMARY"},
                  {"name": me, "stateStr": "SECONDARY", "lag_s": 5}], []),
                ([{"name": me, "stateStr": "PRIMARY", "health": 0}], ["verify.mongodb-unhealthy"])):
            srv = FakeMongo(members, me)
            try:
                keys = {"mongodb": {"uri": f"mongodb://127.0.0.1:{srv.port}/?directConnection=true",
                                    "member": me, "max_lag_seconds": 30}}
                rc, rep, err = verify(work, config(moto.endpoint, keys))
                check(rep is not None and rules(rep) == want and rc == (1 if want else 0),
                      f"mongodb {members}: rc={rc} rules={rules(rep)} {err[-2000:]}")
                check("replSetGetStatus" in srv.commands, f"commands: {srv.commands}")
                if want and members[-1].get("lag_s"):
                    check("behind the primary" in rep["findings"][0]["message"], rep["findings"][0]["message"])
            finally:
                srv.close()


def config_errors():
    """Bad verify sections are usage errors (exit 2) naming the file, line and key; nothing is called."""
    with Work() as work:
        base = "version: 1\nsides:\n  primary:\n    region: us-east-1\n  secondary:\n    region: us-east-2\n"
        for section, want in (
                ("      regoin: x\n", "unknown key 'verify.regoin'"),
                ("      mariadb:\n        user: app\n", "needs verify.mariadb.password_env"),
                ("      mariadb:\n        user: app\n        password_env: 'A B'\n        table: x\n",
                 "must name an environment variable"),
                ("      mariadb:\n        user: app\n        password_env: PW\n        table: 'x; DROP'\n",
                 "plain identifier"),
                ("      backlog_interval_seconds: soon\n", "backlog_interval_seconds must be a number"),
                ("      queues: one\n", "'verify.queues' must be a list"),
                ("      resolver: 127.0.0.1:53\n", "needs verify.dns_name"),
                ("      dns_name: app.example.com\n", "needs verify.load_balancers")):
            cfg = base + "    verify:\n" + section
            rc, rep, err = verify(work, cfg)
            check(rc == 2 and want in err and "cfg.yml:" in err, f"{section!r}: rc={rc} {err}")
        rc, rep, err = verify(work, base)
        check(rc == 2 and "no 'verify' section" in err, f"no verify: rc={rc} {err}")
        p = subprocess.run([os.environ["FO_AUDIT_BIN"], "verify", "--config", work.write("c.yml", base)],
                           capture_output=True, text=True, env=env_for(work))
        check(p.returncode == 2 and "--side" in p.stderr, f"no --side: {p.returncode} {p.stderr}")


def applications():
    """Against the real kube-apiserver tests/kube/kube.sh starts (no controllers run: the tests write the status
    subresources themselves): a Deployment with all replicas ready and a running pod pass; 1 of 2 ready is
    verify.deployment-not-ready; a container in CrashLoopBackOff is verify.pod-crashloop; a context the kubeconfig
    lacks makes the source unreadable (exit 3)."""
    import ssl
    import urllib.request
    server, pki, token = os.environ["FO_KUBE_SERVER"], os.environ["FO_KUBE_DIR"], os.environ["FO_KUBE_ADMIN_TOKEN"]
    ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.crt"))

    def api(method, path, body=None, ctype="application/json"):
        req = urllib.request.Request(server + path, method=method, data=json.dumps(body).encode() if body else None)
        req.add_header("Authorization", "Bearer " + token)
        req.add_header("Content-Type", ctype)
        with urllib.request.urlopen(req, context=ctx, timeout=30) as r:
            return json.load(r)

    def status(path, st):
        api("PATCH", path + "/status", {"status": st}, "application/merge-patch+json")

    api("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    # no controller-manager makes the namespace's default service account, which pod admission requires
    api("POST", "/api/v1/namespaces/shop/serviceaccounts", {"apiVersion": "v1", "kind": "ServiceAccount",
                                                           "metadata": {"name": "default"}})
    labels = {"app": "web"}
    api("POST", "/apis/apps/v1/namespaces/shop/deployments", {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"replicas": 2, "selector": {"matchLabels": labels}, "template": {
            "metadata": {"labels": labels}, "spec": {"containers": [{"name": "main", "image": "web:1"}]}}}})
    dep = "/apis/apps/v1/namespaces/shop/deployments/web"
    status(dep, {"replicas": 2, "readyReplicas": 2, "availableReplicas": 2, "updatedReplicas": 2})
    api("POST", "/api/v1/namespaces/shop/pods", {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "worker-1"},
                                                 "spec": {"containers": [{"name": "main", "image": "worker:1"}]}})
    pod = "/api/v1/namespaces/shop/pods/worker-1"

    def container(state, restarts):
        return {"phase": "Running", "containerStatuses": [{"name": "main", "image": "worker:1", "imageID": "",
                                                           "ready": "running" in state, "restartCount": restarts,
                                                           "state": state}]}
    status(pod, container({"running": {"startedAt": "2026-01-01T00:00:00Z"}}, 0))
    with Work() as work:
        kc = work.write("kubeconfig", json.dumps({
            "apiVersion": "v1", "kind": "Config", "current-context": "use2",
            "clusters": [{"name": "c", "cluster": {"server": server,
                                                   "certificate-authority": os.path.join(pki, "ca.crt")}}],
            "users": [{"name": "u", "user": {"token": token}}],
            "contexts": [{"name": "use2", "context": {"cluster": "c", "user": "u"}}]}))
        cfg = config("http://127.0.0.1:9", {"namespaces": ["shop"], "kubeconfig": kc, "kube_context": "use2"})
        rc, rep, err = verify(work, cfg)
        check(rc == 0 and rep["findings"] == [], f"applications ok: rc={rc} rules={rules(rep)} {err[-2000:]}")
        check(any(c["key"] == "verify/applications/kubernetes" and c["step"] == "applications" for c in rep["checks"]),
              f"checks: {rep['checks']}")
        status(dep, {"readyReplicas": 1, "availableReplicas": 1})
        status(pod, container({"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}}, 7))
        rc, rep, err = verify(work, cfg)
        check(rc == 1 and rules(rep) == ["verify.deployment-not-ready", "verify.pod-crashloop"],
              f"applications failing: rc={rc} rules={rules(rep)} {err[-2000:]}")
        msgs = " ".join(f["message"] for f in rep["findings"])
        check("shop/web: 1 of 2" in msgs and "shop/worker-1" in msgs and "7 restarts" in msgs, msgs)
        check(token not in json.dumps(rep) + err, "the token reached the report")
        rc, rep, err = verify(work, cfg.replace('"use2"', '"nope"'))
        check(rc == 3 and "verify.applications" in err, f"bad context: rc={rc} {err[-2000:]}")


CASES = {"config": config_errors, "applications": applications, "healthy": healthy, "target": target, "backlog": backlog, "trigger": trigger, "restore": restore,
         "alarm": alarm, "dns": dns, "mariadb": mariadb, "mongodb": mongodb}

if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name not in CASES:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        CASES[name]()
    except fotest.TestFailure as e:
        print(f"FAIL [audit.verify.{name}]: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"ok audit.verify.{name}")
