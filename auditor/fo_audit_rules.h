/* fo_audit_rules: an audit rule (a stable id, what kind of rule it is, its severity, the sync checklist step that
 * fixes it and a fix hint) and the lookup over every table: each collector declares its own rules
 * (fo_audit_collector.h), the auditor its meta rules. docs/audit-rules.md documents every entry. */
#ifndef FO_AUDIT_RULES_H
#define FO_AUDIT_RULES_H

#include <stddef.h>

#include "fo_audit_model.h"

typedef struct fo_audit_rule {
  const char *id; /* "state.attribute-differs" */
  fo_audit_rule_kind kind;
  fo_audit_severity severity;
  fo_audit_step step; /* default step; some findings override it by resource type */
  const char *title;  /* short human title */
  const char *fix_hint;
} fo_audit_rule;

/* The rule with this id, or NULL. Borrowed, static. */
const fo_audit_rule *fo_audit_rule_find(const char *id);
/* Start a finding from a rule: zero *f, then set rule_id, rule_kind, severity, step and fix_hint from the
 * table (static strings; fo_audit_result_add copies them) and classification UNEXPECTED. Returns the rule, or
 * NULL for an unknown id (then only rule_id is set, severity error, step other). */
const fo_audit_rule *fo_audit_finding_from_rule(fo_audit_finding *f, const char *rule_id);

/* The auditor's own rules (about the configuration itself); *n receives the count. */
const fo_audit_rule *fo_audit_rules_meta(size_t *n);

#endif
