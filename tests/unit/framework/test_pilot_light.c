/* failover_pilot_light callbacks that need no AWS: validation with attribute
 * paths, and the plan rules (floor while active, drift in standby, percent of
 * the reference rounded up and capped, pending scale-down). */
#include <stdio.h>
#include <string.h>

#include "fo_resources.h"
#include "fw_test.h"

static fo_cty_type *T;

static int setup(void **state) {
  (void)state;
  T = fo_schema_block_type(&fo_pilot_light_resource.schema->block);
  return T ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  fo_cty_type_unref(T);
  return 0;
}

#define DEFAULTS                                                                                 \
  "\"region\":\"secondary\",\"wait_for_capacity\":true,\"autoscaler_node_template_tags\":false," \
  "\"on_destroy\":\"standby\",\"unreachable\":\"%s\""

/* Validate a config (JSON object body) and return the diagnostics. */
static fo_diags validate(const char *json) {
  return fw_validate(&fo_pilot_light_resource, T, json);
}

static void test_validate_paths(void **state) {
  fo_diags d;
  (void)state;
  d = validate(
      "{\"mode\":\"standby\",\"target\":{\"autoscaling_group_name\":\"q\"},"
      "\"standby\":{\"min\":2,\"desired\":1,\"max\":3},\"active\":{\"min\":1,\"desired\":5,\"max\":4}}");
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "standby.desired") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "active.desired") >= 0);
  fo_diags_dispose(&d);

  d = validate(
      "{\"mode\":\"active\",\"target\":{\"cluster_name\":\"c\",\"node_group_name\":\"n\","
      "\"autoscaling_group_name\":\"q\"},\"active\":{\"min\":1,\"max\":4},"
      "\"active_percent_of\":{\"percent\":0,\"target\":{\"cluster_name\":\"c\"}}}");
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "target.autoscaling_group_name") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "active_percent_of.percent") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "active_percent_of.target.node_group_name") >= 0);
  fo_diags_dispose(&d);

  d = validate(
      "{\"mode\":\"active\",\"target\":{\"autoscaling_group_name\":\"q\"},\"active\":{\"min\":1,\"max\":4},"
      "\"autoscaler_node_template_tags\":true}");
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "active.desired") >= 0); /* neither desired nor percent */
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "autoscaler_node_template_tags") >= 0);
  fo_diags_dispose(&d);

  d = validate(
      "{\"mode\":\"active\",\"target\":{\"autoscaling_group_name\":\"q\"},"
      "\"standby\":{\"min\":0,\"desired\":0,\"max\":1},\"active\":{\"min\":1,\"desired\":2,\"max\":4}}");
  assert_int_equal(d.n, 0);
  fo_diags_dispose(&d);
}

typedef struct planned_t {
  fo_cty_value *v;
  fo_diags d;
} planned_t;

/* modify_plan with `prior` (JSON or NULL for create) and a config; the
 * "planned" input is the config with the prior's computed values. */
static planned_t plan(const char *prior_json, const char *config_json) {
  planned_t r = {NULL, FO_DIAGS_INIT};
  fo_call c = {.diags = &r.d};
  fo_cty_value *prior = prior_json ? fw_value(T, prior_json) : fo_cty_null(T), *cfg = fw_value(T, config_json);
  static const char *const computed[] = {"id",
                                         "min_size",
                                         "desired_size",
                                         "max_size",
                                         "capacity_ready",
                                         "reference_desired_size",
                                         "node_template_tags",
                                         "pending_scale_down"};
  r.v = fo_cty_value_ref(cfg);
  for (size_t i = 0; prior_json && i < FO_COUNT(computed); i++)
    assert_int_equal(fo_object_set(&r.v, computed[i], fo_cty_value_ref(fo_cty_get_attr(prior, computed[i]))), 0);
  assert_int_equal(fo_pilot_light_resource.modify_plan(&c, prior, cfg, &r.v), 0);
  fo_cty_value_unref(prior);
  fo_cty_value_unref(cfg);
  return r;
}

static int64_t num(const fo_cty_value *v, const char *name) {
  int64_t n = -1;
  assert_int_equal(fo_cty_number_as_int64(fo_cty_get_attr(v, name), &n), 0);
  return n;
}

#define ASG_ACTIVE "\"target\":{\"autoscaling_group_name\":\"q\"},\"active\":{\"min\":2,\"desired\":3,\"max\":6}"

static void test_floor_while_active(void **state) {
  char prior[800], cfg[600];
  planned_t p;
  (void)state;
  snprintf(cfg, sizeof(cfg), "{\"mode\":\"active\"," ASG_ACTIVE "," DEFAULTS "}", "warn");
  /* An autoscaler grew the group to 5: kept, nothing to do. */
  snprintf(prior, sizeof(prior),
           "{\"id\":\"q\",\"mode\":\"active\"," ASG_ACTIVE "," DEFAULTS
           ",\"min_size\":2,\"desired_size\":5,"
           "\"max_size\":6,\"capacity_ready\":true,\"pending_scale_down\":false}",
           "warn");
  p = plan(prior, cfg);
  assert_int_equal(num(p.v, "desired_size"), 5);
  assert_true(fo_cty_is_known(fo_cty_get_attr(p.v, "pending_scale_down")));
  assert_false(fo_cty_as_bool(fo_cty_get_attr(p.v, "pending_scale_down")));
  assert_true(fo_cty_as_bool(fo_cty_get_attr(p.v, "capacity_ready")));
  fo_cty_value_unref(p.v);
  fo_diags_dispose(&p.d);
  /* Below the floor (someone scaled it down): planned back up to 3. */
  snprintf(prior, sizeof(prior),
           "{\"id\":\"q\",\"mode\":\"active\"," ASG_ACTIVE "," DEFAULTS
           ",\"min_size\":2,\"desired_size\":2,"
           "\"max_size\":6,\"capacity_ready\":true,\"pending_scale_down\":false}",
           "warn");
  p = plan(prior, cfg);
  assert_int_equal(num(p.v, "desired_size"), 3);
  fo_cty_value_unref(p.v);
  fo_diags_dispose(&p.d);
}

