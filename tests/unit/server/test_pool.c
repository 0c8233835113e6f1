/* Unit tests for fo_pool: every job runs once, jobs run concurrently up to
 * the pool size, free drains the queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "fo_err.h"
#include "fo_pool.h"

static atomic_int ran;
static atomic_int inside;
static atomic_int met;

static void count_job(void *arg) {
  (void)arg;
  atomic_fetch_add(&ran, 1);
}

/* Waits (bounded) until `*(int *)arg` jobs are inside at once. */
static void barrier_job(void *arg) {
  int target = *(int *)arg;
  struct timespec ts = {0, 1000000L};
  atomic_fetch_add(&inside, 1);
  for (int i = 0; i < 10000; i++) {
    if (atomic_load(&inside) >= target) {
      atomic_fetch_add(&met, 1);
      return;
    }
    nanosleep(&ts, NULL);
  }
}

static void test_all_run(void **state) {
  fo_pool *pool = NULL;
  (void)state;
  atomic_store(&ran, 0);
  assert_int_equal(fo_pool_new(&pool, 3), FO_OK);
  for (int i = 0; i < 200; i++)
    assert_int_equal(fo_pool_submit(pool, count_job, NULL), FO_OK);
  fo_pool_free(pool);
  assert_int_equal(atomic_load(&ran), 200);
}

static void test_concurrent(void **state) {
  fo_pool *pool = NULL;
  int target = 10;
  (void)state;
  atomic_store(&inside, 0);
  atomic_store(&met, 0);
  assert_int_equal(fo_pool_new(&pool, 10), FO_OK);
  for (int i = 0; i < 10; i++)
    assert_int_equal(fo_pool_submit(pool, barrier_job, &target), FO_OK);
  fo_pool_free(pool);
  assert_int_equal(atomic_load(&met), 10);
}

static void test_bounds(void **state) {
  fo_pool *pool = NULL;
  (void)state;
  assert_int_equal(fo_pool_new(&pool, 0), FO_EINVAL);
  assert_int_equal(fo_pool_new(&pool, 65), FO_EINVAL);
  fo_pool_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_all_run),
      cmocka_unit_test(test_concurrent),
      cmocka_unit_test(test_bounds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
