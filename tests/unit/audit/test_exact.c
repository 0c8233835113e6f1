/* unit.audit.exact: drift the auditor must never miss (issue 8 item 7). Numbers are compared by exact value
 * (9007199254740993 is not 9007199254740992, 2^64 is not 2^64+1, 1.0000000001 is not 1, but 1.0, 1 and 1e0 are
 * one value), strings by length and bytes (an escaped \u0000 does not end them), and a sensitive value is hashed
 * whole. Every input goes through the real readers: snapshots, state v4 / show -json, manifests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_audit_collector.h"
#include "fo_audit_diff.h"
#include "fo_err.h"

/* ---- snapshots: one object whose attribute `v` holds the given JSON text on each side ----------------------- */

static fo_audit_snapshot *snap(const char *side, const char *attrs) {
  char text[4096];
  fo_audit_snapshot *s = NULL;
  snprintf(text, sizeof text,
           "{\"format\":\"failover-audit-snapshot\",\"version\":1,\"side\":\"%s\",\"sources\":[{\"name\":"
           "\"terraform_state\",\"status\":\"ok\"}],\"objects\":{\"terraform/aws_x.a\":{\"source\":"
           "\"terraform_state\",\"kind\":\"aws_x\",\"attributes\":%s}}}",
           side, attrs);
  assert_int_equal(fo_audit_snapshot_parse(&s, text, strlen(text), side), 0);
  return s;
}

/* Diff two snapshots' attributes; returns the result (caller frees). */
static fo_audit_result *diff_attrs(const char *pa, const char *sa) {
  fo_audit_snapshot *p = snap("primary", pa), *s = snap("secondary", sa);
  fo_audit_result *r = fo_audit_result_new();
  assert_non_null(r);
  assert_int_equal(fo_audit_snapshots_normalize(p, s, NULL), 0);
  assert_int_equal(fo_audit_diff(r, p, s, NULL), 0);
  fo_audit_snapshot_free(p);
  fo_audit_snapshot_free(s);
  return r;
}

static void expect_same(const char *pa, const char *sa) {
  fo_audit_result *r = diff_attrs(pa, sa);
  if (r->nfindings)
    fail_msg("%s vs %s: unexpected finding %s", pa, sa, r->findings[0].full_path);
  fo_audit_result_free(r);
}

/* Exactly one finding, at `path`, showing these values. */
static void expect_drift(const char *pa, const char *sa, const char *path, const char *pv, const char *sv) {
  fo_audit_result *r = diff_attrs(pa, sa);
  if (r->nfindings != 1)
    fail_msg("%s vs %s: %zu findings, want 1", pa, sa, r->nfindings);
  assert_string_equal(r->findings[0].path, path);
  if (pv)
    assert_string_equal(r->findings[0].primary_value, pv);
  if (sv)
    assert_string_equal(r->findings[0].secondary_value, sv);
  fo_audit_result_free(r);
}

static void test_numbers_exact(void **state) {
  (void)state;
  /* doubles cannot tell these apart */
  expect_drift("{\"v\":9007199254740993}", "{\"v\":9007199254740992}", "v", "9007199254740993", "9007199254740992");
  expect_drift("{\"v\":18446744073709551616}", "{\"v\":18446744073709551617}", "v", "18446744073709551616",
               "18446744073709551617");
  expect_drift("{\"v\":0.1}", "{\"v\":0.10000000000000001}", "v", "0.1", "0.10000000000000001");
  /* no tolerance either */
  expect_drift("{\"v\":1.0000000001}", "{\"v\":1}", "v", "1.0000000001", "1");
  expect_drift("{\"v\":[1,9007199254740993]}", "{\"v\":[1,9007199254740992]}", "v", NULL, NULL);
  /* one value, several spellings */
  expect_same("{\"v\":1.0}", "{\"v\":1}");
  expect_same("{\"v\":1e0}", "{\"v\":1}");
  expect_same("{\"v\":100}", "{\"v\":1E+2}");
  expect_same("{\"v\":0.1}", "{\"v\":1e-1}");
  expect_same("{\"v\":-0}", "{\"v\":0}");
  expect_same("{\"v\":123456789012345678901234567890}", "{\"v\":1.2345678901234567890123456789e29}");
}

