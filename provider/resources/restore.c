/* failover_restore: activation step 5, restore the newest copy of a database from
 * the secondary's backup vault (schema, plan, CRUD, import; AWS calls in restore_job.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_aws_client.h"
#include "fo_aws_error.h"
#include "fo_aws_json.h"
#include "fo_aws_rds.h"
#include "fo_aws_wait.h"
#include "fo_err.h"
#include "fo_provider.h"
#include "fo_resources.h"
#include "fo_timeouts.h"
#include "fo_validators.h"
#include "restore.h"

/* ---- schema ------------------------------------------------------------------ */

static const char *const side_names[] = {"primary", "secondary", NULL};
static const size_t vault_len[2] = {2, 50};
static const size_t arn_len[2] = {20, 1024};
static const size_t job_len[2] = {1, 127};

/* An ARN: "arn:" and at least five more colon-separated parts. */
static void validate_arn(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d) {
  const char *s = fo_cty_as_string(v, NULL), *p;
  int colons = 0;
  (void)arg;
  for (p = s; p && *p; p++)
    colons += *p == ':';
  if (!s || strncmp(s, "arn:", 4) != 0 || colons < 5)
    fo_diags_error(d, path, "Invalid ARN", "'%.100s' is not an ARN (arn:partition:service:region:account:resource)",
                   s ? s : "");
}

#define TIMEOUT_ATTR(op, what, dflt)                                                      \
  {                                                                                       \
    .name = op, .type = "\"string\"", .flags = FO_ATTR_OPTIONAL,                          \
    .description = "How long " what ", e.g. \"90m\" (default " dflt ").", .validators = { \
      {fo_validate_duration, NULL}                                                        \
    }                                                                                     \
  }
static const fo_attr timeout_attrs[] = {
    TIMEOUT_ATTR("create", "create may wait for the restore job", "2h"),
    TIMEOUT_ATTR("update", "an update may wait for a restore job still running (after import)", "2h"),
    TIMEOUT_ATTR("delete", "destroy may wait for the DB instance to be deleted (delete_on_destroy)", "1h"),
};
static const fo_block timeouts_block = {
    .attrs = timeout_attrs, .n_attrs = FO_COUNT(timeout_attrs), .description = "Operation timeouts."};

static const fo_block_type rs_blocks[] = {
    {.type_name = "timeouts", .nesting = FO_NEST_SINGLE, .block = &timeouts_block, .min_items = 0, .max_items = 0},
};

