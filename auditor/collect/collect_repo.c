/* collect_repo: the repository as a source. It is not read into snapshots: `failover-audit changes` compares
 * mapped files between two revisions through libgit2 (fo_audit_changes.c). This descriptor declares its config
 * key, its check ("repo") and its rules, like any other collector. */
#include "fo_audit_collector.h"

#include <stdlib.h>

/* sides.<side>.repo_path: the side's folder in the repo (informational) */
static const char *const repo_keys[] = {"repo_path", NULL};

static int repo_parse_key(void **state, const char *key, const fo_audit_yaml *node) {
  return fo_audit_yaml_string(node, key, (char **)state);
}

#define MM  FO_AUDIT_RULE_MUST_MATCH
#define ERR FO_AUDIT_SEV_ERROR

/* docs/audit-rules.md, "Repository history" */
static const fo_audit_rule repo_rules[] = {
    {"repo.counterpart-not-updated", MM, ERR, FO_AUDIT_STEP_OTHER,
     "File changed under the primary path but not its secondary counterpart",
     "make the same change under the secondary path in this merge request"},
    {"repo.counterpart-missing", MM, ERR, FO_AUDIT_STEP_OTHER, "Changed primary file has no secondary counterpart",
     "create the counterpart file under the secondary path"},
};

const fo_audit_collector fo_audit_collector_repo = {
    .name = "repo",
    .side_keys = repo_keys,
    .parse_key = repo_parse_key,
    .free_cfg = free,
    .rules = repo_rules,
    .nrules = sizeof repo_rules / sizeof repo_rules[0],
};
