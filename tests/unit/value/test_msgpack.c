/* Unit tests: the msgpack codec against the bytes Terraform sends and
 * expects (fact sheet 6.4-6.6), and its error messages. */
#include "test_helpers.h"

static void expect_decode_error(const char *type_json, const char *hex, const char *needle) {
  fo_cty_type *t = T(type_json);
  fo_cty_value *v = from_msgpack(t, hex);
  if (v)
    fail_msg("decoding %s as %s succeeded: %s", hex, type_json, fmt(v));
  if (!strstr(fo_err_last(), needle))
    fail_msg("error '%s' does not contain '%s'", fo_err_last(), needle);
  fo_cty_type_unref(t);
}

/* decode then re-encode gives the same bytes */
static void roundtrip(const char *type_json, const char *hex, const char *want_fmt) {
  fo_cty_type *t = T(type_json);
  fo_cty_value *v = from_msgpack(t, hex);
  if (!v)
    fail_msg("decode %s: %s", hex, fo_err_last());
  if (want_fmt)
    assert_string_equal(fmt(v), want_fmt);
  assert_msgpack(v, t, hex);
  fo_cty_value_unref(v);
  fo_cty_type_unref(t);
}

static void test_unknown_bytes(void **state) {
  fo_cty_value *u = fo_cty_unknown(fo_cty_type_string());
  fo_cty_value *n = fo_cty_null(fo_cty_type_number());
  (void)state;
  assert_msgpack(u, fo_cty_type_string(), "d4 00 00");
  assert_msgpack(n, fo_cty_type_number(), "c0");
  fo_cty_value_unref(u);
  fo_cty_value_unref(n);
  /* any extension of length <= 1 is unknown, whatever its type code */
  roundtrip("\"string\"", "d4 00 00", "(known after apply)");
  {
    fo_cty_type *t = T("[\"list\",\"string\"]");
    fo_cty_value *v = from_msgpack(t, "d4 07 ff");
    assert_non_null(v);
    assert_false(fo_cty_is_known(v));
    fo_cty_value_unref(v);
    v = from_msgpack(t, "c7 00 05");
    assert_non_null(v);
    assert_false(fo_cty_is_known(v));
    fo_cty_value_unref(v);
    fo_cty_type_unref(t);
  }
}

static void test_dynamic_wrapper(void **state) {
  fo_cty_type *dyn = fo_cty_type_dynamic();
  fo_cty_value *e[1] = {fo_cty_string_z("a")};
  fo_cty_value *l = fo_cty_list(fo_cty_type_string(), 1, e), *back;
  (void)state;
  /* the fact sheet's example: dynamic holding ["a"] */
  assert_msgpack(l, dyn, "92 c4 11 5b226c697374222c22737472696e67225d 91 a1 61");
  back = from_msgpack(dyn, "92 c4 11 5b226c697374222c22737472696e67225d 91 a1 61");
  assert_non_null(back);
  assert_true(fo_cty_value_equal(l, back));
  fo_cty_value_unref(back);
  /* str instead of bin decodes too */
  back = from_msgpack(dyn, "92 b1 5b226c697374222c22737472696e67225d 91 a1 61");
  assert_non_null(back);
  assert_true(fo_cty_value_equal(l, back));
  fo_cty_value_unref(back);
  fo_cty_value_unref(l);
  /* bare nil: null of unknown type; bare extension: wholly unknown */
  roundtrip("\"dynamic\"", "c0", "null");
  roundtrip("\"dynamic\"", "d4 00 00", "(known after apply)");
  /* null / unknown of a concrete type are wrapped */
  roundtrip("\"dynamic\"", "92 c4 08 22737472696e6722 c0", "null");
  roundtrip("\"dynamic\"", "92 c4 08 22737472696e6722 d4 00 00", "(known after apply)");
  /* dynamic attribute inside an object */
  roundtrip("[\"object\",{\"d\":\"dynamic\",\"s\":\"string\"}]", "82 a1 64 92 c4 08 226e756d62657222 2a a1 73 a1 78",
            "{\"d\" = 42, \"s\" = \"x\"}");
  expect_decode_error("\"dynamic\"", "93 c4 08 22737472696e6722 c0 c0", "exactly two elements");
  expect_decode_error("\"dynamic\"", "92 c4 05 2273747222 c0", "invalid type description");
  expect_decode_error("\"dynamic\"", "92 c4 08 22737472696e6722 01", "expected string, got int");
}

