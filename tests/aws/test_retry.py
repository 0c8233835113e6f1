"""aws.retry.*: SDK standard-mode retries through a fault-injecting proxy in
front of moto. Each test scripts the proxy, runs one call of fo_aws_cli with
--trace-retries (one JSON line per retry decision) and asserts the number of
attempts the proxy saw, each backoff against its bound, and the final result.
Backoff base is 50 ms, cap 400 ms, so the bounds are 50, 100, 200, 400 ms.

Robust under load (CI runs these with ctest -j2 next to e2e and valgrind):
backoffs go through the injected sleep (--fake-sleep records what the engine
waited instead of sleeping, so no wall clock is measured), timeouts use a
proxy step that never answers (so the timeout does not race a slow machine)
and cancellation is triggered by events (the proxy holding the request, the
retry announced), not by a timer. Time limits that remain are only ceilings
far above what the call needs (a cancel must end a 90 s backoff)."""
import re
import time

import fotest
from fault_proxy import FaultProxy
from fotest import check, expect_ok, run_cli

BASE, CAP = 50, 400
RETRY = ["--retry-base-ms", str(BASE), "--retry-max-ms", str(CAP), "--trace-retries", "--stats", "--fake-sleep"]


def scenario(steps, args, extra_cli=None, region="us-east-1"):
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, steps) as proxy:
        env = fotest.base_env(home.path, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                                          "AWS_REGION": region})
        if extra_cli is None:
            extra_cli = []
        res = run_cli(["--endpoint-url", proxy.endpoint] + RETRY + extra_cli + args, env)
        return res, proxy.hits, moto


def check_bounds(events, fixed=None, sleeps=None):
    if sleeps is not None:
        # the engine slept exactly the delays it announced, one per retry
        check(sleeps == [ev["delay_ms"] for ev in events], f"slept {sleeps}, announced {events}")
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
    check_bounds(ev, fixed=0.5, sleeps=res.sleeps())
    check(res.stats() == {"calls": 1, "attempts": 3}, f"stats {res.stats()}")
    # rest-json: ThrottlingException in X-Amzn-ErrorType, then 200
    res, hits, _ = scenario(["throttle-json", "pass"], ["backup-list-plans"])
    check(res.rc == 0 and hits == 2, f"rest-json throttle: hits {hits} {res!r}")
    ev = res.retries()
    check(len(ev) == 1 and ev[0]["code"] == "ThrottlingException" and ev[0]["class"] == "throttle", f"events {ev}")
    check_bounds(ev, sleeps=res.sleeps())


def server():
    res, hits, _ = scenario(["500", "503", "pass"], ["whoami"])
    check(res.rc == 0 and hits == 3, f"500,503,200: hits {hits} {res!r}")
    ev = res.retries()
    check([e["status"] for e in ev] == [500, 503], f"events {ev}")
    # InternalFailure and ServiceUnavailable are transient codes in the SDKs
    check([e["code"] for e in ev] == ["InternalFailure", "ServiceUnavailable"], f"codes {ev}")
    check_bounds(ev, sleeps=res.sleeps())
    # a bare 502 page from a load balancer: retried as a server error
    res, hits, _ = scenario(["502", "504", "pass"], ["route53-list-zones"], ["--max-attempts", "4"])
    check(res.rc == 0 and hits == 3 and res.json == [], f"502,504,200: hits {hits} {res!r}")
    ev = res.retries()
    check([(e["status"], e["code"], e["class"]) for e in ev] ==
          [(502, "Http502", "server"), (504, "InternalFailure", "transient")], f"events {ev}")
    check_bounds(ev, sleeps=res.sleeps())


def reset():
    res, hits, _ = scenario(["reset", "pass"], ["whoami"])
    check(res.rc == 0 and hits == 2, f"reset,200: hits {hits} {res!r}")
    ev = res.retries()
    check(len(ev) == 1 and ev[0]["status"] == 0 and ev[0]["class"] == "transient", f"events {ev}")
    check_bounds(ev, sleeps=res.sleeps())
    # resets only: the final error says no response and how many attempts
    res, hits, _ = scenario(["reset"] * 5, ["whoami"], ["--max-attempts", "3"])
    check(res.rc == 1 and hits == 3, f"reset x3: hits {hits} {res!r}")
    check(res.error["code"] == "ConnectionError" and res.error["status"] == 0 and res.error["attempts"] == 3,
          f"error {res.error}")
    check("no response after 3 attempts" in res.error["message"], f"message {res.error['message']}")


