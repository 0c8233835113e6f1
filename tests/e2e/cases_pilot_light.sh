# cases_pilot_light.sh: end-to-end cases for failover_pilot_light against moto
# (with the tests/moto_ext layers: node group updates that take time, instances
# that come up after N polls or never, unreachable regions). Sourced by run.sh.
# shellcheck shell=bash

PL_PY=${FO_TOOLS_DIR:-$E2E_REPO/.tools}/venv/bin/python

# pl_moto: start moto on a free loopback port (stopped on exit), export the
# static test credentials, and let loopback bypass the harness's closed proxy.
pl_moto() {
	[ -x "$PL_PY" ] || fail "moto venv missing: $PL_PY (run scripts/setup-moto.sh)"
	"$PL_PY" "$E2E_REPO/tests/aws/moto_server.py" --port 0 --port-file "$WORK/moto.port" >"$WORK/moto.log" 2>&1 &
	E2E_PIDS+=("$!")
	local i
	for i in $(seq 1 600); do
		if [ -s "$WORK/moto.port" ] &&
			curl -fsS --noproxy '*' "http://127.0.0.1:$(cat "$WORK/moto.port")/moto-api/" -o /dev/null 2>/dev/null; then
			break
		fi
		sleep 0.1
	done
	[ -s "$WORK/moto.port" ] || { cat "$WORK/moto.log" >&2; fail "moto did not start"; }
	MOTO=http://127.0.0.1:$(cat "$WORK/moto.port")
	export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
	export AWS_ACCESS_KEY_ID=AKIDPILOTLIGHTTEST AWS_SECRET_ACCESS_KEY=pilot-light-test-secret
	export AWS_EC2_METADATA_DISABLED=true
	unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL
	note "moto at $MOTO"
}

# pl_aws OP ARGS...: tests/e2e/pilot_light_aws.py against this test's moto.
pl_aws() {
	"$PL_PY" "$E2E_DIR/pilot_light_aws.py" "$MOTO" "$@" || fail "pilot_light_aws.py $* failed"
}

# expect_sizes WHAT REGION KIND NAME... WANT: live min/desired/max through boto3.
expect_sizes() {
	local what=$1 want=${*: -1} got
	shift
	got=$(pl_aws sizes "${@:1:$#-1}")
	[ "$got" = "$want" ] || fail "$what: sizes are $got, expected $want"
	note "ok: $what ($got)"
}

# says_joined WHAT REGEX: like `says`, with the clients' line wrapping of
# diagnostics undone (lines joined by one space).
says_joined() {
	if ! cat "$OUT" "$ERR" | grep -vE '^[[:space:]]*[0-9]+:|^[[:space:]]+on .* line [0-9]+' | tr -s ' \n' '  ' |
		grep -E -- "$2" >/dev/null; then
		show_last
		fail "$1: the message (lines joined) does not match /$2/"
	fi
}

# pl_config BODY: main.tf with the provider pointed at moto and a `mode` variable.
pl_config() {
	{
		moto_provider_tf eks autoscaling
		cat <<EOF
variable "mode" {
  type    = string
  default = "standby"
}
$1
EOF
	} >main.tf
}

# no_changes WHAT [ARGS...]: a plan with -detailed-exitcode is empty.
no_changes() {
	local what=$1
	shift
	exits "$what" 0 "$TF" plan -no-color -detailed-exitcode "$@"
	has "$what" 'No changes\.'
}

PL_NODEGROUP='resource "failover_pilot_light" "workers" {
  mode = var.mode
  target {
    cluster_name    = "dr"
    node_group_name = "workers"
  }
  standby {
    min     = 0
    desired = 0
    max     = 1
  }
  active {
    min     = 2
    desired = 3
    max     = 6
  }
  autoscaler_node_template_tags = true
  timeouts {
    create = "2m"
    update = "2m"
    delete = "2m"
  }
}
# Sizes are read through boto3: an output of desired_size would change with an
# autoscaler growth (outputs count in -detailed-exitcode).
output "workers" {
  value = {
    id             = failover_pilot_light.workers.id
    capacity_ready = failover_pilot_light.workers.capacity_ready
  }
}'

