"""backup_restore: AWS Backup restore jobs for moto (moto 5.2 has none).

moto 5.2's Backup backend has no restore jobs. Missing, and answered here:
  StartRestoreJob       PUT  /restore-jobs           {RecoveryPointArn, Metadata, IamRoleArn, IdempotencyToken, ...}
  DescribeRestoreJob    GET  /restore-jobs/<id>
  ListRestoreJobs       GET  /restore-jobs/[?status=&maxResults=&nextToken=]
The recovery point must be one planted through backup_points.py (POINTS) in the signing region. A job is
PENDING, then RUNNING for `polls` DescribeRestoreJob calls; then it either FAILS with the configured message or
COMPLETES: the RDS DB instance named by Metadata["DBInstanceIdentifier"] is created in moto's own RDS backend
(so DescribeDBInstances returns it with its endpoint) and CreatedResourceArn is its ARN. The same
IdempotencyToken returns the same job (as AWS does), and every StartRestoreJob call is counted.

Control endpoints (JSON bodies):
  POST /_fo/backup_restore/config {[polls=2], [fail=null|"message"]}   for jobs started from now on
  POST /_fo/backup_restore/job    {id, [polls], [fail]}                 change a running job (polls left, failure)
  POST /_fo/backup_restore/reset  {}                                    forget jobs, counters, config
  GET  /_fo/backup_restore/state                                        {"jobs": [...], "start_calls": N}
"""
import json
import re
import threading
import time
import uuid

from werkzeug.wrappers import Request

from moto_ext import backup_points as bp
from moto_ext.layer import json_response  # noqa: E402

JOBS_PATH = re.compile(r"^/restore-jobs/?$")
JOB_ONE = re.compile(r"^/restore-jobs/([^/]+)$")

LOCK = threading.Lock()
JOBS = {}  # id -> job (internal fields start with "_")
TOKENS = {}  # idempotency token -> job id
CONFIG = {"polls": 2, "fail": None}
COUNTS = {"start_calls": 0}


def public(job):
    return {k: v for k, v in job.items() if not k.startswith("_") and v is not None}


def create_instance(region, account, meta):
    """The restored DB instance in moto's RDS backend; returns its ARN or raises ValueError."""
    from moto.rds.models import rds_backends
    ident = meta.get("DBInstanceIdentifier")
    if not ident:
        raise ValueError("Metadata has no DBInstanceIdentifier")
    kwargs = {
        "db_instance_identifier": ident,
        "db_instance_class": meta.get("DBInstanceClass", "db.t3.micro"),
        "engine": meta.get("Engine", "mariadb"),
        # moto 5.2 knows no default version for mariadb
        "engine_version": meta.get("EngineVersion", "10.11.8"),
        "port": int(meta.get("Port", "3306")),
        "allocated_storage": int(meta.get("AllocatedStorage", "20")),
        "multi_az": str(meta.get("MultiAZ", "false")).lower() == "true",
        "tags": [{"Key": "restored-by", "Value": "aws-backup"}],
    }
    if meta.get("AvailabilityZone"):
        kwargs["availability_zone"] = meta["AvailabilityZone"]
    backend = rds_backends[account][region]
    db = backend.create_db_instance(kwargs)
    return db.db_instance_arn


def advance(job):
    """One DescribeRestoreJob poll of a job. Caller holds LOCK."""
    if job["Status"] in ("COMPLETED", "FAILED", "ABORTED"):
        return
    if job["_polls_left"] > 0:
        job["_polls_left"] -= 1
        job["Status"] = "RUNNING"
        total = max(job["_polls_total"], 1)
        job["PercentDone"] = "%.2f" % (100.0 * (total - job["_polls_left"]) / (total + 1))
        return
    job["CompletionDate"] = time.time()
    if job["_fail"]:
        job["Status"] = "FAILED"
        job["StatusMessage"] = job["_fail"]
        return
    try:
        job["CreatedResourceArn"] = create_instance(job["_region"], job["AccountId"], job["_metadata"])
        job["Status"] = "COMPLETED"
        job["PercentDone"] = "100.00"
    except Exception as e:  # moto's RDS refused (e.g. the instance exists already)
        job["Status"] = "FAILED"
        job["StatusMessage"] = f"restore of {job['RecoveryPointArn']} failed: {e}"


