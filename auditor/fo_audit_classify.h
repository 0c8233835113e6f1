/* fo_audit_classify: judges the diff's findings against the config: per-check scopes (must_match /
 * may_differ), expected_differences (live, expired) and entries that match nothing (stale). Pure: "today"
 * comes from the caller. */
#ifndef FO_AUDIT_CLASSIFY_H
#define FO_AUDIT_CLASSIFY_H

#include "fo_audit_config.h"
#include "fo_audit_model.h"

/* Apply `cfg` (may be NULL: nothing changes) to every finding of `r`; `today` is "YYYY-MM-DD". An entry
 * expires at the end of its `expires` day. Adds one config.expected-difference-stale finding per entry that
 * matched nothing, when `report_stale` is set (commands that compare only part of the estate turn it off).
 * Call before fo_audit_result_finish. */
int fo_audit_classify(fo_audit_result *r, const fo_audit_config *cfg, const char *today, int report_stale);

#endif
