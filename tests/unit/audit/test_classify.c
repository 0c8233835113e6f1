/* unit.audit.classify: expected_differences matching, expiry with an injected "today", stale entries,
 * check scopes; and the glob used by patterns and path mappings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fo_audit_classify.h"
#include "fo_audit_collector.h"
#include "fo_audit_glob.h"
#include "fo_audit_rules.h"
#include "fo_audit_snapshot.h"
#include "fo_err.h"
#include "fo_file.h"

#include <stdio.h>

static const char yml[] =
    "version: 1\n"
    "sides:\n  primary: {region: us-east-1}\n  secondary: {region: us-east-2}\n"
    "checks:\n  terraform_state:\n    may_differ: [\"terraform/*/tags.CostCenter\"]\n"
    "expected_differences:\n"
    "  - path: \"terraform/aws_instance.web/instance_type\"\n    reason: pilot light\n    expires: 2026-06-30\n"
    "  - path: \"terraform/**/version\"\n    rule: eks.version-differs\n    reason: upgrade\n"
    "  - path: \"terraform/aws_nat_gateway.*\"\n    reason: gone\n";

static fo_audit_result *result_with(const char *const *paths, const char *const *rules, size_t n) {
  fo_audit_result *r = fo_audit_result_new();
  for (size_t i = 0; i < n; i++) {
    fo_audit_finding f;
    char key[256];
    const char *slash;
    memset(&f, 0, sizeof f);
    slash = strrchr(paths[i], '/');
    snprintf(key, sizeof key, "%.*s", (int)(slash - paths[i]), paths[i]);
    f.rule_id = (char *)rules[i];
    f.check = (char *)"terraform_state";
    f.resource.key = key;
    f.path = (char *)(slash + 1);
    f.severity = FO_AUDIT_SEV_ERROR;
    assert_int_equal(fo_audit_result_add(r, &f, NULL), 0);
  }
  return r;
}

static const fo_audit_finding *find(const fo_audit_result *r, const char *full_path) {
  for (size_t i = 0; i < r->nfindings; i++)
    if (!strcmp(r->findings[i].full_path, full_path))
      return &r->findings[i];
  return NULL;
}

static void run(const char *today, fo_audit_result **out) {
  static const char *const paths[] = {"terraform/aws_instance.web/instance_type",
                                      "terraform/aws_eks_cluster.main/version",
                                      "terraform/aws_s3_bucket.b/tags.CostCenter", "terraform/aws_s3_bucket.b/acl",
                                      "terraform/aws_eks_addon.x/version"};
  static const char *const rules[] = {"state.attribute-differs", "eks.version-differs", "state.attribute-differs",
                                      "state.attribute-differs", "state.attribute-differs"};
  fo_audit_config *cfg = NULL;
  assert_int_equal(fo_audit_config_parse(&cfg, yml, sizeof yml - 1, "cfg.yml", NULL), 0);
  *out = result_with(paths, rules, 5);
  assert_int_equal(fo_audit_classify(*out, cfg, today, 1), 0);
  fo_audit_result_finish(*out);
  fo_audit_config_free(cfg);
}

static void test_live_and_expired(void **state) {
  fo_audit_result *r;
  const fo_audit_finding *f;
  (void)state;
  run("2026-06-30", &r); /* the expiry day itself still counts */
  f = find(r, "terraform/aws_instance.web/instance_type");
  assert_non_null(f);
  assert_int_equal(f->classification, FO_AUDIT_CLASS_EXPECTED);
  assert_string_equal(f->expected_reason, "pilot light");
  assert_string_equal(f->expected_expires, "2026-06-30");
  assert_int_equal(f->expected_loc.line, 9);
  fo_audit_result_free(r);
  run("2026-07-01", &r);
  f = find(r, "terraform/aws_instance.web/instance_type");
  assert_int_equal(f->classification, FO_AUDIT_CLASS_EXPIRED_EXPECTED);
  assert_true(fo_audit_finding_fails(f));
  assert_int_equal(fo_audit_result_exit_code(r), 1);
  fo_audit_result_free(r);
}

