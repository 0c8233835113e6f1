/* fo_audit_report: what every report renderer shares: redacted display values, control-character-safe text,
 * stable fingerprints, the gate status and the one-line summary, grouping findings by sync step. */
#ifndef FO_AUDIT_REPORT_H
#define FO_AUDIT_REPORT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "fo_audit_model.h"
#include "fo_buf.h"

/* Shown instead of a value flagged sensitive, whatever the finding holds. */
#define FO_AUDIT_REPORT_SENSITIVE "(sensitive)"
/* Bytes of a SHA-256 fingerprint in hex, plus the NUL. */
#define FO_AUDIT_REPORT_FP_SIZE 65

/* The value of one side of `f` for display, in *out (caller frees): NULL when the side has no value,
 * FO_AUDIT_REPORT_SENSITIVE when the finding is sensitive (the held value is never read), else a copy with
 * every secret registered through fo_log_add_secret replaced by "[REDACTED]". `side` is PRIMARY or SECONDARY. */
int fo_audit_report_value(char **out, const fo_audit_finding *f, fo_audit_side side);

/* A copy of `s` (NULL stays NULL) with registered secrets redacted, in *out (caller frees). For free text that
 * came from outside: source error messages, expected-difference reasons. */
int fo_audit_report_redacted(char **out, const char *s);

/* Append `s` to `b` so that it cannot drive a terminal, disguise itself or break XML 1.0: C0 and C1 controls,
 * DEL, bidirectional overrides, characters XML forbids and bytes that are not valid UTF-8 become \n, \t, \r or
 * \xNN escapes (one per byte). With `keep_newlines`, '\n' and '\t' pass through. */
int fo_audit_report_put_safe(fo_buf *b, const char *s, int keep_newlines);

/* `s` as valid UTF-8 for JSON reports (GitLab rejects a report that is not): *out is `s` itself when it is
 * valid (*owned NULL), else a copy in *owned with each invalid byte replaced by U+FFFD. NULL stays NULL.
 * Control characters are kept; cJSON escapes them. */
int fo_audit_report_utf8(const char **out, char **owned, const char *s);

/* The stable fingerprints of all findings of `r`, in finding order, as 64 hex digits each: SHA-256 of
 * "failover-audit/v1", rule id, side and full path, each followed by '\n'. Values, messages and locations are
 * not part of it, so a fingerprint survives a value change. Findings that share all of these (rare) get the
 * occurrence number 2, 3, ... hashed in after the first, in finding order, so fingerprints are unique.
 * *out is a new array of r->nfindings entries (NULL when there are none); the caller frees it. */
typedef char fo_audit_report_fp[FO_AUDIT_REPORT_FP_SIZE];
int fo_audit_report_fingerprints(fo_audit_report_fp **out, const fo_audit_result *r);

/* The same for an unreadable source, from its name and side. */
int fo_audit_report_source_fingerprint(char out[FO_AUDIT_REPORT_FP_SIZE], const fo_audit_source_status *s);

/* Gate status word for the result: "pass" (exit 0), "fail" (exit 1) or "error" (exit 3). */
const char *fo_audit_report_status(const fo_audit_result *r);

/* The rule's human title from the rule table, else the finding's message, else the rule id. Borrowed. */
const char *fo_audit_report_title(const fo_audit_finding *f);

/* Append the one-line summary (no newline), e.g.
 * "FAIL: 3 failing (2 unexpected, 1 expired expected, 0 side-check), 4 expected, 1 stale entry; 12 objects
 * compared; 1 source unreadable". */
int fo_audit_report_summary_line(fo_buf *b, const fo_audit_result *r);

/* Per checklist step counts, for summary tables. */
typedef struct fo_audit_report_step_counts {
  size_t findings, failing, expected, stale, subjects;
} fo_audit_report_step_counts;

void fo_audit_report_count_steps(const fo_audit_result *r, fo_audit_report_step_counts out[FO_AUDIT_STEP_MAX]);

/* The findings of one step sorted by (resource key, path, rule id, id), as borrowed pointers in *out (caller
 * frees the array, not the findings); *n receives the count. *out is NULL when there are none. */
int fo_audit_report_step_findings(const fo_audit_finding ***out, size_t *n, const fo_audit_result *r,
                                  fo_audit_step step);

/* Append `doc` printed by cJSON (indented, stable key order) and a final newline. `what` names the report in
 * the error message. */
int fo_audit_report_put_json(fo_buf *out, const cJSON *doc, const char *what);

#endif
