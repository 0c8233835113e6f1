#!/usr/bin/env python3
"""Generates the large audit case in DIR: two state v4 files with N resources each, two overlays with M
ConfigMaps each (multi-document YAML), and a config. About 1% of resources and ConfigMaps carry a planted
difference; everything else differs only by region/account tokens that normalize away."""
import json, os, random, sys

out = sys.argv[1]
n_res = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
n_cm = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
rnd = random.Random(42)
os.makedirs(f"{out}/states", exist_ok=True)

def resource(i, region, account, drift):
    kind = ("aws_s3_bucket", "aws_iam_role", "aws_sqs_queue", "aws_lambda_function", "aws_security_group")[i % 5]
    attrs = {
        "id": f"{kind}-{i}-{region}",
        "arn": f"arn:aws:{kind[4:7]}:{region}:{account}:{kind}/{i}",
        "name": f"res-{i}-{region}",
        "tags": {"Name": f"res-{i}", "Region": region, "Team": f"team-{i % 17}"},
        "settings": {"size": 128 + i % 7, "enabled": i % 3 == 0, "zone": f"{region}a"},
        "rules": [{"name": f"r{j}", "port": 8000 + j, "cidr": f"10.{j}.0.0/16"} for j in range(3)],
        "created_at": f"2024-01-{1 + i % 28:02d}T00:00:00Z",
    }
    if kind == "aws_security_group":
        attrs["vpc_id"] = "vpc-0123456789abcdef0" if region == "us-east-1" else "vpc-fedcba9876543210f"
    if drift:
        attrs["settings"]["size"] += 1
        attrs["rules"].reverse()   # order only: not a difference
        attrs["rules"][0]["port"] += 1
    return {"mode": "managed", "type": kind, "name": f"r{i}",
            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
            "instances": [{"schema_version": 0, "attributes": attrs, "sensitive_attributes": []}]}

for side, region, account in (("primary", "us-east-1", "111111111111"), ("secondary", "us-east-2", "222222222222")):
    res = [resource(i, region, account, side == "secondary" and i % 100 == 7) for i in range(n_res)]
    if side == "secondary":
        res = res[:-20]  # 20 resources only in the primary
    with open(f"{out}/states/{side}.tfstate", "w") as f:
        json.dump({"version": 4, "terraform_version": "1.6.6", "serial": 1, "lineage": "x", "outputs": {},
                   "resources": res}, f)
    short = "use1" if side == "primary" else "use2"
    os.makedirs(f"{out}/k8s/{short}", exist_ok=True)
    with open(f"{out}/k8s/{short}/configmaps.yaml", "w") as f:
        for i in range(n_cm):
            level = "debug" if side == "secondary" and i % 100 == 3 else "info"
            f.write(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: ns-{i % 20}\n"
                    f"data:\n  LOG_LEVEL: {level}\n  REGION: {region}\n  ENDPOINT: https://svc-{i}.{short}.example.com\n"
                    f"  LIMIT: \"{i % 50}\"\n")

with open(f"{out}/.failover-audit.yml", "w") as f:
    f.write("""version: 1
sides:
  primary: {region: us-east-1, account_id: "111111111111", terraform_state: states/primary.tfstate, manifests: k8s/use1}
  secondary: {region: us-east-2, account_id: "222222222222", terraform_state: states/secondary.tfstate, manifests: k8s/use2}
checks: {terraform_state: {}, kubernetes_manifests: {}}
normalize:
  - literal: {primary: use1, secondary: use2}
    replace: "${region_short}"
""")
