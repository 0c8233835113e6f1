/* fo_audit_rules: rule lookup over the collectors' rule tables, plus the auditor's own (meta) rules. Keep every
 * table in step with docs/audit-rules.md (a unit test checks it). */
#include "fo_audit_rules.h"
#include "fo_audit_collector.h"

#include <string.h>

#define MM   FO_AUDIT_RULE_MUST_MATCH
#define ME   FO_AUDIT_RULE_META
#define ERR  FO_AUDIT_SEV_ERROR
#define WARN FO_AUDIT_SEV_WARNING

static const fo_audit_rule rules[] = {
    /* a difference in a source whose collector names no rule for it (e.g. a snapshot from a newer auditor) */
    {"source.object-missing", MM, ERR, FO_AUDIT_STEP_OTHER, "Object present on one side only",
     "add the object to the other region"},
    {"source.object-differs", MM, ERR, FO_AUDIT_STEP_OTHER, "Object differs between the sides",
     "apply the same change to the other region"},
    {"config.expected-difference-stale", ME, WARN, FO_AUDIT_STEP_OTHER, "expected_differences entry matches nothing",
     "remove the entry from .failover-audit.yml (the difference it excused is gone)"},
};

const fo_audit_rule *fo_audit_rule_find(const char *id) {
  size_t n;
  const fo_audit_collector *const *cs = fo_audit_collectors(&n);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < cs[i]->nrules; j++)
      if (strcmp(cs[i]->rules[j].id, id) == 0)
        return &cs[i]->rules[j];
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
    if (strcmp(rules[i].id, id) == 0)
      return &rules[i];
  return NULL;
}

const fo_audit_rule *fo_audit_rules_meta(size_t *n) {
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
