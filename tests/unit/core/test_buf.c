/* Unit tests for fo_buf: growth, the size bound, detach and wipe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fo_buf.h"
#include "fo_err.h"

static void test_append_grows(void **state) {
  fo_buf b = FO_BUF_INIT;
  (void)state;
  for (int i = 0; i < 1000; i++)
    assert_int_equal(fo_buf_puts(&b, "abc"), 0);
  assert_int_equal(b.len, 3000);
  assert_int_equal(strlen(b.data), 3000);
  assert_memory_equal(b.data + 2997, "abc", 3);
  fo_buf_dispose(&b);
}

static void test_limit(void **state) {
  fo_buf b;
  (void)state;
  fo_buf_init(&b, 8);
  assert_int_equal(fo_buf_puts(&b, "12345678"), 0);
  assert_int_equal(fo_buf_puts(&b, "9"), FO_ELIMIT);
  assert_non_null(strstr(fo_err_last(), "limit of 8 bytes"));
  assert_int_equal(b.len, 8); /* a failed append leaves the content alone */
  assert_string_equal(b.data, "12345678");
  fo_buf_dispose(&b);
}

static void test_printf_and_detach(void **state) {
  fo_buf b = FO_BUF_INIT;
  size_t n;
  char *s;
  (void)state;
  assert_int_equal(fo_buf_printf(&b, "%s-%d", "x", 42), 0);
  assert_int_equal(fo_buf_printf(&b, "%05d", 7), 0);
  s = fo_buf_detach(&b, &n);
  assert_string_equal(s, "x-4200007");
  assert_int_equal(n, 9);
  assert_null(b.data);
  free(s);
  s = fo_buf_detach(&b, &n); /* empty buffer gives an empty string, not NULL */
  assert_string_equal(s, "");
  assert_int_equal(n, 0);
  free(s);
}

static void test_wipe(void **state) {
  fo_buf b = FO_BUF_INIT;
  (void)state;
  assert_int_equal(fo_buf_puts(&b, "secret"), 0);
  fo_buf_wipe(&b);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  fo_buf_dispose(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_append_grows),
      cmocka_unit_test(test_limit),
      cmocka_unit_test(test_printf_and_detach),
      cmocka_unit_test(test_wipe),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
