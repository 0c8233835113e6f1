# cases_backup_plan.sh: end-to-end cases for failover_backup_replication_plan
# against moto (with tests/moto_ext/backup_plans.py for updates and selections
# and backup_points.py for planted recovery points and copies). Sourced by
# run.sh after cases_pilot_light.sh (pl_moto, says_joined, no_changes).
# shellcheck shell=bash

BP_DEST=arn:aws:backup:us-east-2:123456789012:backup-vault:secondary
BP_ROLE=arn:aws:iam::123456789012:role/backup
BP_DB=arn:aws:rds:us-east-1:123456789012:db:mariadb

# bp_aws OP ARGS...: tests/e2e/backup_plan_aws.py against this test's moto.
bp_aws() {
	"$PL_PY" "$E2E_DIR/backup_plan_aws.py" "$MOTO" "$@" || fail "backup_plan_aws.py $* failed"
}

# bp_config [EXTRA ARGUMENTS]: main.tf with the provider pointed at moto, one
# plan (variables for what the cases change) and its attributes as outputs.
bp_config() {
	{
		moto_provider_tf backup
		cat <<EOF
variable "copy_retention_days" {
  type    = number
  default = 14
}
variable "resources" {
  type    = list(string)
  default = ["$BP_DB"]
}
variable "dest" {
  type    = string
  default = "$BP_DEST"
}
resource "failover_backup_replication_plan" "db" {
  name                  = "mariadb-dr"
  source_vault_name     = "primary"
  destination_vault_arn = var.dest
  retention_days        = 7
  copy_retention_days   = var.copy_retention_days
  resources             = var.resources
  iam_role_arn          = "$BP_ROLE"
${1:-}
}
output "plan" {
  value = {
    id           = failover_backup_replication_plan.db.id
    arn          = failover_backup_replication_plan.db.arn
    version_id   = failover_backup_replication_plan.db.version_id
    selection_id = failover_backup_replication_plan.db.selection_id
    last_copy_at = failover_backup_replication_plan.db.last_copy_at
    last_point   = failover_backup_replication_plan.db.last_recovery_point_at
    rpo_hours    = failover_backup_replication_plan.db.rpo_hours
  }
}
EOF
	} >main.tf
}

bp_out() { jq -r ".plan.value.$2" "$1"; }

