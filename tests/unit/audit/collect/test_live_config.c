/* unit.audit.live_config: the live sources' config keys (parsed by each collector, errors with file:line:col),
 * which sides get an AWS client (only those with an enabled AWS source), the remote state locations, and the
 * live side checks on hand-made snapshots (backup freshness at its boundary, copies into their own region). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fo_audit_aws.h"
#include "fo_audit_collector.h"
#include "fo_audit_sidecheck.h"
#include "fo_err.h"
#include "fo_aws_client.h"
#include "tfstate_remote.h"

static int parse(fo_audit_config **cfg, const char *yml) {
  return fo_audit_config_parse(cfg, yml, strlen(yml), "c.yml", "/cfg");
}

static void test_keys_and_locations(void **state) {
  static const char yml[] =
      "sides:\n"
      "  primary: {region: us-east-1, eks_cluster: app, backup_plans: 'app-*',\n"
      "            terraform_state_s3: 's3://b/k/t.tfstate', aws_max_attempts: '2'}\n"
      "  secondary: {region: us-east-2, route53_record: app.example.com,\n"
      "              terraform_state_gitlab: 'https://gl/api/v4/projects/1/terraform/state/s'}\n";
  fo_audit_config *cfg = NULL;
  fo_audit_collect_ctx ctx;
  (void)state;
  assert_int_equal(parse(&cfg, yml), 0);
  fo_audit_collect_ctx_for(&ctx, cfg, 0, NULL, &fo_audit_collector_eks, NULL);
  assert_string_equal(fo_audit_collector_eks.location(&ctx), "app");
  assert_int_equal(fo_audit_collector_eks.live(&ctx), FO_AUDIT_LIVE_AWS);
  fo_audit_collect_ctx_for(&ctx, cfg, 0, NULL, &fo_audit_collector_backup, NULL);
  assert_string_equal(fo_audit_collector_backup.location(&ctx), "app-*");
  fo_audit_collect_ctx_for(&ctx, cfg, 1, NULL, &fo_audit_collector_eks, NULL);
  assert_null(fo_audit_collector_eks.location(&ctx));
  /* the state collector: S3 is an AWS read, GitLab a network read, a file neither */
  fo_audit_collect_ctx_for(&ctx, cfg, 0, NULL, &fo_audit_collector_tfstate, NULL);
  assert_string_equal(fo_audit_collector_tfstate.location(&ctx), "s3://b/k/t.tfstate");
  assert_int_equal(fo_audit_collector_tfstate.live(&ctx), FO_AUDIT_LIVE_AWS);
  fo_audit_collect_ctx_for(&ctx, cfg, 1, NULL, &fo_audit_collector_tfstate, NULL);
  assert_int_equal(fo_audit_collector_tfstate.live(&ctx), FO_AUDIT_LIVE_NET);
  fo_audit_config_free(cfg);
}

