# weight_pair.sh: end-to-end cases for failover_weight_pair against moto on
# loopback (tests/aws/moto_server.py with the tests/moto_ext/route53.py layer),
# read back through boto3 (tests/aws/r53ctl.py). Sourced by run.sh.
# shellcheck shell=bash

WP_PY=${FO_TOOLS_DIR:-$E2E_REPO/.tools}/venv/bin/python
WP_CTL=$E2E_REPO/tests/aws/r53ctl.py

# wp_moto: start moto on a free loopback port for this test (stopped on exit);
# sets MOTO, the zone Z and two health checks HP (primary) and HS (secondary).
wp_moto() {
	[ -x "$WP_PY" ] || fail "moto venv missing: run scripts/setup-moto.sh (or set FO_TOOLS_DIR)"
	"$WP_PY" "$E2E_REPO/tests/aws/moto_server.py" --port 0 --port-file "$WORK/moto.port" 2>"$WORK/moto.log" &
	E2E_PIDS+=($!)
	local i
	for i in $(seq 1 200); do
		[ -s "$WORK/moto.port" ] && break
		sleep 0.1
	done
	[ -s "$WORK/moto.port" ] || { cat "$WORK/moto.log" >&2; fail "moto did not start"; }
	MOTO=http://127.0.0.1:$(cat "$WORK/moto.port")
	# The harness sends the clients to a closed proxy; the provider and
	# boto3 reach moto directly.
	export NO_PROXY=127.0.0.1,localhost AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
	export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true FO_MOTO_ENDPOINT=$MOTO
	for i in $(seq 1 100); do
		curl -fsS --noproxy '*' "$MOTO/moto-api/" -o /dev/null 2>/dev/null && break
		sleep 0.1
	done
	Z=$(ctl zone example.com) || fail "cannot create the hosted zone"
	HP=$(ctl health-check use1.example.com) && HS=$(ctl health-check use2.example.com) ||
		fail "cannot create the health checks"
}

ctl() { "$WP_PY" "$WP_CTL" --endpoint "${CTL_ENDPOINT:-$MOTO}" "$@"; }

# weights: "use1=W use2=W" of app.example.com A as boto3 reads them.
weights() { ctl weights "$Z" app.example.com A | sort | tr '\n' ' ' | sed 's/ $//'; }

expect_weights() {
	local got
	got=$(weights)
	[ "$got" = "$2" ] || fail "$1: Route53 holds '$got', expected '$2'"
	note "ok: $1 ($got)"
}

# wp_config [ENDPOINT]: the configuration every case uses (variables select the case's variant).
wp_config() {
	cat >"$WORK/cfg/main.tf" <<EOF
terraform {
  required_providers {
    failover = { source = "failover/failover" }
  }
}
variable "active" { default = "primary" }
variable "zone_id" {}
variable "hc_primary" {}
variable "hc_secondary" {}
variable "require_healthy" { default = false }
variable "standby_weight" { default = 0 }
variable "active_weight" { default = 255 }
variable "ttl_secondary" { default = 60 }
variable "update_timeout" { default = "10m" }
variable "max_retries" { default = 3 }
variable "name" { default = "app.example.com" }

provider "failover" {
  max_retries = var.max_retries
  endpoints {
    route53 = "${1:-$MOTO}"
  }
}

resource "failover_weight_pair" "app" {
  zone_id                = var.zone_id
  name                   = var.name
  type                   = "A"
  active                 = var.active
  active_weight          = var.active_weight
  standby_weight         = var.standby_weight
  require_healthy_target = var.require_healthy
  primary {
    set_identifier  = "use1"
    records         = ["10.0.0.1"]
    ttl             = 60
    health_check_id = var.hc_primary
  }
  secondary {
    set_identifier  = "use2"
    records         = ["10.1.0.1"]
    ttl             = var.ttl_secondary
    health_check_id = var.hc_secondary
  }
$([ "${WP_TIMEOUTS:-1}" = 0 ] || printf '  timeouts {\n    update = var.update_timeout\n  }')
}

data "failover_weight_pair" "live" {
  zone_id                  = failover_weight_pair.app.zone_id
  name                     = "app.example.com"
  type                     = "A"
  primary_set_identifier   = "use1"
  secondary_set_identifier = "use2"
}

output "weights" {
  value = [failover_weight_pair.app.primary_weight, failover_weight_pair.app.secondary_weight]
}
output "live_active" { value = data.failover_weight_pair.live.active }
output "live_health" { value = [data.failover_weight_pair.live.primary_health, data.failover_weight_pair.live.secondary_health] }
EOF
	cat >"$WORK/cfg/terraform.tfvars" <<EOF
zone_id      = "$Z"
hc_primary   = "$HP"
hc_secondary = "$HS"
EOF
}

