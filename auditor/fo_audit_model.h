/* fo_audit_model: the data passed between the auditor's pipeline stages
 * (collect -> normalize -> diff -> classify -> report): findings, the result set, and the renderer interface.
 *
 * Ownership rule: a fo_audit_result owns every string of every finding, source status and subject it holds;
 * renderers only read a result (const) and never keep pointers into it after they return. */
#ifndef FO_AUDIT_MODEL_H
#define FO_AUDIT_MODEL_H

#include <stddef.h>

#include "fo_buf.h"

/* ---- enums (each has a stable lowercase name used in json/junit/codequality output) ---------------------- */

typedef enum {
  FO_AUDIT_SEV_ERROR = 0,   /* "error"   */
  FO_AUDIT_SEV_WARNING = 1, /* "warning" */
  FO_AUDIT_SEV_INFO = 2     /* "info"    */
} fo_audit_severity;

/* How the classify stage judged a finding. UNEXPECTED, EXPIRED_EXPECTED and SIDE_CHECK fail the gate
 * (exit 1); EXPECTED and STALE_EXPECTED are reported but do not fail it. */
typedef enum {
  FO_AUDIT_CLASS_UNEXPECTED = 0,       /* "unexpected": drift between the sides that nothing excuses */
  FO_AUDIT_CLASS_EXPECTED = 1,         /* "expected": matched a live expected_differences entry */
  FO_AUDIT_CLASS_EXPIRED_EXPECTED = 2, /* "expired-expected": matched an entry whose `expires` has passed */
  FO_AUDIT_CLASS_STALE_EXPECTED = 3,   /* "stale-expected-entry": an expected_differences entry matching nothing */
  FO_AUDIT_CLASS_SIDE_CHECK = 4        /* "side-check-failure": a per-side check failed (e.g. copy lifecycle) */
} fo_audit_class;

/* Must-match rules compare the two sides; side checks look at one side on its own. */
typedef enum {
  FO_AUDIT_RULE_MUST_MATCH = 0, /* "must-match" */
  FO_AUDIT_RULE_SIDE_CHECK = 1, /* "side-check" */
  FO_AUDIT_RULE_META = 2        /* "meta": about the audit itself (stale expected entries) */
} fo_audit_rule_kind;

/* The step of the failover sync checklist that fixes a finding; reports group by it, in this order. */
typedef enum {
  FO_AUDIT_STEP_CLUSTER_VERSIONS = 0, /* "cluster-versions"  "Cluster versions" */
  FO_AUDIT_STEP_ADDONS = 1,           /* "addons"            "Add-ons" */
  FO_AUDIT_STEP_CONFIGMAPS = 2,       /* "configmaps"        "ConfigMaps" */
  FO_AUDIT_STEP_TERRAFORM = 3,        /* "terraform"         "Terraform recipes/state" */
  FO_AUDIT_STEP_BACKUP = 4,           /* "backup-plans"      "Backup plans" */
  FO_AUDIT_STEP_DNS = 5,              /* "dns-weights"       "DNS/weights" */
  FO_AUDIT_STEP_OTHER = 6,            /* "other"             "Other" */
  /* the verification checklist after a failover (`verify`): its reports group by these instead */
  FO_AUDIT_STEP_NETWORK = 7,       /* "network"       "Network" */
  FO_AUDIT_STEP_APPLICATIONS = 8,  /* "applications"  "Applications" */
  FO_AUDIT_STEP_MESSAGING = 9,     /* "messaging"     "Messaging" */
  FO_AUDIT_STEP_DATA = 10,         /* "data"          "Data" */
  FO_AUDIT_STEP_INTEGRITY = 11,    /* "integrity"     "Integrity" */
  FO_AUDIT_STEP_OBSERVABILITY = 12 /* "observability" "Observability" */
} fo_audit_step;
#define FO_AUDIT_STEP_COUNT 7  /* the sync checklist's steps (check, diff, changes; path_mappings) */
#define FO_AUDIT_STEP_MAX   13 /* every step */

/* Which side a finding or source is about. */
typedef enum {
  FO_AUDIT_SIDE_BOTH = 0,     /* "both": a comparison between the sides */
  FO_AUDIT_SIDE_PRIMARY = 1,  /* "primary" */
  FO_AUDIT_SIDE_SECONDARY = 2 /* "secondary" */
} fo_audit_side;

