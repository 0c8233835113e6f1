"""pilot_light_aws: what the failover_pilot_light e2e tests do to and read from moto (boto3 + control layer).

usage: pilot_light_aws.py ENDPOINT OP ARGS...
  seed REGION NG_SIZE ASG_SIZE           cluster dr, node group workers (+ backing group eks-dr-workers), group queue
  sizes REGION asg NAME | ng CLUSTER NG  print min/desired/max
  scale REGION asg NAME DESIRED | ng CLUSTER NG DESIRED   change the desired size (an autoscaler's doing)
  labels REGION CLUSTER NG SET=k=v,... REMOVE=k,...       change node group labels
  tags REGION ASG                        print the node-template tags as JSON
  control OP k=v ...                     moto_ext/control.py operations
Static test credentials only.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from moto_ext import control, seed_pilot_light  # noqa: E402


def clients(ep, region):
    return seed_pilot_light._clients(ep, region)


def main(a):
    ep, op, rest = a[1], a[2], a[3:]
    if op == "seed":
        size = seed_pilot_light._size
        print(json.dumps(seed_pilot_light.seed(ep, rest[0], nodegroup_size=size(rest[1]), asg_size=size(rest[2]))))
    elif op == "sizes":
        eks, asg, _ = clients(ep, rest[0])
        if rest[1] == "asg":
            g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=[rest[2]])["AutoScalingGroups"][0]
            print(f"{g['MinSize']}/{g['DesiredCapacity']}/{g['MaxSize']}")
        else:
            sc = eks.describe_nodegroup(clusterName=rest[2], nodegroupName=rest[3])["nodegroup"]["scalingConfig"]
            print(f"{sc['minSize']}/{sc['desiredSize']}/{sc['maxSize']}")
    elif op == "scale":
        eks, asg, _ = clients(ep, rest[0])
        if rest[1] == "asg":
            asg.set_desired_capacity(AutoScalingGroupName=rest[2], DesiredCapacity=int(rest[3]))
        else:
            eks.update_nodegroup_config(clusterName=rest[2], nodegroupName=rest[3],
                                        scalingConfig={"desiredSize": int(rest[4])})
    elif op == "labels":
        eks, _, _ = clients(ep, rest[0])
        kw = dict(x.split("=", 1) for x in rest[3:])
        labels = {}
        if kw.get("SET"):
            labels["addOrUpdateLabels"] = dict(p.split("=", 1) for p in kw["SET"].split(","))
        if kw.get("REMOVE"):
            labels["removeLabels"] = kw["REMOVE"].split(",")
        eks.update_nodegroup_config(clusterName=rest[1], nodegroupName=rest[2], labels=labels)
    elif op == "tags":
        _, asg, _ = clients(ep, rest[0])
        tags = asg.describe_tags(Filters=[{"Name": "auto-scaling-group", "Values": [rest[1]]}])["Tags"]
        print(json.dumps({t["Key"]: t["Value"] for t in tags if t["Key"].startswith("k8s.io/cluster-autoscaler/")},
                         sort_keys=True))
    elif op == "control":
        return control.main([a[0], ep] + rest)
    else:
        print(f"unknown operation {op!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
