# cases_drill.sh: the drill timeline end to end: terraform-examples/two-region applied against moto (the pilot
# light, backup and restore layers of tests/moto_ext, as scripts/demo.sh seeds them), flipped to the secondary
# and back, then `failover-audit drill` on the real state: each row's duration is the one the resources
# recorded. Sourced by run.sh after weight_pair.sh (wp_moto, ctl). The quiesce of the primary runs too (its
# consumers seeded by tests/moto_ext/seed_quiesce.py), so the timeline has every step the states record.
# shellcheck shell=bash

# dr_seed: what the example needs in moto (as scripts/demo.sh): node groups and queue servers in both regions,
# restore jobs taking two polls, a copy of the database in the us-east-2 vault.
dr_seed() {
	local ext=$E2E_REPO/tests/moto_ext dest
	"$WP_PY" "$ext/seed_pilot_light.py" "$MOTO" --region us-east-1 --nodegroup-size 2/3/6 --asg-size 1/2/4 \
		>/dev/null || fail "seed_pilot_light us-east-1"
	"$WP_PY" "$ext/seed_pilot_light.py" "$MOTO" --region us-east-2 >/dev/null || fail "seed_pilot_light us-east-2"
	"$WP_PY" "$ext/control.py" "$MOTO" eks-nodegroup region=us-east-2 cluster=dr nodegroup=workers update_polls=2 \
		>/dev/null || fail "control eks-nodegroup"
	"$WP_PY" "$ext/control.py" "$MOTO" restore-config polls=2 >/dev/null || fail "control restore-config"
	# 3.5 h: rpo_hours (whole hours of the copy's age) stays 3 through the test, so plans stay empty
	dest=$("$WP_PY" "$ext/seed_backup.py" "$MOTO" --age-hours 3.5 --print destination_vault_arn) || fail "seed_backup"
	cp "$E2E_REPO"/terraform-examples/two-region/*.tf "$WORK/cfg/"
	cat >"$WORK/cfg/terraform.tfvars" <<EOV
zone_id                      = "$Z"
primary_health_check_id      = "$HP"
secondary_health_check_id    = "$HS"
route53_endpoint             = "$MOTO"
eks_endpoint                 = "$MOTO"
autoscaling_endpoint         = "$MOTO"
backup_endpoint              = "$MOTO"
rds_endpoint                 = "$MOTO"
database_arn                 = "arn:aws:rds:us-east-1:123456789012:db:mariadb"
backup_role_arn              = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
backup_destination_vault_arn = "$dest"
EOV
	# quiesce.tf: the primary's Lambda `worker` (SQS trigger on `orders`) and queue servers, as the demo seeds them
	local q queue
	q=$("$WP_PY" "$ext/seed_quiesce.py" "$MOTO" seed us-east-1) || fail "seed_quiesce"
	queue=$(printf '%s' "$q" | jq -r .queue_url)
	cat >>"$WORK/cfg/terraform.tfvars" <<EOV
lambda_endpoint            = "$MOTO"
sqs_endpoint               = "$MOTO"
quiesce_lambda_functions   = ["worker"]
quiesce_autoscaling_groups = ["queue-servers"]
quiesce_drain_queues       = ["$queue"]
EOV
}

# dr_check_rows WHAT JSON STATE: every step row of the drill report lasts what the state's resources recorded
# (the earliest start to the latest finish of the resources of that kind that changed in this run).
dr_check_rows() {
	local what=$1 report=$2 state=$3 step kind want got
	for step in quiesce:failover_quiesce scale:failover_pilot_light weights:failover_weight_pair restore:failover_restore; do
		kind=${step#*:}
		step=${step%%:*}
		# the resources of this kind that finished after the switch (the rest are from an earlier apply)
		want=$(jq -r --arg k "$kind" '
			(.values.root_module.resources[] | select(.type == "failover_switch") | .values.switched_at | fromdate) as $sw
			| [.values.root_module.resources[] | select(.type == $k and .values.started_at != null)
			   | {s: (.values.started_at | fromdate), f: (.values.finished_at | fromdate)} | select(.f >= $sw)]
			| if length == 0 then "absent" else ((map(.f) | max) - (map(.s) | min)) * 1000 | tostring end' "$state")
		got=$(jq -r --arg s "$step" '.steps[] | select(.id == $s) | if .present then (.duration_ms | tostring) else "absent" end' "$report")
		[ "$got" = "$want" ] || fail "$what: the $step row lasts $got ms, the state recorded $want ms"
		note "ok: $what: $step row $got ms = the state's recorded times"
	done
}

case_drill() {
	local audit
	audit=$(cd "$(dirname "$PROVIDER")/.." && pwd)/auditor/failover-audit
	[ -x "$audit" ] || fail "failover-audit not built next to the provider: $audit"
	write_dev_overrides
	wp_moto
	dr_seed
	ok "apply: primary active" "$TF" apply -no-color -auto-approve -var active=primary -var 'reason=initial deployment'
	state_json "$WORK/s0.json"
	jq_true "the pilot lights recorded their first scaling" "$WORK/s0.json" \
		'[.values.root_module.resources[] | select(.type == "failover_pilot_light") | .values.started_at and .values.finished_at] | all and length == 2'
	exits "second plan is empty (the step times are stable)" 0 "$TF" plan -no-color -detailed-exitcode \
		-var active=primary -var 'reason=initial deployment'

	ctl pending 1 >/dev/null
	ok "apply: the failover" "$TF" apply -no-color -auto-approve -var active=secondary -var 'reason=drill 1'
	exits "plan after the failover is empty" 0 "$TF" plan -no-color -detailed-exitcode \
		-var active=secondary -var 'reason=drill 1'
	state_json "$WORK/s1.json"
	cp terraform.tfstate "$WORK/failover.tfstate"
	# verify the now-active side (the restored instance, in moto's RDS) and keep its timed JSON report
	cat >"$WORK/verify.yml" <<EOV
version: 1
sides:
  primary:
    region: us-east-1
    aws_endpoint_url: "$MOTO"
    verify: {lambda_functions: [worker]}
  secondary:
    region: us-east-2
    aws_endpoint_url: "$MOTO"
    verify: {rds_instance: mariadb-dr}
EOV
	_run "verify (secondary)" "$audit" verify --side secondary --config "$WORK/verify.yml" --format json
	[ "$RC" -eq 0 ] || { show_last; fail "verify after the failover: exit $RC, want 0"; }
	cp "$OUT" "$WORK/verify.json"
	_run "drill (failover)" "$audit" drill --rto 30m --verify-report "$WORK/verify.json" --format json \
		--output "markdown=$WORK/drill.md" terraform.tfstate
	cp "$OUT" "$WORK/d1.json"
	[ "$RC" -eq 0 ] || { show_last; fail "drill within 30m: exit $RC, want 0"; }
	jq_true "a verified failover timeline" "$WORK/d1.json" '.direction == "failover" and .within_rto and .verified'
	jq_true "confirm, scale, weights, restore, verify and stable rows" "$WORK/d1.json" \
		'[.steps[] | select(.present) | .id] == ["confirm", "quiesce", "scale", "weights", "restore", "verify", "stable"]'
	dr_check_rows "failover" "$WORK/d1.json" "$WORK/s1.json"
	# the verify row: the report's first check start to its last finish (ms), and the total ends there
	jq_true "the verify row lasts the report's checks" "$WORK/d1.json" '
		def ms: (.[0:19] + "Z" | fromdate) * 1000 + (.[20:23] | tonumber);
		($v[0].checks | (map(.finished | ms) | max) - (map(.started | ms) | min)) as $want
		| (.steps[] | select(.id == "verify") | .duration_ms) == $want
		and (.end | ms) == ($v[0].checks | map(.finished | ms) | max)' --slurpfile v "$WORK/verify.json"
	note "ok: the verify row and the end of the timeline are the report's check times"
	grep -q '^```mermaid$' "$WORK/drill.md" && grep -q '^    Switch weights :weights, ' "$WORK/drill.md" ||
		fail "the markdown report has no Gantt chart with the weights"

	# an RTO one second below the total (the same inputs) is exceeded: exit 1
	local total
	total=$(jq -r '.total_ms / 1000 | floor' "$WORK/d1.json")
	if [ "$total" -ge 2 ]; then
		_run "drill with an RTO below the total" "$audit" drill --rto "$((total - 1))s" \
			--verify-report "$WORK/verify.json" terraform.tfstate
		[ "$RC" -eq 1 ] || { show_last; fail "RTO $((total - 1))s below the total ${total}s: exit $RC, want 1"; }
		has "the verdict" 'EXCEEDED'
	else
		note "the flip took under 2s: the RTO-exceeded exit is proven by unit.audit.drill only"
	fi
	_run "drill of a missing state" "$audit" drill "$WORK/nope.tfstate"
	[ "$RC" -eq 3 ] || fail "missing state: exit $RC, want 3"

	ok "apply: the failback" "$TF" apply -no-color -auto-approve -var active=primary -var 'reason=drill 1 failback'
	state_json "$WORK/s2.json"
	# failback restored the primary's consumers: its Lambda is Active with its SQS trigger Enabled again
	_run "verify (primary, after the failback)" "$audit" verify --side primary --config "$WORK/verify.yml" --format json
	[ "$RC" -eq 0 ] || { show_last; fail "verify after the failback: exit $RC, want 0"; }
	cp "$OUT" "$WORK/verify2.json"
	_run "drill (failback)" "$audit" drill --format json --verify-report "$WORK/verify2.json" terraform.tfstate
	cp "$OUT" "$WORK/d2.json"
	[ "$RC" -eq 0 ] || { show_last; fail "failback drill: exit $RC"; }
	jq_true "a verified failback timeline, no restore (destroyed)" "$WORK/d2.json" \
		'.direction == "failback" and .verified and ([.steps[] | select(.present) | .id] == ["confirm", "quiesce", "scale", "weights", "verify", "stable"])'
	dr_check_rows "failback" "$WORK/d2.json" "$WORK/s2.json"
	ok "destroy" "$TF" destroy -no-color -auto-approve -var active=primary -var 'reason=drill 1 failback'
}