typedef enum {
  FO_AUDIT_SOURCE_OK = 0,         /* "ok" */
  FO_AUDIT_SOURCE_UNREADABLE = 1, /* "unreadable": the gate fails closed (exit 3) */
  FO_AUDIT_SOURCE_SKIPPED = 2     /* "skipped": not configured for this run */
} fo_audit_source_state;

const char *fo_audit_severity_name(fo_audit_severity s);
const char *fo_audit_class_name(fo_audit_class c);
const char *fo_audit_rule_kind_name(fo_audit_rule_kind k);
const char *fo_audit_step_name(fo_audit_step s);  /* machine name, e.g. "configmaps" */
const char *fo_audit_step_title(fo_audit_step s); /* human title, e.g. "ConfigMaps" */
const char *fo_audit_side_name(fo_audit_side s);
const char *fo_audit_source_state_name(fo_audit_source_state s);

/* ---- finding --------------------------------------------------------------------------------------------- */

/* What a finding is about. `key` is the snapshot identity and always set:
 *   Terraform:  "terraform/<address>"           e.g. terraform/module.eks.aws_eks_cluster.this
 *   Kubernetes: "k8s/<kind>/<namespace>/<name>" e.g. k8s/ConfigMap/default/app-config  (namespace "" = cluster)
 *   Repo file:  "repo/<path>"                   e.g. repo/infra/us-east-1/main.tf
 *   Meta:       "meta/<what>"                   e.g. meta/terraform_version
 *   Config:     "config/expected_differences[<n>]" for stale entries
 * The other fields are the same identity split up, NULL when they do not apply. */
typedef struct fo_audit_resource {
  char *key;
  char *kind;    /* k8s kind or Terraform resource type ("aws_s3_bucket"), "file", "meta" */
  char *ns;      /* k8s namespace */
  char *name;    /* k8s name or Terraform resource name */
  char *address; /* Terraform address (with module path and index) or repo path */
} fo_audit_resource;

/* Where something comes from: file relative to the repo / working dir, 1-based line, 0 = unknown. */
typedef struct fo_audit_location {
  char *file;
  int line;
} fo_audit_location;

typedef struct fo_audit_finding {
  /* Stable across runs: first 16 hex digits of SHA-256(rule_id "\n" full_path). Values are not part of it,
   * so a finding keeps its id (and codequality fingerprint) while the values change. */
  char *id;
  char *rule_id; /* e.g. "state.attribute-differs" (see docs/audit-rules.md) */
  fo_audit_rule_kind rule_kind;
  char *check; /* the check that produced it: "terraform_state", "kubernetes_manifests", "repo", ... */
  fo_audit_severity severity;
  fo_audit_class classification;
  fo_audit_side side; /* BOTH for comparisons; the side concerned for one-side-only objects and side checks */
  fo_audit_resource resource;
  /* Attribute path inside the resource, "" for the whole resource. Dots between keys, identity-keyed array
   * elements as `[name=web]`, other array elements as `[3]`, e.g. "spec.containers[name=app].image". */
  char *path;
  /* "<resource.key>/<path>" (or just the key when path is ""): what expected_differences patterns match. */
  char *full_path;
  /* Each side's value as compact JSON text, NULL when absent on that side. When `sensitive` is set these are
   * placeholders ("(sensitive)") and the real values never reach the result. */
  char *primary_value;
  char *secondary_value;
  int sensitive;
  char *message; /* one line, e.g. "attribute differs between primary and secondary" */
  fo_audit_step step;
  char *fix_hint;                /* what to do, one or two sentences */
  fo_audit_location primary_loc; /* where the primary side's object is defined, when known */
  fo_audit_location secondary_loc;
  /* Set for EXPECTED, EXPIRED_EXPECTED and STALE_EXPECTED: the expected_differences entry involved. */
  char *expected_pattern;
  char *expected_reason;
  char *expected_expires;         /* "YYYY-MM-DD", NULL when the entry has no expiry */
  fo_audit_location expected_loc; /* the entry in the config file */
} fo_audit_finding;

/* ---- result set ------------------------------------------------------------------------------------------ */

typedef struct fo_audit_source_status {
  char *name; /* "terraform_state", "kubernetes_manifests", "repo", ... */
  fo_audit_side side;
  fo_audit_source_state state;
  char *location; /* what was read: file, directory, revision */
  char *message;  /* why it is unreadable (NULL when ok) */
} fo_audit_source_status;

