/* failover_switch through the RPC handlers: create, no-op, switch, the
 * reason rule, reason-only update, import, read, upgrade. */
#include <string.h>
#include <time.h>

#include "fo_resources.h"
#include "fo_rpc_handlers.h"
#include "fw_test.h"

static fo_cty_type *T;
static fo_clock_virtual vclock; /* starts at 2026-11-18T11:06:40Z; handed to callbacks through the call */

static int setup(void **state) {
  (void)state;
  T = fo_schema_block_type(&fo_switch_resource.schema->block);
  fo_clock_virtual_init(&vclock, 1795000000);
  fo_rpc_set_clock(&vclock.clock);
  return T ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  fo_cty_type_unref(T);
  fo_rpc_set_clock(NULL);
  return 0;
}

/* What Terraform proposes: config values, computed attributes from prior. */
static fo_cty_value *proposed_from(const fo_cty_value *prior, const fo_cty_value *config) {
  fo_cty_value *p, *q;
  if (fo_cty_is_null(prior))
    return fo_cty_value_ref(config);
  p = fo_cty_object_with(prior, "active", fo_cty_value_ref(fo_cty_get_attr(config, "active")));
  q = fo_cty_object_with(p, "reason", fo_cty_value_ref(fo_cty_get_attr(config, "reason")));
  fo_cty_value_unref(p);
  return q;
}

typedef struct plan_result {
  Tfplugin6__PlanResourceChange__Response *rs;
  fo_cty_value *planned; /* NULL when the response has none */
} plan_result;

static plan_result plan(const fo_cty_value *prior, const char *config_json) {
  Tfplugin6__PlanResourceChange__Request rq = TFPLUGIN6__PLAN_RESOURCE_CHANGE__REQUEST__INIT;
  fo_arena a = FO_ARENA_INIT;
  fo_cty_value *config = fw_value(T, config_json), *proposed = proposed_from(prior, config);
  plan_result r = {0};
  rq.type_name = (char *)"failover_switch";
  rq.prior_state = fw_dv(&a, prior, T);
  rq.config = fw_dv(&a, config, T);
  rq.proposed_new_state = fw_dv(&a, proposed, T);
  rq.prior_private.data = (uint8_t *)"p1";
  rq.prior_private.len = 2;
  r.rs = (Tfplugin6__PlanResourceChange__Response *)fw_call(
      fo_rpc_plan_resource_change, &rq.base, &tfplugin6__plan_resource_change__response__descriptor, FO_RPC_OK);
  if (r.rs->planned_state)
    r.planned = fw_decode(T, r.rs->planned_state);
  fo_cty_value_unref(config);
  fo_cty_value_unref(proposed);
  fo_arena_dispose(&a);
  return r;
}

static void plan_dispose(plan_result *r) {
  protobuf_c_message_free_unpacked(&r->rs->base, NULL);
  fo_cty_value_unref(r->planned);
}

static fo_cty_value *apply(const fo_cty_value *prior, const fo_cty_value *planned, const char *config_json) {
  Tfplugin6__ApplyResourceChange__Request rq = TFPLUGIN6__APPLY_RESOURCE_CHANGE__REQUEST__INIT;
  Tfplugin6__ApplyResourceChange__Response *rs;
  fo_arena a = FO_ARENA_INIT;
  fo_cty_value *config = config_json ? fw_value(T, config_json) : NULL, *out;
  rq.type_name = (char *)"failover_switch";
  rq.prior_state = fw_dv(&a, prior, T);
  rq.planned_state = fw_dv(&a, planned, T);
  rq.config = fw_dv(&a, config, T);
  rs = (Tfplugin6__ApplyResourceChange__Response *)fw_call(
      fo_rpc_apply_resource_change, &rq.base, &tfplugin6__apply_resource_change__response__descriptor, FO_RPC_OK);
  if (rs->n_diagnostics)
    fail_msg("apply diagnostic: %s: %s", rs->diagnostics[0]->summary, rs->diagnostics[0]->detail);
  out = fw_decode(T, rs->new_state);
  protobuf_c_message_free_unpacked(&rs->base, NULL);
  fo_cty_value_unref(config);
  fo_arena_dispose(&a);
  return out;
}

static int64_t gen(const fo_cty_value *v) {
  int64_t g = -1;
  assert_int_equal(fo_cty_number_as_int64(fo_cty_get_attr(v, "generation"), &g), 0);
  return g;
}

