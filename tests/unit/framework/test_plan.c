/* Planning rules (computed unknown on create, use-state-for-unknown, defaults,
 * requires-replace paths), the plan validity check and the apply check. */
#include <string.h>

#include "fo_plan.h"
#include "fw_test.h"

static const fo_attr net_attrs[] = {
    {.name = "cidr", .type = "\"string\"", .flags = FO_ATTR_REQUIRED | 0},
    {.name = "arn", .type = "\"string\"", .flags = FO_ATTR_COMPUTED},
};
static const fo_block net_block = {.attrs = net_attrs, .n_attrs = 2};
static const fo_block_type blocks[] = {
    {.type_name = "net", .nesting = FO_NEST_SINGLE, .block = &net_block, .max_items = 1},
    {.type_name = "rule", .nesting = FO_NEST_LIST, .block = &net_block},
};
static const fo_attr attrs[] = {
    {.name = "id", .type = "\"string\"", .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN},
    {.name = "name", .type = "\"string\"", .flags = FO_ATTR_REQUIRED | FO_ATTR_REQUIRES_REPLACE},
    {.name = "note", .type = "\"string\"", .flags = FO_ATTR_OPTIONAL},
    {.name = "size", .type = "\"number\"", .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED, .default_json = "3"},
    {.name = "etag", .type = "\"string\"", .flags = FO_ATTR_COMPUTED},
};
static const fo_block block = {.attrs = attrs, .n_attrs = FO_COUNT(attrs), .blocks = blocks, .n_blocks = 2};

static fo_cty_type *T;

static int setup(void **state) {
  (void)state;
  assert_int_equal(fo_schema_check(&block), 0);
  T = fo_schema_block_type(&block);
  return T ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  fo_cty_type_unref(T);
  return 0;
}

static int attr_known(const fo_cty_value *obj, const char *name) {
  return fo_cty_is_known(fo_cty_get_attr(obj, name));
}

/* 1 when `p` formats as `want`. */
static int path_is(const fo_cty_path *p, const char *want) {
  fo_buf b = FO_BUF_INIT;
  int ok = fo_cty_path_format(p, &b) == 0 && b.data && strcmp(b.data, want) == 0;
  if (!ok)
    print_error("path is '%s', want '%s'\n", b.data ? b.data : "", want);
  fo_buf_dispose(&b);
  return ok;
}

static void test_create_marks_computed_unknown_and_applies_defaults(void **state) {
  fo_cty_value *prior = fo_cty_null(T);
  fo_cty_value *config = fw_value(T, "{\"name\":\"a\",\"net\":{\"cidr\":\"10.0.0.0/16\"},\"rule\":[{\"cidr\":\"x\"}]}");
  fo_cty_value *planned = NULL;
  fo_diags d = FO_DIAGS_INIT;
  int64_t size = 0;
  (void)state;
  /* on create, proposed == config (computed attributes null) */
  assert_int_equal(fo_plan_block(&planned, &block, prior, config, config), 0);
  assert_false(attr_known(planned, "id"));
  assert_false(attr_known(planned, "etag"));
  assert_string_equal(fw_str(planned, "name"), "a");
  assert_true(fo_cty_is_null(fo_cty_get_attr(planned, "note")));
  assert_int_equal(fo_cty_number_as_int64(fo_cty_get_attr(planned, "size"), &size), 0);
  assert_int_equal(size, 3);
  /* nested: computed attributes in a single block and in list elements too */
  assert_false(attr_known(fo_cty_get_attr(planned, "net"), "arn"));
  assert_string_equal(fw_str(fo_cty_get_attr(planned, "net"), "cidr"), "10.0.0.0/16");
  assert_false(attr_known(fo_cty_index(fo_cty_get_attr(planned, "rule"), 0), "arn"));
  assert_true(fo_plan_check(&block, prior, config, planned, &d));
  assert_int_equal(d.n, 0);
  fo_cty_value_unref(prior);
  fo_cty_value_unref(config);
  fo_cty_value_unref(planned);
}

static const char *PRIOR =
    "{\"id\":\"i-1\",\"name\":\"a\",\"note\":\"n\",\"size\":3,\"etag\":\"e1\","
    "\"net\":{\"cidr\":\"c\",\"arn\":\"arn1\"},\"rule\":[]}";

