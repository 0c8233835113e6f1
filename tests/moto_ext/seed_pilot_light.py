"""seed_pilot_light: create what failover_pilot_light scales, on a moto endpoint (tests and the example).

In each region given: EKS cluster `cluster` with managed node group `nodegroup` (labels and a taint), an
Auto Scaling group `eks-<cluster>-<nodegroup>` bound to the node group as its backing group (see
eks_nodegroups.py), and a queue-server Auto Scaling group `asg`. Sizes are min/desired/max.

usage: seed_pilot_light.py ENDPOINT [--region R ...] [--cluster dr] [--nodegroup workers] [--asg queue]
                           [--nodegroup-size 0/0/1] [--asg-size 0/0/1]
Prints a JSON object: region -> names. Needs boto3 (the moto venv has it); credentials are static test
keys, never real ones.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from moto_ext.control import Control  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/pilot-light-nodes"


def _clients(endpoint, region):
    import boto3
    kw = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id="AKIDPILOTLIGHTTEST",
              aws_secret_access_key="pilot-light-test-secret")
    return boto3.client("eks", **kw), boto3.client("autoscaling", **kw), boto3.client("ec2", **kw)


def _size(text):
    mn, ds, mx = (int(x) for x in text.split("/"))
    return mn, ds, mx


def _asg(autoscaling, ec2, name, region, size, tags=None):
    lt = "lt-" + name
    try:
        ec2.create_launch_template(LaunchTemplateName=lt,
                                   LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.medium"})
    except Exception as e:  # already there (seeding twice)
        if "AlreadyExists" not in str(e):
            raise
    mn, ds, mx = size
    autoscaling.create_auto_scaling_group(AutoScalingGroupName=name, MinSize=mn, MaxSize=mx, DesiredCapacity=ds,
                                          LaunchTemplate={"LaunchTemplateName": lt},
                                          AvailabilityZones=[region + "a"], Tags=tags or [])


def seed(endpoint, region, cluster="dr", nodegroup="workers", asg="queue", nodegroup_size=(0, 0, 1),
         asg_size=(0, 0, 1), labels=None, taints=None):
    eks, autoscaling, ec2 = _clients(endpoint, region)
    eks.create_cluster(name=cluster, roleArn="arn:aws:iam::123456789012:role/pilot-light-cluster",
                       resourcesVpcConfig={"subnetIds": ["subnet-1", "subnet-2"]})
    mn, ds, mx = nodegroup_size
    eks.create_nodegroup(clusterName=cluster, nodegroupName=nodegroup, nodeRole=ROLE, subnets=["subnet-1"],
                         scalingConfig={"minSize": mn, "maxSize": mx, "desiredSize": ds},
                         labels=labels if labels is not None else {"role": "worker", "tier": "dr"},
                         taints=taints if taints is not None else [{"key": "dedicated", "value": "dr",
                                                                     "effect": "NO_SCHEDULE"}])
    backing = f"eks-{cluster}-{nodegroup}"
    _asg(autoscaling, ec2, backing, region, nodegroup_size,
         tags=[{"ResourceId": backing, "ResourceType": "auto-scaling-group", "Key": "eks:nodegroup-name",
                "Value": nodegroup, "PropagateAtLaunch": True}])
    Control(endpoint).eks_nodegroup(region, cluster, nodegroup, asg=backing)
    _asg(autoscaling, ec2, asg, region, asg_size)
    return {"cluster": cluster, "nodegroup": nodegroup, "backing_asg": backing, "asg": asg}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("endpoint")
    ap.add_argument("--region", action="append")
    ap.add_argument("--cluster", default="dr")
    ap.add_argument("--nodegroup", default="workers")
    ap.add_argument("--asg", default="queue")
    ap.add_argument("--nodegroup-size", default="0/0/1", type=_size)
    ap.add_argument("--asg-size", default="0/0/1", type=_size)
    a = ap.parse_args()
    out = {}
    for region in a.region or ["us-east-1", "us-east-2"]:
        out[region] = seed(a.endpoint, region, a.cluster, a.nodegroup, a.asg, a.nodegroup_size, a.asg_size)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
