# cases_quiesce.sh: end-to-end cases for failover_quiesce against moto (tests/moto_ext/quiesce.py: Lambda
# and SQS regions that do not answer, messages in flight that drain after N polls; seed_quiesce.py plants
# the function, its SQS trigger and the queue servers' group). Sourced by run.sh after cases_pilot_light.sh
# (pl_moto, pl_aws, says_joined, no_changes).
# shellcheck shell=bash

QS_SEED=$E2E_REPO/tests/moto_ext/seed_quiesce.py

# qs_aws seed|state REGION: seed_quiesce.py against this test's moto.
qs_aws() {
	"$PL_PY" "$QS_SEED" "$MOTO" "$@" || fail "seed_quiesce.py $* failed"
}

# expect_live WHAT JQ-FILTER [JQ-ARGS...]: the live mappings/suspended processes of us-east-1 (boto3) satisfy FILTER.
expect_live() {
	local what=$1
	shift
	qs_aws state us-east-1 >"$WORK/live.json"
	jq_true "$what" "$WORK/live.json" "$@"
	note "ok: $what ($(tr -d '\n' <"$WORK/live.json"))"
}

# qs_config [EXTRA-ATTRS] [EXTRA-CONFIG]: main.tf with the primary's quiesce driven by var.active.
qs_config() {
	{
		moto_provider_tf lambda sqs autoscaling eks route53
		cat <<EOF
variable "active" {
  type    = string
  default = "primary"
}
resource "failover_quiesce" "primary" {
  region                       = "primary"
  stopped                      = var.active == "secondary"
  lambda_event_source_mappings = ["worker"]
  autoscaling_groups           = ["queue-servers"]
  drain_queues                 = ["$QS_QUEUE"]
  call_timeout                 = "3s"
${1:-}
}
output "quiesce" {
  value = failover_quiesce.primary
}
${2:-}
EOF
	} >main.tf
}

qs_setup() {
	write_dev_overrides
	pl_moto
	qs_aws seed us-east-1 >"$WORK/seed.json"
	QS_QUEUE=$(jq -r .queue_url "$WORK/seed.json")
	QS_MAPPING=$(jq -r .mapping "$WORK/seed.json")
}

# Stop disables the function's SQS trigger, suspends the default processes and waits for the messages in
# flight; start enables and resumes.
case_quiesce_stop_start() {
	qs_setup
	qs_config
	ok "apply (primary active: started)" "$TF" apply -no-color -auto-approve
	expect_live "the trigger is enabled" '.mappings[$u] == "Enabled" and .suspended == []' --arg u "$QS_MAPPING"
	pl_aws control inflight region=us-east-1 queue=orders count=3 polls=2 >/dev/null
	ok "apply (secondary active: stop)" "$TF" apply -no-color -auto-approve -var active=secondary
	has "the stop is an in-place update" 'failover_quiesce.primary: Modifying'
	expect_live "the trigger is disabled and the processes suspended" '.mappings[$u] == "Disabled" and .suspended == ["AZRebalance","AlarmNotification","Launch","ReplaceUnhealthy","ScheduledActions"]' --arg u "$QS_MAPPING"
	outputs "$WORK/stop.json"
	jq_true "status stopped" "$WORK/stop.json" '.quiesce.value.status == "stopped"'
	jq_true "per-target results" "$WORK/stop.json" \
		'.quiesce.value.results == {("lambda/" + $u): "Disabled", "autoscaling/queue-servers": "suspended", ("sqs/" + $q): "drained"}' \
		--arg u "$QS_MAPPING" --arg q "$QS_QUEUE"
	jq_true "started_at and finished_at are RFC 3339" "$WORK/stop.json" \
		'(.quiesce.value.started_at | test($re)) and (.quiesce.value.finished_at | test($re)) and .quiesce.value.finished_at >= .quiesce.value.started_at' \
		--arg re "$RFC3339"
	jq_true "no unreachable reason" "$WORK/stop.json" '.quiesce.value.unreachable_reason == null'
	curl -fsS --noproxy '*' "$MOTO/_fo/quiesce/state" >"$WORK/ctl.json"
	jq_true "the drain polled until the messages were gone" "$WORK/ctl.json" '.inflight["us-east-1/orders"].poll >= 3'
	no_changes "then the plan is empty" -var active=secondary
	ok "apply (primary active again: start)" "$TF" apply -no-color -auto-approve
	expect_live "the trigger is enabled and the processes resumed" '.mappings[$u] == "Enabled" and .suspended == []' --arg u "$QS_MAPPING"
	outputs "$WORK/start.json"
	jq_true "status started" "$WORK/start.json" \
		'.quiesce.value.status == "started" and .quiesce.value.results[("lambda/" + $u)] == "Enabled"' --arg u "$QS_MAPPING"
	# A mapping named by its UUID, an explicit process list.

	sed -i "s/\[\"worker\"\]/[\"$QS_MAPPING\"]/; s/^  call_timeout .*/&\n  autoscaling_processes = [\"Launch\"]/" main.tf
	ok "stop by UUID, Launch only" "$TF" apply -no-color -auto-approve -var active=secondary
	expect_live "the UUID's mapping is disabled, Launch suspended" '.mappings[$u] == "Disabled" and .suspended == ["Launch"]' --arg u "$QS_MAPPING"
	ok "destroy changes nothing" "$TF" destroy -no-color -auto-approve -var active=secondary
	expect_live "still stopped after destroy" '.mappings[$u] == "Disabled"' --arg u "$QS_MAPPING"
}