def timeout():
    # the stalled attempt can only end by the client's timeout; 5 s leaves the
    # passing attempt (moto on a loaded machine) plenty of room
    res, hits, _ = scenario(["stall", "pass"], ["whoami"], ["--timeout-ms", "5000"])
    check(res.rc == 0 and hits == 2, f"stall,200: hits {hits} {res!r}")
    ev = res.retries()
    check(len(ev) == 1 and ev[0]["class"] == "timeout" and ev[0]["code"] == "RequestTimeout", f"events {ev}")
    check_bounds(ev, sleeps=res.sleeps())
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, ["stall", "stall"]) as proxy:
        env = fotest.base_env(home.path, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
        res = run_cli(["--endpoint-url", proxy.endpoint] + RETRY + ["--timeout-ms", "1000", "--max-attempts", "2",
                                                                    "whoami"], env)
        hits = proxy.wait_hits(2)
        check(res.rc == 1 and hits == 2 and res.error["code"] == "RequestTimeout" and res.error["attempts"] == 2,
              f"stall x2: hits {hits} {res!r}")
        check(res.stats() == {"calls": 1, "attempts": 2}, f"stats {res.stats()}")


def retry_after():
    # Retry-After: 1 replaces the 50 ms backoff with 1000 ms (cap raised to 2 s)
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, ["retry-after:1", "pass"]) as proxy:
        env = fotest.base_env(home.path, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
        res = run_cli(["--endpoint-url", proxy.endpoint, "--retry-base-ms", "50", "--retry-max-ms", "2000",
                       "--trace-retries", "whoami"], env)
        check(res.rc == 0 and proxy.hits == 2, f"retry-after: hits {proxy.hits} {res!r}")
        ev = res.retries()
        check(len(ev) == 1 and ev[0]["delay_ms"] == 1000, f"Retry-After not honoured: {ev}")
        # a real sleep here (no --fake-sleep), checked as a lower bound only:
        # sleeping never ends early, so a slow machine cannot flake it
        gap = proxy.log[1][0] - proxy.log[0][0]
        check(gap >= 0.9, f"second attempt came {gap:.3f} s after the first, before Retry-After")
        # a huge Retry-After is capped at the maximum backoff
    res, hits, _ = scenario(["retry-after:3600", "pass"], ["whoami"])
    ev = res.retries()
    check(res.rc == 0 and hits == 2 and len(ev) == 1 and ev[0]["delay_ms"] == CAP, f"capped Retry-After: {ev}")
    check(res.sleeps() == [CAP], f"capped Retry-After slept {res.sleeps()}")


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
    check_bounds(ev, fixed=0.99, sleeps=res.sleeps())
    # AWS_MAX_ATTEMPTS from the environment, as the SDKs read it
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, ["500"] * 10) as proxy:
        env = fotest.base_env(home.path, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                                          "AWS_MAX_ATTEMPTS": "2"})
        res = run_cli(["--endpoint-url", proxy.endpoint, "--retry-base-ms", "10", "whoami"], env)
        check(res.rc == 1 and proxy.hits == 2, f"AWS_MAX_ATTEMPTS=2: hits {proxy.hits}")
    # a value that is not a whole number in range is ignored (default 3 attempts), with a warning naming it
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, ["500"] * 10) as proxy:
        env = fotest.base_env(home.path, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                                          "AWS_MAX_ATTEMPTS": "2x", "TF_LOG": "warn"})
        res = run_cli(["--endpoint-url", proxy.endpoint, "--retry-base-ms", "10", "whoami"], env)
        check(res.rc == 1 and proxy.hits == 3, f"AWS_MAX_ATTEMPTS=2x: hits {proxy.hits}")
        check("ignoring AWS_MAX_ATTEMPTS='2x'" in res.err, f"warning: {res.err[-400:]!r}")


