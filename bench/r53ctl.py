#!/usr/bin/env python3
"""r53ctl.py: the moto side of bench/route53.sh: makes the hosted zone and the two
health checks, and checks that the zone holds exactly the weighted records a step should leave.

usage: r53ctl.py --endpoint URL setup                  -> "ZONE_ID HC_PRIMARY HC_SECONDARY"
       r53ctl.py --endpoint URL check ZONE N ACTIVE    ACTIVE: primary|secondary|none (none: no records)
       r53ctl.py --endpoint URL calls                  Route53 calls so far, one "Op=n" a line
The records are app<i>.bench.example. (i < N), A, set identifiers use1 (primary) and use2,
weights 255 on the active side and 0 on the other, as both configurations of route53.sh declare them.
"""
import argparse
import json
import os
import sys
import urllib.request
import uuid

ZONE = "bench.example."


def boto(endpoint):
    import boto3
    return boto3.client("route53", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def setup(r53):
    zone = r53.create_hosted_zone(Name=ZONE, CallerReference=str(uuid.uuid4()))["HostedZone"]["Id"]
    hcs = []
    for fqdn in ("use1.bench.example", "use2.bench.example"):
        hc = r53.create_health_check(CallerReference=str(uuid.uuid4()), HealthCheckConfig={
            "Type": "HTTP", "FullyQualifiedDomainName": fqdn, "Port": 80, "ResourcePath": "/healthz",
            "RequestInterval": 30, "FailureThreshold": 3})
        hcs.append(hc["HealthCheck"]["Id"])
    print(zone.split("/")[-1], *hcs)


def check(r53, zone, n, active):
    got = {}
    for page in r53.get_paginator("list_resource_record_sets").paginate(HostedZoneId=zone):
        for r in page["ResourceRecordSets"]:
            if r["Type"] in ("SOA", "NS"):
                continue
            key = (r["Name"].lower(), r["Type"], r.get("SetIdentifier"))
            if key in got:
                return "duplicate record set %s" % (key,)
            got[key] = r
    want = {}
    if active != "none":
        for i in range(n):
            name = "app%d.%s" % (i, ZONE)
            for side, sid in (("primary", "use1"), ("secondary", "use2")):
                want[(name, "A", sid)] = 255 if side == active else 0
    if set(got) != set(want):
        extra, missing = sorted(set(got) - set(want)), sorted(set(want) - set(got))
        return "%d record sets, expected %d (extra %s, missing %s)" % (len(got), len(want), extra[:3], missing[:3])
    for key, weight in want.items():
        r = got[key]
        if r.get("Weight") != weight or not r.get("HealthCheckId") or r.get("TTL") != 60:
            return "%s: weight %s ttl %s health check %s, expected weight %d ttl 60 and a health check" % (
                key, r.get("Weight"), r.get("TTL"), r.get("HealthCheckId"), weight)
    return None


def calls(endpoint):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(endpoint.rstrip("/") + "/_fo/route53/calls", timeout=30) as resp:
        c = json.loads(resp.read())
    for op, v in sorted(c.items()):
        if isinstance(v, int):
            print("%s=%d" % (op, v))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("command", choices=("setup", "check", "calls"))
    ap.add_argument("args", nargs="*")
    a = ap.parse_args()
    for p in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        os.environ.pop(p, None)  # moto is on loopback
    if a.command == "setup":
        setup(boto(a.endpoint))
    elif a.command == "check":
        err = check(boto(a.endpoint), a.args[0], int(a.args[1]), a.args[2])
        if err:
            sys.exit("r53ctl: zone %s: %s" % (a.args[0], err))
    else:
        calls(a.endpoint)


if __name__ == "__main__":
    main()