# A primary that does not answer: a warning, status pending_unreachable, the failover goes on; the next apply
# with the region back finishes the stop; a failback after a pending stop completes the stop first;
# unreachable = "fail" fails naming the region.
case_quiesce_unreachable() {
	qs_setup
	qs_config
	ok "apply (started)" "$TF" apply -no-color -auto-approve
	pl_aws control unreachable region=us-east-1 >/dev/null
	ok "stop in an unreachable region warns and succeeds" "$TF" apply -no-color -auto-approve -var active=secondary
	says "it warns" 'Quiesce pending: region unreachable'
	says_joined "the warning names the region" 'primary region \(us-east-1\) did not answer'
	outputs "$WORK/pending.json"
	jq_true "status pending_unreachable with the reason" "$WORK/pending.json" \
		'.quiesce.value.status == "pending_unreachable" and (.quiesce.value.unreachable_reason | test("ServiceUnavailable|unreachable|503"))'
	jq_true "targets not reached are pending" "$WORK/pending.json" '.quiesce.value.results["autoscaling/queue-servers"] == "pending"'
	exits "the next plan shows the stop again" 2 "$TF" plan -no-color -detailed-exitcode -var active=secondary
	pl_aws control unreachable region=us-east-1 unreachable=false >/dev/null
	expect_live "nothing was stopped while down" '.mappings[$u] == "Enabled"' --arg u "$QS_MAPPING"
	ok "the next apply finishes the stop" "$TF" apply -no-color -auto-approve -var active=secondary
	expect_live "stopped now" '.mappings[$u] == "Disabled" and (.suspended | index("Launch"))' --arg u "$QS_MAPPING"
	outputs "$WORK/done.json"
	jq_true "status stopped, reason cleared" "$WORK/done.json" \
		'.quiesce.value.status == "stopped" and .quiesce.value.unreachable_reason == null'
	no_changes "then the plan is empty" -var active=secondary
	# failback after a pending stop: the stop completes (drain included) before the start
	ok "start" "$TF" apply -no-color -auto-approve
	pl_aws control unreachable region=us-east-1 >/dev/null
	ok "stop pending again" "$TF" apply -no-color -auto-approve -var active=secondary
	pl_aws control unreachable region=us-east-1 unreachable=false >/dev/null
	pl_aws control inflight region=us-east-1 queue=orders count=2 polls=1 >/dev/null
	ok "failback finishes the pending stop, then starts" "$TF" apply -no-color -auto-approve
	curl -fsS --noproxy '*' "$MOTO/_fo/quiesce/state" >"$WORK/ctl.json"
	jq_true "the pending stop drained first" "$WORK/ctl.json" '.inflight["us-east-1/orders"].poll >= 2'
	expect_live "started" '.mappings[$u] == "Enabled" and .suspended == []' --arg u "$QS_MAPPING"
	# unreachable = "fail"
	qs_config '  unreachable = "fail"'
	ok "switch to unreachable = fail" "$TF" apply -no-color -auto-approve
	pl_aws control unreachable region=us-east-1 >/dev/null
	fails "stop fails with unreachable = fail" "$TF" apply -no-color -auto-approve -var active=secondary
	says "the error says so" 'Quiesce failed: region unreachable'
	says_joined "the error names the region" 'primary region \(us-east-1\)'
	pl_aws control unreachable region=us-east-1 unreachable=false >/dev/null
	ok "destroy" "$TF" destroy -no-color -auto-approve
}

