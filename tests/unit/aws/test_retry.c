/* unit.aws.retry: classification, backoff bounds with a fixed random source,
 * Retry-After, the retry quota, and the engine's cancellable sleep. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <string.h>

#include "fo_aws_engine.h"
#include "fo_aws_retry.h"
#include "fo_err.h"

static double fixed_value;
static double fixed(void *ud) {
  (void)ud;
  return fixed_value;
}

static void classify(void **state) {
  (void)state;
  assert_int_equal(fo_aws_retry_classify(400, "Throttling", FO_AWS_NET_OK), FO_AWS_RETRY_THROTTLE);
  assert_int_equal(fo_aws_retry_classify(400, "ThrottlingException", FO_AWS_NET_OK), FO_AWS_RETRY_THROTTLE);
  assert_int_equal(fo_aws_retry_classify(400, "TooManyRequestsException", FO_AWS_NET_OK), FO_AWS_RETRY_THROTTLE);
  assert_int_equal(fo_aws_retry_classify(503, "SlowDown", FO_AWS_NET_OK), FO_AWS_RETRY_THROTTLE);
  assert_int_equal(fo_aws_retry_classify(400, "PriorRequestNotComplete", FO_AWS_NET_OK), FO_AWS_RETRY_THROTTLE);
  assert_int_equal(fo_aws_retry_classify(400, "RequestLimitExceeded", FO_AWS_NET_OK), FO_AWS_RETRY_THROTTLE);
  assert_int_equal(fo_aws_retry_classify(429, "Whatever", FO_AWS_NET_OK), FO_AWS_RETRY_THROTTLE);
  assert_int_equal(fo_aws_retry_classify(400, "RequestTimeout", FO_AWS_NET_OK), FO_AWS_RETRY_TRANSIENT);
  assert_int_equal(fo_aws_retry_classify(500, "Http500", FO_AWS_NET_OK), FO_AWS_RETRY_SERVER);
  assert_int_equal(fo_aws_retry_classify(502, NULL, FO_AWS_NET_OK), FO_AWS_RETRY_SERVER);
  assert_int_equal(fo_aws_retry_classify(504, "Http504", FO_AWS_NET_OK), FO_AWS_RETRY_SERVER);
  assert_int_equal(fo_aws_retry_classify(0, NULL, FO_AWS_NET_RESET), FO_AWS_RETRY_TRANSIENT);
  assert_int_equal(fo_aws_retry_classify(0, NULL, FO_AWS_NET_TIMEOUT), FO_AWS_RETRY_TIMEOUT);
  /* not retried */
  assert_int_equal(fo_aws_retry_classify(0, NULL, FO_AWS_NET_OTHER), FO_AWS_RETRY_NO);
  assert_int_equal(fo_aws_retry_classify(403, "AccessDenied", FO_AWS_NET_OK), FO_AWS_RETRY_NO);
  assert_int_equal(fo_aws_retry_classify(400, "ValidationError", FO_AWS_NET_OK), FO_AWS_RETRY_NO);
  assert_int_equal(fo_aws_retry_classify(404, "NoSuchHostedZone", FO_AWS_NET_OK), FO_AWS_RETRY_NO);
  assert_int_equal(fo_aws_retry_classify(501, "NotImplemented", FO_AWS_NET_OK), FO_AWS_RETRY_NO);
  assert_int_equal(fo_aws_retry_classify(200, NULL, FO_AWS_NET_OK), FO_AWS_RETRY_NO);
}

static void backoff_bounds(void **state) {
  fo_aws_retry_policy p;
  int i;
  (void)state;
  fo_aws_retry_init(&p, 0, 0, 0);
  assert_int_equal(p.max_attempts, 3);
  assert_int_equal(p.base_ms, 1000);
  assert_int_equal(p.max_backoff_ms, 20000);
  p.random = fixed;
  /* random 1-epsilon: the delay is just under the cap min(20 s, 1 s * 2^(n-1)) */
  fixed_value = 0.999999;
  {
    static const long caps[] = {1000, 2000, 4000, 8000, 16000, 20000, 20000, 20000};
    for (i = 1; i <= 8; i++) {
      long d = fo_aws_retry_delay_ms(&p, i, NULL);
      assert_true(d <= caps[i - 1]);
      assert_true(d >= caps[i - 1] - 1);
    }
  }
  fixed_value = 0.0;
  for (i = 1; i <= 8; i++)
    assert_int_equal(fo_aws_retry_delay_ms(&p, i, NULL), 0);
  fixed_value = 0.5;
  assert_int_equal(fo_aws_retry_delay_ms(&p, 1, NULL), 500);
  assert_int_equal(fo_aws_retry_delay_ms(&p, 3, NULL), 2000);
  assert_int_equal(fo_aws_retry_delay_ms(&p, 40, NULL), 10000); /* no overflow on big retry counts */
  /* out-of-range random values are clamped */
  fixed_value = 7.0;
  assert_true(fo_aws_retry_delay_ms(&p, 1, NULL) < 1000);
  fixed_value = -1.0;
  assert_int_equal(fo_aws_retry_delay_ms(&p, 1, NULL), 0);
  /* the real random source stays in bounds */
  p.random = NULL;
  for (i = 0; i < 200; i++) {
    long d = fo_aws_retry_delay_ms(&p, 2, NULL);
    assert_true(d >= 0 && d < 2000);
  }
  fo_aws_retry_dispose(&p);
}

