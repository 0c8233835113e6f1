/* Unit tests: cty types, type equality and type JSON both ways. */
#include "test_helpers.h"

static void roundtrip(const char *in, const char *want) {
  fo_cty_type *t = T(in);
  fo_buf b = FO_BUF_INIT;
  assert_int_equal(fo_cty_type_to_json(t, &b), 0);
  assert_string_equal(b.data, want);
  fo_buf_dispose(&b);
  fo_cty_type_unref(t);
}

static void test_type_json_roundtrip(void **state) {
  (void)state;
  roundtrip("\"string\"", "\"string\"");
  roundtrip(" \"number\" ", "\"number\"");
  roundtrip("\"bool\"", "\"bool\"");
  roundtrip("\"dynamic\"", "\"dynamic\"");
  roundtrip("[\"list\", [\"object\", {\"port\": \"number\", \"id\": \"string\"}]]",
            "[\"list\",[\"object\",{\"id\":\"string\",\"port\":\"number\"}]]");
  roundtrip("[\"map\",[\"set\",\"string\"]]", "[\"map\",[\"set\",\"string\"]]");
  roundtrip("[\"tuple\",[\"string\",\"number\",[\"list\",\"bool\"]]]",
            "[\"tuple\",[\"string\",\"number\",[\"list\",\"bool\"]]]");
  roundtrip("[\"tuple\",[]]", "[\"tuple\",[]]");
  roundtrip("[\"object\",{}]", "[\"object\",{}]");
  /* optional attribute names are accepted and dropped */
  roundtrip("[\"object\",{\"a\":\"string\",\"b\":\"number\"},[\"b\"]]",
            "[\"object\",{\"a\":\"string\",\"b\":\"number\"}]");
  /* Go's json.Marshal escapes HTML characters in names */
  roundtrip("[\"object\",{\"a<b\":\"string\"}]", "[\"object\",{\"a\\u003cb\":\"string\"}]");
}

static void expect_type_error(const char *json, const char *needle) {
  fo_cty_type *t = (fo_cty_type *)1;
  assert_int_not_equal(fo_cty_type_from_json(&t, json, strlen(json)), 0);
  assert_null(t);
  if (!strstr(fo_err_last(), needle))
    fail_msg("error '%s' does not contain '%s'", fo_err_last(), needle);
}

static void test_type_json_errors(void **state) {
  (void)state;
  expect_type_error("\"strin\"", "invalid primitive type name");
  expect_type_error("[\"list\"]", "missing type argument");
  expect_type_error("[\"list\",\"string\",1]", "unexpected extra data");
  expect_type_error("[\"object\",{\"a\":\"nope\"}]", "at '[1].a'");
  expect_type_error("[\"frob\",\"string\"]", "invalid complex type kind name");
  expect_type_error("[\"list\",\"string\"] x", "extraneous data");
  expect_type_error("{", "malformed JSON");
  expect_type_error("[\"object\",{\"a\":\"string\"},[\"b\"]]", "optional attribute");
  expect_type_error("[\"object\",{\"a\":\"string\",\"a\":\"number\"}]", "duplicate object attribute 'a'");
  expect_type_error("7", "expected a type name");
}

static void test_type_deep_nesting_bounded(void **state) {
  char buf[4096] = "";
  (void)state;
  for (int i = 0; i < 200; i++)
    snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "[\"list\",");
  snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "\"string\"");
  for (int i = 0; i < 200; i++)
    snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "]");
  expect_type_error(buf, "nested too deeply");
}

static void test_type_accessors(void **state) {
  fo_cty_type *t = T("[\"object\",{\"zeta\":\"string\",\"alpha\":[\"list\",\"number\"],\"mid\":\"dynamic\"}]");
  fo_cty_type *u = T("[\"object\",{\"alpha\":[\"list\",\"number\"],\"mid\":\"dynamic\",\"zeta\":\"string\"}]");
  fo_cty_type *w = T("[\"object\",{\"alpha\":[\"set\",\"number\"],\"mid\":\"dynamic\",\"zeta\":\"string\"}]");
  (void)state;
  assert_int_equal(fo_cty_type_kind(t), FO_CTY_OBJECT);
  assert_int_equal(fo_cty_type_count(t), 3);
  assert_string_equal(fo_cty_type_attr_name(t, 0), "alpha");
  assert_string_equal(fo_cty_type_attr_name(t, 2), "zeta");
  assert_int_equal(fo_cty_type_attr_index(t, "mid"), 1);
  assert_int_equal(fo_cty_type_attr_index(t, "nope"), -1);
  assert_int_equal(fo_cty_type_kind(fo_cty_type_elem(fo_cty_type_attr_type(t, 0))), FO_CTY_NUMBER);
  assert_true(fo_cty_type_equal(t, u));
  assert_false(fo_cty_type_equal(t, w));
  assert_true(fo_cty_type_has_dynamic(t));
  assert_false(fo_cty_type_has_dynamic(fo_cty_type_attr_type(t, 0)));
  fo_cty_type_unref(t);
  fo_cty_type_unref(u);
  fo_cty_type_unref(w);
}

static void test_type_constructors(void **state) {
  const char *names[] = {"b", "a", "b"};
  fo_cty_type *types[3] = {fo_cty_type_string(), fo_cty_type_number(), fo_cty_type_list(fo_cty_type_bool())};
  fo_cty_type *tt[2] = {fo_cty_type_string(), fo_cty_type_bool()};
  fo_cty_type *tup;
  (void)state;
  assert_null(fo_cty_type_object(3, names, types)); /* duplicate b; references taken */
  assert_true(strstr(fo_err_last(), "duplicate") != NULL);
  tup = fo_cty_type_tuple(2, tt);
  assert_int_equal(fo_cty_type_count(tup), 2);
  assert_int_equal(fo_cty_type_kind(fo_cty_type_tuple_elem(tup, 1)), FO_CTY_BOOL);
  assert_null(fo_cty_type_tuple_elem(tup, 2));
  fo_cty_type_unref(tup);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_type_json_roundtrip),       cmocka_unit_test(test_type_json_errors),
      cmocka_unit_test(test_type_deep_nesting_bounded), cmocka_unit_test(test_type_accessors),
      cmocka_unit_test(test_type_constructors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
