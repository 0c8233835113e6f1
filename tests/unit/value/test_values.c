/* Unit tests: value construction, ownership, equality, sets, maps, objects,
 * conformance and the human format. */
#include "test_helpers.h"

static fo_cty_value *S(const char *s) {
  return fo_cty_string_z(s);
}

static void test_primitives(void **state) {
  fo_cty_value *s = S("héllo"), *b = fo_cty_bool(1), *n = fo_cty_null(fo_cty_type_string());
  fo_cty_value *u = fo_cty_unknown(fo_cty_type_string());
  size_t len = 0;
  (void)state;
  assert_string_equal(fo_cty_as_string(s, &len), "héllo");
  assert_int_equal(len, 6);
  assert_true(fo_cty_as_bool(b));
  assert_true(fo_cty_is_null(n));
  assert_true(fo_cty_is_known(n));
  assert_false(fo_cty_is_known(u));
  assert_false(fo_cty_is_wholly_known(u));
  assert_null(fo_cty_as_string(n, NULL));
  assert_null(fo_cty_string("\xff", 1));         /* invalid UTF-8 */
  assert_null(fo_cty_string("\xc0\x80", 2));     /* overlong */
  assert_null(fo_cty_string("\xed\xa0\x80", 3)); /* surrogate */
  fo_cty_value_unref(s);
  fo_cty_value_unref(b);
  fo_cty_value_unref(n);
  fo_cty_value_unref(u);
}

static void test_list_and_refs(void **state) {
  fo_cty_value *e[2] = {S("a"), S("b")};
  fo_cty_value *l = fo_cty_list(fo_cty_type_string(), 2, e), *l2;
  (void)state;
  assert_int_equal(fo_cty_length(l), 2);
  l2 = fo_cty_value_ref(l);
  fo_cty_value_unref(l);
  assert_string_equal(fmt(l2), "[\"a\", \"b\"]");
  fo_cty_value_unref(l2);
  /* wrong element type: NULL, elements released (valgrind checks) */
  e[0] = S("a");
  e[1] = fo_cty_bool(0);
  assert_null(fo_cty_list(fo_cty_type_string(), 2, e));
  assert_true(strstr(fo_err_last(), "element 1") != NULL);
}

static void test_set_dedup_and_order(void **state) {
  fo_cty_value *e[6] = {S("b"),
                        S("a"),
                        fo_cty_unknown(fo_cty_type_string()),
                        S("b"),
                        fo_cty_null(fo_cty_type_string()),
                        fo_cty_unknown(fo_cty_type_string())};
  fo_cty_value *s = fo_cty_set(fo_cty_type_string(), 6, e), *e2[3], *s2;
  (void)state;
  /* known sorted, then the two unknowns (never merged), then null */
  assert_string_equal(fmt(s), "[\"a\", \"b\", (known after apply), (known after apply), null]");
  e2[0] = S("a");
  e2[1] = S("b");
  e2[2] = S("a");
  s2 = fo_cty_set(fo_cty_type_string(), 3, e2);
  assert_int_equal(fo_cty_length(s2), 2);
  assert_false(fo_cty_value_equal(s, s2));
  fo_cty_value_unref(s);
  fo_cty_value_unref(s2);
}

static void test_set_of_objects_order(void **state) {
  fo_cty_type *t = T("[\"object\",{\"n\":\"number\",\"s\":\"string\"}]");
  fo_cty_value *a[2] = {fo_cty_number_int(10), S("x")}, *b[2] = {fo_cty_number_int(9), S("x")};
  fo_cty_value *c[2] = {fo_cty_number_int(10), S("x")};
  fo_cty_value *e[3], *s;
  (void)state;
  e[0] = fo_cty_object(t, a);
  e[1] = fo_cty_object(t, b);
  e[2] = fo_cty_object(t, c);
  s = fo_cty_set(t, 3, e);
  /* go-cty orders by its hash string "<10;\"x\";>" < "<9;\"x\";>" */
  assert_string_equal(fmt(s), "[{\"n\" = 10, \"s\" = \"x\"}, {\"n\" = 9, \"s\" = \"x\"}]");
  fo_cty_value_unref(s);
  fo_cty_type_unref(t);
}

static void test_map(void **state) {
  const char *keys[3] = {"z", "a", "m"};
  fo_cty_value *v[3] = {S("1"), S("2"), S("3")}, *m;
  const char *dup[2] = {"a", "a"};
  fo_cty_value *dv[2] = {S("1"), S("2")};
  (void)state;
  m = fo_cty_map(fo_cty_type_string(), 3, keys, v);
  assert_string_equal(fo_cty_map_key(m, 0), "a");
  assert_string_equal(fo_cty_as_string(fo_cty_map_get(m, "z"), NULL), "1");
  assert_null(fo_cty_map_get(m, "q"));
  assert_string_equal(fmt(m), "{\"a\" = \"2\", \"m\" = \"3\", \"z\" = \"1\"}");
  fo_cty_value_unref(m);
  assert_null(fo_cty_map(fo_cty_type_string(), 2, dup, dv));
  assert_true(strstr(fo_err_last(), "duplicate map key 'a'") != NULL);
}