static void test_refined_unknowns(void **state) {
  fo_cty_type *s = fo_cty_type_string();
  fo_cty_value *v;
  (void)state;
  /* unknown, not null, string prefix "ab" */
  v = from_msgpack(s, "c7 07 0c 82 01 c2 02 a2 61 62");
  assert_non_null(v);
  assert_false(fo_cty_is_known(v));
  assert_true(fo_cty_unknown_not_null(v));
  assert_msgpack(v, s, "d4 00 00"); /* refinements are never emitted */
  fo_cty_value_unref(v);
  v = from_msgpack(s, "c7 03 0c 81 01 c2");
  assert_true(fo_cty_unknown_not_null(v));
  fo_cty_value_unref(v);
  /* unknown keys are ignored */
  v = from_msgpack(s, "c7 05 0c 82 01 c2 63 c3");
  assert_non_null(v);
  fo_cty_value_unref(v);
  /* definitely null collapses to null, as go-cty does */
  v = from_msgpack(s, "c7 03 0c 81 01 c3");
  assert_true(fo_cty_is_null(v));
  fo_cty_value_unref(v);
  /* list with known length 2 becomes a known list of two unknowns */
  {
    fo_cty_type *lt = T("[\"list\",\"string\"]");
    v = from_msgpack(lt, "c7 07 0c 83 01 c2 05 02 06 02");
    assert_non_null(v);
    assert_string_equal(fmt(v), "[(known after apply), (known after apply)]");
    fo_cty_value_unref(v);
    v = from_msgpack(lt, "c7 05 0c 82 05 01 06 03");
    assert_false(fo_cty_is_known(v));
    fo_cty_value_unref(v);
    fo_cty_type_unref(lt);
  }
  /* number bounds: [number, bool] */
  v = from_msgpack(fo_cty_type_number(), "c7 0b 0c 83 01 c2 03 92 01 c3 04 92 05 c2");
  assert_non_null(v);
  assert_false(fo_cty_is_known(v));
  fo_cty_value_unref(v);
  /* refinements on dynamic are ignored */
  v = from_msgpack(fo_cty_type_dynamic(), "c7 07 0c 82 01 c2 02 a2 61 62");
  assert_non_null(v);
  fo_cty_value_unref(v);

  expect_decode_error("\"number\"", "c7 07 0c 82 01 c2 02 a2 61 62", "string prefix refinement for non-string type");
  expect_decode_error("\"string\"", "c7 05 0c 82 01 c2 05 01", "length bound refinement for non-collection type");
  expect_decode_error("\"string\"", "c7 05 0c 81 03 92 01 c3", "numeric bound refinement for non-number type");
  expect_decode_error("\"string\"", "c7 03 05 81 01 c2", "unsupported extension type 0x05 with len 3");
  expect_decode_error("\"string\"", "c7 02 0c 01 02", "not a map");
  expect_decode_error("\"string\"", "c7 04 0c 81 a1 61 c3", "non-integer key");
  expect_decode_error("\"string\"", "c7 03 0c 81 01 01", "null refinement is not boolean");
  {
    /* an ext body longer than 1024 bytes */
    char hex[2 * 1100 + 32];
    snprintf(hex, sizeof(hex), "c8 04 01 0c 81 01 c2");
    for (int i = 0; i < 1025 - 3; i++)
      snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "00");
    expect_decode_error("\"string\"", hex, "oversize unknown value refinement");
  }
}