static void test_rule_filter_scope_and_stale(void **state) {
  fo_audit_result *r;
  const fo_audit_finding *f;
  (void)state;
  run("2026-01-01", &r);
  /* `**` crosses '/', the rule filter picks only eks.version-differs */
  assert_int_equal(find(r, "terraform/aws_eks_cluster.main/version")->classification, FO_AUDIT_CLASS_EXPECTED);
  assert_int_equal(find(r, "terraform/aws_eks_addon.x/version")->classification, FO_AUDIT_CLASS_UNEXPECTED);
  /* may_differ drops the finding entirely */
  assert_null(find(r, "terraform/aws_s3_bucket.b/tags.CostCenter"));
  assert_int_equal(find(r, "terraform/aws_s3_bucket.b/acl")->classification, FO_AUDIT_CLASS_UNEXPECTED);
  /* the NAT entry matched nothing */
  f = find(r, "config/expected_differences[2]");
  assert_non_null(f);
  assert_int_equal(f->classification, FO_AUDIT_CLASS_STALE_EXPECTED);
  assert_false(fo_audit_finding_fails(f));
  assert_int_equal(r->summary.stale_expected, 1);
  assert_int_equal(r->summary.total, 5);
  fo_audit_result_free(r);
}

/* On a run where a source could not be read nothing (or only part) was compared: an entry that matched nothing is
 * not stale there (it used to say "matches nothing: remove it" about a valid entry). */
static void test_no_stale_when_unreadable(void **state) {
  static const char *const paths[] = {"terraform/aws_instance.web/instance_type"};
  static const char *const rules[] = {"state.attribute-differs"};
  fo_audit_config *cfg = NULL;
  fo_audit_result *r;
  (void)state;
  assert_int_equal(fo_audit_config_parse(&cfg, yml, sizeof yml - 1, "cfg.yml", NULL), 0);
  r = result_with(paths, rules, 1);
  assert_int_equal(fo_audit_result_add_source(r, "terraform_state", FO_AUDIT_SIDE_SECONDARY, FO_AUDIT_SOURCE_UNREADABLE,
                                              "s.tfstate", "truncated"),
                   0);
  assert_int_equal(fo_audit_classify(r, cfg, "2026-01-01", 1), 0);
  fo_audit_result_finish(r);
  assert_null(find(r, "config/expected_differences[1]"));
  assert_null(find(r, "config/expected_differences[2]"));
  assert_int_equal(r->summary.stale_expected, 0);
  assert_int_equal(find(r, "terraform/aws_instance.web/instance_type")->classification, FO_AUDIT_CLASS_EXPECTED);
  assert_int_equal(fo_audit_result_exit_code(r), 3);
  fo_audit_result_free(r);
  fo_audit_config_free(cfg);
}

static void test_glob(void **state) {
  char *out = NULL;
  (void)state;
  assert_true(fo_audit_glob_match("terraform/*/tags.*", "terraform/aws_s3_bucket.b/tags.Name"));
  assert_false(fo_audit_glob_match("terraform/*", "terraform/a/b"));
  assert_true(fo_audit_glob_match("terraform/**", "terraform/a/b"));
  assert_true(fo_audit_glob_match("a?c", "abc"));
  assert_false(fo_audit_glob_match("a?c", "a/c"));
  assert_int_equal(fo_audit_glob_map(&out, "infra/us-east-1/**", "infra/us-east-2/**", "infra/us-east-1/m/x.tf"), 0);
  assert_string_equal(out, "infra/us-east-2/m/x.tf");
  free(out);
  assert_int_equal(fo_audit_glob_map(&out, "k8s/*/use1/*.yaml", "k8s/*/use2/*.yaml", "k8s/ov/use1/cm.yaml"), 0);
  assert_string_equal(out, "k8s/ov/use2/cm.yaml");
  free(out);
  assert_int_equal(fo_audit_glob_map(&out, "infra/us-east-1/**", "infra/us-east-2/**", "docs/x"), FO_ENOTFOUND);
}

