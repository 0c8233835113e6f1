"""aws.retry.*: SDK standard-mode retries through a fault-injecting proxy in
front of moto. Each test scripts the proxy, runs one call of fo_aws_cli with
--trace-retries (one JSON line per retry decision) and asserts the number of
attempts the proxy saw, each backoff against its bound, and the final result.
Backoff base is 50 ms, cap 400 ms, so the bounds are 50, 100, 200, 400 ms."""
import time

import fotest
from fault_proxy import FaultProxy
from fotest import check, run_cli

BASE, CAP = 50, 400
RETRY = ["--retry-base-ms", str(BASE), "--retry-max-ms", str(CAP), "--trace-retries", "--stats"]


def scenario(steps, args, extra_cli=None, region="us-east-1"):
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, steps) as proxy:
        env = fotest.base_env(home.path, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                                          "AWS_REGION": region})
        if extra_cli is None:
            extra_cli = []
        res = run_cli(["--endpoint-url", proxy.endpoint] + RETRY + extra_cli + args, env)
        return res, proxy.hits, moto


def check_bounds(events, fixed=None):
    for i, ev in enumerate(events, start=1):
        bound = min(CAP, BASE * 2 ** (i - 1))
        check(ev["attempt"] == i, f"event {i} has attempt {ev['attempt']}")
        check(ev["cap_ms"] == bound, f"retry {i}: cap {ev['cap_ms']} != {bound}")
        check(0 <= ev["delay_ms"] <= bound, f"retry {i}: delay {ev['delay_ms']} outside [0, {bound}]")
        if fixed is not None:
            check(ev["delay_ms"] == int(fixed * bound), f"retry {i}: delay {ev['delay_ms']} != {fixed}*{bound}")


def throttle():
    # query protocol: Throttling, Throttling, 200
    res, hits, _ = scenario(["throttle", "throttle", "pass"], ["whoami"], ["--fixed-random", "0.5"])
    check(res.rc == 0 and res.json and res.json.get("Account") == fotest.ACCOUNT, f"throttle: {res!r}")
    check(hits == 3, f"throttle: proxy saw {hits} attempts, want 3")
    ev = res.retries()
    check([e["class"] for e in ev] == ["throttle", "throttle"] and ev[0]["code"] == "Throttling", f"events {ev}")
    check_bounds(ev, fixed=0.5)
    check(res.stats() == {"calls": 1, "attempts": 3}, f"stats {res.stats()}")
    # rest-json: ThrottlingException in X-Amzn-ErrorType, then 200
    res, hits, _ = scenario(["throttle-json", "pass"], ["backup-list-plans"])
    check(res.rc == 0 and hits == 2, f"rest-json throttle: hits {hits} {res!r}")
    ev = res.retries()
    check(len(ev) == 1 and ev[0]["code"] == "ThrottlingException" and ev[0]["class"] == "throttle", f"events {ev}")
    check_bounds(ev)


def server():
    res, hits, _ = scenario(["500", "503", "pass"], ["whoami"])
    check(res.rc == 0 and hits == 3, f"500,503,200: hits {hits} {res!r}")
    ev = res.retries()
    check([e["status"] for e in ev] == [500, 503], f"events {ev}")
    # InternalFailure and ServiceUnavailable are transient codes in the SDKs
    check([e["code"] for e in ev] == ["InternalFailure", "ServiceUnavailable"], f"codes {ev}")
    check_bounds(ev)
    # a bare 502 page from a load balancer: retried as a server error
    res, hits, _ = scenario(["502", "504", "pass"], ["route53-list-zones"], ["--max-attempts", "4"])
    check(res.rc == 0 and hits == 3 and res.json == [], f"502,504,200: hits {hits} {res!r}")
    ev = res.retries()
    check([(e["status"], e["code"], e["class"]) for e in ev] ==
          [(502, "Http502", "server"), (504, "InternalFailure", "transient")], f"events {ev}")
    check_bounds(ev)