static fo_cty_value *create_primary(void) {
  fo_cty_value *prior = fo_cty_null(T), *state;
  plan_result p = plan(prior, "{\"active\":\"primary\",\"reason\":\"initial\"}");
  assert_int_equal(p.rs->n_diagnostics, 0);
  state = apply(prior, p.planned, "{\"active\":\"primary\",\"reason\":\"initial\"}");
  plan_dispose(&p);
  fo_cty_value_unref(prior);
  return state;
}

static void test_create(void **state) {
  fo_cty_value *prior = fo_cty_null(T), *created;
  plan_result p = plan(prior, "{\"active\":\"primary\",\"reason\":\"initial\"}");
  (void)state;
  assert_int_equal(p.rs->n_diagnostics, 0);
  assert_int_equal(p.rs->n_requires_replace, 0);
  assert_false(p.rs->legacy_type_system);
  assert_int_equal(p.rs->planned_private.len, 2); /* prior_private echoed */
  assert_false(fo_cty_is_known(fo_cty_get_attr(p.planned, "id")));
  assert_false(fo_cty_is_known(fo_cty_get_attr(p.planned, "switched_at")));
  assert_true(fo_cty_is_known(fo_cty_get_attr(p.planned, "previous")));
  assert_true(fo_cty_is_null(fo_cty_get_attr(p.planned, "previous")));
  assert_int_equal(gen(p.planned), 1);

  created = apply(prior, p.planned, "{\"active\":\"primary\",\"reason\":\"initial\"}");
  assert_true(fo_cty_is_wholly_known(created));
  assert_int_equal(strncmp(fw_str(created, "id"), "fs-", 3), 0);
  assert_int_equal(strlen(fw_str(created, "id")), 19);
  assert_string_equal(fw_str(created, "switched_at"), "2026-11-18T11:06:40Z");
  assert_string_equal(fw_str(created, "active"), "primary");
  assert_true(fo_cty_is_null(fo_cty_get_attr(created, "previous")));
  assert_int_equal(gen(created), 1);
  plan_dispose(&p);
  fo_cty_value_unref(created);
  fo_cty_value_unref(prior);
}

static void test_noop_plan_keeps_everything(void **state) {
  fo_cty_value *s = create_primary();
  plan_result p = plan(s, "{\"active\":\"primary\",\"reason\":\"initial\"}");
  (void)state;
  assert_int_equal(p.rs->n_diagnostics, 0);
  assert_true(fo_cty_value_equal(p.planned, s));
  assert_true(fo_cty_is_wholly_known(p.planned));
  plan_dispose(&p);
  fo_cty_value_unref(s);
}

static void test_switch(void **state) {
  fo_cty_value *s = create_primary(), *switched;
  plan_result p = plan(s, "{\"active\":\"secondary\",\"reason\":\"us-east-1 outage\"}");
  (void)state;
  assert_int_equal(p.rs->n_diagnostics, 0);
  assert_int_equal(p.rs->n_requires_replace, 0); /* in place */
  assert_string_equal(fw_str(p.planned, "id"), fw_str(s, "id"));
  assert_false(fo_cty_is_known(fo_cty_get_attr(p.planned, "switched_at")));
  assert_string_equal(fw_str(p.planned, "previous"), "primary");
  assert_int_equal(gen(p.planned), 2);
  vclock.wall += 3600;
  switched = apply(s, p.planned, "{\"active\":\"secondary\",\"reason\":\"us-east-1 outage\"}");
  vclock.wall -= 3600;
  assert_string_equal(fw_str(switched, "switched_at"), "2026-11-18T12:06:40Z");
  assert_string_equal(fw_str(switched, "previous"), "primary");
  assert_string_equal(fw_str(switched, "active"), "secondary");
  assert_int_equal(gen(switched), 2);
  plan_dispose(&p);
  fo_cty_value_unref(switched);
  fo_cty_value_unref(s);
}

static void test_switch_without_new_reason_is_an_error(void **state) {
  fo_cty_value *s = create_primary();
  plan_result p = plan(s, "{\"active\":\"secondary\",\"reason\":\"initial\"}");
  long i;
  (void)state;
  i = fw_find_diag(p.rs->diagnostics, p.rs->n_diagnostics, "reason", "new reason");
  assert_true(i >= 0);
  assert_int_equal(p.rs->diagnostics[i]->severity, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR);
  assert_null(p.rs->planned_state);
  plan_dispose(&p);
  fo_cty_value_unref(s);
}

