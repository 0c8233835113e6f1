/* failover_weight_pair's plan-time rules through ValidateResourceConfig: each
 * refused configuration names its attribute path; a good one passes. (The
 * AWS side runs end to end against moto: tests/e2e/weight_pair.sh.) */
#include <stdio.h>
#include <string.h>

#include "fo_resources.h"
#include "fo_rpc_handlers.h"
#include "fw_test.h"

static fo_cty_type *T;

static int setup(void **state) {
  (void)state;
  T = fo_schema_block_type(&fo_weight_pair_resource.schema->block);
  return T ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  fo_cty_type_unref(T);
  return 0;
}

#define SIDE(id, extra) "{\"set_identifier\":\"" id "\"" extra "}"
#define RECORDS(ttl)    ",\"records\":[\"10.0.0.1\"],\"ttl\":" ttl
#define ALIAS           ",\"alias\":{\"name\":\"lb.example.net\",\"zone_id\":\"Z1\"}"

/* The diagnostics of validating a config built from its parts. */
static Tfplugin6__ValidateResourceConfig__Response *validate(const char *primary, const char *secondary,
                                                             const char *weights) {
  Tfplugin6__ValidateResourceConfig__Request rq = TFPLUGIN6__VALIDATE_RESOURCE_CONFIG__REQUEST__INIT;
  Tfplugin6__ValidateResourceConfig__Response *rs;
  fo_arena a = FO_ARENA_INIT;
  char json[2048];
  fo_cty_value *config;
  snprintf(json, sizeof(json),
           "{\"zone_id\":\"Z0123\",\"name\":\"app.example.com\",\"type\":\"A\",\"active\":\"primary\"%s,"
           "\"primary\":%s,\"secondary\":%s}",
           weights, primary, secondary);
  config = fw_value(T, json);
  rq.type_name = (char *)"failover_weight_pair";
  rq.config = fw_dv(&a, config, T);
  rs = (Tfplugin6__ValidateResourceConfig__Response *)fw_call(
      fo_rpc_validate_resource_config, &rq.base, &tfplugin6__validate_resource_config__response__descriptor, FO_RPC_OK);
  fo_cty_value_unref(config);
  fo_arena_dispose(&a);
  return rs;
}

static void expect_one(Tfplugin6__ValidateResourceConfig__Response *rs, const char *path, const char *needle) {
  if (rs->n_diagnostics != 1 || fw_find_diag(rs->diagnostics, rs->n_diagnostics, path, needle) < 0) {
    for (size_t i = 0; i < rs->n_diagnostics; i++)
      print_message("diag: %s: %s\n", rs->diagnostics[i]->summary, rs->diagnostics[i]->detail);
    fail_msg("expected one diagnostic at %s containing '%s', got %zu", path ? path : "(none)", needle,
             rs->n_diagnostics);
  }
  protobuf_c_message_free_unpacked(&rs->base, NULL);
}

static void test_good_configs_pass(void **state) {
  Tfplugin6__ValidateResourceConfig__Response *rs;
  (void)state;
  rs = validate(SIDE("use1", RECORDS("60")), SIDE("use2", RECORDS("60")), "");
  assert_int_equal(rs->n_diagnostics, 0);
  protobuf_c_message_free_unpacked(&rs->base, NULL);
  rs = validate(SIDE("use1", ALIAS), SIDE("use2", ALIAS), ",\"active_weight\":0,\"standby_weight\":10");
  assert_int_equal(rs->n_diagnostics, 0);
  protobuf_c_message_free_unpacked(&rs->base, NULL);
}

static void test_both_weights_zero(void **state) {
  (void)state;
  expect_one(
      validate(SIDE("use1", RECORDS("60")), SIDE("use2", RECORDS("60")), ",\"active_weight\":0,\"standby_weight\":0"),
      "active_weight", "splits traffic evenly");
  /* active_weight left at its default (255) is never zero */
  {
    Tfplugin6__ValidateResourceConfig__Response *rs =
        validate(SIDE("use1", RECORDS("60")), SIDE("use2", RECORDS("60")), ",\"standby_weight\":0");
    assert_int_equal(rs->n_diagnostics, 0);
    protobuf_c_message_free_unpacked(&rs->base, NULL);
  }
}

static void test_ttl_rules(void **state) {
  (void)state;
  expect_one(validate(SIDE("use1", RECORDS("60")), SIDE("use2", RECORDS("300")), ""), "secondary.ttl",
             "one TTL for all records");
  expect_one(validate(SIDE("use1", ",\"records\":[\"10.0.0.1\"]"), SIDE("use2", ALIAS), ""), "primary.ttl",
             "need a ttl");
  expect_one(validate(SIDE("use1", ALIAS ",\"ttl\":60"), SIDE("use2", ALIAS), ""), "primary.ttl", "alias");
}

static void test_records_xor_alias(void **state) {
  (void)state;
  expect_one(validate(SIDE("use1", RECORDS("60") ALIAS), SIDE("use2", RECORDS("60")), ""), "primary.alias", "not both");
  expect_one(validate(SIDE("use1", RECORDS("60")), SIDE("use2", ""), ""), "secondary", "either records");
}

static void test_set_identifiers_differ(void **state) {
  (void)state;
  expect_one(validate(SIDE("same", RECORDS("60")), SIDE("same", RECORDS("60")), ""), "secondary.set_identifier",
             "\"same\"");
}

static void test_weight_range(void **state) {
  (void)state;
  expect_one(validate(SIDE("use1", RECORDS("60")), SIDE("use2", RECORDS("60")), ",\"standby_weight\":256"),
             "standby_weight", "0 to 255");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good_configs_pass),
      cmocka_unit_test(test_both_weights_zero),
      cmocka_unit_test(test_ttl_rules),
      cmocka_unit_test(test_records_xor_alias),
      cmocka_unit_test(test_set_identifiers_differ),
      cmocka_unit_test(test_weight_range),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