# Plan-time validation with attribute paths.
case_quiesce_validate() {
	qs_setup
	qs_config '  autoscaling_processes = ["Launch", "Lunch"]'
	fails "unknown process" "$TF" plan -no-color
	says "names the process" 'Unknown Auto Scaling process'
	has "names the entry" 'Lunch'
	qs_config
	sed -i 's|drain_queues .*|drain_queues = ["orders"]|' main.tf
	fails "queue name instead of URL" "$TF" plan -no-color
	says "asks for the URL" 'Not a queue URL'
	qs_config
	sed -i '/lambda_event_source_mappings\|autoscaling_groups\|drain_queues/d' main.tf
	fails "nothing to quiesce" "$TF" plan -no-color
	says "says so" 'Nothing to quiesce'

	qs_config
	sed -i 's|call_timeout .*|call_timeout = "soon"|' main.tf
	fails "bad call_timeout" "$TF" plan -no-color
	has "names the attribute" 'call_timeout'
}

# One `active` variable: quiesce -> pilot light -> weight flip (depends_on), in that order in the apply log.
case_quiesce_order() {
	write_dev_overrides
	wp_moto
	qs_aws seed us-east-1 >"$WORK/seed.json"
	QS_QUEUE=$(jq -r .queue_url "$WORK/seed.json")
	pl_aws seed us-east-2 0/0/1 0/0/1 >/dev/null
	qs_config '' "variable \"zone_id\" {}
variable \"hc_primary\" {}
variable \"hc_secondary\" {}
resource \"failover_pilot_light\" \"queue\" {
  depends_on = [failover_quiesce.primary]
  region     = \"secondary\"
  mode       = var.active == \"secondary\" ? \"active\" : \"standby\"
  target {
    autoscaling_group_name = \"queue\"
  }
  active {
    min     = 1
    desired = 1
    max     = 2
  }
}
resource \"failover_weight_pair\" \"app\" {
  depends_on = [failover_pilot_light.queue]
  zone_id    = var.zone_id
  name       = \"app.example.com\"
  type       = \"A\"
  active     = var.active
  primary {
    set_identifier  = \"use1\"
    records         = [\"10.0.0.1\"]
    ttl             = 60
    health_check_id = var.hc_primary
  }
  secondary {
    set_identifier  = \"use2\"
    records         = [\"10.1.0.1\"]
    ttl             = 60
    health_check_id = var.hc_secondary
  }
}"
	printf 'zone_id = "%s"\nhc_primary = "%s"\nhc_secondary = "%s"\n' "$Z" "$HP" "$HS" >terraform.tfvars
	ok "apply (primary active)" "$TF" apply -no-color -auto-approve
	ok "apply (failover)" "$TF" apply -no-color -auto-approve -var active=secondary
	local q p w
	q=$(grep -n 'failover_quiesce.primary: Modifications complete' "$OUT" | head -1 | cut -d: -f1)
	p=$(grep -n 'failover_pilot_light.queue: Modifying' "$OUT" | head -1 | cut -d: -f1)
	w=$(grep -n 'failover_weight_pair.app: Modifying' "$OUT" | head -1 | cut -d: -f1)
	[ -n "$q" ] && [ -n "$p" ] && [ -n "$w" ] || { show_last; fail "the apply log lacks a step (quiesce $q, pilot light $p, flip $w)"; }
	[ "$q" -lt "$p" ] && [ "$p" -lt "$w" ] || { show_last; fail "order: quiesce done at line $q, pilot light at $p, flip at $w"; }
	note "ok: quiesce (line $q) -> pilot light (line $p) -> weight flip (line $w)"
	expect_live "the primary is quiesced" '.suspended | index("Launch")'
	ok "destroy" "$TF" destroy -no-color -auto-approve -var active=secondary
}