def idempotency():
    # the create reached AWS but its answer was lost: the retry carries the
    # same CreatorRequestId (made once per logical call, not per attempt), so
    # AWS treats it as the same create
    import json as _json
    plan = {"BackupPlanName": "fo-idem", "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "primary",
                                                     "ScheduleExpression": "cron(0 5 ? * * *)"}]}
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, ["lost", "pass"]) as proxy:
        env = fotest.base_env(home.path, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
        res = run_cli(["--endpoint-url", proxy.endpoint] + RETRY + ["backup-create-plan", _json.dumps(plan)], env)
        check(proxy.hits == 2 and len(res.retries()) == 1, f"lost,200: hits {proxy.hits} {res!r}")
        tokens = [_json.loads(b).get("CreatorRequestId") for b in proxy.bodies]
        check(tokens[0] and tokens[0] == tokens[1], f"retry changed the idempotency token: {tokens}")
        check(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", tokens[0]),
              f"token is not a UUID v4: {tokens[0]}")
    # a second logical create gets a fresh token
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, []) as proxy:
        env = fotest.base_env(home.path, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
        for name in ("a", "b"):
            expect_ok(run_cli(["--endpoint-url", proxy.endpoint, "backup-create-plan",
                               _json.dumps(dict(plan, BackupPlanName=name))], env), "create " + name)
        tokens = [_json.loads(b).get("CreatorRequestId") for b in proxy.bodies]
        check(len(tokens) == 2 and tokens[0] != tokens[1], f"two creates, one token: {tokens}")


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
    # cancelling the call's token ends a transfer in flight and a
    # backoff sleep with FO_ECANCELED (-6) instead of after the timeout / the
    # delay. The cancel is sent when the proxy holds the request / when the
    # retry was announced; the only time limit is a ceiling (40 s) far below
    # the 120 s timeout and the 90 s backoff an ignored cancel would take.
    env_keys = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, ["stall", "pass"]) as proxy:
        proc = fotest.start_cli(["--endpoint-url", proxy.endpoint, "--trace-retries", "--cancel-on-stdin",
                                 "--timeout-ms", "120000", "whoami"], fotest.base_env(home.path, env_keys))
        check(fotest.wait_for(lambda: proxy.hits >= 1), "the request never reached the proxy")
        proc.stdin.write("cancel\n")
        proc.stdin.flush()
        res = fotest.finish_cli(proc, 40)
        check(res is not None, "cancel did not end the transfer in flight")
        check(res.rc == 1 and res.error["rc"] == -6 and "cancelled" in res.error["message"], f"stall: {res!r}")
        check(proxy.hits == 1 and res.retries() == [], f"cancelled call was retried: hits {proxy.hits}")
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, ["500"] * 5) as proxy:
        proc = fotest.start_cli(["--endpoint-url", proxy.endpoint, "--trace-retries", "--cancel-on-stdin",
                                 "--retry-base-ms", "100000", "--retry-max-ms", "100000", "--fixed-random", "0.9",
                                 "whoami"], fotest.base_env(home.path, env_keys))
        check(fotest.wait_for(lambda: any(l.startswith("retry: ") for l in proc.lines)), "no retry announced")
        proc.stdin.write("cancel\n")
        proc.stdin.flush()
        res = fotest.finish_cli(proc, 40)
        check(res is not None, "cancel did not end the 90 s backoff")
        check(res.rc == 1 and res.error["rc"] == -6 and proxy.hits == 1, f"backoff: hits {proxy.hits} {res!r}")
        check(len(res.retries()) == 1 and res.retries()[0]["delay_ms"] == 90000, f"events {res.retries()}")


