"""fault_proxy.py: a loopback HTTP proxy that plays a scripted sequence of
faults in front of an upstream (moto), one step per incoming request:

  pass            forward to the upstream
  throttle        400 query-protocol <Error><Code>Throttling</Code>
  throttle-json   400 rest-json, X-Amzn-ErrorType: ThrottlingException
  500 / 503 / 504 server error with an InternalFailure / ServiceUnavailable body
  502             HTML 'Bad Gateway' page (no AWS error code)
  reset           read the request, then close with RST (SO_LINGER 0), no response
  lost            forward to the upstream, then reset instead of answering (the
                  request took effect but the client never heard: a retried
                  create must carry the same idempotency token)
  slow:S          wait S seconds, then forward (the client times out first)
  stall           never answer: hold the request until the proxy stops (a
                  timeout that does not depend on how fast the machine is)
  hold            hold the request until release() (or the proxy stops), then
                  forward it: a call the test keeps in flight as long as it likes
  retry-after:N   503 with "Retry-After: N"
  denied          403 AccessDenied (not retryable)
  skewed:S        403 RequestTimeTooSkewed with a Date header S seconds ahead of now
  echo-at:N       400 whose body echoes the request's X-Amz-Security-Token
                  starting at byte N (services echo request parts in errors;
                  N near the debug log's 4096-byte cut puts it across the cut)

After the script runs out every request is forwarded. `hits` counts requests,
`connections` the TCP connections they came on, `held` the requests waiting
in a hold step. `per_path` gives requests whose path starts with a prefix
their own script ({"/2013-04-01/": ["hold"]}), so two calls in flight at once
get the faults meant for them whatever order they arrive in.
Use in-process (FaultProxy(upstream, steps)) or standalone:
  fault_proxy.py --upstream http://127.0.0.1:5000 --steps throttle,throttle,pass"""
import argparse
import email.utils
import http.client
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

QUERY_ERR = ('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
             '<Code>{code}</Code><Message>{msg}</Message></Error><RequestId>fault-{n}</RequestId></ErrorResponse>')


class FaultProxy:
    def __init__(self, upstream, steps, per_path=None):
        self.upstream = urllib.parse.urlparse(upstream)
        self.steps = list(steps)
        self.per_path = {k: list(v) for k, v in (per_path or {}).items()}
        self.held = 0
        self.released = threading.Event()
        self.hits = 0
        self.log = []
        self.amz_dates = []
        self.bodies = []
        self.connections = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def setup(self):
                with proxy.lock:
                    proxy.connections += 1
                super().setup()

            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with proxy.lock:
                    proxy.hits += 1
                    n = proxy.hits
                    script = next((v for k, v in proxy.per_path.items() if self.path.startswith(k)),
                                  proxy.steps)
                    step = script.pop(0) if script else "pass"
                    proxy.log.append((time.monotonic(), step))
                    proxy.amz_dates.append(self.headers.get("X-Amz-Date"))
                    proxy.bodies.append(body)
                proxy.play(self, step, body, n)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _send(self, h, status, body, headers=None):
        data = body.encode()
        h.send_response(status)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def play(self, h, step, body, n):
        if step == "pass":
            return self.forward(h, body)
        if step == "throttle":
            return self._send(h, 400, QUERY_ERR.format(code="Throttling", msg="Rate exceeded", n=n),
                              {"Content-Type": "text/xml", "x-amzn-RequestId": f"fault-{n}"})
        if step == "throttle-json":
            return self._send(h, 400, '{"message":"Rate exceeded"}',
                              {"Content-Type": "application/json", "X-Amzn-ErrorType": "ThrottlingException",
                               "x-amzn-RequestId": f"fault-{n}"})
        if step == "502":  # a load balancer's HTML page, no AWS error code
            return self._send(h, 502, "<html><body>502 Bad Gateway</body></html>", {"Content-Type": "text/html"})
        if step in ("500", "503", "504"):
            code = "ServiceUnavailable" if step == "503" else "InternalFailure"
            return self._send(h, int(step), QUERY_ERR.format(code=code, msg="injected " + step, n=n),
                              {"Content-Type": "text/xml", "x-amzn-RequestId": f"fault-{n}"})
        if step == "denied":
            return self._send(h, 403, QUERY_ERR.format(code="AccessDenied", msg="injected denial", n=n),
                              {"Content-Type": "text/xml", "x-amzn-RequestId": f"fault-{n}"})
        if step.startswith("skewed:"):
            server = email.utils.formatdate(time.time() + float(step.split(":", 1)[1]), usegmt=True)
            return self._send(h, 403, QUERY_ERR.format(code="RequestTimeTooSkewed",
                                                       msg="The difference between the request time and the "
                                                           "current time is too large.", n=n),
                              {"Content-Type": "text/xml", "Date": server})
        if step.startswith("echo-at:"):
            pad = int(step.split(":", 1)[1])
            tok = h.headers.get("X-Amz-Security-Token", "")
            return self._send(h, 400, "x" * pad + tok + " is not valid", {"Content-Type": "text/plain"})
        if step.startswith("retry-after:"):
            return self._send(h, 503, QUERY_ERR.format(code="ServiceUnavailable", msg="busy", n=n),
                              {"Content-Type": "text/xml", "Retry-After": step.split(":", 1)[1]})
        if step == "lost":
            self.forward(h, body, answer=False)
            step = "reset"
        if step == "reset":
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
            h.close_connection = True
            return None
        if step == "hold":
            with self.lock:
                self.held += 1
            while not self.released.wait(0.05) and not self.stopping.is_set():
                pass
            with self.lock:
                self.held -= 1
            try:
                return self.forward(h, body)
            except OSError:  # the client gave up (cancelled) meanwhile
                h.close_connection = True
                return None
        if step == "stall":
            self.stopping.wait(600)
            h.close_connection = True
            return None
        if step.startswith("slow:"):
            time.sleep(float(step.split(":", 1)[1]))
            try:
                return self.forward(h, body)
            except OSError:
                return None
        raise ValueError(f"unknown step {step!r}")

    def forward(self, h, body, answer=True):
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=30)
        headers = {k: v for k, v in h.headers.items() if k.lower() not in ("connection", "proxy-connection")}
        conn.request(h.command, h.path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        if not answer:
            conn.close()
            return
        h.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length", "server", "date"):
                h.send_header(k, v)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)
        conn.close()

    def wait_hits(self, n, timeout=60):
        """Wait until `n` requests arrived: a client that gave up (timeout,
        cancel) may exit before the proxy thread has read its last request."""
        deadline = time.monotonic() + timeout
        while self.hits < n and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.hits

    def release(self):
        """Let every held request (and later ones in a hold step) through."""
        self.released.set()

    def stop(self):
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.stop()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--steps", default="")
    a = ap.parse_args()
    p = FaultProxy(a.upstream, [s for s in a.steps.split(",") if s])
    print(p.endpoint, flush=True)
    try:
        p.thread.join()
    except KeyboardInterrupt:
        p.stop()
        sys.exit(0)
