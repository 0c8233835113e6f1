/* collect_backup: a side's live AWS Backup setup: each selected plan's rules, where every copy action sends its
 * copies (a vault in the OTHER region, always), and how fresh the side's recovery points are (the newest
 * completed point in the primary, the newest copy in the secondary, against the configured RPO). */
#include "fo_audit_collector.h"
#include "fo_audit_glob.h"
#include "fo_audit_live.h"
#include "fo_audit_sidecheck.h"
#include "fo_aws_backup.h"
#include "fo_buf.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_RPO_HOURS 26.0

/* sides.<side>.backup_plans / backup_vault / backup_rpo_hours */
typedef struct backup_cfg {
  char *plans;      /* glob over plan names ("*": every plan of the region) */
  char *vault;      /* the vault whose freshness is checked (optional) */
  double rpo_hours; /* 0: DEFAULT_RPO_HOURS */
} backup_cfg;

static const char *const backup_keys[] = {"backup_plans", "backup_vault", "backup_rpo_hours", NULL};

static int backup_parse_key(void **state, const char *key, const fo_audit_yaml *node) {
  backup_cfg *c = *state;
  char *txt = NULL, *end;
  int err;
  if (!c && !(c = *state = calloc(1, sizeof *c)))
    return fo_err_oom();
  if (!strcmp(key, "backup_plans"))
    return fo_audit_yaml_string(node, key, &c->plans);
  if (!strcmp(key, "backup_vault"))
    return fo_audit_yaml_string(node, key, &c->vault);
  if ((err = fo_audit_yaml_string(node, key, &txt)) < 0)
    return err;
  c->rpo_hours = strtod(txt, &end);
  err = (*end || end == txt || !(c->rpo_hours > 0 && c->rpo_hours <= 24.0 * 366))
            ? fo_audit_yaml_error(node, "%s must be a number of hours from 0 to 8784, not '%s'", key, txt)
            : 0;
  free(txt);
  return err;
}

static void backup_free_cfg(void *state) {
  backup_cfg *c = state;
  if (!c)
    return;
  free(c->plans);
  free(c->vault);
  free(c);
}

static const char *backup_location(const fo_audit_collect_ctx *ctx) {
  const backup_cfg *c = ctx->source_cfg;
  return c ? (c->plans ? c->plans : c->vault) : NULL;
}

static const char *ostr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The region field of an ARN ("arn:aws:backup:us-east-2:123:backup-vault:x" -> "us-east-2") into buf. */
static const char *arn_region(const char *arn, char *buf, size_t len) {
  const char *p = arn;
  size_t n;
  for (int i = 0; i < 3 && p; i++)
    if ((p = strchr(p, ':')))
      p++;
  if (!p || !(n = strcspn(p, ":")) || n >= len || !p[n])
    return NULL;
  memcpy(buf, p, n);
  buf[n] = '\0';
  return buf;
}

static int cmp_rule(const void *a, const void *b) {
  const char *x = ostr(*(cJSON *const *)a, "RuleName"), *y = ostr(*(cJSON *const *)b, "RuleName");
  return strcmp(x ? x : "", y ? y : "");
}

/* A plan's rules as compared: the fields that define the backup (not its ids), sorted by rule name. Every copy
 * action's destination goes into `copies` (outside the compared attributes) with whether it stays in `region`. */
