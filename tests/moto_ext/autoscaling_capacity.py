"""autoscaling_capacity: Auto Scaling instances that take time to come up, and regions that do not answer.

moto 5.2 has DescribeAutoScalingGroups, UpdateAutoScalingGroup, CreateOrUpdateTags and DescribeTags, but
every instance it launches is "InService" at once, so a wait for capacity is never exercised. This layer
rewrites DescribeAutoScalingGroups answers for groups a test scripted:
  - an instance first seen at poll p is reported "Pending" until `polls` further polls of its group
    (a poll = one DescribeAutoScalingGroups answer that lists the group);
  - at most `max_in_service` instances of the group are ever reported InService (-1: no limit), so
    "never reaches capacity" is scriptable.
moto's own state is untouched (moto sizes groups by its InService instances).

A region can be made unreachable: every Auto Scaling request signed for it gets 503 ServiceUnavailable.

Control endpoints (JSON bodies; see moto_ext/control.py for a client):
  POST /_fo/autoscaling/group        {"region", "name", "polls": N, "max_in_service": -1}
  POST /_fo/autoscaling/unreachable  {"region", "unreachable": true|false}
  POST /_fo/autoscaling/reset        {}
  GET  /_fo/autoscaling/state        the scripts and poll counters
"""
import io
import json
import re
import threading
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs

from werkzeug.wrappers import Request, Response
from moto_ext.layer import call_inner, json_response, request_region, respond  # noqa: E402

NS = "{http://autoscaling.amazonaws.com/doc/2011-01-01/}"
CONTROL = "/_fo/autoscaling/"


class CapacityLayer:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.groups = {}  # (region, name) -> {"polls", "max_in_service", "poll", "seen": {id: poll}}
        self.unreachable = set()

    def _control(self, req):
        op = req.path[len(CONTROL):]
        body = json.loads(req.get_data() or b"{}") if req.method == "POST" else {}
        with self.lock:
            if op == "group":
                key = (body["region"], body["name"])
                g = self.groups.setdefault(key, {"poll": 0, "seen": {}})
                g["polls"] = int(body.get("polls", 0))
                g["max_in_service"] = int(body.get("max_in_service", -1))
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
                return json_response({"groups": {f"{r}/{n}": g for (r, n), g in self.groups.items()},
                                      "unreachable": sorted(self.unreachable)})
        return json_response({"error": f"unknown control operation {op!r}"}, 404)

    def _pending_ids(self, region, xml):
        """Instance ids to report as Pending in this answer (counts one poll per scripted group listed)."""
        pending = set()
        try:
            root = ET.fromstring(xml)
        except ET.ParseError:
            return pending
        for grp in root.iter(NS + "AutoScalingGroups"):
            for member in grp.findall(NS + "member"):
                name = member.findtext(NS + "AutoScalingGroupName")
                g = self.groups.get((region, name))
                if g is None:
                    continue
                g["poll"] += 1
                ids = [m.findtext(NS + "InstanceId") for m in member.iter(NS + "member")
                       if m.find(NS + "InstanceId") is not None]
                for i in ids:
                    g["seen"].setdefault(i, g["poll"])
                in_service = 0
                for i in ids:
                    ready = g["poll"] - g["seen"][i] >= g["polls"]
                    if ready and (g["max_in_service"] < 0 or in_service < g["max_in_service"]):
                        in_service += 1
                    else:
                        pending.add(i)
        return pending

    def __call__(self, environ, start_response):
        req = Request(environ)
        if req.path.startswith(CONTROL):
            return self._control(req)(environ, start_response)
        if "/autoscaling/aws4_request" not in req.headers.get("Authorization", ""):
            return self.app(environ, start_response)
        region = request_region(req, "autoscaling")
        with self.lock:
            down = region in self.unreachable
        if down:
            return Response("<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>region " + region +
                            " is unreachable (test layer)</Message></Error></ErrorResponse>", status=503,
                            content_type="text/xml")(environ, start_response)
        body = req.get_data(cache=True)
        environ["wsgi.input"] = io.BytesIO(body)
        action = parse_qs(body.decode("utf-8", "replace")).get("Action", [""])[0]
        if action != "DescribeAutoScalingGroups":
            return self.app(environ, start_response)
        status, headers, xml = call_inner(self.app, environ)
        if status.startswith("200"):
            with self.lock:
                pending = self._pending_ids(region, xml)
            text = xml.decode("utf-8")
            for i in pending:
                text = re.sub(r"(<InstanceId>%s</InstanceId>(?:(?!</member>).)*?<LifecycleState>)InService(</LifecycleState>)"
                              % re.escape(i), r"\1Pending\2", text, flags=re.S)
            xml = text.encode("utf-8")
        return respond(start_response, status, headers, xml)


def wrap(app):
    return CapacityLayer(app)
