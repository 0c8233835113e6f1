/* report_fixture: builds the result sets described in report_fixture.h. */
#include "report_fixture.h"
#include "fo_buf.h"
#include "fo_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Add one finding; `pv`/`sv` are the values (salted unless sensitive). Returns 0 or -1. */
static int add(fo_audit_result *r, const fo_audit_finding *tmpl, const char *pv, const char *sv, int salt) {
  fo_audit_finding f = *tmpl;
  char pbuf[512], sbuf[512];
  if (salt && !f.sensitive) {
    if (pv) {
      snprintf(pbuf, sizeof pbuf, "%s /*salt %d*/", pv, salt);
      pv = pbuf;
    }
    if (sv) {
      snprintf(sbuf, sizeof sbuf, "%s /*salt %d*/", sv, salt);
      sv = sbuf;
    }
  }
  f.primary_value = (char *)pv;
  f.secondary_value = (char *)sv;
  return fo_audit_result_add(r, &f, NULL) < 0 ? -1 : 0;
}

#define RES(k, kd, n, a) \
  { .key = (char *)(k), .kind = (char *)(kd), .name = (char *)(n), .address = (char *)(a) }
#define LOC(file, line) \
  { (char *)(file), (line) }

static int add_drift(fo_audit_result *r, int salt) {
  int e = 0;
  {
    fo_audit_finding f = {.rule_id = (char *)"eks.version-differs",
                          .check = (char *)"terraform_state",
                          .severity = FO_AUDIT_SEV_ERROR,
                          .classification = FO_AUDIT_CLASS_UNEXPECTED,
                          .resource = RES("terraform/module.eks.aws_eks_cluster.this", "aws_eks_cluster", "this",
                                          "module.eks.aws_eks_cluster.this"),
                          .path = (char *)"version",
                          .message = (char *)"attribute differs between primary and secondary",
                          .step = FO_AUDIT_STEP_CLUSTER_VERSIONS,
                          .fix_hint = (char *)"upgrade the secondary cluster to the primary's Kubernetes version",
                          .primary_loc = LOC("infra/us-east-1/eks.tf", 12),
                          .secondary_loc = LOC("infra/us-east-2/eks.tf", 12)};
    e |= add(r, &f, "\"1.29\"", "\"1.28\"", salt);
  }
  {
    fo_audit_finding f = {.rule_id = (char *)"eks.addon-version-differs",
                          .check = (char *)"terraform_state",
                          .severity = FO_AUDIT_SEV_ERROR,
                          .classification = FO_AUDIT_CLASS_EXPECTED,
                          .resource = RES("terraform/module.eks.aws_eks_addon.coredns", "aws_eks_addon", "coredns",
                                          "module.eks.aws_eks_addon.coredns"),
                          .path = (char *)"addon_version",
                          .message = (char *)"attribute differs between primary and secondary",
                          .step = FO_AUDIT_STEP_ADDONS,
                          .fix_hint = (char *)"set the same addon_version in both regions",
                          .expected_pattern = (char *)"terraform/module.eks.aws_eks_addon.coredns/addon_version",
                          .expected_reason = (char *)"coredns rolled out region by region (CHG-1234)",
                          .expected_expires = (char *)"2099-12-31",
                          .expected_loc = LOC(".failover-audit.yml", 31)};
    e |= add(r, &f, "\"v1.11.1-eksbuild.4\"", "\"v1.11.1-eksbuild.3\"", salt);
  }
  {
    /* Markdown/HTML specials and an escaped newline in JSON text, plus a raw newline. */
    fo_audit_finding f = {.rule_id = (char *)"configmap.data-differs",
                          .check = (char *)"kubernetes_manifests",
                          .severity = FO_AUDIT_SEV_ERROR,
                          .classification = FO_AUDIT_CLASS_UNEXPECTED,
                          .resource = {.key = (char *)"k8s/ConfigMap/default/app-config",
                                       .kind = (char *)"ConfigMap",
                                       .ns = (char *)"default",
                                       .name = (char *)"app-config"},
                          .path = (char *)"data.GREETING",
                          .message = (char *)"data key differs",
                          .step = FO_AUDIT_STEP_CONFIGMAPS,
                          .fix_hint = (char *)"copy the key's value to the other overlay",
                          .primary_loc = LOC("k8s/overlays/use1/configmap.yaml", 7),
                          .secondary_loc = LOC("k8s/overlays/use2/configmap.yaml", 7)};
    e |= add(r, &f, "\"<b>hi</b> & \\\"bye\\\" | *x* _y_ @ops #1\\nline2\"", "\"plain\nraw newline <&>\\\"|*_\"", salt);
  }
  {
    /* Terminal escape and bytes that are not UTF-8 in a value. */
    fo_audit_finding f = {.rule_id = (char *)"configmap.data-differs",
                          .check = (char *)"kubernetes_manifests",
                          .severity = FO_AUDIT_SEV_ERROR,
                          .classification = FO_AUDIT_CLASS_UNEXPECTED,
                          .resource = {.key = (char *)"k8s/ConfigMap/default/app-config",
                                       .kind = (char *)"ConfigMap",
                                       .ns = (char *)"default",
                                       .name = (char *)"app-config"},
                          .path = (char *)"data.BANNER",
                          .message = (char *)"data key differs",
                          .step = FO_AUDIT_STEP_CONFIGMAPS,
                          .fix_hint = (char *)"copy the key's value to the other overlay"};
    e |= add(r, &f, "\"\x1b[31mred\x1b[0m\"", "\"caf\xc3\xa9 \xff\xfe\"", salt);
  }
  {
    fo_audit_finding f = {.rule_id = (char *)"configmap.missing",
                          .check = (char *)"kubernetes_manifests",
                          .severity = FO_AUDIT_SEV_ERROR,
                          .classification = FO_AUDIT_CLASS_EXPIRED_EXPECTED,
                          .resource = {.key = (char *)"k8s/ConfigMap/payments/feature-flags",
                                       .kind = (char *)"ConfigMap",
                                       .ns = (char *)"payments",
                                       .name = (char *)"feature-flags"},
                          .path = (char *)"",
                          .message = (char *)"present on the primary side only",
                          .step = FO_AUDIT_STEP_CONFIGMAPS,
                          .fix_hint = (char *)"add the ConfigMap to the other overlay",
                          .primary_loc = LOC("k8s/overlays/use1/flags.yaml", 1),
                          .expected_pattern = (char *)"k8s/ConfigMap/payments/*",
                          .expected_reason = (char *)"payments not in DR yet",
                          .expected_expires = (char *)"2020-01-31",
                          .expected_loc = LOC(".failover-audit.yml", 35)};
    e |= add(r, &f, "{\"enabled\":true}", NULL, salt);
  }
  {
    fo_audit_finding f = {
        .rule_id = (char *)"state.sensitive-differs",
        .check = (char *)"terraform_state",
        .severity = FO_AUDIT_SEV_ERROR,
        .classification = FO_AUDIT_CLASS_UNEXPECTED,
        .resource = RES("terraform/aws_db_instance.main", "aws_db_instance", "main", "aws_db_instance.main"),
        .path = (char *)"password",
        .sensitive = 1,
        .message = (char *)"sensitive attribute differs (by hash)",
        .step = FO_AUDIT_STEP_TERRAFORM,
        .fix_hint = (char *)"rotate or copy the secret"};
    /* Deliberately the real secrets, not placeholders: renderers must not trust the collector. */
    e |= add(r, &f, "\"" FIXTURE_SENSITIVE_SECRET "\"", "\"" FIXTURE_SENSITIVE_SECRET2 "\"", salt);
  }
  {
    fo_audit_finding f = {
        .rule_id = (char *)"state.attribute-differs",
        .check = (char *)"terraform_state",
        .severity = FO_AUDIT_SEV_ERROR,
        .classification = FO_AUDIT_CLASS_UNEXPECTED,
        .resource = RES("terraform/aws_iam_access_key.ci", "aws_iam_access_key", "ci", "aws_iam_access_key.ci"),
        .path = (char *)"id",
        .message = (char *)"attribute differs between primary and secondary",
        .step = FO_AUDIT_STEP_TERRAFORM,
        .fix_hint = (char *)"apply the same change to the other region"};
    e |= add(r, &f, "\"" FIXTURE_LOGGED_SECRET "\"", "\"AKIAOTHERKEY\"", salt);
  }
  {
    fo_audit_finding f = {.rule_id = (char *)"state.terraform-version-differs",
                          .check = (char *)"terraform_state",
                          .severity = FO_AUDIT_SEV_WARNING,
                          .classification = FO_AUDIT_CLASS_UNEXPECTED,
                          .resource = {.key = (char *)"meta/terraform_version", .kind = (char *)"meta"},
                          .path = (char *)"",
                          .message = (char *)"terraform version differs",
                          .step = FO_AUDIT_STEP_TERRAFORM,
                          .fix_hint = (char *)"use the same terraform version"};
    e |= add(r, &f, "\"1.6.6\"", "\"1.5.7\"", salt);
  }
  /* The same side check failing on both sides of one resource: ids collide, fingerprints must not. */
  for (int side = FO_AUDIT_SIDE_PRIMARY; side <= FO_AUDIT_SIDE_SECONDARY; side++) {
    fo_audit_finding f = {
        .rule_id = (char *)"backup.copy-lifecycle-missing",
        .rule_kind = FO_AUDIT_RULE_SIDE_CHECK,
        .check = (char *)"terraform_state",
        .severity = FO_AUDIT_SEV_ERROR,
        .classification = FO_AUDIT_CLASS_SIDE_CHECK,
        .side = (fo_audit_side)side,
        .resource = RES("terraform/aws_backup_plan.dr", "aws_backup_plan", "dr", "aws_backup_plan.dr"),
        .path = (char *)"rule[rule_name=daily].copy_action",
        .message = (char *)"copy action has no lifecycle",
        .step = FO_AUDIT_STEP_BACKUP,
        .fix_hint = (char *)"set copy_action.lifecycle.delete_after",
        .primary_loc = LOC("infra/us-east-1/backup.tf", 20),
        .secondary_loc = LOC("infra/us-east-2/backup.tf", 20)};
    e |= add(r, &f, side == FO_AUDIT_SIDE_PRIMARY ? "{\"lifecycle\":null}" : NULL,
             side == FO_AUDIT_SIDE_SECONDARY ? "{\"lifecycle\":null}" : NULL, salt);
  }
  /* Two findings equal in rule, side and full path (a collector that reports twice): still unique. */
  for (int i = 0; i < 2; i++) {
    fo_audit_finding f = {.rule_id = (char *)"k8s.object-differs",
                          .check = (char *)"kubernetes_manifests",
                          .severity = FO_AUDIT_SEV_ERROR,
                          .classification = FO_AUDIT_CLASS_UNEXPECTED,
                          .resource = {.key = (char *)"k8s/Deployment/default/web",
                                       .kind = (char *)"Deployment",
                                       .ns = (char *)"default",
                                       .name = (char *)"web"},
                          .path = (char *)"spec.replicas",
                          .message = (char *)"field differs",
                          .step = FO_AUDIT_STEP_OTHER,
                          .fix_hint = (char *)"apply the same change to the other overlay"};
    e |= add(r, &f, i ? "3" : "4", "1", salt);
  }
  {
    fo_audit_finding f = {.rule_id = (char *)"config.expected-difference-stale",
                          .rule_kind = FO_AUDIT_RULE_META,
                          .check = (char *)"config",
                          .severity = FO_AUDIT_SEV_WARNING,
                          .classification = FO_AUDIT_CLASS_STALE_EXPECTED,
                          .resource = {.key = (char *)"config/expected_differences[3]", .kind = (char *)"config"},
                          .path = (char *)"",
                          .message = (char *)"expected_differences entry matches nothing",
                          .step = FO_AUDIT_STEP_OTHER,
                          .fix_hint = (char *)"remove the entry from .failover-audit.yml",
                          .expected_pattern = (char *)"terraform/aws_sqs_queue.legacy/*",
                          .expected_reason = (char *)"legacy queue being retired",
                          .expected_expires = (char *)"2099-01-01",
                          .expected_loc = LOC(".failover-audit.yml", 40)};
    e |= add(r, &f, NULL, NULL, salt);
  }
  e |= fo_audit_result_add_source(r, "kubernetes_manifests", FO_AUDIT_SIDE_BOTH, FO_AUDIT_SOURCE_SKIPPED, NULL, NULL) <
       0;
  return e;
}