static int plan_rules(cJSON *attrs, cJSON *copies, const cJSON *plan, const char *region) {
  static const char *const keep[] = {
      "RuleName",  "TargetBackupVaultName", "ScheduleExpression", "StartWindowMinutes", "CompletionWindowMinutes",
      "Lifecycle", "EnableContinuousBackup"};
  const cJSON *rules = cJSON_GetObjectItemCaseSensitive(plan, "Rules"), *r;
  cJSON *out = cJSON_AddArrayToObject(attrs, "Rules");
  cJSON **v = NULL;
  int n = 0, err = 0;
  if (!out)
    return fo_err_oom();
  if (cJSON_GetArraySize(rules) > 0 && !(v = calloc((size_t)cJSON_GetArraySize(rules), sizeof *v)))
    return fo_err_oom();
  cJSON_ArrayForEach(r, rules) {
    const cJSON *ca;
    cJSON *o = cJSON_CreateObject(), *cas;
    if (!o || !(v[n++] = o) || !(cas = cJSON_AddArrayToObject(o, "CopyActions"))) {
      err = fo_err_oom();
      goto done;
    }
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
      const cJSON *f = cJSON_GetObjectItemCaseSensitive(r, keep[i]);
      cJSON *d;
      if (f && (!(d = cJSON_Duplicate(f, 1)) || !cJSON_AddItemToObject(o, keep[i], d))) {
        cJSON_Delete(d);
        err = fo_err_oom();
        goto done;
      }
    }
    cJSON_ArrayForEach(ca, cJSON_GetObjectItemCaseSensitive(r, "CopyActions")) {
      const char *dest = ostr(ca, "DestinationBackupVaultArn"), *rn = ostr(r, "RuleName");
      char rb[64];
      const char *dr = dest ? arn_region(dest, rb, sizeof rb) : NULL;
      cJSON *d = cJSON_Duplicate(ca, 1), *c;
      if (!d) {
        err = fo_err_oom();
        goto done;
      }
      cJSON_AddItemToArray(cas, d);
      if (!(c = cJSON_CreateObject())) {
        err = fo_err_oom();
        goto done;
      }
      cJSON_AddItemToArray(copies, c);
      if (!cJSON_AddStringToObject(c, "rule", rn ? rn : "?") ||
          !cJSON_AddStringToObject(c, "destination", dest ? dest : "") ||
          !cJSON_AddBoolToObject(c, "same_region", !dr || !strcmp(dr, region))) {
        err = fo_err_oom();
        goto done;
      }
    }
  }
  if (n > 1)
    qsort(v, (size_t)n, sizeof *v, cmp_rule);
done:
  for (int i = 0; i < n; i++)
    cJSON_AddItemToArray(out, v[i]);
  free(v);
  return err;
}

int fo_audit_backup_plan_response(fo_audit_snapshot *snap, const char *name, const cJSON *plan, const char *region) {
  fo_buf key = FO_BUF_INIT;
  cJSON *o, *copies;
  int err;
  if ((err = fo_buf_printf(&key, "backup/plan/%s", name)) == 0 &&
      (err = fo_audit_snapshot_add_object(&o, snap, key.data, "aws_backup")) == 0) {
    if (!cJSON_AddStringToObject(o, "kind", "aws_backup_plan") || !cJSON_AddStringToObject(o, "name", name) ||
        !(copies = cJSON_AddArrayToObject(o, "copies")))
      err = fo_err_oom();
    else
      err = plan_rules(cJSON_GetObjectItemCaseSensitive(o, "attributes"), copies, plan, region);
  }
  fo_buf_dispose(&key);
  return err;
}

static int read_plans(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const backup_cfg *c) {
  const char *region = ctx->cfg->sides[ctx->side].region;
  cJSON *list = NULL, *m;
  int err;
  if ((err = fo_aws_backup_list_backup_plans(&list, ctx->aws, ctx->cancel)) < 0)
    return err;
  cJSON_ArrayForEach(m, list) {
    const char *name = ostr(m, "BackupPlanName"), *id = ostr(m, "BackupPlanId");
    cJSON *got = NULL;
    if (!name || !id || !fo_audit_glob_match(c->plans, name))
      continue;
    if ((err = fo_aws_backup_get_backup_plan(&got, ctx->aws, ctx->cancel, id)) == 0)
      err = fo_audit_backup_plan_response(snap, name, cJSON_GetObjectItemCaseSensitive(got, "BackupPlan"), region);
    cJSON_Delete(got);
    if (err < 0)
      break;
  }
  cJSON_Delete(list);
  return err;
}

