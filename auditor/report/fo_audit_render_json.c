/* fo_audit_render_json: the machine-readable report (schema in docs/report-formats.md, "schema_version").
 * Built with cJSON so every string is escaped by the library. */
#include "fo_audit_json.h"
#include "fo_audit_model.h"
#include "fo_audit_report.h"
#include "fo_audit_rules.h"
#include "fo_audit_snapshot.h"
#include "fo_err.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Bump when a field changes meaning or disappears; adding fields keeps the version. */
#define JSON_SCHEMA_VERSION 1

/* cJSON reports failure only through NULL returns; one flag per document keeps the code flat. */
typedef struct json_ctx {
  int failed;
} json_ctx;

static cJSON *add(json_ctx *j, cJSON *obj, const char *key, cJSON *item) {
  if (!item || !cJSON_AddItemToObject(obj, key, item)) {
    cJSON_Delete(item);
    j->failed = 1;
    return NULL;
  }
  return item;
}

static void add_str(json_ctx *j, cJSON *obj, const char *key, const char *s) {
  const char *u = NULL;
  char *owned = NULL;
  if (fo_audit_report_utf8(&u, &owned, s) < 0) {
    j->failed = 1;
    return;
  }
  add(j, obj, key, u ? cJSON_CreateString(u) : cJSON_CreateNull());
  free(owned);
}

static void add_num(json_ctx *j, cJSON *obj, const char *key, double n) {
  add(j, obj, key, cJSON_CreateNumber(n));
}

static void add_bool(json_ctx *j, cJSON *obj, const char *key, int b) {
  add(j, obj, key, cJSON_CreateBool(b));
}

static void add_loc(json_ctx *j, cJSON *obj, const char *key, const fo_audit_location *l) {
  cJSON *o;
  if (!l->file) {
    add(j, obj, key, cJSON_CreateNull());
    return;
  }
  if (!(o = add(j, obj, key, cJSON_CreateObject())))
    return;
  add_str(j, o, "file", l->file);
  if (l->line > 0)
    add_num(j, o, "line", l->line);
  else
    add(j, o, "line", cJSON_CreateNull());
}

/* The value as JSON, or NULL when the text is not JSON (a value cut with "..."). cJSON's own parse is kept
 * (it lays nested values out like the rest of the report) unless cJSON would write another value: a number
 * beyond a double's precision or a string holding a NUL then goes in as its exact text. */
static cJSON *exact_value(const char *u) {
  fo_audit_json_opts o = {.what = "value", .max_depth = FO_AUDIT_JSON_MAX_DEPTH * 2, .max_bytes = (size_t)1 << 30};
  cJSON *exact = NULL, *parsed = cJSON_ParseWithOpts(u, NULL, 1);
  char *te = NULL, *tp = NULL;
  if (!parsed || fo_audit_json_parse_value(&exact, u, strlen(u), &o) < 0)
    goto done;
  te = fo_audit_json_print(exact, NULL);
  tp = cJSON_PrintUnformatted(parsed); /* what cJSON would write: 2^53+1 as 9.00719925474099e+15 */
  if (te && tp && strcmp(te, tp) != 0) {
    cJSON_Delete(parsed);
    parsed = cJSON_CreateRaw(te);
  }
done:
  free(te);
  cJSON_free(tp);
  cJSON_Delete(exact);
  return parsed;
}

/* One side of a finding: the value as JSON (it is compact JSON text in the model; a string when it does not
 * parse), whether it is present, and where it is defined. */
static int add_side(json_ctx *j, cJSON *obj, const char *key, const fo_audit_finding *f, fo_audit_side side) {
  char *v = NULL, *owned = NULL;
  const char *u = NULL;
  cJSON *o, *parsed = NULL;
  int err;

  if ((err = fo_audit_report_value(&v, f, side)) < 0)
    return err;
  if ((err = fo_audit_report_utf8(&u, &owned, v)) < 0) {
    free(v);
    return err;
  }
  if ((o = add(j, obj, key, cJSON_CreateObject()))) {
    add_bool(j, o, "present", u != NULL);
    if (u && !f->sensitive)
      parsed = exact_value(u);
    if (parsed)
      add(j, o, "value", parsed);
    else
      add_str(j, o, "value", u);
    add_loc(j, o, "location", side == FO_AUDIT_SIDE_SECONDARY ? &f->secondary_loc : &f->primary_loc);
  }
  free(v);
  free(owned);
  return 0;
}

