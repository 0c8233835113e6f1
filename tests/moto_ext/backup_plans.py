"""backup_plans: AWS Backup plan updates and backup selections for moto (what moto 5.2.5 lacks or breaks).

moto 5.2's Backup backend routes every /backup/plans/<...> path to its plan handlers. Checked against it:
  UpdateBackupPlan        POST   /backup/plans/<id>                     missing (500): answered here, new VersionId
                                                                        each time, rules get RuleIds and defaults
  CreateBackupSelection   PUT    /backup/plans/<id>/selections/         missing (500): answered here
  GetBackupSelection      GET    /backup/plans/<id>/selections/<sid>    missing (500): answered here
  DeleteBackupSelection   DELETE /backup/plans/<id>/selections/<sid>    missing (500): answered here
  ListBackupSelections    GET    /backup/plans/<id>/selections/         missing (500): answered here
  DeleteBackupPlan        DELETE /backup/plans/<id>                     moto deletes a plan that still has selections;
                                                                        AWS refuses (InvalidRequestException): so here
  CreateBackupPlan        PUT    /backup/plans/                         moto refuses the name of a plan deleted
                                                                        before (it keeps deleted plans): such plans
                                                                        are forgotten first, then moto answers
  GetBackupPlan           GET    /backup/plans/<id>/                    moto's: it returns each rule's and copy
                                                                        action's Lifecycle as sent (checked by
                                                                        aws.moto_ext.backup_plans); deleted plans come
                                                                        back with DeletionDate, as AWS does
DescribeBackupVault stays moto's (it returns EncryptionKeyArn when the vault was created with one).

Control endpoints (JSON bodies):
  POST /_fo/backup_plans/fail_selection {[count=1], [code=InvalidParameterValueException], [status=400]}
       the next `count` CreateBackupSelection calls fail with that error (nothing is created)
  POST /_fo/backup_plans/reset {}   forget selections, the call log and pending failures
  GET  /_fo/backup_plans/state      {"calls": [{"op", "plan", "selection"}...] in order, "selections": {...}}
"""
import io
import json
import re
import threading
import time
import uuid

from werkzeug.wrappers import Request

from moto_ext.backup_points import error, is_backup, raw_path, region_of
from moto_ext.layer import json_response  # noqa: E402

PLANS = re.compile(r"^/backup/plans/?$")
PLAN = re.compile(r"^/backup/plans/([^/]+)/?$")
SELECTIONS = re.compile(r"^/backup/plans/([^/]+)/selections/?$")
SELECTION = re.compile(r"^/backup/plans/([^/]+)/selections/([^/]+)/?$")

LOCK = threading.Lock()
SELECTION_STORE = {}  # plan id -> {selection id -> selection}
CALLS = []
FAIL = {"count": 0, "code": "InvalidParameterValueException", "status": 400}


def find_plan(plan_id):
    """moto's Plan object of that id in any account and region, or None."""
    from moto.backup.models import backup_backends
    for account in list(backup_backends.keys()):
        for region in list(backup_backends[account].keys()):
            plan = backup_backends[account][region].plans.get(plan_id)
            if plan is not None:
                return plan
    return None


def live_plan(plan_id):
    plan = find_plan(plan_id)
    return plan if plan is not None and plan.deletion_date is None else None


def with_defaults(rules):
    """What moto's Plan constructor does to new rules, for updated ones."""
    for rule in rules:
        rule.setdefault("ScheduleExpression", "cron(0 5 ? * * *)")
        rule.setdefault("StartWindowMinutes", 480)
        rule.setdefault("CompletionWindowMinutes", 10080)
        rule.setdefault("ScheduleExpressionTimezone", "Etc/UTC")
        rule["RuleId"] = str(uuid.uuid4())
    return rules


def log(op, plan_id, selection_id=None):
    CALLS.append({"op": op, "plan": plan_id, "selection": selection_id})