int fo_audit_backup_freshness(fo_audit_snapshot *snap, const cJSON *items, const char *vault, int copies, time_t now,
                              double rpo_hours) {
  const cJSON *newest = fo_aws_backup_newest_completed(items, NULL, copies);
  const cJSON *cd = cJSON_GetObjectItemCaseSensitive(newest, "CreationDate");
  const char *arn = ostr(newest, "RecoveryPointArn");
  cJSON *o;
  int err;
  /* one key on both sides: the freshness is a side check, the vault names differ per region */
  if ((err = fo_audit_snapshot_add_object(&o, snap, "backup/freshness", "aws_backup")) < 0)
    return err;
  if (!cJSON_AddStringToObject(o, "kind", "aws_backup_freshness") || !cJSON_AddStringToObject(o, "name", vault) ||
      !cJSON_AddStringToObject(o, "what", copies ? "copy" : "recovery point") ||
      !cJSON_AddNumberToObject(o, "rpo_hours", rpo_hours) ||
      !(cJSON_IsNumber(cd) ? cJSON_AddNumberToObject(o, "age_hours", ((double)now - cd->valuedouble) / 3600.0)
                           : cJSON_AddNullToObject(o, "age_hours")) ||
      !(arn ? cJSON_AddStringToObject(o, "newest", arn) : cJSON_AddNullToObject(o, "newest")))
    return fo_err_oom();
  return 0;
}

/* The newest completed point of the vault (the secondary: the newest copy), its age by the run's clock. */
static int read_freshness(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const backup_cfg *c) {
  cJSON *items = NULL;
  int err;
  if ((err = fo_aws_backup_list_recovery_points(&items, ctx->aws, ctx->cancel, c->vault, NULL)) == 0)
    err = fo_audit_backup_freshness(snap, items, c->vault, ctx->side == 1, fo_clock_wall(ctx->clock),
                                    c->rpo_hours > 0 ? c->rpo_hours : DEFAULT_RPO_HOURS);
  cJSON_Delete(items);
  return err;
}

static int backup_collect(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap) {
  const backup_cfg *c = ctx->source_cfg;
  int err;
  if (!ctx->aws)
    return fo_err_set(FO_EINVAL, "aws_backup: no AWS client for this side");
  if (c->plans && (err = read_plans(ctx, snap, c)) < 0)
    return err;
  if (c->vault && (err = read_freshness(ctx, snap, c)) < 0)
    return err;
  return 0;
}

/* ---- side checks ------------------------------------------------------------------------------------------ */

/* Every copy action must leave the region: a copy into the plan's own region survives no regional outage, even
 * when both sides do it alike (so the comparison alone would not see it). */
static int run_copies(fo_audit_result *r, const fo_audit_snapshot *snaps[2], const char *check) {
  for (int side = 0; side < 2; side++) {
    const cJSON *o, *cp;
    if (!snaps[side])
      continue;
    cJSON_ArrayForEach(o, snaps[side]->objects) {
      const char *kind = ostr(o, "kind");
      if (!kind || strcmp(kind, "aws_backup_plan") != 0)
        continue;
      cJSON_ArrayForEach(cp, cJSON_GetObjectItemCaseSensitive(o, "copies")) {
        char path[300], msg[700];
        int err;
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cp, "same_region")))
          continue;
        snprintf(path, sizeof path, "Rules[RuleName=%.200s].CopyActions", ostr(cp, "rule"));
        snprintf(msg, sizeof msg, "copy goes to a vault in its own region (%.500s), not to the other region",
                 ostr(cp, "destination"));
        if ((err = fo_audit_sidecheck_add(r, "backup.copy-same-region", check, o->string, o, path,
                                          side ? FO_AUDIT_SIDE_SECONDARY : FO_AUDIT_SIDE_PRIMARY,
                                          ostr(cp, "destination"), msg)) < 0)
          return err;
      }
    }
  }
  return 0;
}

