"""seed_quiesce: what failover_quiesce stops in a region, planted in moto (e2e tests and scripts/demo.sh).

seed(endpoint, region): SQS queue `orders`, Lambda function `worker` with an enabled SQS event source mapping on
it, Auto Scaling group `queue-servers` (0/0/1) with no suspended process. Returns {"queue_url", "mapping",
"function", "group"}. state(endpoint, region): {"mappings": {UUID: State}, "suspended": [sorted process names]}.
Needs boto3 (the moto venv has it); static test credentials only.

usage: seed_quiesce.py ENDPOINT seed|state REGION
"""
import io
import json
import sys
import zipfile

ROLE_NAME = "quiesce-worker"
FUNCTION, QUEUE, GROUP = "worker", "orders", "queue-servers"


def _clients(endpoint, region):
    import boto3
    kw = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id="AKIDPILOTLIGHTTEST",
              aws_secret_access_key="pilot-light-test-secret")
    return {s: boto3.client(s, **kw) for s in ("lambda", "sqs", "autoscaling", "ec2", "iam")}


def _zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("handler.py", "def handler(event, context):\n    return None\n")
    return buf.getvalue()


def seed(endpoint, region):
    c = _clients(endpoint, region)
    try:
        role = c["iam"].create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"Service": "lambda.amazonaws.com"}}]}))["Role"]["Arn"]
    except Exception as e:  # IAM is global: the other region seeded it
        if "EntityAlreadyExists" not in str(e):
            raise
        role = c["iam"].get_role(RoleName=ROLE_NAME)["Role"]["Arn"]
    url = c["sqs"].create_queue(QueueName=QUEUE)["QueueUrl"]
    arn = c["sqs"].get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    c["lambda"].create_function(FunctionName=FUNCTION, Runtime="python3.12", Role=role, Handler="handler.handler",
                                Code={"ZipFile": _zip()})
    uuid = c["lambda"].create_event_source_mapping(EventSourceArn=arn, FunctionName=FUNCTION, Enabled=True)["UUID"]
    lt = "lt-" + GROUP
    c["ec2"].create_launch_template(LaunchTemplateName=lt,
                                    LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.medium"})
    c["autoscaling"].create_auto_scaling_group(AutoScalingGroupName=GROUP, MinSize=0, MaxSize=1, DesiredCapacity=0,
                                               LaunchTemplate={"LaunchTemplateName": lt},
                                               AvailabilityZones=[region + "a"])
    return {"queue_url": url, "mapping": uuid, "function": FUNCTION, "group": GROUP}


def state(endpoint, region):
    c = _clients(endpoint, region)
    maps = c["lambda"].list_event_source_mappings(FunctionName=FUNCTION)["EventSourceMappings"]
    g = c["autoscaling"].describe_auto_scaling_groups(AutoScalingGroupNames=[GROUP])["AutoScalingGroups"][0]
    return {"mappings": {m["UUID"]: m["State"] for m in maps},
            "suspended": sorted(p["ProcessName"] for p in g.get("SuspendedProcesses", []))}


def main(argv):
    if len(argv) != 4 or argv[2] not in ("seed", "state"):
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps((seed if argv[2] == "seed" else state)(argv[1], argv[3]), sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
