#!/usr/bin/env python3
"""bench/exit_floor.py: how long the kernel takes to tear a provider process down, the floor under
"Shutdown -> exit". Each program is started as Terraform starts it (cookie, protocol 6, with or without
PLUGIN_CLIENT_CERT), its handshake line read, then it is sent SIGKILL and reaped: the time from kill(2) to
waitpid(2) returning is the exit with nothing of the program's own code in it (its threads woken and ended,
its mappings and page tables freed). A one-thread /bin/sleep is the reference. Figures only.

usage: bench/exit_floor.py [--rounds N] name=/path/to/provider ...
"""
import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

COOKIE = ("TF_PLUGIN_MAGIC_COOKIE", "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2")


def client_pem(tmp):
    key, crt = os.path.join(tmp, "k.pem"), os.path.join(tmp, "c.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", crt, "-days", "1", "-subj", "/CN=localhost"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(crt) as f:
        return f.read()


def kill_to_reaped(argv, env, tmp):
    p = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=tmp)
    if not p.stdout.readline():
        p.kill()
        p.wait()
        sys.exit("exit_floor: %s wrote no handshake line" % argv[0])
    time.sleep(0.03)  # let the threads it starts after the handshake settle
    t0 = time.perf_counter()
    os.kill(p.pid, signal.SIGKILL)
    os.waitpid(p.pid, 0)
    return (time.perf_counter() - t0) * 1000.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=21)
    ap.add_argument("targets", nargs="+", help="name=/path/to/provider")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="fo-exit-floor-") as tmp:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PLUGIN_", "TF_LOG"))}
        base.update({COOKIE[0]: COOKIE[1], "PLUGIN_PROTOCOL_VERSIONS": "6", "TMPDIR": tmp})
        mtls = dict(base, PLUGIN_CLIENT_CERT=client_pem(tmp))
        rows = [(t.split("=", 1)[0], [os.path.abspath(t.split("=", 1)[1])]) for t in a.targets]
        rows.append(("sleep (1 thread)", ["/bin/sh", "-c", "echo ready; exec sleep 60"]))
        samples = {(name, mode): [] for name, _ in rows for mode in ("plaintext", "AutoMTLS")}
        for _ in range(a.rounds):  # alternately, like fo-bench
            for name, argv in rows:
                for mode, env in (("plaintext", base), ("AutoMTLS", mtls)):
                    samples[(name, mode)].append(kill_to_reaped(argv, env, tmp))
        print("SIGKILL -> reaped (ms), medians of %d rounds, alternately\n" % a.rounds)
        print("| program | plaintext | AutoMTLS |\n|---|---:|---:|")
        for name, _ in rows:
            print("| %s | %.3f | %.3f |" % (name, statistics.median(samples[(name, "plaintext")]),
                                           statistics.median(samples[(name, "AutoMTLS")])))


if __name__ == "__main__":
    main()
