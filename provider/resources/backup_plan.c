/* failover_backup_replication_plan: an AWS Backup plan in the primary region whose
 * rule copies every recovery point to a vault in the secondary (schema, validation, plan). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "backup_plan.h"
#include "fo_aws_backup.h"
#include "fo_aws_error.h"
#include "fo_aws_json.h"
#include "fo_err.h"
#include "fo_provider.h"
#include "fo_validators.h"

/* ---- schema ------------------------------------------------------------------ */

static const size_t name_len[2] = {1, 50};
static const size_t vault_len[2] = {2, 50};
static const int64_t days_range[2] = {1, 36500};
static const int64_t start_range[2] = {60, 40320};
static const int64_t completion_range[2] = {120, 144000};
static const int64_t age_range[2] = {1, 8760};

#define TIMEOUT_ATTR(op, what)                                                                   \
  {                                                                                              \
    .name = op, .type = "\"string\"", .flags = FO_ATTR_OPTIONAL,                                 \
    .description = "How long " what                                                              \
                   " may take in all (every AWS call, retries included), e.g. \"10m\" (default " \
                   "5m).",                                                                       \
    .validators = {                                                                              \
      {fo_validate_duration, NULL}                                                               \
    }                                                                                            \
  }
static const fo_attr timeout_attrs[] = {
    TIMEOUT_ATTR("create", "create (plan, then selection)"),
    TIMEOUT_ATTR("update", "an update"),
    TIMEOUT_ATTR("delete", "destroy (selection, then plan)"),
};
static const fo_block timeouts_block = {
    .attrs = timeout_attrs, .n_attrs = FO_COUNT(timeout_attrs), .description = "Operation timeouts."};

static const fo_block_type bp_blocks[] = {
    {.type_name = "timeouts", .nesting = FO_NEST_SINGLE, .block = &timeouts_block, .min_items = 0, .max_items = 0},
};

