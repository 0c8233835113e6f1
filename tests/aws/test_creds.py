"""aws.creds.*: the credential chain in the SDKs' order, each provider tested
with a temporary HOME and config files, moto as STS (AssumeRole,
AssumeRoleWithWebIdentity) and local IMDS/ECS stand-ins (cred_servers.py).
`fo_aws_cli creds` prints the chosen provider and access key id."""
import os
import sys

import fotest
from cred_servers import CREDS, Ecs, Imds, SsoPortal
from fotest import check, expect_ok, run_cli

ENV_KEYS = {"AWS_ACCESS_KEY_ID": "AKIAFOENVEXAMPLE0001", "AWS_SECRET_ACCESS_KEY": "envSecretFoFoFoFoFoFoFoFoFoFoFoFoFoFo0001"}
ROLE = "arn:aws:iam::123456789012:role/fo-deploy"


def creds(env, *extra):
    return expect_ok(run_cli(list(extra) + ["creds"], env), "creds " + " ".join(extra))


def env_():
    with fotest.Home() as home:
        env = fotest.base_env(home.path, dict(ENV_KEYS, AWS_SESSION_TOKEN="envSessionTokenFOFOFOFOFOFO"))
        c = creds(env)
        check(c["source"] == "env" and c["access_key_id"] == ENV_KEYS["AWS_ACCESS_KEY_ID"] and c["session_token"], f"{c}")
        env.pop("AWS_SECRET_ACCESS_KEY")
        bad = run_cli(["creds"], env)
        check(bad.rc == 1 and "AWS_SECRET_ACCESS_KEY is not" in bad.error["message"], f"half env: {bad!r}")


def static():
    with fotest.Home() as home:
        env = fotest.base_env(home.path, ENV_KEYS)
        c = creds(env, "--access-key", "AKIAFOSTATICEXAMPLE1", "--secret-key", "staticSecretFoFoFoFoFoFoFoFoFoFoFoFo001")
        check(c["source"] == "static" and c["access_key_id"] == "AKIAFOSTATICEXAMPLE1", f"explicit keys lose: {c}")


def profile():
    with fotest.Home() as home:
        home.write(".aws/credentials", "[default]\naws_access_key_id = AKIAFODEFAULT0000001\n"
                   "aws_secret_access_key = defaultSecretFoFoFoFoFoFoFoFoFoFoFoFoF01\n\n"
                   "# comment\n[dev]\naws_access_key_id=AKIAFODEV00000000001\n"
                   "aws_secret_access_key=devSecretFoFoFoFoFoFoFoFoFoFoFoFoFoFoF0001\naws_session_token = devTok0001xyz\n")
        home.write(".aws/config", "[default]\nregion = eu-west-1\n\n[profile cfgonly]\n"
                   "aws_access_key_id = AKIAFOCFGONLY0000001\naws_secret_access_key = cfgSecretFoFoFoFoFoFoFoFoFoFoFoFoFoFo001\n"
                   "s3 =\n  addressing_style = path\n")
        env = fotest.base_env(home.path)
        c = creds(env)
        check(c["source"] == "profile:default" and c["access_key_id"] == "AKIAFODEFAULT0000001", f"default {c}")
        env["AWS_PROFILE"] = "dev"
        c = creds(env)
        check(c["source"] == "profile:dev" and c["access_key_id"] == "AKIAFODEV00000000001" and c["session_token"], f"dev {c}")
        c = creds(env, "--profile", "cfgonly")
        check(c["access_key_id"] == "AKIAFOCFGONLY0000001", f"config-file profile {c}")
        bad = run_cli(["--profile", "nope", "creds"], env)
        check(bad.rc == 1 and "profile 'nope' not found" in bad.error["message"], f"missing profile: {bad!r}")
        # files elsewhere: AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE
        other = home.write("elsewhere/creds", "[default]\naws_access_key_id = AKIAFOELSEWHERE00001\n"
                           "aws_secret_access_key = elseSecretFoFoFoFoFoFoFoFoFoFoFoFoFoF001\n")
        env = fotest.base_env(home.path, {"AWS_SHARED_CREDENTIALS_FILE": other})
        check(creds(env)["access_key_id"] == "AKIAFOELSEWHERE00001", "AWS_SHARED_CREDENTIALS_FILE ignored")
        # region from the profile when AWS_REGION is unset: the standard EKS endpoint
        # of eu-west-1 is used (seen in the debug log; there is no network here)
        env = fotest.base_env(home.path, {"AWS_REGION": None})
        res = run_cli(["-v", "--max-attempts", "1", "--timeout-ms", "2000", "eks-describe-cluster", "x"], env)
        check(res.rc == 1 and "https://eks.eu-west-1.amazonaws.com/clusters/x" in res.err, f"profile region: {res!r}")
        res = run_cli(["-v", "--max-attempts", "1", "--timeout-ms", "2000", "route53-list-zones"], env)
        check("https://route53.amazonaws.com/2013-04-01/hostedzone" in res.err, f"route53 global endpoint: {res!r}")
        check("/eu-west-1/route53/aws4_request" not in res.err, "route53 must be signed for us-east-1")


