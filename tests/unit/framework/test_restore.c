/* failover_restore pieces that need no AWS: validation with attribute paths,
 * update plans (a completed restore only records changes; a running one is
 * waited for), the DB instance id of an ARN and RFC 3339 times. */
#include <stdio.h>
#include <string.h>

#include "fo_resources.h"
#include "fw_test.h"
#include "restore.h"

static fo_cty_type *T;

static int setup(void **state) {
  (void)state;
  T = fo_schema_block_type(&fo_restore_resource.schema->block);
  return T ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  fo_cty_type_unref(T);
  return 0;
}

#define INPUTS                                                                                               \
  "\"region\":\"secondary\",\"vault_name\":\"dr\",\"source_resource_arn\":\"arn:aws:rds:us-east-1:1:db:m\"," \
  "\"iam_role_arn\":\"arn:aws:iam::123456789012:role/r\",\"delete_on_destroy\":%s"

static fo_diags validate(const char *json) {
  return fw_validate(&fo_restore_resource, T, json);
}

static void test_validate_paths(void **state) {
  fo_diags d;
  (void)state;
  d = validate(
      "{\"region\":\"tertiary\",\"vault_name\":\"dr\",\"source_resource_arn\":\"mariadb-but-long-enough\","
      "\"iam_role_arn\":\"role\",\"recovery_point_arn\":\"arn:aws:backup:too:short\","
      "\"metadata_overrides\":{\"\":\"x\"}}");
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "region") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "source_resource_arn") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "iam_role_arn") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "recovery_point_arn") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "metadata_overrides") >= 0);
  fo_diags_dispose(&d);

  d = validate(
      "{\"vault_name\":\"dr\",\"source_resource_arn\":\"arn:aws:dynamodb:us-east-1:1:table/t\","
      "\"iam_role_arn\":\"arn:aws:iam::123456789012:role/r\"}");
  assert_false(fo_diags_has_error(&d));
  assert_true(fo_diags_find(&d, FO_DIAG_WARNING, "source_resource_arn") >= 0); /* not RDS: no endpoint */
  fo_diags_dispose(&d);
}

/* modify_plan of an update: planned = config + the prior's computed values. */
static fo_cty_value *plan_update(const char *prior_json, const char *config_json) {
  fo_diags d = FO_DIAGS_INIT;
  fo_call c = {.diags = &d};
  fo_cty_value *prior = fw_value(T, prior_json), *cfg = fw_value(T, config_json), *v = fo_cty_value_ref(cfg);
  static const char *const computed[] = {"id",
                                         "restore_job_id",
                                         "status",
                                         "recovery_point_arn",
                                         "data_as_of",
                                         "restored_instance_identifier",
                                         "restored_instance_arn",
                                         "endpoint",
                                         "port",
                                         "started_at",
                                         "finished_at"};
  for (size_t i = 0; i < FO_COUNT(computed); i++)
    assert_int_equal(fo_object_set(&v, computed[i], fo_cty_value_ref(fo_cty_get_attr(prior, computed[i]))), 0);
  assert_int_equal(fo_restore_resource.modify_plan(&c, prior, cfg, &v), 0);
  assert_false(fo_diags_has_error(&d));
  fo_diags_dispose(&d);
  fo_cty_value_unref(prior);
  fo_cty_value_unref(cfg);
  return v;
}

static void test_update_plans(void **state) {
  char prior[1200], cfg[600];
  fo_cty_value *v;
  (void)state;
  snprintf(cfg, sizeof(cfg), "{" INPUTS "}", "true");
  /* Completed: delete_on_destroy is recorded, nothing becomes unknown. */
  snprintf(prior, sizeof(prior),
           "{" INPUTS
           ",\"id\":\"J1\",\"restore_job_id\":\"J1\",\"status\":\"COMPLETED\",\"recovery_point_arn\":\"arn:p\","
           "\"data_as_of\":\"2026-12-01T00:00:00Z\",\"restored_instance_identifier\":\"m-dr\","
           "\"restored_instance_arn\":\"arn:aws:rds:us-east-2:1:db:m-dr\",\"endpoint\":\"m-dr.x\",\"port\":3306,"
           "\"started_at\":\"2026-12-01T01:00:00Z\",\"finished_at\":\"2026-12-01T01:30:00Z\"}",
           "false");
  v = plan_update(prior, cfg);
  assert_true(fo_cty_is_wholly_known(v));
  assert_string_equal(fw_str(v, "endpoint"), "m-dr.x");
  fo_cty_value_unref(v);
  /* Running (imported while the job ran): status and the instance are waited for. */
  snprintf(prior, sizeof(prior),
           "{" INPUTS
           ",\"id\":\"J2\",\"restore_job_id\":\"J2\",\"status\":\"RUNNING\",\"recovery_point_arn\":\"arn:p\","
           "\"data_as_of\":\"2026-12-01T00:00:00Z\",\"started_at\":\"2026-12-01T01:00:00Z\"}",
           "false");
  v = plan_update(prior, cfg);
  assert_false(fo_cty_is_known(fo_cty_get_attr(v, "status")));
  assert_false(fo_cty_is_known(fo_cty_get_attr(v, "endpoint")));
  assert_string_equal(fw_str(v, "restore_job_id"), "J2");
  assert_string_equal(fw_str(v, "data_as_of"), "2026-12-01T00:00:00Z");
  fo_cty_value_unref(v);
}

static void test_instance_id_and_time(void **state) {
  char id[64], ts[21];
  (void)state;
  fo_restore_instance_id("arn:aws:rds:us-east-2:123456789012:db:mariadb-dr", id, sizeof(id));
  assert_string_equal(id, "mariadb-dr");
  fo_restore_instance_id("arn:aws:rds:us-east-2:123456789012:cluster:c", id, sizeof(id));
  assert_string_equal(id, "");
  fo_restore_instance_id("arn:aws:rds:us-east-2:1:db:a:b", id, sizeof(id));
  assert_string_equal(id, "");
  fo_restore_instance_id("db:x", id, sizeof(id));
  assert_string_equal(id, "");
  fo_restore_instance_id(NULL, id, sizeof(id));
  assert_string_equal(id, "");
  fo_restore_rfc3339(1764720000.75, ts); /* fractions are cut, not rounded */
  assert_string_equal(ts, "2025-12-03T00:00:00Z");
  fo_restore_rfc3339(-1, ts);
  assert_string_equal(ts, "1970-01-01T00:00:00Z");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_validate_paths),
      cmocka_unit_test(test_update_plans),
      cmocka_unit_test(test_instance_id_and_time),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
