"""route53: Route53 as failover_weight_pair sees it, on top of moto 5.2's store.

What moto 5.2 lacks or gets wrong, and what this layer does instead:

- GetChange always answers INSYNC. Here a change stays PENDING for N polls of
  GetChange before it turns INSYNC (N = the "pending polls" setting when the
  change was made, default 0); ChangeResourceRecordSets answers PENDING when
  N > 0. Tests can also release or hold changes that already exist.
- GetHealthCheckStatus always answers one "Success" observation. Here a test
  sets the status per health check id ("healthy" / "unhealthy"); unset checks
  keep moto's answer.
- ChangeResourceRecordSets is not atomic and not strict in moto: a DELETE with
  a SetIdentifier deletes that identifier under every name of the zone; a
  CREATE of an existing record set is accepted (a duplicate); a DELETE is
  checked against moto's journal of earlier changes, not against the current
  record values; weighted and plain record sets of one name and type can be
  mixed; a batch that fails half way keeps its first changes. Here the whole
  batch is checked against the zone's current record sets first, as Route53
  does (InvalidChangeBatch, nothing applied: CREATE of an existing set, DELETE
  of a missing set or with values other than the current ones, a plain and a
  weighted set of one name/type, two changes to one set), then applied.
- Calls are counted per operation (ChangeResourceRecordSets, GetChange,
  GetHealthCheckStatus, ListResourceRecordSets) so a test can prove a batch was
  sent exactly once.

Everything else (zones, health checks, ListResourceRecordSets) is moto's.

Control endpoints (JSON bodies; tests/aws/r53ctl.py is a client):
  POST /_fo/route53/pending        {"polls": N, "existing": true|false}
        new changes stay PENDING for N GetChange polls; "existing": also set
        every known change's remaining polls to N (N = 0 releases them)
  POST /_fo/route53/health/<id>    {"status": "healthy" | "unhealthy" | null}
  GET  /_fo/route53/calls          {"ChangeResourceRecordSets": n, ...,
                                    "batches": [[{"Action", "Name", ...}], ...]}
  GET  /_fo/route53/changes        {"<change id>": {"remaining": n}, ...}
  POST /_fo/route53/reset          counters, settings and statuses back to defaults
"""
import datetime
import json
import random
import re
import string
import threading
import xml.etree.ElementTree as ET

from werkzeug.wrappers import Request, Response

NS = "https://route53.amazonaws.com/doc/2013-04-01/"
RRSET = re.compile(r"^/2013-04-01/hostedzone/([^/]+)/rrset/?$")
CHANGE = re.compile(r"^/2013-04-01/change/([^/]+)$")
HC_STATUS = re.compile(r"^/2013-04-01/healthcheck/([^/]+)/status$")
CTL = "/_fo/route53/"


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _xml(body):
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + body, status=200,
                    headers={"Content-Type": "text/xml"})


def _error(status, code, message):
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type>'
            f"<Code>{code}</Code><Message>{_esc(message)}</Message></Error><RequestId>fo-r53</RequestId>"
            "</ErrorResponse>")
    return Response(body, status=status, headers={"Content-Type": "text/xml"})


def _esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _norm(name):
    name = name.lower()
    return name if name.endswith(".") else name + "."


def _child(el, tag):
    return el.find("{%s}%s" % (NS, tag)) if el is not None else None


def _text(el, tag):
    c = _child(el, tag)
    return c.text if c is not None else None


def _parse_rrset(el):
    """A ResourceRecordSet element -> the dict moto's RecordSet takes."""
    rr = {"Name": _norm(_text(el, "Name") or ""), "Type": _text(el, "Type")}
    for tag in ("SetIdentifier", "HealthCheckId"):
        v = _text(el, tag)
        if v is not None:
            rr[tag] = v
    for tag in ("TTL", "Weight"):
        v = _text(el, tag)
        if v is not None:
            rr[tag] = v  # moto keeps numbers as strings from XML too
    recs = _child(el, "ResourceRecords")
    if recs is not None:
        rr["ResourceRecords"] = [_text(r, "Value") for r in recs]
    alias = _child(el, "AliasTarget")
    if alias is not None:
        rr["AliasTarget"] = {"HostedZoneId": _text(alias, "HostedZoneId"),
                             "DNSName": _text(alias, "DNSName"),
                             "EvaluateTargetHealth": (_text(alias, "EvaluateTargetHealth") or "false").lower() == "true"}
    return rr


