/* failover_backup_replication_plan pieces that need no AWS: validation with
 * attribute paths, the vault ARN parser, the plan document (both lifecycles
 * always sent) and reading GetBackupPlan/GetBackupSelection answers (drift). */
#include <stdio.h>
#include <string.h>

#include "backup_plan.h"
#include "fo_aws_json.h"
#include "fw_test.h"

static fo_cty_type *T;

static int setup(void **state) {
  (void)state;
  T = fo_schema_block_type(&fo_backup_plan_resource.schema->block);
  return T ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  fo_cty_type_unref(T);
  return 0;
}

#define BASE                                                                                                   \
  "\"name\":\"mariadb-dr\",\"source_vault_name\":\"primary\",\"retention_days\":7,\"copy_retention_days\":14," \
  "\"iam_role_arn\":\"arn:aws:iam::123456789012:role/backup\",\"schedule\":\"cron(0 5 ? * * *)\","             \
  "\"start_window_minutes\":480,\"completion_window_minutes\":10080,\"max_copy_age_hours\":26"
#define DEST "arn:aws:backup:us-east-2:123456789012:backup-vault:secondary"
#define DB   "arn:aws:rds:us-east-1:123456789012:db:mariadb"

static fo_diags validate(const char *json) {
  return fw_validate(&fo_backup_plan_resource, T, json);
}

static void test_validate_paths(void **state) {
  fo_diags d;
  (void)state;
  d = validate("{" BASE ",\"destination_vault_arn\":\"" DEST "\",\"resources\":[\"" DB "\"]}");
  assert_int_equal(d.n, 0);
  fo_diags_dispose(&d);

  d = validate(
      "{\"name\":\"bad name!\",\"source_vault_name\":\"primary\",\"retention_days\":0,"
      "\"copy_retention_days\":14,\"iam_role_arn\":\"arn:aws:iam::123456789012:role/backup\","
      "\"schedule\":\"daily\",\"start_window_minutes\":120,\"completion_window_minutes\":150,"
      "\"destination_vault_arn\":\"arn:aws:s3:::bucket\",\"resources\":[\"mariadb\"],"
      "\"destination_kms_key_arn\":\"alias/aws/backup\"}");
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "name") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "retention_days") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "schedule") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "completion_window_minutes") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "destination_vault_arn") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "resources") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "destination_kms_key_arn") >= 0);
  fo_diags_dispose(&d);

  d = validate("{" BASE ",\"destination_vault_arn\":\"" DEST "\",\"resources\":[]}");
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "resources") >= 0);
  fo_diags_dispose(&d);
}

static void test_vault_arn(void **state) {
  char region[64], vault[64];
  (void)state;
  assert_int_equal(fo_bp_parse_vault_arn(DEST, region, sizeof(region), vault, sizeof(vault)), 0);
  assert_string_equal(region, "us-east-2");
  assert_string_equal(vault, "secondary");
  assert_int_equal(fo_bp_parse_vault_arn("arn:aws-us-gov:backup:us-gov-west-1:123456789012:backup-vault:v", region,
                                         sizeof(region), vault, sizeof(vault)),
                   0);
  assert_string_equal(region, "us-gov-west-1");
  static const char *const bad[] = {
      "",
      "arn:aws:backup:us-east-2:123456789012:backup-vault:",
      "arn:aws:backup::123456789012:backup-vault:v",
      "arn:aws:backup:us-east-2::backup-vault:v",
      "arn:aws:backup:us-east-2:123456789012:backup-plan:v",
      "arn:aws:kms:us-east-2:123456789012:backup-vault:v",
      "arn:aws:backup:us-east-2:123456789012:backup-vault:v:extra",
      "arn:aws:backup:us-east-2",
      "secondary",
      NULL,
  };
  for (size_t i = 0; bad[i]; i++)
    assert_int_equal(fo_bp_parse_vault_arn(bad[i], region, sizeof(region), vault, sizeof(vault)), -1);
  /* a name that does not fit the caller's buffer is refused, not cut */
  assert_int_equal(fo_bp_parse_vault_arn(DEST, region, sizeof(region), vault, 4), -1);
}

