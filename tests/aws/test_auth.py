"""aws.auth.*: SigV4 checked by moto's IAM access control (code we did not write).

moto starts with INITIAL_NO_AUTH_ACTION_COUNT=6: the first six calls (boto3
setup: user, allow-all policy, access key, role, bucket, object) run without
auth; every later request must carry a valid signature of a key moto knows.

moto 5.2.5 verifies signatures for query (STS, Auto Scaling) and S3; for
Route53, EKS and Backup its check fails even for boto3's own requests, so
those services are exercised with auth off in test_services.py instead."""
import fotest
from fotest import check, expect_ok, run_cli

POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
TRUST = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},'
         '"Action":"sts:AssumeRole"}]}')
STATE = '{"version": 4, "terraform_version": "1.9.0", "resources": []}\n'


def signature():
    with fotest.Moto(auth_after=6) as moto, fotest.Home() as home:
        iam = moto.boto("iam")
        iam.create_user(UserName="fo-signer")
        iam.put_user_policy(UserName="fo-signer", PolicyName="all", PolicyDocument=POLICY)
        key = iam.create_access_key(UserName="fo-signer")["AccessKey"]
        role = iam.create_role(RoleName="fo-deploy", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
        s3 = moto.boto("s3")
        s3.create_bucket(Bucket="fo-state")
        s3.put_object(Bucket="fo-state", Key="env/prod dr/terraform.tfstate", Body=STATE.encode())
        ak, sk = key["AccessKeyId"], key["SecretAccessKey"]
        env = fotest.base_env(home.path, {"AWS_ENDPOINT_URL": moto.endpoint})
        good = ["--access-key", ak, "--secret-key", sk]
        wrong = ["--access-key", ak, "--secret-key", sk[:-1] + ("A" if sk[-1] != "A" else "B")]

        # correct secret: query protocol (STS, Auto Scaling) and S3 (UNSIGNED-PAYLOAD,
        # x-amz-content-sha256, no path normalisation, key with a space) are accepted
        ok = expect_ok(run_cli(good + ["whoami"], env), "whoami signed")
        check(ok["Arn"].endswith("user/fo-signer"), f"unexpected identity {ok}")
        expect_ok(run_cli(good + ["asg-describe"], env), "autoscaling signed")
        got = run_cli(good + ["s3-get", "fo-state", "env/prod dr/terraform.tfstate"], env)
        check(got.rc == 0 and got.out == STATE, f"s3 signed GetObject: {got!r}")

        # temporary credentials: AssumeRole signed with the user's key, then calls
        # signed with the session token
        res = expect_ok(run_cli(good + ["--assume-role", role, "whoami"], env), "assume role signed")
        check(":assumed-role/fo-deploy/" in res["Arn"], f"assumed identity {res}")

        # wrong secret: rejected by moto with SignatureDoesNotMatch, not retried
        for cmd in (["whoami"], ["asg-describe"]):
            bad = run_cli(wrong + cmd, env)
            check(bad.rc == 1 and bad.error, f"wrong secret accepted for {cmd}: {bad!r}")
            check(bad.error["code"] == "SignatureDoesNotMatch", f"wrong secret {cmd}: code {bad.error}")
            check(bad.error["status"] == 403 and bad.error["attempts"] == 1, f"wrong secret {cmd}: {bad.error}")
        bad = run_cli(wrong + ["s3-get", "fo-state", "env/prod dr/terraform.tfstate"], env)
        check(bad.rc == 1 and bad.error and bad.error["status"] == 403, f"s3 wrong secret: {bad!r}")
        check(bad.error["code"] == "SignatureDoesNotMatch", f"s3 wrong secret: code {bad.error}")
        check(STATE not in bad.out, "s3 wrong secret returned the object")

        # unknown key id
        bad = run_cli(["--access-key", "AKIAFOFOFOFOFOFOFOFO", "--secret-key", sk, "whoami"], env)
        check(bad.rc == 1 and bad.error and bad.error["code"] == "InvalidClientTokenId", f"unknown key: {bad!r}")


if __name__ == "__main__":
    fotest.main({"signature": signature})