def _key(rr):
    return (_norm(rr["Name"]), rr["Type"], rr.get("SetIdentifier"))


def _obj_key(o):
    return (_norm(o.name), o.type, o.set_identifier)


def _same_values(o, rr):
    """Route53 deletes a set only when every value matches the current one."""
    def s(v):
        return None if v is None else str(v)
    if s(o.ttl) != s(rr.get("TTL")) or s(o.weight) != s(rr.get("Weight")):
        return False
    if (o.health_check_id or None) != rr.get("HealthCheckId"):
        return False
    if list(o.records or []) != list(rr.get("ResourceRecords") or []):
        return False
    a, b = o.alias_target, rr.get("AliasTarget")
    if bool(a) != bool(b):
        return False
    if a and (_norm(a.get("DNSName", "")) != _norm(b["DNSName"]) or a.get("HostedZoneId") != b["HostedZoneId"]
              or str(a.get("EvaluateTargetHealth")).lower() != str(b["EvaluateTargetHealth"]).lower()):
        return False
    return True


class Route53Layer:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        # One batch at a time, check and apply, as Route53 does: the server is threaded and
        # two batches rewriting zone.rrsets at once lose one's changes (a deleted record comes back).
        self.batch_lock = threading.Lock()
        self._reset()

    def _reset(self):
        self.pending_polls = 0
        self.changes = {}  # change id -> remaining PENDING polls
        self.health = {}  # health check id -> "healthy" / "unhealthy"
        self.calls = {}
        self.batches = []

    def _count(self, op):
        self.calls[op] = self.calls.get(op, 0) + 1

    # ---- control -----------------------------------------------------------
    def _control(self, req):
        what = req.path[len(CTL):]
        body = req.get_json(silent=True) or {}
        with self.lock:
            if what == "pending" and req.method == "POST":
                n = int(body.get("polls", 0))
                self.pending_polls = n
                if body.get("existing"):
                    for cid in self.changes:
                        self.changes[cid] = n
                return self._json({"polls": n})
            if what.startswith("health/") and req.method == "POST":
                hid = what[len("health/"):]
                status = body.get("status")
                if status is None:
                    self.health.pop(hid, None)
                elif status in ("healthy", "unhealthy"):
                    self.health[hid] = status
                else:
                    return Response("status must be healthy, unhealthy or null", status=400)
                return self._json({"id": hid, "status": status})
            if what == "calls":
                return self._json(dict(self.calls, batches=self.batches))
            if what == "changes":
                return self._json({cid: {"remaining": n} for cid, n in self.changes.items()})
            if what == "reset" and req.method == "POST":
                self._reset()
                return self._json({})
        return Response("unknown control endpoint " + req.path, status=404)

    @staticmethod
    def _json(obj):
        return Response(json.dumps(obj), status=200, headers={"Content-Type": "application/json"})

    # ---- Route53 -------------------------------------------------------------
    @staticmethod
    def _zone(zone_id):
        from moto.route53.models import route53_backends
        for account in list(route53_backends.keys()):
            for partition in ("aws",):
                try:
                    return route53_backends[account][partition].get_hosted_zone(zone_id)
                except Exception:
                    pass
        return None

    def _change_batch(self, zone_id, req):
        zone = self._zone(zone_id)
        if zone is None:
            return _error(404, "NoSuchHostedZone", f"No hosted zone found with ID: {zone_id}")
        try:
            root = ET.fromstring(req.get_data())
        except ET.ParseError as e:
            return _error(400, "InvalidInput", f"malformed XML: {e}")
        changes = []
        for ch in root.iter("{%s}Change" % NS):
            action = _text(ch, "Action")
            rr = _parse_rrset(_child(ch, "ResourceRecordSet"))
            changes.append((action, rr))
        if not changes:
            return _error(400, "InvalidInput", "ChangeBatch has no changes")
        zone_name = _norm(zone.name)
        # Check the whole batch against the zone as it will be after each change.
        current = {_obj_key(o): o for o in zone.rrsets}
        seen = set()
        errors = []
        for action, rr in changes:
            k = _key(rr)
            label = f"[{rr['Name']}, {rr['Type']}" + (f", {rr['SetIdentifier']}]" if rr.get("SetIdentifier") else "]")
            if action not in ("CREATE", "DELETE", "UPSERT"):
                errors.append(f"Invalid action {action}")
                continue
            if not (rr["Name"] == zone_name or rr["Name"].endswith("." + zone_name)):
                errors.append(f"RRSet with DNS name {rr['Name']} is not permitted in zone {zone_name}")
                continue
            if k in seen:
                errors.append(f"The request contains more than one change for {label}")
                continue
            seen.add(k)
            if action == "CREATE" and k in current:
                errors.append(f"Tried to create resource record set {label} but it already exists")
            elif action == "DELETE":
                if k not in current:
                    errors.append(f"Tried to delete resource record set {label} but it was not found")
                elif not _same_values(current[k], rr):
                    errors.append(f"Tried to delete resource record set {label} but the values provided do not "
                                  "match the current values")
                else:
                    del current[k]
            if action in ("CREATE", "UPSERT"):
                current[k] = rr  # only the key and the weighted-ness matter below
        by_name = {}
        for (name, typ, ident) in current:
            by_name.setdefault((name, typ), set()).add(ident is not None)
        for (name, typ), kinds in by_name.items():
            if len(kinds) > 1:
                errors.append(f"RRSet of type {typ} with DNS name {name} mixes weighted and plain record sets")
        if errors:
            return _error(400, "InvalidChangeBatch", "[" + ", ".join(errors) + "]")

        from moto.route53.models import RecordSet
        for action, rr in changes:
            k = _key(rr)
            zone.rrsets = [o for o in zone.rrsets if _obj_key(o) != k]
            if action in ("CREATE", "UPSERT"):
                zone.rrsets.append(RecordSet(dict(rr)))
        change_id = "C" + "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(13))
        with self.lock:
            self.changes[change_id] = self.pending_polls
            self.batches.append([dict(rr, Action=a) for a, rr in changes])
            status = "PENDING" if self.pending_polls > 0 else "INSYNC"
        return _xml(f'<ChangeResourceRecordSetsResponse xmlns="{NS}"><ChangeInfo><Id>/change/{change_id}</Id>'
                    f"<Status>{status}</Status><SubmittedAt>{_now()}</SubmittedAt></ChangeInfo>"
                    "</ChangeResourceRecordSetsResponse>")

    def _get_change(self, change_id):
        with self.lock:
            remaining = self.changes.get(change_id)
            if remaining is None:
                return _error(404, "NoSuchChange", f"A change with the specified change ID does not exist: {change_id}")
            if remaining > 0:
                self.changes[change_id] = remaining - 1
            status = "PENDING" if remaining > 0 else "INSYNC"
        return _xml(f'<GetChangeResponse xmlns="{NS}"><ChangeInfo><Id>/change/{change_id}</Id><Status>{status}'
                    f"</Status><SubmittedAt>{_now()}</SubmittedAt></ChangeInfo></GetChangeResponse>")

    def _health_status(self, hid, status):
        if status == "healthy":
            report = "Success: HTTP Status Code 200, OK"
        else:
            report = "Failure: HTTP Status Code 503, Service Unavailable"
        obs = "".join(
            f"<HealthCheckObservation><Region>{r}</Region><IPAddress>{ip}</IPAddress><StatusReport><Status>{report}"
            f"</Status><CheckedTime>{_now()}</CheckedTime></StatusReport></HealthCheckObservation>"
            for r, ip in (("us-east-1", "15.177.2.1"), ("us-west-2", "15.177.10.1"), ("eu-west-1", "15.177.62.1")))
        return _xml(f'<GetHealthCheckStatusResponse xmlns="{NS}"><HealthCheckObservations>{obs}'
                    "</HealthCheckObservations></GetHealthCheckStatusResponse>")

    def __call__(self, environ, start_response):
        req = Request(environ)
        path = req.path
        if path.startswith(CTL):
            return self._control(req)(environ, start_response)
        m = RRSET.match(path)
        if m and req.method == "POST":
            with self.lock:
                self._count("ChangeResourceRecordSets")
            with self.batch_lock:
                resp = self._change_batch(m.group(1), req)
            return resp(environ, start_response)
        if m and req.method == "GET":
            with self.lock:
                self._count("ListResourceRecordSets")
            return self.app(environ, start_response)
        m = CHANGE.match(path)
        if m and req.method == "GET":
            with self.lock:
                self._count("GetChange")
            return self._get_change(m.group(1))(environ, start_response)
        m = HC_STATUS.match(path)
        if m and req.method == "GET":
            with self.lock:
                self._count("GetHealthCheckStatus")
                status = self.health.get(m.group(1))
            if status:
                return self._health_status(m.group(1), status)(environ, start_response)
        return self.app(environ, start_response)


def wrap(app):
    return Route53Layer(app)
