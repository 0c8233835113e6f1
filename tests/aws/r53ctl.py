#!/usr/bin/env python3
"""r53ctl.py: a client for the Route53 layer's control endpoints
(tests/moto_ext/route53.py) and a few boto3 reads, for the e2e tests and the demo.

usage: r53ctl.py [--endpoint URL] COMMAND [ARGS]   (URL default: $FO_MOTO_ENDPOINT)
  pending N [--existing]          new changes stay PENDING for N GetChange polls
  health ID healthy|unhealthy|unset
  calls [OPERATION]               JSON of all counters, or one counter's value
  zone NAME                       create a hosted zone, print its bare id
  health-check FQDN               create an HTTP health check, print its id
  weights ZONE NAME TYPE          "<set>=<weight>" lines of the weighted records
  records ZONE NAME TYPE          the record sets of NAME/TYPE as JSON
  upsert ZONE JSON                one ChangeResourceRecordSets batch (JSON list of Changes)
  reset
The control endpoints use only the standard library; the boto3 commands need
moto's venv (scripts/setup-moto.sh), which has boto3.
"""
import argparse
import json
import os
import sys
import urllib.request


def control(endpoint, what, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(endpoint.rstrip("/") + "/_fo/route53/" + what, data=data,
                                 method="GET" if body is None else "POST",
                                 headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
    with opener.open(req, timeout=10) as resp:
        return json.loads(resp.read() or b"{}")


def set_pending(endpoint, polls, existing=False):
    return control(endpoint, "pending", {"polls": polls, "existing": existing})


def set_health(endpoint, hid, status):
    return control(endpoint, "health/" + hid, {"status": status})


def calls(endpoint):
    return control(endpoint, "calls")


def boto(endpoint):
    import boto3
    return boto3.client("route53", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
                        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"))


def records(endpoint, zone, name, typ):
    name = name if name.endswith(".") else name + "."
    out = []
    for page in boto(endpoint).get_paginator("list_resource_record_sets").paginate(HostedZoneId=zone):
        out += [r for r in page["ResourceRecordSets"] if r["Name"].lower() == name.lower() and r["Type"] == typ]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", default=os.environ.get("FO_MOTO_ENDPOINT"))
    ap.add_argument("command")
    ap.add_argument("args", nargs="*")
    ap.add_argument("--existing", action="store_true")
    a = ap.parse_args()
    if not a.endpoint:
        sys.exit("r53ctl: no endpoint (--endpoint or FO_MOTO_ENDPOINT)")
    for p in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        os.environ.pop(p, None)  # boto3 must reach moto on loopback directly
    cmd, args, ep = a.command, a.args, a.endpoint
    if cmd == "pending":
        print(json.dumps(set_pending(ep, int(args[0]), a.existing)))
    elif cmd == "health":
        print(json.dumps(set_health(ep, args[0], None if args[1] == "unset" else args[1])))
    elif cmd == "calls":
        c = calls(ep)
        print(c.get(args[0], 0) if args else json.dumps(c))
    elif cmd == "reset":
        print(json.dumps(control(ep, "reset", {})))
    elif cmd == "zone":
        z = boto(ep).create_hosted_zone(Name=args[0], CallerReference="r53ctl-" + args[0] + str(os.getpid()))
        print(z["HostedZone"]["Id"].split("/")[-1])
    elif cmd == "health-check":
        hc = boto(ep).create_health_check(
            CallerReference="r53ctl-" + args[0] + str(os.getpid()),
            HealthCheckConfig={"Type": "HTTPS", "FullyQualifiedDomainName": args[0], "Port": 443,
                               "ResourcePath": "/healthz"})
        print(hc["HealthCheck"]["Id"])
    elif cmd == "weights":
        for r in records(ep, *args[:3]):
            print(f"{r.get('SetIdentifier', '-')}={r.get('Weight', '-')}")
    elif cmd == "records":
        print(json.dumps(records(ep, *args[:3]), default=str))
    elif cmd == "upsert":
        boto(ep).change_resource_record_sets(HostedZoneId=args[0], ChangeBatch={"Changes": json.loads(args[1])})
    else:
        sys.exit(f"r53ctl: unknown command {cmd}")


if __name__ == "__main__":
    main()
