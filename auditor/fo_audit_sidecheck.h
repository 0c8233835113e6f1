/* fo_audit_sidecheck: runs the side checks the collectors declare (rules that look at the deployment itself
 * rather than compare the sides), and the helper they record their findings with. */
#ifndef FO_AUDIT_SIDECHECK_H
#define FO_AUDIT_SIDECHECK_H

#include <cjson/cJSON.h>

#include "fo_audit_config.h"
#include "fo_audit_model.h"
#include "fo_audit_snapshot.h"

/* Run every enabled side check of every enabled collector on normalized snapshots; findings are SIDE_CHECK.
 * A side whose collector's source is not ok is skipped (the diff already reports it unreadable). */
int fo_audit_sidechecks(fo_audit_result *r, const fo_audit_snapshot *primary, const fo_audit_snapshot *secondary,
                        const fo_audit_config *cfg);

/* Add a side-check finding of `rule_id` (the rule's severity, step and hint) about snapshot object `obj` (may be
 * NULL) under `key`/`path`. The side is part of full_path ("...@primary") so the two sides' findings on the same
 * normalized object keep distinct ids. `value` is that side's value (compact JSON) or NULL. */
int fo_audit_sidecheck_add(fo_audit_result *r, const char *rule_id, const char *check, const char *key,
                           const cJSON *obj, const char *path, fo_audit_side side, const char *value,
                           const char *message);

#endif