def assume_role():
    with fotest.Moto() as moto, fotest.Home() as home:
        home.write(".aws/config", "[profile base]\naws_access_key_id = AKIAFOBASE0000000001\n"
                   "aws_secret_access_key = baseSecretFoFoFoFoFoFoFoFoFoFoFoFoFoFo001\n\n"
                   f"[profile deploy]\nrole_arn = {ROLE}\nsource_profile = base\nrole_session_name = fo-test\n\n"
                   f"[profile chained]\nrole_arn = {ROLE}-2\nsource_profile = deploy\n\n"
                   f"[profile fromenv]\nrole_arn = {ROLE}\ncredential_source = Environment\n\n"
                   f"[profile loop]\nrole_arn = {ROLE}\nsource_profile = loop2\n[profile loop2]\nrole_arn = {ROLE}\nsource_profile = loop\n")
        env = fotest.base_env(home.path, {"AWS_ENDPOINT_URL": moto.endpoint})
        c = creds(env, "--profile", "deploy")
        check(c["source"] == "profile:deploy" and c["session_token"] and c["access_key_id"].startswith("ASIA"), f"{c}")
        check(c["access_key_id"] != "AKIAFOBASE0000000001" and c["expiration"] > 0, f"not assumed: {c}")
        who = expect_ok(run_cli(["--profile", "deploy", "whoami"], env), "whoami as role")
        check(":assumed-role/fo-deploy/fo-test" in who["Arn"], f"identity {who}")
        c = creds(env, "--profile", "chained")
        check(c["session_token"] and c["access_key_id"].startswith("ASIA"), f"chained {c}")
        env2 = dict(env, **ENV_KEYS)
        c = creds(env2, "--profile", "fromenv")
        check(c["source"] == "profile:fromenv" and c["session_token"], f"credential_source {c}")
        bad = run_cli(["--profile", "loop", "creds"], env)
        check(bad.rc == 1 and "loop" in bad.error["message"], f"loop: {bad!r}")
        # explicit assume_role on top of env keys (provider "assume_role" block)
        c = creds(env2, "--assume-role", ROLE)
        check(c["session_token"] and c["access_key_id"] != ENV_KEYS["AWS_ACCESS_KEY_ID"], f"assume-role flag {c}")