# An EKS node group: standby -> active (the update stays InProgress for two
# polls, the nodes come up two polls later) -> standby, a no-op plan after each;
# autoscaler growth while active is not drift, growth in standby is; the
# node-template tags follow label changes; destroy returns to standby.
case_pilot_light_nodegroup() {
	write_dev_overrides
	pl_moto
	pl_aws seed us-east-2 0/0/1 0/0/1 >/dev/null
	pl_aws control eks-nodegroup region=us-east-2 cluster=dr nodegroup=workers update_polls=2 >/dev/null
	pl_aws control asg-capacity region=us-east-2 name=eks-dr-workers polls=2 >/dev/null
	pl_config "$PL_NODEGROUP"

	ok "apply (standby)" "$TF" apply -no-color -auto-approve
	has "apply (standby)" 'Apply complete! Resources: 1 added'
	expect_sizes "standby sizes" us-east-2 ng dr workers 0/0/1
	[ "$(pl_aws tags us-east-2 eks-dr-workers)" = '{"k8s.io/cluster-autoscaler/node-template/label/role": "worker", "k8s.io/cluster-autoscaler/node-template/label/tier": "dr", "k8s.io/cluster-autoscaler/node-template/taint/dedicated": "dr:NoSchedule"}' ] ||
		fail "node-template tags after create: $(pl_aws tags us-east-2 eks-dr-workers)"
	no_changes "plan after create is empty"

	ok "plan (activate)" "$TF" plan -no-color -var mode=active
	has "plan (activate) shows the desired size" 'desired_size += 0 -> 3'
	has "plan (activate) shows the mode" 'mode += "standby" -> "active"'
	TF_LOG=info TF_LOG_PATH=$WORK/activate.log ok "apply (activate)" "$TF" apply -no-color -auto-approve -var mode=active
	has "apply (activate)" 'Apply complete! Resources: 0 added, 1 changed'
	expect_sizes "active sizes" us-east-2 ng dr workers 2/3/6
	outputs "$WORK/active.json"
	jq_true "capacity is ready after activation" "$WORK/active.json" '.workers.value.capacity_ready == true'
	pl_aws control state >"$WORK/moto-state.json"
	jq_true "the EKS update was followed (DescribeUpdate) until Successful" "$WORK/moto-state.json" \
		'[.eks.updates[] | select(.nodegroup == "workers")] | length >= 1 and all(.polls_left == 0)'
	jq_true "the nodes were waited for (polls of the backing group)" "$WORK/moto-state.json" \
		'.autoscaling.groups["us-east-2/eks-dr-workers"].poll >= 3'
	no_changes "plan after activation is empty" -var mode=active

	# An autoscaler's growth is immediate in this test (no scripted delays).
	pl_aws control eks-nodegroup region=us-east-2 cluster=dr nodegroup=workers update_polls=0 >/dev/null
	pl_aws control asg-capacity region=us-east-2 name=eks-dr-workers polls=0 >/dev/null
	pl_aws scale us-east-2 ng dr workers 5
	no_changes "autoscaler growth while active is not drift" -var mode=active
	expect_sizes "growth kept" us-east-2 ng dr workers 2/5/6

	pl_aws labels us-east-2 dr workers SET=gpu=true REMOVE=tier
	ok "plan after a label change" "$TF" plan -no-color -var mode=active
	has "the label change is planned as a tag change" 'node-template/label/gpu'
	ok "apply the tag change" "$TF" apply -no-color -auto-approve -var mode=active
	[ "$(pl_aws tags us-east-2 eks-dr-workers)" = '{"k8s.io/cluster-autoscaler/node-template/label/gpu": "true", "k8s.io/cluster-autoscaler/node-template/label/role": "worker", "k8s.io/cluster-autoscaler/node-template/taint/dedicated": "dr:NoSchedule"}' ] ||
		fail "node-template tags after the label change: $(pl_aws tags us-east-2 eks-dr-workers)"
	expect_sizes "a tag change keeps the grown size" us-east-2 ng dr workers 2/5/6
	no_changes "plan after the tag change is empty" -var mode=active

	ok "apply (back to standby)" "$TF" apply -no-color -auto-approve
	expect_sizes "standby again" us-east-2 ng dr workers 0/0/1
	no_changes "plan after returning to standby is empty"

	pl_aws scale us-east-2 ng dr workers 1
	exits "growth in standby is drift" 2 "$TF" plan -no-color -detailed-exitcode
	has "growth in standby is drift" 'desired_size += 1 -> 0'
	ok "repair the drift" "$TF" apply -no-color -auto-approve
	expect_sizes "drift repaired" us-east-2 ng dr workers 0/0/1

	ok "apply (activate again)" "$TF" apply -no-color -auto-approve -var mode=active
	expect_sizes "active before destroy" us-east-2 ng dr workers 2/3/6
	ok "destroy" "$TF" destroy -no-color -auto-approve -var mode=active
	has "destroy" 'Destroy complete! Resources: 1 destroyed'
	expect_sizes "destroy returns the node group to standby" us-east-2 ng dr workers 0/0/1
}