static void test_object_and_with(void **state) {
  fo_cty_type *t = T("[\"object\",{\"name\":\"string\",\"count\":\"number\",\"tags\":[\"map\",\"string\"]}]");
  fo_cty_value *vals[3], *o, *o2, *o3;
  (void)state;
  vals[0] = fo_cty_number_int(2);
  vals[1] = S("web");
  vals[2] = fo_cty_unknown(fo_cty_type_attr_type(t, 2));
  o = fo_cty_object(t, vals);
  assert_non_null(o);
  assert_string_equal(fmt(o), "{\"count\" = 2, \"name\" = \"web\", \"tags\" = (known after apply)}");
  assert_false(fo_cty_is_wholly_known(o));
  assert_true(fo_cty_is_known(o));
  o2 = fo_cty_object_with(o, "name", S("db"));
  assert_string_equal(fo_cty_as_string(fo_cty_get_attr(o2, "name"), NULL), "db");
  assert_string_equal(fo_cty_as_string(fo_cty_get_attr(o, "name"), NULL), "web"); /* immutable */
  assert_null(fo_cty_object_with(o, "nope", S("x")));
  assert_null(fo_cty_object_with(o, "count", S("x"))); /* does not conform */
  o3 = fo_cty_object_with(o2, "name", S("web"));
  assert_true(fo_cty_value_equal(o, o3));
  assert_false(fo_cty_value_equal(o, o2));
  assert_true(fo_cty_value_conforms(o, t));
  fo_cty_value_unref(o);
  fo_cty_value_unref(o2);
  fo_cty_value_unref(o3);
  fo_cty_type_unref(t);
}

static void test_dynamic_inference(void **state) {
  fo_cty_type *t = T("[\"object\",{\"d\":\"dynamic\"}]");
  fo_cty_value *e[2] = {S("a"), S("b")}, *vals[1], *o;
  fo_buf b = FO_BUF_INIT;
  (void)state;
  vals[0] = fo_cty_list(fo_cty_type_dynamic(), 2, e);
  o = fo_cty_object(t, vals);
  assert_int_equal(fo_cty_type_to_json(fo_cty_value_type(o), &b), 0);
  assert_string_equal(b.data, "[\"object\",{\"d\":[\"list\",\"string\"]}]");
  assert_true(fo_cty_value_conforms(o, t));
  fo_buf_dispose(&b);
  fo_cty_value_unref(o);
  fo_cty_type_unref(t);
}

static void test_list_of_dynamic_mixed(void **state) {
  fo_cty_type *t = T("[\"list\",\"dynamic\"]");
  fo_cty_value *e[3] = {S("a"), fo_cty_unknown(fo_cty_type_dynamic()), fo_cty_null(fo_cty_type_dynamic())};
  fo_cty_value *l = fo_cty_list(fo_cty_type_dynamic(), 3, e);
  (void)state;
  assert_non_null(l);
  /* go-cty: the list is list(string); untyped elements become typed null/unknown */
  assert_msgpack(l, t, "93 92c40822737472696e6722a161 92c40822737472696e6722d40000 92c40822737472696e6722c0");
  fo_cty_value_unref(l);
  fo_cty_type_unref(t);
}

static void test_tuple_equality(void **state) {
  fo_cty_value *a[2] = {S("x"), fo_cty_number_int(1)}, *b[2] = {S("x"), fo_cty_number_double(1.0)};
  fo_cty_value *c[2] = {S("x"), fo_cty_unknown(fo_cty_type_number())},
               *d[2] = {S("x"), fo_cty_unknown(fo_cty_type_number())};
  fo_cty_value *ta = fo_cty_tuple(2, a), *tb = fo_cty_tuple(2, b), *tc = fo_cty_tuple(2, c), *td = fo_cty_tuple(2, d);
  (void)state;
  assert_true(fo_cty_value_equal(ta, tb));
  assert_false(fo_cty_value_equal(ta, tc));
  assert_true(fo_cty_value_equal(tc, td)); /* unknowns of one type are equal (RawEquals) */
  fo_cty_value_unref(ta);
  fo_cty_value_unref(tb);
  fo_cty_value_unref(tc);
  fo_cty_value_unref(td);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_primitives),
      cmocka_unit_test(test_list_and_refs),
      cmocka_unit_test(test_set_dedup_and_order),
      cmocka_unit_test(test_set_of_objects_order),
      cmocka_unit_test(test_map),
      cmocka_unit_test(test_object_and_with),
      cmocka_unit_test(test_dynamic_inference),
      cmocka_unit_test(test_tuple_equality),
      cmocka_unit_test(test_list_of_dynamic_mixed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
