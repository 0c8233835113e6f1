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
  if (fo_audit_manifests_parse(&ctx, s, yml, len, "m.yaml") != want)
    fail_msg("%.*s: %s", (int)len, yml, fo_err_last());
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

/* The planted secret text must appear nowhere in the snapshot of `yml`, whose Secret is k8s/Secret/default/db. */
static void assert_secret_hidden(const char *yml) {
  fo_audit_snapshot *s = parse(yml, strlen(yml), 0);
  char *txt = cJSON_PrintUnformatted(s->doc);
  if (strstr(txt, "PLANTED") || strstr(txt, "UExBTlRFRA"))
    fail_msg("secret text in the snapshot of:\n%s\n%s", yml, txt);
  assert_non_null(obj(s, "k8s/Secret/default/db"));
  assert_non_null(strstr(txt, "sha256:"));
  cJSON_free(txt);
  fo_audit_snapshot_free(s);
}

/* A Secret whose data arrives through a merge key or an alias is a real Secret to kubectl: hashed all the same
 * (they used to be printed in clear). */
static void test_secret_merge_and_alias(void **state) {
  (void)state;
  /* merge key with a flow mapping */
  assert_secret_hidden("apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n<<: {stringData: {pw: PLANTED}}\n");
  /* merge key through an anchor defined in the same document */
  assert_secret_hidden(
      "x-base: &b {stringData: {pw: PLANTED1}, type: Opaque}\n"
      "kind: Secret\nmetadata: {name: db}\n<<: *b\n");
  /* a sequence of merges, the secret in the second one */
  assert_secret_hidden("kind: Secret\nmetadata: {name: db}\n<<: [{type: Opaque}, {data: {pw: UExBTlRFRA==}}]\n");
  /* nested merges and a merge inside data */
  assert_secret_hidden(
      "x-in: &in {pw: PLANTED2, deep: {more: [PLANTED3]}}\n"
      "x-mid: &mid {stringData: {<<: *in, other: PLANTED4}}\n"
      "kind: Secret\nmetadata: {name: db}\n<<: [*mid]\n");
  /* the kind itself through a merge key */
  assert_secret_hidden("x: &k {kind: Secret}\n<<: *k\nmetadata: {name: db}\nstringData: {pw: PLANTED5}\n");
  /* an alias of a secret value elsewhere in the document (a label, a list) is hashed there too */
  assert_secret_hidden(
      "kind: Secret\nstringData: {pw: &p PLANTED6}\n"
      "metadata:\n  name: db\n  labels: {copy: *p}\n");
  assert_secret_hidden("kind: Secret\nstringData: {pw: &p PLANTED7}\nmetadata: {name: db}\nlist: [a, *p]\n");
  /* data as a whole through an alias, and a look-alike marker */
  assert_secret_hidden("x: &d {pw: PLANTED8}\nkind: Secret\nmetadata: {name: db}\ndata: *d\n");
  assert_secret_hidden("kind: Secret\nmetadata: {name: db}\nstringData: {pw: {$sensitive: PLANTED9}}\n");
  /* a Secret inside a List */
  assert_secret_hidden("kind: List\nitems:\n  - {kind: Secret, metadata: {name: db}, <<: {data: {pw: PLANTED}}}\n");
}

static void test_merge_keys(void **state) {
  static const char yml[] =
      "x-a: &a {k1: from-a, k2: from-a}\nx-b: &b {k2: from-b, k3: from-b}\n"
      "kind: ConfigMap\nmetadata: {name: m}\n"
      "data: {<<: [*a, *b], k1: explicit, '<<': quoted}\n";
  fo_audit_snapshot *s = parse(yml, sizeof yml - 1, 0);
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(obj(s, "k8s/ConfigMap/default/m"), "attributes"), "data");
  (void)state;
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(data, "k1")->valuestring, "explicit");
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(data, "k2")->valuestring, "from-a");
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(data, "k3")->valuestring, "from-b");
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(data, "<<")->valuestring, "quoted");
  assert_int_equal(cJSON_GetArraySize(data), 4);
  fo_audit_snapshot_free(s);
  fo_audit_snapshot_free(parse("kind: ConfigMap\nmetadata: {name: m}\n<<: [a]\n", 43, FO_EINVAL));
  assert_non_null(strstr(fo_err_last(), "merge key"));
}

/* Aliased merges that double at each level stop at the node limit. */
static void test_merge_bomb(void **state) {
  fo_buf b = FO_BUF_INIT;
  (void)state;
  assert_int_equal(fo_buf_puts(&b, "a0: &a0 {}\n"), 0);
  for (int i = 1; i < 40; i++)
    assert_int_equal(fo_buf_printf(&b, "a%d: &a%d {<<: [*a%d, *a%d]}\n", i, i, i - 1, i - 1), 0);
  assert_int_equal(fo_buf_puts(&b, "kind: Secret\nmetadata: {name: db}\n<<: *a39\n"), 0);
  fo_audit_snapshot_free(parse(b.data, b.len, FO_ELIMIT));
  fo_buf_dispose(&b);
  /* many small mappings merging one big one: looking each up for `kind` is bounded by the pairs scanned */
  assert_int_equal(fo_buf_puts(&b, "big: &big {"), 0);
  for (int i = 0; i < 2000; i++)
    assert_int_equal(fo_buf_printf(&b, "k%d: v, ", i), 0);
  assert_int_equal(fo_buf_puts(&b, "z: v}\nkind: List\nitems:\n"), 0);
  for (int i = 0; i < 20000; i++)
    assert_int_equal(fo_buf_puts(&b, "- {<<: *big}\n"), 0);
  fo_audit_snapshot_free(parse(b.data, b.len, FO_ELIMIT));
  assert_non_null(strstr(fo_err_last(), "mapping pairs to look through"));
  fo_buf_dispose(&b);
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
      cmocka_unit_test(test_secret_hidden),     cmocka_unit_test(test_secret_merge_and_alias),
      cmocka_unit_test(test_merge_keys),        cmocka_unit_test(test_merge_bomb),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
