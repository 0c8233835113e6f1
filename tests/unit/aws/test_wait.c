/* Unit tests for fo_aws_wait in virtual time (fo_clock_virtual): polls at
 * once, backs off to the cap, times out with a message naming what and the
 * last status, stops on the token, passes a poll's error up, logs progress. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo_aws_wait.h"
#include "fo_err.h"
#include "fo_log.h"

/* A scripted poll: done at poll `done_at` (0: never), error at `fail_at`,
 * cancels `cancel` at `cancel_at`; records when (virtual ms) each poll ran. */
typedef struct script {
  fo_clock_virtual *v;
  int polls, done_at, fail_at, cancel_at;
  fo_cancel *cancel;
  int64_t at[256];
} script;

static int poll_script(void *ud, int *done, char *status, size_t status_len) {
  script *s = ud;
  assert_true(s->polls < 256);
  s->at[s->polls] = s->v->mono_ms - FO_CLOCK_VIRTUAL_MONO0;
  s->polls++;
  if (s->fail_at && s->polls == s->fail_at)
    return fo_err_set(FO_EAWS, "route53 GetChange: AccessDenied: no");
  if (s->cancel_at && s->polls == s->cancel_at)
    fo_cancel_trigger(s->cancel, "stopped by the test");
  snprintf(status, status_len, "PENDING %d", s->polls);
  *done = s->done_at && s->polls == s->done_at;
  return 0;
}

static fo_aws_wait_opts opts(fo_clock_virtual *v) {
  fo_aws_wait_opts o;
  memset(&o, 0, sizeof(o));
  o.what = "Route53 change C1 to be INSYNC";
  o.clock = &v->clock;
  return o;
}

/* Defaults: first poll at once, then 2 s growing by 1.5x. */
static void done_after_n_polls(void **state) {
  fo_clock_virtual v;
  script s = {.v = &v, .done_at = 4};
  fo_aws_wait_opts o;
  (void)state;
  fo_clock_virtual_init(&v, 1700000000);
  o = opts(&v);
  assert_int_equal(fo_aws_wait(&o, poll_script, &s), FO_OK);
  assert_int_equal(s.polls, 4);
  assert_int_equal(s.at[0], 0);
  assert_int_equal(s.at[1], 2000);
  assert_int_equal(s.at[2], 2000 + 3000);
  assert_int_equal(s.at[3], 2000 + 3000 + 4500);
  assert_int_equal(v.sleeps, 3);
  /* done at the first poll: no sleep at all */
  fo_clock_virtual_init(&v, 1700000000);
  s = (script){.v = &v, .done_at = 1};
  assert_int_equal(fo_aws_wait(&o, poll_script, &s), FO_OK);
  assert_int_equal(s.polls, 1);
  assert_int_equal(v.sleeps, 0);
}

static void backoff_and_cap(void **state) {
  fo_clock_virtual v;
  script s = {.v = &v, .done_at = 7};
  fo_aws_wait_opts o;
  static const int64_t want[] = {0, 1000, 3000, 7000, 12000, 17000, 22000};
  int i;
  (void)state;
  fo_clock_virtual_init(&v, 1700000000);
  o = opts(&v);
  o.interval_ms = 1000;
  o.backoff = 2;
  o.max_interval_ms = 5000;
  assert_int_equal(fo_aws_wait(&o, poll_script, &s), FO_OK);
  assert_int_equal(s.polls, 7);
  for (i = 0; i < 7; i++)
    assert_int_equal(s.at[i], want[i]); /* intervals 1, 2, 4, then the 5 s cap */
  assert_int_equal(v.slept_ms, 22000);
  assert_int_equal(v.sleeps, 6);
}

static void timeout(void **state) {
  fo_clock_virtual v;
  script s = {.v = &v};
  fo_aws_wait_opts o;
  (void)state;
  fo_clock_virtual_init(&v, 1700000000);
  o = opts(&v);
  o.interval_ms = 1000;
  o.backoff = 2;
  o.max_interval_ms = 4000;
  o.timeout_ms = 600000;
  assert_int_equal(fo_aws_wait(&o, poll_script, &s), FO_ETIMEOUT);
  assert_string_equal(fo_err_last(),
                      "timed out after 10m0s waiting for Route53 change C1 to be INSYNC (last status: PENDING 153)");
  /* 1, 2, then 4 s steps; the last sleep is cut so the final poll is at the timeout */
  assert_int_equal(s.polls, 3 + 149 + 1); /* 0, 1, 3 s; 7 s to 599 s every 4 s; 600 s */
  assert_int_equal(s.at[s.polls - 1], 600000);
  assert_int_equal(s.at[s.polls - 2], 599000);
  assert_int_equal(v.slept_ms, 600000);
}

