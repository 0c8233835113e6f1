/* unit.audit.tfstate: state v4 and show -json readers, sensitive hashing, module and meta objects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fo_audit_collector.h"
#include "fo_err.h"

static fo_audit_snapshot *parse(const char *json, int side, int want) {
  fo_audit_snapshot *s = NULL;
  fo_audit_norm_ctx norm = {side ? "us-east-2" : "us-east-1", side ? "us-east-1" : "us-east-2", NULL, NULL, NULL, side};
  fo_audit_collect_ctx ctx = {.side = side, .norm = &norm};
  assert_int_equal(fo_audit_snapshot_new(&s, side ? "secondary" : "primary", NULL, norm.region, NULL), 0);
  assert_int_equal(fo_audit_tfstate_parse(&ctx, s, json, strlen(json), "t.json"), want);
  return s;
}

static const char *attr_str(const fo_audit_snapshot *s, const char *key, const char *attr) {
  const cJSON *o = cJSON_GetObjectItemCaseSensitive(s->objects, key);
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "attributes"), attr);
  if (cJSON_IsObject(v))
    v = cJSON_GetObjectItemCaseSensitive(v, "$sensitive");
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void test_v4_and_show_json_hash_alike(void **state) {
  static const char v4[] =
      "{\"version\":4,\"terraform_version\":\"1.6.0\",\"resources\":[{\"module\":\"module.m\",\"mode\":\"managed\","
      "\"type\":\"aws_db_instance\",\"name\":\"db\",\"instances\":[{\"index_key\":\"a\",\"attributes\":"
      "{\"password\":\"pw-us-east-1\",\"user\":\"u\"},\"sensitive_attributes\":[[{\"type\":\"get_attr\","
      "\"value\":\"password\"}]]}]}]}";
  static const char show[] =
      "{\"format_version\":\"1.0\",\"terraform_version\":\"1.6.0\",\"values\":{\"root_module\":{\"child_modules\":"
      "[{\"address\":\"module.m\",\"resources\":[{\"address\":\"module.m.aws_db_instance.db[\\\"a\\\"]\",\"mode\":"
      "\"managed\",\"type\":\"aws_db_instance\",\"name\":\"db\",\"index\":\"a\",\"values\":{\"password\":"
      "\"pw-us-east-2\",\"user\":\"u\"},\"sensitive_values\":{\"password\":true}}]}]}}}";
  fo_audit_snapshot *p = parse(v4, 0, 0), *s = parse(show, 1, 0);
  const char *k = "terraform/module.m.aws_db_instance.db[\"a\"]";
  (void)state;
  assert_non_null(attr_str(p, k, "password"));
  assert_memory_equal(attr_str(p, k, "password"), "sha256:", 7);
  /* region-specific secrets hash alike after normalization; the plain text is gone */
  assert_string_equal(attr_str(p, k, "password"), attr_str(s, k, "password"));
  assert_string_equal(attr_str(p, k, "user"), "u");
  assert_non_null(cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(p->objects, "meta/modules"), "attributes"),
      "module.m"));
  assert_string_equal(attr_str(s, "meta/terraform", "terraform_version"), "1.6.0");
  fo_audit_snapshot_free(p);
  fo_audit_snapshot_free(s);
}

static void test_errors(void **state) {
  (void)state;
  fo_audit_snapshot_free(parse("{\"version\":3,\"resources\":[]}", 0, FO_EINVAL));
  assert_non_null(strstr(fo_err_last(), "unsupported state version 3"));
  fo_audit_snapshot_free(parse("{\"version\":4,\"resources\":[{\"type\":\"x\"", 0, FO_EINVAL));
  assert_non_null(strstr(fo_err_last(), "truncated"));
  fo_audit_snapshot_free(parse("{\"format_version\":\"1.0\",\"planned_values\":{}}", 0, FO_EINVAL));
  assert_non_null(strstr(fo_err_last(), "plan"));
  fo_audit_snapshot_free(parse("[1,2]", 0, FO_EINVAL));
  fo_audit_snapshot_free(parse("{\"version\":4,\"resources\":[{\"type\":\"x\",\"name\":\"y\"}]}", 0, FO_EINVAL));
}

static void test_lockfile(void **state) {
  static const char lock[] = "provider \"registry.terraform.io/hashicorp/aws\" {\n  version = \"5.1.0\"\n}\n";
  cJSON *o = cJSON_CreateObject();
  (void)state;
  assert_int_equal(fo_audit_lockfile_parse(o, lock, sizeof lock - 1, "l"), 0);
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(o, "registry.terraform.io/hashicorp/aws")->valuestring, "5.1.0");
  /* a malformed line is named by its line number */
  assert_int_equal(fo_audit_lockfile_parse(o, "# x\nprovider \"unterminated\n", 27, "l"), FO_EINVAL);
  assert_string_equal(fo_err_last(), "lock file 'l':2: malformed provider line");
  cJSON_Delete(o);
}

/* Regression: a sensitive path into a set names the element by its value; it used to stop there and leave
 * the secret in the snapshot in plain text. A path that cannot be followed hides the deepest container. */
static void test_sensitive_set_and_lost_paths(void **state) {
  static const char v4[] =
      "{\"version\":4,\"resources\":[{\"type\":\"t\",\"name\":\"n\",\"instances\":[{\"attributes\":"
      "{\"set\":[{\"s\":\"hunter2\"},{\"s\":\"plain\"}],\"blk\":{\"deep\":[\"hunter3\"]},\"keep\":\"k\"},"
      "\"sensitive_attributes\":["
      "[{\"type\":\"get_attr\",\"value\":\"set\"},{\"type\":\"index\",\"value\":{\"value\":{\"s\":\"hunter2\"},"
      "\"type\":[\"object\",{\"s\":\"string\"}]}}],"
      "[{\"type\":\"get_attr\",\"value\":\"blk\"},{\"type\":\"get_attr\",\"value\":\"nope\"}],"
      "[{\"type\":\"get_attr\",\"value\":\"absent\"}]]}]}]}";
  fo_audit_snapshot *p = parse(v4, 0, 0);
  char *txt = cJSON_PrintUnformatted(p->doc);
  const cJSON *attrs =
      cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(p->objects, "terraform/t.n"), "attributes");
  (void)state;
  assert_null(strstr(txt, "hunter2"));
  assert_null(strstr(txt, "hunter3"));
  assert_non_null(strstr(txt, "plain")); /* the other set element is not sensitive */
  assert_non_null(attr_str(p, "terraform/t.n", "blk"));
  assert_memory_equal(attr_str(p, "terraform/t.n", "blk"), "sha256:", 7);
  assert_string_equal(attr_str(p, "terraform/t.n", "keep"), "k");
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(attrs, "set")), 2);
  cJSON_free(txt);
  fo_audit_snapshot_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_v4_and_show_json_hash_alike),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_lockfile),
      cmocka_unit_test(test_sensitive_set_and_lost_paths),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