# Apply a plan and its selection (the copy lifecycle read back with boto3),
# an empty second plan, an update with a new version id, drift on the copy
# lifecycle repaired, the selection replaced when its resources change, and
# destroy deleting the selection, then the plan.
case_bp_lifecycle() {
	write_dev_overrides
	pl_moto
	bp_aws seed
	bp_aws point 1.5 >/dev/null # rpo_hours 1 (whole hours, rounded down)
	bp_config

	ok "plan (create)" "$TF" plan -no-color -out=create.tfplan
	has "plan (create)" 'failover_backup_replication_plan\.db will be created'
	lacks "a fresh copy gives no warning" 'Backup copies are stale'
	ok "apply (create)" "$TF" apply -no-color create.tfplan
	has "apply (create)" 'Apply complete! Resources: 1 added'
	outputs "$WORK/o1.json"
	local o=$WORK/o1.json pid v1 s1
	pid=$(bp_out "$o" id)
	v1=$(bp_out "$o" version_id)
	s1=$(bp_out "$o" selection_id)
	jq_true "ids, arn and selection are set" "$o" \
		'.plan.value | (.id | length > 0) and (.id as $i | .arn | endswith(":backup-plan:" + $i)) and (.version_id | length > 0) and (.selection_id | length > 0)'
	jq_true "the newest copy and point are read" "$o" \
		'.plan.value | (.last_copy_at | test($re)) and (.last_point | test($re)) and .rpo_hours == 1' --arg re "$RFC3339"
	bp_aws plan "$pid" >"$WORK/aws-plan.json"
	jq_true "the copy action's lifecycle was sent (read back with boto3)" "$WORK/aws-plan.json" \
		'.BackupPlan.Rules[0].CopyActions[0] == {"DestinationBackupVaultArn": $d, "Lifecycle": {"DeleteAfterDays": 14}}' \
		--arg d "$BP_DEST"
	jq_true "the rule's lifecycle, vault and schedule" "$WORK/aws-plan.json" \
		'.BackupPlan.Rules[0] | .Lifecycle == {"DeleteAfterDays": 7} and .TargetBackupVaultName == "primary" and .ScheduleExpression == "cron(0 5 ? * * *)"'
	bp_aws selections "$pid" >"$WORK/aws-sel.json"
	jq_true "one selection of the database with the role" "$WORK/aws-sel.json" \
		'length == 1 and .[0].SelectionId == $s and .[0].BackupSelection.Resources == [$db] and .[0].BackupSelection.IamRoleArn == $r' \
		--arg s "$s1" --arg db "$BP_DB" --arg r "$BP_ROLE"
	no_changes "second plan is empty"
	exits "refresh-only plan finds no drift" 0 "$TF" plan -no-color -refresh-only -detailed-exitcode

	ok "plan (update)" "$TF" plan -no-color -var copy_retention_days=30
	has "plan (update) changes the copy retention" 'copy_retention_days += 14 -> 30'
	has "plan (update) gives a new version id" 'version_id += ".*" -> \(known after apply\)'
	lacks "plan (update) keeps the selection" 'selection_id .*known after apply'
	ok "apply (update)" "$TF" apply -no-color -auto-approve -var copy_retention_days=30
	has "apply (update)" 'Resources: 0 added, 1 changed, 0 destroyed'
	outputs "$WORK/o2.json"
	jq_true "a new version id, the same plan and selection" "$WORK/o2.json" \
		'.plan.value | .version_id != $v1 and .id == $p and .selection_id == $s' --arg v1 "$v1" --arg p "$pid" --arg s "$s1"
	bp_aws plan "$pid" >"$WORK/aws-plan2.json"
	jq_true "moto has the new version and copy lifecycle" "$WORK/aws-plan2.json" \
		'.VersionId == $v and .BackupPlan.Rules[0].CopyActions[0].Lifecycle == {"DeleteAfterDays": 30}' \
		--arg v "$(bp_out "$WORK/o2.json" version_id)"
	no_changes "plan after the update is empty" -var copy_retention_days=30

	bp_aws drop-copy-lifecycle "$pid"
	exits "a copy lifecycle removed behind Terraform's back is drift" 2 "$TF" plan -no-color -detailed-exitcode \
		-var copy_retention_days=30
	has "the drift is shown" 'copy_retention_days += null -> 30|\+ copy_retention_days += 30'
	ok "repair the drift" "$TF" apply -no-color -auto-approve -var copy_retention_days=30
	bp_aws plan "$pid" >"$WORK/aws-plan3.json"
	jq_true "the copy lifecycle is back" "$WORK/aws-plan3.json" \
		'.BackupPlan.Rules[0].CopyActions[0].Lifecycle == {"DeleteAfterDays": 30}'
	no_changes "plan after the repair is empty" -var copy_retention_days=30

	local res='-var=resources=["arn:aws:rds:us-east-1:123456789012:db:mariadb","arn:aws:rds:us-east-1:123456789012:db:audit"]'
	ok "plan (resources change)" "$TF" plan -no-color -var copy_retention_days=30 "$res"
	has "a resources change replaces the selection" 'selection_id += ".*" -> \(known after apply\)'
	ok "apply (resources change)" "$TF" apply -no-color -auto-approve -var copy_retention_days=30 "$res"
	outputs "$WORK/o3.json"
	bp_aws selections "$pid" >"$WORK/aws-sel2.json"
	jq_true "one new selection with both resources" "$WORK/aws-sel2.json" \
		'length == 1 and .[0].SelectionId == $s and (.[0].BackupSelection.Resources | sort) == ["arn:aws:rds:us-east-1:123456789012:db:audit", $db]' \
		--arg s "$(bp_out "$WORK/o3.json" selection_id)" --arg db "$BP_DB"
	jq_true "the selection id changed" "$WORK/o3.json" '.plan.value.selection_id != $s' --arg s "$s1"
	no_changes "plan after the selection change is empty" -var copy_retention_days=30 "$res"

	ok "destroy" "$TF" destroy -no-color -auto-approve -var copy_retention_days=30 "$res"
	has "destroy" 'Destroy complete! Resources: 1 destroyed'
	bp_aws calls >"$WORK/calls.json"
	jq_true "destroy deleted the selection, then the plan" "$WORK/calls.json" \
		'[.[] | select(.plan == $p)] | .[-2:] | map(.op) == ["DeleteBackupSelection", "DeleteBackupPlan"]' --arg p "$pid"
	[ "$(bp_aws plans)" = "[]" ] || fail "plans left after destroy: $(bp_aws plans)"
}