PL_ASG='resource "failover_pilot_light" "queue" {
  mode = var.mode
  target {
    autoscaling_group_name = "queue"
  }
  active {
    min     = 1
    desired = 2
    max     = 4
  }
  timeouts {
    update = "2m"
  }
}
output "queue" {
  value = {
    id             = failover_pilot_light.queue.id
    capacity_ready = failover_pilot_light.queue.capacity_ready
  }
}'

# An Auto Scaling group: standby -> active (instances InService after three
# polls) -> standby with no-op plans; import by name and by cluster/nodegroup;
# destroy with on_destroy = "leave" changes nothing.
case_pilot_light_asg() {
	write_dev_overrides
	pl_moto
	pl_aws seed us-east-2 0/0/1 0/0/1 >/dev/null
	pl_aws control asg-capacity region=us-east-2 name=queue polls=3 >/dev/null
	pl_config "$PL_ASG"

	ok "apply (standby)" "$TF" apply -no-color -auto-approve
	expect_sizes "standby sizes (defaults 0/0/1)" us-east-2 asg queue 0/0/1
	no_changes "plan after create is empty"
	ok "apply (activate)" "$TF" apply -no-color -auto-approve -var mode=active
	expect_sizes "active sizes" us-east-2 asg queue 1/2/4
	outputs "$WORK/out.json"
	jq_true "instances InService after activation" "$WORK/out.json" \
		'.queue.value.capacity_ready == true and .queue.value.id == "queue"'
	no_changes "plan after activation is empty" -var mode=active
	pl_aws scale us-east-2 asg queue 3
	no_changes "autoscaler growth while active is not drift (group)" -var mode=active
	ok "apply (standby)" "$TF" apply -no-color -auto-approve
	expect_sizes "standby again" us-east-2 asg queue 0/0/1
	no_changes "plan after standby is empty"

	# Import into an empty state by the group's name.
	ok "state rm" "$TF" state rm failover_pilot_light.queue
	ok "import by name" "$TF" import -no-color failover_pilot_light.queue queue
	state_json "$WORK/imported.json"
	jq_true "imported state" "$WORK/imported.json" \
		'.values.root_module.resources[0].values | .id == "queue" and .mode == "standby" and .desired_size == 0 and .region == "secondary" and ((.target | if type == "array" then .[0] else . end).autoscaling_group_name == "queue")'
	ok "plan after import" "$TF" plan -no-color
	lacks "import: no size change planned" '_size +='
	ok "apply after import" "$TF" apply -no-color -auto-approve
	no_changes "plan after import and apply is empty"

	# Import a node group by cluster/nodegroup.
	pl_config "resource \"failover_pilot_light\" \"workers\" {
  mode = \"standby\"
  target {
    cluster_name    = \"dr\"
    node_group_name = \"workers\"
  }
  active {
    min     = 1
    desired = 2
    max     = 4
  }
  on_destroy = \"leave\"
}"
	fails "bad import ID" "$TF" import -no-color failover_pilot_light.workers /x
	says "bad import ID is named" 'cluster/nodegroup'
	ok "import a node group" "$TF" import -no-color failover_pilot_light.workers dr/workers
	state_json "$WORK/imported2.json"
	jq_true "imported node group" "$WORK/imported2.json" \
		'[.values.root_module.resources[] | select(.address == "failover_pilot_light.workers")][0].values | .id == "dr/workers" and ((.target | if type == "array" then .[0] else . end).cluster_name == "dr") and .max_size == 1'
	ok "apply (the queue leaves the state, the node group is adopted)" "$TF" apply -no-color -auto-approve
	ok "destroy with on_destroy = leave" "$TF" destroy -no-color -auto-approve
	expect_sizes "on_destroy = leave keeps the sizes" us-east-2 ng dr workers 0/0/1
}

