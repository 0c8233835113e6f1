/* The provider block: validation diagnostics with attribute paths, and the
 * stored configuration ConfigureProvider leaves behind. */
#include <string.h>

#include "fo_log.h"
#include "fo_provider.h"
#include "fo_provider_config.h"
#include "fo_resources.h"
#include "fo_rpc_service.h"
#include "fo_validators.h"
#include "fw_test.h"

static fo_cty_type *T;

static int setup(void **state) {
  (void)state;
  T = fo_schema_block_type(&fo_provider_schema()->block);
  return T ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  fo_cty_type_unref(T);
  fo_rpc_provider_install(NULL);
  return 0;
}

static void validate(const char *json, fo_diags *d) {
  fo_cty_value *v = fw_value(T, json);
  fo_provider_config_validate(v, d);
  fo_cty_value_unref(v);
}

static void test_valid_config(void **state) {
  fo_diags d = FO_DIAGS_INIT;
  (void)state;
  validate(
      "{\"primary_region\":\"us-east-1\",\"secondary_region\":\"us-west-2\",\"profile\":\"dr\","
      "\"max_retries\":5,\"assume_role\":{\"role_arn\":\"arn:aws:iam::123456789012:role/failover\","
      "\"session_name\":\"tf-dr\",\"external_id\":\"xyz-123\"},"
      "\"endpoints\":{\"route53\":\"http://localhost:5000\",\"eks\":\"https://eks.example:8443/\"}}",
      &d);
  if (d.n)
    fail_msg("unexpected diagnostic: %s: %s", d.items[0].summary, d.items[0].detail);
  validate("{}", &d); /* everything optional: defaults */
  assert_int_equal(d.n, 0);
  fo_diags_dispose(&d);
}

static void test_invalid_values_name_their_paths(void **state) {
  fo_diags d = FO_DIAGS_INIT;
  long i;
  (void)state;
  validate(
      "{\"primary_region\":\"us-east\",\"secondary_region\":\"mars-1\",\"max_retries\":30,"
      "\"assume_role\":{\"role_arn\":\"arn:aws:iam::12:user/x\",\"session_name\":\"a b\"},"
      "\"endpoints\":{\"route53\":\"localhost:5000\",\"s3\":\"ftp://x\"}}",
      &d);
  i = fo_diags_find(&d, FO_DIAG_ERROR, "primary_region");
  assert_true(i >= 0);
  assert_non_null(strstr(d.items[i].detail, "'us-east'"));
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "secondary_region") >= 0);
  i = fo_diags_find(&d, FO_DIAG_ERROR, "max_retries");
  assert_true(i >= 0);
  assert_non_null(strstr(d.items[i].detail, "0 to 25"));
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "assume_role.role_arn") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "assume_role.session_name") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "endpoints.route53") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "endpoints.s3") >= 0);
  assert_int_equal(d.n, 7);
  fo_diags_dispose(&d);
}

static void test_regions_must_differ(void **state) {
  fo_diags d = FO_DIAGS_INIT;
  (void)state;
  validate("{\"primary_region\":\"eu-west-1\",\"secondary_region\":\"eu-west-1\"}", &d);
  assert_int_equal(d.n, 1);
  assert_int_equal(fo_diags_find(&d, FO_DIAG_ERROR, "secondary_region"), 0);
  fo_diags_dispose(&d);
  validate("{\"primary_region\":\"us-east-2\"}", &d); /* the default secondary is us-east-2 */
  assert_int_equal(d.n, 1);
  fo_diags_dispose(&d);
}

static void test_unknown_values_are_not_errors(void **state) {
  fo_cty_value *v = fw_value(T, "{\"primary_region\":\"us-east-1\"}");
  fo_cty_value *u = fo_cty_unknown(fo_cty_type_attr_type(T, (size_t)fo_cty_type_attr_index(T, "secondary_region")));
  fo_cty_value *w = fo_cty_object_with(v, "secondary_region", u);
  fo_diags d = FO_DIAGS_INIT;
  (void)state;
  assert_non_null(w);
  fo_provider_config_validate(w, &d);
  assert_int_equal(d.n, 0);
  fo_cty_value_unref(v);
  fo_cty_value_unref(w);
}

