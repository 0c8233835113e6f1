/* Unit tests: exact numbers (int64 edges, doubles, big decimals, 0.1) and
 * their canonical text and wire forms. */
#include <math.h>

#include "fo_cty_internal.h"
#include "test_helpers.h"

static fo_cty_value *P(const char *text) {
  fo_cty_value *v = NULL;
  int rc = fo_cty_number_parse(&v, text, strlen(text));
  if (rc)
    fail_msg("parse '%s': %s", text, fo_err_last());
  return v;
}

static void expect_text(const char *in, const char *want) {
  fo_cty_value *v = P(in);
  assert_string_equal(fo_cty_number_text(v), want);
  fo_cty_value_unref(v);
}

static void test_parse_canonical_text(void **state) {
  (void)state;
  expect_text("0", "0");
  expect_text("-0", "0");
  expect_text("0.1", "0.1");
  expect_text("1e3", "1000");
  expect_text("1E+3", "1000");
  expect_text("+12.50", "12.5");
  expect_text("-12", "-12");
  expect_text("0.000123", "0.000123");
  expect_text("1.23e-7", "0.000000123");
  expect_text("123456789012345678901234567890", "123456789012345678901234567890");
  expect_text("-9223372036854775808", "-9223372036854775808");
  expect_text("9223372036854775808", "9223372036854775808");
  expect_text(".5", "0.5");
  expect_text("5.", "5");
  expect_text("1e400",
              "1"
              "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
              "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
              "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
              "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
  expect_text("Inf", "+Inf");
  expect_text("-Inf", "-Inf");
}

static void test_parse_errors(void **state) {
  fo_cty_value *v = NULL;
  const char *bad[] = {"", "-", "1e", "abc", "1.2.3", "0x10", "1 ", "--1", "e5", "1e99999999"};
  (void)state;
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    assert_int_not_equal(fo_cty_number_parse(&v, bad[i], strlen(bad[i])), 0);
    assert_null(v);
  }
}

static void test_int64_edges(void **state) {
  int64_t i = 0;
  fo_cty_value *v;
  (void)state;
  v = fo_cty_number_int(INT64_MIN);
  assert_int_equal(fo_cty_number_as_int64(v, &i), 0);
  assert_true(i == INT64_MIN);
  assert_string_equal(fo_cty_number_text(v), "-9223372036854775808");
  assert_msgpack(v, fo_cty_type_number(), "d3 8000000000000000");
  fo_cty_value_unref(v);
  v = P("9223372036854775807");
  assert_int_equal(fo_cty_number_as_int64(v, &i), 0);
  assert_true(i == INT64_MAX);
  assert_msgpack(v, fo_cty_type_number(), "cf 7fffffffffffffff");
  fo_cty_value_unref(v);
  v = P("9223372036854775808"); /* beyond int64: a decimal string on the wire */
  assert_int_not_equal(fo_cty_number_as_int64(v, &i), 0);
  assert_msgpack(v, fo_cty_type_number(), "b3 39323233333732303336383534373735383038");
  fo_cty_value_unref(v);
  v = P("18446744073709551616"); /* 2^64 is an exact double but an integer: string */
  assert_msgpack(v, fo_cty_type_number(), "b4 3138343436373434303733373039353531363136");
  fo_cty_value_unref(v);
}

static void test_smallest_ints(void **state) {
  struct {
    int64_t i;
    const char *hex;
  } cases[] = {
      {0, "00"},
      {127, "7f"},
      {128, "cc80"},
      {255, "ccff"},
      {256, "cd0100"},
      {65536, "ce00010000"},
      {4294967296LL, "cf0000000100000000"},
      {-1, "ff"},
      {-32, "e0"},
      {-33, "d0df"},
      {-129, "d1ff7f"},
      {-32769, "d2ffff7fff"},
      {-2147483649LL, "d3ffffffff7fffffff"},
  };
  (void)state;
  for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    fo_cty_value *v = fo_cty_number_int(cases[k].i);
    assert_msgpack(v, fo_cty_type_number(), cases[k].hex);
    fo_cty_value_unref(v);
  }
}

static void test_doubles(void **state) {
  fo_cty_value *v, *w;
  (void)state;
  v = fo_cty_number_double(0.5);
  assert_string_equal(fo_cty_number_text(v), "0.5");
  assert_msgpack(v, fo_cty_type_number(), "cb 3fe0000000000000");
  w = P("0.5"); /* decimal text that is an exact double is the same number */
  assert_true(fo_cty_value_equal(v, w));
  fo_cty_value_unref(v);
  fo_cty_value_unref(w);

  v = fo_cty_number_double(3.0); /* integral doubles are ints */
  assert_msgpack(v, fo_cty_type_number(), "03");
  fo_cty_value_unref(v);

  v = fo_cty_number_double(0.1); /* the double nearest 0.1 is not the decimal 0.1 */
  w = P("0.1");
  assert_false(fo_cty_value_equal(v, w));
  assert_string_equal(fo_cty_number_text(v), "0.1");
  assert_msgpack(v, fo_cty_type_number(), "cb 3fb999999999999a");
  assert_msgpack(w, fo_cty_type_number(), "a3 302e31");
  assert_true(fabs(fo_cty_number_as_double(w) - 0.1) < 1e-17);
  fo_cty_value_unref(v);
  fo_cty_value_unref(w);

  v = fo_cty_number_double(1e300); /* go-cty writes shortest digits in plain form */
  assert_int_equal(strlen(fo_cty_number_text(v)), 301);
  fo_cty_value_unref(v);

  v = fo_cty_number_double(INFINITY);
  assert_string_equal(fo_cty_number_text(v), "+Inf");
  assert_msgpack(v, fo_cty_type_number(), "cb 7ff0000000000000");
  fo_cty_value_unref(v);

  assert_null(fo_cty_number_double(NAN));
  v = fo_cty_number_double(-0.0); /* -0 is the integer 0, as go-cty encodes it */
  assert_msgpack(v, fo_cty_type_number(), "00");
  fo_cty_value_unref(v);
}

