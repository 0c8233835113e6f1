/* AWS Backup (rest-json, API 2018-11-15). */
#include "fo_aws_backup.h"
#include "fo_aws_enc.h"
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