static void test_configure_builds_an_instance(void **state) {
  const fo_provider_config *c;
  fo_provider *p = NULL;
  fo_cty_value *v;
  fo_diags d = FO_DIAGS_INIT;
  (void)state;
  /* not configured: the documented defaults */
  assert_string_equal(fo_provider_region(NULL, FO_SIDE_PRIMARY), "us-east-1");
  assert_string_equal(fo_provider_region(NULL, FO_SIDE_SECONDARY), "us-east-2");
  assert_null(fo_provider_aws(NULL, FO_SIDE_PRIMARY));

  v = fw_value(T,
               "{\"primary_region\":\"eu-central-1\",\"secondary_region\":\"eu-west-1\",\"max_retries\":0,"
               "\"assume_role\":{\"role_arn\":\"arn:aws:iam::123456789012:role/r\"},"
               "\"endpoints\":{\"sts\":\"http://127.0.0.1:5000\"}}");
  assert_int_equal(fo_provider_new(&p, v, NULL, &d), 0);
  assert_int_equal(d.n, 0);
  c = fo_provider_cfg(p);
  assert_string_equal(c->primary_region, "eu-central-1");
  assert_string_equal(c->secondary_region, "eu-west-1");
  assert_string_equal(c->role_arn, "arn:aws:iam::123456789012:role/r");
  assert_null(c->session_name);
  assert_string_equal(c->endpoint_sts, "http://127.0.0.1:5000");
  assert_null(c->endpoint_route53);
  assert_int_equal(c->max_retries, 0);
  /* one client per side, in the side's region */
  assert_string_equal(fo_aws_client_region(fo_provider_aws(p, FO_SIDE_PRIMARY)), "eu-central-1");
  assert_string_equal(fo_aws_client_region(fo_provider_aws(p, FO_SIDE_SECONDARY)), "eu-west-1");
  assert_string_equal(fo_provider_region(p, FO_SIDE_SECONDARY), "eu-west-1");
  /* max_retries 0 = one attempt; the endpoint override reaches both clients */
  for (int side = 0; side < 2; side++) {
    const fo_aws_engine *e = fo_aws_client_engine(fo_provider_aws(p, (fo_side)side));
    fo_aws_endpoint ep;
    assert_int_equal(e->retry->max_attempts, 1);
    assert_int_equal(
        fo_aws_endpoint_resolve(&ep, &fo_aws_svc_sts, fo_aws_client_region(fo_provider_aws(p, (fo_side)side)),
                                e->overrides, e->n_overrides, e->env),
        0);
    assert_string_equal(ep.url, "http://127.0.0.1:5000");
  }
  fo_provider_unref(p);
  fo_cty_value_unref(v);

  /* an invalid configuration builds nothing */
  p = NULL;
  v = fw_value(T, "{\"primary_region\":\"nowhere\"}");
  assert_int_not_equal(fo_provider_new(&p, v, NULL, &d), 0);
  assert_null(p);
  assert_true(fo_diags_has_error(&d));
  fo_cty_value_unref(v);
  fo_diags_dispose(&d);
}

/* The environment the clients see in the next test: static keys, counted. */
static int key_lookups;
static const char *creds_env(const char *name) {
  if (strcmp(name, "AWS_ACCESS_KEY_ID") == 0) {
    key_lookups++;
    return "AKIDEXAMPLEFORTESTS";
  }
  if (strcmp(name, "AWS_SECRET_ACCESS_KEY") == 0)
    return "secret-for-tests-only";
  return NULL;
}

