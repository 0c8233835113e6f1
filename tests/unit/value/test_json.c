/* Unit tests: the cty JSON codec (RawState): exact numbers, leniency,
 * dynamic wrappers, errors. */
#include "test_helpers.h"

static fo_cty_value *J(const char *type_json, const char *json, int drop) {
  fo_cty_type *t = T(type_json);
  fo_cty_value *v = NULL;
  int rc = fo_cty_json_decode(&v, t, json, strlen(json), drop);
  fo_cty_type_unref(t);
  return rc ? NULL : v;
}

static void roundtrip(const char *type_json, const char *json, const char *want) {
  fo_cty_type *t = T(type_json);
  fo_cty_value *v = NULL;
  fo_buf b = FO_BUF_INIT;
  if (fo_cty_json_decode(&v, t, json, strlen(json), 0) != 0)
    fail_msg("decode %s: %s", json, fo_err_last());
  assert_int_equal(fo_cty_json_encode(v, t, &b), 0);
  assert_string_equal(b.data, want ? want : json);
  fo_buf_dispose(&b);
  fo_cty_value_unref(v);
  fo_cty_type_unref(t);
}

static void expect_error(const char *type_json, const char *json, const char *needle) {
  fo_cty_value *v = J(type_json, json, 0);
  if (v)
    fail_msg("decoding %s succeeded: %s", json, fmt(v));
  if (!strstr(fo_err_last(), needle))
    fail_msg("error '%s' does not contain '%s'", fo_err_last(), needle);
}

static void test_exact_numbers(void **state) {
  (void)state;
  roundtrip("[\"list\",\"number\"]",
            "[123456789012345678901234567890,0.1,-5,1.5,1e3,0.30000000000000004,12345678901234567890.000000001]",
            "[123456789012345678901234567890,0.1,-5,1.5,1000,0.30000000000000004,12345678901234567890.000000001]");
  roundtrip("\"number\"", "\"42\"", "42"); /* numeric strings are numbers */
}

static void test_leniency(void **state) {
  fo_cty_value *v;
  (void)state;
  roundtrip("[\"object\",{\"a\":\"string\",\"b\":\"bool\",\"c\":\"number\"}]", "{\"a\":\"x\"}",
            "{\"a\":\"x\",\"b\":null,\"c\":null}");
  roundtrip("\"bool\"", "\"true\"", "true");
  roundtrip("\"string\"", "12.50", "\"12.50\""); /* the literal text */
  roundtrip("\"string\"", "false", "\"false\"");
  v = J("[\"object\",{\"a\":\"string\"}]", "{\"a\":\"x\",\"old\":1}", 1);
  assert_non_null(v);
  assert_string_equal(fmt(v), "{\"a\" = \"x\"}");
  fo_cty_value_unref(v);
  expect_error("[\"object\",{\"a\":\"string\"}]", "{\"a\":\"x\",\"old\":1}", "at root: unsupported attribute \"old\"");
}

static void test_structures(void **state) {
  (void)state;
  roundtrip("[\"map\",[\"set\",\"string\"]]", "{\"b\":[\"y\",\"x\",\"y\"],\"a\":[]}", "{\"a\":[],\"b\":[\"x\",\"y\"]}");
  roundtrip("[\"tuple\",[\"string\",\"bool\"]]", "[\"s\",true]", NULL);
  roundtrip("\"dynamic\"", "{\"value\":[\"a\"],\"type\":[\"list\",\"string\"]}", NULL);
  roundtrip("\"dynamic\"", "{\"type\":\"number\",\"value\":7}", "{\"value\":7,\"type\":\"number\"}");
  roundtrip("\"dynamic\"", "null", NULL);
  roundtrip("\"string\"", "\"<a&b>\\u2028\\n\\u0001\"", "\"\\u003ca\\u0026b\\u003e\\u2028\\n\\u0001\"");
  roundtrip("\"string\"", "\"h\\u00e9\"", "\"hé\"");
}

static void test_errors(void **state) {
  fo_cty_value *u;
  fo_buf b = FO_BUF_INIT;
  fo_cty_type *t;
  (void)state;
  expect_error("[\"list\",\"number\"]", "[1,\"x\"]", "at [1]:");
  expect_error("[\"object\",{\"a\":[\"map\",\"bool\"]}]", "{\"a\":{\"k\":3}}",
               "at .a[\"k\"]: expected bool, got number");
  expect_error("[\"tuple\",[\"string\"]]", "[\"a\",\"b\"]", "too many tuple elements (need 1)");
  expect_error("\"dynamic\"", "{\"value\":1}", "missing type");
  expect_error("\"dynamic\"", "{\"value\":1,\"type\":\"number\",\"x\":1}", "invalid key \"x\"");
  expect_error("\"string\"", "\"a\" \"b\"", "extraneous data");
  expect_error("\"string\"", "[", "malformed JSON");
  expect_error("\"string\"", "\"a\\u0000b\"", "NUL character");
  /* unknowns and infinity cannot be JSON */
  t = T("[\"list\",\"string\"]");
  {
    fo_cty_value *e[1] = {fo_cty_unknown(fo_cty_type_string())};
    u = fo_cty_list(fo_cty_type_string(), 1, e);
  }
  assert_int_not_equal(fo_cty_json_encode(u, t, &b), 0);
  assert_true(strstr(fo_err_last(), "at [0]: value is not known") != NULL);
  assert_int_equal(b.len, 0);
  fo_buf_dispose(&b);
  fo_cty_value_unref(u);
  fo_cty_type_unref(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exact_numbers),
      cmocka_unit_test(test_leniency),
      cmocka_unit_test(test_structures),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