static int run_freshness(fo_audit_result *r, const fo_audit_snapshot *snaps[2], const char *check) {
  for (int side = 0; side < 2; side++) {
    const cJSON *o = snaps[side] ? cJSON_GetObjectItemCaseSensitive(snaps[side]->objects, "backup/freshness") : NULL;
    const cJSON *age = cJSON_GetObjectItemCaseSensitive(o, "age_hours");
    const cJSON *rpo = cJSON_GetObjectItemCaseSensitive(o, "rpo_hours");
    const char *what = ostr(o, "what"), *vault = ostr(o, "name");
    char msg[600], val[64];
    int err;
    if (!o || !cJSON_IsNumber(rpo))
      continue;
    if (cJSON_IsNumber(age) && age->valuedouble <= rpo->valuedouble)
      continue;
    if (cJSON_IsNumber(age)) {
      snprintf(val, sizeof val, "%.1fh", age->valuedouble);
      snprintf(msg, sizeof msg, "newest %s in vault %.300s is %.1f hours old (RPO %.0f hours)", what, vault,
               age->valuedouble, rpo->valuedouble);
    } else {
      snprintf(val, sizeof val, "none");
      snprintf(msg, sizeof msg, "no completed %s in vault %.300s (RPO %.0f hours)", what, vault, rpo->valuedouble);
    }
    if ((err =
             fo_audit_sidecheck_add(r, side ? "backup.copy-stale" : "backup.recovery-point-stale", check, o->string, o,
                                    "age_hours", side ? FO_AUDIT_SIDE_SECONDARY : FO_AUDIT_SIDE_PRIMARY, val, msg)) < 0)
      return err;
  }
  return 0;
}

static const fo_audit_sidecheck backup_sidechecks[] = {
    {"aws_backup_copies", run_copies},
    {"aws_backup_freshness", run_freshness},
};

#define MM  FO_AUDIT_RULE_MUST_MATCH
#define SC  FO_AUDIT_RULE_SIDE_CHECK
#define ERR FO_AUDIT_SEV_ERROR

/* docs/audit-rules.md, "AWS Backup (live)" */
static const fo_audit_rule backup_rules[] = {
    {"backup.plan-missing", MM, ERR, FO_AUDIT_STEP_BACKUP, "Backup plan present on one side only",
     "create the plan in the other region too, with the same rules"},
    {"backup.rule-differs", MM, ERR, FO_AUDIT_STEP_BACKUP, "Backup plan rules differ",
     "give the plan the same rules (schedule, windows, lifecycle, copy actions) in both regions"},
    {"backup.copy-same-region", SC, ERR, FO_AUDIT_STEP_BACKUP, "Backup copy into a vault of its own region",
     "point the copy action's destination_vault_arn at a vault in the other region"},
    {"backup.recovery-point-stale", SC, ERR, FO_AUDIT_STEP_BACKUP, "Newest completed recovery point older than the RPO",
     "check the backup jobs of the plan (failed or not scheduled) and run one now"},
    {"backup.copy-stale", SC, ERR, FO_AUDIT_STEP_BACKUP, "Newest cross-region copy older than the RPO",
     "check the copy jobs into this region (failed copies, a wrong destination vault, KMS grants)"},
};

static const fo_audit_rule_match backup_matches[] = {
    {FO_AUDIT_ON_MISSING, "backup/plan/*", NULL, NULL, 0, "backup.plan-missing", NULL, "plan only in primary",
     "plan only in secondary"},
    {FO_AUDIT_ON_MISSING, NULL, NULL, NULL, 0, "backup.plan-missing", NULL, "only in primary", "only in secondary"},
    {FO_AUDIT_ON_DIFFERS, NULL, NULL, NULL, 0, "backup.rule-differs", "backup plan rules differ between the sides",
     NULL, NULL},
};

static const fo_audit_step_match backup_steps[] = {{NULL, FO_AUDIT_STEP_BACKUP}};

const fo_audit_collector fo_audit_collector_backup = {
    .name = "aws_backup",
    .side_keys = backup_keys,
    .parse_key = backup_parse_key,
    .free_cfg = backup_free_cfg,
    .location = backup_location,
    .collect = backup_collect,
    .rules = backup_rules,
    .nrules = sizeof backup_rules / sizeof backup_rules[0],
    .matches = backup_matches,
    .nmatches = sizeof backup_matches / sizeof backup_matches[0],
    .steps = backup_steps,
    .sidechecks = backup_sidechecks,
    .nsidechecks = 2,
    .live = fo_audit_live_aws,
};
