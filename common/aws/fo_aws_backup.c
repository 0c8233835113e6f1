/* AWS Backup (rest-json, API 2018-11-15). */
#include "fo_aws_backup.h"
#include "fo_aws_enc.h"
#include "fo_aws_json.h"
#include "fo_aws_paginate.h"
#include "fo_err.h"

#include <string.h>

static int plan_path(fo_buf *b, const char *plan_id, const char *suffix) {
  int err;
  if (!plan_id || !*plan_id)
    return fo_err_set(FO_EINVAL, "backup: empty backup plan id");
  if ((err = fo_buf_puts(b, "/backup/plans/")) < 0 || (err = fo_aws_uri_encode(b, plan_id, strlen(plan_id), 0)) < 0)
    return err;
  return fo_buf_puts(b, suffix);
}

int fo_aws_backup_create_backup_plan(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const cJSON *plan,
                                     const char *creator_request_id) {
  cJSON *body = cJSON_CreateObject(), *dup = plan ? cJSON_Duplicate(plan, 1) : NULL;
  char token[37];
  int err;
  *out = NULL;
  if (!body || !dup) {
    cJSON_Delete(body);
    cJSON_Delete(dup);
    return plan ? fo_err_oom() : fo_err_set(FO_EINVAL, "backup: no plan");
  }
  cJSON_AddItemToObject(body, "BackupPlan", dup);
  if (!creator_request_id) {
    fo_aws_idempotency_token(token);
    creator_request_id = token;
  }
  cJSON_AddStringToObject(body, "CreatorRequestId", creator_request_id);
  err = fo_aws_call_rest_json(out, c, cancel, &fo_aws_svc_backup, "CreateBackupPlan", "PUT", "/backup/plans/", NULL,
                              body);
  cJSON_Delete(body);
  return err;
}

