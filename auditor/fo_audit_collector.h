/* fo_audit_collector: one interface for every source that fills a side's snapshot. Part 1 has files in the
 * repo (Terraform state, Kubernetes manifests); live AWS/Kubernetes collectors (part 2) plug in the same way. */
#ifndef FO_AUDIT_COLLECTOR_H
#define FO_AUDIT_COLLECTOR_H

#include <stddef.h>

#include "fo_audit_config.h"
#include "fo_audit_normalize.h"
#include "fo_audit_snapshot.h"

typedef struct fo_audit_collector fo_audit_collector;

/* What a collector gets: the config, which side (0 primary, 1 secondary) and that side's normalization
 * (sensitive values are normalized before they are hashed, so the hashes of the two sides compare). */
typedef struct fo_audit_collect_ctx {
  const fo_audit_config *cfg;
  int side;
  const fo_audit_norm_ctx *norm;
} fo_audit_collect_ctx;

struct fo_audit_collector {
  const char *name;  /* source name in snapshots and reports: "terraform_state" */
  const char *check; /* the config check that enables it */
  /* Where this side's data is (borrowed from the config), or NULL when the side does not configure it. */
  const char *(*location)(const fo_audit_collect_ctx *ctx);
  /* Add this source's objects to `snap`. On failure returns a negative FO_E* code with the message set; the
   * caller records the source as unreadable (the gate fails closed). */
  int (*collect)(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap);
};

/* The registered collectors, in collection order. */
const fo_audit_collector *const *fo_audit_collectors(size_t *n);

/* Collect one side per the config: every enabled collector whose location is set; each source's status goes
 * into the snapshot's "sources" (unreadable ones with their message). Fails only on OOM. */
int fo_audit_collect_side(fo_audit_snapshot **out, const fo_audit_config *cfg, int side);

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

/* Readers behind the collectors, exposed for unit tests and fuzzing: parse a state (v4 or show -json) or a
 * multi-document manifest file from memory into `snap`. `name` names the input in messages. */
int fo_audit_tfstate_parse(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const char *data, size_t len,
                           const char *name);
int fo_audit_manifests_parse(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const char *data, size_t len,
                             const char *name);
/* Parse a .terraform.lock.hcl's provider versions into obj {"<provider>": "<version>"}. */
int fo_audit_lockfile_parse(cJSON *obj, const char *data, size_t len, const char *name);

#endif