static void test_equality_across_forms(void **state) {
  fo_cty_value *a = P("1000"), *b = fo_cty_number_int(1000), *c = fo_cty_number_double(1000.0);
  fo_cty_value *d = P("1000.000"), *e = P("1e3");
  (void)state;
  assert_true(fo_cty_value_equal(a, b));
  assert_true(fo_cty_value_equal(a, c));
  assert_true(fo_cty_value_equal(a, d));
  assert_true(fo_cty_value_equal(a, e));
  fo_cty_value_unref(a);
  fo_cty_value_unref(b);
  fo_cty_value_unref(c);
  fo_cty_value_unref(d);
  fo_cty_value_unref(e);
}

static void test_big_decimal_roundtrip(void **state) {
  const char *texts[] = {"123456789012345678901234567890", "-0.000000000000000000000000000001",
                         "3.14159265358979323846264338327950288", "0.1", "1.1"};
  (void)state;
  for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
    fo_cty_value *v = P(texts[i]), *back = NULL;
    fo_buf b = FO_BUF_INIT;
    assert_int_equal(fo_cty_msgpack_encode(v, fo_cty_type_number(), &b), 0);
    assert_int_equal(fo_cty_msgpack_decode(&back, fo_cty_type_number(), (const uint8_t *)b.data, b.len), 0);
    assert_true(fo_cty_value_equal(v, back));
    assert_string_equal(fo_cty_number_text(back), texts[i]);
    fo_buf_dispose(&b);
    fo_cty_value_unref(v);
    fo_cty_value_unref(back);
  }
}

static void test_set_order_numbers(void **state) {
  fo_cty_value *e[5] = {P("10"), P("0.1"), fo_cty_number_double(-2.5), P("1e30"), P("10")};
  fo_cty_value *s;
  (void)state;
  s = fo_cty_set(fo_cty_type_number(), 5, e);
  assert_non_null(s);
  assert_string_equal(fmt(s), "[-2.5, 0.1, 10, 1000000000000000000000000000000]");
  fo_cty_value_unref(s);
}

/* go-cty keeps parsed numbers in 512 bits (big.ParseFloat, ToNearestEven):
 * longer decimals come back rounded, as go-cty prints them (the expected
 * texts are go-cty's own Text('f', -1) output for the same input). */
static void test_512_bits_like_go_cty(void **state) {
  fo_cty_value *a, *b;
  (void)state;
  expect_text(
      "3."
      "1415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679821480865132"
      "8230664709384460955058223172535940812848111745028410270193852110555964462294895493038196",
      "3."
      "1415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679821480865132"
      "823066470938446095505822317253594081284811");
  expect_text(
      "1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "00000000000000000000000000000000000000000000000001",
      "1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "00000000000000000000000000000000000000000000000000");
  expect_text(
      "0."
      "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
      "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
      "0."
      "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
      "11111111111111111111111111111111111111111115");
  /* 153 significant digits survive 512 bits unchanged */
  expect_text(
      "0."
      "7777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777"
      "77777777777777777777777777777777777777777",
      "0."
      "7777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777"
      "77777777777777777777777777777777777777777");
  /* rounded to a double exactly: becomes the double */
  a =
      P("0."
        "50000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001");
  assert_string_equal(fo_cty_number_text(a), "0.5");
  b = fo_cty_number_double(0.5);
  assert_true(fo_cty_value_equal(a, b));
  fo_cty_value_unref(a);
  fo_cty_value_unref(b);
}

/* String() (%.10g, the set hash text) rounds the 512-bit binary value, not
 * the decimal text: on a 10-digit tie they differ (go-cty's outputs). */
static void expect_gtext(fo_cty_value *v, const char *want) {
  fo_buf b = FO_BUF_INIT;
  assert_int_equal(fo_cty__number_gtext(v, &b), 0);
  assert_string_equal(b.data, want);
  fo_buf_dispose(&b);
  fo_cty_value_unref(v);
}

static void test_gtext_like_go_cty(void **state) {
  (void)state;
  expect_gtext(P("123456789.05"), "123456789.1");
  expect_gtext(P("0.00012345678905"), "0.0001234567891");
  expect_gtext(P("0.12345678905"), "0.123456789");
  expect_gtext(P("123456789012345678901234567890"), "1.23456789e+29");
  expect_gtext(P("-0.000001"), "-1e-06");
  expect_gtext(P("1e40"), "1e+40");
  expect_gtext(P("3."
                 "14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798"
                 "214808651328230664709384460955058223172535940812848111745028410270193852110555964462294895493038196"),
               "3.141592654");
  expect_gtext(fo_cty_number_double(2.5), "2.5");
  expect_gtext(fo_cty_number_int(12345678905), "1.23456789e+10"); /* exact tie: half to even */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_canonical_text),
      cmocka_unit_test(test_parse_errors),
      cmocka_unit_test(test_int64_edges),
      cmocka_unit_test(test_smallest_ints),
      cmocka_unit_test(test_doubles),
      cmocka_unit_test(test_equality_across_forms),
      cmocka_unit_test(test_big_decimal_roundtrip),
      cmocka_unit_test(test_set_order_numbers),
      cmocka_unit_test(test_512_bits_like_go_cty),
      cmocka_unit_test(test_gtext_like_go_cty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
