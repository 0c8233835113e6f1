"""eks_nodegroups: EKS node group updates that take time, their backing Auto Scaling group, unreachable regions.

moto 5.2 has UpdateNodegroupConfig but applies it at once and answers "Successful"; it lacks DescribeUpdate
(GET /clusters/<c>/updates/<id>?nodegroupName=<ng>) entirely, and the Auto Scaling group a node group
names in `resources.autoScalingGroups` does not exist in moto's Auto Scaling backend. This layer:
  - records every UpdateNodegroupConfig answer as an update that stays "InProgress" for `update_polls`
    polls (DescribeUpdate of it or DescribeNodegroup of its node group; scripted per node group, default 0)
    and then is "Successful"; while it is in
    progress DescribeNodegroup reports the node group "UPDATING", afterwards moto's own "ACTIVE";
  - answers DescribeUpdate for node group updates (ResourceNotFoundException for unknown ids);
  - binds a node group to an Auto Scaling group the test created (`asg`): DescribeNodegroup then names it
    in `resources.autoScalingGroups`, and each UpdateNodegroupConfig with a scalingConfig also sets that
    group's MinSize/MaxSize/DesiredCapacity, as EKS does (so autoscaling_capacity.py scripts how fast the
    nodes come up, and node-template tags have a group to live on);
  - makes a region unreachable: every EKS request signed for it gets 503 ServiceUnavailableException.

Control endpoints (JSON bodies; see moto_ext/control.py for a client):
  POST /_fo/eks/nodegroup    {"region", "cluster", "nodegroup", "update_polls": N, "asg": "<group name>"}
  POST /_fo/eks/unreachable  {"region", "unreachable": true|false}
  POST /_fo/eks/reset        {}
  GET  /_fo/eks/state        the scripts and recorded updates
"""
import io
import json
import re
import threading
from urllib.parse import urlencode

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response
from moto_ext.layer import call_inner, json_response, request_region, respond  # noqa: E402

CONTROL = "/_fo/eks/"
NODEGROUP = re.compile(r"^/clusters/([^/]+)/node-groups/([^/]+)$")
UPDATE_CONFIG = re.compile(r"^/clusters/([^/]+)/node-groups/([^/]+)/update-config$")
DESCRIBE_UPDATE = re.compile(r"^/clusters/([^/]+)/updates/([^/]+)$")