static int add_finding(json_ctx *j, cJSON *arr, const fo_audit_finding *f, const char *fp) {
  const fo_audit_rule *rule = f->rule_id ? fo_audit_rule_find(f->rule_id) : NULL;
  char *reason = NULL;
  cJSON *o = cJSON_CreateObject(), *sub;
  int err;

  if (!o || !cJSON_AddItemToArray(arr, o)) {
    cJSON_Delete(o);
    return fo_err_oom();
  }
  add_str(j, o, "id", f->id);
  add_str(j, o, "fingerprint", fp);
  add_str(j, o, "check", f->check);
  if ((sub = add(j, o, "rule", cJSON_CreateObject()))) {
    add_str(j, sub, "id", f->rule_id);
    add_str(j, sub, "kind", fo_audit_rule_kind_name(f->rule_kind));
    add_str(j, sub, "title", rule ? rule->title : NULL);
  }
  add_str(j, o, "severity", fo_audit_severity_name(f->severity));
  add_str(j, o, "classification", fo_audit_class_name(f->classification));
  add_bool(j, o, "fails_gate", fo_audit_finding_fails(f));
  add_str(j, o, "side", fo_audit_side_name(f->side));
  if ((sub = add(j, o, "resource", cJSON_CreateObject()))) {
    add_str(j, sub, "key", f->resource.key);
    add_str(j, sub, "kind", f->resource.kind);
    add_str(j, sub, "namespace", f->resource.ns);
    add_str(j, sub, "name", f->resource.name);
    add_str(j, sub, "address", f->resource.address);
  }
  add_str(j, o, "path", f->path);
  add_str(j, o, "full_path", f->full_path);
  add_str(j, o, "message", f->message);
  add_bool(j, o, "sensitive", f->sensitive);
  if ((err = add_side(j, o, "primary", f, FO_AUDIT_SIDE_PRIMARY)) < 0 ||
      (err = add_side(j, o, "secondary", f, FO_AUDIT_SIDE_SECONDARY)) < 0)
    return err;
  if (f->expected_pattern) {
    if ((err = fo_audit_report_redacted(&reason, f->expected_reason)) < 0)
      return err;
    if ((sub = add(j, o, "expected_difference", cJSON_CreateObject()))) {
      add_str(j, sub, "pattern", f->expected_pattern);
      add_str(j, sub, "reason", reason);
      add_str(j, sub, "expires", f->expected_expires);
      add_loc(j, sub, "location", &f->expected_loc);
    }
    free(reason);
  } else {
    add(j, o, "expected_difference", cJSON_CreateNull());
  }
  if ((sub = add(j, o, "sync_step", cJSON_CreateObject()))) {
    add_str(j, sub, "id", fo_audit_step_name(f->step));
    add_str(j, sub, "title", fo_audit_step_title(f->step));
    add_str(j, sub, "fix", f->fix_hint);
  }
  return 0;
}

static void add_summary(json_ctx *j, cJSON *root, const fo_audit_result *r) {
  const fo_audit_summary *s = &r->summary;
  cJSON *o = add(j, root, "summary", cJSON_CreateObject());
  if (!o)
    return;
  add_num(j, o, "findings", (double)s->total);
  add_num(j, o, "failing", (double)s->failing);
  add_num(j, o, "unexpected", (double)s->unexpected);
  add_num(j, o, "expected", (double)s->expected);
  add_num(j, o, "expired_expected", (double)s->expired_expected);
  add_num(j, o, "stale_expected", (double)s->stale_expected);
  add_num(j, o, "side_check", (double)s->side_check);
  add_num(j, o, "errors", (double)s->errors);
  add_num(j, o, "warnings", (double)s->warnings);
  add_num(j, o, "infos", (double)s->infos);
  add_num(j, o, "objects_compared", (double)s->subjects);
  add_num(j, o, "unreadable_sources", (double)s->unreadable_sources);
}

static int add_sources(json_ctx *j, cJSON *root, const fo_audit_result *r) {
  cJSON *arr = add(j, root, "sources", cJSON_CreateArray());
  for (size_t i = 0; arr && i < r->nsources; i++) {
    const fo_audit_source_status *s = &r->sources[i];
    char *msg = NULL;
    cJSON *o = cJSON_CreateObject();
    int err;
    if (!o || !cJSON_AddItemToArray(arr, o)) {
      cJSON_Delete(o);
      return fo_err_oom();
    }
    if ((err = fo_audit_report_redacted(&msg, s->message)) < 0)
      return err;
    add_str(j, o, "name", s->name);
    add_str(j, o, "side", fo_audit_side_name(s->side));
    add_str(j, o, "state", fo_audit_source_state_name(s->state));
    add_str(j, o, "location", s->location);
    add_str(j, o, "message", msg);
    free(msg);
  }
  return 0;
}