def credential_process():
    with fotest.Home() as home:
        script = home.write("bin/creds.py", "import json\nprint(json.dumps({'Version': 1, "
                            "'AccessKeyId': 'AKIAFOPROCESS0000001', 'SecretAccessKey': 'procSecretFoFoFoFoFoFoFoFoFoFoFoFoFo001',"
                            " 'SessionToken': 'procToken0001', 'Expiration': '2099-01-01T00:00:00Z'}))\n", 0o700)
        home.write(".aws/config", f"[profile proc]\ncredential_process = {sys.executable} {script}\n\n"
                   "[profile broken]\ncredential_process = sh -c 'exit 3'\n\n"
                   "[profile badjson]\ncredential_process = echo not-json\n")
        env = fotest.base_env(home.path, {"AWS_PROFILE": "proc"})
        c = creds(env)
        check(c["source"] == "profile:proc" and c["access_key_id"] == "AKIAFOPROCESS0000001" and c["session_token"], f"{c}")
        check(c["expiration"] == 4070908800, f"expiration {c}")
        bad = run_cli(["--profile", "broken", "creds"], env)
        check(bad.rc == 1 and "exit status 3" in bad.error["message"], f"broken: {bad!r}")
        bad = run_cli(["--profile", "badjson", "creds"], env)
        check(bad.rc == 1 and "bad json" in bad.error["message"], f"badjson: {bad!r}")


def web_identity():
    with fotest.Moto() as moto, fotest.Home() as home:
        tok = home.write("oidc/token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwcm9qZWN0X3BhdGg6Z3JvdXAvZm8ifQ.c2lnbmF0dXJl\n")
        env = fotest.base_env(home.path, {"AWS_ENDPOINT_URL": moto.endpoint, "AWS_WEB_IDENTITY_TOKEN_FILE": tok,
                                          "AWS_ROLE_ARN": ROLE, "AWS_ROLE_SESSION_NAME": "gitlab-ci"})
        c = creds(env)
        check(c["source"] == "web-identity" and c["session_token"] and c["access_key_id"].startswith("ASIA"), f"{c}")
        who = expect_ok(run_cli(["whoami"], env), "whoami via web identity")
        check(":assumed-role/fo-deploy/gitlab-ci" in who["Arn"], f"identity {who}")
        # web identity comes after env keys, before profiles
        c = creds(dict(env, **ENV_KEYS))
        check(c["source"] == "env", f"env should win over web identity: {c}")
        # missing token file: a clear error, not a fall-through
        bad = run_cli(["creds"], dict(env, AWS_WEB_IDENTITY_TOKEN_FILE=home.path + "/nope"))
        check(bad.rc == 1 and "web identity token file" in bad.error["message"], f"missing file: {bad!r}")
        # via a profile: web_identity_token_file + role_arn
        home.write(".aws/config", f"[profile ci]\nrole_arn = {ROLE}\nweb_identity_token_file = {tok}\n")
        env3 = fotest.base_env(home.path, {"AWS_ENDPOINT_URL": moto.endpoint})
        c = creds(env3, "--profile", "ci")
        check(c["source"] == "profile:ci" and c["session_token"], f"profile web identity {c}")


def ecs():
    token = "ecs-auth-token-FOFOFOFOFOFO"
    want = dict(CREDS, AccessKeyId="ASIAFOECSEXAMPLE0001")
    with fotest.Home() as home, Ecs(token, want) as srv:
        env = fotest.base_env(home.path, {"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.endpoint + "/creds",
                                          "AWS_CONTAINER_AUTHORIZATION_TOKEN": token})
        c = creds(env)
        check(c["source"] == "ecs" and c["access_key_id"] == "ASIAFOECSEXAMPLE0001" and c["session_token"], f"{c}")
        check(srv.requests and srv.requests[0][2].get("Authorization") == token, "token not sent")
        tf = home.write("ecs-token", token + "\n")
        env2 = dict(env, AWS_CONTAINER_AUTHORIZATION_TOKEN="wrong", AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=tf)
        check(creds(env2)["source"] == "ecs", "token file should win over the token variable")
        bad = run_cli(["creds"], dict(env, AWS_CONTAINER_AUTHORIZATION_TOKEN="wrong-token"))
        check(bad.rc == 1 and "HTTP 401" in bad.error["message"], f"wrong token: {bad!r}")
        bad = run_cli(["creds"], dict(env, AWS_CONTAINER_CREDENTIALS_FULL_URI="http://example.com/creds"))
        check(bad.rc == 1 and "not https, loopback" in bad.error["message"], f"remote http allowed: {bad!r}")
    # an agent still starting (503): two attempts by default, more with
    # AWS_METADATA_SERVICE_NUM_ATTEMPTS as in the SDKs
    with fotest.Home() as home, Ecs(token, want, fail_first=2) as srv:
        env = fotest.base_env(home.path, {"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.endpoint + "/creds",
                                          "AWS_CONTAINER_AUTHORIZATION_TOKEN": token})
        bad = run_cli(["creds"], env)
        check(bad.rc == 1 and "HTTP 503" in bad.error["message"] and len(srv.requests) == 2, f"503 x2: {bad!r}")
        srv.requests.clear()
        c = creds(dict(env, AWS_METADATA_SERVICE_NUM_ATTEMPTS="3"))
        check(c["source"] == "ecs" and len(srv.requests) == 3, f"3 attempts: {c} after {len(srv.requests)} requests")