static void test_reports_show_exact_values(void **state) {
  fo_audit_result *r =
      diff_attrs("{\"v\":9007199254740993,\"s\":\"a\\u0000b\"}", "{\"v\":9007199254740992,\"s\":\"a\\u0000c\"}");
  fo_buf out = FO_BUF_INIT;
  (void)state;
  fo_audit_result_finish(r);
  assert_int_equal(fo_audit_render_json(r, &out), 0);
  /* both values as they are, not as doubles or cut C strings (which would read the same on both sides) */
  assert_non_null(strstr(out.data, "9007199254740993"));
  assert_non_null(strstr(out.data, "9007199254740992"));
  assert_non_null(strstr(out.data, "a\\u0000b"));
  assert_non_null(strstr(out.data, "a\\u0000c"));
  fo_buf_dispose(&out);
  assert_int_equal(fo_audit_render_text(r, &out, 0), 0);
  assert_non_null(strstr(out.data, "9007199254740993"));
  assert_non_null(strstr(out.data, "9007199254740992"));
  fo_buf_dispose(&out);
  fo_audit_result_free(r);
}

static void test_identities_exact(void **state) {
  (void)state;
  /* two elements whose ids differ past a double's precision are two elements, paired by exact id */
  expect_same("{\"r\":[{\"id\":9007199254740993,\"x\":1},{\"id\":9007199254740992,\"x\":2}]}",
              "{\"r\":[{\"id\":9007199254740992,\"x\":2},{\"id\":9007199254740993,\"x\":1}]}");
  expect_drift("{\"r\":[{\"id\":9007199254740993,\"x\":1},{\"id\":9007199254740992,\"x\":2}]}",
               "{\"r\":[{\"id\":9007199254740992,\"x\":2},{\"id\":9007199254740993,\"x\":3}]}",
               "r[id=9007199254740993].x", "1", "3");
}

static void test_strings_with_nul(void **state) {
  (void)state;
  expect_drift("{\"v\":\"a\\u0000b\"}", "{\"v\":\"a\\u0000c\"}", "v", "\"a\\u0000b\"", "\"a\\u0000c\"");
  expect_drift("{\"v\":\"a\\u0000b\"}", "{\"v\":\"a\"}", "v", "\"a\\u0000b\"", "\"a\"");
  expect_same("{\"v\":\"a\\u0000b\"}", "{\"v\":\"a\\u0000b\"}");
  expect_drift("{\"v\":{\"k\":\"\\u0000x\"}}", "{\"v\":{\"k\":\"\\u0000y\"}}", "v.k", NULL, NULL);
}

static void test_snapshot_roundtrip_exact(void **state) {
  fo_audit_snapshot *s = snap("primary", "{\"big\":9007199254740993,\"one\":1.0,\"nul\":\"a\\u0000b\"}");
  fo_buf out = FO_BUF_INIT;
  (void)state;
  assert_int_equal(fo_audit_snapshot_write(s, &out), 0);
  assert_non_null(strstr(out.data, "9007199254740993"));
  assert_non_null(strstr(out.data, "\"a\\u0000b\""));
  fo_buf_dispose(&out);
  fo_audit_snapshot_free(s);
}

static void test_nul_in_key_refused(void **state) {
  static const char text[] =
      "{\"format\":\"failover-audit-snapshot\",\"version\":1,\"side\":\"primary\","
      "\"sources\":[],\"objects\":{\"a\\u0000b\":{}}}";
  fo_audit_snapshot *s = NULL;
  (void)state;
  /* a key cut at its NUL could collide with another one: refused, naming the input */
  assert_int_equal(fo_audit_snapshot_parse(&s, text, sizeof text - 1, "k.json"), FO_EINVAL);
  assert_null(s);
  assert_non_null(strstr(fo_err_last(), "snapshot 'k.json'"));
  assert_non_null(strstr(fo_err_last(), "NUL"));
}

/* ---- states: sensitive values are hashed whole ---------------------------------------------------------------- */

