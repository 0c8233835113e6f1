"""control: a small client for the test layers' control endpoints (/_fo/eks/..., /_fo/autoscaling/...).

Library:  Control("http://127.0.0.1:PORT").asg_capacity("us-east-2", "queue", polls=3)
Command:  python3 tests/moto_ext/control.py ENDPOINT OP [key=value ...]
  OP: eks-nodegroup region= cluster= nodegroup= [update_polls=N] [asg=NAME]
      asg-capacity  region= name= [polls=N] [max_in_service=K]
      unreachable   region= [unreachable=true|false]   (EKS, Auto Scaling, Lambda and SQS)
      inflight      region= queue=NAME count=N polls=P  (quiesce.py: SQS messages in flight)
      backup-point  region= vault= resource_arn= [age_hours=H] [status=S] [copy_region= copy_vault=]
      backup-fail-selection [count=N] [code=C]   (backup_plans.py)   backup-plans-state
      restore-config [polls=N] [fail=MESSAGE]       restore-job id= [polls=N] [fail=MESSAGE]
      reset | state
Standard library only (the seeding helper and the e2e tests use it with any Python 3).
"""
import json
import sys
import urllib.request


class Control:
    def __init__(self, endpoint):
        self.endpoint = endpoint.rstrip("/")

    def _call(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.endpoint + path, data=data, method="POST" if data is not None else "GET",
                                     headers={"Content-Type": "application/json"})
        # Never through a proxy: the endpoint is a loopback moto.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(req, timeout=30) as resp:
            return json.loads(resp.read() or b"{}")

    def eks_nodegroup(self, region, cluster, nodegroup, update_polls=None, asg=None):
        body = {"region": region, "cluster": cluster, "nodegroup": nodegroup}
        if update_polls is not None:
            body["update_polls"] = int(update_polls)
        if asg:
            body["asg"] = asg
        return self._call("/_fo/eks/nodegroup", body)

    def asg_capacity(self, region, name, polls=0, max_in_service=-1):
        return self._call("/_fo/autoscaling/group", {"region": region, "name": name, "polls": int(polls),
                                                      "max_in_service": int(max_in_service)})

    def backup_point(self, region, vault, resource_arn, age_hours=1, status="COMPLETED", copy_to=None,
                     resource_type="RDS", metadata=None):
        """Plant a recovery point (and its copy when copy_to={"region", "vault"}): backup_points.py."""
        body = {"region": region, "vault": vault, "resource_arn": resource_arn, "age_hours": float(age_hours),
                "status": status, "resource_type": resource_type}
        if copy_to:
            body["copy_to"] = copy_to
        if metadata:
            body["metadata"] = metadata
        return self._call("/_fo/backup/recovery_point", body)

    def backup_fail_selection(self, count=1, code="InvalidParameterValueException"):
        """The next `count` CreateBackupSelection calls fail (backup_plans.py)."""
        return self._call("/_fo/backup_plans/fail_selection", {"count": int(count), "code": code})

    def backup_plans_state(self):
        """{"calls": [...in order...], "selections": {...}} (backup_plans.py)."""
        return self._call("/_fo/backup_plans/state")
    def restore_config(self, polls=2, fail=None):
        """Restore jobs started from now on take `polls` polls, then fail with `fail` (backup_restore.py)."""
        return self._call("/_fo/backup_restore/config", {"polls": int(polls), "fail": fail})

    def restore_job(self, id, polls=None, fail=None):
        body = {"id": id}
        if polls is not None:
            body["polls"] = int(polls)
        if fail is not None:
            body["fail"] = fail or None
        return self._call("/_fo/backup_restore/job", body)

    def unreachable(self, region, unreachable=True):
        body = {"region": region, "unreachable": bool(unreachable)}
        self._call("/_fo/eks/unreachable", body)
        self._call("/_fo/quiesce/unreachable", body)
        return self._call("/_fo/autoscaling/unreachable", body)

    def inflight(self, region, queue, count=1, polls=0):
        """GetQueueAttributes of `queue` reports `count` messages in flight for `polls` polls, then 0 (quiesce.py)."""
        return self._call("/_fo/quiesce/inflight", {"region": region, "queue": queue, "count": int(count),
                                                    "polls": int(polls)})

    def reset(self):
        self._call("/_fo/eks/reset", {})
        self._call("/_fo/quiesce/reset", {})
        self._call("/_fo/backup/reset", {})
        self._call("/_fo/backup_plans/reset", {})
        self._call("/_fo/backup_restore/reset", {})
        return self._call("/_fo/autoscaling/reset", {})

    def state(self):
        return {"eks": self._call("/_fo/eks/state"), "autoscaling": self._call("/_fo/autoscaling/state"),
                "backup": self._call("/_fo/backup/state"), "restore": self._call("/_fo/backup_restore/state")}


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    ctl, op = Control(argv[1]), argv[2]
    kw = dict(a.split("=", 1) for a in argv[3:])
    if "unreachable" in kw:
        kw["unreachable"] = kw["unreachable"].lower() in ("1", "true", "yes")
    if op == "backup-point" and "copy_region" in kw:
        kw["copy_to"] = {"region": kw.pop("copy_region"), "vault": kw.pop("copy_vault")}
    fn = {"backup-point": ctl.backup_point, "backup-fail-selection": ctl.backup_fail_selection,
          "backup-plans-state": ctl.backup_plans_state, "restore-config": ctl.restore_config,
          "restore-job": ctl.restore_job, "eks-nodegroup": ctl.eks_nodegroup, "asg-capacity": ctl.asg_capacity, "unreachable": ctl.unreachable,
          "inflight": ctl.inflight,
          "reset": ctl.reset, "state": ctl.state}.get(op)
    if fn is None:
        print(f"control.py: unknown operation {op!r}", file=sys.stderr)
        return 2
    print(json.dumps(fn(**kw)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
