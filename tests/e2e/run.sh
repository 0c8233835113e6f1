#!/usr/bin/env bash
# run.sh CLIENT CASE PROVIDER: one end-to-end test. CLIENT is tofu or terraform
# (from $FO_TOOLS_DIR/bin), CASE one of the case_* functions below, PROVIDER the
# path of the built terraform-provider-failover. Each run works in a fresh
# temporary directory with its own CLI config (TF_CLI_CONFIG_FILE) and HOME;
# FO_E2E_KEEP=1 keeps it for inspection.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=weight_pair.sh
. "$(dirname "${BASH_SOURCE[0]}")/weight_pair.sh"
# shellcheck source=cases_pilot_light.sh
. "$(dirname "${BASH_SOURCE[0]}")/cases_pilot_light.sh"
# shellcheck source=cases_backup_plan.sh
. "$(dirname "${BASH_SOURCE[0]}")/cases_backup_plan.sh"
# shellcheck source=cases_restore.sh
. "$(dirname "${BASH_SOURCE[0]}")/cases_restore.sh"
# shellcheck source=cases_quiesce.sh
. "$(dirname "${BASH_SOURCE[0]}")/cases_quiesce.sh"
# shellcheck source=cases_drill.sh
. "$(dirname "${BASH_SOURCE[0]}")/cases_drill.sh"

