/* Unit tests: attribute paths (format, copy, prefix, walking values). */
#include "test_helpers.h"
#include "fo_cty_path.h"

static void test_path_format(void **state) {
  fo_cty_path p = FO_CTY_PATH_INIT, q;
  fo_buf b = FO_BUF_INIT;
  (void)state;
  assert_int_equal(fo_cty_path_format(&p, &b), 0);
  assert_null(b.data);
  assert_int_equal(fo_cty_path_push_attr(&p, "a"), 0);
  assert_int_equal(fo_cty_path_push_attr(&p, "b"), 0);
  assert_int_equal(fo_cty_path_push_index(&p, 0), 0);
  assert_int_equal(fo_cty_path_push_key(&p, "k\"1"), 0);
  assert_int_equal(fo_cty_path_format(&p, &b), 0);
  assert_string_equal(b.data, "a.b[0][\"k\\\"1\"]");
  assert_int_equal(fo_cty_path_copy(&q, &p), 0);
  assert_true(fo_cty_path_equal(&p, &q));
  fo_cty_path_pop(&q);
  assert_false(fo_cty_path_equal(&p, &q));
  assert_true(fo_cty_path_has_prefix(&p, &q));
  assert_false(fo_cty_path_has_prefix(&q, &p));
  fo_cty_path_pop(&q);
  fo_cty_path_pop(&q);
  fo_cty_path_pop(&q);
  fo_cty_path_pop(&q); /* popping an empty path is a no-op */
  assert_int_equal(q.len, 0);
  fo_cty_path_dispose(&p);
  fo_cty_path_dispose(&q);
  fo_buf_dispose(&b);
}

static void test_path_get(void **state) {
  fo_cty_type *t =
      T("[\"object\",{\"a\":[\"list\",[\"map\",\"string\"]],\"n\":\"number\",\"t\":[\"tuple\",[\"bool\"]]}]");
  fo_cty_value *v = from_msgpack(t, "83 a1 61 91 81 a1 6b a1 76 a1 6e c0 a1 74 91 c3");
  fo_cty_path p = FO_CTY_PATH_INIT;
  const fo_cty_value *got;
  size_t n;
  (void)state;
  assert_non_null(v);
  assert_true(fo_cty_path_get(v, &p) == v);
  fo_cty_path_push_attr(&p, "a");
  fo_cty_path_push_index(&p, 0);
  fo_cty_path_push_key(&p, "k");
  got = fo_cty_path_get(v, &p);
  assert_non_null(got);
  assert_string_equal(fo_cty_as_string(got, &n), "v");
  fo_cty_path_pop(&p);
  fo_cty_path_push_key(&p, "missing");
  assert_null(fo_cty_path_get(v, &p));
  fo_cty_path_dispose(&p);
  fo_cty_path_push_attr(&p, "n");
  fo_cty_path_push_attr(&p, "x"); /* through a null */
  assert_null(fo_cty_path_get(v, &p));
  fo_cty_path_dispose(&p);
  fo_cty_path_push_attr(&p, "t");
  fo_cty_path_push_index(&p, 0);
  assert_true(fo_cty_as_bool(fo_cty_path_get(v, &p)));
  fo_cty_path_pop(&p);
  fo_cty_path_push_index(&p, 1);
  assert_null(fo_cty_path_get(v, &p));
  fo_cty_path_dispose(&p);
  fo_cty_value_unref(v);
  fo_cty_type_unref(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_path_format), cmocka_unit_test(test_path_get)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