static char *state_hash(const char *value_json, int show_json) {
  char text[2048];
  fo_audit_snapshot *s = NULL;
  fo_audit_collect_ctx ctx = {.cfg = NULL};
  const cJSON *o, *v;
  char *h;
  if (show_json)
    snprintf(text, sizeof text,
             "{\"format_version\":\"1.0\",\"values\":{\"root_module\":{\"resources\":[{\"address\":\"aws_x.a\","
             "\"mode\":\"managed\",\"type\":\"aws_x\",\"name\":\"a\",\"values\":{\"pw\":%s,\"n\":1},"
             "\"sensitive_values\":{\"pw\":true}}]}}}",
             value_json);
  else
    snprintf(text, sizeof text,
             "{\"version\":4,\"resources\":[{\"mode\":\"managed\",\"type\":\"aws_x\",\"name\":\"a\",\"instances\":"
             "[{\"attributes\":{\"pw\":%s,\"n\":1},\"sensitive_attributes\":[[{\"type\":\"get_attr\",\"value\":"
             "\"pw\"}]]}]}]}",
             value_json);
  assert_int_equal(fo_audit_snapshot_new(&s, "primary", NULL, NULL, NULL), 0);
  assert_int_equal(fo_audit_tfstate_parse(&ctx, s, text, strlen(text), "t.json"), 0);
  o = cJSON_GetObjectItemCaseSensitive(s->objects, "terraform/aws_x.a");
  v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "attributes"), "pw");
  v = cJSON_GetObjectItemCaseSensitive(v, "$sensitive");
  assert_true(cJSON_IsString(v));
  h = strdup(v->valuestring);
  fo_audit_snapshot_free(s);
  return h;
}

static void expect_hashes(const char *a, const char *b, int equal) {
  for (int show = 0; show < 2; show++) {
    char *ha = state_hash(a, show), *hb = state_hash(b, show);
    if ((strcmp(ha, hb) == 0) != equal)
      fail_msg("%s vs %s (%s): hashes %s", a, b, show ? "show -json" : "v4", equal ? "differ" : "are equal");
    free(ha);
    free(hb);
  }
}

static void test_sensitive_hashed_whole(void **state) {
  (void)state;
  expect_hashes("\"secret\\u0000one\"", "\"secret\\u0000two\"", 0);
  expect_hashes("\"secret\\u0000one\"", "\"secret\"", 0);
  expect_hashes("9007199254740993", "9007199254740992", 0);
  expect_hashes("{\"k\":18446744073709551617}", "{\"k\":18446744073709551616}", 0);
  expect_hashes("1.0", "1", 1);
  expect_hashes("\"secret\\u0000one\"", "\"secret\\u0000one\"", 1);
}

static void test_state_index_keys_exact(void **state) {
  static const char text[] =
      "{\"version\":4,\"resources\":[{\"mode\":\"managed\",\"type\":\"aws_x\",\"name\":\"a\",\"instances\":["
      "{\"index_key\":9007199254740993,\"attributes\":{}},{\"index_key\":9007199254740992,\"attributes\":{}}]}]}";
  fo_audit_snapshot *s = NULL;
  fo_audit_collect_ctx ctx = {.cfg = NULL};
  (void)state;
  assert_int_equal(fo_audit_snapshot_new(&s, "primary", NULL, NULL, NULL), 0);
  assert_int_equal(fo_audit_tfstate_parse(&ctx, s, text, sizeof text - 1, "t.json"), 0);
  assert_non_null(cJSON_GetObjectItemCaseSensitive(s->objects, "terraform/aws_x.a[9007199254740993]"));
  assert_non_null(cJSON_GetObjectItemCaseSensitive(s->objects, "terraform/aws_x.a[9007199254740992]"));
  fo_audit_snapshot_free(s);
}

/* ---- manifests: YAML scalars ----------------------------------------------------------------------------------- */

static fo_audit_snapshot *manifest(const char *side, const char *replicas, const char *label) {
  char text[1024];
  fo_audit_snapshot *s = NULL;
  fo_audit_collect_ctx ctx = {.cfg = NULL};
  snprintf(text, sizeof text,
           "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  labels:\n    l: %s\nspec:\n"
           "  replicas: %s\n",
           label, replicas);
  assert_int_equal(fo_audit_snapshot_new(&s, side, NULL, NULL, NULL), 0);
  assert_int_equal(fo_audit_manifests_parse(&ctx, s, text, strlen(text), "m.yaml"), 0);
  assert_int_equal(fo_audit_snapshot_add_source(s, "kubernetes_manifests", "ok", "m.yaml", NULL), 0);
  return s;
}

