/* unit.audit.sidechecks: the Terraform state collector's side checks (backup copy lifecycle, one active DNS
 * weight), each on its own, and the side-check stage that runs them (enabled checks only, ok sources only). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fo_audit_collector.h"
#include "fo_audit_sidecheck.h"
#include "fo_err.h"

/* A snapshot with one terraform_state object per (key, kind, attributes JSON) triple. */
static fo_audit_snapshot *snap(const char *side, const char *const *objs, size_t n) {
  fo_audit_snapshot *s = NULL;
  assert_int_equal(fo_audit_snapshot_new(&s, side, NULL, NULL, NULL), 0);
  for (size_t i = 0; i + 2 < n; i += 3) {
    cJSON *o, *attrs = cJSON_Parse(objs[i + 2]);
    assert_non_null(attrs);
    assert_int_equal(fo_audit_snapshot_add_object(&o, s, objs[i], "terraform_state"), 0);
    assert_non_null(cJSON_AddStringToObject(o, "kind", objs[i + 1]));
    cJSON_ReplaceItemInObjectCaseSensitive(o, "attributes", attrs);
  }
  assert_int_equal(fo_audit_snapshot_add_source(s, "terraform_state", "ok", "x", NULL), 0);
  return s;
}

static size_t count(const fo_audit_result *r, const char *rule, fo_audit_side side) {
  size_t n = 0;
  for (size_t i = 0; i < r->nfindings; i++)
    n += !strcmp(r->findings[i].rule_id, rule) && r->findings[i].side == side &&
         r->findings[i].classification == FO_AUDIT_CLASS_SIDE_CHECK;
  return n;
}

static const fo_audit_sidecheck *check(const char *name) {
  for (size_t i = 0; i < fo_audit_collector_tfstate.nsidechecks; i++)
    if (!strcmp(fo_audit_collector_tfstate.sidechecks[i].name, name))
      return &fo_audit_collector_tfstate.sidechecks[i];
  fail_msg("no side check '%s'", name);
  return NULL;
}

static void test_backup(void **state) {
  static const char *const p[] = {
      "terraform/aws_backup_plan.a", "aws_backup_plan",
      "{\"rule\":[{\"rule_name\":\"daily\",\"copy_action\":[{\"destination_vault_arn\":\"v\"}]},"
      "{\"rule_name\":\"weekly\",\"copy_action\":[]},"
      "{\"rule_name\":\"ok\",\"copy_action\":[{\"lifecycle\":[{\"delete_after\":14}]}]}]}"};
  static const char *const s[] = {
      "terraform/aws_backup_plan.a", "aws_backup_plan",
      "{\"rule\":[{\"rule_name\":\"daily\",\"copy_action\":[{\"lifecycle\":{\"delete_after\":0}}]},"
      "{\"rule_name\":\"weekly\",\"copy_action\":[]}]}"};
  fo_audit_snapshot *ps = snap("primary", p, 3), *ss = snap("secondary", s, 3);
  const fo_audit_snapshot *snaps[2] = {ps, ss};
  fo_audit_result *r = fo_audit_result_new();
  (void)state;
  assert_int_equal(check("backup")->run(r, snaps, "backup"), 0);
  /* a copy without lifecycle on each side (delete_after 0 does not count) */
  assert_int_equal(count(r, "backup.copy-lifecycle-missing", FO_AUDIT_SIDE_PRIMARY), 1);
  assert_int_equal(count(r, "backup.copy-lifecycle-missing", FO_AUDIT_SIDE_SECONDARY), 1);
  /* a rule without copies is reported for the primary only */
  assert_int_equal(count(r, "backup.copy-action-missing", FO_AUDIT_SIDE_PRIMARY), 1);
  assert_int_equal(count(r, "backup.copy-action-missing", FO_AUDIT_SIDE_SECONDARY), 0);
  assert_int_equal(r->nfindings, 3);
  for (size_t i = 0; i < r->nfindings; i++) {
    assert_int_equal(r->findings[i].step, FO_AUDIT_STEP_BACKUP);
    assert_non_null(strstr(r->findings[i].full_path, "@")); /* the side is part of the path */
  }
  fo_audit_result_free(r);
  fo_audit_snapshot_free(ps);
  fo_audit_snapshot_free(ss);
}

