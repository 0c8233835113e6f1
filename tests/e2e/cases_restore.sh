# cases_restore.sh: end-to-end cases for failover_restore against moto (with the
# tests/moto_ext layers: recovery points and copies planted with ages, restore
# jobs that take N polls or fail, the restored DB instance in moto's RDS).
# Sourced by run.sh after cases_pilot_light.sh (pl_moto, says_joined, no_changes).
# shellcheck shell=bash

# rs_aws OP ARGS...: tests/e2e/restore_aws.py against this test's moto.
rs_aws() {
	"$PL_PY" "$E2E_DIR/restore_aws.py" "$MOTO" "$@" || fail "restore_aws.py $* failed"
}

# rs_config BODY: main.tf with the provider's Backup and RDS endpoints at moto.
rs_config() {
	{
		moto_provider_tf backup rds
		cat <<EOF
$1
EOF
	} >main.tf
}

# rs_resource [EXTRA]: the restore of the MariaDB instance into mariadb-dr.
rs_resource() {
	cat <<EOF
resource "failover_restore" "db" {
  vault_name          = "dr"
  source_resource_arn = "arn:aws:rds:us-east-1:123456789012:db:mariadb"
  iam_role_arn        = "arn:aws:iam::123456789012:role/restore"
  metadata_overrides = {
    DBInstanceIdentifier = "mariadb-dr"
    DBSubnetGroupName    = "use2-private"
  }
  ${1:-}
}
output "db" {
  value = failover_restore.db
}
EOF
}

RS_VALUES='.values.root_module.resources[] | select(.address == "failover_restore.db") | .values'

# rs_state_is WHAT JQ: the restore's values in the state satisfy JQ.
rs_state_is() {
	state_json "$WORK/rs-state.json"
	jq_true "$1" "$WORK/rs-state.json" "$RS_VALUES | $2"
}

# The newest completed copy is restored (older copies, a newer PARTIAL one and a
# newer copy of another database are not), the job is waited for (progress
# line), data_as_of is the copy's creation time, the endpoint is the restored
# instance's; a second plan is empty; import by VAULT/JOB_ID; an instance deleted
# behind Terraform's back is planned again; destroy leaves the database.
case_restore_newest() {
	write_dev_overrides
	pl_moto
	rs_aws vaults
	rs_aws plant 30 >/dev/null
	newest=$(rs_aws plant 5)
	rs_aws plant 50 >/dev/null
	rs_aws plant 1 PARTIAL >/dev/null
	rs_aws plant 0.5 COMPLETED arn:aws:rds:us-east-1:123456789012:db:other >/dev/null
	rs_aws restore-config 3
	rs_config "$(rs_resource)"

	ok "plan" "$TF" plan -no-color
	has "the plan shows the chosen copy's age" "data_as_of *= \"$(jq -r .created <<<"$newest")\""
	TF_LOG=info TF_LOG_PATH=$WORK/restore.log ok "apply" "$TF" apply -no-color -auto-approve
	has "apply" 'Apply complete! Resources: 1 added'
	grep -q 'still waiting for restore job [0-9A-F-]* to complete: RUNNING' "$WORK/restore.log" ||
		fail "no progress line while waiting (TF_LOG=info, $WORK/restore.log)"
	note "ok: a progress line while waiting"
	rs_aws restore-state >"$WORK/jobs.json"
	jq_true "one restore job, started once, with the overrides over the point's metadata" "$WORK/jobs.json" \
		'.start_calls == 1 and (.jobs | length) == 1 and .jobs[0].metadata.DBInstanceIdentifier == "mariadb-dr" and .jobs[0].metadata.DBSubnetGroupName == "use2-private" and .jobs[0].metadata.DBInstanceClass == "db.r6g.large" and (.jobs[0].idempotency_token | length) == 36'
	job=$(jq -r '.jobs[0].RestoreJobId' "$WORK/jobs.json")
	endpoint=$(rs_aws rds-endpoint mariadb-dr)
	[ -n "$endpoint" ] || fail "the restored instance mariadb-dr does not exist in moto's RDS"
	outputs "$WORK/out.json"
	jq_true "the newest completed copy was restored" "$WORK/out.json" \
		".db.value.recovery_point_arn == $(jq .copy <<<"$newest") and .db.value.data_as_of == $(jq .created <<<"$newest")"
	jq_true "job, status, instance and endpoint" "$WORK/out.json" \
		".db.value | .restore_job_id == \"$job\" and .id == \"$job\" and .status == \"COMPLETED\" and .restored_instance_identifier == \"mariadb-dr\" and (.restored_instance_arn | endswith(\":db:mariadb-dr\")) and .endpoint == \"$endpoint\" and .port == 3306 and .delete_on_destroy == false"
	jq_true "started_at and finished_at are RFC 3339" "$WORK/out.json" \
		'.db.value | [.started_at, .finished_at] | all(test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))'
	no_changes "plan after the restore is empty"
	rs_aws plant 0.1 >/dev/null
	no_changes "a newer copy arriving later restores nothing"

	ok "state rm" "$TF" state rm failover_restore.db
	fails "bad import ID" "$TF" import -no-color failover_restore.db "$job"
	says "the import ID format is named" 'VAULT/RESTORE_JOB_ID'
	ok "import by VAULT/JOB_ID" "$TF" import -no-color failover_restore.db "dr/$job"
	rs_state_is "imported state" ".restore_job_id == \"$job\" and .vault_name == \"dr\" and .status == \"COMPLETED\" and .endpoint == \"$endpoint\" and .data_as_of == $(jq .created <<<"$newest") and .source_resource_arn == \"arn:aws:rds:us-east-1:123456789012:db:mariadb\""
	ok "plan after import" "$TF" plan -no-color
	lacks "import: nothing is replaced" 'must be replaced|will be created'
	ok "apply after import (records the overrides)" "$TF" apply -no-color -auto-approve
	no_changes "plan after import and apply is empty"

	rs_aws rds-delete mariadb-dr
	exits "the restored instance deleted behind Terraform's back" 2 "$TF" plan -no-color -detailed-exitcode
	has "it is planned again" 'failover_restore.db will be created'

	ok "apply (restores again)" "$TF" apply -no-color -auto-approve
	[ "$(rs_aws rds-exists mariadb-dr)" = yes ] || fail "the instance was not restored again"
	ok "destroy" "$TF" destroy -no-color -auto-approve
	has "destroy" 'Destroy complete! Resources: 1 destroyed'
	says "destroy says the database is left" 'Restored database left running'
	[ "$(rs_aws rds-exists mariadb-dr)" = yes ] || fail "destroy without delete_on_destroy deleted the database"
	note "ok: destroy without delete_on_destroy leaves the DB instance"
}

