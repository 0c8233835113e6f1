/* Unit tests for fo_base64: the RFC 4648 vectors, padded and raw (Go's
 * RawStdEncoding, as the go-plugin handshake wants), and inputs longer than
 * one encoder chunk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fo_base64.h"

static void rfc4648(void **state) {
  static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  static const char *const padded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  static const char *const raw[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
    fo_buf b = FO_BUF_INIT;
    assert_int_equal(fo_base64_encode(&b, in[i], strlen(in[i]), 1), 0);
    assert_string_equal(b.data, padded[i]);
    fo_buf_clear(&b);
    assert_int_equal(fo_base64_encode(&b, in[i], strlen(in[i]), 0), 0);
    assert_string_equal(b.data, raw[i]);
    fo_buf_dispose(&b);
  }
}

/* Binary bytes use '+' and '/', never newlines; a long input spans chunks
 * and only the very end loses its padding. */
static void binary_and_long(void **state) {
  unsigned char bin[] = {0xfb, 0xff, 0xbf};
  unsigned char *big = malloc(10000);
  fo_buf b = FO_BUF_INIT;
  size_t i;
  (void)state;
  assert_int_equal(fo_base64_encode(&b, bin, 3, 0), 0);
  assert_string_equal(b.data, "+/+/");
  fo_buf_clear(&b);
  for (i = 0; i < 10000; i++)
    big[i] = (unsigned char)(i * 7);
  assert_int_equal(fo_base64_encode(&b, big, 10000, 1), 0);
  assert_int_equal(b.len, 13336); /* 4 * ceil(10000 / 3) */
  assert_null(strchr(b.data, '\n'));
  assert_string_equal(b.data + b.len - 2, "==");
  assert_null(memchr(b.data, '=', b.len - 2));
  fo_buf_clear(&b);
  assert_int_equal(fo_base64_encode(&b, big, 10000, 0), 0);
  assert_int_equal(b.len, 13334);
  fo_buf_dispose(&b);
  free(big);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(rfc4648), cmocka_unit_test(binary_and_long)};
  return cmocka_run_group_tests_name("base64", tests, NULL, NULL);
}
