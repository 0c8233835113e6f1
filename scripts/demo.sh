#!/usr/bin/env bash
# The main job: a failover from us-east-1 to us-east-2 against a local AWS.
#   1. set up quietly: the Debian packages the build needs, one client (OpenTofu,
#      or Terraform with FO_DEMO_CLIENT=terraform), moto's venv, the build;
#   2. start moto on loopback (with tests/moto_ext's Route 53 layer), make the
#      hosted zone and one health check per region;
#   3. apply terraform-examples/two-region: failover_switch + failover_weight_pair
#      (records 255/0, health checks on both), and the per-region stacks;
#   4. us-east-1 fails: its health check turns unhealthy; show the plan of the
#      flip (only the weights swap), the guard refusing a flip without a new
#      reason, then the flip itself, timed;
#   5. read the records back from the Route 53 endpoint (0/255);
#   6. verify the now-active side (failover-audit verify) and print the drill timeline from the state and the
#      verify report (failover-audit drill: one row per step, RTO 30m);
#   7. audit the two regions' states with failover-audit (markdown report);
#   8. fail back to us-east-1 and print its timeline (docs/drill.md);
#   9. clean up (destroy, moto stopped) and print a summary.
# More DR resources (pilot light, backup plan) join at the marked places.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export FO_TOOLS_DIR=${FO_TOOLS_DIR:-$ROOT/.tools}
BUILD=${FO_BUILD_DIR:-$ROOT/build/demo}
CLIENT=${FO_DEMO_CLIENT:-tofu}
EXAMPLE=$ROOT/terraform-examples/two-region
PY=$FO_TOOLS_DIR/venv/bin/python
T0=$(date +%s)

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
WORK=$(mktemp -d)
MOTO_PID=
cleanup() {
	[ -z "$MOTO_PID" ] || kill "$MOTO_PID" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

# quiet WHAT CMD...: run CMD with its output in a log; show the log only if it fails.
quiet() {
	local what=$1
	shift
	if ! "$@" >"$WORK/setup.log" 2>&1; then
		echo "demo: $what failed:" >&2
		tail -n 40 "$WORK/setup.log" >&2
		exit 1
	fi
}

say "setting up (packages, $CLIENT, moto, build)"
quiet "installing packages" "$ROOT/scripts/install-deps.sh" --demo
quiet "building $CLIENT" "$ROOT/scripts/build-clients.sh" "$CLIENT"
quiet "setting up moto" "$ROOT/scripts/setup-moto.sh"
quiet "configuring" cmake -S "$ROOT" -B "$BUILD" -DFO_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
quiet "building" cmake --build "$BUILD" -j2
PROVIDER_DIR=$BUILD/provider
AUDIT=$BUILD/auditor/failover-audit
TF=$FO_TOOLS_DIR/bin/$CLIENT

cat >"$WORK/cli.tfrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/failover/failover" = "$PROVIDER_DIR"
    "registry.opentofu.org/failover/failover" = "$PROVIDER_DIR"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE=$WORK/cli.tfrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
echo "$("$TF" version | head -1), provider and failover-audit built in $BUILD"
# The local AWS: static test credentials, nothing reaches a real account.
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export NO_PROXY=127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}

say "a local AWS: moto on loopback"
"$PY" "$ROOT/tests/aws/moto_server.py" --port 0 --port-file "$WORK/moto.port" 2>"$WORK/moto.log" &
MOTO_PID=$!
for _ in $(seq 1 200); do
	[ -s "$WORK/moto.port" ] && curl -fsS --noproxy '*' "http://127.0.0.1:$(cat "$WORK/moto.port")/moto-api/" -o /dev/null 2>/dev/null && break
	kill -0 "$MOTO_PID" 2>/dev/null || { cat "$WORK/moto.log" >&2; exit 1; }
	sleep 0.1