# A copy planted 30 hours old: every plan warns (apply still works); a fresh
# copy silences it. No copy while a 30-hour-old point exists warns too.
case_bp_stale() {
	write_dev_overrides
	pl_moto
	bp_aws seed
	bp_config
	ok "apply without any backup yet" "$TF" apply -no-color -auto-approve
	lacks "no warning before anything was backed up" 'Backup copies are stale|No backup copy'
	outputs "$WORK/o0.json"
	jq_true "no copy yet: nulls" "$WORK/o0.json" '.plan.value | .last_copy_at == null and .rpo_hours == null'

	bp_aws point 30.2 >/dev/null # 30 hours old (rpo_hours rounds down)
	ok "plan with a 30-hour-old copy" "$TF" plan -no-color
	lacks "the refreshed copy changes only outputs" 'will be updated in-place'
	says "it warns" 'Backup copies are stale'
	says_joined "the warning names the age and the limit" '30 hours ago \(max_copy_age_hours = 26\)'
	ok "apply with the stale copy" "$TF" apply -no-color -auto-approve
	says "apply warns too" 'Backup copies are stale'
	outputs "$WORK/o1.json"
	jq_true "rpo_hours is 30" "$WORK/o1.json" '.plan.value.rpo_hours == 30'

	bp_config '  max_copy_age_hours = 48'
	ok "plan with max_copy_age_hours = 48" "$TF" plan -no-color
	lacks "a 30-hour-old copy is within 48 hours" 'Backup copies are stale'
	bp_config
	bp_aws point 2 >/dev/null
	ok "plan with a fresh copy" "$TF" plan -no-color
	lacks "a fresh copy gives no warning" 'Backup copies are stale'
	ok "destroy" "$TF" destroy -no-color -auto-approve
}

# A failed CreateBackupSelection: the plan stays in the state (selection_id
# null; no plan is leaked). After a failed create Terraform and OpenTofu mark
# the object tainted, so the next apply replaces it (deletes the half-made plan,
# creates plan and selection); after a failed update (a selection replaced) the
# next apply creates only the selection, in place.
case_bp_partial() {
	write_dev_overrides
	pl_moto
	bp_aws seed
	bp_config
	bp_aws fail-selection 1
	fails "apply with a failing selection" "$TF" apply -no-color -auto-approve
	says "the error says what happened" 'Backup selection not created'
	says_joined "the error says the plan is kept" 'plan is kept in the state'
	state_json "$WORK/partial.json"
	jq_true "the plan is in the state without a selection" "$WORK/partial.json" \
		'.values.root_module.resources[0].values | (.id | length > 0) and .selection_id == null'
	local pid pid2
	pid=$(jq -r '.values.root_module.resources[0].values.id' "$WORK/partial.json")
	[ "$(bp_aws plans)" = "[\"$pid\"]" ] || fail "moto plans after the failure: $(bp_aws plans)"
	[ "$(bp_aws selections "$pid")" = "[]" ] || fail "a selection exists after the failure"
	exits "the next plan completes it" 2 "$TF" plan -no-color -detailed-exitcode
	has "a failed create is tainted: replaced" 'is tainted, so (it )?must be replaced'
	ok "the next apply completes it" "$TF" apply -no-color -auto-approve
	state_json "$WORK/done.json"
	pid2=$(jq -r '.values.root_module.resources[0].values.id' "$WORK/done.json")
	[ "$(bp_aws plans)" = "[\"$pid2\"]" ] || fail "the half-made plan was not replaced: $(bp_aws plans)"
	bp_aws selections "$pid2" >"$WORK/sel.json"
	jq_true "one selection now" "$WORK/sel.json" 'length == 1 and .[0].SelectionId == $s' \
		--arg s "$(jq -r '.values.root_module.resources[0].values.selection_id' "$WORK/done.json")"
	no_changes "then the plan is empty"

	local res='-var=resources=["arn:aws:rds:us-east-1:123456789012:db:mariadb","arn:aws:rds:us-east-1:123456789012:db:audit"]'
	bp_aws fail-selection 1
	fails "an update whose new selection fails" "$TF" apply -no-color -auto-approve "$res"
	says "the update error says what happened" 'Backup selection not created'
	state_json "$WORK/partial2.json"
	jq_true "the plan stays, selection_id null" "$WORK/partial2.json" \
		'.values.root_module.resources[0].values | .id == $p and .selection_id == null' --arg p "$pid2"
	exits "the next plan completes it in place" 2 "$TF" plan -no-color -detailed-exitcode "$res"
	has "in place" 'will be updated in-place'
	lacks "not replaced" 'must be replaced'
	ok "the next apply creates the selection" "$TF" apply -no-color -auto-approve "$res"
	has "completed in place" 'Resources: 0 added, 1 changed, 0 destroyed'
	bp_aws selections "$pid2" >"$WORK/sel2.json"
	jq_true "one selection with both resources" "$WORK/sel2.json" 'length == 1 and (.[0].BackupSelection.Resources | length) == 2'
	[ "$(bp_aws plans)" = "[\"$pid2\"]" ] || fail "a second plan was made: $(bp_aws plans)"
	no_changes "then the plan is empty" "$res"

	bp_aws delete-selection "$pid2" "$(jq -r '.[0].SelectionId' "$WORK/sel2.json")"
	exits "a selection deleted behind Terraform's back is planned again" 2 "$TF" plan -no-color -detailed-exitcode "$res"
	ok "apply recreates it" "$TF" apply -no-color -auto-approve "$res"
	bp_aws selections "$pid2" >"$WORK/sel3.json"
	jq_true "one selection again" "$WORK/sel3.json" 'length == 1'
	ok "destroy" "$TF" destroy -no-color -auto-approve "$res"
	[ "$(bp_aws plans)" = "[]" ] || fail "plans left after destroy: $(bp_aws plans)"
}