# active_percent_of sizes the secondary from the primary's node group, rounded up,
# and follows it on refresh.
case_pilot_light_percent() {
	write_dev_overrides
	pl_moto
	pl_aws seed us-east-1 2/5/10 0/0/1 >/dev/null
	pl_aws seed us-east-2 0/0/1 0/0/1 >/dev/null
	pl_config 'resource "failover_pilot_light" "workers" {
  mode = var.mode
  target {
    cluster_name    = "dr"
    node_group_name = "workers"
  }
  active {
    min = 1
    max = 8
  }
  active_percent_of {
    percent = 50
    target {
      cluster_name    = "dr"
      node_group_name = "workers"
    }
  }
}
output "workers" {
  value = {
    reference_desired_size = failover_pilot_light.workers.reference_desired_size
  }
}'
	ok "apply (standby)" "$TF" apply -no-color -auto-approve
	outputs "$WORK/o1.json"
	jq_true "the primary's size is read" "$WORK/o1.json" '.workers.value.reference_desired_size == 5'
	ok "plan (activate)" "$TF" plan -no-color -var mode=active
	has "50% of 5 rounded up is 3" 'desired_size += 0 -> 3'
	ok "apply (activate)" "$TF" apply -no-color -auto-approve -var mode=active
	expect_sizes "active at 50% of the primary" us-east-2 ng dr workers 1/3/8
	no_changes "plan after activation is empty" -var mode=active
	pl_aws scale us-east-1 ng dr workers 9
	ok "plan after the primary grew" "$TF" plan -no-color -var mode=active
	has "50% of 9 rounded up is 5" 'desired_size += 3 -> 5'
	ok "apply" "$TF" apply -no-color -auto-approve -var mode=active
	expect_sizes "follows the primary" us-east-2 ng dr workers 1/5/8
	ok "destroy" "$TF" destroy -no-color -auto-approve -var mode=active
	expect_sizes "destroy returns to standby" us-east-2 ng dr workers 0/0/1
}

# A group that never reaches capacity: the wait times out with a clear message,
# the sizes that were set are saved (capacity_ready = false), the next plan
# waits again.
case_pilot_light_timeout() {
	write_dev_overrides
	pl_moto
	pl_aws seed us-east-2 0/0/1 0/0/1 >/dev/null
	pl_aws control asg-capacity region=us-east-2 name=queue max_in_service=1 >/dev/null
	pl_config "${PL_ASG/update = \"2m\"/update = \"15s\"}"
	ok "apply (standby)" "$TF" apply -no-color -auto-approve
	TF_LOG=info TF_LOG_PATH=$WORK/timeout.log fails "activation that never reaches capacity" \
		"$TF" apply -no-color -auto-approve -var mode=active
	grep -q 'still waiting for Auto Scaling group queue to have 2 instances ready: 1/2 instances ready' \
		"$WORK/timeout.log" || fail "no progress line while waiting (TF_LOG=info, $WORK/timeout.log)"
	note "ok: a progress line while waiting"
	says "the error says capacity was not ready" 'Capacity not ready before the timeout'
	says_joined "the error names the wait and the last status" 'timed out after 15s waiting for Auto Scaling group queue to have 2 instances ready \(last status: 1/2 instances ready\)'
	says_joined "the error says the sizes were saved" 'sizes were set \(min 1, desired 2, max 4\)'
	expect_sizes "the sizes were set" us-east-2 asg queue 1/2/4
	state_json "$WORK/partial.json"
	jq_true "partial state saved" "$WORK/partial.json" \
		'.values.root_module.resources[0].values | .desired_size == 2 and .capacity_ready == false and .mode == "active"'
	exits "the next plan waits again" 2 "$TF" plan -no-color -detailed-exitcode -var mode=active
	has "the next plan waits again" 'capacity_ready += false -> true'
	pl_aws control asg-capacity region=us-east-2 name=queue max_in_service=-1 >/dev/null
	ok "the next apply completes" "$TF" apply -no-color -auto-approve -var mode=active
	no_changes "then the plan is empty" -var mode=active
	ok "destroy" "$TF" destroy -no-color -auto-approve -var mode=active
}