done
MOTO=http://127.0.0.1:$(cat "$WORK/moto.port")
ctl() { "$PY" "$ROOT/tests/aws/r53ctl.py" --endpoint "$MOTO" "$@"; }
ZONE=$(ctl zone example.com)
HC1=$(ctl health-check use1.app.example.com)
HC2=$(ctl health-check use2.app.example.com)
echo "moto at $MOTO; hosted zone example.com ($ZONE); health checks use1 $HC1, use2 $HC2"
# Pilot light: the cluster "dr" (node group "workers") and the queue servers in both
# regions; in us-east-2 new nodes and instances take two polls to become ready.
"$PY" "$ROOT/tests/moto_ext/seed_pilot_light.py" "$MOTO" --region us-east-1 --nodegroup-size 2/3/6 --asg-size 1/2/4 >/dev/null
"$PY" "$ROOT/tests/moto_ext/seed_pilot_light.py" "$MOTO" --region us-east-2 >/dev/null
"$PY" "$ROOT/tests/moto_ext/control.py" "$MOTO" eks-nodegroup region=us-east-2 cluster=dr nodegroup=workers update_polls=2 >/dev/null
"$PY" "$ROOT/tests/moto_ext/control.py" "$MOTO" asg-capacity region=us-east-2 name=eks-dr-workers polls=2 >/dev/null
echo "pilot light: EKS cluster dr (node group workers) and queue servers seeded in both regions"
# Backup & restore: restore jobs take two polls (restore.tf restores the copy backup.tf's
# seeding plants below during the flip).
"$PY" "$ROOT/tests/moto_ext/control.py" "$MOTO" restore-config polls=2 >/dev/null
records() { ctl weights "$ZONE" app.example.com A | sort | paste -sd ' '; }

mkdir -p "$WORK/global" "$WORK/use1" "$WORK/use2" "$WORK/audit/states"
cp "$EXAMPLE"/*.tf "$WORK/global/"
cp "$EXAMPLE"/region/*.tf "$WORK/use1/"
cp "$EXAMPLE"/region/*.tf "$WORK/use2/"
cat >"$WORK/global/terraform.tfvars" <<EOF
zone_id                   = "$ZONE"
primary_health_check_id   = "$HC1"
secondary_health_check_id = "$HC2"
route53_endpoint          = "$MOTO"
eks_endpoint              = "$MOTO"
autoscaling_endpoint      = "$MOTO"
backup_endpoint           = "$MOTO"
rds_endpoint              = "$MOTO"
EOF
# Backup replication (backup.tf) and restore (restore.tf): both vaults and a database backup copied to the
# us-east-2 vault three hours ago, the copy a failover restores.
BACKUP_DEST=$("$PY" "$ROOT/tests/moto_ext/seed_backup.py" "$MOTO" --age-hours 3 --print destination_vault_arn)
cat >>"$WORK/global/terraform.tfvars" <<EOF
database_arn                 = "arn:aws:rds:us-east-1:123456789012:db:mariadb"
backup_role_arn              = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
backup_destination_vault_arn = "$BACKUP_DEST"
EOF
# Quiesce (quiesce.tf): the primary's Lambda function `worker` with its SQS trigger on `orders` and the queue
# servers' group `queue-servers`, stopped before the flip; 2 messages still in flight drain after 2 polls.
QUIESCE=$("$PY" "$ROOT/tests/moto_ext/seed_quiesce.py" "$MOTO" seed us-east-1)
QUIESCE_QUEUE=$(printf '%s' "$QUIESCE" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["queue_url"])')
cat >>"$WORK/global/terraform.tfvars" <<EOF
lambda_endpoint            = "$MOTO"
sqs_endpoint               = "$MOTO"
quiesce_lambda_functions   = ["worker"]
quiesce_autoscaling_groups = ["queue-servers"]
quiesce_drain_queues       = ["$QUIESCE_QUEUE"]
EOF
for r in use1 use2; do
	printf 'zone_id = "%s"\nroute53_endpoint = "%s"\n' "$ZONE" "$MOTO" >"$WORK/$r/terraform.tfvars"
done
tfg() { (cd "$WORK/global" && "$TF" "$1" -input=false -no-color -compact-warnings "${@:2}"); }
tfo() { (cd "$WORK/global" && "$TF" output -no-color -json "$1" | tr -d " \n"); }
region_apply() {
	(cd "$WORK/use1" && "$TF" apply -auto-approve -input=false -no-color -compact-warnings -var side=primary >/dev/null)
	(cd "$WORK/use2" && "$TF" apply -auto-approve -input=false -no-color -compact-warnings -var side=secondary >/dev/null)
}

say "apply terraform-examples/two-region: primary (us-east-1) active"
tfg apply -auto-approve -var active=primary -var 'reason=initial deployment' | sed -n '/^Apply complete/,$p'
region_apply
echo "Route 53 records now: $(records)"
echo "pilot light in us-east-2 (standby): $(tfo pilot_light)"
# ---- more DR resources join here (backup plan): show their state ----
echo "backup replication us-east-1 -> us-east-2 (plan, newest copy, rpo_hours): $(tfo backup)"
echo "restore in us-east-2 (none while the primary is active, count 0): $(tfo restore)"

say "us-east-1 fails: its health check turns unhealthy"
ctl health "$HC1" unhealthy >/dev/null
echo "In AWS, Route 53's data plane now answers with the healthy use2 record by itself (moto serves no DNS); weights unchanged: $(records)"
echo "The operator decides to fail over: stop the critical processes in us-east-1, then flip."

say "plan of the failover"
REASON='INC-4711: us-east-1 unhealthy, failing over to us-east-2'
tfg plan -var active=secondary -var "reason=$REASON" -out=flip.tfplan >"$WORK/plan.txt"
sed -n '/failover_weight_pair.app will be updated/,/^    }/p' "$WORK/plan.txt"
sed -n '/failover_restore.mariadb\[0\] will be created/,/^    }/p' "$WORK/plan.txt" |
	grep -E '^ +\+ (data_as_of|recovery_point_arn) ' | sed 's/^ *+ /failover_restore.mariadb[0] will restore: /'
grep -E '^Plan:' "$WORK/plan.txt"

say "the guard: a flip without a new reason is refused"
set +e
tfg plan -var active=secondary -var 'reason=initial deployment' >"$WORK/guard.txt" 2>&1
guard_rc=$?
set -e
[ "$guard_rc" -ne 0 ] || { echo "demo: the guard did not refuse the flip" >&2; exit 1; }
sed -n '/Error: A switch needs a new reason/,/╵/p' "$WORK/guard.txt" | sed 's/^[│╷╵ ]*//' |
	grep -vE '^$|^(with|on) |^[0-9]+:|^$'