static const struct {
  const char *key, *check;
  fo_audit_step step;
} subjects[] = {
    {"terraform/module.eks.aws_eks_cluster.this", "terraform_state", FO_AUDIT_STEP_CLUSTER_VERSIONS},
    {"terraform/module.eks.aws_eks_addon.coredns", "terraform_state", FO_AUDIT_STEP_ADDONS},
    {"terraform/module.eks.aws_eks_addon.vpc-cni", "terraform_state", FO_AUDIT_STEP_ADDONS},
    {"k8s/ConfigMap/default/app-config", "kubernetes_manifests", FO_AUDIT_STEP_CONFIGMAPS},
    {"k8s/ConfigMap/kube-system/aws-auth", "kubernetes_manifests", FO_AUDIT_STEP_CONFIGMAPS},
    {"k8s/ConfigMap/payments/feature-flags", "kubernetes_manifests", FO_AUDIT_STEP_CONFIGMAPS},
    {"terraform/aws_db_instance.main", "terraform_state", FO_AUDIT_STEP_TERRAFORM},
    {"terraform/aws_iam_access_key.ci", "terraform_state", FO_AUDIT_STEP_TERRAFORM},
    {"terraform/aws_s3_bucket.assets", "terraform_state", FO_AUDIT_STEP_TERRAFORM},
    {"terraform/aws_backup_plan.dr", "terraform_state", FO_AUDIT_STEP_BACKUP},
    {"terraform/aws_route53_record.api", "terraform_state", FO_AUDIT_STEP_DNS},
    {"k8s/Deployment/default/web", "kubernetes_manifests", FO_AUDIT_STEP_OTHER},
};