static size_t manifest_findings(const char *pr, const char *pl, const char *sr, const char *sl) {
  fo_audit_snapshot *p = manifest("primary", pr, pl), *s = manifest("secondary", sr, sl);
  fo_audit_result *r = fo_audit_result_new();
  size_t n;
  assert_int_equal(fo_audit_diff(r, p, s, NULL), 0);
  n = r->nfindings;
  fo_audit_result_free(r);
  fo_audit_snapshot_free(p);
  fo_audit_snapshot_free(s);
  return n;
}

static void test_manifest_scalars_exact(void **state) {
  (void)state;
  assert_int_equal(manifest_findings("9007199254740993", "x", "9007199254740992", "x"), 1);
  assert_int_equal(manifest_findings("18446744073709551617", "x", "18446744073709551616", "x"), 1);
  assert_int_equal(manifest_findings("1.0", "x", "1", "x"), 0);
  assert_int_equal(manifest_findings("1e0", "x", "1", "x"), 0);
  assert_int_equal(manifest_findings("3", "\"a\\0b\"", "3", "\"a\\0c\""), 1);
  assert_int_equal(manifest_findings("3", "\"a\\0b\"", "3", "\"a\""), 1);
  assert_int_equal(manifest_findings("3", "\"a\\0b\"", "3", "\"a\\0b\""), 0);
}

static void test_manifest_secret_hashed_whole(void **state) {
  static const char fmt[] = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  pw: \"%s\"\n";
  char a[256], b[256];
  const char *ha, *hb;
  fo_audit_snapshot *p = NULL, *s = NULL;
  fo_audit_collect_ctx ctx = {.cfg = NULL};
  (void)state;
  snprintf(a, sizeof a, fmt, "secret\\0one");
  snprintf(b, sizeof b, fmt, "secret\\0two");
  assert_int_equal(fo_audit_snapshot_new(&p, "primary", NULL, NULL, NULL), 0);
  assert_int_equal(fo_audit_snapshot_new(&s, "secondary", NULL, NULL, NULL), 0);
  assert_int_equal(fo_audit_manifests_parse(&ctx, p, a, strlen(a), "a.yaml"), 0);
  assert_int_equal(fo_audit_manifests_parse(&ctx, s, b, strlen(b), "b.yaml"), 0);
  ha = cJSON_GetObjectItemCaseSensitive(
           cJSON_GetObjectItemCaseSensitive(
               cJSON_GetObjectItemCaseSensitive(
                   cJSON_GetObjectItemCaseSensitive(
                       cJSON_GetObjectItemCaseSensitive(p->objects, "k8s/Secret/default/s"), "attributes"),
                   "stringData"),
               "pw"),
           "$sensitive")
           ->valuestring;
  hb = cJSON_GetObjectItemCaseSensitive(
           cJSON_GetObjectItemCaseSensitive(
               cJSON_GetObjectItemCaseSensitive(
                   cJSON_GetObjectItemCaseSensitive(
                       cJSON_GetObjectItemCaseSensitive(s->objects, "k8s/Secret/default/s"), "attributes"),
                   "stringData"),
               "pw"),
           "$sensitive")
           ->valuestring;
  assert_string_not_equal(ha, hb);
  fo_audit_snapshot_free(p);
  fo_audit_snapshot_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_numbers_exact),
      cmocka_unit_test(test_identities_exact),
      cmocka_unit_test(test_reports_show_exact_values),
      cmocka_unit_test(test_strings_with_nul),
      cmocka_unit_test(test_snapshot_roundtrip_exact),
      cmocka_unit_test(test_nul_in_key_refused),
      cmocka_unit_test(test_sensitive_hashed_whole),
      cmocka_unit_test(test_state_index_keys_exact),
      cmocka_unit_test(test_manifest_scalars_exact),
      cmocka_unit_test(test_manifest_secret_hashed_whole),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