static void test_key_errors(void **state) {
  static const struct {
    const char *yml, *msg;
  } bad[] = {
      {"sides:\n  primary: {region: a, aws_max_attempts: '99'}\n  secondary: {region: b}\n",
       "c.yml:2:42: aws_max_attempts must be a number from 1 to 26"},
      {"sides:\n  primary: {region: a, aws_endpoint_url: ftp://x}\n  secondary: {region: b}\n",
       "c.yml:2:42: aws_endpoint_url must be an http:// or https:// URL"},
      {"sides:\n  primary: {region: a, backup_rpo_hours: soon}\n  secondary: {region: b}\n",
       "c.yml:2:42: backup_rpo_hours must be a number of hours from 0 to 8784, not 'soon'"},
      {"sides:\n  primary: {region: a, terraform_state_s3: 's3://bucket'}\n  secondary: {region: b}\n",
       "c.yml:2:44: 's3://bucket' is not an S3 state location (want s3://<bucket>/<key>)"},
      {"sides:\n  primary: {region: a, terraform_state: f, terraform_state_s3: 's3://b/k'}\n"
       "  secondary: {region: b}\n",
       "c.yml:2:64: terraform_state_s3: give only one of terraform_state, terraform_state_s3 and "
       "terraform_state_gitlab per side"},
      {"sides:\n  primary: {region: a, terraform_state_gitlab: gl.example.com/x}\n  secondary: {region: b}\n",
       "c.yml:2:48: terraform_state_gitlab must be an http(s) URL (<api>/projects/<id>/terraform/state/<name>)"},
      {"sides:\n  primary: {region: a, terraform_state_gitlab: 'https://${CI_JOB_TOKEN}@gl/x'}\n"
       "  secondary: {region: b}\n",
       "c.yml:2:48: terraform_state_gitlab: only ${CI_API_V4_URL}, ${CI_SERVER_URL} and ${CI_PROJECT_ID} are "
       "expanded"},
      {"sides:\n  primary: {region: a, terraform_state_gitlab: '${CI_API_V4_URL}/projects/1/terraform/state/a'}\n"
       "  secondary: {region: b}\n",
       "c.yml:2:48: terraform_state_gitlab: ${CI_API_V4_URL} is not set in the environment"},
      {"sides:\n  primary: {region: a, eks_cluster: [x]}\n  secondary: {region: b}\n",
       "c.yml:2:37: 'eks_cluster' must be a string"},
  };
  (void)state;
  unsetenv("CI_API_V4_URL");
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    fo_audit_config *cfg = NULL;
    assert_int_equal(parse(&cfg, bad[i].yml), FO_EINVAL);
    assert_string_equal(fo_err_last(), bad[i].msg);
  }
}

/* A client only for a side with an enabled AWS source (building one makes no call: credentials are lazy). */
static void test_clients_per_side(void **state) {
  static const char yml[] =
      "sides:\n  primary: {region: us-east-1, terraform_state: s.tfstate}\n"
      "  secondary: {region: us-east-2, eks_cluster: app, aws_endpoint_url: 'http://127.0.0.1:9'}\n";
  static const char off[] =
      "sides:\n  primary: {region: us-east-1, terraform_state: s.tfstate}\n"
      "  secondary: {region: us-east-2, eks_cluster: app}\nchecks:\n  terraform_state: {}\n";
  fo_audit_config *cfg = NULL;
  fo_audit_env env = {0};
  (void)state;
  assert_int_equal(parse(&cfg, yml), 0);
  assert_int_equal(fo_audit_aws_env_open(&env, cfg), 0);
  assert_null(env.aws[0]);
  assert_non_null(env.aws[1]);
  assert_string_equal(fo_aws_client_region(env.aws[1]), "us-east-2");
  assert_string_equal(fo_audit_aws_endpoint(cfg, 1), "http://127.0.0.1:9");
  fo_audit_aws_env_close(&env, NULL);
  assert_null(env.aws[1]);
  fo_audit_config_free(cfg);
  /* the eks check is not listed: no client */
  assert_int_equal(parse(&cfg, off), 0);
  assert_int_equal(fo_audit_aws_env_open(&env, cfg), 0);
  assert_null(env.aws[0]);
  assert_null(env.aws[1]);
  fo_audit_config_free(cfg);
}

static void test_s3_url(void **state) {
  char *b = NULL, *k = NULL;
  (void)state;
  assert_int_equal(fo_audit_s3_url_parse("s3://bkt/a/b/c.tfstate", &b, &k), 0);
  assert_string_equal(b, "bkt");
  assert_string_equal(k, "a/b/c.tfstate");
  free(b);
  free(k);
  assert_int_equal(fo_audit_s3_url_parse("s3:///k", &b, &k), FO_EINVAL);
  assert_int_equal(fo_audit_s3_url_parse("s3://b/", &b, &k), FO_EINVAL);
  assert_int_equal(fo_audit_s3_url_parse("https://b/k", &b, &k), FO_EINVAL);
  assert_null(b);
}