static void add_steps(json_ctx *j, cJSON *root, const fo_audit_result *r) {
  int first, end;
  fo_audit_report_step_counts c[FO_AUDIT_STEP_MAX];
  cJSON *arr = add(j, root, "steps", cJSON_CreateArray());
  fo_audit_result_steps(r, &first, &end);

  fo_audit_report_count_steps(r, c);
  for (int s = first; arr && s < end; s++) {
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o)) {
      cJSON_Delete(o);
      j->failed = 1;
      return;
    }
    add_str(j, o, "id", fo_audit_step_name((fo_audit_step)s));
    add_str(j, o, "title", fo_audit_step_title((fo_audit_step)s));
    add_num(j, o, "objects_compared", (double)c[s].subjects);
    add_num(j, o, "findings", (double)c[s].findings);
    add_num(j, o, "failing", (double)c[s].failing);
    add_num(j, o, "expected", (double)c[s].expected);
    add_num(j, o, "stale", (double)c[s].stale);
  }
}

static void add_side_info(json_ctx *j, cJSON *obj, const char *key, const fo_audit_side_info *si) {
  cJSON *o = add(j, obj, key, cJSON_CreateObject());
  if (!o)
    return;
  add_str(j, o, "name", si->name);
  add_str(j, o, "region", si->region);
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" of ms since the epoch. */
static void add_time(json_ctx *j, cJSON *o, const char *key, long long ms) {
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  char buf[40], full[48];
  if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm))
    return;
  snprintf(full, sizeof full, "%s.%03dZ", buf, (int)(ms % 1000));
  add_str(j, o, key, full);
}

/* The timed checks (verify): one entry per check with its own start, finish and outcome, for a drill's
 * timeline. Absent when nothing was timed. */
static void add_checks(json_ctx *j, cJSON *root, const fo_audit_result *r) {
  cJSON *arr = NULL;
  for (size_t i = 0; i < r->nsubjects; i++) {
    const fo_audit_subject *s = &r->subjects[i];
    cJSON *o;
    int failing = 0;
    if (!s->started_ms)
      continue;
    if (!arr && !(arr = add(j, root, "checks", cJSON_CreateArray())))
      return;
    if (!(o = cJSON_CreateObject()) || !cJSON_AddItemToArray(arr, o)) {
      cJSON_Delete(o);
      j->failed = 1;
      return;
    }
    for (size_t k = 0; k < r->nfindings; k++)
      failing |= fo_audit_finding_fails(&r->findings[k]) && r->findings[k].resource.key &&
                 !strcmp(r->findings[k].resource.key, s->key);
    add_str(j, o, "key", s->key);
    add_str(j, o, "check", s->check);
    add_str(j, o, "step", fo_audit_step_name(s->step));
    add_str(j, o, "status", failing ? "failed" : "passed");
    add_time(j, o, "started", s->started_ms);
    add_time(j, o, "finished", s->finished_ms);
    add_num(j, o, "duration_ms", (double)(s->finished_ms - s->started_ms));
  }
}

int fo_audit_render_json(const fo_audit_result *r, fo_buf *out) {
  json_ctx j = {0};
  cJSON *root = cJSON_CreateObject(), *sub, *arr;
  fo_audit_report_fp *fps = NULL;
  int err = 0;

  if (!root)
    return fo_err_oom();
  add_num(&j, root, "schema_version", JSON_SCHEMA_VERSION);
  if ((sub = add(&j, root, "tool", cJSON_CreateObject()))) {
    add_str(&j, sub, "name", "failover-audit");
    add_str(&j, sub, "version", r->tool_version);
  }
  add_str(&j, root, "command", r->command);
  add_str(&j, root, "config", r->config_path);
  if ((sub = add(&j, root, "sides", cJSON_CreateObject()))) {
    add_side_info(&j, sub, "primary", &r->primary);
    add_side_info(&j, sub, "secondary", &r->secondary);
  }
  add_str(&j, root, "status", fo_audit_report_status(r));
  add_num(&j, root, "exit_code", fo_audit_result_exit_code(r));
  add_summary(&j, root, r);
  add_steps(&j, root, r);
  add_checks(&j, root, r);
  if ((err = add_sources(&j, root, r)) < 0)
    goto done;
  if ((arr = add(&j, root, "findings", cJSON_CreateArray()))) {
    if ((err = fo_audit_report_fingerprints(&fps, r)) < 0)
      goto done;
    for (size_t i = 0; i < r->nfindings; i++)
      if ((err = add_finding(&j, arr, &r->findings[i], fps[i])) < 0)
        goto done;
  }
  if (j.failed) {
    err = fo_err_set(FO_ENOMEM, "out of memory building the json report");
    goto done;
  }
  err = fo_audit_report_put_json(out, root, "json");
done:
  free(fps);
  cJSON_Delete(root);
  return err;
}