static void test_no_change_keeps_prior(void **state) {
  fo_cty_value *prior = fw_value(T, PRIOR);
  fo_cty_value *config = fw_value(T, "{\"name\":\"a\",\"note\":\"n\",\"net\":{\"cidr\":\"c\"},\"rule\":[]}");
  fo_cty_value *planned = NULL;
  fo_paths rr = {0};
  fo_diags d = FO_DIAGS_INIT;
  (void)state;
  /* proposed: config with computed attributes taken from prior */
  assert_int_equal(fo_plan_block(&planned, &block, prior, config, prior), 0);
  assert_true(fo_cty_value_equal(planned, prior));
  assert_true(fo_cty_is_wholly_known(planned));
  assert_int_equal(fo_plan_replace_paths(&rr, &block, prior, planned), 0);
  assert_int_equal(rr.n, 0);
  assert_true(fo_plan_check(&block, prior, config, planned, &d));
  fo_cty_value_unref(prior);
  fo_cty_value_unref(config);
  fo_cty_value_unref(planned);
}

static void test_update_use_state_and_requires_replace(void **state) {
  fo_cty_value *prior = fw_value(T, PRIOR);
  fo_cty_value *config = fw_value(T, "{\"name\":\"b\",\"note\":\"n\",\"net\":{\"cidr\":\"c\"},\"rule\":[]}");
  fo_cty_value *proposed = fw_value(T,
                                    "{\"id\":\"i-1\",\"name\":\"b\",\"note\":\"n\",\"size\":3,\"etag\":\"e1\","
                                    "\"net\":{\"cidr\":\"c\",\"arn\":\"arn1\"},\"rule\":[]}");
  fo_cty_value *planned = NULL;
  fo_paths rr = {0};
  fo_diags d = FO_DIAGS_INIT;
  (void)state;
  assert_int_equal(fo_plan_block(&planned, &block, prior, config, proposed), 0);
  assert_string_equal(fw_str(planned, "id"), "i-1"); /* use-state-for-unknown */
  assert_false(attr_known(planned, "etag"));         /* plain computed: unknown on change */
  assert_false(attr_known(fo_cty_get_attr(planned, "net"), "arn"));
  assert_int_equal(fo_plan_replace_paths(&rr, &block, prior, planned), 0);
  assert_int_equal(rr.n, 1);
  assert_true(path_is(&rr.items[0], "name"));
  assert_true(fo_plan_check(&block, prior, config, planned, &d));
  fo_paths_dispose(&rr);
  fo_cty_value_unref(prior);
  fo_cty_value_unref(config);
  fo_cty_value_unref(proposed);
  fo_cty_value_unref(planned);
}

static void test_plan_check_catches_invalid_plans(void **state) {
  fo_cty_value *prior = fw_value(T, PRIOR);
  fo_cty_value *config = fw_value(T, "{\"name\":\"b\",\"net\":{\"cidr\":\"c\"},\"rule\":[{\"cidr\":\"r\"}]}");
  /* name differs from config, note set although not configured, rule count wrong */
  fo_cty_value *bad = fw_value(T,
                               "{\"id\":\"i-1\",\"name\":\"zzz\",\"note\":\"n\",\"size\":3,\"etag\":\"e\","
                               "\"net\":{\"cidr\":\"c\"},\"rule\":[]}");
  fo_diags d = FO_DIAGS_INIT;
  long i;
  (void)state;
  assert_false(fo_plan_check(&block, prior, config, bad, &d));
  i = fo_diags_find(&d, FO_DIAG_ERROR, "name");
  assert_true(i >= 0);
  assert_non_null(strstr(d.items[i].detail, "\"zzz\""));
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "note") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "rule") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "etag") < 0); /* computed-only: anything goes */
  fo_diags_dispose(&d);
  fo_cty_value_unref(prior);
  fo_cty_value_unref(config);
  fo_cty_value_unref(bad);
}