class NodegroupLayer:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.scripts = {}  # (region, cluster, nodegroup) -> {"update_polls", "asg"}
        self.updates = {}  # (region, cluster, update id) -> update dict + "nodegroup", "polls_left"
        self.unreachable = set()

    @staticmethod
    def _nodegroup_obj(region, cluster, nodegroup):
        from moto.eks.models import eks_backends
        for account in list(eks_backends.keys()):
            try:
                return eks_backends[account][region].clusters[cluster].nodegroups[nodegroup]
            except KeyError:
                pass
        return None

    def _control(self, req):
        op = req.path[len(CONTROL):]
        body = json.loads(req.get_data() or b"{}") if req.method == "POST" else {}
        with self.lock:
            if op == "nodegroup":
                key = (body["region"], body["cluster"], body["nodegroup"])
                s = self.scripts.setdefault(key, {"update_polls": 0, "asg": None})
                if "update_polls" in body:
                    s["update_polls"] = int(body["update_polls"])
                if body.get("asg"):
                    ng = self._nodegroup_obj(*key)
                    if ng is None:
                        return json_response({"error": "no such node group in moto"}, 404)
                    s["asg"] = body["asg"]
                    ng.resources["autoScalingGroups"] = [{"name": body["asg"]}]
                return json_response({"ok": True})
            if op == "unreachable":
                if body.get("unreachable", True):
                    self.unreachable.add(body["region"])
                else:
                    self.unreachable.discard(body["region"])
                return json_response({"ok": True})
            if op == "reset":
                self.reset()
                return json_response({"ok": True})
            if op == "state":
                return json_response({"scripts": {"/".join(k): v for k, v in self.scripts.items()},
                                      "updates": {"/".join(k): v for k, v in self.updates.items()},
                                      "unreachable": sorted(self.unreachable)})
        return json_response({"error": f"unknown control operation {op!r}"}, 404)

    def _in_progress(self, region, cluster, nodegroup):
        return any(u["polls_left"] > 0 for (r, c, _), u in self.updates.items()
                   if r == region and c == cluster and u["nodegroup"] == nodegroup)

    def _tick(self, region, cluster, nodegroup):
        """A DescribeNodegroup poll also moves the node group's updates on (EKS finishes them in time, whether
        or not anyone calls DescribeUpdate)."""
        for (r, c, _), u in self.updates.items():
            if r == region and c == cluster and u["nodegroup"] == nodegroup and u["polls_left"] > 0:
                u["polls_left"] -= 1
                if u["polls_left"] == 0:
                    u["status"] = "Successful"

    def _scale_backing_asg(self, environ, region, asg, scaling):
        """UpdateAutoScalingGroup through moto itself, as EKS does for a node group's group."""
        params = {"Action": "UpdateAutoScalingGroup", "Version": "2011-01-01", "AutoScalingGroupName": asg}
        for src, dst in (("minSize", "MinSize"), ("maxSize", "MaxSize"), ("desiredSize", "DesiredCapacity")):
            if src in scaling:
                params[dst] = str(scaling[src])
        b = EnvironBuilder(path="/", method="POST", data=urlencode(params),
                           content_type="application/x-www-form-urlencoded",
                           headers={"Host": environ.get("HTTP_HOST", "127.0.0.1"),
                                    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDFOEKS/20260101/%s/autoscaling/"
                                                     "aws4_request, SignedHeaders=host, Signature=0" % region})
        call_inner(self.app, b.get_environ())

    def __call__(self, environ, start_response):
        req = Request(environ)
        if req.path.startswith(CONTROL):
            return self._control(req)(environ, start_response)
        if "/eks/aws4_request" not in req.headers.get("Authorization", ""):
            return self.app(environ, start_response)
        region = request_region(req, "eks")
        with self.lock:
            down = region in self.unreachable
        if down:
            return json_response({"message": f"region {region} is unreachable (test layer)"}, 503,
                                 "ServiceUnavailableException")(environ, start_response)
        path = req.path
        m = DESCRIBE_UPDATE.match(path)
        if m and req.method == "GET":
            return self._describe_update(region, m.group(1), m.group(2), req)(environ, start_response)
        m = UPDATE_CONFIG.match(path)
        if m and req.method == "POST":
            return self._update_config(environ, req, region, m.group(1), m.group(2))(environ, start_response)
        m = NODEGROUP.match(path)
        if m and req.method == "GET":
            status, headers, body = call_inner(self.app, environ)
            if status.startswith("200"):
                with self.lock:
                    busy = self._in_progress(region, m.group(1), m.group(2))
                    self._tick(region, m.group(1), m.group(2))
                if busy:
                    doc = json.loads(body)
                    doc["nodegroup"]["status"] = "UPDATING"
                    body = json.dumps(doc).encode()
            return respond(start_response, status, headers, body)
        return self.app(environ, start_response)

    def _update_config(self, environ, req, region, cluster, nodegroup):
        data = req.get_data(cache=True)
        environ["wsgi.input"] = io.BytesIO(data)
        status, headers, body = call_inner(self.app, environ)
        if not status.startswith("200"):
            return Response(body, status=status, headers=headers)
        doc = json.loads(body)
        update = doc["update"]
        with self.lock:
            script = self.scripts.get((region, cluster, nodegroup), {"update_polls": 0, "asg": None})
            polls = script["update_polls"]
            update["status"] = "InProgress" if polls > 0 else "Successful"
            self.updates[(region, cluster, update["id"])] = dict(update, nodegroup=nodegroup, polls_left=polls)
            asg = script["asg"]
        scaling = json.loads(data or b"{}").get("scalingConfig")
        if asg and scaling:
            self._scale_backing_asg(environ, region, asg, scaling)
        return json_response({"update": update})

    def _describe_update(self, region, cluster, update_id, req):
        nodegroup = req.args.get("nodegroupName")
        with self.lock:
            u = self.updates.get((region, cluster, update_id))
            if u is None or (nodegroup and u["nodegroup"] != nodegroup):
                return json_response({"message": f"No update found for ID: {update_id}"}, 404,
                                     "ResourceNotFoundException")
            if u["polls_left"] > 0:
                u["polls_left"] -= 1
                status = "InProgress"
            else:
                status = "Successful"
            out = {k: v for k, v in u.items() if k not in ("nodegroup", "polls_left")}
            out["status"] = status
            if u["polls_left"] == 0:
                u["status"] = "Successful"
        return json_response({"update": out})


def wrap(app):
    return NodegroupLayer(app)
