/* Unit tests for fo_log: level parsing, hclog JSON line shape, redaction of
 * registered secrets (in messages and key/value fields). stderr is redirected
 * to a temporary file to read what was written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo_log.h"

/* Run fn with stderr going to a temp file; return what it wrote (caller frees). */
static char *capture(void (*fn)(void)) {
  char path[512];
  int fd;
  /* under $TMPDIR: the suite gives every run its own and checks nothing is left there */
  snprintf(path, sizeof path, "%s/fo_log_testXXXXXX",
           (getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp"));
  fd = mkstemp(path);
  int saved = dup(2);
  FILE *f;
  char *out;
  long n;

  assert_true(fd >= 0);
  fflush(stderr);
  dup2(fd, 2);
  fn();
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  f = fdopen(fd, "r");
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  out = calloc(1, (size_t)n + 1);
  assert_int_equal(fread(out, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  unlink(path);
  return out;
}

static void test_level_parse(void **state) {
  (void)state;
  assert_int_equal(fo_log_level_parse("TRACE", FO_LOG_OFF), FO_LOG_TRACE);
  assert_int_equal(fo_log_level_parse("warn", FO_LOG_OFF), FO_LOG_WARN);
  assert_int_equal(fo_log_level_parse("json", FO_LOG_OFF), FO_LOG_TRACE);
  assert_int_equal(fo_log_level_parse("bogus", FO_LOG_INFO), FO_LOG_INFO);
  assert_int_equal(fo_log_level_parse(NULL, FO_LOG_ERROR), FO_LOG_ERROR);
  setenv("TF_LOG", "error", 1);
  setenv("TF_LOG_PROVIDER", "debug", 1);
  assert_int_equal(fo_log_level_from_env(FO_LOG_OFF), FO_LOG_DEBUG);
  unsetenv("TF_LOG_PROVIDER");
  assert_int_equal(fo_log_level_from_env(FO_LOG_OFF), FO_LOG_ERROR);
  unsetenv("TF_LOG");
}

static void emit_json(void) {
  fo_log_setup(FO_LOG_DEBUG, FO_LOG_FORMAT_JSON, "provider.test");
  FO_TRACE("not shown");
  FO_DEBUG("hello \"%s\"\n", "world");
  fo_log_kv(FO_LOG_INFO, "call", "rpc", "PlanResourceChange", (const char *)NULL);
}

static void test_json_lines(void **state) {
  char *out = capture(emit_json);
  (void)state;
  assert_null(strstr(out, "not shown"));
  assert_non_null(strstr(
      out,
      "{\"@level\":\"debug\",\"@message\":\"hello \\\"world\\\"\\n\",\"@module\":\"provider.test\",\"@timestamp\":\""));
  assert_non_null(strstr(out, "\"@level\":\"info\",\"@message\":\"call\""));
  assert_non_null(strstr(out, ",\"rpc\":\"PlanResourceChange\"}"));
  /* hclog timestamp: exactly six fractional digits then Z */
  {
    const char *ts = strstr(out, "\"@timestamp\":\"") + 14;
    assert_int_equal(strspn(ts, "0123456789-T:."), 26);
    assert_int_equal(ts[26], 'Z');
  }
  free(out);
}

static void emit_secret(void) {
  fo_log_setup(FO_LOG_TRACE, FO_LOG_FORMAT_TEXT, "audit");
  fo_log_add_secret("AKIAIOSFODNN7EXAMPLE");
  fo_log_add_secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  fo_log_add_secret("ab"); /* too short to redact: ignored */
  FO_INFO("key=AKIAIOSFODNN7EXAMPLE secret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ab");
  fo_log_kv(FO_LOG_WARN, "header", "Authorization", "AWS4 Credential=AKIAIOSFODNN7EXAMPLE/x", (const char *)NULL);
}

static void test_redaction(void **state) {
  char *out = capture(emit_secret);
  char s[] = "x AKIAIOSFODNN7EXAMPLE y";
  (void)state;
  assert_null(strstr(out, "AKIAIOSFODNN7EXAMPLE"));
  assert_null(strstr(out, "wJalrXUtnFEMI"));
  assert_non_null(strstr(out, "[INFO] audit: key=[REDACTED] secret=[REDACTED] ab"));
  assert_non_null(strstr(out, "Authorization=AWS4 Credential=[REDACTED]/x"));
  fo_log_redact(s);
  assert_string_equal(s, "x [REDACTED] y");
  free(out);
}

/* Long-lived processes refresh credentials many times: every secret ever
 * registered must stay redacted, with no fixed cap. */
static void test_many_secrets(void **state) {
  char sec[32], line[64];
  (void)state;
  for (int i = 0; i < 300; i++) {
    snprintf(sec, sizeof sec, "SECRET-%04d-XYZ", i);
    fo_log_add_secret(sec);
  }
  snprintf(line, sizeof line, "a SECRET-0000-XYZ b SECRET-0299-XYZ c");
  fo_log_redact(line);
  assert_string_equal(line, "a [REDACTED] b [REDACTED] c");
  assert_null(strstr(line, "SECRET-0"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_level_parse),
      cmocka_unit_test(test_json_lines),
      cmocka_unit_test(test_redaction),
      cmocka_unit_test(test_many_secrets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