[ $# -eq 3 ] || { echo "usage: $0 tofu|terraform CASE PROVIDER" >&2; exit 2; }

RFC3339='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'

# The whole failover_switch life cycle through dev_overrides: validate, plan,
# apply, outputs, no-op plan, refused switch without a new reason, switch,
# destroy.
case_lifecycle() {
	write_dev_overrides
	use_example

	ok "validate" "$TF" validate -no-color
	has "validate" 'Success! The configuration is valid'
	has "validate warns about dev_overrides" 'Provider development overrides are in effect'

	ok "plan (create)" "$TF" plan -no-color -out=create.tfplan
	has "plan (create)" 'failover_switch\.dr will be created'
	has "plan (create)" 'Plan: 1 to add, 0 to change, 0 to destroy'
	has "plan shows the reason" 'reason += "initial deployment"'

	ok "apply (create)" "$TF" apply -no-color create.tfplan
	has "apply (create)" 'Apply complete! Resources: 1 added, 0 changed, 0 destroyed'

	outputs "$WORK/out1.json"
	local o=$WORK/out1.json
	jq_true "active is primary" "$o" '.active.value == "primary"'
	jq_true "generation is 1 on create" "$o" '.generation.value == 1'
	jq_true "previous is null on create" "$o" '.previous.value == null'
	jq_true "switched_at is RFC 3339" "$o" '.switched_at.value | test($re)' --arg re "$RFC3339"
	jq_true "weights for primary are 255/0" "$o" '.weights.value == {"primary": 255, "secondary": 0}'
	jq_true "weights(\"primary\") is 255/0" "$o" '.weights_if_primary.value == {"primary": 255, "secondary": 0}'
	jq_true "weights(\"secondary\") is 0/255" "$o" '.weights_if_secondary.value == {"primary": 0, "secondary": 255}'
	jq_true "weights(\"secondary\", 100, 10) is 10/100" "$o" '.weights_custom.value == {"primary": 10, "secondary": 100}'
	jq_true "counterpart of a region" "$o" '.counterpart_region.value == "us-east-2"'
	jq_true "counterpart of an AZ" "$o" '.counterpart_az.value == "us-east-2a"'
	jq_true "counterpart of an ARN" "$o" \
		'.counterpart_arn.value == "arn:aws:backup:us-east-2:123456789012:backup-vault:dr-vault"'
	jq_true "counterpart of an endpoint" "$o" '.counterpart_endpoint.value == "eks.us-east-2.amazonaws.com"'
	local t1
	t1=$(jq_get "$o" .switched_at.value)

	exits "second plan is a no-op" 0 "$TF" plan -no-color -detailed-exitcode
	has "second plan is a no-op" 'No changes\.'

	fails "switch without a new reason" "$TF" plan -no-color -var active=secondary
	says "switch without a new reason names the attribute" '[Rr]eason'
	has "switch without a new reason is an error" 'Error'

	ok "plan (switch)" "$TF" plan -no-color -var active=secondary -var 'reason=us-east-1 outage' -out=switch.tfplan
	has "plan (switch)" 'failover_switch\.dr will be updated in-place'
	has "plan (switch)" 'Plan: 0 to add, 1 to change, 0 to destroy'
	has "plan (switch) shows active changing" 'active += "primary" -> "secondary"'
	has "plan (switch) leaves switched_at unknown" 'switched_at += .* -> \(known after apply\)'

	sleep 1 # switched_at may have one-second resolution
	ok "apply (switch)" "$TF" apply -no-color switch.tfplan
	has "apply (switch)" 'Apply complete! Resources: 0 added, 1 changed, 0 destroyed'

	outputs "$WORK/out2.json"
	o=$WORK/out2.json
	jq_true "active is secondary after the switch" "$o" '.active.value == "secondary"'
	jq_true "generation is 2 after the switch" "$o" '.generation.value == 2'
	jq_true "previous is primary after the switch" "$o" '.previous.value == "primary"'
	jq_true "switched_at is RFC 3339" "$o" '.switched_at.value | test($re)' --arg re "$RFC3339"
	jq_true "switched_at changed on switch" "$o" '.switched_at.value != $t1' --arg t1 "$t1"
	jq_true "weights for secondary are 0/255" "$o" '.weights.value == {"primary": 0, "secondary": 255}'

	exits "plan after the switch is a no-op" 0 "$TF" plan -no-color -detailed-exitcode \
		-var active=secondary -var 'reason=us-east-1 outage'

	ok "plan (reason-only change)" "$TF" plan -no-color \
		-var active=secondary -var 'reason=outage confirmed by on-call'
	has "plan (reason-only change)" 'reason += "us-east-1 outage" -> "outage confirmed by on-call"'
	lacks "a reason-only change keeps every computed value known" 'known after apply'
	ok "reason-only change" "$TF" apply -no-color -auto-approve \
		-var active=secondary -var 'reason=outage confirmed by on-call'
	has "reason-only change" 'Apply complete! Resources: 0 added, 1 changed, 0 destroyed'
	outputs "$WORK/out3.json"
	o=$WORK/out3.json
	jq_true "a reason-only change is not a switch (generation)" "$o" '.generation.value == 2'
	jq_true "a reason-only change keeps switched_at" "$o" \
		".switched_at.value == $(jq '.switched_at.value' "$WORK/out2.json")"

	local vars=(-var active=secondary -var 'reason=outage confirmed by on-call')
	exits "refresh-only plan finds no drift" 0 "$TF" plan -no-color -refresh-only -detailed-exitcode "${vars[@]}"
	has "refresh-only plan finds no drift" 'No changes\.'

	ok "apply -replace" "$TF" apply -no-color -auto-approve -replace=failover_switch.dr "${vars[@]}"
	has "apply -replace" 'Apply complete! Resources: 1 added, 0 changed, 1 destroyed'
	outputs "$WORK/out4.json"
	jq_true "a replaced switch starts again at generation 1" "$WORK/out4.json" \
		'.generation.value == 1 and .previous.value == null and .active.value == "secondary"'

	ok "destroy" "$TF" destroy -no-color -auto-approve "${vars[@]}"
	has "destroy" 'Destroy complete! Resources: 1 destroyed'
	ok "state list after destroy" "$TF" state list
	[ ! -s "$OUT" ] || { show_last; fail "state is not empty after destroy"; }
}

# Import an existing decision by the active side's name into an empty state.
case_import() {
	write_dev_overrides
	use_example
	local vars=(-var active=secondary -var 'reason=us-east-1 outage')

	ok "apply (create as secondary)" "$TF" apply -no-color -auto-approve "${vars[@]}"
	ok "state rm" "$TF" state rm failover_switch.dr
	has "state rm" 'Removed failover_switch\.dr'
	ok "state list after rm" "$TF" state list
	[ ! -s "$OUT" ] || { show_last; fail "state is not empty after state rm"; }

	fails "import of a bad id" "$TF" import -no-color "${vars[@]}" failover_switch.dr tertiary
	says "import of a bad id names it" 'tertiary'
	ok "state list after the failed import" "$TF" state list
	[ ! -s "$OUT" ] || { show_last; fail "a failed import left something in the state"; }

	ok "import" "$TF" import -no-color "${vars[@]}" failover_switch.dr secondary
	has "import" 'Import successful'
	ok "state show" "$TF" state show -no-color failover_switch.dr
	has "state show: resource" 'resource "failover_switch" "dr"'
	has "state show: active" 'active += "secondary"'
	has "state show: generation" 'generation += [0-9]+'
	has "state show: switched_at" 'switched_at += "[0-9]{4}-'

	state_json "$WORK/state.json"
	local r='.values.root_module.resources[] | select(.address == "failover_switch.dr") | .values'
	jq_true "imported active" "$WORK/state.json" "($r | .active) == \"secondary\""
	jq_true "imported generation" "$WORK/state.json" "($r | .generation) >= 1"
	jq_true "imported switched_at" "$WORK/state.json" "$r | .switched_at | test(\$re)" --arg re "$RFC3339"

	# Adopting the imported decision with the configuration is not a switch:
	# at most the reason is updated in place, switched_at stays known.
	_run "plan after import" "$TF" plan -no-color -detailed-exitcode "${vars[@]}"
	case $RC in
	0) note "ok: plan after import has no changes" ;;
	2)
		has "plan after import is an in-place update" 'Plan: 0 to add, 1 to change, 0 to destroy'
		lacks "plan after import is not a switch" 'known after apply'
		ok "apply after import" "$TF" apply -no-color -auto-approve "${vars[@]}"
		state_json "$WORK/state1.json"
		jq_true "applying after import keeps the generation" "$WORK/state1.json" \
			"($r | .generation) == $(jq "$r | .generation" "$WORK/state.json")"
		;;
	*)
		show_last
		fail "plan after import: exit code $RC"
		;;
	esac

	ok "destroy" "$TF" destroy -no-color -auto-approve "${vars[@]}"
	has "destroy" 'Destroy complete! Resources: 1 destroyed'
	state_json "$WORK/state2.json"
	jq_true "state is empty after destroy" "$WORK/state2.json" '(.values.root_module.resources // []) | length == 0'
}