def imds():
    with fotest.Home() as home, Imds() as srv:
        env = fotest.base_env(home.path, {"AWS_EC2_METADATA_DISABLED": None,
                                          "AWS_EC2_METADATA_SERVICE_ENDPOINT": srv.endpoint})
        c = creds(env)
        check(c["source"] == "imds" and c["access_key_id"] == CREDS["AccessKeyId"] and c["session_token"], f"{c}")
        methods = [(m, p) for m, p, _ in srv.requests]
        check(methods[0] == ("PUT", "/latest/api/token"), f"IMDSv2 token not first: {methods}")
        check(all(h.get("X-aws-ec2-metadata-token") == Imds.TOKEN for m, _, h in srv.requests if m == "GET"),
              "GET without the IMDSv2 token")
        check(methods[-1] == ("GET", "/latest/meta-data/iam/security-credentials/" + Imds.ROLE), f"{methods}")
        # disabled: not asked
        n = len(srv.requests)
        bad = run_cli(["creds"], dict(env, AWS_EC2_METADATA_DISABLED="true"))
        check(bad.rc == 1 and len(srv.requests) == n, "IMDS asked while disabled")
        check("no AWS credentials found" in bad.error["message"], f"message {bad.error}")


def sso():
    import hashlib
    import json as _json
    token = "ssoAccessTokenFOFOFOFOFOFOFO"
    role = {"accessKeyId": "ASIAFOSSOEXAMPLE0001", "secretAccessKey": "ssoSecretFoFoFoFoFoFoFoFoFoFoFoFoFoFo001",
            "sessionToken": "ssoSessionTokenFOFO", "expiration": 4070908800000}
    with fotest.Home() as home, SsoPortal(token, role) as portal:
        home.write(".aws/config", "[profile dev-sso]\nsso_session = corp\nsso_account_id = 111122223333\n"
                   "sso_role_name = Admin\nregion = us-east-2\n\n[sso-session corp]\n"
                   "sso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\n"
                   "[profile legacy]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\n"
                   "sso_account_id = 111122223333\nsso_role_name = Reader\n\n"
                   "[profile nosession]\nsso_session = gone\nsso_account_id = 1\nsso_role_name = x\n")
        cache = {"accessToken": token, "expiresAt": "2099-01-01T00:00:00Z", "region": "eu-west-1"}
        for key in ("corp", "https://old.awsapps.com/start"):
            home.write(".aws/sso/cache/" + hashlib.sha1(key.encode()).hexdigest() + ".json", _json.dumps(cache))
        env = fotest.base_env(home.path, {"AWS_ENDPOINT_URL_SSO": portal.endpoint})
        c = creds(env, "--profile", "dev-sso")
        check(c["source"] == "profile:dev-sso" and c["access_key_id"] == "ASIAFOSSOEXAMPLE0001", f"sso {c}")
        check(c["session_token"] and c["expiration"] == 4070908800, f"sso {c}")
        _, path, headers = portal.requests[-1]
        check("account_id=111122223333" in path and "role_name=Admin" in path, f"portal request {path}")
        check("Authorization" not in headers, "the portal call must not be SigV4-signed")
        check(creds(env, "--profile", "legacy")["access_key_id"] == "ASIAFOSSOEXAMPLE0001", "legacy sso profile")
        check("role_name=Reader" in portal.requests[-1][1], "legacy role")
        bad = run_cli(["--profile", "nosession", "creds"], env)
        check(bad.rc == 1 and "[sso-session gone]" in bad.error["message"], f"missing session: {bad!r}")
        # expired login: tell the user what to run
        home.write(".aws/sso/cache/" + hashlib.sha1(b"corp").hexdigest() + ".json",
                   _json.dumps(dict(cache, expiresAt="2020-01-01T00:00:00Z")))
        bad = run_cli(["--profile", "dev-sso", "creds"], env)
        check(bad.rc == 1 and "aws sso login" in bad.error["message"], f"expired: {bad!r}")
        # wrong token: the portal's 401 becomes the error
        home.write(".aws/sso/cache/" + hashlib.sha1(b"corp").hexdigest() + ".json",
                   _json.dumps(dict(cache, accessToken="stale")))
        bad = run_cli(["--profile", "dev-sso", "creds"], env)
        check(bad.rc == 1 and bad.error["status"] == 401, f"stale token: {bad!r}")