def reset():
    res, hits, _ = scenario(["reset", "pass"], ["whoami"])
    check(res.rc == 0 and hits == 2, f"reset,200: hits {hits} {res!r}")
    ev = res.retries()
    check(len(ev) == 1 and ev[0]["status"] == 0 and ev[0]["class"] == "transient", f"events {ev}")
    check_bounds(ev)
    # resets only: the final error says no response and how many attempts
    res, hits, _ = scenario(["reset"] * 5, ["whoami"], ["--max-attempts", "3"])
    check(res.rc == 1 and hits == 3, f"reset x3: hits {hits} {res!r}")
    check(res.error["code"] == "ConnectionError" and res.error["status"] == 0 and res.error["attempts"] == 3,
          f"error {res.error}")
    check("no response after 3 attempts" in res.error["message"], f"message {res.error['message']}")


def timeout():
    res, hits, _ = scenario(["slow:3", "pass"], ["whoami"], ["--timeout-ms", "800"])
    check(res.rc == 0 and hits == 2, f"slow,200: hits {hits} {res!r}")
    ev = res.retries()
    check(len(ev) == 1 and ev[0]["class"] == "timeout" and ev[0]["code"] == "RequestTimeout", f"events {ev}")
    check_bounds(ev)
    res, hits, _ = scenario(["slow:3", "slow:3"], ["whoami"], ["--timeout-ms", "500", "--max-attempts", "2"])
    check(res.rc == 1 and hits == 2 and res.error["code"] == "RequestTimeout", f"slow x2: hits {hits} {res!r}")


def retry_after():
    # Retry-After: 1 replaces the 50 ms backoff with 1000 ms (cap raised to 2 s)
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, ["retry-after:1", "pass"]) as proxy:
        env = fotest.base_env(home.path, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
        res = run_cli(["--endpoint-url", proxy.endpoint, "--retry-base-ms", "50", "--retry-max-ms", "2000",
                       "--trace-retries", "whoami"], env)
        check(res.rc == 0 and proxy.hits == 2, f"retry-after: hits {proxy.hits} {res!r}")
        ev = res.retries()
        check(len(ev) == 1 and ev[0]["delay_ms"] == 1000, f"Retry-After not honoured: {ev}")
        # a lower bound only (sleeping never ends early), so a slow machine cannot flake it
        gap = proxy.log[1][0] - proxy.log[0][0]
        check(gap >= 0.9, f"second attempt came {gap:.3f} s after the first, before Retry-After")
        # a huge Retry-After is capped at the maximum backoff
    res, hits, _ = scenario(["retry-after:3600", "pass"], ["whoami"])
    ev = res.retries()
    check(res.rc == 0 and hits == 2 and len(ev) == 1 and ev[0]["delay_ms"] == CAP, f"capped Retry-After: {ev}")


def non_retryable():
    res, hits, _ = scenario(["denied", "pass"], ["whoami"])
    check(res.rc == 1 and hits == 1, f"denied: hits {hits} {res!r}")
    check(res.retries() == [], f"denied was retried: {res.retries()}")
    e = res.error
    check(e["code"] == "AccessDenied" and e["status"] == 403 and e["attempts"] == 1, f"error {e}")
    check(e["request_id"] == "fault-1" and "injected denial" in e["message"], f"error {e}")
    check(e["message"].startswith("sts GetCallerIdentity: AccessDenied: injected denial (HTTP 403"), e["message"])


def max_attempts():
    res, hits, _ = scenario(["500"] * 10, ["whoami"], ["--max-attempts", "4", "--fixed-random", "0.99"])
    check(res.rc == 1 and hits == 4, f"500 x4: hits {hits} {res!r}")
    e = res.error
    check(e["code"] == "InternalFailure" and e["status"] == 500 and e["attempts"] == 4, f"error {e}")
    ev = res.retries()
    check(len(ev) == 3, f"want 3 retries, got {ev}")
    check_bounds(ev, fixed=0.99)
    # AWS_MAX_ATTEMPTS from the environment, as the SDKs read it
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, ["500"] * 10) as proxy:
        env = fotest.base_env(home.path, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                                          "AWS_MAX_ATTEMPTS": "2"})
        res = run_cli(["--endpoint-url", proxy.endpoint, "--retry-base-ms", "10", "whoami"], env)
        check(res.rc == 1 and proxy.hits == 2, f"AWS_MAX_ATTEMPTS=2: hits {proxy.hits}")


