/* unit.audit.plugin: a collector registered by a test (a fake source reading a tiny JSON file) adds a source, its
 * config key, a rule, a checklist step and a side check to a whole audit run without any change to the config
 * reader, the differ, the side-check stage, the classifier or the reports: its findings come out of the real
 * pipeline in the JSON report with its rule ids and step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo_audit_collector.h"
#include "fo_audit_pipeline.h"
#include "fo_audit_sidecheck.h"
#include "fo_err.h"
#include "fo_file.h"

/* ---- the fake source: sides.<side>.widgets: FILE, a JSON object {"<name>": {"color": ..., "size": ...}} ---- */

static const char *const widget_keys[] = {"widgets", NULL};

static int widget_parse_key(void **state, const char *key, const fo_audit_yaml *node) {
  return fo_audit_yaml_path(node, key, (char **)state);
}

static const char *widget_location(const fo_audit_collect_ctx *ctx) {
  return ctx->source_cfg;
}

static int widget_collect(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap) {
  fo_buf text;
  cJSON *doc, *w;
  int err;
  /* what the context carries: the run's clock reaches every collector */
  if (!ctx->clock || ctx->aws)
    return fo_err_set(FO_EINVAL, "unexpected collector context");
  if ((err = fo_file_read(&text, ctx->source_cfg, 1 << 16)) < 0)
    return err;
  doc = cJSON_ParseWithLength(text.data, text.len);
  fo_buf_dispose(&text);
  if (!cJSON_IsObject(doc)) {
    cJSON_Delete(doc);
    return fo_err_set(FO_EINVAL, "%s: not a JSON object", (const char *)ctx->source_cfg);
  }
  cJSON_ArrayForEach(w, doc) {
    cJSON *o;
    char key[256];
    snprintf(key, sizeof key, "widget/%s", w->string);
    if ((err = fo_audit_snapshot_add_object(&o, snap, key, "widgets")) < 0)
      break;
    if (!cJSON_AddStringToObject(o, "kind", "widget") || !cJSON_AddStringToObject(o, "name", w->string)) {
      err = fo_err_oom();
      break;
    }
    cJSON_ReplaceItemInObjectCaseSensitive(o, "attributes", cJSON_Duplicate(w, 1));
  }
  cJSON_Delete(doc);
  return err;
}

/* side check: a widget must not be larger than 10 */
static int widget_too_big(fo_audit_result *r, const fo_audit_snapshot *snaps[2], const char *check) {
  for (int side = 0; side < 2; side++) {
    const cJSON *o;
    if (!snaps[side])
      continue;
    cJSON_ArrayForEach(o, snaps[side]->objects) {
      const cJSON *size = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "attributes"), "size");
      int err;
      if (cJSON_IsNumber(size) && size->valuedouble > 10 &&
          (err = fo_audit_sidecheck_add(r, "widget.too-big", check, o->string, o, "size",
                                        side ? FO_AUDIT_SIDE_SECONDARY : FO_AUDIT_SIDE_PRIMARY, NULL,
                                        "widget larger than 10")) < 0)
        return err;
    }
  }
  return 0;
}

static const fo_audit_rule widget_rules[] = {
    {"widget.color-differs", FO_AUDIT_RULE_MUST_MATCH, FO_AUDIT_SEV_ERROR, FO_AUDIT_STEP_OTHER, "Widget color differs",
     "paint both widgets alike"},
    {"widget.missing", FO_AUDIT_RULE_MUST_MATCH, FO_AUDIT_SEV_WARNING, FO_AUDIT_STEP_OTHER, "Widget on one side only",
     "add the widget"},
    {"widget.too-big", FO_AUDIT_RULE_SIDE_CHECK, FO_AUDIT_SEV_ERROR, FO_AUDIT_STEP_BACKUP, "Widget too big",
     "shrink it"},
};

static const fo_audit_rule_match widget_matches[] = {
    {FO_AUDIT_ON_MISSING, NULL, NULL, NULL, 0, "widget.missing", NULL, "widget only in primary",
     "widget only in secondary"},
    {FO_AUDIT_ON_DIFFERS, NULL, "widget", "color", 0, "widget.color-differs", "widget color differs", NULL, NULL},
};