/* One compared object per checklist step: lets junit emit a passing testcase for every resource checked. */
typedef struct fo_audit_subject {
  char *key; /* same as fo_audit_resource.key */
  char *check;
  fo_audit_step step;
  /* when this object's check started and finished (wall clock, ms since the epoch); 0 when not timed. `verify`
   * times each check so a drill's timeline can use its own durations. */
  long long started_ms, finished_ms;
} fo_audit_subject;

typedef struct fo_audit_summary {
  size_t total; /* findings */
  size_t unexpected, expected, expired_expected, stale_expected, side_check;
  size_t errors, warnings, infos;
  size_t failing; /* findings that fail the gate */
  size_t unreadable_sources;
  size_t subjects; /* objects compared */
} fo_audit_summary;

typedef struct fo_audit_side_info {
  char *name;   /* "primary" / "secondary" or the config's names */
  char *region; /* "us-east-1"; NULL when unknown */
} fo_audit_side_info;

typedef struct fo_audit_result {
  char *command;      /* "check", "diff", "changes" */
  char *tool_version; /* "0.1.0" */
  char *config_path;  /* NULL when run without a config */
  fo_audit_side_info primary;
  fo_audit_side_info secondary;
  fo_audit_finding *findings;
  size_t nfindings;
  fo_audit_source_status *sources;
  size_t nsources;
  fo_audit_subject *subjects;
  size_t nsubjects;
  fo_audit_summary summary;                       /* filled by fo_audit_result_finish */
  size_t cap_findings, cap_sources, cap_subjects; /* private */
} fo_audit_result;

/* A new empty result; NULL when out of memory. Free with fo_audit_result_free (accepts NULL). */
fo_audit_result *fo_audit_result_new(void);
void fo_audit_result_free(fo_audit_result *r);

/* Append a deep copy of `f` (every string duplicated; NULLs stay NULL). When f->id or f->full_path is NULL
 * they are computed from rule_id, resource.key and path. `out` (optional) receives the stored finding, valid
 * until the next add. */
int fo_audit_result_add(fo_audit_result *r, const fo_audit_finding *f, fo_audit_finding **out);
int fo_audit_result_add_source(fo_audit_result *r, const char *name, fo_audit_side side, fo_audit_source_state state,
                               const char *location, const char *message);
int fo_audit_result_add_subject(fo_audit_result *r, const char *key, const char *check, fo_audit_step step);
/* The same with the check's start and finish (ms since the epoch). */
int fo_audit_result_add_timed_subject(fo_audit_result *r, const char *key, const char *check, fo_audit_step step,
                                      long long started_ms, long long finished_ms);
int fo_audit_result_set_sides(fo_audit_result *r, const char *pname, const char *pregion, const char *sname,
                              const char *sregion);

/* Sort findings into report order (step, resource key, path, rule id) and compute the summary.
 * Call once after the last add and before rendering. */
void fo_audit_result_finish(fo_audit_result *r);

/* 1 when this finding fails the gate (UNEXPECTED, EXPIRED_EXPECTED, SIDE_CHECK). */
int fo_audit_finding_fails(const fo_audit_finding *f);

/* The steps a report of `r` shows, [*first, *end): the verification checklist's for `verify`, else the sync
 * checklist's. */
void fo_audit_result_steps(const fo_audit_result *r, int *first, int *end);

/* The process exit code for a finished result: 3 when a source was unreadable, else 1 when a finding fails
 * the gate, else 0. (2, usage/config error, never comes from a result.) */
int fo_audit_result_exit_code(const fo_audit_result *r);

/* Free the strings of a finding that the caller built itself (not one held by a result). */
void fo_audit_finding_dispose(fo_audit_finding *f);

/* ---- renderers (auditor/report/, one file per format) ---------------------------------------------------- */

/* Each appends the whole report for `r` (finished) to `out` and returns 0 or a negative FO_E* code with the
 * message set. Pure: no clock, no environment, no I/O. */
int fo_audit_render_text(const fo_audit_result *r, fo_buf *out, int color); /* color: ANSI escapes on */
int fo_audit_render_markdown(const fo_audit_result *r, fo_buf *out);
int fo_audit_render_json(const fo_audit_result *r, fo_buf *out);
int fo_audit_render_junit(const fo_audit_result *r, fo_buf *out);
int fo_audit_render_codequality(const fo_audit_result *r, fo_buf *out);

#endif