static void cancellation(void **state) {
  fo_clock_virtual v;
  fo_cancel *c = NULL;
  script s = {.v = &v, .cancel_at = 3};
  fo_aws_wait_opts o;
  (void)state;
  assert_int_equal(fo_cancel_new(&c, NULL), 0);
  fo_clock_virtual_init(&v, 1700000000);
  o = opts(&v);
  o.cancel = c;
  s.cancel = c;
  assert_int_equal(fo_aws_wait(&o, poll_script, &s), FO_ECANCELED);
  assert_int_equal(s.polls, 3); /* the sleep after poll 3 saw the token */
  assert_int_equal(v.sleeps, 2);
  assert_string_equal(fo_err_last(), "cancelled while waiting for Route53 change C1 to be INSYNC: stopped by the test");
  /* a token cancelled before the wait: not a single poll */
  s = (script){.v = &v};
  assert_int_equal(fo_aws_wait(&o, poll_script, &s), FO_ECANCELED);
  assert_int_equal(s.polls, 0);
  fo_cancel_free(c);
}

static void poll_error(void **state) {
  fo_clock_virtual v;
  script s = {.v = &v, .fail_at = 2};
  fo_aws_wait_opts o;
  (void)state;
  fo_clock_virtual_init(&v, 1700000000);
  o = opts(&v);
  assert_int_equal(fo_aws_wait(&o, poll_script, &s), FO_EAWS);
  assert_int_equal(s.polls, 2);
  assert_string_equal(fo_err_last(), "route53 GetChange: AccessDenied: no");
}

/* Progress: one info line per progress_every_ms of waiting. */
static char *captured;
static void progress_run(void) {
  fo_clock_virtual v;
  script s = {.v = &v, .done_at = 10};
  fo_aws_wait_opts o;
  fo_clock_virtual_init(&v, 1700000000);
  o = opts(&v);
  o.interval_ms = 3000;
  o.backoff = 1; /* polls at 0, 3, 6 ... 27 s */
  o.progress_every_ms = 10000;
  assert_int_equal(fo_aws_wait(&o, poll_script, &s), FO_OK);
}

static void progress_lines(void **state) {
  char path[] = "/tmp/fo_wait_testXXXXXX";
  int fd = mkstemp(path), saved = dup(2);
  FILE *f;
  long n;
  const char *p;
  int lines = 0;
  (void)state;
  assert_true(fd >= 0);
  fo_log_setup(FO_LOG_INFO, FO_LOG_FORMAT_TEXT, "test");
  fflush(stderr);
  dup2(fd, 2);
  progress_run();
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  f = fdopen(fd, "r");
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  captured = calloc(1, (size_t)n + 1);
  assert_int_equal(fread(captured, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  unlink(path);
  /* 12 s and 24 s: the first polls at least 10 s after the previous line */
  assert_non_null(strstr(captured, "still waiting for Route53 change C1 to be INSYNC: PENDING 5 (12s)"));
  assert_non_null(strstr(captured, "still waiting for Route53 change C1 to be INSYNC: PENDING 9 (24s)"));
  for (p = captured; (p = strstr(p, "still waiting")); p++)
    lines++;
  assert_int_equal(lines, 2);
  free(captured);
  fo_log_setup(FO_LOG_WARN, FO_LOG_FORMAT_TEXT, "test");
}

static void durations(void **state) {
  char out[32];
  (void)state;
  fo_aws_wait_format_duration(out, 600000);
  assert_string_equal(out, "10m0s");
  fo_aws_wait_format_duration(out, 3723000);
  assert_string_equal(out, "1h2m3s");
  fo_aws_wait_format_duration(out, 45500);
  assert_string_equal(out, "45s");
  fo_aws_wait_format_duration(out, 0);
  assert_string_equal(out, "0s");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(done_after_n_polls), cmocka_unit_test(backoff_and_cap), cmocka_unit_test(timeout),
      cmocka_unit_test(cancellation),       cmocka_unit_test(poll_error),      cmocka_unit_test(progress_lines),
      cmocka_unit_test(durations)};
  return cmocka_run_group_tests_name("wait", tests, NULL, NULL);
}