# config_with PRIMARY SECONDARY BODY: a main.tf with the provider block for
# the two regions and BODY after it.
config_with() {
	cat >main.tf <<EOF
terraform {
  required_providers {
    failover = { source = "failover/failover" }
  }
}
provider "failover" {
  primary_region   = "$1"
  secondary_region = "$2"
}
$3
EOF
}

# A bad function argument fails with a message that names the problem; a bad
# provider configuration fails too.
case_function_error() {
	write_dev_overrides

	config_with us-east-1 us-east-2 'output "w" { value = provider::failover::weights("tertiary") }'
	fails "weights(\"tertiary\")" "$TF" plan -no-color
	says "weights(\"tertiary\") names the bad value" 'tertiary'
	says "weights(\"tertiary\") names the allowed values" 'primary'
	says "weights(\"tertiary\") names the function" 'weights'
	has "weights(\"tertiary\") is an error" 'Error'

	config_with us-east-1 us-east-2 'output "w" { value = provider::failover::weights("primary", 300) }'
	fails "weights with a weight out of range" "$TF" plan -no-color
	says "out-of-range weight is named" '300'
	says "the allowed range is named" '255'

	config_with us-east-1 us-east-2 \
		'output "c" { value = provider::failover::counterpart("eu-west-1", "us-east-1", "us-east-2") }'
	fails "counterpart of a value from another region" "$TF" plan -no-color
	says "counterpart error names the value" 'eu-west-1'
	says "counterpart error names from_region" 'us-east-1'

	config_with us-east-1 us-east-1 'resource "failover_switch" "dr" {
  active = "primary"
  reason = "test"
}'
	fails "same region on both sides" "$TF" plan -no-color
	says "same region error names the attribute" 'secondary_region|primary_region|[Rr]egion'
	says "same region error says what is wrong" 'differ|same|distinct|equal'
}

# `providers schema -json` shows the provider, failover_switch with
# descriptions, and both functions.
case_schema() {
	write_dev_overrides
	use_example
	ok "providers schema -json" "$TF" providers schema -json
	cp "$OUT" "$WORK/schema.json"
	local s=$WORK/schema.json p=".provider_schemas[\"$ADDR\"]"
	jq_true "schema has the provider" "$s" "$p != null"
	jq_true "provider block has primary_region" "$s" \
		"$p.provider.block.attributes.primary_region.description | length > 0"
	jq_true "provider block has secondary_region" "$s" \
		"$p.provider.block.attributes.secondary_region.description | length > 0"
	local a="$p.resource_schemas.failover_switch.block.attributes"
	jq_true "failover_switch is in the schema" "$s" "$p.resource_schemas.failover_switch != null"
	jq_true "failover_switch has a description" "$s" \
		"$p.resource_schemas.failover_switch.block.description | length > 0"
	jq_true "active: required string with description" "$s" \
		"$a.active.required == true and $a.active.type == \"string\" and ($a.active.description | length > 0)"
	jq_true "reason: required string with description" "$s" \
		"$a.reason.required == true and $a.reason.type == \"string\" and ($a.reason.description | length > 0)"
	jq_true "switched_at: computed with description" "$s" \
		"$a.switched_at.computed == true and ($a.switched_at.description | length > 0)"
	jq_true "previous: computed with description" "$s" \
		"$a.previous.computed == true and ($a.previous.description | length > 0)"
	jq_true "generation: computed number with description" "$s" \
		"$a.generation.computed == true and $a.generation.type == \"number\" and ($a.generation.description | length > 0)"
	jq_true "every failover_switch attribute is described" "$s" \
		"[$a[] | .description // \"\" | length > 0] | all"
	jq_true "function weights is in the schema" "$s" "($p.functions.weights.description // $p.functions.weights.summary // \"\") | length > 0"
	jq_true "function counterpart is in the schema" "$s" \
		"($p.functions.counterpart.description // $p.functions.counterpart.summary // \"\") | length > 0"
	jq_true "counterpart takes three parameters" "$s" "$p.functions.counterpart.parameters | length == 3"
}