/* A snapshot holding the aws_backup objects given as JSON ({"key": object, ...}). */
static fo_audit_snapshot *snap(const char *side, const char *objects) {
  fo_audit_snapshot *s = NULL;
  cJSON *objs = cJSON_Parse(objects);
  assert_non_null(objs);
  assert_int_equal(fo_audit_snapshot_new(&s, side, NULL, NULL, NULL), 0);
  cJSON_ReplaceItemInObjectCaseSensitive(s->doc, "objects", objs);
  s->objects = objs;
  assert_int_equal(fo_audit_snapshot_add_source(s, "aws_backup", "ok", "x", NULL), 0);
  return s;
}

static const fo_audit_sidecheck *backup_check(const char *name) {
  for (size_t i = 0; i < fo_audit_collector_backup.nsidechecks; i++)
    if (!strcmp(fo_audit_collector_backup.sidechecks[i].name, name))
      return &fo_audit_collector_backup.sidechecks[i];
  fail();
  return NULL;
}

static void test_backup_sidechecks(void **state) {
  fo_audit_snapshot *p = snap("primary",
                              "{\"backup/freshness\": {\"kind\": \"aws_backup_freshness\", \"name\": "
                              "\"main\", \"what\": \"recovery point\", \"rpo_hours\": 26, \"age_hours\": 26},"
                              "\"backup/plan/x\": {\"kind\": \"aws_backup_plan\", \"copies\": ["
                              "{\"rule\": \"daily\", \"destination\": \"arn:d\", \"same_region\": false}]}}");
  fo_audit_snapshot *s = snap("secondary",
                              "{\"backup/freshness\": {\"kind\": \"aws_backup_freshness\", \"name\": "
                              "\"dr\", \"what\": \"copy\", \"rpo_hours\": 26, \"age_hours\": null},"
                              "\"backup/plan/x\": {\"kind\": \"aws_backup_plan\", \"copies\": ["
                              "{\"rule\": \"daily\", \"destination\": \"arn:s\", \"same_region\": true}]}}");
  const fo_audit_snapshot *both[2] = {p, s};
  fo_audit_result *r = fo_audit_result_new();
  (void)state;
  assert_non_null(r);
  /* exactly the RPO is still fresh; no copy at all is stale */
  assert_int_equal(backup_check("aws_backup_freshness")->run(r, both, "aws_backup_freshness"), 0);
  assert_int_equal(r->nfindings, 1);
  assert_string_equal(r->findings[0].rule_id, "backup.copy-stale");
  assert_string_equal(r->findings[0].message, "no completed copy in vault dr (RPO 26 hours)");
  assert_int_equal(backup_check("aws_backup_copies")->run(r, both, "aws_backup_copies"), 0);
  assert_int_equal(r->nfindings, 2);
  assert_string_equal(r->findings[1].rule_id, "backup.copy-same-region");
  assert_int_equal(r->findings[1].side, FO_AUDIT_SIDE_SECONDARY);
  fo_audit_result_free(r);
  /* an hour past the RPO: stale, with the age */
  cJSON_SetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(p->objects, "backup/freshness"), "age_hours"), 27.04);
  assert_non_null(r = fo_audit_result_new());
  assert_int_equal(backup_check("aws_backup_freshness")->run(r, both, "aws_backup_freshness"), 0);
  assert_int_equal(r->nfindings, 2);
  assert_string_equal(r->findings[0].message, "newest recovery point in vault main is 27.0 hours old (RPO 26 hours)");
  fo_audit_result_free(r);
  fo_audit_snapshot_free(p);
  fo_audit_snapshot_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_keys_and_locations), cmocka_unit_test(test_key_errors),
      cmocka_unit_test(test_clients_per_side),   cmocka_unit_test(test_s3_url),
      cmocka_unit_test(test_backup_sidechecks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