# ---- Kubernetes workloads (run through tests/kube/kube.sh: a real kube-apiserver, no controllers) ----------

# qk_api METHOD PATH [JSON]: the test cluster's API as fo-admin.
qk_api() {
	curl -fsS --noproxy '*' --cacert "$FO_KUBE_DIR/ca.crt" -H "Authorization: Bearer $FO_KUBE_ADMIN_TOKEN" \
		-H 'Content-Type: application/json' -X "$1" "$FO_KUBE_SERVER$2" ${3:+-d "$3"} || fail "kubernetes API $1 $2 failed"
}

# qk_replicas PLURAL NAME: spec.replicas of shop/PLURAL/NAME, read back through its scale subresource.
qk_replicas() {
	qk_api GET "/apis/apps/v1/namespaces/shop/$1/$2/scale" | jq -r '.spec.replicas // 0'
}

# expect_kube WHAT WEB DB: the Deployment web and the StatefulSet db have these replicas.
expect_kube() {
	local web db
	web=$(qk_replicas deployments web)
	db=$(qk_replicas statefulsets db)
	[ "$web" = "$2" ] && [ "$db" = "$3" ] || fail "$1: web has $web replicas (want $2), db has $db (want $3)"
	note "ok: $1 (web $web, db $db)"
}

# qk_config CONTEXT [EXTRA-ATTRS]: main.tf with the primary's quiesce of the two workloads.
qk_config() {
	{
		moto_provider_tf
		cat <<EOF
variable "active" {
  type    = string
  default = "primary"
}
resource "failover_quiesce" "primary" {
  region       = "primary"
  stopped      = var.active == "secondary"
  call_timeout = "5s"
${2:-}
  kubernetes {
    kubeconfig = "\${path.module}/kubeconfig"
    context    = "$1"
    workloads  = ["shop/deployment/web", "shop/statefulset/db"]
  }
}
output "quiesce" {
  value = failover_quiesce.primary
}
EOF
	} >main.tf
}

# qk_kubeconfig: ./kubeconfig with the contexts admin (fo-admin, system:masters) and nobody (fo-user, no rights).
qk_kubeconfig() {
	cat >kubeconfig <<EOF
apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: $FO_KUBE_SERVER
    certificate-authority: $FO_KUBE_DIR/ca.crt
users:
- name: admin
  user:
    token: $FO_KUBE_ADMIN_TOKEN
- name: nobody
  user:
    token: $FO_KUBE_USER_TOKEN
contexts:
- name: admin
  context: {cluster: test, user: admin}
- name: nobody
  context: {cluster: test, user: nobody}
current-context: admin
EOF
	chmod 600 kubeconfig
}