class BackupRestoreLayer:
    def __init__(self, app):
        self.app = app

    def control(self, req):
        op = req.path[len("/_fo/backup_restore/"):]
        body = json.loads(req.get_data() or b"{}") if req.method == "POST" else {}
        with LOCK:
            if op == "config":
                CONFIG["polls"] = int(body.get("polls", 2))
                CONFIG["fail"] = body.get("fail")
                return json_response(CONFIG)
            if op == "job":
                job = JOBS.get(body.get("id", ""))
                if not job:
                    return bp.error(404, "NotFound", "no restore job " + str(body.get("id")))
                if "polls" in body:
                    job["_polls_left"] = int(body["polls"])
                if "fail" in body:
                    job["_fail"] = body["fail"]
                return json_response(public(job))
            if op == "reset":
                JOBS.clear()
                TOKENS.clear()
                CONFIG.update({"polls": 2, "fail": None})
                COUNTS["start_calls"] = 0
                return json_response({})
            if op == "state":
                jobs = [dict(public(j), polls_left=j["_polls_left"], metadata=j["_metadata"],
                             idempotency_token=j["_token"]) for j in JOBS.values()]
                return json_response({"jobs": jobs, "start_calls": COUNTS["start_calls"]})
        return bp.error(404, "NotFound", "unknown control operation " + op)

    def start(self, req, region):
        try:
            body = json.loads(req.get_data() or b"{}")
        except ValueError:
            return bp.error(400, "InvalidParameterValueException", "body is not JSON")
        arn = body.get("RecoveryPointArn")
        meta = body.get("Metadata")
        if not arn or not isinstance(meta, dict) or not body.get("IamRoleArn"):
            return bp.error(400, "MissingParameterValueException",
                            "RecoveryPointArn, Metadata and IamRoleArn are required")
        if any(not isinstance(v, str) for v in meta.values()):
            return bp.error(400, "InvalidParameterValueException", "Metadata values must be strings")
        with LOCK:
            COUNTS["start_calls"] += 1
            token = body.get("IdempotencyToken")
            if token and token in TOKENS:
                return json_response({"RestoreJobId": TOKENS[token]})
            with bp.LOCK:
                found = bp.find_point(arn)
            if not found or found[0] != region:
                return bp.error(404, "ResourceNotFoundException", f"Recovery point {arn} not found in {region}")
            _, _, point = found
            if point["Status"] != "COMPLETED":
                return bp.error(400, "InvalidRequestException", f"Recovery point {arn} is {point['Status']}")
            job_id = str(uuid.uuid4()).upper()
            account = point["BackupVaultArn"].split(":")[4]
            JOBS[job_id] = {
                "RestoreJobId": job_id, "AccountId": account, "RecoveryPointArn": arn,
                "CreationDate": time.time(), "Status": "PENDING", "PercentDone": "0.00",
                "IamRoleArn": body["IamRoleArn"], "ResourceType": body.get("ResourceType", point["ResourceType"]),
                "BackupSizeInBytes": point["BackupSizeInBytes"],
                "RecoveryPointCreationDate": point["CreationDate"],
                "_region": region, "_metadata": dict(meta), "_token": token,
                "_polls_left": CONFIG["polls"], "_polls_total": CONFIG["polls"], "_fail": CONFIG["fail"],
            }
            if token:
                TOKENS[token] = job_id
            return json_response({"RestoreJobId": job_id})

    def api(self, req):
        region = bp.region_of(req)
        path = bp.raw_path(req)
        if JOBS_PATH.match(path) and req.method == "PUT":
            return self.start(req, region)
        if JOBS_PATH.match(path) and req.method == "GET":
            with LOCK:
                jobs = [public(j) for j in JOBS.values() if j["_region"] == region
                        and (not req.args.get("status") or j["Status"] == req.args["status"])]
            return json_response(bp.paginate(jobs, req.args, "RestoreJobs"))
        m = JOB_ONE.match(path)
        if m and req.method == "GET":
            with LOCK:
                job = JOBS.get(m.group(1))
                if not job or job["_region"] != region:
                    return bp.error(404, "ResourceNotFoundException", f"Restore job {m.group(1)} not found")
                advance(job)
                return json_response(public(job))
        return bp.error(405, "InvalidRequestException", f"{req.method} {path} is not supported")

    def __call__(self, environ, start_response):
        req = Request(environ)
        if req.path.startswith("/_fo/backup_restore/"):
            return self.control(req)(environ, start_response)
        path = bp.raw_path(req)
        if bp.is_backup(req) and (JOBS_PATH.match(path) or JOB_ONE.match(path)):
            return self.api(req)(environ, start_response)
        return self.app(environ, start_response)


def wrap(app):
    return BackupRestoreLayer(app)
