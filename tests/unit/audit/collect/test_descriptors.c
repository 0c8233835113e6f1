/* unit.audit.descriptors: what each built-in collector declares: its config keys (parsed by itself), how
 * differences map onto its rules (the first match wins), its checklist steps, and that every rule a match or a
 * side check names is in its own rule table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fo_audit_collector.h"
#include "fo_err.h"

static const char *rule(const fo_audit_collector *c, fo_audit_diff_event on, const char *key, const char *kind,
                        const char *path, int sensitive) {
  const fo_audit_rule_match *m = fo_audit_collector_match(c, on, key, kind, path, sensitive);
  return m ? m->rule_id : NULL;
}

static void test_tfstate(void **state) {
  const fo_audit_collector *c = &fo_audit_collector_tfstate;
  (void)state;
  assert_ptr_equal(fo_audit_collector_find("terraform_state"), c);
  assert_string_equal(rule(c, FO_AUDIT_ON_MISSING, "terraform/aws_s3_bucket.b", "aws_s3_bucket", "", 0),
                      "state.resource-missing");
  assert_string_equal(rule(c, FO_AUDIT_ON_DIFFERS, "meta/terraform", "meta", "providers.registry.terraform.io/x", 0),
                      "state.provider-version-differs");
  assert_string_equal(rule(c, FO_AUDIT_ON_DIFFERS, "meta/terraform", "meta", "terraform_version", 0),
                      "state.terraform-version-differs");
  assert_string_equal(rule(c, FO_AUDIT_ON_DIFFERS, "terraform/aws_db_instance.d", "aws_db_instance", "password", 1),
                      "state.sensitive-differs");
  assert_string_equal(rule(c, FO_AUDIT_ON_DIFFERS, "terraform/aws_eks_cluster.c", "aws_eks_cluster", "version", 0),
                      "eks.version-differs");
  /* only `version` itself: another attribute of the cluster is an ordinary difference */
  assert_string_equal(
      rule(c, FO_AUDIT_ON_DIFFERS, "terraform/aws_eks_cluster.c", "aws_eks_cluster", "platform_version", 0),
      "state.attribute-differs");
  assert_string_equal(rule(c, FO_AUDIT_ON_DIFFERS, "terraform/aws_eks_addon.a", "aws_eks_addon", "addon_version", 0),
                      "eks.addon-version-differs");
  assert_int_equal(fo_audit_collector_step(c, "aws_eks_node_group"), FO_AUDIT_STEP_CLUSTER_VERSIONS);
  assert_int_equal(fo_audit_collector_step(c, "aws_eks_addon"), FO_AUDIT_STEP_ADDONS);
  assert_int_equal(fo_audit_collector_step(c, "aws_backup_vault"), FO_AUDIT_STEP_BACKUP);
  assert_int_equal(fo_audit_collector_step(c, "aws_route53_record"), FO_AUDIT_STEP_DNS);
  assert_int_equal(fo_audit_collector_step(c, "kubernetes_config_map_v1"), FO_AUDIT_STEP_CONFIGMAPS);
  assert_int_equal(fo_audit_collector_step(c, "aws_s3_bucket"), FO_AUDIT_STEP_TERRAFORM);
  assert_int_equal(fo_audit_collector_step(c, NULL), FO_AUDIT_STEP_TERRAFORM);
}