static void test_plan_doc_lifecycles(void **state) {
  fo_cty_value *v = fw_value(T, "{" BASE ",\"destination_vault_arn\":\"" DEST "\",\"resources\":[\"" DB "\"]}");
  cJSON *doc = fo_bp_plan_doc(v), *sel = fo_bp_selection_doc(v);
  const cJSON *rule;
  (void)state;
  assert_non_null(doc);
  rule = cJSON_GetArrayItem(fo_aws_json_get(doc, "Rules"), 0);
  assert_string_equal(fo_aws_json_str(doc, "BackupPlanName"), "mariadb-dr");
  assert_string_equal(fo_aws_json_str(rule, "RuleName"), FO_BP_RULE_NAME);
  assert_int_equal(fo_aws_json_get(rule, "Lifecycle/DeleteAfterDays")->valueint, 7);
  rule = cJSON_GetArrayItem(fo_aws_json_get(rule, "CopyActions"), 0);
  assert_string_equal(fo_aws_json_str(rule, "DestinationBackupVaultArn"), DEST);
  assert_int_equal(fo_aws_json_get(rule, "Lifecycle/DeleteAfterDays")->valueint, 14);
  assert_string_equal(cJSON_GetArrayItem(fo_aws_json_get(sel, "Resources"), 0)->valuestring, DB);
  cJSON_Delete(doc);
  cJSON_Delete(sel);
  fo_cty_value_unref(v);
}

/* A copy action whose lifecycle was removed outside Terraform reads as null
 * (drift the next plan repairs); other fields are read back as AWS holds them. */
static void test_read_answers(void **state) {
  static const char plan[] =
      "{\"BackupPlanId\":\"p1\",\"BackupPlanArn\":\"arn:aws:backup:us-east-1:1:backup-plan:p1\",\"VersionId\":\"v2\","
      "\"BackupPlan\":{\"BackupPlanName\":\"renamed\",\"Rules\":[{\"RuleName\":\"other\"},{\"RuleName\":"
      "\"failover-copy\",\"TargetBackupVaultName\":\"primary\",\"ScheduleExpression\":\"cron(0 6 ? * * *)\","
      "\"StartWindowMinutes\":60,\"CompletionWindowMinutes\":1e300,\"Lifecycle\":{\"DeleteAfterDays\":9},"
      "\"CopyActions\":[{\"DestinationBackupVaultArn\":\"" DEST "\"}]}]}}";
  static const char sel[] = "{\"BackupSelection\":{\"IamRoleArn\":\"arn:aws:iam::1:role/r\",\"Resources\":[\"" DB
                            "\",\"" DB "\",\"arn:aws:rds:us-east-1:1:db:b\",3]}}";
  fo_cty_value *v = fw_value(T, "{" BASE ",\"destination_vault_arn\":\"" DEST "\",\"resources\":[\"" DB "\"]}");
  cJSON *p = NULL, *s = NULL;
  (void)state;
  assert_int_equal(fo_aws_json_parse(&p, plan, strlen(plan)), 0);
  assert_int_equal(fo_aws_json_parse(&s, sel, strlen(sel)), 0);
  assert_int_equal(fo_bp_state_from_plan(&v, p), 0);
  assert_string_equal(fw_str(v, "name"), "renamed");
  assert_string_equal(fw_str(v, "schedule"), "cron(0 6 ? * * *)");
  assert_string_equal(fw_str(v, "version_id"), "v2");
  assert_int_equal(fo_bp_int(v, "retention_days", -1), 9);
  assert_int_equal(fo_bp_int(v, "start_window_minutes", -1), 60);
  assert_false(fo_bp_has(v, "completion_window_minutes")); /* out of range: null */
  assert_false(fo_bp_has(v, "copy_retention_days"));       /* no copy lifecycle: null */
  assert_int_equal(fo_bp_state_from_selection(&v, s), 0);
  assert_int_equal(fo_cty_length(fo_cty_get_attr(v, "resources")), 2); /* duplicates and non-strings dropped */
  assert_string_equal(fw_str(v, "iam_role_arn"), "arn:aws:iam::1:role/r");
  cJSON_Delete(p);
  cJSON_Delete(s);
  fo_cty_value_unref(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_validate_paths),
      cmocka_unit_test(test_vault_arn),
      cmocka_unit_test(test_plan_doc_lifecycles),
      cmocka_unit_test(test_read_answers),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
