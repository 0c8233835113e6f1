/* unit.audit.snapshot: the snapshot reader's errors name the input and the offending object, built from live
 * memory (a key from the parsed document must be copied into the message before the document is freed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fo_audit_snapshot.h"
#include "fo_err.h"

#define HEAD "{\"format\":\"failover-audit-snapshot\",\"version\":1,\"side\":\"primary\",\"sources\":[],"

static void expect_error(const char *doc, const char *want) {
  fo_audit_snapshot *s = NULL;
  assert_int_equal(fo_audit_snapshot_parse(&s, doc, strlen(doc), "snap.json"), FO_EINVAL);
  assert_null(s);
  if (!strstr(fo_err_last(), want))
    fail_msg("error '%s' does not contain '%s'", fo_err_last(), want);
}

static void test_object_errors_name_the_key(void **state) {
  (void)state;
  /* Long keys: a freed heap block has its first bytes overwritten by the allocator, so a message built from
   * freed memory does not contain the key even in a release build. */
  expect_error(HEAD
               "\"objects\":{\"terraform/aws_instance.a_rather_long_resource_name_0123456789\":"
               "{\"source\":\"terraform_state\"}}}",
               "snapshot 'snap.json': object 'terraform/aws_instance.a_rather_long_resource_name_0123456789' needs");
  expect_error(HEAD
               "\"objects\":{\"k8s/ConfigMap/default/another_long_config_map_name_abcdefghijkl\":"
               "{\"attributes\":{}}}}",
               "object 'k8s/ConfigMap/default/another_long_config_map_name_abcdefghijkl' needs");
  expect_error(HEAD "\"objects\":{\"k8s/ConfigMap/default/x_long_enough_to_leave_the_small_bins_00\":42}}",
               "object 'k8s/ConfigMap/default/x_long_enough_to_leave_the_small_bins_00' needs");
}

static void test_header_errors(void **state) {
  (void)state;
  expect_error("", "snapshot 'snap.json': the file is empty");
  expect_error("{\"format\":\"x\"}", "not a failover-audit snapshot");
  expect_error(HEAD "\"objects\":{", "invalid JSON near byte");
  expect_error(HEAD "\"objects\":[]}", "needs \"side\"");
}

static void test_valid(void **state) {
  static const char doc[] = HEAD "\"objects\":{\"terraform/a.b\":{\"source\":\"terraform_state\",\"attributes\":{}}}}";
  fo_audit_snapshot *s = NULL;
  (void)state;
  assert_int_equal(fo_audit_snapshot_parse(&s, doc, sizeof doc - 1, "snap.json"), 0);
  assert_string_equal(fo_audit_snapshot_get(s, "side"), "primary");
  fo_audit_snapshot_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_object_errors_name_the_key),
      cmocka_unit_test(test_header_errors),
      cmocka_unit_test(test_valid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