fo_audit_result *report_fixture_new(fixture_kind kind, int value_salt) {
  fo_audit_result *r = fo_audit_result_new();
  int e = 0;

  if (!r)
    return NULL;
  fo_log_add_secret(FIXTURE_LOGGED_SECRET);
  r->command = strdup("check");
  r->tool_version = strdup("0.1.0");
  r->config_path = strdup(".failover-audit.yml");
  e |= !r->command || !r->tool_version || !r->config_path;
  e |= fo_audit_result_set_sides(r, "primary", "us-east-1", "secondary", "us-east-2") < 0;
  e |= fo_audit_result_add_source(r, "terraform_state", FO_AUDIT_SIDE_PRIMARY, FO_AUDIT_SOURCE_OK,
                                  "states/us-east-1.tfstate", NULL) < 0;
  e |= fo_audit_result_add_source(
           r, "terraform_state", FO_AUDIT_SIDE_SECONDARY,
           kind == FIXTURE_UNREADABLE ? FO_AUDIT_SOURCE_UNREADABLE : FO_AUDIT_SOURCE_OK, "states/us-east-2.tfstate",
           kind == FIXTURE_UNREADABLE ? "cannot read 'states/us-east-2.tfstate': unexpected end of json at byte 812"
                                      : NULL) < 0;
  for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++)
    e |= fo_audit_result_add_subject(r, subjects[i].key, subjects[i].check, subjects[i].step) < 0;
  if (kind == FIXTURE_DRIFT)
    e |= add_drift(r, value_salt);
  if (e) {
    fo_audit_result_free(r);
    return NULL;
  }
  fo_audit_result_finish(r);
  return r;
}
