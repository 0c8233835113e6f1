/* unit.audit.manifests: multi-document YAML to snapshot objects: identities, YAML core-schema typing, List
 * expansion, skipped non-objects and error positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fo_audit_collector.h"
#include "fo_err.h"

static fo_audit_snapshot *parse(const char *yml, size_t len, int want)
{
  fo_audit_snapshot *s = NULL;
  fo_audit_collect_ctx ctx = {NULL, 0, NULL};
  assert_int_equal(fo_audit_snapshot_new(&s, "primary", NULL, "us-east-1", NULL), 0);
  assert_int_equal(fo_audit_manifests_parse(&ctx, s, yml, len, "m.yaml"), want);
  return s;
}

static const cJSON *obj(const fo_audit_snapshot *s, const char *key)
{
  return cJSON_GetObjectItemCaseSensitive(s->objects, key);
}

static void test_objects_and_types(void **state)
{
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

static void test_errors(void **state)
{
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

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_objects_and_types),
    cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