# Install into a filesystem mirror with the registry layout, init offline
# (lock file written), then plan and apply.
case_mirror() {
	local mirror=$WORK/mirror plat
	plat=$(platform)
	# Install under the version the binary reports, as a release would.
	ok "provider --version" "$PROVIDER" --version
	E2E_VERSION=$(grep -oE '[0-9]+\.[0-9]+\.[0-9]+' "$OUT" | head -n 1)
	[ -n "$E2E_VERSION" ] || fail "'$PROVIDER --version' reports no version"
	local dir=$mirror/$HOST/failover/failover/$E2E_VERSION/$plat
	mkdir -p "$dir"
	cp "$PROVIDER" "$dir/terraform-provider-failover_v$E2E_VERSION"
	write_mirror_config "$mirror"
	use_example

	ok "init from the filesystem mirror" "$TF" init -no-color -input=false
	has "init" "Installing failover/failover v${E2E_VERSION//./\\.}"
	has "init" 'initialized'
	lacks "init uses no dev_overrides" 'development overrides'
	[ -f .terraform.lock.hcl ] || fail "init wrote no .terraform.lock.hcl"
	grep -q "provider \"$ADDR\"" .terraform.lock.hcl || fail "lock file has no entry for $ADDR"
	grep -qE "version += \"${E2E_VERSION//./\\.}\"" .terraform.lock.hcl || fail "lock file does not pin $E2E_VERSION"
	grep -qE '"h1:[A-Za-z0-9+/=]+"' .terraform.lock.hcl || fail "lock file has no h1: hash"
	[ -x ".terraform/providers/$HOST/failover/failover/$E2E_VERSION/$plat/terraform-provider-failover_v$E2E_VERSION" ] ||
		fail "init did not install the binary under .terraform/providers"

	ok "validate" "$TF" validate -no-color
	ok "plan" "$TF" plan -no-color
	has "plan" 'Plan: 1 to add, 0 to change, 0 to destroy'
	ok "apply" "$TF" apply -no-color -auto-approve
	has "apply" 'Apply complete! Resources: 1 added'
	outputs "$WORK/out.json"
	jq_true "weights through the mirror install" "$WORK/out.json" '.weights.value == {"primary": 255, "secondary": 0}'
	jq_true "generation through the mirror install" "$WORK/out.json" '.generation.value == 1'
	ok "destroy" "$TF" destroy -no-color -auto-approve
	has "destroy" 'Destroy complete! Resources: 1 destroyed'
}

# Many resources and function calls at once: the clients send up to
# -parallelism RPCs concurrently to one provider process.
case_parallel() {
	write_dev_overrides
	config_with us-east-1 us-east-2 'resource "failover_switch" "many" {
  count  = 30
  active = count.index % 2 == 0 ? "primary" : "secondary"
  reason = "switch ${count.index}"
}
output "weights" {
  value = [for s in failover_switch.many : provider::failover::weights(s.active)]
}
output "generations" {
  value = failover_switch.many[*].generation
}
output "azs" {
  value = [for i in range(30) : provider::failover::counterpart("us-east-1${substr("abcdef", i % 6, 1)}", "us-east-1", "us-east-2")]
}'
	ok "apply 30 resources, parallelism 10" "$TF" apply -no-color -auto-approve -parallelism=10
	has "apply 30 resources" 'Apply complete! Resources: 30 added, 0 changed, 0 destroyed'
	outputs "$WORK/out.json"
	jq_true "30 weights, alternating sides" "$WORK/out.json" \
		'.weights.value | length == 30 and (to_entries | all(.value == (if .key % 2 == 0 then {"primary": 255, "secondary": 0} else {"primary": 0, "secondary": 255} end)))'
	jq_true "30 generations of 1" "$WORK/out.json" '.generations.value | length == 30 and all(. == 1)'
	jq_true "30 counterpart AZs" "$WORK/out.json" \
		'.azs.value | length == 30 and all(test("^us-east-2[a-f]$"))'
	exits "no-op plan over 30 resources" 0 "$TF" plan -no-color -detailed-exitcode -parallelism=10
	ok "destroy 30 resources" "$TF" destroy -no-color -auto-approve -parallelism=10
	has "destroy 30 resources" 'Destroy complete! Resources: 30 destroyed'
}

