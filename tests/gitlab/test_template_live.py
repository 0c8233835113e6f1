"""audit.gitlab.template.live: the component's check job (templates/failover-audit.yml, run by
run-template-job.sh) reading live EKS in both regions from moto on loopback with no AWS keys anywhere: each side
assumes the role given as its input with the job's OIDC token (AssumeRoleWithWebIdentity), as in GitLab.

usage: test_template_live.py   (needs FO_AUDIT_BIN and the moto venv: run through tests/aws/run-py.sh)"""
import json
import os
import urllib.request
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "aws"))
sys.path.insert(0, os.path.join(HERE, "..", "audit"))
sys.path.insert(0, os.path.join(HERE, ".."))
import fotest  # noqa: E402
from fotest import check  # noqa: E402
from test_live_aws import config, seed_cluster  # noqa: E402

P, S = "us-east-1", "us-east-2"
ROLE = "arn:aws:iam::%s:role/failover-audit-%%s" % fotest.ACCOUNT


def assumed(moto):
    """(role ARN, session name) of every AssumeRole* moto answered so far."""
    data = json.loads(urllib.request.urlopen(moto.endpoint + "/moto-api/data.json", timeout=30).read())
    return [(r["role_arn"], r["session_name"]) for r in data.get("sts", {}).get("AssumedRole", [])]


def job(work, project, inputs, expect):
    """run-template-job.sh "failover-audit check" in PROJECT with INPUTS; the job's log."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.startswith("FO_AUDIT_")}
    env.update({"HOME": work, "TMPDIR": work, "AWS_EC2_METADATA_DISABLED": "true", "FO_AUDIT_LOG": "debug",
                "FO_AUDIT_BIN": os.environ["FO_AUDIT_BIN"]})
    install = "export PATH=%s:$PATH" % os.path.dirname(os.path.abspath(os.environ["FO_AUDIT_BIN"]))
    args = ["bash", os.path.join(HERE, "run-template-job.sh"), "--expect-exit", str(expect),
            "--input", "install_command=" + install, "--input", "post_mr_note=false"]
    for k, v in inputs.items():
        args += ["--input", "%s=%s" % (k, v)]
    p = subprocess.run(args + ["failover-audit check", project], env=env, capture_output=True, text=True,
                       timeout=300)
    with open(os.path.join(os.path.dirname(project), "failover-audit check.log")) as f:
        log = f.read()
    check(p.returncode == 0, "run-template-job.sh exited %d\n%s\n%s" % (p.returncode, p.stderr[-3000:], log[-3000:]))
    check("fake-oidc-jwt" not in log, "an OIDC token reached the job log")
    with open(os.path.join(project, "failover-audit", "check.json")) as f:
        return json.load(f), log


def main():
    work = tempfile.mkdtemp(prefix="fo-template-live-")
    try:
        with fotest.Moto() as moto:
            seed_cluster(moto, P, "app")
            seed_cluster(moto, S, "app", version="1.30")  # one planted drift, read live from the secondary
            project = os.path.join(work, "builds", "project")
            os.makedirs(project)
            with open(os.path.join(project, ".failover-audit.yml"), "w") as f:
                f.write(config(moto.endpoint, {"eks_cluster": "app"}, {"eks_cluster": "app"}))
            git = ["git", "-C", project, "-c", "user.name=t", "-c", "user.email=t@example.com"]
            subprocess.run(git + ["init", "-q", "-b", "main"], check=True)
            for msg in ("base", "head"):
                subprocess.run(git + ["commit", "-q", "--allow-empty", "-m", msg], check=True)
            # a role per side: both read, the secondary's drift found, each side with its own role and session
            rep, log = job(work, project, {"primary_role_arn": ROLE % "use1", "secondary_role_arn": ROLE % "use2"}, 1)
            states = sorted((s["name"], s["side"], s["state"]) for s in rep["sources"])
            check(states == [("eks", "primary", "ok"), ("eks", "secondary", "ok")], "sources: %s" % states)
            paths = [f["full_path"] for f in rep["findings"] if f["classification"] == "unexpected"]
            check(any("version" in p for p in paths), "the secondary's version drift not found: %s" % paths)
            roles = sorted(set((r, s.rsplit("-", 1)[0]) for r, s in assumed(moto)))
            check(roles == [(ROLE % "use1", "failover-audit-primary"), (ROLE % "use2", "failover-audit-secondary")],
                  "roles assumed: %s" % roles)
            before = len(assumed(moto))
            # the primary's role alone serves both sides (the standard AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE)
            rep, _ = job(work, project, {"primary_role_arn": ROLE % "use1"}, 1)
            states = sorted((s["name"], s["side"], s["state"]) for s in rep["sources"])
            check(states == [("eks", "primary", "ok"), ("eks", "secondary", "ok")], "one role: %s" % states)
            roles = sorted(set(r for r, _ in assumed(moto)[before:]))
            check(roles == [ROLE % "use1"], "roles assumed with one role: %s" % roles)
            # no role and no keys: nothing can be read, the gate fails closed
            rep, _ = job(work, project, {}, 3)
            check(all(s["state"] != "ok" for s in rep["sources"]), "read without credentials: %s" % rep["sources"])
    except fotest.TestFailure as e:
        print("FAIL [audit.gitlab.template.live]: %s" % e, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("ok audit.gitlab.template.live")
    return 0


if __name__ == "__main__":
    sys.exit(main())