# A scale-down whose region does not answer: a warning, the intent recorded
# (pending_scale_down), the next plan repairs once the region answers.
case_pilot_light_unreachable() {
	write_dev_overrides
	pl_moto
	pl_aws seed us-east-2 0/0/1 0/0/1 >/dev/null
	pl_config "$PL_ASG"
	ok "apply (active)" "$TF" apply -no-color -auto-approve -var mode=active
	expect_sizes "active" us-east-2 asg queue 1/2/4
	pl_aws control unreachable region=us-east-2 >/dev/null
	ok "scale-down in an unreachable region" "$TF" apply -no-color -auto-approve
	says "it warns" 'Scale-down skipped: region unreachable'
	says_joined "the warning says the intent is recorded" 'pending_scale_down = true'
	state_json "$WORK/pending.json"
	jq_true "the state records the intent" "$WORK/pending.json" \
		'.values.root_module.resources[0].values | .pending_scale_down == true and .mode == "standby"'
	exits "the next plan repeats the scale-down (region still down)" 2 "$TF" plan -no-color -detailed-exitcode
	says "refresh warns" 'Refresh skipped: region unreachable'
	pl_aws control unreachable region=us-east-2 unreachable=false >/dev/null
	exits "the next plan repairs" 2 "$TF" plan -no-color -detailed-exitcode
	has "the repair scales down" 'desired_size += 2 -> 0'
	ok "apply the repair" "$TF" apply -no-color -auto-approve
	expect_sizes "scaled down" us-east-2 asg queue 0/0/1
	no_changes "then the plan is empty"
	# unreachable = "fail": the same scale-down fails.
	ok "apply (active)" "$TF" apply -no-color -auto-approve -var mode=active
	pl_config "${PL_ASG/mode = var.mode/mode = var.mode
  unreachable = \"fail\"}"
	ok "switch to unreachable = fail" "$TF" apply -no-color -auto-approve -var mode=active
	pl_aws control unreachable region=us-east-2 >/dev/null
	fails "scale-down fails with unreachable = fail" "$TF" apply -no-color -auto-approve -refresh=false
	says "the error names the region's failure" 'ServiceUnavailable|unreachable|503' 
	pl_aws control unreachable region=us-east-2 unreachable=false >/dev/null
	ok "destroy" "$TF" destroy -no-color -auto-approve
}

# Plan-time validation with attribute paths.
case_pilot_light_validate() {
	write_dev_overrides
	MOTO=http://127.0.0.1:9 # never called: validation needs no AWS
	pl_config 'resource "failover_pilot_light" "bad_sizes" {
  mode = "standby"
  target {
    autoscaling_group_name = "queue"
  }
  standby {
    min     = 2
    desired = 1
    max     = 3
  }
  active {
    min     = 1
    desired = 5
    max     = 4
  }
}'
	fails "desired below min" "$TF" validate -no-color
	says "standby.desired is named" 'standby\.desired \(1\) is smaller than standby\.min \(2\)'
	says "active.desired is named" 'active\.desired \(5\) is larger than active\.max \(4\)'
	pl_config 'resource "failover_pilot_light" "two_kinds" {
  mode = "active"
  target {
    cluster_name           = "dr"
    node_group_name        = "workers"
    autoscaling_group_name = "queue"
  }
  active {
    min = 1
    max = 4
  }
  active_percent_of {
    percent = 1001
    target {
      autoscaling_group_name = "queue"
    }
  }
}'
	fails "two target kinds and a bad percent" "$TF" validate -no-color
	says "two kinds of target" 'Two kinds of target'
	says "percent range" '1001|1\.\.1000|between 1 and 1000'
	pl_config 'resource "failover_pilot_light" "no_target" {
  mode = "active"
  target {
    cluster_name = "dr"
  }
  active {
    min     = 1
    desired = 2
    max     = 4
  }
  active_percent_of {
    percent = 50
    target {
      autoscaling_group_name = "queue"
    }
  }
  autoscaler_node_template_tags = true
}'
	fails "incomplete target, desired and percent both set" "$TF" validate -no-color
	says "incomplete node group target" 'needs both cluster_name and node_group_name'
	says "desired xor percent" 'either active\.desired or an active_percent_of block'
}