def run_bounded(args, env):
    """run_cli with a short limit: a blocked client (on a FIFO, a hung process) fails the test instead of hanging it."""
    import subprocess
    try:
        return run_cli(args, env, timeout=30)
    except subprocess.TimeoutExpired:
        raise fotest.TestFailure(f"fo_aws_cli {' '.join(args)} did not end within 30 s")


def special_files():
    """Every file the chain reads (config, credentials, web identity token, ECS token, SSO cache) may be a FIFO
    or a device: the client fails at once with an error naming the path, never blocks (issue 8 item 2).
    /dev/null still reads as an empty file."""
    import hashlib
    with fotest.Home() as home:
        fifo = os.path.join(home.path, "pipe")
        os.mkfifo(fifo)
        want = f"cannot read '{fifo}': not a regular file (is a FIFO)"
        cases = {
            "AWS_CONFIG_FILE": {"AWS_CONFIG_FILE": fifo},
            "AWS_SHARED_CREDENTIALS_FILE": {"AWS_SHARED_CREDENTIALS_FILE": fifo},
            "web identity": {"AWS_WEB_IDENTITY_TOKEN_FILE": fifo, "AWS_ROLE_ARN": ROLE},
            "ECS token file": {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/creds",
                               "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": fifo},
        }
        for what, extra in cases.items():
            bad = run_bounded(["creds"], fotest.base_env(home.path, extra))
            check(bad.rc == 1 and bad.error and want in bad.error["message"], f"{what} as a FIFO: {bad!r}")
        # the CA bundle is opened by curl, blocking: it is checked first (the same class, found in review)
        bad = run_bounded(["whoami"], fotest.base_env(home.path, {
            "AWS_CA_BUNDLE": fifo, "AWS_ACCESS_KEY_ID": "AKIAFOCABUNDLE000001",
            "AWS_SECRET_ACCESS_KEY": "caBundleSecretFoFoFoFoFoFoFoFoFoFoFoFo01",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}))
        check(bad.rc == 1 and bad.error and f"AWS_CA_BUNDLE '{fifo}': not a regular file (is a FIFO)"
              in bad.error["message"], f"AWS_CA_BUNDLE as a FIFO: {bad!r}")
        bad = run_bounded(["creds"], fotest.base_env(home.path, {"AWS_CONFIG_FILE": "/dev/zero"}))
        check(bad.rc == 1 and "cannot read '/dev/zero': not a regular file (is a character device)"
              in bad.error["message"], f"/dev/zero as config: {bad!r}")
        # /dev/null switches a file off, as with the SDKs
        home.write(".aws/credentials", "[default]\naws_access_key_id = AKIAFODEFAULT0000001\n"
                   "aws_secret_access_key = defaultSecretFoFoFoFoFoFoFoFoFoFoFoFoF01\n")
        c = creds(fotest.base_env(home.path, {"AWS_CONFIG_FILE": "/dev/null"}))
        check(c["access_key_id"] == "AKIAFODEFAULT0000001", f"/dev/null config: {c}")
        # the SSO token cache
        home.write(".aws/config", "[profile s]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = x\n\n"
                   "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n")
        cache = os.path.join(home.path, ".aws/sso/cache", hashlib.sha1(b"corp").hexdigest() + ".json")
        os.makedirs(os.path.dirname(cache))
        os.mkfifo(cache)
        bad = run_bounded(["--profile", "s", "creds"], fotest.base_env(home.path, {"AWS_ENDPOINT_URL_SSO": "http://127.0.0.1:9"}))
        check(bad.rc == 1 and f"cannot read '{cache}': not a regular file (is a FIFO)" in bad.error["message"],
              f"SSO cache as a FIFO: {bad!r}")