static void test_both_sides_share_one_credentials_cache(void **state) {
  fo_provider_opts opts = {.env = creds_env};
  fo_aws_credentials *a = NULL, *b = NULL;
  fo_provider *p = NULL;
  fo_cty_value *v = fw_value(T, "{\"max_retries\":5}");
  fo_diags d = FO_DIAGS_INIT;
  int after_first;
  (void)state;
  key_lookups = 0;
  assert_int_equal(fo_provider_new(&p, v, &opts, &d), 0);
  assert_int_equal(key_lookups, 0); /* lazily: nothing resolved while configuring */
  assert_int_equal(fo_aws_client_engine(fo_provider_aws(p, FO_SIDE_SECONDARY))->retry->max_attempts, 6);
  assert_int_equal(fo_aws_client_credentials(&a, fo_provider_aws(p, FO_SIDE_PRIMARY), NULL), 0);
  after_first = key_lookups;
  assert_true(after_first > 0);
  /* the secondary side gets the same credentials from the same cache: no second lookup */
  assert_int_equal(fo_aws_client_credentials(&b, fo_provider_aws(p, FO_SIDE_SECONDARY), NULL), 0);
  assert_int_equal(key_lookups, after_first);
  assert_string_equal(a->access_key_id, b->access_key_id);
  fo_aws_credentials_free(a);
  fo_aws_credentials_free(b);
  fo_provider_unref(p);
  fo_cty_value_unref(v);
  fo_diags_dispose(&d);
}

static void test_sides(void **state) {
  fo_side s = FO_SIDE_PRIMARY;
  (void)state;
  assert_int_equal(fo_side_parse("secondary", &s), 0);
  assert_int_equal(s, FO_SIDE_SECONDARY);
  assert_string_equal(fo_side_name(s), "secondary");
  assert_int_equal(fo_side_parse("Primary", &s), FO_EINVAL);
  assert_int_equal(fo_side_parse(NULL, &s), FO_EINVAL);
}

static void test_predicates(void **state) {
  int64_t s = 0;
  (void)state;
  assert_true(fo_is_region_name("us-east-1"));
  assert_true(fo_is_region_name("us-gov-west-1"));
  assert_true(fo_is_region_name("ap-southeast-4"));
  assert_true(fo_is_region_name("eu-central-2"));
  assert_false(fo_is_region_name("us-east-0"));
  assert_false(fo_is_region_name("us-east-1a"));
  assert_false(fo_is_region_name("US-EAST-1"));
  assert_false(fo_is_region_name("us-up-1"));
  assert_false(fo_is_region_name(""));
  assert_true(fo_is_url("https://route53.amazonaws.com"));
  assert_true(fo_is_url("http://[::1]:5000/x"));
  assert_false(fo_is_url("http://"));
  assert_false(fo_is_url("http://a b"));
  assert_false(fo_is_url("http://host:123456"));
  assert_int_equal(fo_parse_duration("1h30m", &s), 0);
  assert_int_equal(s, 5400);
  assert_int_not_equal(fo_parse_duration("30", &s), 0);
  assert_int_not_equal(fo_parse_duration("m", &s), 0);
}

static void test_external_id_is_redacted_from_validation_on(void **state) {
  char line[] = "assume role with external id ext-4711-sekrit now";
  fo_diags d = FO_DIAGS_INIT;
  (void)state;
  /* ValidateProviderConfig comes before ConfigureProvider: the secret must
   * be known to the redactor from the first time the provider sees it */
  validate(
      "{\"assume_role\":{\"role_arn\":\"arn:aws:iam::123456789012:role/failover\","
      "\"external_id\":\"ext-4711-sekrit\"}}",
      &d);
  assert_int_equal(d.n, 0);
  fo_log_redact(line);
  assert_null(strstr(line, "4711"));
  assert_non_null(strstr(line, "[REDACTED]"));
  fo_diags_dispose(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid_config),
      cmocka_unit_test(test_invalid_values_name_their_paths),
      cmocka_unit_test(test_regions_must_differ),
      cmocka_unit_test(test_unknown_values_are_not_errors),
      cmocka_unit_test(test_configure_builds_an_instance),
      cmocka_unit_test(test_both_sides_share_one_credentials_cache),
      cmocka_unit_test(test_sides),
      cmocka_unit_test(test_predicates),
      cmocka_unit_test(test_external_id_is_redacted_from_validation_on),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