# A pinned recovery point is used as given (not the newest); with
# delete_on_destroy = true (an in-place change, no second restore) destroy
# deletes the instance.
case_restore_pinned() {
	write_dev_overrides
	pl_moto
	rs_aws vaults
	old=$(rs_aws plant 48)
	rs_aws plant 2 >/dev/null
	rs_aws restore-config 1
	rs_config "$(rs_resource "recovery_point_arn = $(jq .copy <<<"$old")")"
	ok "apply (pinned)" "$TF" apply -no-color -auto-approve
	outputs "$WORK/out.json"
	jq_true "the pinned point was restored" "$WORK/out.json" \
		".db.value.recovery_point_arn == $(jq .copy <<<"$old") and .db.value.data_as_of == $(jq .created <<<"$old") and .db.value.status == \"COMPLETED\""
	rs_aws restore-state >"$WORK/jobs.json"
	jq_true "the job restored the pinned point" "$WORK/jobs.json" \
		".start_calls == 1 and .jobs[0].RecoveryPointArn == $(jq .copy <<<"$old")"
	no_changes "plan after the restore is empty"
	rs_config "$(rs_resource "recovery_point_arn = $(jq .copy <<<"$old")
  delete_on_destroy = true")"
	ok "plan (delete_on_destroy)" "$TF" plan -no-color
	has "delete_on_destroy is an in-place change" '1 to change, 0 to destroy'
	ok "apply (delete_on_destroy)" "$TF" apply -no-color -auto-approve
	rs_aws restore-state >"$WORK/jobs2.json"
	jq_true "no second restore" "$WORK/jobs2.json" '.start_calls == 1'
	ok "destroy" "$TF" destroy -no-color -auto-approve
	[ "$(rs_aws rds-exists mariadb-dr)" = no ] || fail "destroy with delete_on_destroy left the DB instance"
	note "ok: destroy with delete_on_destroy deletes the DB instance"
}

