/* Unit tests for fo_cancel and fo_clock: parents, deadlines, interruptible
 * sleeps, and the virtual clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <string.h>

#include "fo_cancel.h"
#include "fo_clock.h"
#include "fo_err.h"

static void test_trigger_and_parent(void **state) {
  fo_cancel *root, *a, *b;
  (void)state;
  assert_int_equal(fo_cancel_new(&root, NULL), 0);
  assert_int_equal(fo_cancel_new(&a, root), 0);
  assert_int_equal(fo_cancel_new(&b, root), 0);
  assert_false(fo_cancel_is_cancelled(a));
  assert_string_equal(fo_cancel_reason(a), "");
  fo_cancel_trigger(a, "the client cancelled the call");
  assert_true(fo_cancel_is_cancelled(a));
  assert_false(fo_cancel_is_cancelled(b)); /* a sibling is untouched */
  assert_false(fo_cancel_is_cancelled(root));
  fo_cancel_trigger(root, "stopped by StopProvider");
  assert_true(fo_cancel_is_cancelled(b));
  assert_string_equal(fo_cancel_reason(b), "stopped by StopProvider");
  assert_string_equal(fo_cancel_reason(a), "the client cancelled the call"); /* first reason wins */
  assert_false(fo_cancel_is_cancelled(NULL));
  fo_cancel_free(a);
  fo_cancel_free(b);
  fo_cancel_free(root);
  fo_cancel_free(NULL);
}

static void test_deadline(void **state) {
  fo_cancel *c;
  (void)state;
  assert_int_equal(fo_cancel_new(&c, NULL), 0);
  assert_int_equal(fo_cancel_remaining_ms(c), -1);
  fo_cancel_set_deadline(c, fo_cancel_mono_ms() + 60000);
  assert_true(fo_cancel_remaining_ms(c) > 50000);
  assert_false(fo_cancel_is_cancelled(c));
  fo_cancel_set_deadline(c, fo_cancel_mono_ms() - 1);
  assert_true(fo_cancel_is_cancelled(c));
  assert_string_equal(fo_cancel_reason(c), "deadline exceeded");
  assert_int_equal(fo_cancel_sleep_ms(c, 10000), FO_ECANCELED);
  assert_non_null(strstr(fo_err_last(), "deadline exceeded"));
  fo_cancel_free(c);
}

static void *trigger_later(void *arg) {
  fo_cancel_sleep_ms(NULL, 30);
  fo_cancel_trigger(arg, "stop");
  return NULL;
}

/* A sleep on a child ends when the parent is triggered from another thread;
 * only the outcome is asserted, never the time it took. */
static void test_sleep_woken_by_parent(void **state) {
  fo_cancel *root, *child;
  pthread_t t;
  (void)state;
  assert_int_equal(fo_cancel_new(&root, NULL), 0);
  assert_int_equal(fo_cancel_new(&child, root), 0);
  assert_int_equal(pthread_create(&t, NULL, trigger_later, root), 0);
  assert_int_equal(fo_cancel_sleep_ms(child, 600000), FO_ECANCELED);
  pthread_join(t, NULL);
  fo_cancel_free(child);
  fo_cancel_free(root);
}

static void test_sleep_full(void **state) {
  fo_cancel *c;
  (void)state;
  assert_int_equal(fo_cancel_new(&c, NULL), 0);
  int64_t t0 = fo_cancel_mono_ms();
  assert_int_equal(fo_cancel_sleep_ms(c, 20), 0);
  assert_true(fo_cancel_mono_ms() - t0 >= 20); /* it did sleep (a lower bound, not a timing assertion) */
  fo_cancel_free(c);
}

static void test_virtual_clock(void **state) {
  fo_clock_virtual v;
  fo_cancel *c;
  char ts[21];
  (void)state;
  fo_clock_virtual_init(&v, 1764090000); /* 2025-11-25T17:00:00Z */
  fo_clock_rfc3339(&v.clock, ts);
  assert_string_equal(ts, "2025-11-25T17:00:00Z");
  assert_int_equal(fo_clock_sleep_ms(&v.clock, 90500, NULL), 0);
  assert_int_equal(fo_clock_mono_ms(&v.clock), FO_CLOCK_VIRTUAL_MONO0 + 90500);
  fo_clock_rfc3339(&v.clock, ts);
  assert_string_equal(ts, "2025-11-25T17:01:30Z");
  assert_int_equal(v.sleeps, 1);
  assert_int_equal(fo_cancel_new(&c, NULL), 0);
  fo_cancel_trigger(c, "stop");
  assert_int_equal(fo_clock_sleep_ms(&v.clock, 1000, c), FO_ECANCELED);
  assert_int_equal(v.slept_ms, 90500);
  fo_cancel_free(c);
  assert_true(fo_clock_wall(NULL) > 1764090000);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_trigger_and_parent),    cmocka_unit_test(test_deadline),
      cmocka_unit_test(test_sleep_woken_by_parent), cmocka_unit_test(test_sleep_full),
      cmocka_unit_test(test_virtual_clock),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
