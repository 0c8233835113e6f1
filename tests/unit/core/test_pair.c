/* Unit tests for fo_pair: both jobs ran, on two threads, and both are done when
 * fo_pair_run returns. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "fo_pair.h"

typedef struct job {
  int input, output;
  pthread_t ran_on;
} job;

static void *square_slowly(void *arg) {
  job *j = arg;
  usleep(20000); /* the caller must wait for this one, not just start it */
  j->output = j->input * j->input;
  j->ran_on = pthread_self();
  return NULL;
}

static void test_both_done_on_two_threads(void **state) {
  job a = {3, 0, 0}, b = {4, 0, 0};
  (void)state;
  fo_pair_run(square_slowly, &a, &b);
  assert_int_equal(a.output, 9);
  assert_int_equal(b.output, 16);
  assert_true(pthread_equal(a.ran_on, pthread_self()));
  assert_false(pthread_equal(b.ran_on, pthread_self()));
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_both_done_on_two_threads)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
