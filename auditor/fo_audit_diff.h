/* fo_audit_diff: normalize two snapshots and compare them object by object (keyed by identity) and attribute
 * by attribute (arrays of objects keyed by an identity field, never by position when one exists). */
#ifndef FO_AUDIT_DIFF_H
#define FO_AUDIT_DIFF_H

#include <cjson/cJSON.h>

#include "fo_audit_config.h"
#include "fo_audit_model.h"
#include "fo_audit_snapshot.h"

#define FO_AUDIT_VALUE_MAX 2048 /* longer value texts are cut with "..." */

/* Normalize both snapshots in place (each with its own region/account and the other's as the peer; the
 * snapshot header wins over the config when both name a region). `cfg` may be NULL. */
int fo_audit_snapshots_normalize(fo_audit_snapshot *primary, fo_audit_snapshot *secondary, const fo_audit_config *cfg);

/* Compare two normalized snapshots into `r`: source statuses, subjects and one finding per difference, all
 * classified UNEXPECTED (fo_audit_classify judges them afterwards). Sources that are not "ok" on both sides
 * are recorded unreadable and not compared. Fails only on OOM. */
int fo_audit_diff(fo_audit_result *r, const fo_audit_snapshot *primary, const fo_audit_snapshot *secondary,
                  const fo_audit_config *cfg);

/* Compare two JSON values; calls `cb` for every difference with the path (as in fo_audit_finding.path),
 * each side's value (NULL = absent) and whether the values are sensitive hash placeholders. Exposed for
 * unit tests. */
typedef int (*fo_audit_diff_cb)(void *ud, const char *path, const cJSON *pv, const cJSON *sv, int sensitive);
int fo_audit_diff_values(const cJSON *pv, const cJSON *sv, fo_audit_diff_cb cb, void *ud);

/* The identity field used for an array of objects ("name", "id", "key", ...), or NULL when the array has
 * none (then the array is compared as a whole). */
const char *fo_audit_diff_identity_key(const cJSON *array);

/* Compact JSON text of a value cut at FO_AUDIT_VALUE_MAX; NULL for NULL. malloc'ed. */
char *fo_audit_value_text(const cJSON *v);

#endif
