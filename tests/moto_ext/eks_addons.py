"""eks_addons: EKS add-on API for moto (moto 5.2 has none).

moto lacks ListAddons / DescribeAddon / CreateAddon, so this layer answers
  POST /clusters/<c>/addons, GET /clusters/<c>/addons, GET /clusters/<c>/addons/<a>
with an in-memory store (cluster existence is checked against moto's own EKS backend).
"""
import json
import re
import threading
import time

from werkzeug.wrappers import Request, Response
from moto_ext.layer import request_region  # noqa: E402

ADDON_LIST = re.compile(r"^/clusters/([^/]+)/addons/?$")
ADDON_ONE = re.compile(r"^/clusters/([^/]+)/addons/([^/]+)$")


class AddonLayer:
    """EKS add-ons for moto (region and account taken from the request)."""

    def __init__(self, app):
        self.app = app
        self.addons = {}  # (region, cluster) -> {name: addon}
        self.lock = threading.Lock()

    @staticmethod
    def _is_eks(req):
        auth = req.headers.get("Authorization", "")
        return "/eks/aws4_request" in auth or req.host.startswith("eks.")

    def _cluster_exists(self, region, name):
        from moto.eks.models import eks_backends
        for account in list(eks_backends.keys()):
            try:
                if name in eks_backends[account][region].clusters:
                    return True
            except KeyError:
                pass
        return False

    def _error(self, status, code, message):
        body = json.dumps({"message": message})
        return Response(body, status=status, headers={"X-Amzn-ErrorType": code,
                                                      "Content-Type": "application/json"})

    def __call__(self, environ, start_response):
        req = Request(environ)
        path = req.path
        m1, m2 = ADDON_LIST.match(path), ADDON_ONE.match(path)
        if not (m1 or m2) or not self._is_eks(req):
            return self.app(environ, start_response)
        region = request_region(req, "eks")
        cluster = (m1 or m2).group(1)
        if not self._cluster_exists(region, cluster):
            return self._error(404, "ResourceNotFoundException", f"No cluster found for name: {cluster}.")(environ, start_response)
        with self.lock:
            store = self.addons.setdefault((region, cluster), {})
            if m1 and req.method == "POST":
                body = json.loads(req.get_data() or b"{}")
                name = body.get("addonName")
                addon = {
                    "addonName": name, "clusterName": cluster, "status": "ACTIVE",
                    "addonVersion": body.get("addonVersion", "v1.0.0-eksbuild.1"),
                    "addonArn": f"arn:aws:eks:{region}:123456789012:addon/{cluster}/{name}/x",
                    "createdAt": time.time(), "modifiedAt": time.time(), "health": {"issues": []},
                    "tags": body.get("tags", {}),
                    **({"configurationValues": body["configurationValues"]} if "configurationValues" in body else {}),
                }
                store[name] = addon
                resp = Response(json.dumps({"addon": addon}), content_type="application/json")
            elif m1 and req.method == "GET":
                resp = Response(json.dumps({"addons": sorted(store)}), content_type="application/json")
            elif m2 and req.method == "GET":
                name = m2.group(2)
                if name not in store:
                    return self._error(404, "ResourceNotFoundException",
                                       f"No addon: {name} found in cluster: {cluster}")(environ, start_response)
                resp = Response(json.dumps({"addon": store[name]}), content_type="application/json")
            else:
                resp = self._error(405, "InvalidRequestException", "method not supported by the test layer")
        return resp(environ, start_response)


def wrap(app):
    return AddonLayer(app)