static void test_reason_only_update(void **state) {
  fo_cty_value *s = create_primary(), *u;
  plan_result p = plan(s, "{\"active\":\"primary\",\"reason\":\"reworded\"}");
  (void)state;
  assert_int_equal(p.rs->n_diagnostics, 0);
  assert_true(fo_cty_is_wholly_known(p.planned));
  assert_string_equal(fw_str(p.planned, "switched_at"), fw_str(s, "switched_at"));
  assert_int_equal(gen(p.planned), 1);
  vclock.wall += 60;
  u = apply(s, p.planned, "{\"active\":\"primary\",\"reason\":\"reworded\"}");
  vclock.wall -= 60;
  assert_string_equal(fw_str(u, "reason"), "reworded");
  assert_string_equal(fw_str(u, "switched_at"), fw_str(s, "switched_at"));
  plan_dispose(&p);
  fo_cty_value_unref(u);
  fo_cty_value_unref(s);
}

static void test_invalid_active_is_a_validation_error(void **state) {
  Tfplugin6__ValidateResourceConfig__Request rq = TFPLUGIN6__VALIDATE_RESOURCE_CONFIG__REQUEST__INIT;
  Tfplugin6__ValidateResourceConfig__Response *rs;
  fo_arena a = FO_ARENA_INIT;
  fo_cty_value *config = fw_value(T, "{\"active\":\"tertiary\",\"reason\":\"\"}");
  fo_cty_value *good = fw_value(T, "{\"active\":\"secondary\",\"reason\":\"r\"}");
  (void)state;
  /* a valid value (the second of the allowed ones) gives no diagnostics and leaks nothing */
  rq.type_name = (char *)"failover_switch";
  rq.config = fw_dv(&a, good, T);
  rs = (Tfplugin6__ValidateResourceConfig__Response *)fw_call(
      fo_rpc_validate_resource_config, &rq.base, &tfplugin6__validate_resource_config__response__descriptor, FO_RPC_OK);
  assert_int_equal(rs->n_diagnostics, 0);
  protobuf_c_message_free_unpacked(&rs->base, NULL);
  fo_cty_value_unref(good);
  rq.type_name = (char *)"failover_switch";
  rq.config = fw_dv(&a, config, T);
  rs = (Tfplugin6__ValidateResourceConfig__Response *)fw_call(
      fo_rpc_validate_resource_config, &rq.base, &tfplugin6__validate_resource_config__response__descriptor, FO_RPC_OK);
  assert_int_equal(rs->n_diagnostics, 2);
  assert_true(fw_find_diag(rs->diagnostics, rs->n_diagnostics, "active", "\"secondary\"") >= 0);
  assert_true(fw_find_diag(rs->diagnostics, rs->n_diagnostics, "reason", "at least 1") >= 0);
  protobuf_c_message_free_unpacked(&rs->base, NULL);
  fo_cty_value_unref(config);
  fo_arena_dispose(&a);
}

static void test_destroy(void **state) {
  fo_cty_value *s = create_primary(), *gone;
  (void)state;
  gone = apply(s, NULL, NULL);
  assert_true(fo_cty_is_null(gone));
  fo_cty_value_unref(gone);
  fo_cty_value_unref(s);
}

static Tfplugin6__ImportResourceState__Response *import(const char *id) {
  Tfplugin6__ImportResourceState__Request rq = TFPLUGIN6__IMPORT_RESOURCE_STATE__REQUEST__INIT;
  rq.type_name = (char *)"failover_switch";
  rq.id = (char *)id;
  return (Tfplugin6__ImportResourceState__Response *)fw_call(
      fo_rpc_import_resource_state, &rq.base, &tfplugin6__import_resource_state__response__descriptor, FO_RPC_OK);
}