static void retry_after(void **state) {
  fo_aws_retry_policy p;
  (void)state;
  fo_aws_retry_init(&p, 5, 100, 3000);
  p.random = fixed;
  fixed_value = 0.5;
  assert_int_equal(fo_aws_retry_delay_ms(&p, 1, "2"), 2000);
  assert_int_equal(fo_aws_retry_delay_ms(&p, 1, "3600"), 3000); /* capped */
  assert_int_equal(fo_aws_retry_delay_ms(&p, 1, "0"), 0);
  /* an HTTP date or junk falls back to backoff */
  assert_int_equal(fo_aws_retry_delay_ms(&p, 1, "Wed, 21 Oct 2015 07:28:00 GMT"), 50);
  assert_int_equal(fo_aws_retry_delay_ms(&p, 1, "-5"), 50);
  fo_aws_retry_dispose(&p);
}

static void quota(void **state) {
  fo_aws_retry_policy p;
  int i, got = 0;
  (void)state;
  fo_aws_retry_init(&p, 3, 0, 0);
  assert_int_equal(fo_aws_retry_acquire(&p, FO_AWS_RETRY_TIMEOUT), FO_AWS_RETRY_TIMEOUT_COST);
  assert_int_equal(p.quota, FO_AWS_RETRY_QUOTA - 10);
  fo_aws_retry_release(&p, FO_AWS_RETRY_TIMEOUT_COST);
  assert_int_equal(p.quota, FO_AWS_RETRY_QUOTA);
  fo_aws_retry_release(&p, 0); /* success without retry: never above the maximum */
  assert_int_equal(p.quota, FO_AWS_RETRY_QUOTA);
  for (i = 0; i < 1000; i++)
    got += fo_aws_retry_acquire(&p, FO_AWS_RETRY_SERVER) ? 1 : 0;
  assert_int_equal(got, FO_AWS_RETRY_QUOTA / FO_AWS_RETRY_COST); /* 100 retries, then none */
  assert_int_equal(fo_aws_retry_acquire(&p, FO_AWS_RETRY_THROTTLE), 0);
  for (i = 0; i < 5; i++)
    fo_aws_retry_release(&p, 0); /* successes refill slowly */
  assert_int_equal(fo_aws_retry_acquire(&p, FO_AWS_RETRY_THROTTLE), FO_AWS_RETRY_COST);
  fo_aws_retry_dispose(&p);
}

/* The engine's sleep (backoff): it goes through the engine's clock (virtual
 * here: the sleep is recorded, not waited) under the call's own token; a
 * cancelled token ends it with FO_ECANCELED and leaves other tokens alone. */
static void engine_sleep(void **state) {
  fo_aws_engine e;
  fo_clock_virtual v;
  fo_cancel *mine = NULL, *other = NULL;
  (void)state;
  memset(&e, 0, sizeof(e));
  fo_clock_virtual_init(&v, 1700000000);
  e.clock = &v.clock;
  assert_int_equal(fo_cancel_new(&mine, NULL), 0);
  assert_int_equal(fo_cancel_new(&other, NULL), 0);
  assert_int_equal(fo_aws_engine_sleep(&e, mine, 1234), 0);
  assert_int_equal(v.sleeps, 1);
  assert_int_equal(v.slept_ms, 1234);
  assert_int_equal(fo_aws_engine_sign_time(&e), 1700000001); /* signatures follow the clock */
  fo_cancel_trigger(mine, "stopped by the test");
  assert_int_equal(fo_aws_engine_sleep(&e, mine, 10), FO_ECANCELED);
  assert_non_null(strstr(fo_err_last(), "stopped by the test"));
  assert_int_equal(fo_aws_engine_sleep(&e, other, 10), 0); /* another call's token is untouched */
  assert_int_equal(v.slept_ms, 1244);
  /* the real clock: a cancelled token does not wait 100 s (the test would hang) */
  e.clock = NULL;
  assert_int_equal(fo_aws_engine_sleep(&e, mine, 100000), FO_ECANCELED);
  assert_int_equal(fo_aws_engine_sleep(&e, other, 1), 0);
  fo_cancel_free(mine);
  fo_cancel_free(other);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(classify), cmocka_unit_test(backoff_bounds),
                                     cmocka_unit_test(retry_after), cmocka_unit_test(quota),
                                     cmocka_unit_test(engine_sleep)};
  return cmocka_run_group_tests_name("retry", tests, NULL, NULL);
}