def process_timeout():
    """A credential_process that never ends, or that leaves a child holding its stdout, is killed (with its
    process group) after the timeout, and the error names the profile (issue 8 item 9); a cancelled call stops
    it at once.
    FO_AWS_CREDENTIAL_PROCESS_TIMEOUT shortens the SDKs' one minute for the test."""
    with fotest.Home() as home:
        pidfile = os.path.join(home.path, "child.pid")
        home.write(".aws/config", "[profile hang]\ncredential_process = sleep 100000\n\n"
                   f"[profile orphan]\ncredential_process = sh -c 'sleep 100000 & echo $! > {pidfile}; exit 0'\n\n"
                   "[profile closed]\ncredential_process = sh -c 'exec >&-; sleep 100000'\n")
        env = fotest.base_env(home.path, {"FO_AWS_CREDENTIAL_PROCESS_TIMEOUT": "2"})
        # sleeps for ever; exits but leaves a child holding stdout; closes stdout but never exits
        for profile in ("hang", "orphan", "closed"):
            bad = run_bounded(["--profile", profile, "creds"], env)
            check(bad.rc == 1 and bad.error and f"profile:{profile}: credential_process" in bad.error["message"]
                  and "timed out after 2 s" in bad.error["message"], f"{profile}: {bad!r}")
        # the child that held stdout is gone too (killed with the group; init reaps it)
        pid = int(open(pidfile).read())

        def gone():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    return f.read().split(")")[-1].split()[0] in ("Z", "X")
            except OSError:
                return True
        check(fotest.wait_for(gone, 30), f"the orphaned child {pid} still runs")
        # cancelling the call's token stops the command at once (the 60 s default would outlast the 40 s ceiling)
        marker = os.path.join(home.path, "started.pid")
        home.write(".aws/config", f"[profile slow]\ncredential_process = sh -c 'echo $$ > {marker}; exec sleep 100000'\n")
        proc = fotest.start_cli(["--profile", "slow", "--cancel-on-stdin", "creds"], fotest.base_env(home.path))
        check(fotest.wait_for(lambda: os.path.exists(marker) and open(marker).read().strip(), 30), "command not started")
        proc.stdin.write("cancel\n")
        proc.stdin.flush()
        res = fotest.finish_cli(proc, 40)
        check(res is not None, "cancel did not stop the credential_process")
        check(res.rc == 1 and res.error["rc"] == -6 and "cancelled" in res.error["message"], f"cancel: {res!r}")
        pid = int(open(marker).read())
        check(fotest.wait_for(gone, 30), f"the cancelled command {pid} still runs")
        # a process that answers in time still works under the short timeout
        script = home.write("bin/ok.sh", "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAFOPROCESS0000002\","
                            " \"SecretAccessKey\": \"procSecretFoFoFoFoFoFoFoFoFoFoFoFoFo002\"}'\n", 0o700)
        home.write(".aws/config", f"[profile ok]\ncredential_process = {script}\n")
        c = creds(env, "--profile", "ok")
        check(c["access_key_id"] == "AKIAFOPROCESS0000002", f"ok: {c}")


