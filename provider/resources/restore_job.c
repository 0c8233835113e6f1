/* failover_restore, AWS side: recovery points, restore jobs (found again, started
 * once, waited for) and the restored DB instance's identifier. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fo_aws_backup.h"
#include "fo_aws_backup_restore.h"
#include "fo_aws_json.h"
#include "fo_aws_wait.h"
#include "fo_cty.h"
#include "fo_err.h"
#include "restore.h"

#define POLL_INTERVAL_MS  2000
#define POLL_MAX_MS       30000
#define PROGRESS_EVERY_MS 5000 /* restores take long: say so often enough to be seen */

static void copy_str(char *dst, size_t len, const char *src) {
  snprintf(dst, len, "%s", src ? src : "");
}

static double num_at(const cJSON *obj, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static void point_from(fo_restore_point *out, const cJSON *p) {
  memset(out, 0, sizeof(*out));
  copy_str(out->arn, sizeof(out->arn), fo_aws_json_str(p, "RecoveryPointArn"));
  copy_str(out->resource_arn, sizeof(out->resource_arn), fo_aws_json_str(p, "ResourceArn"));
  copy_str(out->resource_type, sizeof(out->resource_type), fo_aws_json_str(p, "ResourceType"));
  out->created = num_at(p, "CreationDate");
}

void fo_restore_job_of(fo_restore_job *out, const cJSON *j) {
  memset(out, 0, sizeof(*out));
  copy_str(out->id, sizeof(out->id), fo_aws_json_str(j, "RestoreJobId"));
  copy_str(out->status, sizeof(out->status), fo_aws_json_str(j, "Status"));
  copy_str(out->message, sizeof(out->message), fo_aws_json_str(j, "StatusMessage"));
  copy_str(out->point_arn, sizeof(out->point_arn), fo_aws_json_str(j, "RecoveryPointArn"));
  copy_str(out->created_arn, sizeof(out->created_arn), fo_aws_json_str(j, "CreatedResourceArn"));
  copy_str(out->percent, sizeof(out->percent), fo_aws_json_str(j, "PercentDone"));
  copy_str(out->role, sizeof(out->role), fo_aws_json_str(j, "IamRoleArn"));
  out->created = num_at(j, "CreationDate");
  out->completed = num_at(j, "CompletionDate");
}

int fo_restore_newest_point(fo_restore_point *out, fo_aws_client *aws, const fo_cancel *cancel, const char *vault,
                            const char *source_arn) {
  cJSON *items = NULL;
  const cJSON *best;
  int err;
  if ((err = fo_aws_backup_list_recovery_points(&items, aws, cancel, vault, source_arn)) < 0)
    return err;
  best = fo_aws_backup_newest_completed(items, source_arn, 0);
  if (best)
    point_from(out, best);
  else
    err = fo_err_set(FO_ENOTFOUND, "backup vault %s holds no COMPLETED recovery point of %s", vault, source_arn);
  cJSON_Delete(items);
  return err;
}

int fo_restore_describe_point(fo_restore_point *out, fo_aws_client *aws, const fo_cancel *cancel, const char *vault,
                              const char *point_arn) {
  cJSON *p = NULL;
  int err;
  if ((err = fo_aws_backup_describe_recovery_point(&p, aws, cancel, vault, point_arn)) < 0)
    return err;
  point_from(out, p);
  if (!out->arn[0])
    copy_str(out->arn, sizeof(out->arn), point_arn);
  cJSON_Delete(p);
  return FO_OK;
}

/* 1 when `arn` is the ARN of one of `points`. */
static int is_one_of(const cJSON *points, const char *arn) {
  const cJSON *it;
  cJSON_ArrayForEach(it, points) {
    const char *a = fo_aws_json_str(it, "RecoveryPointArn");
    if (a && arn && strcmp(a, arn) == 0)
      return 1;
  }
  return 0;
}

int fo_restore_find_job(fo_restore_job *out, int *found, fo_aws_client *aws, const fo_cancel *cancel, const char *vault,
                        const char *source_arn, const char *pinned_point) {
  cJSON *points = NULL, *jobs = NULL;
  const cJSON *it, *best = NULL;
  int err;
  *found = 0;
  if (!pinned_point && (err = fo_aws_backup_list_recovery_points(&points, aws, cancel, vault, source_arn)) < 0)
    return err;
  if ((err = fo_aws_backup_list_restore_jobs(&jobs, aws, cancel, NULL)) < 0)
    goto done;
  cJSON_ArrayForEach(it, jobs) {
    const char *p = fo_aws_json_str(it, "RecoveryPointArn");
    if (!p || (pinned_point ? strcmp(p, pinned_point) != 0 : !is_one_of(points, p)))
      continue;
    if (!best || num_at(it, "CreationDate") > num_at(best, "CreationDate"))
      best = it;
  }
  if (best) {
    fo_restore_job_of(out, best);
    *found = 1;
  }
done:
  cJSON_Delete(points);
  cJSON_Delete(jobs);
  return err;
}

int fo_restore_describe_job(fo_restore_job *out, fo_aws_client *aws, const fo_cancel *cancel, const char *job_id) {
  cJSON *j = NULL;
  int err;
  if ((err = fo_aws_backup_describe_restore_job(&j, aws, cancel, job_id)) < 0)
    return err;
  fo_restore_job_of(out, j);
  if (!out->id[0])
    copy_str(out->id, sizeof(out->id), job_id);
  cJSON_Delete(j);
  return FO_OK;
}

/* {"k": "v", ...} of the metadata with the overrides laid over it. */
static int apply_overrides(cJSON *meta, const fo_cty_value *overrides) {
  size_t i, n;
  if (!overrides || !fo_cty_is_known(overrides) || fo_cty_is_null(overrides))
    return FO_OK;
  n = fo_cty_length(overrides);
  for (i = 0; i < n; i++) {
    const char *k = fo_cty_map_key(overrides, i);
    const fo_cty_value *v = fo_cty_index(overrides, i);
    cJSON *s;
    if (!v || !fo_cty_is_known(v) || fo_cty_is_null(v))
      continue;
    if (!(s = cJSON_CreateString(fo_cty_as_string(v, NULL))))
      return fo_err_oom();
    cJSON_DeleteItemFromObjectCaseSensitive(meta, k);
    cJSON_AddItemToObject(meta, k, s);
  }
  return FO_OK;
}

int fo_restore_start(char job_id_out[128], fo_aws_client *aws, const fo_cancel *cancel, const char *vault,
                     const fo_restore_point *point, const char *iam_role_arn, const fo_cty_value *overrides,
                     const char *token) {
  cJSON *md = NULL, *req = NULL, *resp = NULL, *meta;
  const char *id;
  int err;
  job_id_out[0] = '\0';
  if ((err = fo_aws_backup_get_restore_metadata(&md, aws, cancel, vault, point->arn)) < 0)
    return err;
  meta = cJSON_DetachItemFromObjectCaseSensitive(md, "RestoreMetadata");
  if (!meta)
    meta = cJSON_CreateObject();
  if (!meta || !(req = cJSON_CreateObject())) {
    cJSON_Delete(meta);
    err = fo_err_oom();
    goto done;
  }
  cJSON_AddItemToObject(req, "Metadata", meta);
  if ((err = apply_overrides(meta, overrides)) < 0)
    goto done;
  if (!cJSON_AddStringToObject(req, "RecoveryPointArn", point->arn) ||
      !cJSON_AddStringToObject(req, "IamRoleArn", iam_role_arn) ||
      !cJSON_AddStringToObject(req, "IdempotencyToken", token) ||
      (point->resource_type[0] && !cJSON_AddStringToObject(req, "ResourceType", point->resource_type))) {
    err = fo_err_oom();
    goto done;
  }
  if ((err = fo_aws_backup_start_restore_job(&resp, aws, cancel, req)) < 0)
    goto done;
  if (!(id = fo_aws_json_str(resp, "RestoreJobId")) || !*id || strlen(id) >= 128) {
    err = fo_err_set(FO_ERR, "StartRestoreJob of %s returned no usable RestoreJobId", point->arn);
    goto done;
  }
  copy_str(job_id_out, 128, id);
done:
  cJSON_Delete(md);
  cJSON_Delete(req);
  cJSON_Delete(resp);
  return err;
}

typedef struct restore_wait {
  fo_aws_client *aws;
  const fo_cancel *cancel;
  const char *job_id;
  fo_restore_job *last;
} restore_wait;

static int poll_job(void *ud, int *done, char *status, size_t status_len) {
  restore_wait *w = ud;
  int err;
  *done = 0;
  if ((err = fo_restore_describe_job(w->last, w->aws, w->cancel, w->job_id)) < 0)
    return err;
  if (strcmp(w->last->status, "COMPLETED") == 0) {
    *done = 1;
  } else if (strcmp(w->last->status, "FAILED") == 0 || strcmp(w->last->status, "ABORTED") == 0) {
    return fo_err_set(FO_EAWS, "restore job %s is %s: %s", w->job_id, w->last->status,
                      w->last->message[0] ? w->last->message : "(no status message)");
  }
  if (w->last->percent[0])
    snprintf(status, status_len, "%s, %s%% done", w->last->status[0] ? w->last->status : "(no status)",
             w->last->percent);
  else
    snprintf(status, status_len, "%s", w->last->status[0] ? w->last->status : "(no status)");
  return FO_OK;
}

int fo_restore_wait(fo_restore_job *out, fo_aws_client *aws, const fo_cancel *cancel, const fo_clock *clock,
                    const char *job_id, int64_t timeout_s) {
  restore_wait w = {aws, cancel, job_id, out};
  char what[200];
  snprintf(what, sizeof(what), "restore job %s to complete", job_id);
  fo_aws_wait_opts o = {.what = what,
                        .interval_ms = POLL_INTERVAL_MS,
                        .max_interval_ms = POLL_MAX_MS,
                        .timeout_ms = (long)(timeout_s * 1000),
                        .progress_every_ms = PROGRESS_EVERY_MS,
                        .clock = clock,
                        .cancel = cancel};
  return fo_aws_wait(&o, poll_job, &w);
}

void fo_restore_instance_id(const char *arn, char *out, size_t len) {
  const char *p = arn ? strstr(arn, ":db:") : NULL;
  out[0] = '\0';
  if (p && strncmp(arn, "arn:", 4) == 0 && p[4] && !strchr(p + 4, ':') && !strchr(p + 4, '/'))
    snprintf(out, len, "%s", p + 4);
}

void fo_restore_rfc3339(double epoch, char out[21]) {
  time_t t = (time_t)epoch;
  struct tm tm;
  if (epoch < 0 || !gmtime_r(&t, &tm) || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    snprintf(out, 21, "1970-01-01T00:00:00Z");
}