static const fo_audit_step_match widget_steps[] = {{"widget", FO_AUDIT_STEP_DNS}, {NULL, FO_AUDIT_STEP_OTHER}};

static const fo_audit_sidecheck widget_sidechecks[] = {{"widget_size", widget_too_big}};

static const fo_audit_collector widget_collector = {
    .name = "widgets",
    .side_keys = widget_keys,
    .parse_key = widget_parse_key,
    .free_cfg = free,
    .location = widget_location,
    .collect = widget_collect,
    .rules = widget_rules,
    .nrules = 3,
    .matches = widget_matches,
    .nmatches = 2,
    .steps = widget_steps,
    .sidechecks = widget_sidechecks,
    .nsidechecks = 1,
};

/* ---- the test ------------------------------------------------------------------------------------------- */

static char dir[64];

static void put(const char *name, const char *text) {
  char path[128];
  FILE *f;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  assert_non_null(f = fopen(path, "w"));
  fputs(text, f);
  fclose(f);
}

static void rm(const char *name) {
  char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  unlink(path);
}

/* The finding of `rule` in the JSON report, or NULL. */
static const cJSON *finding(const cJSON *report, const char *rule) {
  const cJSON *f;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(report, "findings")) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(f, "rule"), "id");
    if (cJSON_IsString(id) && !strcmp(id->valuestring, rule))
      return f;
  }
  return NULL;
}

static const char *field(const cJSON *o, const char *a, const char *b) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);
  if (b)
    v = cJSON_GetObjectItemCaseSensitive(v, b);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void test_registered_collector_end_to_end(void **state) {
  static const char yml[] =
      "sides:\n"
      "  primary: {region: us-east-1, widgets: p.json}\n"
      "  secondary: {region: us-east-2, widgets: s.json}\n"
      "checks: {widgets: {}, widget_size: {}}\n";
  fo_audit_config *cfg = NULL;
  fo_audit_result *r = NULL;
  fo_audit_env env = {0};
  fo_clock_virtual clock;
  fo_buf out = FO_BUF_INIT;
  cJSON *report;
  const cJSON *f;
  (void)state;

  assert_int_equal(fo_audit_collector_register(&widget_collector), 0);
  assert_int_equal(fo_audit_collector_register(&widget_collector), FO_EINVAL); /* a name is registered once */
  put("p.json", "{\"w1\": {\"color\": \"red\", \"size\": 3}, \"w2\": {\"color\": \"blue\", \"size\": 20}}");
  put("s.json", "{\"w1\": {\"color\": \"green\", \"size\": 3}}");
  assert_int_equal(fo_audit_config_parse(&cfg, yml, sizeof yml - 1, "c.yml", dir), 0);
  fo_clock_virtual_init(&clock, 1795000000);
  env.clock = &clock.clock;
  assert_int_equal(fo_audit_pipeline_check(&r, cfg, "check", &env), 0);
  assert_int_equal(fo_audit_pipeline_report(r, "json", &out, 0), 0);
  assert_non_null(report = cJSON_ParseWithLength(out.data, out.len));

  /* the attribute rule, with its step from the collector's step table */
  assert_non_null(f = finding(report, "widget.color-differs"));
  assert_string_equal(field(f, "check", NULL), "widgets");
  assert_string_equal(field(f, "sync_step", "id"), "dns-weights");
  assert_string_equal(field(f, "rule", "title"), "Widget color differs");
  assert_string_equal(field(f, "message", NULL), "widget color differs");
  assert_string_equal(field(f, "full_path", NULL), "widget/w1/color");
  /* size is equal; nothing else differs on w1 and no rule matches it: no finding for w1 but the color */
  assert_null(finding(report, "source.object-differs"));
  /* the missing-object rule, with its per-side message and severity from the rule */
  assert_non_null(f = finding(report, "widget.missing"));
  assert_string_equal(field(f, "message", NULL), "widget only in primary");
  assert_string_equal(field(f, "severity", NULL), "warning");
  /* the side check: the rule's own step wins */
  assert_non_null(f = finding(report, "widget.too-big"));
  assert_string_equal(field(f, "classification", NULL), "side-check-failure");
  assert_string_equal(field(f, "sync_step", "id"), "backup-plans");
  assert_int_equal(fo_audit_result_exit_code(r), 1);

  cJSON_Delete(report);
  fo_buf_dispose(&out);
  fo_audit_result_free(r);
  fo_audit_config_free(cfg);
  fo_audit_collector_reset();
  rm("p.json");
  rm("s.json");
}

