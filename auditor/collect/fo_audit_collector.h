/* fo_audit_collector: the plug-in interface of a source. A collector declares everything the rest of the auditor
 * needs to know about it (config keys, rules, checklist steps, side checks); the differ, classifier and reports
 * are generic. Adding a source: one file with its descriptor, one line in fo_audit_registry.c (docs/auditor.md). */
#ifndef FO_AUDIT_COLLECTOR_H
#define FO_AUDIT_COLLECTOR_H

#include <stddef.h>

#include "fo_audit_config.h"
#include "fo_audit_normalize.h"
#include "fo_audit_rules.h"
#include "fo_audit_snapshot.h"
#include "fo_cancel.h"
#include "fo_clock.h"

struct fo_aws_client;
typedef struct fo_audit_collector fo_audit_collector;

/* What a collector gets for one side. Everything is borrowed for the duration of collect(). */
typedef struct fo_audit_collect_ctx {
  const fo_audit_config *cfg;
  int side;                      /* 0 primary, 1 secondary */
  const fo_audit_norm_ctx *norm; /* sensitive values are normalized before they are hashed, so the sides compare */
  const void *source_cfg;        /* this collector's own config of this side (what its parse_key built), or NULL */
  struct fo_aws_client *aws;     /* the side's AWS client; NULL for offline sources (none is built yet) */
  const char *kube_context;      /* the side's kubeconfig context (for live Kubernetes sources), or NULL */
  const fo_cancel *cancel;       /* the run's cancellation token, or NULL */
  const fo_clock *clock;         /* the run's clock (NULL = the system clock) */
} fo_audit_collect_ctx;

/* What the run hands to every collector of a side: built by the caller (cli/main.c: the clock, FO_AUDIT_TODAY
 * turns it into a virtual one). The AWS clients are NULL until a live source needs them: whoever builds them
 * from the config (one per side) sets aws[side] and frees them after the run. */
typedef struct fo_audit_env {
  const fo_clock *clock;
  const fo_cancel *cancel;
  struct fo_aws_client *aws[2];
  const char *kube_context[2];
} fo_audit_env;

/* Which rule a difference between the sides gets: the first entry of the collector's `matches` whose filters
 * all hold names the rule (NULL filters hold always). */
typedef enum {
  FO_AUDIT_ON_DIFFERS = 0, /* an attribute of an object present on both sides */
  FO_AUDIT_ON_MISSING = 1  /* an object present on one side only */
} fo_audit_diff_event;

typedef struct fo_audit_rule_match {
  fo_audit_diff_event on;
  const char *key;  /* glob over the object's key ("meta/terraform") */
  const char *kind; /* glob over the object's kind ("aws_eks_*") */
  const char *path; /* glob over the attribute path ("data**"); DIFFERS only */
  int sensitive;    /* 1: only differences of sensitive (hashed) values */
  const char *rule_id;
  const char *message;           /* both sides present */
  const char *message_primary;   /* present in the primary only (NULL: `message`) */
  const char *message_secondary; /* present in the secondary only (NULL: `message`) */
} fo_audit_rule_match;

/* The checklist step of the objects of a kind (glob); the first match wins, the entry with kind NULL ends the
 * table and gives the default. A rule's own step wins over this unless it is TERRAFORM or OTHER. */
typedef struct fo_audit_step_match {
  const char *kind;
  fo_audit_step step;
} fo_audit_step_match;

/* Groups: a source whose objects belong to containers (Terraform modules) reports a container present on one
 * side only once, instead of once per object inside it. The object `object_key` holds the groups of a side as
 * its attribute names; `member_field` of an object names its group. */
typedef struct fo_audit_group_rule {
  const char *object_key;   /* "meta/modules" */
  const char *member_field; /* "module" */
  const char *key_prefix;   /* a group's finding key is key_prefix + group: "terraform/" */
  const char *rule_id;
  const char *message_primary, *message_secondary;
} fo_audit_group_rule;

/* A side check: looks at the deployment itself (one side, or both together) rather than comparing. Snapshots
 * are normalized; an entry is NULL when its side's source is not ok. Findings are SIDE_CHECK (see
 * fo_audit_sidecheck_add). */
typedef struct fo_audit_sidecheck {
  const char *name; /* its check in the config: "backup" */
  int (*run)(fo_audit_result *r, const fo_audit_snapshot *snaps[2], const char *check);
} fo_audit_sidecheck;

struct fo_audit_collector {
  const char *name; /* source name in snapshots and reports, and its check in the config: "terraform_state" */

  /* --- config: the keys of `sides.<side>` this collector owns (NULL-terminated). parse_key is called once per
   * key present, with *state NULL at the first key of a side; it parses the node itself (fo_audit_yaml_*) and
   * keeps what it needs in *state, freed by free_cfg. */
  const char *const *side_keys;
  int (*parse_key)(void **state, const char *key, const fo_audit_yaml *node);
  void (*free_cfg)(void *state);

  /* --- collection. location: where this side's data is (borrowed), or NULL when the side does not configure
   * it. collect: add this source's objects to `snap`; on failure a negative FO_E* code with the message set
   * (the source is then recorded unreadable and the gate fails closed). Both NULL: the source is not read
   * into snapshots (the repository, read by `changes`). */
  const char *(*location)(const fo_audit_collect_ctx *ctx);
  int (*collect)(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap);