static void test_dns(void **state) {
  /* www: both active (255/255) -> finding; api: 255/0 -> fine; the same record in both states counts once */
  static const char *const p[] = {"terraform/aws_route53_record.www_p",
                                  "aws_route53_record",
                                  "{\"name\":\"www\",\"type\":\"A\",\"weighted_routing_policy\":[{\"weight\":255}]}",
                                  "terraform/aws_route53_record.api_p",
                                  "aws_route53_record",
                                  "{\"name\":\"api\",\"type\":\"A\",\"weighted_routing_policy\":[{\"weight\":255}]}"};
  static const char *const s[] = {"terraform/aws_route53_record.www_s",
                                  "aws_route53_record",
                                  "{\"name\":\"www\",\"type\":\"A\",\"weighted_routing_policy\":{\"weight\":255}}",
                                  "terraform/aws_route53_record.api_p",
                                  "aws_route53_record",
                                  "{\"name\":\"api\",\"type\":\"A\",\"weighted_routing_policy\":[{\"weight\":255}]}",
                                  "terraform/aws_route53_record.api_s",
                                  "aws_route53_record",
                                  "{\"name\":\"api\",\"type\":\"A\",\"weighted_routing_policy\":[{\"weight\":0}]}"};
  fo_audit_snapshot *ps = snap("primary", p, 6), *ss = snap("secondary", s, 9);
  const fo_audit_snapshot *snaps[2] = {ps, ss};
  fo_audit_result *r = fo_audit_result_new();
  (void)state;
  assert_int_equal(check("dns")->run(r, snaps, "dns"), 0);
  assert_int_equal(r->nfindings, 1);
  assert_string_equal(r->findings[0].rule_id, "dns.active-weight-count");
  assert_string_equal(r->findings[0].resource.key, "dns/www/A");
  assert_string_equal(r->findings[0].message, "2 of 2 weighted records have a non-zero weight (want exactly 1)");
  assert_int_equal(r->findings[0].step, FO_AUDIT_STEP_DNS);
  fo_audit_result_free(r);
  fo_audit_snapshot_free(ps);
  fo_audit_snapshot_free(ss);
}

/* The stage runs a collector's side checks only when the collector's check and the side check are enabled, and
 * only on sides whose source is ok. */
static void test_stage(void **state) {
  static const char *const p[] = {"terraform/aws_backup_plan.a", "aws_backup_plan",
                                  "{\"rule\":[{\"rule_name\":\"d\",\"copy_action\":[{}]}]}"};
  static const char no_backup[] =
      "sides: {primary: {region: a}, secondary: {region: b}}\n"
      "checks: {terraform_state: {}, dns: {}}\n";
  static const char no_state[] =
      "sides: {primary: {region: a}, secondary: {region: b}}\n"
      "checks: {backup: {}}\n";
  fo_audit_snapshot *ps = snap("primary", p, 3), *ss = snap("secondary", p, 3), *bad = NULL;
  fo_audit_config *cfg = NULL;
  fo_audit_result *r = fo_audit_result_new();
  (void)state;
  assert_int_equal(fo_audit_sidechecks(r, ps, ss, NULL), 0); /* no config: everything runs */
  assert_int_equal(r->nfindings, 2);
  fo_audit_result_free(r);

  assert_non_null(r = fo_audit_result_new());
  assert_int_equal(fo_audit_config_parse(&cfg, no_backup, sizeof no_backup - 1, "c.yml", NULL), 0);
  assert_int_equal(fo_audit_sidechecks(r, ps, ss, cfg), 0);
  assert_int_equal(r->nfindings, 0);
  fo_audit_config_free(cfg);
  assert_int_equal(fo_audit_config_parse(&cfg, no_state, sizeof no_state - 1, "c.yml", NULL), 0);
  assert_int_equal(fo_audit_sidechecks(r, ps, ss, cfg), 0);
  assert_int_equal(r->nfindings, 0);
  fo_audit_config_free(cfg);

  /* an unreadable secondary: only the primary is checked */
  assert_int_equal(fo_audit_snapshot_new(&bad, "secondary", NULL, NULL, NULL), 0);
  assert_int_equal(fo_audit_snapshot_add_source(bad, "terraform_state", "unreadable", "x", "gone"), 0);
  assert_int_equal(fo_audit_sidechecks(r, ps, bad, NULL), 0);
  assert_int_equal(r->nfindings, 1);
  assert_int_equal(r->findings[0].side, FO_AUDIT_SIDE_PRIMARY);
  fo_audit_result_free(r);
  fo_audit_snapshot_free(bad);
  fo_audit_snapshot_free(ps);
  fo_audit_snapshot_free(ss);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_backup),
      cmocka_unit_test(test_dns),
      cmocka_unit_test(test_stage),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