static void test_apply_check_catches_bad_results(void **state) {
  fo_cty_value *prior = fo_cty_null(T);
  fo_cty_value *config = fw_value(T, "{\"name\":\"a\",\"net\":{\"cidr\":\"c\"},\"rule\":[]}");
  fo_cty_value *planned = NULL, *good, *bad, *still_unknown;
  fo_diags d = FO_DIAGS_INIT;
  long i;
  (void)state;
  assert_int_equal(fo_plan_block(&planned, &block, prior, config, config), 0);
  good = fw_value(T,
                  "{\"id\":\"i-9\",\"name\":\"a\",\"size\":3,\"etag\":\"e\",\"net\":{\"cidr\":\"c\",\"arn\":\"x\"},"
                  "\"rule\":[]}");
  assert_true(fo_apply_check(&block, planned, good, &d));
  assert_int_equal(d.n, 0);
  /* a known planned value (size = 3 from the default, net.cidr) changed */
  bad = fw_value(T,
                 "{\"id\":\"i-9\",\"name\":\"a\",\"size\":4,\"etag\":\"e\",\"net\":{\"cidr\":\"d\",\"arn\":\"x\"},"
                 "\"rule\":[]}");
  assert_false(fo_apply_check(&block, planned, bad, &d));
  i = fo_diags_find(&d, FO_DIAG_ERROR, "size");
  assert_true(i >= 0);
  assert_non_null(strstr(d.items[i].detail, "planned as 3"));
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "net.cidr") >= 0);
  fo_diags_dispose(&d);
  /* unknowns left in the result */
  assert_false(fo_apply_check(&block, planned, planned, &d));
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "id") >= 0);
  fo_diags_dispose(&d);
  /* null after create */
  still_unknown = fo_cty_null(T);
  assert_false(fo_apply_check(&block, planned, still_unknown, &d));
  assert_int_equal(d.n, 1);
  fo_diags_dispose(&d);
  fo_cty_value_unref(still_unknown);
  fo_cty_value_unref(prior);
  fo_cty_value_unref(config);
  fo_cty_value_unref(planned);
  fo_cty_value_unref(good);
  fo_cty_value_unref(bad);
}

/* ---- nested SET blocks and MAP nested attributes ---------------------------- */

static const fo_attr el_attrs[] = {
    {.name = "key", .type = "\"string\"", .flags = FO_ATTR_REQUIRED | FO_ATTR_REQUIRES_REPLACE},
    {.name = "val", .type = "\"string\"", .flags = FO_ATTR_OPTIONAL},
    {.name = "arn", .type = "\"string\"", .flags = FO_ATTR_COMPUTED},
};
static const fo_block el_block = {.attrs = el_attrs, .n_attrs = FO_COUNT(el_attrs)};
static const fo_nested_attrs el_map = {.nesting = FO_NEST_MAP, .attrs = el_attrs, .n_attrs = FO_COUNT(el_attrs)};
static const fo_block_type nest_blocks[] = {
    {.type_name = "item", .nesting = FO_NEST_SET, .block = &el_block},
};
static const fo_attr nest_attrs[] = {
    {.name = "name", .type = "\"string\"", .flags = FO_ATTR_OPTIONAL},
    {.name = "byname", .nested = &el_map, .flags = FO_ATTR_OPTIONAL},
};
static const fo_block nest_block = {
    .attrs = nest_attrs, .n_attrs = FO_COUNT(nest_attrs), .blocks = nest_blocks, .n_blocks = 1};

/* The element of set `set` whose `key` is `key`, or NULL. */
static const fo_cty_value *set_elem(const fo_cty_value *set, const char *key) {
  for (size_t i = 0; i < fo_cty_length(set); i++)
    if (strcmp(fw_str(fo_cty_index(set, i), "key"), key) == 0)
      return fo_cty_index(set, i);
  return NULL;
}

static void test_nested_set_and_map_plan_computed_unknown(void **state) {
  fo_cty_type *t = fo_schema_block_type(&nest_block);
  fo_cty_value *null_prior = fo_cty_null(t), *planned = NULL;
  fo_cty_value *config = fw_value(t,
                                  "{\"item\":[{\"key\":\"a\"},{\"key\":\"b\",\"val\":\"2\"}],"
                                  "\"byname\":{\"x\":{\"key\":\"k\"}}}");
  fo_diags d = FO_DIAGS_INIT;
  (void)state;
  assert_int_equal(fo_schema_check(&nest_block), 0);
  /* create: every computed attribute in set elements and map elements is unknown */
  assert_int_equal(fo_plan_block(&planned, &nest_block, null_prior, config, config), 0);
  assert_int_equal(fo_cty_length(fo_cty_get_attr(planned, "item")), 2);
  assert_false(attr_known(set_elem(fo_cty_get_attr(planned, "item"), "a"), "arn"));
  assert_false(attr_known(set_elem(fo_cty_get_attr(planned, "item"), "b"), "arn"));
  assert_false(attr_known(fo_cty_map_get(fo_cty_get_attr(planned, "byname"), "x"), "arn"));
  assert_true(fo_plan_check(&nest_block, null_prior, config, planned, &d));
  assert_int_equal(d.n, 0);
  fo_cty_value_unref(null_prior);
  fo_cty_value_unref(config);
  fo_cty_value_unref(planned);
  fo_cty_type_unref(t);
}

