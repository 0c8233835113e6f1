"""aws.secrets.debug_log: with debug logging on (TF_LOG=DEBUG) every request
and response is logged; the access keys, secrets, session tokens, the web
identity token and the credentials STS hands out must never appear in
stderr, also when calls fail."""
import fotest
from fotest import check, expect_ok, run_cli

ROLE = "arn:aws:iam::123456789012:role/fo-deploy"
AK = "AKIAFOSECRETTEST0001"
SK = "secretKeyMustNeverBeLoggedFoFoFoFoFoFo01"
TOK = "sessionTokenMustNeverBeLogged-FOFOFOFOFOFOFOFOFOFOFOFOFO"
WIT = "eyJhbGciOiJSUzI1NiJ9.webIdentityTokenMustNeverBeLogged.c2lnbmF0dXJlRk9GTw"


def debug_log():
    with fotest.Moto() as moto, fotest.Home() as home:
        moto.boto("route53").create_hosted_zone(Name="example.com.", CallerReference="s1")
        tok = home.write("oidc/token", WIT + "\n")
        secrets = [AK, SK, TOK, WIT]
        logs = []

        env = fotest.base_env(home.path, {"TF_LOG": "DEBUG", "AWS_ENDPOINT_URL": moto.endpoint,
                                          "AWS_ACCESS_KEY_ID": AK, "AWS_SECRET_ACCESS_KEY": SK,
                                          "AWS_SESSION_TOKEN": TOK})
        for args in (["whoami"], ["route53-list-zones"], ["backup-list-plans"], ["s3-presign", "b", "k"]):
            res = run_cli(args, env)
            check(res.rc == 0, f"{args}: {res!r}")
            logs.append(res.err)
        # the debug log is really on and shows the requests
        check("aws http request: POST" in logs[0] and "aws http response: 200" in logs[0], f"no debug log: {logs[0][:500]}")
        check("Authorization: [REDACTED]" in logs[0] and "X-Amz-Security-Token: [REDACTED]" in logs[0],
              "Authorization / token headers not redacted")

        # web identity and assume role: the STS bodies carry the token and new secrets
        envw = fotest.base_env(home.path, {"TF_LOG": "DEBUG", "AWS_ENDPOINT_URL": moto.endpoint,
                                           "AWS_WEB_IDENTITY_TOKEN_FILE": tok, "AWS_ROLE_ARN": ROLE})
        res = run_cli(["creds"], envw)
        got = expect_ok(res, "web identity creds")
        secrets.append(got["access_key_id"])
        logs.append(res.err)
        res = run_cli(["whoami"], envw)
        check(res.rc == 0, f"{res!r}")
        logs.append(res.err)
        check("[REDACTED: " in res.err, "STS credential bodies not marked redacted")
        res = run_cli(["--assume-role", ROLE, "creds"], env)
        secrets.append(expect_ok(res, "assume role creds")["access_key_id"])
        logs.append(res.err)

        # container and instance credentials: their tokens and keys
        from cred_servers import CREDS, Ecs, Imds
        ecs_tok = "ecsAuthTokenMustNeverBeLogged-FOFO"
        with Ecs(ecs_tok, dict(CREDS, AccessKeyId="ASIAFOECSSECRET00001")) as ecs, Imds() as imds:
            base = fotest.base_env(home.path, {"TF_LOG": "DEBUG", "AWS_ENDPOINT_URL": moto.endpoint})
            res = run_cli(["whoami"], dict(base, AWS_CONTAINER_CREDENTIALS_FULL_URI=ecs.endpoint + "/creds",
                                           AWS_CONTAINER_AUTHORIZATION_TOKEN=ecs_tok))
            check(res.rc == 0 and "aws http request: GET " + ecs.endpoint in res.err, f"ecs: {res!r}")
            logs.append(res.err)
            res = run_cli(["whoami"], fotest.base_env(home.path, {
                "TF_LOG": "DEBUG", "AWS_ENDPOINT_URL": moto.endpoint, "AWS_EC2_METADATA_DISABLED": None,
                "AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.endpoint}))
            check(res.rc == 0 and "/latest/api/token" in res.err, f"imds: {res!r}")
            logs.append(res.err)
            secrets += [ecs_tok, "ASIAFOECSSECRET00001", CREDS["AccessKeyId"], CREDS["SecretAccessKey"],
                        CREDS["Token"], Imds.TOKEN]

        # a response that echoes the session token across the debug log's
        # 4096-byte body cut: no piece of it may survive the cut
        from fault_proxy import FaultProxy
        with FaultProxy(moto.endpoint, ["echo-at:4080"]) as proxy:
            res = run_cli(["--endpoint-url", proxy.endpoint, "--max-attempts", "1", "whoami"], env)
            check(res.rc == 1 and "aws http response body: xxxx" in res.err, f"echo: {res!r}")
            check(TOK[:12] not in res.err, "a piece of the session token survived the log body cut")
            logs.append(res.err + res.out)

        # failures: a wrong signature error and an unreachable endpoint
        # a port we hold bound but not listening: connections are refused, and
        # nothing else can take the port while we hold it (unlike a fixed port)
        import socket
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            res = run_cli(["--endpoint-url", f"http://127.0.0.1:{closed.getsockname()[1]}", "--max-attempts", "2",
                           "--retry-base-ms", "10", "whoami"], env)
        check(res.error and res.error["code"] == "ConnectionError" and res.error["attempts"] == 2, f"{res!r}")
        check(res.rc == 1, f"{res!r}")
        logs.append(res.err + res.out)

        joined = "\n".join(logs)
        for s in secrets:
            check(s not in joined, f"secret {s[:6]}... appears in the debug log")
        check(len(joined) > 2000, "suspiciously little debug output")


if __name__ == "__main__":
    fotest.main({"debug_log": debug_log})