  /* --- normalize: drop what is specific to this source and differs per region by construction (may be NULL). */
  void (*drop_volatile)(cJSON *attributes);

  /* --- rules (stable ids, docs/audit-rules.md), how differences map onto them, steps, groups, side checks. */
  const fo_audit_rule *rules;
  size_t nrules;
  const fo_audit_rule_match *matches;
  size_t nmatches;
  const fo_audit_step_match *steps;  /* ends with {NULL, default} */
  const fo_audit_group_rule *groups; /* NULL or one */
  const fo_audit_sidecheck *sidechecks;
  size_t nsidechecks;

  /* --- live sources: what this side's read needs (NULL: FO_AUDIT_OFFLINE). The run builds a side's AWS client
   * only when an enabled source of that side answers FO_AUDIT_LIVE_AWS (fo_audit_aws.h), and reports the progress
   * of every live source on stderr. collect() runs for both sides at once (two threads): it must keep no state
   * outside its arguments. */
  int (*live)(const fo_audit_collect_ctx *ctx);
};

enum {
  FO_AUDIT_OFFLINE = 0,  /* files */
  FO_AUDIT_LIVE_NET = 1, /* a network service, not AWS (GitLab) */
  FO_AUDIT_LIVE_AWS = 2  /* AWS, through ctx->aws */
};
/* For descriptors: every read of the source calls AWS. */
int fo_audit_live_aws(const fo_audit_collect_ctx *ctx);

/* The registered collectors, in collection order (fo_audit_registry.c). */
const fo_audit_collector *const *fo_audit_collectors(size_t *n);
/* The collector of a source, or NULL. */
const fo_audit_collector *fo_audit_collector_find(const char *name);
/* Register one more collector after the built-in ones (tests; at most 8 extra, not thread-safe). 0 or
 * FO_EINVAL when full or the name is taken. */
int fo_audit_collector_register(const fo_audit_collector *c);
/* Remove the collectors added by fo_audit_collector_register. */
void fo_audit_collector_reset(void);

/* The step of an object of `kind` per the collector's step table (OTHER without one). */
fo_audit_step fo_audit_collector_step(const fo_audit_collector *c, const char *kind);
/* The first rule match for a difference, or NULL. `kind` and `path` may be NULL ("" is used). */
const fo_audit_rule_match *fo_audit_collector_match(const fo_audit_collector *c, fo_audit_diff_event on,
                                                    const char *key, const char *kind, const char *path, int sensitive);
/* This collector's config of a side, or NULL. */
const void *fo_audit_collector_side_cfg(const fo_audit_config *cfg, int side, const fo_audit_collector *c);

/* Collect one side per the config: every enabled collector whose location is set; each source's status goes
 * into the snapshot's "sources" (unreadable ones with their message). `env` may be NULL. Fails only on OOM. */
int fo_audit_collect_side(fo_audit_snapshot **out, const fo_audit_config *cfg, int side, const fo_audit_env *env);

/* The collection context of one collector for a side (borrowed pointers into cfg, env and norm). */
void fo_audit_collect_ctx_for(fo_audit_collect_ctx *out, const fo_audit_config *cfg, int side,
                              const fo_audit_norm_ctx *norm, const fo_audit_collector *c, const fo_audit_env *env);

/* The normalization context of a side from the config (borrowed pointers into cfg). */
void fo_audit_norm_ctx_for_side(fo_audit_norm_ctx *out, const fo_audit_config *cfg, int side);

/* Replace `item` (a member of `parent`) by {"$sensitive": "sha256:<hex>"}: the SHA-256 of its compact JSON after
 * this side's normalization, so equal secrets modulo region tokens compare equal. The plain text is wiped
 * before it is freed. Null values and markers stay as they are. 0 or FO_ENOMEM. */
int fo_audit_mark_sensitive(const fo_audit_collect_ctx *ctx, cJSON *parent, cJSON *item);
/* The same, also for a value that looks like a marker: for outside text (a manifest) that could carry a
 * look-alike {"$sensitive": "<the secret>"}. */
int fo_audit_mark_sensitive_value(const fo_audit_collect_ctx *ctx, cJSON *parent, cJSON *item);

/* Source collectors (one file each). */
extern const fo_audit_collector fo_audit_collector_tfstate;
extern const fo_audit_collector fo_audit_collector_manifests;
extern const fo_audit_collector fo_audit_collector_kube;
extern const fo_audit_collector fo_audit_collector_repo;
extern const fo_audit_collector fo_audit_collector_aws; /* owns the AWS client keys of a side; reads nothing */
extern const fo_audit_collector fo_audit_collector_eks;
extern const fo_audit_collector fo_audit_collector_backup;
extern const fo_audit_collector fo_audit_collector_route53;

/* Readers behind the collectors, exposed for unit tests and fuzzing: parse a state (v4 or show -json) or a
 * multi-document manifest file from memory into `snap`. `name` names the input in messages. */
int fo_audit_tfstate_parse(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const char *data, size_t len,
                           const char *name);
int fo_audit_manifests_parse(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const char *data, size_t len,
                             const char *name);
/* The Terraform state collector's side checks ("backup", "dns"), exposed for unit tests. */
extern const fo_audit_sidecheck fo_audit_tfstate_sidechecks[2];
/* Parse a .terraform.lock.hcl's provider versions into obj {"<provider>": "<version>"}. */
int fo_audit_lockfile_parse(cJSON *obj, const char *data, size_t len, const char *name);

#endif
