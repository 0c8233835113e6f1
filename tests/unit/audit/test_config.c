/* unit.audit.config: the YAML config reader's results and its errors (file:line:column). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fo_audit_collector.h"
#include "fo_audit_config.h"
#include "fo_buf.h"
#include "fo_err.h"

static void expect_error(const char *yml, const char *msg) {
  fo_audit_config *cfg = NULL;
  assert_int_equal(fo_audit_config_parse(&cfg, yml, strlen(yml), "c.yml", NULL), FO_EINVAL);
  assert_null(cfg);
  if (!strstr(fo_err_last(), msg))
    fail_msg("error '%s' lacks '%s'", fo_err_last(), msg);
}

/* Where a collector reads a side, from its own config of that side. */
static const char *location(const fo_audit_config *cfg, int side, const fo_audit_collector *c) {
  fo_audit_collect_ctx ctx;
  fo_audit_collect_ctx_for(&ctx, cfg, side, NULL, c, NULL);
  return c->location(&ctx);
}

static void test_full(void **state) {
  static const char yml[] =
      "version: 1\n"
      "sides:\n"
      "  primary:\n    region: us-east-1\n    account_id: \"111111111111\"\n    terraform_state: s/p.tfstate\n"
      "  secondary:\n    name: dr\n    region: us-east-2\n    manifests: /abs/k8s\n"
      "checks:\n  terraform_state: {must_match: [\"terraform/**\"]}\n  dns: false\n"
      "volatile: [last_seen]\n"
      "path_mappings:\n  - {primary: \"a/**\", secondary: \"b/**\", step: configmaps}\n"
      "expected_differences: []\n";
  fo_audit_config *cfg = NULL;
  (void)state;
  assert_int_equal(fo_audit_config_parse(&cfg, yml, sizeof yml - 1, "dir/c.yml", "dir"), 0);
  assert_string_equal(cfg->sides[0].name, "primary");
  assert_string_equal(cfg->sides[1].name, "dr");
  /* each collector parsed its own keys of the side; paths are relative to the config */
  assert_string_equal(location(cfg, 0, &fo_audit_collector_tfstate), "dir/s/p.tfstate");
  assert_null(location(cfg, 1, &fo_audit_collector_tfstate));
  assert_string_equal(location(cfg, 1, &fo_audit_collector_manifests), "/abs/k8s");
  assert_null(location(cfg, 0, &fo_audit_collector_manifests));
  assert_true(fo_audit_config_check_enabled(cfg, "terraform_state"));
  assert_false(fo_audit_config_check_enabled(cfg, "dns"));
  assert_false(fo_audit_config_check_enabled(cfg, "backup")); /* not listed */
  assert_int_equal(cfg->nvolatile, 1);
  assert_int_equal(cfg->mappings[0].step, FO_AUDIT_STEP_CONFIGMAPS);
  assert_int_equal(cfg->nexpected, 0);
  fo_audit_config_free(cfg);
}

/* A config regex must not take the runner down: glibc's regcomp allocated 23 GB for this pattern until the
 * kernel killed the process. PCRE2 refuses it under the compile limits, with an error naming the entry. */
static void test_regex_limits(void **state) {
  fo_buf b = FO_BUF_INIT;
  (void)state;
  expect_error(
      "sides:\n  primary: {region: a}\n  secondary: {region: b}\n"
      "normalize:\n  - {literal: x}\n  - regex: \"((((a{1,255}){1,255}){1,255}){1,255})\"\n",
      "c.yml:6:12: normalize[1]: ");
  assert_non_null(strstr(fo_err_last(), "((((a{1,255}){1,255}){1,255}){1,255})"));
  /* nesting past the limit */
  assert_int_equal(
      fo_buf_puts(&b, "sides:\n  primary: {region: a}\n  secondary: {region: b}\nnormalize:\n  - regex: \""), 0);
  for (int i = 0; i < 40; i++)
    assert_int_equal(fo_buf_puts(&b, "("), 0);
  assert_int_equal(fo_buf_puts(&b, "a"), 0);
  for (int i = 0; i < 40; i++)
    assert_int_equal(fo_buf_puts(&b, ")"), 0);
  assert_int_equal(fo_buf_puts(&b, "\"\n"), 0);
  expect_error(b.data, "parentheses are too deeply nested");
  fo_buf_dispose(&b);
  /* over the length limit */
  assert_int_equal(
      fo_buf_puts(&b, "sides:\n  primary: {region: a}\n  secondary: {region: b}\nnormalize:\n  - regex: \""), 0);
  for (int i = 0; i < 1100; i++)
    assert_int_equal(fo_buf_puts(&b, "a"), 0);
  assert_int_equal(fo_buf_puts(&b, "\"\n"), 0);
  expect_error(b.data, "normalize[0]: regex is 1100 bytes long, more than 1024");
  fo_buf_dispose(&b);
  /* (*UTF) would make invalid UTF-8 in a value an error at match time: refused when compiled */
  expect_error("sides:\n  primary: {region: a}\n  secondary: {region: b}\nnormalize:\n  - regex: \"(*UTF)a\"\n",
               "normalize[0]: bad regex '(*UTF)a'");
}

