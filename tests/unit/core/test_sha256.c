/* Unit tests for fo_sha256_hex against the FIPS 180-2 known vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fo_sha256.h"

static void test_empty(void **state) {
  char hex[FO_SHA256_HEX_SIZE];
  (void)state;
  assert_int_equal(fo_sha256_hex(hex, "", 0), 0);
  assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  /* NULL with length 0 is the empty message too (an absent request body) */
  assert_int_equal(fo_sha256_hex(hex, NULL, 0), 0);
  assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state) {
  char hex[FO_SHA256_HEX_SIZE];
  (void)state;
  assert_int_equal(fo_sha256_hex(hex, "abc", 3), 0);
  assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_two_blocks(void **state) {
  static const char msg[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  char hex[FO_SHA256_HEX_SIZE];
  (void)state;
  assert_int_equal(fo_sha256_hex(hex, msg, strlen(msg)), 0);
  assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_empty),
      cmocka_unit_test(test_abc),
      cmocka_unit_test(test_two_blocks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