# Import by plan id (a wrong ID is named); the plan after import is empty.
case_bp_import() {
	write_dev_overrides
	pl_moto
	bp_aws seed
	bp_config
	local made pid
	made=$(bp_aws make-plan mariadb-dr "$BP_DEST" "$BP_ROLE" "$BP_DB")
	pid=$(jq -r .plan <<<"$made")
	fails "import by name" "$TF" import -no-color failover_backup_replication_plan.db "$BP_DEST"
	says "a wrong ID is explained" 'by its backup plan id'
	fails "import of a missing plan" "$TF" import -no-color failover_backup_replication_plan.db no-such-plan
	says "a missing plan is named" 'no backup plan no-such-plan|no-such-plan does not exist'
	ok "import" "$TF" import -no-color failover_backup_replication_plan.db "$pid"
	has "import" 'Import successful'
	state_json "$WORK/imported.json"
	jq_true "imported attributes" "$WORK/imported.json" \
		'.values.root_module.resources[0].values | .id == $p and .selection_id == $s and .copy_retention_days == 14 and .retention_days == 7 and .resources == [$db] and .destination_vault_arn == $d and .iam_role_arn == $r' \
		--arg p "$pid" --arg s "$(jq -r .selection <<<"$made")" --arg db "$BP_DB" --arg d "$BP_DEST" --arg r "$BP_ROLE"
	no_changes "plan after import is empty"
	ok "destroy" "$TF" destroy -no-color -auto-approve
	[ "$(bp_aws plans)" = "[]" ] || fail "plans left after destroy: $(bp_aws plans)"
}

# Plan-time checks named by attribute: a destination in the source's region,
# in a third region, a vault that does not exist, an encrypted vault without a
# key (a warning), a key of the wrong region, a short completion window.
case_bp_validate() {
	write_dev_overrides
	pl_moto
	bp_aws seed
	bp_config
	fails "destination in the source's region" "$TF" plan -no-color \
		-var dest=arn:aws:backup:us-east-1:123456789012:backup-vault:primary
	says "refused as a same-region copy" 'Destination vault in the source region'
	says_joined "it says why" 'a copy into its own region protects nothing'
	has "the diagnostic points at the attribute (its path)" '[0-9]+: +destination_vault_arn += var\.dest'
	fails "destination in a third region" "$TF" plan -no-color \
		-var dest=arn:aws:backup:eu-west-1:123456789012:backup-vault:secondary
	says "refused: not the secondary" 'Destination vault not in the secondary region'
	fails "destination that is not a vault ARN" "$TF" plan -no-color -var dest=arn:aws:s3:::bucket
	says "not a vault ARN" 'Not a backup vault ARN'
	fails "a vault that does not exist" "$TF" plan -no-color \
		-var dest=arn:aws:backup:us-east-2:123456789012:backup-vault:nope
	says "missing vault named" 'Destination vault does not exist'
	ok "an encrypted vault without a key" "$TF" plan -no-color \
		-var dest=arn:aws:backup:us-east-2:123456789012:backup-vault:encrypted
	says "a KMS key needed warning" 'KMS key needed for encrypted copies'
	bp_config '  destination_kms_key_arn = "arn:aws:kms:us-east-2:123456789012:key/0d4c8e2a-1f5b-4e7c-9a3d-6b2f8c1e5a70"'
	ok "the vault's key given" "$TF" plan -no-color \
		-var dest=arn:aws:backup:us-east-2:123456789012:backup-vault:encrypted
	lacks "no warning with the key" 'KMS key needed'
	bp_config '  destination_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/0d4c8e2a-1f5b-4e7c-9a3d-6b2f8c1e5a70"'
	fails "a key in the source region" "$TF" plan -no-color
	says "key region named" 'KMS key not in the destination region'
	has "the diagnostic points at the key" '[0-9]+: +destination_kms_key_arn += '
	bp_config '  start_window_minutes      = 120
  completion_window_minutes = 150'
	fails "completion window too short" "$TF" validate -no-color
	says_joined "window named" 'completion_window_minutes \(150\) must be at least start_window_minutes \+ 60 \(180\)'
	bp_aws calls >"$WORK/calls.json"
	jq_true "nothing was created" "$WORK/calls.json" 'length == 0'
}