def unsafe_values():
    """Values from outside that reach a request are checked (issue 8 item 10): an IMDS token with CR/LF (would
    add a header), an IMDS role name that climbs the path, ECS tokens and URIs, the SSO cache token, and
    credentials with CR/LF from any provider (here credential_process)."""
    import hashlib
    import json as _json
    with fotest.Home() as home:
        env = fotest.base_env(home.path, {"AWS_EC2_METADATA_DISABLED": None})
        with Imds(token="tok\r\nX-Injected: 1") as srv:
            bad = run_bounded(["creds"], dict(env, AWS_EC2_METADATA_SERVICE_ENDPOINT=srv.endpoint))
            check(bad.rc == 1 and "instance metadata: the session token is not a valid header value: byte 4 is 0x0d"
                  in bad.error["message"], f"CRLF token: {bad!r}")
            check([m for m, _, _ in srv.requests] == ["PUT"], f"token with CRLF was used: {srv.requests}")
        for role, want in (("../../../etc", "byte 3 is '/'"), ("..", "'..' is not a name"), ("a b", "byte 2 is 0x20")):
            with Imds(role=role) as srv:
                bad = run_bounded(["creds"], dict(env, AWS_EC2_METADATA_SERVICE_ENDPOINT=srv.endpoint))
                check(bad.rc == 1 and "instance metadata: the role name" in bad.error["message"]
                      and want in bad.error["message"], f"role {role!r}: {bad!r}")
                paths = [p for _, p, _ in srv.requests]
                check(paths == ["/latest/api/token", "/latest/meta-data/iam/security-credentials/"],
                      f"role {role!r} reached a request: {paths}")
        # ECS: the Authorization token (variable or file) and the URIs
        ecs = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/creds"}
        bad = run_bounded(["creds"], fotest.base_env(home.path, dict(ecs, AWS_CONTAINER_AUTHORIZATION_TOKEN="a\nX-Injected: 1")))
        check(bad.rc == 1 and "AWS_CONTAINER_AUTHORIZATION_TOKEN is not a valid header value: byte 2 is 0x0a"
              in bad.error["message"], f"ECS token: {bad!r}")
        tf = home.write("ecs-token", "abc\rX-Injected: 1\n")
        bad = run_bounded(["creds"], fotest.base_env(home.path, dict(ecs, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=tf)))
        check(bad.rc == 1 and "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: the token is not a valid header value"
              in bad.error["message"], f"ECS token file: {bad!r}")
        bad = run_bounded(["creds"], fotest.base_env(home.path, {
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:80@example.com/creds"}))
        check(bad.rc == 1 and "AWS_CONTAINER_CREDENTIALS_FULL_URI has user info" in bad.error["message"]
              and "example.com" not in bad.error["message"], f"ECS full URI with user info: {bad!r}")
        bad = run_bounded(["creds"], fotest.base_env(home.path, {
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/creds HTTP/1.1\r\nX: y"}))
        check(bad.rc == 1 and "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a valid URL: byte 10 is 0x20"
              in bad.error["message"], f"ECS relative URI: {bad!r}")
        # the SSO cache token becomes the x-amz-sso_bearer_token header
        home.write(".aws/config", "[profile s]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = x\n\n"
                   "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n")
        home.write(".aws/sso/cache/" + hashlib.sha1(b"corp").hexdigest() + ".json",
                   _json.dumps({"accessToken": "t\r\nX-Injected: 1", "expiresAt": "2099-01-01T00:00:00Z"}))
        bad = run_bounded(["--profile", "s", "creds"], fotest.base_env(home.path, {"AWS_ENDPOINT_URL_SSO": "http://127.0.0.1:9"}))
        check(bad.rc == 1 and "the accessToken is not a valid header value: byte 2 is 0x0d" in bad.error["message"],
              f"SSO token: {bad!r}")
        # credentials with CR/LF, here from credential_process
        out = _json.dumps({"Version": 1, "AccessKeyId": "AKIAFO\r\nX-Injected: 1", "SecretAccessKey": "s" * 40})
        script = home.write("bin/evil.sh", f"#!/bin/sh\ncat <<'EOF'\n{out}\nEOF\n", 0o700)
        home.write(".aws/config", f"[profile evil]\ncredential_process = {script}\n")
        bad = run_bounded(["--profile", "evil", "creds"], fotest.base_env(home.path))
        check(bad.rc == 1 and "the access key id is not a valid header value: byte 7 is 0x0d" in bad.error["message"],
              f"process AKID: {bad!r}")


def order():
    """explicit > env > web identity > profile > ECS > IMDS, each step removed in turn."""
    with fotest.Moto() as moto, fotest.Home() as home, Imds() as imds_srv, \
            Ecs("t0ken-FOFO", dict(CREDS, AccessKeyId="ASIAFOECSEXAMPLE0002")) as ecs_srv:
        tok = home.write("oidc/token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcmRlciJ9.c2ln\n")
        home.write(".aws/credentials", "[default]\naws_access_key_id = AKIAFODEFAULT0000002\n"
                   "aws_secret_access_key = defaultSecretFoFoFoFoFoFoFoFoFoFoFoFoF02\n")
        full = fotest.base_env(home.path, dict(ENV_KEYS, AWS_ENDPOINT_URL=moto.endpoint,
                                               AWS_WEB_IDENTITY_TOKEN_FILE=tok, AWS_ROLE_ARN=ROLE,
                                               AWS_CONTAINER_CREDENTIALS_FULL_URI=ecs_srv.endpoint + "/creds",
                                               AWS_CONTAINER_AUTHORIZATION_TOKEN="t0ken-FOFO",
                                               AWS_EC2_METADATA_DISABLED=None,
                                               AWS_EC2_METADATA_SERVICE_ENDPOINT=imds_srv.endpoint))
        c = creds(full, "--access-key", "AKIAFOSTATICEXAMPLE2", "--secret-key", "s" * 40)
        check(c["source"] == "static", f"1 explicit: {c}")
        check(creds(full)["source"] == "env", "2 env")
        full.pop("AWS_ACCESS_KEY_ID")
        full.pop("AWS_SECRET_ACCESS_KEY")
        check(creds(full)["source"] == "web-identity", "3 web identity")
        full.pop("AWS_WEB_IDENTITY_TOKEN_FILE")
        check(creds(full)["source"] == "profile:default", "4 profile")
        os.remove(os.path.join(home.path, ".aws/credentials"))
        c = creds(full)
        check(c["source"] == "ecs" and c["access_key_id"] == "ASIAFOECSEXAMPLE0002", f"5 ecs: {c}")
        full.pop("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        check(creds(full)["source"] == "imds", "6 imds")
        full["AWS_EC2_METADATA_DISABLED"] = "true"
        bad = run_cli(["creds"], full)
        check(bad.rc == 1 and bad.error["message"].startswith("no AWS credentials found ("), f"none: {bad!r}")
        for name in ("env:", "web-identity:", "profile:", "ecs:", "imds:"):
            check(name in bad.error["message"], f"message does not list {name}: {bad.error['message']}")


if __name__ == "__main__":
    fotest.main({"env": env_, "static": static, "profile": profile, "assume_role": assume_role,
                 "credential_process": credential_process, "web_identity": web_identity, "ecs": ecs,
                 "imds": imds, "sso": sso, "order": order, "special_files": special_files,
                 "process_timeout": process_timeout, "unsafe_values": unsafe_values})
