"""quiesce: Lambda and SQS regions that do not answer, and SQS messages in flight that drain after N polls.

moto 5.2 already has what failover_quiesce calls: Lambda ListEventSourceMappings / UpdateEventSourceMapping
(Enabled -> "State": "Enabled"/"Disabled") and Auto Scaling SuspendProcesses / ResumeProcesses (shown as the
group's SuspendedProcesses). What it lacks, added here:
  - a region can be made unreachable for Lambda and SQS (every request signed for it gets 503
    ServiceUnavailable), as autoscaling_capacity.py does for Auto Scaling;
  - a queue can report messages in flight: GetQueueAttributes answers (query protocol, as the provider
    calls it) for a scripted queue say ApproximateNumberOfMessagesNotVisible = `count` for `polls` polls,
    then 0 (a poll = one GetQueueAttributes of that queue). moto's own queue is untouched.

Control endpoints (JSON bodies; see moto_ext/control.py for a client):
  POST /_fo/quiesce/unreachable  {"region", "unreachable": true|false}
  POST /_fo/quiesce/inflight     {"region", "queue": NAME, "count": N, "polls": P}   (polls -1: never drains)
  POST /_fo/quiesce/reset        {}
  GET  /_fo/quiesce/state        the scripts, poll counters and unreachable regions
"""
import io
import json
import re
import threading
from urllib.parse import parse_qs

from werkzeug.wrappers import Request, Response
from moto_ext.layer import call_inner, json_response, request_service_region, respond  # noqa: E402

CONTROL = "/_fo/quiesce/"
SERVICES = ("lambda", "sqs")


class QuiesceLayer:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.unreachable = set()
        self.inflight = {}  # (region, queue name) -> {"count", "polls", "poll"}

    def _control(self, req):
        op = req.path[len(CONTROL):]
        body = json.loads(req.get_data() or b"{}") if req.method == "POST" else {}
        with self.lock:
            if op == "unreachable":
                if body.get("unreachable", True):
                    self.unreachable.add(body["region"])
                else:
                    self.unreachable.discard(body["region"])
                return json_response({"ok": True})
            if op == "inflight":
                self.inflight[(body["region"], body["queue"])] = {"count": int(body.get("count", 1)),
                                                                  "polls": int(body.get("polls", 0)), "poll": 0}
                return json_response({"ok": True})
            if op == "reset":
                self.reset()
                return json_response({"ok": True})
            if op == "state":
                return json_response({"unreachable": sorted(self.unreachable),
                                      "inflight": {f"{r}/{q}": s for (r, q), s in self.inflight.items()}})
        return json_response({"error": f"unknown control operation {op!r}"}, 404)

    def _in_flight(self, region, body):
        """The scripted NotVisible count for this GetQueueAttributes (counts the poll), or None."""
        url = parse_qs(body).get("QueueUrl", [""])[0]
        s = self.inflight.get((region, url.rstrip("/").rsplit("/", 1)[-1]))
        if s is None:
            return None
        s["poll"] += 1
        return s["count"] if s["polls"] < 0 or s["poll"] <= s["polls"] else 0

    def __call__(self, environ, start_response):
        req = Request(environ)
        if req.path.startswith(CONTROL):
            return self._control(req)(environ, start_response)
        service, region = request_service_region(req)
        if service not in SERVICES:
            return self.app(environ, start_response)
        with self.lock:
            down = region in self.unreachable
        if down:
            return Response("<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>region " + region +
                            " is unreachable (test layer)</Message></Error></ErrorResponse>", status=503,
                            content_type="text/xml")(environ, start_response)
        if service != "sqs" or req.headers.get("X-Amz-Target"):
            return self.app(environ, start_response)
        body = req.get_data(cache=True)
        environ["wsgi.input"] = io.BytesIO(body)
        text = body.decode("utf-8", "replace")
        if parse_qs(text).get("Action", [""])[0] != "GetQueueAttributes":
            return self.app(environ, start_response)
        with self.lock:
            count = self._in_flight(region, text)
        status, headers, xml = call_inner(self.app, environ)
        if count is not None and status.startswith("200"):
            xml = re.sub(rb"(<Name>ApproximateNumberOfMessagesNotVisible</Name>\s*<Value>)\d+(</Value>)",
                         rb"\g<1>" + str(count).encode() + rb"\g<2>", xml)
        return respond(start_response, status, headers, xml)


def wrap(app):
    return QuiesceLayer(app)