static void test_numbers_any_width(void **state) {
  fo_cty_type *n = fo_cty_type_number();
  const char *forms[] = {"05",
                         "cc 05",
                         "cd 0005",
                         "ce 00000005",
                         "cf 0000000000000005",
                         "d0 05",
                         "d1 0005",
                         "d2 00000005",
                         "d3 0000000000000005",
                         "ca 40a00000",
                         "cb 4014000000000000",
                         "a1 35",
                         "c4 01 35"};
  (void)state;
  for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
    fo_cty_value *v = from_msgpack(n, forms[i]);
    int64_t x = 0;
    if (!v)
      fail_msg("%s: %s", forms[i], fo_err_last());
    assert_int_equal(fo_cty_number_as_int64(v, &x), 0);
    assert_int_equal(x, 5);
    assert_msgpack(v, n, "05");
    fo_cty_value_unref(v);
  }
  expect_decode_error("\"number\"", "cb 7ff8000000000000", "NaN");
  expect_decode_error("\"number\"", "a3 616263", "expected number, got string 'abc'");
  {
    fo_cty_value *v = from_msgpack(n, "cf ffffffffffffffff"); /* uint64 max */
    assert_string_equal(fo_cty_number_text(v), "18446744073709551615");
    assert_msgpack(v, n, "b4 3138343436373434303733373039353531363135");
    fo_cty_value_unref(v);
  }
}

static void test_structures(void **state) {
  (void)state;
  roundtrip("[\"object\",{\"a\":\"string\",\"b\":[\"list\",\"number\"],\"c\":\"bool\"}]",
            "83 a1 61 a1 78 a1 62 92 01 cb 3ff8000000000000 a1 63 c2",
            "{\"a\" = \"x\", \"b\" = [1, 1.5], \"c\" = false}");
  roundtrip("[\"map\",\"number\"]", "82 a1 61 01 a1 62 02", "{\"a\" = 1, \"b\" = 2}");
  roundtrip("[\"set\",\"string\"]", "92 a1 61 a1 62", "[\"a\", \"b\"]");
  roundtrip("[\"tuple\",[\"string\",\"number\"]]", "92 a1 61 01", "[\"a\", 1]");
  roundtrip("[\"list\",\"string\"]", "90", "[]");
  roundtrip("[\"list\",[\"list\",\"string\"]]", "92 d4 00 00 91 d4 00 00",
            "[(known after apply), [(known after apply)]]");
  {
    /* object keys in any order decode; encoding sorts them */
    fo_cty_type *t = T("[\"object\",{\"a\":\"string\",\"b\":\"string\"}]");
    fo_cty_value *v = from_msgpack(t, "82 a1 62 a1 32 a1 61 a1 31");
    assert_non_null(v);
    assert_msgpack(v, t, "82 a1 61 a1 31 a1 62 a1 32");
    fo_cty_value_unref(v);
    fo_cty_type_unref(t);
  }
  {
    /* set duplicates collapse and come out sorted */
    fo_cty_type *t = T("[\"set\",\"string\"]");
    fo_cty_value *v = from_msgpack(t, "93 a1 62 a1 61 a1 62");
    assert_msgpack(v, t, "92 a1 61 a1 62");
    fo_cty_value_unref(v);
    fo_cty_type_unref(t);
  }
  {
    /* strings may arrive as bin; long strings use str8 */
    fo_cty_value *v = from_msgpack(fo_cty_type_string(), "c4 02 6869");
    assert_string_equal(fo_cty_as_string(v, NULL), "hi");
    assert_msgpack(v, fo_cty_type_string(), "a2 6869");
    fo_cty_value_unref(v);
  }
}