echo "(exit $guard_rc: nothing was changed)"

say "the flip: one Route 53 change batch, then wait for INSYNC"
# Like real Route 53 (where propagation takes up to a minute), the change stays
# PENDING for its first status poll; the provider waits for INSYNC.
ctl pending 1 >/dev/null
"$PY" "$ROOT/tests/moto_ext/control.py" "$MOTO" inflight region=us-east-1 queue=orders count=2 polls=2 >/dev/null
f0=$(date +%s.%N)
tfg apply flip.tfplan | sed -n '/Modifying\|Modifications complete\|failover_restore\|^Apply complete/p'
f1=$(date +%s.%N)
FLIP=$(awk -v a="$f0" -v b="$f1" 'BEGIN { printf "%.1f", b - a }')
echo "flip applied in ${FLIP}s (batch sent, change PENDING, then INSYNC)"

say "read back from the Route 53 endpoint"
AFTER=$(records)
echo "$AFTER"
case $AFTER in
*use1=0*use2=255*) ;;
*) echo "demo: Route 53 does not hold 0/255 after the flip" >&2; exit 1 ;;
esac
echo "change: $(cd "$WORK/global" && "$TF" output -raw change)"
echo "quiesce of us-east-1 (before the pilot light, restore and flip): $(tfo quiesce)"
echo "us-east-1 read back: $("$PY" "$ROOT/tests/moto_ext/seed_quiesce.py" "$MOTO" state us-east-1)"
PL_AFTER=$(tfo pilot_light)
echo "pilot light in us-east-2 (active, scaled up before the flip): $PL_AFTER"
RESTORE=$(tfo restore)
echo "database restored in us-east-2 before the flip (job id, data as of, endpoint): $RESTORE"

say "verify: the checklist on the now-active us-east-2 (failover-audit verify)"
# Against the local AWS (docs/auditor.md, VERIFY): Data, the restored MariaDB instance is available; Integrity,
# the primary's Lambda trigger is disabled (the quiesce held). After the failback, --side primary checks that
# trigger is enabled again.
cat >"$WORK/verify.yml" <<VERIFY
version: 1
sides:
  primary:
    region: us-east-1
    aws_endpoint_url: $MOTO
    verify:
      lambda_functions: [worker]
  secondary:
    region: us-east-2
    aws_endpoint_url: $MOTO
    verify:
      rds_instance: mariadb-dr
