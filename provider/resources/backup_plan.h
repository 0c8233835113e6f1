/* backup_plan: what the failover_backup_replication_plan files share: value
 * accessors, the AWS documents built from a value, and the freshness reads. */
#ifndef FO_BACKUP_PLAN_H
#define FO_BACKUP_PLAN_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "fo_resources.h"

/* The copy rule's name inside the plan (one rule per plan). */
#define FO_BP_RULE_NAME "failover-copy"

extern const fo_schema fo_bp_schema;

/* Plain accessors: NULL / dflt when the attribute is absent, null or unknown. */
const char *fo_bp_str(const fo_cty_value *obj, const char *name);
int64_t fo_bp_int(const fo_cty_value *obj, const char *name, int64_t dflt);
/* 1 when the attribute is present, known and not null. */
int fo_bp_has(const fo_cty_value *obj, const char *name);

/* A backup-vault ARN "arn:PARTITION:backup:REGION:ACCOUNT:backup-vault:NAME":
 * 0 with the region and vault name copied out, -1 when `arn` is anything else
 * or a part does not fit. Pure (configuration text only). */
int fo_bp_parse_vault_arn(const char *arn, char *region, size_t region_len, char *name, size_t name_len);

/* The BackupPlan document (one rule copying to the destination, both lifecycles
 * always set) and the BackupSelection of a wholly known value. NULL on OOM. */
cJSON *fo_bp_plan_doc(const fo_cty_value *obj);
cJSON *fo_bp_selection_doc(const fo_cty_value *obj);

/* Newest completed recovery point of the selected resources in the source vault
 * (primary) and newest completed copy of them in the destination vault
 * (secondary), as epoch seconds; -1 when there is none. Each read fails on its
 * own: `*point_err`/`*copy_err` get its code (FO_OK when it succeeded). */
typedef struct fo_bp_fresh {
  double point_at, copy_at;
  int point_err, copy_err;
} fo_bp_fresh;
void fo_bp_read_fresh(fo_call *c, const fo_cancel *cancel, const fo_cty_value *obj, fo_bp_fresh *out);

/* The arguments a GetBackupPlan answer (its copy rule) and a GetBackupSelection
 * answer hold, set on *state (a value of fo_bp_schema); absent fields become
 * null. The answers are outside data: any shape is accepted (fuzzed). */
int fo_bp_state_from_plan(fo_cty_value **state, const cJSON *got);
int fo_bp_state_from_selection(fo_cty_value **state, const cJSON *sel);

/* Epoch seconds (an AWS date) as RFC 3339 UTC, "2026-12-03T05:00:00Z". */
void fo_bp_rfc3339(double at, char out[32]);

/* 1 when the last AWS error is a 404 / ResourceNotFoundException. */
int fo_bp_not_found(int err);

/* resource callbacks in backup_plan_aws.c */
int fo_bp_create(fo_call *c, const fo_cty_value *planned, const fo_cty_value *config, fo_cty_value **out);
int fo_bp_update(fo_call *c, const fo_cty_value *prior, const fo_cty_value *planned, const fo_cty_value *config,
                 fo_cty_value **out);
int fo_bp_read(fo_call *c, const fo_cty_value *state, fo_cty_value **out);
int fo_bp_destroy(fo_call *c, const fo_cty_value *prior);
int fo_bp_import(fo_call *c, const char *id, fo_cty_value **out);

#endif