static void test_errors(void **state) {
  (void)state;
  expect_error("sides:\n  primary: {region: a}\n  secondary: {region: b}\ndrill: {rto: soon}\n",
               "c.yml:4:14: drill.rto: 'soon' is not a duration");
  expect_error("sides:\n  primary: {region: a}\n  secondary: {region: b}\ndrill: {target: 1h}\n",
               "unknown key 'target' in drill (rto)");
  {
    static const char ok[] = "sides:\n  primary: {region: a}\n  secondary: {region: b}\ndrill: {rto: 1h30m}\n";
    fo_audit_config *cfg = NULL;
    assert_int_equal(fo_audit_config_parse(&cfg, ok, sizeof ok - 1, "c.yml", NULL), 0);
    assert_int_equal(cfg->drill_rto_ms, 90 * 60000LL);
    fo_audit_config_free(cfg);
  }
  expect_error("version: 1\nsides:\n  primary: {region: a\n", "c.yml:4:1:");
  expect_error("version: 2\n", "c.yml:1:10: unsupported config version '2'");
  expect_error("sides:\n  primary: {region: a}\n  secondary: {region: b}\nbogus: 1\n",
               "c.yml:4:1: unknown key 'bogus'");
  expect_error("sides:\n  primary: {region: a}\n", "needs both 'primary' and 'secondary'");
  expect_error("sides:\n  primary: {region: a}\n  secondary: {region: a}\n", "same region 'a'");
  expect_error("sides:\n  primary: {region: a, account_id: \"12\"}\n  secondary: {region: b}\n",
               "account_id must be 12 digits");
  expect_error(
      "sides:\n  primary: {region: a}\n  secondary: {region: b}\n"
      "expected_differences:\n  - path: x\n",
      "c.yml:5:5: expected_differences entry 'x' needs a 'reason'");
  expect_error(
      "sides:\n  primary: {region: a}\n  secondary: {region: b}\n"
      "expected_differences:\n  - {path: x, reason: y, expires: tomorrow}\n",
      "'expires' must be a date");
  expect_error(
      "sides:\n  primary: {region: a}\n  secondary: {region: b}\n"
      "normalize:\n  - regex: \"(\"\n",
      "c.yml:5:12: normalize[0]: bad regex '(' at offset 1: missing closing parenthesis");
  expect_error(
      "sides:\n  primary: {region: a}\n  secondary: {region: b}\n"
      "path_mappings:\n  - {primary: \"a/**\", secondary: \"b/*/*\"}\n",
      "must have the same wildcards");
  expect_error("sides:\n  primary: {region: a}\n  secondary: {region: b}\nchecks: {nope: {}}\n",
               "unknown check 'nope'");
  expect_error("", "the config is empty");
}

static void test_dates(void **state) {
  (void)state;
  assert_true(fo_audit_date_valid("2024-02-29"));
  assert_false(fo_audit_date_valid("2023-02-29"));
  assert_false(fo_audit_date_valid("2023-13-01"));
  assert_false(fo_audit_date_valid("2023-1-01"));
}

/* Regressions: flow brackets nested 200,000 deep kept libyaml busy for three minutes (now refused before
 * parsing, with the position); an empty region used to be accepted. */
static void test_hostile(void **state) {
  fo_buf b = FO_BUF_INIT;
  (void)state;
  assert_int_equal(fo_buf_puts(&b, "version: 1\nx: "), 0);
  for (int i = 0; i < 200000; i++)
    assert_int_equal(fo_buf_puts(&b, "["), 0);
  expect_error(b.data, "c.yml:2:4100: brackets nested deeper than 4096 levels");
  fo_buf_dispose(&b);
  expect_error("version: 1\nsides:\n  primary: {region: \"\"}\n  secondary: {region: us-east-2}\n",
               "c.yml:3:12: sides.primary needs a 'region'");
  /* a typo must not switch a check off silently */
  expect_error("version: 1\nchecks:\n  dns: flase\n", "c.yml:3:8: 'dns' must be true or false, not 'flase'");
  expect_error("version: 1\nchecks:\n  dns: {enabled: nope}\n",
               "c.yml:3:18: 'enabled' must be true or false, not 'nope'");
  /* a NUL does not end a value or a key early ("true\0x" is not true, "sides\0x" is not sides) */
  expect_error("version: 1\nchecks:\n  dns: \"true\\0x\"\n", "c.yml:3:8: 'dns' must be true or false");
  expect_error("version: 1\n\"sides\\0x\": {}\n", "c.yml:2:1: a mapping key contains a NUL byte");
  /* found by fuzz_audit_config: the entry refused as empty was not counted, so nobody freed it (a leak the
   * memcheck and ASan runs of this test report) */
  expect_error(
      "version: 1\nsides:\n  primary: {region: a}\n  secondary:\n    region: b\n"
      "    verify: {queues: [q1, \"\"]}\n",
      "'verify.queues' has an empty entry");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full),  cmocka_unit_test(test_errors),  cmocka_unit_test(test_regex_limits),
      cmocka_unit_test(test_dates), cmocka_unit_test(test_hostile),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
