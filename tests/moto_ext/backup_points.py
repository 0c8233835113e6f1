"""backup_points: AWS Backup recovery points and copy jobs for moto (moto 5.2 has neither).

moto 5.2's Backup backend knows plans, vaults and report plans only. Missing, and answered here:
  ListRecoveryPointsByBackupVault   GET  /backup-vaults/<vault>/recovery-points/[?byResourceArn=&maxResults=&nextToken=]
  DescribeRecoveryPoint             GET  /backup-vaults/<vault>/recovery-points/<arn>
  GetRecoveryPointRestoreMetadata   GET  /backup-vaults/<vault>/recovery-points/<arn>/restore-metadata
  ListCopyJobs                      GET  /copy-jobs/[?byDestinationVaultArn=&byResourceArn=&byState=]
Vault existence is checked against moto's own Backup backend (CreateBackupVault stays moto's).

Tests plant what a real account accumulates over days (control endpoints, JSON bodies):
  POST /_fo/backup/recovery_point {region, vault, resource_arn, [resource_type=RDS], [age_hours=1],
        [status=COMPLETED], [copy_to: {region, vault}] , [metadata: {...}], [account]}
        -> {"RecoveryPointArn": ..., "CopyRecoveryPointArn": ...}
     A point `age_hours` old; with copy_to, also its copy in the destination vault (SourceBackupVaultArn set)
     and a COMPLETED copy job, both of the same age.
  POST /_fo/backup/page_size {size}   maxResults cap applied to every list (forces pagination in tests)
  POST /_fo/backup/reset {}            forget every planted point and job
  GET  /_fo/backup/state               everything planted (for assertions)
Other layers (backup_plans.py, backup_restore.py) find the points through `POINTS` below.
"""
import json
import re
import threading
import time
import urllib.parse
import uuid

from werkzeug.wrappers import Request, Response
from moto_ext.layer import request_region  # noqa: E402

ACCOUNT = "123456789012"
RP_LIST = re.compile(r"^/backup-vaults/([^/]+)/recovery-points/?$")
RP_ONE = re.compile(r"^/backup-vaults/([^/]+)/recovery-points/([^/]+)(/restore-metadata)?$")
COPY_JOBS = re.compile(r"^/copy-jobs/?$")

LOCK = threading.Lock()
# (region, vault) -> {arn: point}; copy jobs: list of dicts. Shared with the other Backup layers.
POINTS = {}
COPY_JOB_LIST = []
PAGE = {"size": 0}


def region_of(req, service="backup"):
    return request_region(req, service)


def raw_path(req):
    """The path as sent: WSGI's PATH_INFO has %2F decoded, and a recovery point ARN holds '/'."""
    raw = req.environ.get("REQUEST_URI") or req.environ.get("RAW_URI") or req.path
    return raw.split("?", 1)[0]


def is_backup(req):
    return "/backup/aws4_request" in req.headers.get("Authorization", "")


def error(status, code, message):
    return Response(json.dumps({"Message": message, "Code": code}), status=status,
                    headers={"X-Amzn-ErrorType": code, "Content-Type": "application/json"})


def vault_arn(region, vault, account=ACCOUNT):
    return f"arn:aws:backup:{region}:{account}:backup-vault:{vault}"


def vault_exists(region, vault):
    from moto.backup.models import backup_backends
    for account in list(backup_backends.keys()):
        try:
            if vault in backup_backends[account][region].vaults:
                return True
        except KeyError:
            pass
    return False


def find_point(arn):
    """(region, vault, point) of a recovery point ARN anywhere, or None. Caller holds LOCK."""
    for (region, vault), points in POINTS.items():
        if arn in points:
            return region, vault, points[arn]
    return None


def new_point(region, vault, resource_arn, resource_type, created, status, source_vault_arn=None, metadata=None,
              account=ACCOUNT):
    """Add a recovery point; returns it. Caller holds LOCK."""
    if resource_type == "RDS":
        arn = f"arn:aws:rds:{region}:{account}:snapshot:awsbackup:job-{uuid.uuid4()}"
    else:
        arn = f"arn:aws:backup:{region}:{account}:recovery-point:{uuid.uuid4()}"
    point = {
        "RecoveryPointArn": arn,
        "BackupVaultName": vault,
        "BackupVaultArn": vault_arn(region, vault, account),
        "ResourceArn": resource_arn,
        "ResourceType": resource_type,
        "Status": status,
        "CreationDate": created,
        "CompletionDate": created + 600 if status == "COMPLETED" else None,
        "BackupSizeInBytes": 1 << 30,
        "IamRoleArn": f"arn:aws:iam::{account}:role/service-role/AWSBackupDefaultServiceRole",
        "Lifecycle": {"DeleteAfterDays": 35},
        "IsEncrypted": False,
        "_metadata": metadata or {},
    }
    if source_vault_arn:
        point["SourceBackupVaultArn"] = source_vault_arn
    POINTS.setdefault((region, vault), {})[arn] = point
    return point


def public(point):
    return {k: v for k, v in point.items() if not k.startswith("_") and v is not None}


