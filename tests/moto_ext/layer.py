"""layer: what every test layer of moto needs (not a layer itself: it has no wrap()).

The region and service of a SigV4-signed request come from its credential scope; answers are JSON.
"""
import json
import re

from werkzeug.test import run_wsgi_app
from werkzeug.wrappers import Response

_SCOPE = re.compile(r"Credential=[^/]+/\d+/([^/]+)/([^/]+)/aws4_request")


def request_service_region(req):
    """(service, region) of a SigV4-signed request, (None, None) when unsigned."""
    m = _SCOPE.search(req.headers.get("Authorization", ""))
    return (m.group(2), m.group(1)) if m else (None, None)


def request_region(req, service):
    """The region of a request signed for `service`, us-east-1 otherwise (unsigned, or another service)."""
    svc, region = request_service_region(req)
    return region if svc == service else "us-east-1"


def json_response(obj, status=200, error_type=None):
    """A JSON answer; `error_type` sets X-Amzn-ErrorType as AWS's JSON protocols do."""
    headers = {"X-Amzn-ErrorType": error_type} if error_type else {}
    return Response(json.dumps(obj, default=str), status=status, headers=headers, content_type="application/json")


def call_inner(app, environ):
    """(status, headers, body) of the wrapped app's answer, read whole, so a layer can rewrite it."""
    app_iter, status, headers = run_wsgi_app(app, environ)
    try:
        body = b"".join(app_iter)
    finally:
        if hasattr(app_iter, "close"):
            app_iter.close()
    return status, headers, body


def respond(start_response, status, headers, body):
    """Send a (possibly rewritten) inner answer: its Content-Length is the new body's."""
    headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
    headers.append(("Content-Length", str(len(body))))
    start_response(status, headers)
    return [body]