def connection_reuse():
    # 40 calls from 2 threads of one client: kept-alive connections, not 40 new ones
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, []) as proxy:
        env = fotest.base_env(home.path, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
        res = run_cli(["--endpoint-url", proxy.endpoint, "bench", "whoami", "40", "2"], env)
        check(res.rc == 0 and res.json["errors"] == 0, f"{res!r}")
        check(proxy.hits == 41, f"proxy saw {proxy.hits} requests, want 41 (1 warm-up)")
        check(proxy.connections <= 3, f"{proxy.connections} connections for 41 requests: no reuse")
        # after a reset the client opens a new connection and goes on
    res, hits, _ = scenario(["reset", "pass"], ["whoami"])
    check(res.rc == 0 and hits == 2, f"{res!r}")


def cancel():
    # StopProvider: cancelling the client ends a slow transfer and a backoff
    # sleep at once with FO_ECANCELED (-6), not after the timeout / the delay
    res, hits, _ = scenario(["slow:20", "pass"], ["--cancel-after-ms", "500", "--timeout-ms", "60000", "whoami"])
    check(res.rc == 1 and res.error["rc"] == -6 and "cancelled" in res.error["message"], f"slow: {res!r}")
    check(hits == 1 and res.retries() == [], f"cancelled call was retried: hits {hits}")
    res, hits, _ = scenario(["500"] * 5, ["--cancel-after-ms", "500", "--retry-base-ms", "30000",
                                          "--retry-max-ms", "30000", "--fixed-random", "0.9", "whoami"])
    check(res.rc == 1 and res.error["rc"] == -6 and hits == 1, f"backoff: hits {hits} {res!r}")
    check(len(res.retries()) == 1 and res.retries()[0]["delay_ms"] == 27000, f"events {res.retries()}")


def clock_skew():
    # the server says our clock is an hour behind: the call is signed again at
    # once with the server's time (not counted as a retry) and succeeds
    import calendar
    res, hits, _ = scenario(["skewed:3600", "pass"], ["whoami"], ["--max-attempts", "1"])
    check(res.rc == 0 and hits == 2, f"skew: hits {hits} {res!r}")
    ev = res.retries()
    check(len(ev) == 1 and ev[0]["code"] == "RequestTimeTooSkewed" and ev[0]["delay_ms"] == 0, f"events {ev}")
    check("local clock is 3600 s behind the server" in res.err or "local clock is 3599 s behind" in res.err, f"no skew warning: {res.err[-500:]}")
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, ["skewed:-7200", "pass"]) as proxy:
        env = fotest.base_env(home.path, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
        res = run_cli(["--endpoint-url", proxy.endpoint, "whoami"], env)
        check(res.rc == 0 and proxy.hits == 2, f"{res!r}")
        t = [calendar.timegm(time.strptime(d, "%Y%m%dT%H%M%SZ")) for d in proxy.amz_dates]
        check(abs((t[0] - t[1]) - 7200) <= 5, f"second signature not 2 h earlier: {proxy.amz_dates}")
    # a skew-type error without a skewed Date is an ordinary error
    res, hits, _ = scenario(["skewed:10", "pass"], ["whoami"])
    check(res.rc == 1 and hits == 1 and res.error["code"] == "RequestTimeTooSkewed", f"small skew: {res!r}")


if __name__ == "__main__":
    fotest.main({"throttle": throttle, "server": server, "reset": reset, "timeout": timeout,
                 "retry_after": retry_after, "non_retryable": non_retryable, "max_attempts": max_attempts,
                 "clock_skew": clock_skew, "connection_reuse": connection_reuse, "cancel": cancel})
