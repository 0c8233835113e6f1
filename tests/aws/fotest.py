"""fotest: shared helpers for the aws.* integration tests.

Starts moto (moto_server.py) on a loopback port, runs the C driver fo_aws_cli
(path in $FO_AWS_CLI) with a clean environment and a temporary HOME, and
offers boto3 clients for test setup. A failed check raises TestFailure; the
runner prints it and exits 1."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ACCOUNT = "123456789012"


class TestFailure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise TestFailure(msg)


def cli_path():
    p = os.environ.get("FO_AWS_CLI")
    if not p or not os.access(p, os.X_OK):
        raise TestFailure(f"FO_AWS_CLI is not set to the fo_aws_cli binary (got {p!r})")
    return p


class Moto:
    """moto on 127.0.0.1:<free port>; `auth_after` turns on IAM checks after
    that many unauthenticated calls (INITIAL_NO_AUTH_ACTION_COUNT)."""

    def __init__(self, auth_after=None):
        self.tmp = tempfile.mkdtemp(prefix="fo-moto-")
        env = dict(os.environ)
        for k in list(env):
            if k.startswith("AWS_"):
                del env[k]
        if auth_after is not None:
            env["INITIAL_NO_AUTH_ACTION_COUNT"] = str(auth_after)
        port_file = os.path.join(self.tmp, "port")
        self.log = open(os.path.join(self.tmp, "moto.log"), "w")
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "moto_server.py"), "--port", "0",
                                      "--port-file", port_file], env=env, stdout=self.log, stderr=self.log)
        # generous: on a loaded CI machine importing moto alone can take many seconds
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise TestFailure("moto exited at start: " + open(self.log.name).read()[-2000:])
            if os.path.exists(port_file):
                self.port = int(open(port_file).read())
                self.endpoint = f"http://127.0.0.1:{self.port}"
                try:
                    urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=10).read()
                    return
                except OSError:
                    pass
            time.sleep(0.1)
        self.stop()
        raise TestFailure("moto did not start within 180 s")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def boto(self, service, key="testing", secret="testing", region="us-east-1"):
        import boto3
        return boto3.client(service, endpoint_url=self.endpoint, region_name=region,
                            aws_access_key_id=key, aws_secret_access_key=secret)

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.stop()


class Home:
    """A temporary HOME with an .aws folder."""

    def __init__(self):
        self.path = tempfile.mkdtemp(prefix="fo-home-")
        os.makedirs(os.path.join(self.path, ".aws"))

    def write(self, rel, text, mode=0o600):
        p = os.path.join(self.path, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        os.chmod(p, mode)
        return p

    def __enter__(self):
        return self

    def __exit__(self, *a):
        shutil.rmtree(self.path, ignore_errors=True)


def base_env(home, extra=None):
    """A clean environment: no inherited AWS_* or TF_LOG, HOME = `home`,
    IMDS off (tests that want it turn it on), region us-east-1."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.startswith("TF_LOG")}
    env["HOME"] = home
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    env["AWS_REGION"] = "us-east-1"
    # the local IMDS/ECS stand-ins answer from a Python thread: on a loaded CI
    # machine that can take longer than the SDK-like 2 s default
    env["AWS_METADATA_SERVICE_TIMEOUT"] = "30"
    if extra:
        for k, v in extra.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
    return env


class Result:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err
        try:
            self.json = json.loads(out.splitlines()[0]) if out.strip() else None
        except (ValueError, IndexError):
            self.json = None

    @property
    def error(self):
        return (self.json or {}).get("error") if isinstance(self.json, dict) else None

    def retries(self):
        return [json.loads(l[len("retry: "):]) for l in self.err.splitlines() if l.startswith("retry: ")]

    def sleeps(self):
        """Backoff sleeps the client asked for (fo_aws_cli --fake-sleep): the
        injected sleep records them instead of sleeping."""
        return [int(l[len("sleep: "):]) for l in self.err.splitlines() if l.startswith("sleep: ")]

    def stats(self):
        for l in self.err.splitlines():
            if l.startswith("stats: "):
                return json.loads(l[len("stats: "):])
        return None

    def __repr__(self):
        return f"rc={self.rc}\nstdout={self.out[:3000]}\nstderr={self.err[-3000:]}"


def run_cli(args, env, timeout=120):
    p = subprocess.run([cli_path()] + list(args), env=env, capture_output=True, text=True, timeout=timeout)
    return Result(p.returncode, p.stdout, p.stderr)


def start_cli(args, env):
    """fo_aws_cli in the background with a pipe on stdin (for --cancel-on-stdin)
    and stderr read line by line into `proc.lines` by a thread."""
    import threading
    proc = subprocess.Popen([cli_path()] + list(args), env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.lines = []

    def pump():
        for line in proc.stderr:
            proc.lines.append(line)
    proc.pump = threading.Thread(target=pump, daemon=True)
    proc.pump.start()
    return proc


def wait_for(pred, timeout=60):
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def finish_cli(proc, timeout):
    """Wait for a start_cli process; None when it did not end within `timeout` s."""
    try:
        out = proc.stdout.read() if proc.wait(timeout) is not None else ""
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None
    proc.pump.join(10)
    return Result(proc.returncode, out, "".join(proc.lines))


def expect_ok(res, what):
    check(res.rc == 0 and res.error is None, f"{what}: expected success, got {res!r}")
    return res.json


def main(tests):
    """Run test `sys.argv[1]` from the dict `tests` (name -> function)."""
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name not in tests:
        print(f"unknown test {name!r}; have: {', '.join(sorted(tests))}", file=sys.stderr)
        sys.exit(2)
    try:
        tests[name]()
    except TestFailure as e:
        print(f"FAIL: {name}: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {name}")