# Stop scales a Deployment (3) and a StatefulSet (2) to 0 and remembers both counts; start restores them; a
# token without RBAC rights fails naming the workload (unreachable = "fail") or warns and leaves the stop
# pending (default "warn"), which the next apply with rights finishes.
case_quiesce_kube() {
	[ -n "${FO_KUBE_SERVER:-}" ] || fail "quiesce_kube runs through tests/kube/kube.sh (it starts the kube-apiserver)"
	write_dev_overrides
	# no AWS target: the AWS client is made but never called
	export AWS_ACCESS_KEY_ID=AKIDQUIESCEKUBETEST AWS_SECRET_ACCESS_KEY=quiesce-kube-test-secret
	export AWS_EC2_METADATA_DISABLED=true NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
	unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL
	qk_kubeconfig
	qk_api POST /api/v1/namespaces '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}' >/dev/null
	qk_api POST /apis/apps/v1/namespaces/shop/deployments '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}' >/dev/null
	qk_api POST /apis/apps/v1/namespaces/shop/statefulsets '{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"replicas":2,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},"template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"postgres"}]}}}}' >/dev/null
	expect_kube "created" 3 2

	qk_config admin
	sed -i 's|"shop/statefulset/db"|"shop/pod/db"|' main.tf
	fails "a kind that cannot be scaled" "$TF" plan -no-color
	says "says so" 'Not a workload'
	has "names the entry and the kinds" 'shop/pod/db.*deployment or statefulset'
	qk_config missing
	fails "an unknown context is an error, even with unreachable = warn" "$TF" apply -no-color -auto-approve -var active=secondary
	says_joined "names the context" "no context named 'missing'"
	lacks "no pending stop" 'Quiesce pending'
	expect_kube "nothing changed" 3 2
	qk_config admin
	ok "apply (primary active: started)" "$TF" apply -no-color -auto-approve
	expect_kube "a start without remembered replicas leaves them" 3 2
	ok "apply (secondary active: stop)" "$TF" apply -no-color -auto-approve -var active=secondary
	expect_kube "both scaled to 0" 0 0
	outputs "$WORK/stop.json"
	jq_true "status stopped, the replicas remembered" "$WORK/stop.json" \
		'.quiesce.value.status == "stopped" and .quiesce.value.kubernetes_replicas == {"shop/deployment/web": 3, "shop/statefulset/db": 2}'
	jq_true "per-workload results" "$WORK/stop.json" \
		'.quiesce.value.results["kubernetes/shop/deployment/web"] == "scaled to 0 (was 3)" and .quiesce.value.results["kubernetes/shop/statefulset/db"] == "scaled to 0 (was 2)"'
	no_changes "then the plan is empty" -var active=secondary
	ok "apply (primary active again: start)" "$TF" apply -no-color -auto-approve
	expect_kube "both restored" 3 2
	outputs "$WORK/start.json"
	jq_true "status started" "$WORK/start.json" \
		'.quiesce.value.status == "started" and .quiesce.value.results["kubernetes/shop/deployment/web"] == "scaled to 3"'

	# a token without rights
	qk_config nobody '  unreachable  = "fail"'
	fails "stop without rights fails (unreachable = fail)" "$TF" apply -no-color -auto-approve -var active=secondary
	says "the error says so" 'Quiesce failed'
	says_joined "the error names the workload" 'forbidden reading the scale of deployments/web in namespace shop \(HTTP 403\)'
	expect_kube "nothing changed" 3 2
	qk_config nobody
	ok "stop without rights warns (unreachable = warn)" "$TF" apply -no-color -auto-approve -var active=secondary
	says "it warns" 'Quiesce pending'
	says_joined "the warning names the workload" 'forbidden reading the scale of deployments/web in namespace shop'
	outputs "$WORK/pending.json"
	jq_true "pending, workloads not reached" "$WORK/pending.json" \
		'.quiesce.value.status == "pending_unreachable" and .quiesce.value.results["kubernetes/shop/statefulset/db"] == "pending"'
	qk_config admin
	ok "with rights the next apply finishes the stop" "$TF" apply -no-color -auto-approve -var active=secondary
	expect_kube "both scaled to 0" 0 0
	outputs "$WORK/done.json"
	jq_true "stopped, replicas remembered" "$WORK/done.json" \
		'.quiesce.value.status == "stopped" and .quiesce.value.kubernetes_replicas == {"shop/deployment/web": 3, "shop/statefulset/db": 2}'
	ok "destroy" "$TF" destroy -no-color -auto-approve -var active=secondary
}
