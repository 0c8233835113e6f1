/* Unit tests for fo_err: set, wrap, clear, per-thread messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <string.h>

#include "fo_err.h"

static void test_set_and_wrap(void **state) {
  (void)state;
  assert_int_equal(fo_err_set(FO_EINVAL, "bad value '%s'", "x"), FO_EINVAL);
  assert_string_equal(fo_err_last(), "bad value 'x'");
  assert_int_equal(fo_err_wrap(FO_EINVAL, "reading %s", "config"), FO_EINVAL);
  assert_string_equal(fo_err_last(), "reading config: bad value 'x'");
  fo_err_clear();
  assert_string_equal(fo_err_last(), "");
  fo_err_wrap(FO_ERR, "alone");
  assert_string_equal(fo_err_last(), "alone");
}

static void *other_thread(void *arg) {
  (void)arg;
  fo_err_set(FO_EIO, "from the other thread");
  return NULL;
}

static void test_thread_local(void **state) {
  pthread_t t;
  (void)state;
  fo_err_set(FO_EINVAL, "mine");
  assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
  pthread_join(t, NULL);
  assert_string_equal(fo_err_last(), "mine");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_set_and_wrap),
      cmocka_unit_test(test_thread_local),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