static void test_standby_drift_and_pending(void **state) {
  char prior[800], cfg[600];
  planned_t p;
  (void)state;
  /* Growth in standby is drift: planned back to 0, a scale-down (pending unknown with warn). */
  snprintf(cfg, sizeof(cfg), "{\"mode\":\"standby\"," ASG_ACTIVE "," DEFAULTS "}", "warn");
  snprintf(prior, sizeof(prior),
           "{\"id\":\"q\",\"mode\":\"standby\"," ASG_ACTIVE "," DEFAULTS
           ",\"min_size\":0,\"desired_size\":2,"
           "\"max_size\":1,\"capacity_ready\":true,\"pending_scale_down\":false}",
           "warn");
  p = plan(prior, cfg);
  assert_int_equal(num(p.v, "desired_size"), 0);
  assert_int_equal(num(p.v, "max_size"), 1);
  assert_false(fo_cty_is_known(fo_cty_get_attr(p.v, "pending_scale_down")));
  fo_cty_value_unref(p.v);
  fo_diags_dispose(&p.d);
  /* unreachable = "fail": the scale-down is planned as certain. */
  snprintf(cfg, sizeof(cfg), "{\"mode\":\"standby\"," ASG_ACTIVE "," DEFAULTS "}", "fail");
  snprintf(prior, sizeof(prior),
           "{\"id\":\"q\",\"mode\":\"active\"," ASG_ACTIVE "," DEFAULTS
           ",\"min_size\":2,\"desired_size\":3,"
           "\"max_size\":6,\"capacity_ready\":true,\"pending_scale_down\":false}",
           "fail");
  p = plan(prior, cfg);
  assert_true(fo_cty_is_known(fo_cty_get_attr(p.v, "pending_scale_down")));
  assert_false(fo_cty_as_bool(fo_cty_get_attr(p.v, "pending_scale_down")));
  fo_cty_value_unref(p.v);
  fo_diags_dispose(&p.d);
  /* A recorded pending scale-down is planned again even with nothing else to change. */
  snprintf(cfg, sizeof(cfg), "{\"mode\":\"standby\"," ASG_ACTIVE "," DEFAULTS "}", "warn");
  snprintf(prior, sizeof(prior),
           "{\"id\":\"q\",\"mode\":\"standby\"," ASG_ACTIVE "," DEFAULTS
           ",\"min_size\":0,\"desired_size\":0,"
           "\"max_size\":1,\"capacity_ready\":false,\"pending_scale_down\":true}",
           "warn");
  p = plan(prior, cfg);
  assert_false(fo_cty_is_known(fo_cty_get_attr(p.v, "pending_scale_down")));
  fo_cty_value_unref(p.v);
  fo_diags_dispose(&p.d);
}

#define PCT_CFG                                                                                       \
  "\"target\":{\"cluster_name\":\"dr\",\"node_group_name\":\"w\"},\"active\":{\"min\":1,\"max\":%d}," \
  "\"active_percent_of\":{\"percent\":%d,\"target\":{\"cluster_name\":\"prod\",\"node_group_name\":\"w\"}}"

static void test_percent_rounded_up_and_capped(void **state) {
  char prior[900], cfg[700], body[400];
  planned_t p;
  (void)state;
  snprintf(body, sizeof(body), PCT_CFG, 8, 50);
  snprintf(cfg, sizeof(cfg), "{\"mode\":\"active\",%s," DEFAULTS "}", body, "warn");
  snprintf(prior, sizeof(prior),
           "{\"id\":\"dr/w\",\"mode\":\"standby\",%s," DEFAULTS
           ",\"min_size\":0,\"desired_size\":0,\"max_size\":1,"
           "\"capacity_ready\":true,\"pending_scale_down\":false,\"reference_desired_size\":5}",
           body, "warn");
  p = plan(prior, cfg); /* 50% of 5 = 2.5 -> 3, from the refreshed reference (no AWS call) */
  assert_int_equal(num(p.v, "desired_size"), 3);
  assert_int_equal(num(p.v, "reference_desired_size"), 5);
  fo_cty_value_unref(p.v);
  fo_diags_dispose(&p.d);
  snprintf(body, sizeof(body), PCT_CFG, 4, 200);
  snprintf(cfg, sizeof(cfg), "{\"mode\":\"active\",%s," DEFAULTS "}", body, "warn");
  snprintf(prior, sizeof(prior),
           "{\"id\":\"dr/w\",\"mode\":\"standby\",%s," DEFAULTS
           ",\"min_size\":0,\"desired_size\":0,\"max_size\":1,"
           "\"capacity_ready\":true,\"pending_scale_down\":false,\"reference_desired_size\":5}",
           body, "warn");
  p = plan(prior, cfg); /* 200% of 5 = 10, capped at max 4 with a warning */
  assert_int_equal(num(p.v, "desired_size"), 4);
  assert_true(fo_diags_find(&p.d, FO_DIAG_WARNING, NULL) >= 0);
  fo_cty_value_unref(p.v);
  fo_diags_dispose(&p.d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_validate_paths),
      cmocka_unit_test(test_floor_while_active),
      cmocka_unit_test(test_standby_drift_and_pending),
      cmocka_unit_test(test_percent_rounded_up_and_capped),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
