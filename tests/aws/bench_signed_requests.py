"""bench.aws.signed_requests: signed requests per second against moto on
loopback, fo_aws (C, via fo_aws_cli bench) vs boto3, same call, same moto,
same run. moto (Python) is the bottleneck on loopback, so requests/second
are bounded by the server; client CPU per request (getrusage for the C
process, process_time for the boto3 process) shows the clients' own cost.
Not a test (label bench): it prints figures and fails only when a
side makes errors.

  env: FO_BENCH_N (default 2000), FO_BENCH_THREADS (4), FO_BENCH_OP
       (whoami = STS GetCallerIdentity, or route53-list-zones)"""
import json
import os
import threading
import time

import boto3
import botocore.config

import fotest
from fotest import check, run_cli

N = int(os.environ.get("FO_BENCH_N", "2000"))
THREADS = int(os.environ.get("FO_BENCH_THREADS", "4"))
OP = os.environ.get("FO_BENCH_OP", "whoami")


def boto3_run(endpoint):
    cfg = botocore.config.Config(max_pool_connections=THREADS, retries={"mode": "standard"})
    svc = "sts" if OP == "whoami" else "route53"
    clients = [boto3.session.Session().client(svc, endpoint_url=endpoint, region_name="us-east-1",
                                              aws_access_key_id="testing", aws_secret_access_key="testing",
                                              config=cfg) for _ in range(THREADS)]
    call = (lambda c: c.get_caller_identity()) if OP == "whoami" else (lambda c: c.list_hosted_zones())
    for c in clients:
        call(c)  # warm up
    errors = [0] * THREADS

    def work(i, n):
        for _ in range(n):
            try:
                call(clients[i])
            except Exception:
                errors[i] += 1

    ts = [threading.Thread(target=work, args=(i, N // THREADS + (1 if i < N % THREADS else 0)))
          for i in range(THREADS)]
    t0 = time.monotonic()
    cpu0 = time.process_time()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    secs = time.monotonic() - t0
    cpu = time.process_time() - cpu0
    return {"client": "boto3 " + boto3.__version__, "op": OP, "requests": N, "threads": THREADS,
            "errors": sum(errors), "seconds": secs, "rps": N / secs, "client_cpu_seconds": cpu,
            "client_cpu_us_per_request": cpu * 1e6 / N}


def main():
    import moto
    with fotest.Moto() as m, fotest.Home() as home:
        env = fotest.base_env(home.path, {"AWS_ENDPOINT_URL": m.endpoint, "AWS_ACCESS_KEY_ID": "testing",
                                          "AWS_SECRET_ACCESS_KEY": "testing"})
        if OP != "whoami":
            m.boto("route53").create_hosted_zone(Name="example.com.", CallerReference="b1")
        c_res = run_cli(["bench", OP, str(N), str(THREADS)], env, timeout=900)
        check(c_res.rc == 0 and c_res.json, f"C bench failed: {c_res!r}")
        c = c_res.json
        b = boto3_run(m.endpoint)
        c2 = run_cli(["bench", OP, str(N), str(THREADS)], env, timeout=900).json  # again, to see the spread
        out = {"moto": moto.__version__, "fo_aws": c, "fo_aws_again": c2, "boto3": b,
               "ratio_c_over_boto3": c["rps"] / b["rps"],
               "client_cpu_ratio_boto3_over_c": b["client_cpu_us_per_request"] / c["client_cpu_us_per_request"]}
        print(json.dumps(out, indent=2))
        check(c["errors"] == 0 and b["errors"] == 0, "errors during the benchmark")


if __name__ == "__main__":
    try:
        main()
    except fotest.TestFailure as e:
        print(f"FAIL: bench: {e}")
        raise SystemExit(1)