# The provider's stderr logs reach the client as structured hclog JSON lines
# (go-plugin re-logs them under provider.terraform-provider-failover with their
# own level) and honour TF_LOG.
case_logging() {
	write_dev_overrides
	use_example
	local log=$WORK/trace.log
	TF_LOG=trace TF_LOG_PATH=$log ok "plan with TF_LOG=trace" "$TF" plan -no-color
	[ -s "$log" ] || fail "TF_LOG_PATH=$log was not written"
	grep -qE '\[(TRACE|DEBUG|INFO)\] provider\.terraform-provider-failover: .*PlanResourceChange' "$log" ||
		fail "no provider log line about PlanResourceChange at TF_LOG=trace in $log"
	grep -qE 'provider\.terraform-provider-failover: .*@module=' "$log" ||
		fail "provider log lines were not parsed as hclog JSON (no @module) in $log"
	if grep -E 'provider\.terraform-provider-failover: \{"' "$log" >&2; then
		fail "provider wrote log lines the client could not parse as hclog JSON"
	fi

	# What the provider itself writes: hclog JSON lines with the four keys, at
	# the level TF_LOG asks for (default warn: no debug/trace lines).
	local lv f
	unset TF_LOG_PROVIDER TF_LOG_PATH
	for lv in trace default; do
		if [ $lv = trace ]; then export TF_LOG=trace; else unset TF_LOG; fi
		start_debug_provider "log-$lv"
		unset TF_LOG
		ok "plan against the --debug provider (TF_LOG=$lv)" "$TF" plan -no-color
		stop_debug_provider
		f=$WORK/log-$lv.err
		grep '^{' "$f" >"$f.json" || true
		jq_true "provider log lines are hclog JSON (TF_LOG=$lv)" "$f.json" \
			'all(.[]; has("@level") and has("@message") and has("@module") and has("@timestamp"))' -s
	done
	jq_true "TF_LOG=trace gives trace lines" "$WORK/log-trace.err.json" '[.[] | select(.["@level"] == "trace")] | length > 0' -s
	jq_true "the default level gives no debug/trace lines" "$WORK/log-default.err.json" \
		'[.[] | select(.["@level"] == "trace" or .["@level"] == "debug")] | length == 0' -s
}

# The provider started by hand with --debug serves until stopped; the client
# attaches through TF_REATTACH_PROVIDERS (no dev_overrides, no init) and does
# not stop it; SIGTERM does.
case_debug() {
	: >"$TF_CLI_CONFIG_FILE"
	use_example
	local pid
	start_debug_provider debug
	pid=$DEBUG_PID
	jq_true "reattach config names $ADDR" "$WORK/debug.reattach.json" \
		'.[$a].Protocol == "grpc" and .[$a].ProtocolVersion == 6 and .[$a].Pid == ($pid | tonumber) and (.[$a].Addr.String | length > 0)' \
		--arg a "$ADDR" --arg pid "$pid"

	ok "apply (reattached)" "$TF" apply -no-color -auto-approve
	has "apply (reattached)" 'Apply complete! Resources: 1 added'
	lacks "no dev_overrides in use" 'development overrides'
	outputs "$WORK/out.json"
	jq_true "weights through reattach" "$WORK/out.json" '.weights.value == {"primary": 255, "secondary": 0}'
	ok "destroy (reattached)" "$TF" destroy -no-color -auto-approve
	has "destroy (reattached)" 'Destroy complete! Resources: 1 destroyed'
	stop_debug_provider
}

e2e_setup "$1" "$2" "$3"
declare -F "case_$2" >/dev/null || fail "unknown case '$2'"
"case_$2"
sanitizer_reports
note "PASS e2e.$1.$2"