static const fo_attr bp_attrs[] = {
    {.name = "id",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "The backup plan id (also the import ID)."},
    {.name = "name",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "Name of the backup plan and of its selection (1-50 letters, digits, '-', '_', '.').",
     .markdown = "Name of the backup plan and of its resource selection (1–50 letters, digits, `-`, `_`, `.`). A "
                 "change renames the plan in place and replaces the selection.",
     .validators = {{fo_validate_length, name_len}}},
    {.name = "source_vault_name",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "The vault in the primary region the rule backs up into (the copies' source).",
     .validators = {{fo_validate_length, vault_len}}},
    {.name = "destination_vault_arn",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "ARN of the backup vault in the secondary region every recovery point is copied to.",
     .markdown = "ARN of the backup vault every recovery point is copied to. It must be a `backup-vault` ARN in the "
                 "provider's **secondary** region, never the source's own region (a copy into its own region "
                 "protects nothing): checked at plan time, and the vault must exist there."},
    {.name = "schedule",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "\"cron(0 5 ? * * *)\"",
     .description = "When backups run: an AWS Backup cron() or rate() expression in UTC (default daily at 05:00).",
     .markdown = "When backups run: an AWS Backup `cron(...)` or `rate(...)` expression in UTC (default "
                 "`\"cron(0 5 ? * * *)\"`, daily at 05:00)."},
    {.name = "start_window_minutes",
     .type = "\"number\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "480",
     .description = "Minutes after the scheduled time a backup must start within (60..40320, default 480).",
     .validators = {{fo_validate_int_range, start_range}}},
    {.name = "completion_window_minutes",
     .type = "\"number\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "10080",
     .description = "Minutes after its start a backup must complete within (at least start_window_minutes + 60, "
                    "default 10080).",
     .validators = {{fo_validate_int_range, completion_range}}},
    {.name = "retention_days",
     .type = "\"number\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "Days a recovery point is kept in the source vault (the rule's lifecycle).",
     .validators = {{fo_validate_int_range, days_range}}},
    {.name = "copy_retention_days",
     .type = "\"number\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "Days a copy is kept in the destination vault (always sent as the copy action's lifecycle).",
     .markdown = "Days a copy is kept in the destination vault. Always sent as the copy action's `Lifecycle`: a copy "
                 "action without one keeps every copy for ever (a known cost trap).",
     .validators = {{fo_validate_int_range, days_range}}},
    {.name = "resources",
     .type = "[\"set\",\"string\"]",
     .flags = FO_ATTR_REQUIRED,
     .description = "ARNs of the resources the selection backs up (e.g. the MariaDB RDS instance); at least one.",
     .markdown = "ARNs of the resources the plan's selection backs up, e.g. the MariaDB RDS instance; at least one. "
                 "A change replaces the selection (selections cannot be updated in AWS Backup)."},
    {.name = "iam_role_arn",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "IAM role AWS Backup assumes to back up the selected resources.",
     .validators = {{fo_validate_role_arn, NULL}}},
    {.name = "destination_kms_key_arn",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL,
     .description = "KMS key of the destination vault (in the secondary region) the copies are encrypted with.",
     .markdown = "KMS key (a `kms` key ARN in the secondary region) the destination vault encrypts the copies with. "
                 "Copies are re-encrypted with the destination vault's key, which must live in the destination "
                 "region; when the vault reports a key and this is unset, every plan warns, and a key that differs "
                 "from the vault's is an error."},
    {.name = "max_copy_age_hours",
     .type = "\"number\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "26",
     .description = "Every plan warns when the newest copy is older than this (default 26 hours).",
     .markdown = "Every plan warns when the newest completed copy in the destination vault is older than this many "
                 "hours (default 26: a daily schedule plus slack), or when there is no copy although a recovery point "
                 "older than this exists, so replication that silently stopped shows in every plan.",
     .validators = {{fo_validate_int_range, age_range}}},
    {.name = "arn", .type = "\"string\"", .flags = FO_ATTR_COMPUTED, .description = "ARN of the backup plan."},
    {.name = "version_id",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "The plan's version id (a new one after every update of the plan document)."},
    {.name = "selection_id",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "The selection's id (null while the selection is missing: the next apply creates it)."},
    {.name = "last_recovery_point_at",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "RFC 3339 time of the newest completed recovery point of the selected resources in the source "
                    "vault (null when none)."},
    {.name = "last_copy_at",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "RFC 3339 time of the newest completed copy of the selected resources in the destination vault "
                    "(null when none)."},
    {.name = "rpo_hours",
     .type = "\"number\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "Whole hours since the newest copy was taken when last read: the data a failover would lose (null "
                    "when there is no copy)."},
};

const fo_schema fo_bp_schema = {
    .version = 0,
    .block =
        {
            .attrs = bp_attrs,
            .n_attrs = FO_COUNT(bp_attrs),
            .blocks = bp_blocks,
            .n_blocks = FO_COUNT(bp_blocks),
            .description = "An AWS Backup plan in the primary region whose rule copies every recovery point to a vault "
                           "in the secondary region, with the copies' age checked on every plan.",
            .markdown = "An AWS Backup plan in the primary region whose single rule copies every recovery point of the "
                        "selected resources to a vault in the secondary region, plus the plan's resource selection. "
                        "It proves replication: the newest recovery point and copy are read on every refresh "
                        "(`last_recovery_point_at`, `last_copy_at`, `rpo_hours`) and every plan warns when the newest "
                        "copy is older than `max_copy_age_hours`.",
        },
};

/* ---- accessors ------------------------------------------------------------------ */

const char *fo_bp_str(const fo_cty_value *obj, const char *name) {
  const fo_cty_value *v = fo_object_known_attr(obj, name);
  return v && fo_cty_value_kind(v) == FO_CTY_STRING ? fo_cty_as_string(v, NULL) : NULL;
}

int64_t fo_bp_int(const fo_cty_value *obj, const char *name, int64_t dflt) {
  const fo_cty_value *v = fo_object_known_attr(obj, name);
  int64_t i;
  return v && fo_cty_value_kind(v) == FO_CTY_NUMBER && fo_cty_number_as_int64(v, &i) == 0 ? i : dflt;
}

int fo_bp_has(const fo_cty_value *obj, const char *name) {
  return fo_object_known_attr(obj, name) != NULL;
}

static int is_unknown(const fo_cty_value *obj, const char *name) {
  const fo_cty_value *v = obj ? fo_cty_get_attr(obj, name) : NULL;
  return v && !fo_cty_is_wholly_known(v);
}

/* Copies the `n`th ':'-separated field of `s` (NUL-terminated) into out. 0, or -1 when missing/too long. */
static int arn_field(const char *s, int n, char *out, size_t len, int rest) {
  const char *p = s, *end;
  size_t l;
  for (int i = 0; i < n; i++) {
    if (!(p = strchr(p, ':')))
      return -1;
    p++;
  }
  end = rest ? p + strlen(p) : strchr(p, ':');
  if (!end)
    return -1;
  l = (size_t)(end - p);
  if (l == 0 || l >= len)
    return -1;
  memcpy(out, p, l);
  out[l] = '\0';
  return 0;
}

int fo_bp_parse_vault_arn(const char *arn, char *region, size_t region_len, char *name, size_t name_len_out) {
  char service[16], resource[300];
  if (!arn || strncmp(arn, "arn:", 4) != 0)
    return -1;
  if (arn_field(arn, 2, service, sizeof(service), 0) < 0 || strcmp(service, "backup") != 0 ||
      arn_field(arn, 3, region, region_len, 0) < 0 || arn_field(arn, 5, resource, sizeof(resource), 1) < 0)
    return -1;
  if (strncmp(resource, "backup-vault:", 13) != 0 || !resource[13] || strchr(resource + 13, ':') ||
      strlen(resource + 13) >= name_len_out)
    return -1;
  {
    char account[32];
    if (arn_field(arn, 4, account, sizeof(account), 0) < 0) /* an account id is there */
      return -1;
  }
  snprintf(name, name_len_out, "%s", resource + 13);
  return 0;
}

/* The region of a KMS key ARN "arn:PARTITION:kms:REGION:ACCOUNT:key/ID" (or alias/...). -1 otherwise. */
static int kms_region(const char *arn, char *region, size_t len) {
  char service[8], resource[300];
  if (!arn || strncmp(arn, "arn:", 4) != 0 || arn_field(arn, 2, service, sizeof(service), 0) < 0 ||
      strcmp(service, "kms") != 0 || arn_field(arn, 3, region, len, 0) < 0 ||
      arn_field(arn, 5, resource, sizeof(resource), 1) < 0)
    return -1;
  return strncmp(resource, "key/", 4) == 0 || strncmp(resource, "alias/", 6) == 0 ? 0 : -1;
}

int fo_bp_not_found(int err) {
  const fo_aws_error *e = err == FO_EAWS ? fo_aws_last_error() : NULL;
  return err == FO_ENOTFOUND || (e && (e->status == 404 || strcmp(e->code, "ResourceNotFoundException") == 0));
}

/* ---- AWS documents ------------------------------------------------------------------ */

static cJSON *lifecycle(int64_t days) {
  cJSON *l = cJSON_CreateObject();
  if (l && !cJSON_AddNumberToObject(l, "DeleteAfterDays", (double)days)) {
    cJSON_Delete(l);
    return NULL;
  }
  return l;
}

cJSON *fo_bp_plan_doc(const fo_cty_value *obj) {
  cJSON *plan = cJSON_CreateObject(), *rules = cJSON_CreateArray(), *rule = cJSON_CreateObject();
  cJSON *copies = cJSON_CreateArray(), *copy = cJSON_CreateObject();
  int ok = plan && rules && rule && copies && copy;
  if (ok) {
    cJSON_AddItemToArray(copies, copy);
    copy = NULL;
    ok = cJSON_AddStringToObject(plan, "BackupPlanName", fo_bp_str(obj, "name")) &&
         cJSON_AddStringToObject(rule, "RuleName", FO_BP_RULE_NAME) &&
         cJSON_AddStringToObject(rule, "TargetBackupVaultName", fo_bp_str(obj, "source_vault_name")) &&
         cJSON_AddStringToObject(rule, "ScheduleExpression", fo_bp_str(obj, "schedule")) &&
         cJSON_AddNumberToObject(rule, "StartWindowMinutes", (double)fo_bp_int(obj, "start_window_minutes", 480)) &&
         cJSON_AddNumberToObject(rule, "CompletionWindowMinutes",
                                 (double)fo_bp_int(obj, "completion_window_minutes", 10080));
  }
  if (ok) {
    cJSON *c0 = cJSON_GetArrayItem(copies, 0), *l1 = lifecycle(fo_bp_int(obj, "retention_days", 1)),
          *l2 = lifecycle(fo_bp_int(obj, "copy_retention_days", 1));
    ok = l1 && l2 && cJSON_AddStringToObject(c0, "DestinationBackupVaultArn", fo_bp_str(obj, "destination_vault_arn"));
    if (ok) {
      cJSON_AddItemToObject(rule, "Lifecycle", l1);
      cJSON_AddItemToObject(c0, "Lifecycle", l2);
      cJSON_AddItemToObject(rule, "CopyActions", copies);
      copies = NULL;
      cJSON_AddItemToArray(rules, rule);
      rule = NULL;
      cJSON_AddItemToObject(plan, "Rules", rules);
      rules = NULL;
    } else {
      cJSON_Delete(l1);
      cJSON_Delete(l2);
    }
  }
  cJSON_Delete(copy);
  cJSON_Delete(copies);
  cJSON_Delete(rule);
  cJSON_Delete(rules);
  if (!ok) {
    cJSON_Delete(plan);
    return NULL;
  }
  return plan;
}

cJSON *fo_bp_selection_doc(const fo_cty_value *obj) {
  cJSON *sel = cJSON_CreateObject(), *res = cJSON_CreateArray();
  const fo_cty_value *set = fo_object_known_attr(obj, "resources");
  int ok = sel && res && cJSON_AddStringToObject(sel, "SelectionName", fo_bp_str(obj, "name")) &&
           cJSON_AddStringToObject(sel, "IamRoleArn", fo_bp_str(obj, "iam_role_arn"));
  for (size_t i = 0; ok && set && i < fo_cty_length(set); i++) {
    cJSON *s = cJSON_CreateString(fo_cty_as_string(fo_cty_index(set, i), NULL));
    ok = s != NULL;
    if (ok)
      cJSON_AddItemToArray(res, s);
  }
  if (!ok) {
    cJSON_Delete(sel);
    cJSON_Delete(res);
    return NULL;
  }
  cJSON_AddItemToObject(sel, "Resources", res);
  return sel;
}

/* ---- freshness ---------------------------------------------------------------------- */

/* Newest completed point (copies only when `copies`) of any resource of `obj`
 * in `vault` through `side`: epoch seconds in *at, -1 when none. */
static int newest(fo_call *c, const fo_cancel *cancel, fo_side side, const char *vault, const fo_cty_value *obj,
                  int copies, double *at) {
  fo_aws_client *aws = fo_call_aws(c, side);
  const fo_cty_value *set = fo_object_known_attr(obj, "resources");
  cJSON *items = NULL;
  int err;
  *at = -1;
  if (!aws)
    return FO_EINVAL;
  if ((err = fo_aws_backup_list_recovery_points(&items, aws, cancel, vault, NULL)) < 0)
    return err;
  for (size_t i = 0; set && i < fo_cty_length(set); i++) {
    const cJSON *p = fo_aws_backup_newest_completed(items, fo_cty_as_string(fo_cty_index(set, i), NULL), copies);
    const cJSON *d = p ? cJSON_GetObjectItemCaseSensitive(p, "CreationDate") : NULL;
    if (cJSON_IsNumber(d) && d->valuedouble > *at)
      *at = d->valuedouble;
  }
  cJSON_Delete(items);
  return FO_OK;
}

void fo_bp_read_fresh(fo_call *c, const fo_cancel *cancel, const fo_cty_value *obj, fo_bp_fresh *out) {
  char region[64], vault[64];
  const char *src = fo_bp_str(obj, "source_vault_name");
  out->point_at = out->copy_at = -1;
  out->point_err = src ? newest(c, cancel, FO_SIDE_PRIMARY, src, obj, 0, &out->point_at)
                       : fo_err_set(FO_EINVAL, "no source_vault_name");
  if (fo_bp_parse_vault_arn(fo_bp_str(obj, "destination_vault_arn"), region, sizeof(region), vault, sizeof(vault)) < 0)
    out->copy_err = fo_err_set(FO_EINVAL, "destination_vault_arn is not a backup vault ARN");
  else
    out->copy_err = newest(c, cancel, FO_SIDE_SECONDARY, vault, obj, 1, &out->copy_at);
}

/* ---- validation ------------------------------------------------------------------ */

static int name_ok(const char *s) {
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
          *s == '.'))
      return 0;
  return 1;
}

static void bp_validate(fo_call *c, const fo_cty_value *config) {
  const char *name = fo_bp_str(config, "name"), *dest = fo_bp_str(config, "destination_vault_arn"),
             *sched = fo_bp_str(config, "schedule"), *key = fo_bp_str(config, "destination_kms_key_arn");
  const fo_cty_value *res = fo_object_known_attr(config, "resources");
  int64_t start = fo_bp_int(config, "start_window_minutes", 480),
          done = fo_bp_int(config, "completion_window_minutes", -1);
  char region[64], vault[64];

  if (name && !name_ok(name))
    fo_diags_attr_error(c->diags, "name", "Invalid plan name",
                        "a backup plan or selection name holds only letters, digits, '-', '_' and '.'");
  if (dest && fo_bp_parse_vault_arn(dest, region, sizeof(region), vault, sizeof(vault)) < 0)
    fo_diags_attr_error(c->diags, "destination_vault_arn", "Not a backup vault ARN",
                        "expected arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME, got \"%.200s\"", dest);
  if (sched && strncmp(sched, "cron(", 5) != 0 && strncmp(sched, "rate(", 5) != 0)
    fo_diags_attr_error(c->diags, "schedule", "Invalid schedule",
                        "AWS Backup schedules are cron(...) or rate(...) expressions, got \"%.200s\"", sched);
  if (done >= 0 && fo_bp_has(config, "completion_window_minutes") && done < start + 60)
    fo_diags_attr_error(c->diags, "completion_window_minutes", "Completion window too short",
                        "completion_window_minutes (%lld) must be at least start_window_minutes + 60 (%lld)",
                        (long long)done, (long long)(start + 60));
  if (res && fo_cty_is_wholly_known(res)) {
    if (fo_cty_length(res) == 0)
      fo_diags_attr_error(c->diags, "resources", "No resources",
                          "a selection needs at least one resource ARN (e.g. the database instance)");
    for (size_t i = 0; i < fo_cty_length(res); i++) {
      const fo_cty_value *e = fo_cty_index(res, i);
      const char *s = fo_cty_is_null(e) ? NULL : fo_cty_as_string(e, NULL);
      if (!s || strncmp(s, "arn:", 4) != 0) {
        fo_diags_attr_error(c->diags, "resources", "Not a resource ARN",
                            "every element of resources is a resource ARN (arn:...), got \"%.200s\"", s ? s : "null");
        break;
      }
    }
  }
  if (key && kms_region(key, region, sizeof(region)) < 0)
    fo_diags_attr_error(c->diags, "destination_kms_key_arn", "Not a KMS key ARN",
                        "expected arn:aws:kms:REGION:ACCOUNT:key/ID, got \"%.200s\"", key);
}

/* ---- plan ---------------------------------------------------------------------- */

/* Destination region rules and the vault's KMS key (DescribeBackupVault in the secondary). */
static int check_destination(fo_call *c, const fo_cty_value *planned) {
  const char *dest = fo_bp_str(planned, "destination_vault_arn"), *key = fo_bp_str(planned, "destination_kms_key_arn");
  const char *primary = fo_provider_region(c->provider, FO_SIDE_PRIMARY),
             *secondary = fo_provider_region(c->provider, FO_SIDE_SECONDARY), *vault_key;
  char region[64], vault[64], key_region[64];
  fo_aws_client *aws;
  cJSON *v = NULL;
  int err;

  if (!dest || fo_bp_parse_vault_arn(dest, region, sizeof(region), vault, sizeof(vault)) < 0)
    return FO_OK; /* unknown, or validate already named it */
  if (strcmp(region, primary) == 0) {
    fo_diags_attr_error(c->diags, "destination_vault_arn", "Destination vault in the source region",
                        "vault %s is in %s, the region the plan backs up: a copy into its own region protects nothing. "
                        "Name a vault in the secondary region (%s).",
                        vault, region, secondary);
    return FO_EINVAL;
  }
  if (strcmp(region, secondary) != 0) {
    fo_diags_attr_error(c->diags, "destination_vault_arn", "Destination vault not in the secondary region",
                        "vault %s is in %s; the copies must land in the provider's secondary region %s, where failover "
                        "restores them",
                        vault, region, secondary);
    return FO_EINVAL;
  }
  if (key && kms_region(key, key_region, sizeof(key_region)) == 0 && strcmp(key_region, secondary) != 0) {
    fo_diags_attr_error(c->diags, "destination_kms_key_arn", "KMS key not in the destination region",
                        "key %s is in %s; the copies in %s are encrypted with a key of that region (KMS keys do not "
                        "cross regions)",
                        key, key_region, secondary);
    return FO_EINVAL;
  }
  if (!(aws = fo_call_aws(c, FO_SIDE_SECONDARY)))
    return FO_EINVAL;
  if ((err = fo_aws_backup_describe_backup_vault(&v, aws, c->cancel, vault)) < 0) {
    if (fo_bp_not_found(err)) {
      fo_diags_attr_error(c->diags, "destination_vault_arn", "Destination vault does not exist",
                          "there is no backup vault %s in %s: create it first (aws_backup_vault with the secondary "
                          "region's provider)",
                          vault, secondary);
      return FO_EINVAL;
    }
    if (!fo_aws_unreachable(err))
      return err;
    fo_diags_warning(c->diags, NULL, "Destination vault not checked",
                     "cannot read backup vault %s in %s (%s); its existence and encryption key were not checked", vault,
                     secondary, fo_err_last());
    return FO_OK;
  }
  vault_key = fo_aws_json_str(v, "EncryptionKeyArn");
  if (vault_key && !key) {
    fo_cty_path p = FO_CTY_PATH_INIT;
    fo_cty_path_push_attr(&p, "destination_kms_key_arn");
    fo_diags_warning(c->diags, &p, "KMS key needed for encrypted copies",
                     "destination vault %s is encrypted with KMS key %s; the copies are re-encrypted with it in %s, so "
                     "the key must exist there and allow AWS Backup. Set destination_kms_key_arn = \"%s\" to record "
                     "and check it.",
                     vault, vault_key, secondary, vault_key);
    fo_cty_path_dispose(&p);
  } else if (vault_key && key && strcmp(vault_key, key) != 0) {
    fo_diags_attr_error(c->diags, "destination_kms_key_arn", "KMS key differs from the vault's",
                        "destination vault %s is encrypted with %s, not %s", vault, vault_key, key);
    cJSON_Delete(v);
    return FO_EINVAL;
  }
  cJSON_Delete(v);
  return FO_OK;
}

void fo_bp_rfc3339(double at, char out[32]) {
  time_t t = (time_t)at;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The warning every plan carries when replication looks stopped. */
static void check_copy_age(fo_call *c, const fo_cty_value *planned) {
  fo_bp_fresh f;
  double now = (double)fo_clock_wall(c->clock), max_h = (double)fo_bp_int(planned, "max_copy_age_hours", 26);
  const char *dest = fo_bp_str(planned, "destination_vault_arn");
  char when[32];
  if (!dest || !fo_bp_str(planned, "source_vault_name") ||
      !fo_cty_is_wholly_known(fo_cty_get_attr(planned, "resources")))
    return;
  fo_bp_read_fresh(c, c->cancel, planned, &f);
  if (f.copy_err < 0) {
    fo_diags_warning(c->diags, NULL, "Backup copies not checked", "cannot read the copies in destination vault %s: %s",
                     dest, fo_err_last());
    return;
  }
  if (f.copy_at >= 0 && now - f.copy_at > max_h * 3600) {
    fo_bp_rfc3339(f.copy_at, when);
    fo_diags_warning(c->diags, NULL, "Backup copies are stale",
                     "the newest completed copy in %s was taken at %s, %.0f hours ago (max_copy_age_hours = %.0f): "
                     "replication to the secondary region may have stopped. Check the copy jobs (aws backup "
                     "list-copy-jobs --by-destination-vault-arn %s) and the plan's role and vault access policy.",
                     dest, when, floor((now - f.copy_at) / 3600), max_h, dest);
  } else if (f.copy_at < 0 && f.point_err >= 0 && f.point_at >= 0 && now - f.point_at > max_h * 3600) {
    fo_bp_rfc3339(f.point_at, when);
    fo_diags_warning(c->diags, NULL, "No backup copy in the destination vault",
                     "a recovery point of the selected resources was completed at %s, more than %.0f hours ago, but "
                     "%s holds no copy of them: replication to the secondary region is not working.",
                     when, max_h, dest);
  }
}

static int same_attr(const fo_cty_value *a, const fo_cty_value *b, const char *name) {
  return fo_cty_value_equal(fo_cty_get_attr(a, name), fo_cty_get_attr(b, name));
}

static int keep_or_unknown(fo_cty_value **planned, const fo_cty_value *prior, const char *name, int unknown) {
  const fo_cty_value *cur = fo_cty_get_attr(*planned, name);
  if (unknown)
    return fo_object_set(planned, name, fo_cty_unknown(fo_cty_value_type(cur)));
  return fo_object_set(planned, name, fo_cty_value_ref(fo_cty_get_attr(prior, name)));
}

static const char *const plan_inputs[] = {"name",           "source_vault_name",    "destination_vault_arn",
                                          "schedule",       "start_window_minutes", "completion_window_minutes",
                                          "retention_days", "copy_retention_days",  NULL};
static const char *const selection_inputs[] = {"name", "resources", "iam_role_arn", NULL};
static const char *const fresh_attrs[] = {"last_recovery_point_at", "last_copy_at", "rpo_hours", NULL};

static int changed_any(const fo_cty_value *prior, const fo_cty_value *planned, const char *const *names) {
  for (size_t i = 0; names[i]; i++)
    if (is_unknown(planned, names[i]) || !same_attr(prior, planned, names[i]))
      return 1;
  return 0;
}

static int bp_modify_plan(fo_call *c, const fo_cty_value *prior, const fo_cty_value *config, fo_cty_value **planned) {
  int create = fo_cty_is_null(prior), doc_changed, sel_changed, error;
  (void)config;

  if (fo_cty_is_null(*planned))
    return FO_OK; /* destroy */
  if ((error = check_destination(c, *planned)) < 0)
    return error;
  check_copy_age(c, *planned);
  if (create)
    return FO_OK; /* every computed attribute is unknown until the apply */

  doc_changed = changed_any(prior, *planned, plan_inputs);
  /* A selection is never updated in place: new inputs, or none there (a
   * failed create or a selection deleted behind our back), make a new one. */
  sel_changed = changed_any(prior, *planned, selection_inputs) || !fo_bp_has(prior, "selection_id");
  if ((error = keep_or_unknown(planned, prior, "id", 0)) < 0 ||
      (error = keep_or_unknown(planned, prior, "arn", 0)) < 0 ||
      (error = keep_or_unknown(planned, prior, "version_id", doc_changed)) < 0 ||
      (error = keep_or_unknown(planned, prior, "selection_id", sel_changed)) < 0)
    return error;
  /* What the refresh read stays; the vaults or resources changing make it unknown. */
  for (size_t i = 0; fresh_attrs[i]; i++)
    if ((error = keep_or_unknown(planned, prior, fresh_attrs[i], doc_changed || sel_changed)) < 0)
      return error;
  return FO_OK;
}

const fo_resource fo_backup_plan_resource = {
    .type_name = "failover_backup_replication_plan",
    .schema = &fo_bp_schema,
    .validate = bp_validate,
    .modify_plan = bp_modify_plan,
    .create = fo_bp_create,
    .read = fo_bp_read,
    .update = fo_bp_update,
    .destroy = fo_bp_destroy,
    .import = fo_bp_import,
};