def paginate(items, args, key):
    size = PAGE["size"] or 0
    try:
        size = min(size, int(args["maxResults"])) if size else int(args["maxResults"])
    except (KeyError, ValueError):
        pass
    start = int(args.get("nextToken") or 0)
    end = start + size if size else len(items)
    body = {key: items[start:end]}
    if end < len(items):
        body["NextToken"] = str(end)
    return body


class BackupPointsLayer:
    def __init__(self, app):
        self.app = app

    def control(self, req):
        op = req.path[len("/_fo/backup/"):]
        body = json.loads(req.get_data() or b"{}") if req.method == "POST" else {}
        with LOCK:
            if op == "recovery_point":
                account = body.get("account", ACCOUNT)
                created = time.time() - float(body.get("age_hours", 1)) * 3600
                rtype = body.get("resource_type", "RDS")
                meta = body.get("metadata") or {}
                src = new_point(body["region"], body["vault"], body["resource_arn"], rtype, created,
                                body.get("status", "COMPLETED"), metadata=meta, account=account)
                out = {"RecoveryPointArn": src["RecoveryPointArn"]}
                dest = body.get("copy_to")
                if dest:
                    cp = new_point(dest["region"], dest["vault"], body["resource_arn"], rtype, created,
                                   body.get("status", "COMPLETED"), source_vault_arn=src["BackupVaultArn"],
                                   metadata=meta, account=account)
                    out["CopyRecoveryPointArn"] = cp["RecoveryPointArn"]
                    COPY_JOB_LIST.append({
                        "CopyJobId": str(uuid.uuid4()), "AccountId": account, "State": "COMPLETED",
                        "SourceBackupVaultArn": src["BackupVaultArn"],
                        "SourceRecoveryPointArn": src["RecoveryPointArn"],
                        "DestinationBackupVaultArn": cp["BackupVaultArn"],
                        "DestinationRecoveryPointArn": cp["RecoveryPointArn"],
                        "ResourceArn": body["resource_arn"], "ResourceType": rtype,
                        "CreationDate": created, "CompletionDate": created + 900,
                    })
                return Response(json.dumps(out), content_type="application/json")
            if op == "page_size":
                PAGE["size"] = int(body.get("size", 0))
                return Response("{}", content_type="application/json")
            if op == "reset":
                POINTS.clear()
                COPY_JOB_LIST.clear()
                PAGE["size"] = 0
                return Response("{}", content_type="application/json")
            if op == "state":
                state = {f"{r}/{v}": [public(p) for p in pts.values()] for (r, v), pts in POINTS.items()}
                return Response(json.dumps({"recovery_points": state, "copy_jobs": COPY_JOB_LIST}),
                                content_type="application/json")
        return error(404, "NotFound", "unknown control operation " + op)

    def api(self, req):
        region = region_of(req)
        path = raw_path(req)
        m_list, m_one, m_copy = RP_LIST.match(path), RP_ONE.match(path), COPY_JOBS.match(path)
        args = req.args
        if m_copy and req.method == "GET":
            with LOCK:
                jobs = [j for j in COPY_JOB_LIST if f":{region}:" in j["DestinationBackupVaultArn"]
                        or f":{region}:" in j["SourceBackupVaultArn"]]
                for key, field in (("byDestinationVaultArn", "DestinationBackupVaultArn"),
                                   ("byResourceArn", "ResourceArn"), ("byState", "State")):
                    if args.get(key):
                        jobs = [j for j in jobs if j[field] == args[key]]
                return Response(json.dumps(paginate(jobs, args, "CopyJobs")), content_type="application/json")
        vault = urllib.parse.unquote((m_list or m_one).group(1))
        if not vault_exists(region, vault):
            return error(404, "ResourceNotFoundException", f"Backup vault {vault} does not exist")
        with LOCK:
            points = POINTS.get((region, vault), {})
            if m_list and req.method == "GET":
                items = sorted(points.values(), key=lambda p: -p["CreationDate"])
                if args.get("byResourceArn"):
                    items = [p for p in items if p["ResourceArn"] == args["byResourceArn"]]
                return Response(json.dumps(paginate([public(p) for p in items], args, "RecoveryPoints")),
                                content_type="application/json")
            arn = urllib.parse.unquote(m_one.group(2))
            if arn not in points or req.method != "GET":
                return error(404, "ResourceNotFoundException", f"Recovery point {arn} not found in vault {vault}")
            p = points[arn]
            if m_one.group(3):
                meta = dict(p["_metadata"])
                return Response(json.dumps({"BackupVaultArn": p["BackupVaultArn"], "RecoveryPointArn": arn,
                                            "RestoreMetadata": meta, "ResourceType": p["ResourceType"]}),
                                content_type="application/json")
            return Response(json.dumps(public(p)), content_type="application/json")

    def __call__(self, environ, start_response):
        req = Request(environ)
        if req.path.startswith("/_fo/backup/"):
            return self.control(req)(environ, start_response)
        path = raw_path(req)
        if is_backup(req) and (RP_LIST.match(path) or RP_ONE.match(path) or COPY_JOBS.match(path)):
            return self.api(req)(environ, start_response)
        return self.app(environ, start_response)


def wrap(app):
    return BackupPointsLayer(app)