class BackupPlansLayer:
    def __init__(self, app):
        self.app = app

    def control(self, req):
        op = req.path[len("/_fo/backup_plans/"):]
        body = json.loads(req.get_data() or b"{}") if req.method == "POST" else {}
        with LOCK:
            if op == "fail_selection":
                FAIL["count"] = int(body.get("count", 1))
                FAIL["code"] = body.get("code", "InvalidParameterValueException")
                FAIL["status"] = int(body.get("status", 400))
                return json_response({})
            if op == "reset":
                SELECTION_STORE.clear()
                CALLS.clear()
                FAIL["count"] = 0
                return json_response({})
            if op == "state":
                return json_response({"calls": CALLS, "selections": SELECTION_STORE})
        return error(404, "NotFound", "unknown control operation " + op)

    def update_plan(self, req, plan_id):
        plan = live_plan(plan_id)
        if plan is None:
            return error(404, "ResourceNotFoundException", f"Backup plan {plan_id} does not exist")
        new = (json.loads(req.get_data() or b"{}")).get("BackupPlan")
        if not new or not new.get("BackupPlanName") or not isinstance(new.get("Rules"), list):
            return error(400, "InvalidParameterValueException", "BackupPlan with BackupPlanName and Rules required")
        with_defaults(new["Rules"])
        plan.backup_plan = new
        plan.version_id = uuid.uuid4().hex + uuid.uuid4().hex[:16]
        log("UpdateBackupPlan", plan_id)
        return json_response({"BackupPlanId": plan.backup_plan_id, "BackupPlanArn": plan.backup_plan_arn,
                              "CreationDate": plan.creation_date, "VersionId": plan.version_id})

    def create_selection(self, req, plan_id):
        if live_plan(plan_id) is None:
            return error(404, "ResourceNotFoundException", f"Backup plan {plan_id} does not exist")
        if FAIL["count"] > 0:
            FAIL["count"] -= 1
            log("CreateBackupSelection(failed)", plan_id)
            return error(FAIL["status"], FAIL["code"], "injected failure: the IAM role cannot be assumed by AWS Backup")
        body = json.loads(req.get_data() or b"{}")
        sel = body.get("BackupSelection") or {}
        if not sel.get("SelectionName") or not sel.get("IamRoleArn"):
            return error(400, "InvalidParameterValueException", "SelectionName and IamRoleArn are required")
        sid = str(uuid.uuid4())
        SELECTION_STORE.setdefault(plan_id, {})[sid] = {
            "BackupSelection": sel, "SelectionId": sid, "BackupPlanId": plan_id, "CreationDate": time.time(),
            "CreatorRequestId": body.get("CreatorRequestId") or str(uuid.uuid4())}
        log("CreateBackupSelection", plan_id, sid)
        return json_response({"SelectionId": sid, "BackupPlanId": plan_id, "CreationDate": time.time()})

    def api(self, req):
        path = raw_path(req)
        m = SELECTION.match(path)
        if m:
            plan_id, sid = m.group(1), m.group(2)
            sel = SELECTION_STORE.get(plan_id, {}).get(sid)
            if sel is None:
                return error(404, "ResourceNotFoundException", f"Backup selection {sid} of plan {plan_id} not found")
            if req.method == "GET":
                return json_response(sel)
            if req.method == "DELETE":
                del SELECTION_STORE[plan_id][sid]
                log("DeleteBackupSelection", plan_id, sid)
                return json_response({})
            return error(405, "MethodNotAllowed", req.method)
        m = SELECTIONS.match(path)
        if m:
            plan_id = m.group(1)
            if req.method == "PUT":
                return self.create_selection(req, plan_id)
            if req.method == "GET":
                if find_plan(plan_id) is None:
                    return error(404, "ResourceNotFoundException", f"Backup plan {plan_id} does not exist")
                items = [{"SelectionId": s["SelectionId"], "SelectionName": s["BackupSelection"]["SelectionName"],
                          "BackupPlanId": plan_id, "CreationDate": s["CreationDate"],
                          "CreatorRequestId": s["CreatorRequestId"], "IamRoleArn": s["BackupSelection"]["IamRoleArn"]}
                         for s in SELECTION_STORE.get(plan_id, {}).values()]
                return json_response({"BackupSelectionsList": items})
            return error(405, "MethodNotAllowed", req.method)
        m = PLAN.match(path)
        if m and req.method == "POST":
            return self.update_plan(req, m.group(1))
        if m and req.method == "DELETE":
            plan_id = m.group(1)
            if SELECTION_STORE.get(plan_id):
                return error(400, "InvalidRequestException",
                             "Related backup plan selections must be deleted prior to backup plan deletion")
            log("DeleteBackupPlan", plan_id)
            return None  # moto deletes it
        if PLANS.match(path) and req.method == "PUT":
            raw = req.get_data()
            # moto reads the body again: hand it a fresh stream
            req.environ["wsgi.input"] = io.BytesIO(raw)
            body = json.loads(raw or b"{}")
            name = (body.get("BackupPlan") or {}).get("BackupPlanName")
            from moto.backup.models import backup_backends
            region = region_of(req)
            for account in list(backup_backends.keys()):
                plans = backup_backends[account][region].plans
                for pid in [p for p, v in plans.items() if v.deletion_date is not None
                            and v.backup_plan.get("BackupPlanName") == name]:
                    del plans[pid]
            log("CreateBackupPlan", None)
            return None
        return None

    def __call__(self, environ, start_response):
        req = Request(environ)
        if req.path.startswith("/_fo/backup_plans/"):
            return self.control(req)(environ, start_response)
        if is_backup(req) and raw_path(req).startswith("/backup/plans"):
            with LOCK:
                resp = self.api(req)
            if resp is not None:
                return resp(environ, start_response)
        return self.app(environ, start_response)


def wrap(app):
    return BackupPlansLayer(app)
