/* unit.audit.manifests: multi-document YAML to snapshot objects: identities, YAML core-schema typing, List
 * expansion, skipped non-objects and error positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fo_audit_collector.h"
#include "fo_buf.h"
#include "fo_err.h"

static fo_audit_snapshot *parse(const char *yml, size_t len, int want) {
  fo_audit_snapshot *s = NULL;
  fo_audit_collect_ctx ctx = {.side = 0};
  assert_int_equal(fo_audit_snapshot_new(&s, "primary", NULL, "us-east-1", NULL), 0);
  assert_int_equal(fo_audit_manifests_parse(&ctx, s, yml, len, "m.yaml"), want);
  return s;
}

static const cJSON *obj(const fo_audit_snapshot *s, const char *key) {
  return cJSON_GetObjectItemCaseSensitive(s->objects, key);
}

static void test_objects_and_types(void **state) {
  static const char yml[] =
      "# comment\n"
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
      "data: {N: 1, Q: \"1\", B: true, Z: ~, O: 0755, S: hello}\n"
      "---\n"
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: prod}\n"
      "---\n"
      "resources: [a.yaml]\n" /* a kustomization fragment: no kind, skipped */
      "---\n"
      "kind: List\nitems:\n  - {kind: Service, metadata: {name: s, namespace: n}}\n";
  fo_audit_snapshot *s = parse(yml, sizeof yml - 1, 0);
  const cJSON *a = obj(s, "k8s/ConfigMap/default/a"), *data;
  (void)state;
  assert_non_null(a);
  assert_int_equal(cJSON_GetObjectItemCaseSensitive(a, "line")->valueint, 2);
  data = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(a, "attributes"), "data");
  assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(data, "N")));
  assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(data, "Q")));
  assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(data, "B")));
  assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(data, "Z")));
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(data, "O")->valuestring, "0755");
  assert_non_null(obj(s, "k8s/Namespace//prod"));
  assert_non_null(obj(s, "k8s/Service/n/s"));
  assert_int_equal(cJSON_GetArraySize(s->objects), 3);
  fo_audit_snapshot_free(s);
}

static void test_errors(void **state) {
  static const char bin[] = "kind: ConfigMap\n\0\1";
  (void)state;
  fo_audit_snapshot_free(parse("kind: ConfigMap\nmetadata:\n  name: x\n data: [\n", 44, FO_EINVAL));
  assert_non_null(strstr(fo_err_last(), "manifest 'm.yaml':4:"));
  fo_audit_snapshot_free(parse(bin, sizeof bin - 1, FO_EINVAL));
  assert_non_null(strstr(fo_err_last(), "binary file"));
  /* alias expansion is bounded */
  {
    static const char bomb[] =
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
    fo_audit_snapshot_free(parse(bomb, sizeof bomb - 1, FO_ELIMIT));
  }
}

/* Regression: many documents each just under the per-document limit used to expand an 840 KB file into
 * 23 GB; the whole file now has a node budget proportional to its size. */
static void test_repeated_bombs(void **state) {
  static const char doc[] =
      "kind: ConfigMap\nmetadata: {name: b%d}\ndata:\n"
      "  a: &a [l, l, l, l, l, l, l, l, l]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
      "  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
      "  e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n---\n";
  fo_buf b = FO_BUF_INIT;
  fo_audit_snapshot *s;
  (void)state;
  for (int i = 0; i < 3000; i++)
    assert_int_equal(fo_buf_printf(&b, doc, i), 0);
  s = parse(b.data, b.len, FO_ELIMIT);
  assert_non_null(strstr(fo_err_last(), "expands to more nodes than its size allows"));
  /* fewer objects than documents were added: it stopped early */
  assert_true(cJSON_GetArraySize(s->objects) < 3000);
  fo_audit_snapshot_free(s);
  fo_buf_dispose(&b);
}

/* A repeated key: the last one wins (kubectl), found by sorting rather than a lookup per key. */
static void test_repeated_keys(void **state) {
  static const char yml[] = "kind: ConfigMap\nmetadata: {name: a}\ndata: {K: 1, L: 2, K: 3, K: 4}\n";
  fo_audit_snapshot *s = parse(yml, sizeof yml - 1, 0);
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(obj(s, "k8s/ConfigMap/default/a"), "attributes"), "data");
  (void)state;
  assert_int_equal(cJSON_GetArraySize(data), 2);
  assert_int_equal(cJSON_GetObjectItemCaseSensitive(data, "K")->valueint, 4);
  assert_int_equal(cJSON_GetObjectItemCaseSensitive(data, "L")->valueint, 2);
  fo_audit_snapshot_free(s);
}

/* Regression: deep flow nesting made libyaml's scanner take minutes; refused up front with the position. */
static void test_deep_flow(void **state) {
  fo_buf b = FO_BUF_INIT;
  (void)state;
  assert_int_equal(fo_buf_puts(&b, "kind: ConfigMap\ndata: "), 0);
  for (int i = 0; i < 200000; i++)
    assert_int_equal(fo_buf_puts(&b, "{a: "), 0);
  fo_audit_snapshot_free(parse(b.data, b.len, FO_ELIMIT));
  assert_non_null(strstr(fo_err_last(), "manifest 'm.yaml':2:"));
  assert_non_null(strstr(fo_err_last(), "brackets nested deeper than 4096 levels"));
  fo_buf_dispose(&b);
}

/* A Secret's values are hidden like Terraform's sensitive values (they used to be compared and printed as is). */
static void test_secret_hidden(void **state) {
  static const char yml[] =
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  annotations:\n"
      "    kubectl.kubernetes.io/last-applied-configuration: '{\"data\":{\"pw\":\"aHVudGVyMg==\"}}'\n"
      "type: Opaque\ndata:\n  pw: aHVudGVyMg==\nstringData:\n  token: hunter3\n";
  fo_audit_snapshot *s = parse(yml, sizeof yml - 1, 0);
  char *txt = cJSON_PrintUnformatted(s->doc);
  const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(obj(s, "k8s/Secret/default/db"), "attributes");
  const cJSON *pw = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(attrs, "data"), "pw");
  (void)state;
  assert_null(strstr(txt, "aHVudGVyMg"));
  assert_null(strstr(txt, "hunter3"));
  assert_non_null(strstr(txt, "Opaque"));
  assert_non_null(pw);
  assert_memory_equal(cJSON_GetObjectItemCaseSensitive(pw, "$sensitive")->valuestring, "sha256:", 7);
  cJSON_free(txt);
  fo_audit_snapshot_free(s);
}

/* An alias inside its own anchor (a cycle) must end in an error, not a loop. */
static void test_alias_cycle(void **state) {
  static const char yml[] = "kind: ConfigMap\nmetadata: {name: a}\ndata: &x {k: *x}\n";
  fo_audit_snapshot *s = NULL;
  fo_audit_collect_ctx ctx = {.side = 0};
  (void)state;
  assert_int_equal(fo_audit_snapshot_new(&s, "primary", NULL, "us-east-1", NULL), 0);
  assert_true(fo_audit_manifests_parse(&ctx, s, yml, sizeof yml - 1, "m.yaml") < 0);
  fo_audit_snapshot_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_objects_and_types), cmocka_unit_test(test_errors),
      cmocka_unit_test(test_repeated_bombs),    cmocka_unit_test(test_repeated_keys),
      cmocka_unit_test(test_alias_cycle),       cmocka_unit_test(test_deep_flow),
      cmocka_unit_test(test_secret_hidden),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