static void test_errors_with_paths(void **state) {
  const char *obj = "[\"object\",{\"a\":[\"object\",{\"b\":[\"list\",\"string\"]}]}]";
  (void)state;
  expect_decode_error(obj, "81 a1 61 81 a1 62 93 a1 78 a1 79 05", "at .a.b[2]: expected string, got int");
  expect_decode_error(obj, "81 a1 61 82 a1 62 90 a1 63 c0", "at .a: expected an object with 1 attributes, got 2");
  expect_decode_error(obj, "81 a1 7a c0", "at .z: unsupported attribute");
  expect_decode_error(obj, "80", "at root: expected an object with 1 attributes, got 0");
  expect_decode_error(obj, "81 01 c0", "object keys must be strings");
  expect_decode_error("[\"map\",\"bool\"]", "81 a1 6b 01", "at [\"k\"]: expected bool, got int");
  expect_decode_error("[\"map\",\"bool\"]", "82 a1 6b c3 a1 6b c2", "duplicate map key");
  expect_decode_error("[\"tuple\",[\"string\"]]", "92 a1 61 a1 62", "expected a tuple of length 1, got 2");
  expect_decode_error("[\"tuple\",[\"string\"]]", "90", "expected a tuple of length 1, got 0");
  expect_decode_error("\"string\"", "a1 61 00", "1 trailing bytes");
  expect_decode_error("\"string\"", "a5 61", "truncated");
  expect_decode_error("\"string\"", "c1", "invalid type byte");
  expect_decode_error("\"string\"", "a2 ff fe", "not valid UTF-8");
  expect_decode_error("[\"list\",\"string\"]", "dd ffffffff", "more than the input holds");
  expect_decode_error("\"bool\"", "a4 74727565", "expected bool, got string");
  expect_decode_error("[\"list\",\"string\"]", "81 a1 61 a1 62", "expected list, got map");
  {
    fo_cty_type *t = T("[\"object\",{\"a\":\"string\"}]");
    fo_cty_value *v = fo_cty_string_z("x");
    fo_buf b = FO_BUF_INIT;
    assert_int_not_equal(fo_cty_msgpack_encode(v, t, &b), 0);
    assert_true(strstr(fo_err_last(), "does not conform") != NULL);
    assert_int_equal(b.len, 0);
    fo_cty_value_unref(v);
    fo_cty_type_unref(t);
  }
}

/* Decode `depth` nested lists around "a" with the matching list type. */
static int decode_nested(int depth) {
  char type[8192] = "", hex[8192] = "";
  fo_cty_type *t;
  fo_cty_value *v = NULL;
  uint8_t bytes[256];
  size_t n;
  int rc;
  for (int i = 0; i < depth; i++) {
    snprintf(type + strlen(type), sizeof(type) - strlen(type), "[\"list\",");
    snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "91");
  }
  snprintf(type + strlen(type), sizeof(type) - strlen(type), "\"string\"");
  snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "a161");
  for (int i = 0; i < depth; i++)
    snprintf(type + strlen(type), sizeof(type) - strlen(type), "]");
  t = T(type);
  n = unhex(hex, bytes, sizeof(bytes));
  rc = fo_cty_msgpack_decode(&v, t, bytes, n);
  fo_cty_value_unref(v);
  fo_cty_type_unref(t);
  return rc;
}

static void test_depth_bound(void **state) {
  (void)state;
  /* deeper than msgpack-c's fixed 32-entry parser stack: refused up front */
  assert_int_not_equal(decode_nested(40), 0);
  assert_true(strstr(fo_err_last(), "nested") != NULL);
  /* 31 levels still decode */
  if (decode_nested(31) != 0)
    fail_msg("31 levels: %s", fo_err_last());
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_unknown_bytes),    cmocka_unit_test(test_dynamic_wrapper),
      cmocka_unit_test(test_refined_unknowns), cmocka_unit_test(test_numbers_any_width),
      cmocka_unit_test(test_structures),       cmocka_unit_test(test_errors_with_paths),
      cmocka_unit_test(test_depth_bound),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