int fo_aws_backup_get_backup_plan(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *plan_id) {
  fo_buf p = FO_BUF_INIT;
  int err = plan_path(&p, plan_id, "/");
  if (err == 0)
    err = fo_aws_call_rest_json(out, c, cancel, &fo_aws_svc_backup, "GetBackupPlan", "GET", p.data, NULL, NULL);
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_backup_delete_backup_plan(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *plan_id) {
  fo_buf p = FO_BUF_INIT;
  int err = plan_path(&p, plan_id, "");
  if (err == 0)
    err = fo_aws_call_rest_json(out, c, cancel, &fo_aws_svc_backup, "DeleteBackupPlan", "DELETE", p.data, NULL, NULL);
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_backup_list_backup_plans(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel) {
  return fo_aws_paginate_rest_json(out_array, c, cancel, &fo_aws_svc_backup, "ListBackupPlans", "/backup/plans/", NULL,
                                   "BackupPlansList", "nextToken", "NextToken");
}

/* "/backup/plans/{plan}/selections/" + the encoded selection id (when given). */
static int selection_path(fo_buf *b, const char *plan_id, const char *selection_id) {
  int err = plan_path(b, plan_id, "/selections/");
  if (err < 0 || !selection_id)
    return err;
  if (!*selection_id)
    return fo_err_set(FO_EINVAL, "backup: empty backup selection id");
  return fo_aws_uri_encode(b, selection_id, strlen(selection_id), 0);
}

/* "/backup-vaults/{vault}" + suffix. */
static int vault_path(fo_buf *b, const char *vault, const char *suffix) {
  int err;
  if (!vault || !*vault)
    return fo_err_set(FO_EINVAL, "backup: empty backup vault name");
  if ((err = fo_buf_puts(b, "/backup-vaults/")) < 0 || (err = fo_aws_uri_encode(b, vault, strlen(vault), 0)) < 0)
    return err;
  return fo_buf_puts(b, suffix);
}

/* "/backup-vaults/{vault}/recovery-points/{arn}" + suffix: ARNs contain ':' and '/', encoded as one segment. */
static int point_path(fo_buf *b, const char *vault, const char *arn, const char *suffix) {
  int err = vault_path(b, vault, "/recovery-points/");
  if (err < 0)
    return err;
  if (!arn || !*arn)
    return fo_err_set(FO_EINVAL, "backup: empty recovery point ARN");
  if ((err = fo_aws_uri_encode(b, arn, strlen(arn), 0)) < 0)
    return err;
  return fo_buf_puts(b, suffix);
}

/* {"<key>": dup(obj), "CreatorRequestId": token} */
static cJSON *wrapped_body(const char *key, const cJSON *obj, const char *creator_request_id) {
  cJSON *body = cJSON_CreateObject(), *dup = obj ? cJSON_Duplicate(obj, 1) : NULL;
  char token[37];
  if (!body || !dup) {
    cJSON_Delete(body);
    cJSON_Delete(dup);
    return NULL;
  }
  cJSON_AddItemToObject(body, key, dup);
  if (creator_request_id != (const char *)-1) {
    if (!creator_request_id) {
      fo_aws_idempotency_token(token);
      creator_request_id = token;
    }
    if (!cJSON_AddStringToObject(body, "CreatorRequestId", creator_request_id)) {
      cJSON_Delete(body);
      return NULL;
    }
  }
  return body;
}

int fo_aws_backup_update_backup_plan(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *plan_id,
                                     const cJSON *plan) {
  fo_buf p = FO_BUF_INIT;
  cJSON *body;
  int err;
  *out = NULL;
  if (!plan)
    return fo_err_set(FO_EINVAL, "backup: no plan");
  if (!(body = wrapped_body("BackupPlan", plan, (const char *)-1)))
    return fo_err_oom();
  if ((err = plan_path(&p, plan_id, "")) == 0)
    err = fo_aws_call_rest_json(out, c, cancel, &fo_aws_svc_backup, "UpdateBackupPlan", "POST", p.data, NULL, body);
  cJSON_Delete(body);
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_backup_create_backup_selection(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *plan_id,
                                          const cJSON *selection, const char *creator_request_id) {
  fo_buf p = FO_BUF_INIT;
  cJSON *body;
  int err;
  *out = NULL;
  if (!selection)
    return fo_err_set(FO_EINVAL, "backup: no selection");
  if (!(body = wrapped_body("BackupSelection", selection, creator_request_id)))
    return fo_err_oom();
  if ((err = selection_path(&p, plan_id, NULL)) == 0)
    err = fo_aws_call_rest_json(out, c, cancel, &fo_aws_svc_backup, "CreateBackupSelection", "PUT", p.data, NULL, body);
  cJSON_Delete(body);
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_backup_get_backup_selection(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *plan_id,
                                       const char *selection_id) {
  fo_buf p = FO_BUF_INIT;
  int err = selection_path(&p, plan_id, selection_id ? selection_id : "");
  *out = NULL;
  if (err == 0)
    err = fo_aws_call_rest_json(out, c, cancel, &fo_aws_svc_backup, "GetBackupSelection", "GET", p.data, NULL, NULL);
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_backup_delete_backup_selection(fo_aws_client *c, const fo_cancel *cancel, const char *plan_id,
                                          const char *selection_id) {
  fo_buf p = FO_BUF_INIT;
  cJSON *out = NULL;
  int err = selection_path(&p, plan_id, selection_id ? selection_id : "");
  if (err == 0)
    err = fo_aws_call_rest_json(&out, c, cancel, &fo_aws_svc_backup, "DeleteBackupSelection", "DELETE", p.data, NULL,
                                NULL);
  cJSON_Delete(out);
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_backup_list_backup_selections(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                         const char *plan_id) {
  fo_buf p = FO_BUF_INIT;
  int err = selection_path(&p, plan_id, NULL);
  *out_array = NULL;
  if (err == 0)
    err = fo_aws_paginate_rest_json(out_array, c, cancel, &fo_aws_svc_backup, "ListBackupSelections", p.data, NULL,
                                    "BackupSelectionsList", "nextToken", "NextToken");
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_backup_describe_backup_vault(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *vault) {
  fo_buf p = FO_BUF_INIT;
  int err = vault_path(&p, vault, "");
  *out = NULL;
  if (err == 0)
    err = fo_aws_call_rest_json(out, c, cancel, &fo_aws_svc_backup, "DescribeBackupVault", "GET", p.data, NULL, NULL);
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_backup_list_recovery_points(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const char *vault,
                                       const char *by_resource_arn) {
  fo_buf p = FO_BUF_INIT, q = FO_BUF_INIT;
  int err = vault_path(&p, vault, "/recovery-points/");
  *out_array = NULL;
  if (err == 0 && by_resource_arn && *by_resource_arn)
    err = fo_aws_query_add(&q, "byResourceArn", by_resource_arn);
  if (err == 0)
    err = fo_aws_paginate_rest_json(out_array, c, cancel, &fo_aws_svc_backup, "ListRecoveryPointsByBackupVault", p.data,
                                    q.data, "RecoveryPoints", "nextToken", "NextToken");
  fo_buf_dispose(&p);
  fo_buf_dispose(&q);
  return err;
}

int fo_aws_backup_describe_recovery_point(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *vault,
                                          const char *recovery_point_arn) {
  fo_buf p = FO_BUF_INIT;
  int err = point_path(&p, vault, recovery_point_arn, "");
  *out = NULL;
  if (err == 0)
    err = fo_aws_call_rest_json(out, c, cancel, &fo_aws_svc_backup, "DescribeRecoveryPoint", "GET", p.data, NULL, NULL);
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_backup_get_restore_metadata(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *vault,
                                       const char *recovery_point_arn) {
  fo_buf p = FO_BUF_INIT;
  int err = point_path(&p, vault, recovery_point_arn, "/restore-metadata");
  *out = NULL;
  if (err == 0)
    err = fo_aws_call_rest_json(out, c, cancel, &fo_aws_svc_backup, "GetRecoveryPointRestoreMetadata", "GET", p.data,
                                NULL, NULL);
  fo_buf_dispose(&p);
  return err;
}

const cJSON *fo_aws_backup_newest_completed(const cJSON *items, const char *resource_arn, int copies_only) {
  const cJSON *it, *best = NULL;
  double best_at = 0;
  cJSON_ArrayForEach(it, items) {
    const char *status = fo_aws_json_str(it, "Status"), *res = fo_aws_json_str(it, "ResourceArn");
    const cJSON *created = cJSON_GetObjectItemCaseSensitive(it, "CreationDate");
    if (!status || strcmp(status, "COMPLETED") != 0 || !cJSON_IsNumber(created))
      continue;
    if (resource_arn && (!res || strcmp(res, resource_arn) != 0))
      continue;
    if (copies_only && !fo_aws_json_str(it, "SourceBackupVaultArn"))
      continue;
    if (!best || created->valuedouble > best_at) {
      best = it;
      best_at = created->valuedouble;
    }
  }
  return best;
}

int fo_aws_backup_start_restore_job(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const cJSON *request) {
  *out = NULL;
  if (!request)
    return fo_err_set(FO_EINVAL, "backup: no restore request");
  return fo_aws_call_rest_json(out, c, cancel, &fo_aws_svc_backup, "StartRestoreJob", "PUT", "/restore-jobs", NULL,
                               request);
}

int fo_aws_backup_describe_restore_job(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *job_id) {
  fo_buf p = FO_BUF_INIT;
  int err;
  *out = NULL;
  if (!job_id || !*job_id)
    return fo_err_set(FO_EINVAL, "backup: empty restore job id");
  if ((err = fo_buf_puts(&p, "/restore-jobs/")) == 0 && (err = fo_aws_uri_encode(&p, job_id, strlen(job_id), 0)) == 0)
    err = fo_aws_call_rest_json(out, c, cancel, &fo_aws_svc_backup, "DescribeRestoreJob", "GET", p.data, NULL, NULL);
  fo_buf_dispose(&p);
  return err;
}