/* Unregistered, the source's key and check are unknown to the config again. */
static void test_unregistered_is_unknown(void **state) {
  static const char yml[] =
      "sides:\n"
      "  primary: {region: us-east-1, widgets: p.json}\n"
      "  secondary: {region: us-east-2}\n";
  static const char checks[] = "sides: {primary: {region: a}, secondary: {region: b}}\nchecks: {widgets: {}}\n";
  fo_audit_config *cfg = NULL;
  (void)state;
  assert_int_equal(fo_audit_config_parse(&cfg, yml, sizeof yml - 1, "c.yml", dir), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "unknown key 'widgets' in sides.primary"));
  assert_int_equal(fo_audit_config_parse(&cfg, checks, sizeof checks - 1, "c.yml", dir), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "unknown check 'widgets' (known: terraform_state, backup, dns,"));
}

/* The source fails: it is recorded unreadable under its own name, and the gate fails closed (exit 3). */
static void test_unreadable_source(void **state) {
  static const char yml[] =
      "sides:\n"
      "  primary: {region: us-east-1, widgets: missing.json}\n"
      "  secondary: {region: us-east-2, widgets: missing.json}\n";
  fo_audit_config *cfg = NULL;
  fo_audit_result *r = NULL;
  (void)state;
  assert_int_equal(fo_audit_collector_register(&widget_collector), 0);
  assert_int_equal(fo_audit_config_parse(&cfg, yml, sizeof yml - 1, "c.yml", dir), 0);
  /* no env: the system clock */
  assert_int_equal(fo_audit_pipeline_check(&r, cfg, "check", NULL), 0);
  assert_int_equal(fo_audit_result_exit_code(r), 3);
  assert_true(r->nsources >= 1);
  assert_string_equal(r->sources[0].name, "widgets");
  fo_audit_result_free(r);
  fo_audit_config_free(cfg);
  fo_audit_collector_reset();
}

/* A cancelled run reads no source: each is unreadable, naming the reason, and the gate fails closed. */
static void test_cancelled_run(void **state) {
  static const char yml[] =
      "sides:\n"
      "  primary: {region: us-east-1, widgets: p.json}\n"
      "  secondary: {region: us-east-2, widgets: p.json}\n";
  fo_audit_config *cfg = NULL;
  fo_audit_result *r = NULL;
  fo_cancel *cancel = NULL;
  fo_audit_env env = {0};
  (void)state;
  put("p.json", "{\"w1\": {\"color\": \"red\"}}");
  assert_int_equal(fo_audit_collector_register(&widget_collector), 0);
  assert_int_equal(fo_cancel_new(&cancel, NULL), 0);
  fo_cancel_trigger(cancel, "interrupted");
  env.cancel = cancel;
  assert_int_equal(fo_audit_config_parse(&cfg, yml, sizeof yml - 1, "c.yml", dir), 0);
  assert_int_equal(fo_audit_pipeline_check(&r, cfg, "check", &env), 0);
  assert_int_equal(fo_audit_result_exit_code(r), 3);
  assert_int_equal(r->nfindings, 0);
  assert_int_equal(r->sources[0].state, FO_AUDIT_SOURCE_UNREADABLE);
  assert_string_equal(r->sources[0].message, "cancelled before reading: interrupted");
  fo_audit_result_free(r);
  fo_audit_config_free(cfg);
  fo_cancel_free(cancel);
  fo_audit_collector_reset();
  rm("p.json");
}

static int setup(void **state) {
  (void)state;
  const char *tmp = getenv("TMPDIR"); /* test-all.sh gives the run its own TMPDIR and checks it is left empty */
  snprintf(dir, sizeof dir, "%s/fo-audit-plugin-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  return rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_registered_collector_end_to_end),
      cmocka_unit_test(test_unregistered_is_unknown),
      cmocka_unit_test(test_unreadable_source),
      cmocka_unit_test(test_cancelled_run),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