static void test_manifests(void **state) {
  const fo_audit_collector *c = &fo_audit_collector_manifests;
  const fo_audit_rule_match *m;
  (void)state;
  assert_string_equal(rule(c, FO_AUDIT_ON_MISSING, "k8s/ConfigMap/default/a", "ConfigMap", "", 0), "configmap.missing");
  assert_string_equal(rule(c, FO_AUDIT_ON_MISSING, "k8s/Service/default/a", "Service", "", 0), "k8s.object-missing");
  assert_string_equal(rule(c, FO_AUDIT_ON_DIFFERS, "k8s/ConfigMap/default/a", "ConfigMap", "data.LOG_LEVEL", 0),
                      "configmap.data-differs");
  assert_string_equal(rule(c, FO_AUDIT_ON_DIFFERS, "k8s/ConfigMap/default/a", "ConfigMap", "binaryData.k", 0),
                      "configmap.data-differs");
  assert_string_equal(rule(c, FO_AUDIT_ON_DIFFERS, "k8s/ConfigMap/default/a", "ConfigMap", "metadata.labels.x", 0),
                      "k8s.object-differs");
  /* a Secret's hashed values are ordinary object differences here (no state.sensitive-differs) */
  assert_string_equal(rule(c, FO_AUDIT_ON_DIFFERS, "k8s/Secret/default/s", "Secret", "data.password", 1),
                      "k8s.object-differs");
  assert_non_null(m = fo_audit_collector_match(c, FO_AUDIT_ON_DIFFERS, "k", "ConfigMap", "data.k", 0));
  assert_string_equal(m->message_primary, "ConfigMap key only in primary");
  assert_int_equal(fo_audit_collector_step(c, "ConfigMap"), FO_AUDIT_STEP_CONFIGMAPS);
  assert_int_equal(fo_audit_collector_step(c, "Deployment"), FO_AUDIT_STEP_OTHER);
}

/* Every rule id a collector's matches, groups or side checks produce is in that collector's own table. */
static void test_rules_are_own(void **state) {
  size_t n;
  const fo_audit_collector *const *cs = fo_audit_collectors(&n);
  (void)state;
  for (size_t i = 0; i < n; i++) {
    const fo_audit_collector *c = cs[i];
    for (size_t k = 0; k < c->nmatches; k++) {
      int own = 0;
      for (size_t j = 0; j < c->nrules; j++)
        own |= !strcmp(c->rules[j].id, c->matches[k].rule_id);
      if (!own)
        fail_msg("%s: match %zu names '%s', not in its rule table", c->name, k, c->matches[k].rule_id);
    }
    if (c->groups) {
      int own = 0;
      for (size_t j = 0; j < c->nrules; j++)
        own |= !strcmp(c->rules[j].id, c->groups->rule_id);
      assert_true(own);
    }
    /* the steps table ends with its default */
    if (c->steps) {
      const fo_audit_step_match *s = c->steps;
      while (s->kind)
        s++;
      assert_true(s->step < FO_AUDIT_STEP_COUNT);
    }
  }
}

/* Each collector parses its own keys of a side; a key given twice: the last wins. */
static void test_config_keys(void **state) {
  static const char yml[] =
      "sides:\n"
      "  primary: {region: a, terraform_state: s1, terraform_lock: l, manifests: m,\n"
      "            repo_path: infra/a, terraform_state: s2}\n"
      "  secondary: {region: b}\n";
  static const char bad[] = "sides:\n  primary: {region: a, terraform_state: [x]}\n  secondary: {region: b}\n";
  fo_audit_config *cfg = NULL;
  fo_audit_collect_ctx ctx;
  (void)state;
  assert_int_equal(fo_audit_config_parse(&cfg, yml, sizeof yml - 1, "c.yml", "/cfg"), 0);
  fo_audit_collect_ctx_for(&ctx, cfg, 0, NULL, &fo_audit_collector_tfstate, NULL);
  assert_string_equal(fo_audit_collector_tfstate.location(&ctx), "/cfg/s2");
  fo_audit_collect_ctx_for(&ctx, cfg, 0, NULL, &fo_audit_collector_manifests, NULL);
  assert_string_equal(fo_audit_collector_manifests.location(&ctx), "/cfg/m");
  /* repo_path is not a path to read: kept as written */
  assert_string_equal(fo_audit_collector_side_cfg(cfg, 0, &fo_audit_collector_repo), "infra/a");
  assert_null(fo_audit_collector_side_cfg(cfg, 1, &fo_audit_collector_tfstate));
  fo_audit_config_free(cfg);
  /* the collector's own parser reports errors with the node's position */
  assert_int_equal(fo_audit_config_parse(&cfg, bad, sizeof bad - 1, "c.yml", NULL), FO_EINVAL);
  assert_string_equal(fo_err_last(), "c.yml:2:41: 'terraform_state' must be a string");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tfstate),
      cmocka_unit_test(test_manifests),
      cmocka_unit_test(test_rules_are_own),
      cmocka_unit_test(test_config_keys),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