static const fo_attr rs_attrs[] = {
    {.name = "id",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "The restore job id."},
    {.name = "region",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED | FO_ATTR_REQUIRES_REPLACE,
     .default_json = "\"secondary\"",
     .description = "Which side's region (and AWS client) holds the vault and receives the database: primary or "
                    "secondary (default secondary).",
     .markdown = "Which side's region (and AWS client) holds the vault and receives the restored database: "
                 "`\"primary\"` or `\"secondary\"` (default `\"secondary\"`; `\"primary\"` for a fail-back).",
     .validators = {{fo_validate_one_of, side_names}}},
    {.name = "vault_name",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED | FO_ATTR_REQUIRES_REPLACE,
     .description = "The backup vault in that region holding the copies (the backup plan's destination vault).",
     .markdown = "The backup vault in that region holding the copies (the destination vault of the "
                 "`failover_backup_replication_plan`).",
     .validators = {{fo_validate_length, vault_len}}},
    {.name = "source_resource_arn",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED | FO_ATTR_REQUIRES_REPLACE,
     .description = "ARN of the backed-up resource in the primary region, e.g. the MariaDB RDS instance.",
     .markdown = "ARN of the backed-up resource in the primary region, e.g. the MariaDB RDS instance "
                 "(`arn:aws:rds:us-east-1:123456789012:db:mariadb`). Its copies in `vault_name` are restored.",
     .validators = {{fo_validate_length, arn_len}, {validate_arn, NULL}}},
    {.name = "recovery_point_arn",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED | FO_ATTR_REQUIRES_REPLACE | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "Restore this recovery point (pinned); unset: the newest COMPLETED one of source_resource_arn "
                    "in the vault, chosen at plan time and kept in the state.",
     .markdown = "Restore exactly this recovery point (pinned). Unset: the newest `COMPLETED` recovery point of "
                 "`source_resource_arn` in the vault, chosen at plan time (the plan shows it and `data_as_of`) and "
                 "kept afterwards: a newer copy arriving later never restores again.",
     .validators = {{fo_validate_length, arn_len}, {validate_arn, NULL}}},
    {.name = "iam_role_arn",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "IAM role AWS Backup assumes to restore (e.g. AWSBackupDefaultServiceRole).",
     .markdown = "IAM role AWS Backup assumes to create the restored resource (e.g. "
                 "`AWSBackupDefaultServiceRole`). Used when the job starts; a later change is only recorded.",
     .validators = {{fo_validate_role_arn, NULL}}},
    {.name = "metadata_overrides",
     .type = "[\"map\",\"string\"]",
     .flags = FO_ATTR_OPTIONAL,
     .description = "Restore metadata laid over what GetRecoveryPointRestoreMetadata returns, e.g. "
                    "DBInstanceIdentifier, DBInstanceClass, DBSubnetGroupName, VpcSecurityGroupIds.",
     .markdown = "Restore metadata laid over what `GetRecoveryPointRestoreMetadata` returns for the point, e.g. "
                 "`DBInstanceIdentifier` (the restored instance's name: it must not exist yet), `DBInstanceClass`, "
                 "`DBSubnetGroupName` (a subnet group of the secondary region), `VpcSecurityGroupIds`, `MultiAZ`. "
                 "Used when the job starts; a later change is only recorded."},
    {.name = "delete_on_destroy",
     .type = "\"bool\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "false",
     .description = "Delete the restored DB instance (with a final snapshot) on destroy (default false: it is left "
                    "running, since it may be the database serving production).",
     .markdown = "Delete the restored DB instance (taking a final snapshot first) when the resource is destroyed. "
                 "Default `false`: after a failover the restored instance **is** the production database, and a "
                 "`destroy` of the DR configuration (or the `count` going back to 0 on fail-back) must never delete "
                 "it. Set `true` for drills."},
    {.name = "retry_failed_job_id",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL,
     .description = "The id of a FAILED restore job of the same recovery point that may be retried with a new "
                    "restore (otherwise a failed job is reported again, never restored twice).",
     .markdown = "The id of a `FAILED` (or `ABORTED`) restore job of the same recovery point that may be retried "
                 "with a new job. Without it a failed job is reported again on every plan and never restored a "
                 "second time behind your back: fix its cause (the error shows AWS's message), then name it here.",
     .validators = {{fo_validate_length, job_len}}},
    {.name = "restore_job_id",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "The AWS Backup restore job (known at plan time when a job started earlier is continued)."},
    {.name = "status",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "The restore job's status when last seen: PENDING, RUNNING, COMPLETED, FAILED or ABORTED."},
    {.name = "data_as_of",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "Creation time of the restored recovery point (RFC 3339, UTC): writes after it are not in the "
                    "restored database.",
     .markdown = "Creation time of the restored recovery point (RFC 3339, UTC). Writes made after it are not in the "
                 "restored database: this is the data-loss window of the failover, shown in the plan."},
    {.name = "restored_instance_identifier",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "DB instance identifier of the restored database."},
    {.name = "restored_instance_arn",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "ARN of the restored DB instance (the job's CreatedResourceArn)."},
    {.name = "endpoint",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "Address of the restored DB instance (DescribeDBInstances)."},
    {.name = "port",
     .type = "\"number\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "Port of the restored DB instance."},
    {.name = "started_at",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "When the restore job was created (RFC 3339, UTC)."},
    {.name = "finished_at",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "When the restore job completed (RFC 3339, UTC); null while it runs."},
};

static const fo_schema rs_schema = {
    .version = 0,
    .block =
        {
            .attrs = rs_attrs,
            .n_attrs = FO_COUNT(rs_attrs),
            .blocks = rs_blocks,
            .n_blocks = FO_COUNT(rs_blocks),
            .description = "Restores the newest completed copy of a database (e.g. the MariaDB RDS instance) from "
                           "the secondary region's backup vault, waits for the job and exposes the restored "
                           "instance's endpoint and the data's age.",
            .markdown = "Activation step 5: restores the newest completed copy of a database (e.g. the primary's "
                        "MariaDB RDS instance) from the secondary region's AWS Backup vault, waits for the restore "
                        "job and exposes the restored instance's endpoint and `data_as_of`, the age of the data. "
                        "Created only while the secondary is active (`count` from the switch). A job is started "
                        "once: a timed-out or failed apply leaves its id in the state and the next apply continues "
                        "with that job.",
        },
};

/* ---- values ------------------------------------------------------------------ */

#define DEFAULT_CREATE_S (2 * 3600)
#define DEFAULT_DELETE_S 3600
#define TOKEN_KEY        "idempotency_token"

static const char *str_of(const fo_cty_value *obj, const char *name) {
  const fo_cty_value *v = obj && fo_cty_is_known(obj) && !fo_cty_is_null(obj) ? fo_cty_get_attr(obj, name) : NULL;
  return v && fo_cty_is_known(v) && !fo_cty_is_null(v) ? fo_cty_as_string(v, NULL) : NULL;
}

static int known(const fo_cty_value *obj, const char *name) {
  const fo_cty_value *v = fo_cty_get_attr(obj, name);
  return v && fo_cty_is_known(v);
}

static int bool_of(const fo_cty_value *obj, const char *name, int dflt) {
  const fo_cty_value *v = fo_cty_get_attr(obj, name);
  return v && fo_cty_is_known(v) && !fo_cty_is_null(v) ? fo_cty_as_bool(v) : dflt;
}

static fo_side side_of(const fo_cty_value *obj) {
  const char *s = str_of(obj, "region");
  fo_side side = FO_SIDE_SECONDARY;
  if (s)
    fo_side_parse(s, &side);
  return side;
}

/* Set `name` to the string, or null when s is NULL/empty. */
static int set_str(fo_cty_value **obj, const char *name, const char *s) {
  return s && *s ? fo_object_set_string(obj, name, s) : fo_object_set(obj, name, fo_object_null_attr(*obj, name));
}

/* Fill `name` when still unknown (v consumed either way). */
static int fill(fo_cty_value **obj, const char *name, fo_cty_value *v) {
  if (known(*obj, name)) {
    fo_cty_value_unref(v);
    return FO_OK;
  }
  return fo_object_set(obj, name, v);
}

static int fill_str(fo_cty_value **obj, const char *name, const char *s) {
  return known(*obj, name) ? FO_OK : set_str(obj, name, s);
}

static int is_done(const char *status) {
  return status && strcmp(status, "COMPLETED") == 0;
}

static int is_failed(const char *status) {
  return status && (strcmp(status, "FAILED") == 0 || strcmp(status, "ABORTED") == 0);
}

/* The idempotency token of this resource's restore: from the private state, or
 * a fresh one written there (plan → apply → state carry it). */
static void token_of(fo_call *c, char out[37]) {
  const char *key = "{\"" TOKEN_KEY "\":\"";
  size_t kl = strlen(key);
  if (c->private_in && c->private_in_len == kl + 36 + 2 && memcmp(c->private_in, key, kl) == 0) {
    memcpy(out, c->private_in + kl, 36);
    out[36] = '\0';
    return;
  }
  fo_aws_idempotency_token(out);
  if (c->private_out) {
    fo_buf_clear(c->private_out);
    fo_buf_printf(c->private_out, "%s%s\"}", key, out);
  }
}

/* ---- validation ------------------------------------------------------------------ */

static void rs_validate(fo_call *c, const fo_cty_value *config) {
  const fo_cty_value *ov = fo_cty_get_attr(config, "metadata_overrides");
  const char *src = str_of(config, "source_resource_arn");
  if (ov && fo_cty_is_known(ov) && !fo_cty_is_null(ov)) {
    size_t i, n = fo_cty_length(ov);
    for (i = 0; i < n; i++) {
      const char *k = fo_cty_map_key(ov, i);
      if (!*k || strlen(k) > 128)
        fo_diags_attr_error(c->diags, "metadata_overrides", "Invalid restore metadata key",
                            "restore metadata keys are 1 to 128 characters (RDS: DBInstanceIdentifier, "
                            "DBInstanceClass, ...)");
    }
  }
  if (src && strncmp(src, "arn:", 4) == 0 && !strstr(src, ":rds:"))
    fo_diags_add_attr(c->diags, FO_DIAG_WARNING, "source_resource_arn", "Not an RDS resource",
                      "'%.200s' is not an RDS ARN; the restored instance's endpoint is read from RDS, so endpoint "
                      "and port stay null for other resource types",
                      src);
}

/* ---- plan ---------------------------------------------------------------------- */

static void diag_job_failed(fo_call *c, const fo_restore_job *j, const char *when) {
  fo_diags_error(c->diags, NULL, "Restore job failed",
                 "restore job %s of recovery point %s is %s: %s. %sA failed restore is never started again by "
                 "itself: fix the cause, then set retry_failed_job_id = \"%s\" to start a new restore job (or pin "
                 "another recovery_point_arn).",
                 j->id, j->point_arn, j->status, j->message[0] ? j->message : "(no status message)", when, j->id);
}

/* 1 when the DB instance a completed job created still exists. */
static int instance_exists(fo_call *c, fo_aws_client *aws, const fo_restore_job *job, int *err) {
  char ident[256];
  cJSON *db = NULL;
  fo_restore_instance_id(job->created_arn, ident, sizeof(ident));
  *err = FO_OK;
  if (!ident[0])
    return 0;
  if ((*err = fo_aws_rds_describe_db_instance(&db, aws, c->cancel, ident)) < 0) {
    if (fo_aws_rds_not_found(*err))
      *err = FO_OK;
    return 0;
  }
  cJSON_Delete(db);
  return 1;
}

/* Create plans: choose the point (or keep the pinned one), and find a job
 * started earlier for this source: a timed-out apply's job (its object was
 * tainted, so this plan is a create again) is continued, never started twice. */
static int plan_create(fo_call *c, const fo_cty_value *config, fo_cty_value **planned) {
  const char *vault = str_of(*planned, "vault_name"), *src = str_of(*planned, "source_resource_arn");
  const char *pinned = str_of(config, "recovery_point_arn"), *retry = str_of(config, "retry_failed_job_id");
  fo_aws_client *aws;
  fo_restore_point pt;
  fo_restore_job job;
  char ts[21], tok[37];
  int found = 0, adopt = 0, err;

  token_of(c, tok); /* kept in the planned private state for the apply */
  if (!vault || !src || !known(config, "recovery_point_arn") || !known(*planned, "region"))
    return FO_OK; /* unknown inputs: everything stays unknown */
  if (!(aws = fo_call_aws(c, side_of(*planned))))
    return FO_EINVAL;
  if ((err = fo_restore_find_job(&job, &found, aws, c->cancel, vault, src, pinned)) < 0)
    return err;
  if (found && !is_done(job.status) && !is_failed(job.status)) {
    adopt = 1; /* in flight: continue with it, whatever copy is newest now */
    err = fo_restore_describe_point(&pt, aws, c->cancel, vault, job.point_arn);
  } else if (pinned) {
    err = fo_restore_describe_point(&pt, aws, c->cancel, vault, pinned);
  } else {
    err = fo_restore_newest_point(&pt, aws, c->cancel, vault, src);
  }
  if (err < 0) {
    fo_diags_add_attr(c->diags, FO_DIAG_ERROR, pinned ? "recovery_point_arn" : "source_resource_arn",
                      "Nothing to restore", "%s", fo_err_last());
    return err;
  }
  if (found && !adopt && strcmp(job.point_arn, pt.arn) == 0) {
    if (is_failed(job.status) && (!retry || strcmp(retry, job.id) != 0)) {
      diag_job_failed(c, &job, "");
      return FO_EINVAL;
    }
    /* Completed since a timed-out apply: its instance is this restore. */
    if (is_done(job.status) && (adopt = instance_exists(c, aws, &job, &err)) == 0 && err < 0)
      return err;
  }
  if (adopt) {
    fo_restore_rfc3339(job.created, ts);
    if ((err = fo_object_set_string(planned, "restore_job_id", job.id)) < 0 ||
        (err = fo_object_set_string(planned, "id", job.id)) < 0 ||
        (err = fo_object_set_string(planned, "started_at", ts)) < 0)
      return err;
    fo_diags_warning(c->diags, NULL, "Continuing a restore job started earlier",
                     "restore job %s of recovery point %s is %s; this apply follows it instead of starting a second "
                     "restore",
                     job.id, job.point_arn, job.status);
  }
  if (pinned && pt.resource_arn[0] && strcmp(pt.resource_arn, src) != 0)
    fo_diags_add_attr(c->diags, FO_DIAG_WARNING, "recovery_point_arn", "Recovery point of another resource",
                      "the pinned recovery point is a backup of %s, not of source_resource_arn %s", pt.resource_arn,
                      src);
  fo_restore_rfc3339(pt.created, ts);
  if ((err = fo_object_set_string(planned, "recovery_point_arn", pt.arn)) < 0 ||
      (err = fo_object_set_string(planned, "data_as_of", ts)) < 0)
    return err;
  return FO_OK;
}

static int rs_modify_plan(fo_call *c, const fo_cty_value *prior, const fo_cty_value *config, fo_cty_value **planned) {
  static const char *const after_job[] = {
      "status", "restored_instance_identifier", "restored_instance_arn", "endpoint", "port", "finished_at"};
  const char *status;
  int err;
  size_t i;
  if (fo_cty_is_null(*planned))
    return FO_OK; /* destroy */
  if (fo_cty_is_null(prior))
    return plan_create(c, config, planned);
  /* Update (delete_on_destroy, iam_role_arn, overrides, timeouts: recorded
   * only). A job not yet COMPLETED (an imported running one) is waited for. */
  status = str_of(prior, "status");
  if (is_done(status) || is_failed(status))
    return FO_OK;
  for (i = 0; i < FO_COUNT(after_job); i++)
    if ((err = fo_object_set(planned, after_job[i], fo_object_unknown_attr(*planned, after_job[i]))) < 0)
      return err;
  return FO_OK;
}

/* ---- apply ---------------------------------------------------------------------- */

/* The restored instance's identifier, ARN, endpoint and port into *state. */
static int set_instance(fo_call *c, fo_aws_client *aws, fo_cty_value **state, const fo_restore_job *job) {
  char ident[256];
  cJSON *db = NULL;
  const char *addr = NULL, *port = NULL;
  int err;
  fo_restore_instance_id(job->created_arn, ident, sizeof(ident));
  if ((err = set_str(state, "restored_instance_arn", job->created_arn)) < 0 ||
      (err = set_str(state, "restored_instance_identifier", ident)) < 0)
    return err;
  if (ident[0]) {
    if ((err = fo_aws_rds_describe_db_instance(&db, aws, c->cancel, ident)) < 0)
      return err;
    addr = fo_aws_json_str(db, "Endpoint/Address");
    port = fo_aws_json_str(db, "Endpoint/Port");
  }
  err = set_str(state, "endpoint", addr);
  if (err >= 0) {
    long long p = port ? strtoll(port, NULL, 10) : 0;
    err = fo_object_set(state, "port", p > 0 ? fo_cty_number_int(p) : fo_object_null_attr(*state, "port"));
  }
  cJSON_Delete(db);
  return err;
}

/* After the wait: the job's facts into *state (status, finished_at, instance). */
static int set_job(fo_call *c, fo_aws_client *aws, fo_cty_value **state, const fo_restore_job *job) {
  char ts[21];
  int err;
  if ((err = set_str(state, "status", job->status)) < 0)
    return err;
  if (job->completed > 0) {
    fo_restore_rfc3339(job->completed, ts);
    err = fo_object_set_string(state, "finished_at", ts);
  } else {
    err = fo_object_set(state, "finished_at", fo_object_null_attr(*state, "finished_at"));
  }
  if (err < 0)
    return err;
  if (is_done(job->status))
    return set_instance(c, aws, state, job);
  if ((err = fill_str(state, "restored_instance_arn", NULL)) < 0 ||
      (err = fill_str(state, "restored_instance_identifier", NULL)) < 0 ||
      (err = fill_str(state, "endpoint", NULL)) < 0)
    return err;
  return fill(state, "port", fo_object_null_attr(*state, "port"));
}

/* Wait for the job in *state and record the outcome; on failure *state is the
 * partial state (the job id and its last status), and the error names the job. */
static int wait_and_record(fo_call *c, fo_aws_client *aws, fo_cty_value **state, const char *job_id,
                           int64_t timeout_s) {
  fo_restore_job job;
  int err, e2;
  memset(&job, 0, sizeof(job));
  err = fo_restore_wait(&job, aws, c->cancel, c->clock, job_id, timeout_s);
  if (err >= 0)
    return set_job(c, aws, state, &job);
  if (!job.status[0])
    snprintf(job.status, sizeof(job.status), "PENDING");
  e2 = set_job(c, aws, state, &job);
  if (err == FO_ETIMEOUT)
    fo_diags_error(c->diags, NULL, "Restore not finished before the timeout",
                   "%s. The job keeps running in AWS Backup; its id (%s) is saved in the state, and the next apply "
                   "waits for this same job instead of starting a second restore (the next plan shows the "
                   "resource tainted: its replacement continues the job). Raise timeouts.create to wait longer.",
                   fo_err_last(), job_id);
  else if (is_failed(job.status))
    diag_job_failed(c, &job, "Its id is saved in the state. ");
  else
    fo_diags_error(c->diags, NULL, "Restore job not followed to its end",
                   "waiting for restore job %s: %s. Its id is saved in the state; the next apply continues with "
                   "it.",
                   job_id, fo_err_last());
  return e2 < 0 ? e2 : err;
}

static int rs_create(fo_call *c, const fo_cty_value *planned, const fo_cty_value *config, fo_cty_value **out) {
  fo_cty_value *state = fo_cty_value_ref(planned);
  const char *vault = str_of(planned, "vault_name"), *src = str_of(planned, "source_resource_arn");
  const char *job_id = str_of(planned, "restore_job_id"), *point = str_of(planned, "recovery_point_arn");
  fo_aws_client *aws;
  fo_restore_point pt;
  char id[128], ts[21], tok[37];
  int err;
  (void)config;

  *out = NULL;
  if (!vault || !src || !(aws = fo_call_aws(c, side_of(planned)))) {
    err = vault && src ? FO_EINVAL : fo_err_set(FO_EINVAL, "vault_name and source_resource_arn must be known");
    goto fail;
  }
  token_of(c, tok);
  if (job_id) { /* the plan found a job started earlier: continue with it */
    snprintf(id, sizeof(id), "%s", job_id);
  } else {
    if (point)
      err = fo_restore_describe_point(&pt, aws, c->cancel, vault, point);
    else
      err = fo_restore_newest_point(&pt, aws, c->cancel, vault, src);
    if (err < 0)
      goto fail;
    fo_restore_rfc3339(pt.created, ts);
    if ((err = fill_str(&state, "recovery_point_arn", pt.arn)) < 0 || (err = fill_str(&state, "data_as_of", ts)) < 0)
      goto fail;
    if ((err = fo_restore_start(id, aws, c->cancel, vault, &pt, str_of(planned, "iam_role_arn"),
                                fo_cty_get_attr(planned, "metadata_overrides"), tok)) < 0)
      goto fail;
    fo_clock_rfc3339(c->clock, ts);
    if ((err = fo_object_set_string(&state, "id", id)) < 0 ||
        (err = fo_object_set_string(&state, "restore_job_id", id)) < 0 ||
        (err = fill_str(&state, "started_at", ts)) < 0)
      goto partial;
  }
  if ((err = wait_and_record(c, aws, &state, id, fo_timeouts_seconds(planned, "create", DEFAULT_CREATE_S))) < 0)
    goto partial;
  *out = state;
  return FO_OK;
partial:
  /* The job exists: save its id (the rest made concrete) with the error. */
  if (fill_str(&state, "status", "PENDING") >= 0 && fill_str(&state, "finished_at", NULL) >= 0 &&
      fill_str(&state, "restored_instance_arn", NULL) >= 0 &&
      fill_str(&state, "restored_instance_identifier", NULL) >= 0 && fill_str(&state, "endpoint", NULL) >= 0 &&
      fill(&state, "port", fo_object_null_attr(state, "port")) >= 0 && fill_str(&state, "data_as_of", NULL) >= 0 &&
      fill_str(&state, "started_at", NULL) >= 0 && fill_str(&state, "recovery_point_arn", NULL) >= 0) {
    *out = state;
    return err;
  }
fail:
  fo_cty_value_unref(state);
  return err;
}

static int rs_update(fo_call *c, const fo_cty_value *prior, const fo_cty_value *planned, const fo_cty_value *config,
                     fo_cty_value **out) {
  fo_cty_value *state = fo_cty_value_ref(planned);
  const char *job_id = str_of(prior, "restore_job_id");
  fo_aws_client *aws;
  int err;
  (void)config;
  *out = NULL;
  if (known(planned, "status") || !job_id) {
    *out = state; /* recorded only */
    return FO_OK;
  }
  if (!(aws = fo_call_aws(c, side_of(planned)))) {
    fo_cty_value_unref(state);
    return FO_EINVAL;
  }
  err = wait_and_record(c, aws, &state, job_id, fo_timeouts_seconds(planned, "update", DEFAULT_CREATE_S));
  *out = state; /* on failure: the partial state of the job (an update is never tainted) */
  return err;
}

/* ---- read ---------------------------------------------------------------------- */

static int rs_read(fo_call *c, const fo_cty_value *state, fo_cty_value **out) {
  const char *ident = str_of(state, "restored_instance_identifier");
  fo_aws_client *aws;
  fo_cty_value *next;
  cJSON *db = NULL;
  const char *addr, *port;
  int err;

  *out = NULL;
  /* A job not COMPLETED in the state stays as it is: the next apply follows it
   * (and a destroy of such a state must not see a finished instance to delete). */
  if (!is_done(str_of(state, "status")) || !ident) {
    *out = fo_cty_value_ref(state);
    return FO_OK;
  }
  if (!(aws = fo_call_aws(c, side_of(state))))
    return FO_EINVAL;
  if ((err = fo_aws_rds_describe_db_instance(&db, aws, c->cancel, ident)) < 0) {
    if (fo_aws_rds_not_found(err))
      return FO_OK; /* the restored instance is gone: Terraform plans the restore again */
    if (fo_aws_unreachable(err)) {
      fo_diags_warning(c->diags, NULL, "Refresh skipped: region unreachable",
                       "cannot read DB instance %s (%s); the state is kept as it was", ident, fo_err_last());
      *out = fo_cty_value_ref(state);
      return FO_OK;
    }
    return err;
  }
  next = fo_cty_value_ref(state);
  addr = fo_aws_json_str(db, "Endpoint/Address");
  port = fo_aws_json_str(db, "Endpoint/Port");
  if ((err = set_str(&next, "endpoint", addr)) >= 0) {
    long long p = port ? strtoll(port, NULL, 10) : 0;
    err = fo_object_set(&next, "port", p > 0 ? fo_cty_number_int(p) : fo_object_null_attr(next, "port"));
  }
  cJSON_Delete(db);
  if (err < 0) {
    fo_cty_value_unref(next);
    return err;
  }
  *out = next;
  return FO_OK;
}

/* ---- destroy ---------------------------------------------------------------------- */

typedef struct rs_gone {
  fo_aws_client *aws;
  const fo_cancel *cancel;
  const char *ident;
} rs_gone;

static int poll_gone(void *ud, int *done, char *status, size_t status_len) {
  rs_gone *g = ud;
  cJSON *db = NULL;
  int err = fo_aws_rds_describe_db_instance(&db, g->aws, g->cancel, g->ident);
  *done = 0;
  if (err < 0) {
    if (!fo_aws_rds_not_found(err))
      return err;
    *done = 1;
    return FO_OK;
  }
  snprintf(status, status_len, "%s",
           fo_aws_json_str(db, "DBInstanceStatus") ? fo_aws_json_str(db, "DBInstanceStatus") : "(no status)");
  cJSON_Delete(db);
  return FO_OK;
}

static int rs_destroy(fo_call *c, const fo_cty_value *prior) {
  const char *ident = str_of(prior, "restored_instance_identifier"), *job = str_of(prior, "restore_job_id");
  fo_aws_client *aws;
  char snap[256], ts[21], what[300];
  int err;

  if (!bool_of(prior, "delete_on_destroy", 0)) {
    if (ident)
      fo_diags_warning(c->diags, NULL, "Restored database left running",
                       "DB instance %s (restore job %s) is not deleted: delete_on_destroy is false, since it may be "
                       "the database serving production. Delete it yourself once it is no longer needed.",
                       ident, job ? job : "?");
    return FO_OK;
  }
  if (!is_done(str_of(prior, "status")) || !ident) {
    fo_diags_warning(c->diags, NULL, "Nothing deleted",
                     "restore job %s has not completed in the state, so no restored DB instance is deleted (one "
                     "appearing later is not tracked)",
                     job ? job : "?");
    return FO_OK;
  }
  if (!(aws = fo_call_aws(c, side_of(prior))))
    return FO_EINVAL;
  /* A final snapshot: writes made since the failover live only in this instance. */
  fo_clock_rfc3339(c->clock, ts);
  snprintf(snap, sizeof(snap), "%.200s-final-%.4s%.2s%.2s%.2s%.2s%.2s", ident, ts, ts + 5, ts + 8, ts + 11, ts + 14,
           ts + 17);
  if ((err = fo_aws_rds_delete_db_instance(aws, c->cancel, ident, 0, snap)) < 0)
    return fo_aws_rds_not_found(err) ? FO_OK : err;
  snprintf(what, sizeof(what), "DB instance %s to be deleted", ident);
  rs_gone g = {aws, c->cancel, ident};
  fo_aws_wait_opts o = {.what = what,
                        .interval_ms = 2000,
                        .max_interval_ms = 30000,
                        .timeout_ms = (long)(fo_timeouts_seconds(prior, "delete", DEFAULT_DELETE_S) * 1000),
                        .clock = c->clock,
                        .cancel = c->cancel};
  return fo_aws_wait(&o, poll_gone, &g);
}

/* ---- import ---------------------------------------------------------------------- */

static int rs_import(fo_call *c, const char *id, fo_cty_value **out) {
  char buf[400], ts[21];
  const char *rest = id, *slash;
  fo_side side = FO_SIDE_SECONDARY;
  fo_aws_client *aws;
  fo_restore_job job;
  fo_restore_point pt;
  fo_cty_value *state;
  int err;

  *out = NULL;
  if (strncmp(id, "primary:", 8) == 0) {
    side = FO_SIDE_PRIMARY;
    rest = id + 8;
  } else if (strncmp(id, "secondary:", 10) == 0) {
    rest = id + 10;
  }
  slash = strchr(rest, '/');
  if (!slash || slash == rest || !slash[1] || strchr(slash + 1, '/') || strlen(rest) >= sizeof(buf)) {
    fo_diags_error(c->diags, NULL, "Invalid import ID",
                   "import a failover_restore by \"VAULT/RESTORE_JOB_ID\" (the vault holding the restored recovery "
                   "point), optionally prefixed with \"primary:\" or \"secondary:\" (default secondary); got '%.100s'",
                   id);
    return FO_EINVAL;
  }
  snprintf(buf, sizeof(buf), "%.*s", (int)(slash - rest), rest);
  if (!(aws = fo_call_aws(c, side)))
    return FO_EINVAL;
  if ((err = fo_restore_describe_job(&job, aws, c->cancel, slash + 1)) < 0 ||
      (err = fo_restore_describe_point(&pt, aws, c->cancel, buf, job.point_arn)) < 0)
    return err;
  if (!(state = fo_schema_empty_value(&rs_schema.block)))
    return fo_err_oom();
  fo_restore_rfc3339(pt.created, ts);
  if ((err = fo_object_set_string(&state, "id", job.id)) < 0 ||
      (err = fo_object_set_string(&state, "restore_job_id", job.id)) < 0 ||
      (err = fo_object_set_string(&state, "region", fo_side_name(side))) < 0 ||
      (err = fo_object_set_string(&state, "vault_name", buf)) < 0 ||
      (err = set_str(&state, "source_resource_arn", pt.resource_arn)) < 0 ||
      (err = fo_object_set_string(&state, "recovery_point_arn", pt.arn)) < 0 ||
      (err = fo_object_set_string(&state, "data_as_of", ts)) < 0 ||
      (err = fo_object_set(&state, "delete_on_destroy", fo_cty_bool(0))) < 0)
    goto done;
  fo_restore_rfc3339(job.created, ts);
  if ((err = set_str(&state, "started_at", job.created > 0 ? ts : NULL)) < 0 ||
      (err = set_str(&state, "iam_role_arn", job.role)) < 0 || (err = set_job(c, aws, &state, &job)) < 0)
    goto done;
done:
  if (err < 0) {
    fo_cty_value_unref(state);
    return err;
  }
  *out = state;
  return FO_OK;
}

const fo_resource fo_restore_resource = {
    .type_name = "failover_restore",
    .schema = &rs_schema,
    .validate = rs_validate,
    .modify_plan = rs_modify_plan,
    .create = rs_create,
    .read = rs_read,
    .update = rs_update,
    .destroy = rs_destroy,
    .import = rs_import,
};