static void test_nested_set_and_map_update(void **state) {
  fo_cty_type *t = fo_schema_block_type(&nest_block);
  fo_cty_value *prior = fw_value(t,
                                 "{\"item\":[{\"key\":\"a\",\"val\":\"1\",\"arn\":\"A\"},"
                                 "{\"key\":\"b\",\"val\":\"2\",\"arn\":\"B\"}],"
                                 "\"byname\":{\"x\":{\"key\":\"k\",\"arn\":\"X\"},"
                                 "\"y\":{\"key\":\"m\",\"arn\":\"Y\"}}}");
  /* b's val changed; byname.x's key changed, byname.y unchanged */
  fo_cty_value *config = fw_value(t,
                                  "{\"item\":[{\"key\":\"a\",\"val\":\"1\"},{\"key\":\"b\",\"val\":\"3\"}],"
                                  "\"byname\":{\"x\":{\"key\":\"k2\"},\"y\":{\"key\":\"m\"}}}");
  /* Terraform's proposal: matched set elements and map keys carry prior's computed values */
  fo_cty_value *proposed = fw_value(t,
                                    "{\"item\":[{\"key\":\"a\",\"val\":\"1\",\"arn\":\"A\"},"
                                    "{\"key\":\"b\",\"val\":\"3\"}],"
                                    "\"byname\":{\"x\":{\"key\":\"k2\",\"arn\":\"X\"},"
                                    "\"y\":{\"key\":\"m\",\"arn\":\"Y\"}}}");
  fo_cty_value *planned = NULL, *config2, *planned2 = NULL;
  const fo_cty_value *items;
  fo_paths rr = {0};
  fo_diags d = FO_DIAGS_INIT;
  (void)state;
  assert_int_equal(fo_plan_block(&planned, &nest_block, prior, config, proposed), 0);
  items = fo_cty_get_attr(planned, "item");
  assert_string_equal(fw_str(set_elem(items, "a"), "arn"), "A"); /* unchanged element kept */
  assert_false(attr_known(set_elem(items, "b"), "arn"));         /* changed element: unknown */
  assert_false(attr_known(fo_cty_map_get(fo_cty_get_attr(planned, "byname"), "x"), "arn"));
  assert_true(fo_plan_check(&nest_block, prior, config, planned, &d));
  assert_int_equal(d.n, 0);
  /* requires-replace below a map element; the set's key attribute did not change */
  assert_int_equal(fo_plan_replace_paths(&rr, &nest_block, prior, planned), 0);
  assert_int_equal(rr.n, 1);
  assert_true(path_is(&rr.items[0], "byname[\"x\"].key"));
  fo_paths_dispose(&rr);

  /* a set element with a new requires-replace value replaces: reported at the set */
  config2 = fw_value(t,
                     "{\"item\":[{\"key\":\"a\",\"val\":\"1\"},{\"key\":\"c\",\"val\":\"2\"}],"
                     "\"byname\":{\"y\":{\"key\":\"m\"}}}");
  assert_int_equal(fo_plan_block(&planned2, &nest_block, prior, config2, config2), 0);
  assert_false(attr_known(set_elem(fo_cty_get_attr(planned2, "item"), "c"), "arn"));
  assert_int_equal(fo_plan_replace_paths(&rr, &nest_block, prior, planned2), 0);
  assert_int_equal(rr.n, 1);
  assert_true(path_is(&rr.items[0], "item"));
  fo_paths_dispose(&rr);
  fo_cty_value_unref(prior);
  fo_cty_value_unref(config);
  fo_cty_value_unref(config2);
  fo_cty_value_unref(proposed);
  fo_cty_value_unref(planned);
  fo_cty_value_unref(planned2);
  fo_cty_type_unref(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_create_marks_computed_unknown_and_applies_defaults),
      cmocka_unit_test(test_no_change_keeps_prior),
      cmocka_unit_test(test_update_use_state_and_requires_replace),
      cmocka_unit_test(test_plan_check_catches_invalid_plans),
      cmocka_unit_test(test_apply_check_catches_bad_results),
      cmocka_unit_test(test_nested_set_and_map_plan_computed_unknown),
      cmocka_unit_test(test_nested_set_and_map_update),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
