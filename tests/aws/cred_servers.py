"""cred_servers: tiny local stand-ins for the EC2 instance metadata service
(IMDSv2) and the ECS container credentials endpoint, for the credential
chain tests. Both record what they were asked."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CREDS = {"AccessKeyId": "ASIAFOIMDSEXAMPLE001", "SecretAccessKey": "imdsSecretKeyFoFoFoFoFoFoFoFoFoFoFoFo01",
         "Token": "imds-session-token-FOFOFOFOFOFOFOFOFOFOFOFOFOFO", "Expiration": "2099-01-01T00:00:00Z"}


class _Server:
    def __init__(self, handler_cls):
        self.requests = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler_cls)
        self.server.owner = self
        self.server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, status, body, ctype="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Imds(_Server):
    """IMDSv2: PUT /latest/api/token first; GETs need X-aws-ec2-metadata-token."""
    TOKEN = "imds-v2-session-FOFOFOFOFOFOFOFO"
    ROLE = "fo-node-role"

    def __init__(self, creds=None, token=None, role=None):
        """`token` / `role`: what a hostile or broken IMDS hands out instead (a token with CR/LF in it, a role
        name such as "../../../etc"); the GETs then accept any token."""
        self.creds = dict(creds or CREDS, Code="Success", Type="AWS-HMAC", LastUpdated="2026-01-01T00:00:00Z")
        self.token = token or Imds.TOKEN
        self.role = role or Imds.ROLE
        outer = self

        class H(_Handler):
            def do_PUT(self):
                outer.requests.append(("PUT", self.path, dict(self.headers)))
                if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                    return self.reply(200, outer.token)
                return self.reply(400, "bad token request")

            def do_GET(self):
                outer.requests.append(("GET", self.path, dict(self.headers)))
                if outer.token == Imds.TOKEN and self.headers.get("X-aws-ec2-metadata-token") != Imds.TOKEN:
                    return self.reply(401, "")
                base = "/latest/meta-data/iam/security-credentials/"
                if self.path == base:
                    return self.reply(200, outer.role + "\n")
                if self.path == base + outer.role:
                    return self.reply(200, json.dumps(outer.creds), "application/json")
                return self.reply(404, "")

        super().__init__(H)


class Ecs(_Server):
    """Container credentials at /creds; checks the Authorization token. The
    first `fail_first` requests get a 503 (an agent that is still starting)."""

    def __init__(self, token, creds, fail_first=0):
        self.creds = creds
        self.fail_first = fail_first
        outer = self

        class H(_Handler):
            def do_GET(self):
                outer.requests.append(("GET", self.path, dict(self.headers)))
                if len(outer.requests) <= outer.fail_first:
                    return self.reply(503, '{"message":"agent starting"}', "application/json")
                if self.headers.get("Authorization") != token:
                    return self.reply(401, '{"message":"bad token"}', "application/json")
                if self.path != "/creds":
                    return self.reply(404, "")
                return self.reply(200, json.dumps(outer.creds), "application/json")

        super().__init__(H)


class SsoPortal(_Server):
    """IAM Identity Center portal: GET /federation/credentials?account_id=&role_name=
    with x-amz-sso_bearer_token."""

    def __init__(self, token, creds):
        self.creds = creds
        outer = self

        class H(_Handler):
            def do_GET(self):
                import urllib.parse
                outer.requests.append(("GET", self.path, dict(self.headers)))
                u = urllib.parse.urlparse(self.path)
                q = dict(urllib.parse.parse_qsl(u.query))
                if self.headers.get("x-amz-sso_bearer_token") != token:
                    return self.reply(401, '{"message":"Session token not found or invalid"}', "application/json")
                if u.path != "/federation/credentials" or set(q) != {"account_id", "role_name"}:
                    return self.reply(400, '{"message":"bad request"}', "application/json")
                return self.reply(200, json.dumps({"roleCredentials": dict(outer.creds, roleName=q["role_name"])}),
                                  "application/json")

        super().__init__(H)