static void test_import(void **state) {
  Tfplugin6__ImportResourceState__Response *rs = import("secondary");
  fo_cty_value *v;
  (void)state;
  assert_int_equal(rs->n_diagnostics, 0);
  assert_int_equal(rs->n_imported_resources, 1);
  assert_string_equal(rs->imported_resources[0]->type_name, "failover_switch");
  v = fw_decode(T, rs->imported_resources[0]->state);
  assert_string_equal(fw_str(v, "active"), "secondary");
  assert_string_equal(fw_str(v, "reason"), "imported");
  assert_string_equal(fw_str(v, "switched_at"), "2026-11-18T11:06:40Z");
  assert_true(fo_cty_is_null(fo_cty_get_attr(v, "previous")));
  assert_int_equal(gen(v), 1);
  fo_cty_value_unref(v);
  protobuf_c_message_free_unpacked(&rs->base, NULL);

  rs = import("standby");
  assert_int_equal(rs->n_imported_resources, 0);
  assert_true(fw_find_diag(rs->diagnostics, rs->n_diagnostics, NULL, "\"primary\" or \"secondary\"") >= 0);
  protobuf_c_message_free_unpacked(&rs->base, NULL);
}

static void test_read_echoes_state_and_private(void **state) {
  Tfplugin6__ReadResource__Request rq = TFPLUGIN6__READ_RESOURCE__REQUEST__INIT;
  Tfplugin6__ReadResource__Response *rs;
  fo_arena a = FO_ARENA_INIT;
  fo_cty_value *s = create_primary(), *v;
  (void)state;
  rq.type_name = (char *)"failover_switch";
  rq.current_state = fw_dv(&a, s, T);
  rq.private_.data = (uint8_t *)"secret-private";
  rq.private_.len = 14;
  rs = (Tfplugin6__ReadResource__Response *)fw_call(fo_rpc_read_resource, &rq.base,
                                                    &tfplugin6__read_resource__response__descriptor, FO_RPC_OK);
  assert_int_equal(rs->n_diagnostics, 0);
  assert_int_equal(rs->private_.len, 14);
  assert_memory_equal(rs->private_.data, "secret-private", 14);
  v = fw_decode(T, rs->new_state);
  assert_true(fo_cty_value_equal(v, s));
  fo_cty_value_unref(v);
  protobuf_c_message_free_unpacked(&rs->base, NULL);
  fo_cty_value_unref(s);
  fo_arena_dispose(&a);
}

static void test_upgrade_drops_unknown_attributes(void **state) {
  Tfplugin6__UpgradeResourceState__Request rq = TFPLUGIN6__UPGRADE_RESOURCE_STATE__REQUEST__INIT;
  Tfplugin6__UpgradeResourceState__Response *rs;
  Tfplugin6__RawState raw = TFPLUGIN6__RAW_STATE__INIT;
  static const char json[] =
      "{\"id\":\"fs-1\",\"active\":\"primary\",\"reason\":\"r\",\"switched_at\":\"x\","
      "\"generation\":3,\"obsolete\":true}";
  fo_cty_value *v;
  (void)state;
  raw.json.data = (uint8_t *)json;
  raw.json.len = sizeof(json) - 1;
  rq.type_name = (char *)"failover_switch";
  rq.version = 0;
  rq.raw_state = &raw;
  rs = (Tfplugin6__UpgradeResourceState__Response *)fw_call(
      fo_rpc_upgrade_resource_state, &rq.base, &tfplugin6__upgrade_resource_state__response__descriptor, FO_RPC_OK);
  assert_int_equal(rs->n_diagnostics, 0);
  v = fw_decode(T, rs->upgraded_state);
  assert_string_equal(fw_str(v, "id"), "fs-1");
  assert_int_equal(gen(v), 3);
  assert_true(fo_cty_is_null(fo_cty_get_attr(v, "previous")));
  fo_cty_value_unref(v);
  protobuf_c_message_free_unpacked(&rs->base, NULL);

  rq.version = 7; /* from the future */
  rs = (Tfplugin6__UpgradeResourceState__Response *)fw_call(
      fo_rpc_upgrade_resource_state, &rq.base, &tfplugin6__upgrade_resource_state__response__descriptor, FO_RPC_OK);
  assert_true(fw_find_diag(rs->diagnostics, rs->n_diagnostics, NULL, "version 7") >= 0);
  protobuf_c_message_free_unpacked(&rs->base, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_create),
      cmocka_unit_test(test_noop_plan_keeps_everything),
      cmocka_unit_test(test_switch),
      cmocka_unit_test(test_switch_without_new_reason_is_an_error),
      cmocka_unit_test(test_reason_only_update),
      cmocka_unit_test(test_invalid_active_is_a_validation_error),
      cmocka_unit_test(test_destroy),
      cmocka_unit_test(test_import),
      cmocka_unit_test(test_read_echoes_state_and_private),
      cmocka_unit_test(test_upgrade_drops_unknown_attributes),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