# A job that outlives timeouts.create: the error names the job, the state keeps
# its id, and the next apply waits for that same job (StartRestoreJob called once).
case_restore_timeout() {
	write_dev_overrides
	pl_moto
	rs_aws vaults
	newest=$(rs_aws plant 3)
	rs_aws restore-config 100000
	rs_config "$(rs_resource 'timeouts {
    create = "5s"
  }')"
	fails "a restore that outlives the timeout" "$TF" apply -no-color -auto-approve
	rs_aws restore-state >"$WORK/jobs.json"
	job=$(jq -r '.jobs[0].RestoreJobId' "$WORK/jobs.json")
	says "the error says the restore did not finish" 'Restore not finished before the timeout'
	says_joined "the error names the job and the wait" "timed out after 5s waiting for restore job $job to complete \\(last status: RUNNING"
	says_joined "the error says the next apply waits for it" "its id \\($job\\) is saved in the state"
	rs_state_is "partial state: the job id" ".restore_job_id == \"$job\" and .status == \"RUNNING\" and .recovery_point_arn == $(jq .copy <<<"$newest")"
	rs_aws restore-job "$job" 2
	ok "plan after the timeout" "$TF" plan -no-color
	says "the plan continues the same job" "Continuing a restore job started earlier"
	has "the plan knows the job id" "restore_job_id *= \"$job\""
	ok "the next apply waits for the same job" "$TF" apply -no-color -auto-approve
	rs_aws restore-state >"$WORK/jobs2.json"
	jq_true "StartRestoreJob was called once" "$WORK/jobs2.json" \
		'.start_calls == 1 and (.jobs | length) == 1 and .jobs[0].Status == "COMPLETED"'
	rs_state_is "completed" ".restore_job_id == \"$job\" and .status == \"COMPLETED\" and .restored_instance_identifier == \"mariadb-dr\" and (.endpoint | length) > 0"
	no_changes "then the plan is empty"
	ok "destroy" "$TF" destroy -no-color -auto-approve
}

# A job that fails: a clear error with the job id and AWS's message, the id in
# the state; the next plan reports the same job again (no second restore) until
# retry_failed_job_id names it.
case_restore_failed() {
	write_dev_overrides
	pl_moto
	rs_aws vaults
	rs_aws plant 3 >/dev/null
	rs_aws restore-config 1 'Insufficient capacity for db.r6g.large in us-east-2b'
	rs_config "$(rs_resource)"
	fails "a restore job that fails" "$TF" apply -no-color -auto-approve
	rs_aws restore-state >"$WORK/jobs.json"
	job=$(jq -r '.jobs[0].RestoreJobId' "$WORK/jobs.json")
	says "the error says the restore failed" 'Restore job failed'
	says_joined "the error names the job and AWS's message" "restore job $job of recovery point .* is FAILED: Insufficient capacity for db.r6g.large"
	rs_state_is "partial state: the failed job" ".restore_job_id == \"$job\" and .status == \"FAILED\" and .endpoint == null"
	fails "the next plan" "$TF" plan -no-color
	says_joined "the next plan reports the same job" "restore job $job .* is FAILED"
	says_joined "and how to retry" "retry_failed_job_id = \"$job\""
	rs_aws restore-state >"$WORK/jobs2.json"
	jq_true "no second restore" "$WORK/jobs2.json" '.start_calls == 1'
	rs_aws restore-config 1
	rs_config "$(rs_resource "retry_failed_job_id = \"$job\"")"
	ok "retry named" "$TF" apply -no-color -auto-approve
	rs_aws restore-state >"$WORK/jobs3.json"
	jq_true "a second job only once it was asked for" "$WORK/jobs3.json" \
		".start_calls == 2 and ([.jobs[] | select(.Status == \"COMPLETED\")] | length) == 1"
	no_changes "then the plan is empty"
	ok "destroy" "$TF" destroy -no-color -auto-approve
}

# Plan-time validation with attribute paths; nothing to restore is named.
case_restore_validate() {
	write_dev_overrides
	MOTO=http://127.0.0.1:9 # never called: validation needs no AWS
	rs_config 'resource "failover_restore" "bad" {
  region              = "tertiary"
  vault_name          = "dr"
  source_resource_arn = "mariadb"
  iam_role_arn        = "restore"
  recovery_point_arn  = "arn:aws:backup"
}'
	fails "invalid inputs" "$TF" validate -no-color
	says "region is named" 'tertiary'
	says "source_resource_arn is named" "'mariadb' is not an ARN"
	says "iam_role_arn is named" 'iam_role_arn|role ARN|arn:aws:iam'
	pl_moto
	rs_aws vaults
	rs_config "$(rs_resource)"
	fails "a vault without a copy of the source" "$TF" plan -no-color
	says "nothing to restore is named" 'Nothing to restore'
	says_joined "the vault and the source are named" 'backup vault dr holds no COMPLETED recovery point of arn:aws:rds:us-east-1:123456789012:db:mariadb'
}
