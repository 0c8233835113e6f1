/* fo_audit_rules: the static rule table (keep in step with docs/audit-rules.md). */
#include "fo_audit_rules.h"

#include <string.h>

#define MM   FO_AUDIT_RULE_MUST_MATCH
#define SC   FO_AUDIT_RULE_SIDE_CHECK
#define ME   FO_AUDIT_RULE_META
#define ERR  FO_AUDIT_SEV_ERROR
#define WARN FO_AUDIT_SEV_WARNING

static const fo_audit_rule rules[] = {
    {"state.resource-missing", MM, ERR, FO_AUDIT_STEP_TERRAFORM, "Terraform resource present on one side only",
     "add the resource to the other region's recipe (or record why it is primary-only in expected_differences)"},
    {"state.module-missing", MM, ERR, FO_AUDIT_STEP_TERRAFORM, "Terraform module present on one side only",
     "instantiate the module in the other region's root configuration"},
    {"state.attribute-differs", MM, ERR, FO_AUDIT_STEP_TERRAFORM, "Terraform attribute differs",
     "apply the same change to the other region's recipe and run plan/apply there"},
    {"state.sensitive-differs", MM, ERR, FO_AUDIT_STEP_TERRAFORM, "Sensitive Terraform attribute differs (by hash)",
     "rotate or copy the secret so both regions hold the same value"},
    {"state.terraform-version-differs", MM, WARN, FO_AUDIT_STEP_TERRAFORM, "Terraform/OpenTofu version differs",
     "run both regions' applies with the same terraform/tofu version"},
    {"state.provider-version-differs", MM, ERR, FO_AUDIT_STEP_TERRAFORM, "Provider version differs",
     "run `terraform init -upgrade` in the lagging region so .terraform.lock.hcl pins the same versions"},
    {"eks.version-differs", MM, ERR, FO_AUDIT_STEP_CLUSTER_VERSIONS, "EKS cluster version differs",
     "upgrade the secondary cluster to the primary's Kubernetes version before the next failover test"},
    {"eks.addon-version-differs", MM, ERR, FO_AUDIT_STEP_ADDONS, "EKS add-on version differs",
     "set the same addon_version for the add-on in both regions"},
    {"configmap.missing", MM, ERR, FO_AUDIT_STEP_CONFIGMAPS, "ConfigMap present on one side only",
     "add the ConfigMap to the other region's overlay"},
    {"configmap.data-differs", MM, ERR, FO_AUDIT_STEP_CONFIGMAPS, "ConfigMap data key differs",
     "copy the key's value to the other region's overlay"},
    {"k8s.object-missing", MM, ERR, FO_AUDIT_STEP_OTHER, "Kubernetes object present on one side only",
     "add the object to the other region's overlay"},
    {"k8s.object-differs", MM, ERR, FO_AUDIT_STEP_OTHER, "Kubernetes object field differs",
     "apply the same change to the other region's overlay"},
    {"repo.counterpart-not-updated", MM, ERR, FO_AUDIT_STEP_OTHER,
     "File changed under the primary path but not its secondary counterpart",
     "make the same change under the secondary path in this merge request"},
    {"repo.counterpart-missing", MM, ERR, FO_AUDIT_STEP_OTHER, "Changed primary file has no secondary counterpart",
     "create the counterpart file under the secondary path"},
    {"backup.copy-lifecycle-missing", SC, ERR, FO_AUDIT_STEP_BACKUP, "Backup copy action without a lifecycle",
     "set copy_action.lifecycle.delete_after so cross-region copies expire like the source recovery points"},
    {"backup.copy-action-missing", SC, WARN, FO_AUDIT_STEP_BACKUP, "Backup rule without a cross-region copy",
     "add a copy_action to the rule whose destination_vault_arn is a vault in the other region"},
    {"dns.active-weight-count", SC, ERR, FO_AUDIT_STEP_DNS, "Weighted record set without exactly one active weight",
     "set exactly one weighted record of the set to a non-zero weight (255) and the others to 0"},
    {"config.expected-difference-stale", ME, WARN, FO_AUDIT_STEP_OTHER, "expected_differences entry matches nothing",
     "remove the entry from .failover-audit.yml (the difference it excused is gone)"},
};

const fo_audit_rule *fo_audit_rule_find(const char *id) {
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
    if (strcmp(rules[i].id, id) == 0)
      return &rules[i];
  return NULL;
}

const fo_audit_rule *fo_audit_rules_all(size_t *n) {
  *n = sizeof rules / sizeof rules[0];
  return rules;
}

const fo_audit_rule *fo_audit_finding_from_rule(fo_audit_finding *f, const char *rule_id) {
  const fo_audit_rule *rule = fo_audit_rule_find(rule_id);
  memset(f, 0, sizeof *f);
  f->rule_id = (char *)rule_id;
  f->classification = FO_AUDIT_CLASS_UNEXPECTED;
  f->severity = rule ? rule->severity : FO_AUDIT_SEV_ERROR;
  f->rule_kind = rule ? rule->kind : FO_AUDIT_RULE_MUST_MATCH;
  f->step = rule ? rule->step : FO_AUDIT_STEP_OTHER;
  f->fix_hint = rule ? (char *)rule->fix_hint : NULL;
  return rule;
}