# changed_keys PLANJSON: the attributes of failover_weight_pair.app that the plan changes, sorted, comma-separated.
changed_keys() {
	jq -r '[.resource_changes[] | select(.address == "failover_weight_pair.app") | .change as $c
	        | ($c.before | keys[]) as $k
	        | select(($c.before[$k] != $c.after[$k]) or (($c.after_unknown[$k] // false) == true)) | $k]
	       | sort | join(",")' "$1"
}

plan_json() {
	ok "plan ($1)" "$TF" plan -no-color -out="$WORK/$1.tfplan" "${@:2}"
	ok "show plan ($1)" "$TF" show -json "$WORK/$1.tfplan"
	cp "$OUT" "$WORK/$1.json"
}

# Apply, an empty second plan, the flip (only the weights swap; 0/255 in
# Route53), flip back, the data source, destroy leaves nothing.
case_wp_lifecycle() {
	write_dev_overrides
	wp_moto
	wp_config
	ok "apply (create)" "$TF" apply -no-color -auto-approve
	expect_weights "created primary-active" "use1=255 use2=0"
	exits "second plan is empty" 0 "$TF" plan -no-color -detailed-exitcode
	outputs "$WORK/out1.json"
	jq_true "data source sees primary" "$WORK/out1.json" '.live_active.value == "primary" and .live_health.value == ["healthy", "healthy"]'

	plan_json flip -var active=secondary
	local keys
	keys=$(changed_keys "$WORK/flip.json")
	[ "$keys" = "active,change_id,change_status,finished_at,primary_weight,secondary_weight,started_at,switched_at" ] ||
		fail "the flip plan changes more than the weights: $keys"
	jq_true "flip is one in-place update" "$WORK/flip.json" \
		'[.resource_changes[] | select(.change.actions != ["no-op"] and .change.actions != ["read"]) | .change.actions] == [["update"]]'
	jq_true "flip plans 0/255" "$WORK/flip.json" \
		'.resource_changes[] | select(.address == "failover_weight_pair.app") | .change.after.primary_weight == 0 and .change.after.secondary_weight == 255'
	local before
	before=$(ctl calls ChangeResourceRecordSets)
	ok "apply the flip" "$TF" apply -no-color "$WORK/flip.tfplan"
	expect_weights "flipped" "use1=0 use2=255"
	[ "$(ctl calls ChangeResourceRecordSets)" -eq $((before + 1)) ] || fail "the flip was not exactly one batch"
	ctl calls >"$WORK/calls.json"
	jq_true "the flip batch is an UPSERT of both records" "$WORK/calls.json" \
		'.batches[-1] | map(.Action + ":" + .SetIdentifier + ":" + .Weight) == ["UPSERT:use1:0", "UPSERT:use2:255"]'
	exits "plan after the flip is empty" 0 "$TF" plan -no-color -detailed-exitcode -var active=secondary
	state_json "$WORK/state.json"
	jq_true "state has the change and switched_at" "$WORK/state.json" \
		'.values.root_module.resources[] | select(.address == "failover_weight_pair.app") | .values.change_status == "INSYNC" and (.values.change_id | length > 0) and (.values.switched_at | test("^[0-9]{4}-"))'

	ok "flip back" "$TF" apply -no-color -auto-approve -var active=primary
	expect_weights "flipped back" "use1=255 use2=0"
	ok "destroy" "$TF" destroy -no-color -auto-approve
	[ "$(ctl records "$Z" app.example.com A)" = "[]" ] || fail "destroy left records: $(ctl records "$Z" app.example.com A)"
	ctl calls >"$WORK/calls.json"
	jq_true "destroy deleted both records in one batch" "$WORK/calls.json" \
		'.batches[-1] | map(.Action + ":" + .SetIdentifier) == ["DELETE:use1", "DELETE:use2"]'
}

# A weight changed and a record deleted behind Terraform's back: plan shows
# both and apply repairs them.
case_wp_drift() {
	write_dev_overrides
	wp_moto
	wp_config
	ok "apply" "$TF" apply -no-color -auto-approve
	ctl upsert "$Z" '[{"Action":"UPSERT","ResourceRecordSet":{"Name":"app.example.com.","Type":"A","SetIdentifier":"use1","Weight":10,"TTL":60,"HealthCheckId":"'"$HP"'","ResourceRecords":[{"Value":"10.0.0.1"}]}}]' ||
		fail "cannot change the weight behind Terraform's back"
	exits "plan sees the weight change" 2 "$TF" plan -no-color -detailed-exitcode
	has "plan repairs the weight" 'primary_weight += 10 -> 255'
	ok "apply repairs the weight" "$TF" apply -no-color -auto-approve
	expect_weights "weight repaired" "use1=255 use2=0"

	ctl upsert "$Z" '[{"Action":"DELETE","ResourceRecordSet":{"Name":"app.example.com.","Type":"A","SetIdentifier":"use2","Weight":0,"TTL":60,"HealthCheckId":"'"$HS"'","ResourceRecords":[{"Value":"10.1.0.1"}]}}]' ||
		fail "cannot delete the record behind Terraform's back"
	exits "plan sees the deleted record" 2 "$TF" plan -no-color -detailed-exitcode
	has "plan recreates the secondary weight" 'secondary_weight += 0'
	ok "apply repairs the deleted record" "$TF" apply -no-color -auto-approve
	expect_weights "record repaired" "use1=255 use2=0"

	# Retyped: the secondary's set identifier now holds an AAAA record.
	ctl upsert "$Z" '[{"Action":"DELETE","ResourceRecordSet":{"Name":"app.example.com.","Type":"A","SetIdentifier":"use2","Weight":0,"TTL":60,"HealthCheckId":"'"$HS"'","ResourceRecords":[{"Value":"10.1.0.1"}]}},
	                  {"Action":"CREATE","ResourceRecordSet":{"Name":"app.example.com.","Type":"AAAA","SetIdentifier":"use2","Weight":0,"TTL":60,"ResourceRecords":[{"Value":"2001:db8::1"}]}}]' ||
		fail "cannot retype the record behind Terraform's back"
	exits "plan sees the retyped record" 2 "$TF" plan -no-color -detailed-exitcode
	ok "apply repairs the retyped record" "$TF" apply -no-color -auto-approve
	expect_weights "retyped record repaired" "use1=255 use2=0"
	[ "$(ctl records "$Z" app.example.com AAAA)" = "[]" ] || fail "the AAAA record with our set identifier is still there"
	exits "plan after the repairs is empty" 0 "$TF" plan -no-color -detailed-exitcode
	ok "destroy" "$TF" destroy -no-color -auto-approve
}

# Two weighted records made outside Terraform, imported by the documented ID;
# the plan afterwards is empty; destroy removes them.
case_wp_import() {
	write_dev_overrides
	wp_moto
	WP_TIMEOUTS=0 wp_config # an imported state has no timeouts block
	ctl upsert "$Z" '[{"Action":"CREATE","ResourceRecordSet":{"Name":"app.example.com.","Type":"A","SetIdentifier":"use1","Weight":0,"TTL":60,"HealthCheckId":"'"$HP"'","ResourceRecords":[{"Value":"10.0.0.1"}]}},
	                  {"Action":"CREATE","ResourceRecordSet":{"Name":"app.example.com.","Type":"A","SetIdentifier":"use2","Weight":255,"TTL":60,"HealthCheckId":"'"$HS"'","ResourceRecords":[{"Value":"10.1.0.1"}]}}]' ||
		fail "cannot create the records to import"
	fails "import of a pair that does not exist" "$TF" import -no-color -var active=secondary failover_weight_pair.app "${Z}_app.example.com_A_use1_nope"
	says "import names what is missing" 'Weighted records not found'
	ok "import" "$TF" import -no-color -var active=secondary failover_weight_pair.app "${Z}_app.example.com_A_use1_use2"
	_run "plan after import" "$TF" plan -no-color -detailed-exitcode -var active=secondary
	[ "$RC" -eq 0 ] || { show_last; fail "plan after import is not empty (exit $RC)"; }
	state_json "$WORK/state.json"
	jq_true "imported state" "$WORK/state.json" \
		'.values.root_module.resources[] | select(.address == "failover_weight_pair.app") | .values.active == "secondary" and .values.primary.set_identifier == "use1" and .values.secondary_weight == 255'
	ok "destroy" "$TF" destroy -no-color -auto-approve -var active=secondary
	[ "$(ctl records "$Z" app.example.com A)" = "[]" ] || fail "destroy left records"
}

# A plain record of the same name becomes the pair in one batch (DELETE
# plain + CREATE both).
case_wp_migrate() {
	write_dev_overrides
	wp_moto
	wp_config
	ctl upsert "$Z" '[{"Action":"CREATE","ResourceRecordSet":{"Name":"app.example.com.","Type":"A","TTL":300,"ResourceRecords":[{"Value":"10.9.9.9"}]}}]' ||
		fail "cannot create the plain record"
	ok "apply migrates the plain record" "$TF" apply -no-color -auto-approve
	has "apply says the plain record was replaced" 'Plain record replaced by the weighted pair'
	expect_weights "pair in place of the plain record" "use1=255 use2=0"
	ctl calls >"$WORK/calls.json"
	jq_true "one batch: DELETE plain + CREATE both" "$WORK/calls.json" \
		'.ChangeResourceRecordSets == 2 and (.batches[-1] | map(.Action + ":" + (.SetIdentifier // "plain"))) == ["DELETE:plain", "CREATE:use1", "CREATE:use2"]'
	exits "plan after the migration is empty" 0 "$TF" plan -no-color -detailed-exitcode
	ok "destroy" "$TF" destroy -no-color -auto-approve
}

# Configurations Route53 would take but that break a failover are refused at
# plan time, naming the attribute.
case_wp_validation() {
	write_dev_overrides
	wp_moto
	wp_config
	fails "both weights 0" "$TF" plan -no-color -var active_weight=0 -var standby_weight=0
	says "both weights 0 named" 'Both weights are 0'
	has "both weights 0 points at the attribute" 'active_weight'
	fails "mismatched TTL" "$TF" plan -no-color -var ttl_secondary=300
	says "mismatched TTL named" 'TTL differs between the records'
	says "mismatched TTL names secondary.ttl" 'secondary\.ttl is 300'
	fails "name outside the zone" "$TF" plan -no-color -var name=app.example.org
	says "name outside the zone named" "Name outside the zone"
	has "names the zone" "not inside hosted zone"
	fails "weight out of range" "$TF" plan -no-color -var standby_weight=256
	says "weight out of range named" 'must be a whole number from 0 to 255'
	[ "$(ctl calls ChangeResourceRecordSets)" = 0 ] || fail "a refused plan sent a change batch"
}

# require_healthy_target: an unhealthy target refuses the flip (naming the
# check and its status); a healthy one allows it.
case_wp_safety() {
	write_dev_overrides
	wp_moto
	wp_config
	ok "apply" "$TF" apply -no-color -auto-approve -var require_healthy=true
	ctl health "$HS" unhealthy >/dev/null
	fails "plan of a flip to an unhealthy secondary" "$TF" plan -no-color -var require_healthy=true -var active=secondary
	says "the plan refuses, naming the check" "Target is unhealthy"
	has "refusal names the check id" "$HS"
	fails "flip to an unhealthy secondary" "$TF" apply -no-color -auto-approve -var require_healthy=true -var active=secondary
	says "refusal names the check" "Target is unhealthy"
	has "refusal names the check id" "$HS"
	expect_weights "nothing changed" "use1=255 use2=0"
	# Health changes between plan and apply: the apply checks again.
	ctl health "$HS" healthy >/dev/null
	ok "plan of the flip while healthy" "$TF" plan -no-color -var require_healthy=true -var active=secondary -out="$WORK/flip.tfplan"
	ctl health "$HS" unhealthy >/dev/null
	fails "apply of that plan once unhealthy" "$TF" apply -no-color "$WORK/flip.tfplan"
	says "apply refuses too" "Target is unhealthy"
	expect_weights "still nothing changed" "use1=255 use2=0"
	ctl health "$HS" healthy >/dev/null
	ok "flip to a healthy secondary" "$TF" apply -no-color -auto-approve -var require_healthy=true -var active=secondary
	expect_weights "flipped" "use1=0 use2=255"
	ok "destroy" "$TF" destroy -no-color -auto-approve -var active=secondary
}

# wp_proxy STEPS: a fault proxy in front of moto whose script applies to
# ChangeResourceRecordSets (POST .../rrset/) only; sets PROXY.
wp_proxy() {
	"$WP_PY" - "$MOTO" "$Z" "$1" >"$WORK/proxy.out" 2>"$WORK/proxy.err" <<'PY' &
import os, sys
sys.path.insert(0, os.environ["E2E_REPO"] + "/tests/aws")
from fault_proxy import FaultProxy
upstream, zone, steps = sys.argv[1], sys.argv[2], [s for s in sys.argv[3].split(",") if s]
p = FaultProxy(upstream, [], per_path={"/2013-04-01/hostedzone/%s/rrset/" % zone: steps})
print(p.endpoint, flush=True)
p.thread.join()
PY
	E2E_PIDS+=($!)
	local i
	for i in $(seq 1 100); do
		[ -s "$WORK/proxy.out" ] && break
		sleep 0.1
	done
	PROXY=$(head -n1 "$WORK/proxy.out")
	[ -n "$PROXY" ] || { cat "$WORK/proxy.err" >&2; fail "the fault proxy did not start"; }
}

# Throttling and a 5xx on the flip's batch: retried, applied, sent to Route53
# once. A flip whose batch keeps failing says that traffic already follows the
# health checks and how to confirm it.
case_wp_faults() {
	write_dev_overrides
	wp_moto
	export E2E_REPO
	# The batches in order: create passes; the flip meets throttling and a 503,
	# then passes; the flip back meets two 503s (more than max_retries = 1
	# allows); the next attempt passes.
	wp_proxy "pass,throttle,503,pass,503,503"
	wp_config "$PROXY"
	ok "apply through the proxy" "$TF" apply -no-color -auto-approve -var max_retries=5
	ok "flip through throttling and a 503" "$TF" apply -no-color -auto-approve -var max_retries=5 -var active=secondary
	expect_weights "flipped despite throttling and 5xx" "use1=0 use2=255"
	[ "$(ctl calls ChangeResourceRecordSets)" = 2 ] ||
		fail "create + flip reached Route53 as $(ctl calls ChangeResourceRecordSets) batches, expected 2 (the retried flip once)"
	fails "flip back while Route53's API keeps failing" "$TF" apply -no-color -auto-approve -var max_retries=1 -var active=primary
	says "the failure explains the data-plane fallback" 'Traffic already follows the health checks'
	says "and how to confirm it" "get-health-check-status --health-check-id $HS"
	expect_weights "nothing changed" "use1=0 use2=255"
	ok "flip back once the API answers" "$TF" apply -no-color -auto-approve -var max_retries=5 -var active=primary
	expect_weights "flipped back" "use1=255 use2=0"
	[ "$(ctl calls ChangeResourceRecordSets)" = 3 ] || fail "expected 3 batches at Route53, got $(ctl calls ChangeResourceRecordSets)"
}

# A change stuck PENDING past the timeout: a clear error, the state keeps the
# change id, and the next apply waits for that change instead of sending the
# batch again.
case_wp_pending() {
	write_dev_overrides
	wp_moto
	wp_config
	ok "apply" "$TF" apply -no-color -auto-approve
	ctl pending 1000 >/dev/null
	fails "flip stuck PENDING" "$TF" apply -no-color -auto-approve -var active=secondary -var update_timeout=3s
	says "clear timeout error" 'Route53 change still PENDING'
	says "names the change" 'timed out after .* waiting for Route53 change C[A-Z0-9]+ to be INSYNC'
	state_json "$WORK/state.json"
	local cid
	cid=$(jq -r '.values.root_module.resources[] | select(.address == "failover_weight_pair.app") | .values.change_id' "$WORK/state.json")
	jq_true "state records the pending change" "$WORK/state.json" \
		'.values.root_module.resources[] | select(.address == "failover_weight_pair.app") | .values.change_status == "PENDING" and .values.active == "secondary" and .values.secondary_weight == 255'
	expect_weights "the batch itself went through" "use1=0 use2=255"
	local batches
	batches=$(ctl calls ChangeResourceRecordSets)
	ctl pending 2 --existing >/dev/null
	ok "next apply waits for the pending change" "$TF" apply -no-color -auto-approve -var active=secondary
	[ "$(ctl calls ChangeResourceRecordSets)" = "$batches" ] || fail "the next apply sent the batch again"
	state_json "$WORK/state2.json"
	jq_true "the pending change is now INSYNC" "$WORK/state2.json" \
		'.values.root_module.resources[] | select(.address == "failover_weight_pair.app") | .values.change_status == "INSYNC" and .values.change_id == $cid' --arg cid "$cid"
	exits "then the plan is empty" 0 "$TF" plan -no-color -detailed-exitcode -var active=secondary
}

# SIGINT to the client during the INSYNC wait: it stops cleanly and the state
# is saved with the pending change.
case_wp_sigint() {
	write_dev_overrides
	wp_moto
	wp_config
	ok "apply" "$TF" apply -no-color -auto-approve
	ctl pending 100000 >/dev/null
	local base=$WORK/log/sigint pid i rc=0
	"$TF" apply -no-color -auto-approve -var active=secondary >"$base.out" 2>"$base.err" </dev/null &
	pid=$!
	for i in $(seq 1 300); do # until the provider polls GetChange
		[ "$(ctl calls GetChange)" -gt 0 ] 2>/dev/null && break
		sleep 0.1
	done
	[ "$(ctl calls GetChange)" -gt 0 ] || fail "the apply never started waiting"
	kill -INT "$pid"
	for i in $(seq 1 300); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
		fail "the client did not stop within 30 s of SIGINT"
	fi
	wait "$pid" || rc=$?
	[ "$rc" -ne 0 ] || fail "the interrupted apply exited 0"
	grep -qE 'Stopped while waiting for Route53|Interrupt received' "$base.out" "$base.err" || {
		cat "$base.out" "$base.err" >&2
		fail "the interrupted apply does not say it stopped"
	}
	if grep -qE 'panic:|plugin crashed' "$base.out" "$base.err"; then
		cat "$base.err" >&2
		fail "the provider crashed on SIGINT"
	fi
	state_json "$WORK/state.json"
	jq_true "state saved with the pending change" "$WORK/state.json" \
		'.values.root_module.resources[] | select(.address == "failover_weight_pair.app") | .values.change_status == "PENDING" and .values.active == "secondary" and (.values.change_id | length > 0)'
}

# Every attribute of every resource and data source the provider serves is
# in its registry doc (docs/resources/<name>.md, docs/data-sources/<name>.md).
case_docs() {
	write_dev_overrides
	cat >"$WORK/cfg/main.tf" <<'EOF'
terraform {
  required_providers {
    failover = { source = "failover/failover" }
  }
}
EOF
	ok "providers schema -json" "$TF" providers schema -json
	cp "$OUT" "$WORK/schema.json"
	local kind dir name doc attr missing=
	for kind in resource_schemas data_source_schemas; do
		dir=resources
		[ "$kind" = data_source_schemas ] && dir=data-sources
		for name in $(jq -r --arg k "$kind" '.provider_schemas[] | .[$k] // {} | keys[]' "$WORK/schema.json"); do
			doc=$E2E_REPO/docs/$dir/${name#failover_}.md
			[ -f "$doc" ] || { missing="$missing $dir/${name#failover_}.md(file)"; continue; }
			for attr in $(jq -r --arg k "$kind" --arg n "$name" \
				'.provider_schemas[] | .[$k][$n].block | [.. | objects | (.attributes // {} | keys[]), (.block_types // {} | keys[])] | unique[]' \
				"$WORK/schema.json"); do
				grep -q "\`$attr\`" "$doc" || missing="$missing $dir/${name#failover_}.md:$attr"
			done
			for section in '## Example Usage' '## Argument Reference' '## Attribute Reference'; do
				grep -qF "$section" "$doc" || missing="$missing $dir/${name#failover_}.md:'$section'"
			done
		done
	done
	[ -z "$missing" ] || fail "the docs lack:$missing"
	note "ok: every resource and data source attribute is documented"
}