def clock_skew():
    # the server says our clock is an hour behind: the call is signed again at
    # once with the server's time (not counted as a retry) and succeeds
    import calendar
    res, hits, _ = scenario(["skewed:3600", "pass"], ["whoami"], ["--max-attempts", "1"])
    check(res.rc == 0 and hits == 2, f"skew: hits {hits} {res!r}")
    ev = res.retries()
    check(len(ev) == 1 and ev[0]["code"] == "RequestTimeTooSkewed" and ev[0]["delay_ms"] == 0, f"events {ev}")
    # the server's Date has 1 s resolution and arrives after some latency, so
    # the measured skew is a little under 3600 s (more so on a loaded machine)
    m = re.search(r"local clock is (\d+) s behind the server", res.err)
    check(m and 3540 <= int(m.group(1)) <= 3600, f"no skew warning: {res.err[-500:]}")
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, ["skewed:-7200", "pass"]) as proxy:
        env = fotest.base_env(home.path, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
        res = run_cli(["--endpoint-url", proxy.endpoint, "whoami"], env)
        check(res.rc == 0 and proxy.hits == 2, f"{res!r}")
        t = [calendar.timegm(time.strptime(d, "%Y%m%dT%H%M%SZ")) for d in proxy.amz_dates]
        check(abs((t[0] - t[1]) - 7200) <= 60, f"second signature not 2 h earlier: {proxy.amz_dates}")
    # a skew-type error without a skewed Date is an ordinary error
    res, hits, _ = scenario(["skewed:10", "pass"], ["whoami"])
    check(res.rc == 1 and hits == 1 and res.error["code"] == "RequestTimeTooSkewed", f"small skew: {res!r}")


def _done(proc, name):
    """The "done:" line fo_aws_cli pair printed for call `name`, or None."""
    import json as _json
    for line in list(proc.lines):
        if line.startswith("done: "):
            d = _json.loads(line[len("done: "):])
            if d.get("call") == name:
                return d
    return None


def cancel_one():
    # One client, two calls in flight, each under its own token (what the
    # provider does with concurrent RPCs): cancelling one ends exactly that
    # call with FO_ECANCELED (-6) and the other completes normally. Call a is
    # STS GetCallerIdentity (path "/"), call b Route53 ListHostedZones; the
    # proxy scripts each by path, so arrival order does not matter. The only
    # time limits are ceilings (60 s) far below the 120 s transfer timeout and
    # the 90 s backoff an ignored or shared cancel would take.
    env_keys = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    r53 = {"/2013-04-01/": ["hold"]}
    # 1. both held mid-transfer at the proxy; cancel a
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, ["hold"], r53) as proxy:
        proc = fotest.start_cli(["--endpoint-url", proxy.endpoint, "--timeout-ms", "120000", "--trace-retries",
                                 "pair", "whoami", "route53-list-zones"], fotest.base_env(home.path, env_keys))
        check(fotest.wait_for(lambda: proxy.held == 2), f"both calls never reached the proxy: held {proxy.held}")
        proc.stdin.write("cancel a\n")
        proc.stdin.flush()
        check(fotest.wait_for(lambda: _done(proc, "a") is not None), "cancelling call a did not end its transfer")
        a = _done(proc, "a")
        check(a["rc"] == -6 and "cancelled" in a["message"] and "GetCallerIdentity" in a["message"], f"a: {a}")
        check(_done(proc, "b") is None, f"call b ended with call a: {_done(proc, 'b')}")
        proxy.release()
        proc.stdin.close()
        res = fotest.finish_cli(proc, 60)
        check(res is not None, "call b did not finish after its request was released")
        check(res.json["b"] == {"rc": 0, "message": ""} and res.json["a"]["rc"] == -6, f"pair: {res!r}")
        check(res.retries() == [] and proxy.hits == 2, f"a cancelled call was retried: hits {proxy.hits} {res!r}")
    # 2. a in a 90 s backoff after a 500, b held mid-transfer; cancel a
    with fotest.Moto() as moto, fotest.Home() as home, FaultProxy(moto.endpoint, ["500"] * 5, r53) as proxy:
        proc = fotest.start_cli(["--endpoint-url", proxy.endpoint, "--trace-retries", "--retry-base-ms", "100000",
                                 "--retry-max-ms", "100000", "--fixed-random", "0.9", "--timeout-ms", "120000",
                                 "pair", "whoami", "route53-list-zones"], fotest.base_env(home.path, env_keys))
        check(fotest.wait_for(lambda: proxy.held == 1 and any(l.startswith("retry: ") for l in proc.lines)),
              f"call a never backed off / call b never held: held {proxy.held} {''.join(proc.lines)[-2000:]}")
        proc.stdin.write("cancel a\n")
        proc.stdin.flush()
        check(fotest.wait_for(lambda: _done(proc, "a") is not None), "cancelling call a did not end its backoff")
        a = _done(proc, "a")
        check(a["rc"] == -6 and "backoff" in a["message"], f"a: {a}")
        check(_done(proc, "b") is None, f"call b ended with call a: {_done(proc, 'b')}")
        proxy.release()
        proc.stdin.close()
        res = fotest.finish_cli(proc, 60)
        check(res is not None, "call b did not finish after its request was released")
        check(res.json["b"]["rc"] == 0 and res.json["a"]["rc"] == -6, f"pair: {res!r}")
        ev = res.retries()
        check(len(ev) == 1 and ev[0]["operation"] == "GetCallerIdentity" and ev[0]["delay_ms"] == 90000,
              f"events {ev}")
        check(proxy.hits == 2, f"call a tried again after its cancel: hits {proxy.hits}")


if __name__ == "__main__":
    fotest.main({"throttle": throttle, "server": server, "reset": reset, "timeout": timeout,
                 "retry_after": retry_after, "non_retryable": non_retryable, "max_attempts": max_attempts,
                 "clock_skew": clock_skew, "connection_reuse": connection_reuse, "cancel": cancel,
                 "cancel_one": cancel_one,
                 "idempotency": idempotency})