/* Regression: "**a**a**...b" against a long run of 'a' used to backtrack exponentially (a hang in check). */
static void test_glob_pathological(void **state) {
  char s[1001], *out = NULL;
  (void)state;
  memset(s, 'a', sizeof s - 1);
  s[sizeof s - 1] = '\0';
  assert_false(fo_audit_glob_match("**a**a**a**a**a**a**a**b", s));
  s[sizeof s - 2] = 'b';
  assert_true(fo_audit_glob_match("**a**a**a**a**a**a**a**b", s));
  s[sizeof s - 2] = 'a';
  assert_int_equal(fo_audit_glob_map(&out, "**a**a**a**b", "**x**x**x**y", s), FO_ENOTFOUND);
  s[sizeof s - 2] = 'b';
  assert_int_equal(fo_audit_glob_map(&out, "**a**a**a**b", "**x**x**x**y", s), 0);
  assert_int_equal(strlen(out), sizeof s - 1);
  free(out);
}

/* Every rule of every table (each collector's and the meta rules) is documented in docs/audit-rules.md under its
 * id, with its kind (must-match, side-check, meta) and, when it is not an error, its severity; and the document
 * names no rule the tables lack. */
static void check_documented(const char *doc, const fo_audit_rule *rules, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char head[160];
    const char *line;
    snprintf(head, sizeof head, "### `%s` (%s", rules[i].id, fo_audit_rule_kind_name(rules[i].kind));
    if (!(line = strstr(doc, head)))
      fail_msg("docs/audit-rules.md lacks '%s'", head);
    if (rules[i].severity == FO_AUDIT_SEV_WARNING) {
      const char *eol = strchr(line, '\n'), *sev = strstr(line, "severity warning");
      if (!sev || (eol && sev > eol))
        fail_msg("docs/audit-rules.md: '%s' should say 'severity warning'", rules[i].id);
    }
  }
}

static void test_rules_documented(void **state) {
  char *doc = NULL, *p;
  size_t len = 0, n, headings = 0, ncollectors;
  const fo_audit_collector *const *cs = fo_audit_collectors(&ncollectors);
  const fo_audit_rule *meta = fo_audit_rules_meta(&n);
  fo_buf text;
  (void)state;
  assert_int_equal(fo_file_read(&text, FO_AUDIT_RULES_DOC, 1 << 20), 0);
  doc = fo_buf_detach(&text, &len);
  check_documented(doc, meta, n);
  for (size_t i = 0; i < ncollectors; i++) {
    check_documented(doc, cs[i]->rules, cs[i]->nrules);
    for (size_t j = 0; j < cs[i]->nrules; j++) {
      /* two sources may produce the same rule (EKS versions from the state and from the live cluster): one
       * heading, and the same rule in every table that has it */
      const fo_audit_rule *first = fo_audit_rule_find(cs[i]->rules[j].id);
      if (first != &cs[i]->rules[j] &&
          (first->kind != cs[i]->rules[j].kind || first->severity != cs[i]->rules[j].severity ||
           first->step != cs[i]->rules[j].step))
        fail_msg("rule '%s' differs between the tables that declare it", first->id);
      n += first == &cs[i]->rules[j];
    }
  }
  for (p = doc; (p = strstr(p, "\n### `")) != NULL; p++) {
    char id[128];
    const char *s0 = p + 6, *e = strchr(s0, '`');
    assert_non_null(e);
    assert_true((size_t)(e - s0) < sizeof id);
    memcpy(id, s0, (size_t)(e - s0));
    id[e - s0] = '\0';
    if (!fo_audit_rule_find(id))
      fail_msg("docs/audit-rules.md documents '%s', which is not in the rule table", id);
    headings++;
  }
  assert_int_equal(headings, n);
  free(doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_live_and_expired),         cmocka_unit_test(test_rule_filter_scope_and_stale),
      cmocka_unit_test(test_no_stale_when_unreadable), cmocka_unit_test(test_glob),
      cmocka_unit_test(test_glob_pathological),        cmocka_unit_test(test_rules_documented),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