VERIFY
set +e
"$AUDIT" verify --side secondary --config "$WORK/verify.yml" --output "json=$WORK/verify-failover.json" --format text
verify_rc=$?
set -e
echo "failover-audit verify exit code: $verify_rc (0 verified, 1 a check failed)"

say "the drill timeline: failover-audit drill on the state after the flip and the verify report"
# Each DR resource recorded when its step started and finished (docs/drill.md); the RTO of this demo is 30m.
set +e
"$AUDIT" drill --rto 30m --verify-report "$WORK/verify-failover.json" --output "json=$WORK/drill-failover.json" \
	--format text "$WORK/global/terraform.tfstate"
drill_rc=$?
set -e
echo "failover-audit drill exit code: $drill_rc (0 within the RTO, 1 exceeded, 3 a state unreadable)"
DRILL_TOTAL=$(jq -r '.total_ms / 100 | floor / 10' "$WORK/drill-failover.json" 2>/dev/null || echo "?")

say "audit: the two regions' states (failover-audit, markdown)"
region_apply
cp "$WORK/use1/terraform.tfstate" "$WORK/audit/states/primary.tfstate"
cp "$WORK/use2/terraform.tfstate" "$WORK/audit/states/secondary.tfstate"
cp "$EXAMPLE/failover-audit.yml" "$WORK/audit/.failover-audit.yml"
set +e
(cd "$WORK/audit" && "$AUDIT" check --config .failover-audit.yml --format markdown)
audit_rc=$?
set -e
echo "failover-audit exit code: $audit_rc (0 in sync, 1 unexpected drift, 2 usage, 3 unreadable source)"

say "failback: us-east-1 is healthy again, return to the primary (drilled the same way)"
ctl health "$HC1" healthy >/dev/null
FAILBACK_REASON='INC-4711: us-east-1 recovered, failing back'
ctl pending 1 >/dev/null
tfg apply -auto-approve -var active=primary -var "reason=$FAILBACK_REASON" |
	sed -n '/Modifications complete\|Destruction complete\|^Apply complete/p'
echo "Route 53 records now: $(records)"
set +e
"$AUDIT" verify --side primary --config "$WORK/verify.yml" --output "json=$WORK/verify-failback.json" >/dev/null
verify_back_rc=$?
echo "failover-audit verify --side primary exit code: $verify_back_rc (the primary's consumers started again)"
"$AUDIT" drill --rto 30m --verify-report "$WORK/verify-failback.json" --format text "$WORK/global/terraform.tfstate"
failback_rc=$?
set -e
echo "failover-audit drill exit code (failback): $failback_rc"

say "clean up"
tfg destroy -auto-approve -var active=primary -var "reason=$FAILBACK_REASON" | tail -n 1
LEFT=$(ctl records "$ZONE" app.example.com A)
[ "$LEFT" = "[]" ] || { echo "demo: records left behind: $LEFT" >&2; exit 1; }
echo "no records left in the hosted zone; moto stops with the demo"

say "summary"
echo "primary us-east-1 -> secondary us-east-2 with $CLIENT against a local Route 53 (moto)"
echo "flip: one ChangeResourceRecordSets batch, records use1/use2 255/0 -> 0/255, took ${FLIP}s including the pilot light capacity waits and the INSYNC wait"
echo "before the flip Route 53's health checks already sent traffic to use2 (no API call needed)"
echo "pilot light: us-east-2 node group and queue servers scaled from standby to active (capacity ready) before the weights moved"
echo "guard: a flip without a new reason was refused at plan time"
echo "restore: MariaDB restored from the newest copy in us-east-2 during the flip: $RESTORE"
echo "audit of the two regions' states: exit $audit_rc"
echo "verify of us-east-2 after the flip: exit $verify_rc; of us-east-1 after the failback: exit $verify_back_rc"
echo "drill timeline: failover ${DRILL_TOTAL}s from the first step to verified against an RTO of 30m (exit $drill_rc); failback drilled the same way (exit $failback_rc)"
echo "batches sent to Route 53: $(ctl calls ChangeResourceRecordSets) (create, flip, failback, destroy)"
echo "demo finished in $(($(date +%s) - T0))s"
