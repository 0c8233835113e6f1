/* report_fixture: in-memory audit result sets for the report renderer tests (unit.audit_report.*) and the
 * report validation tests (audit.reports.*): findings of every classification, sensitive values, specials. */
#ifndef REPORT_FIXTURE_H
#define REPORT_FIXTURE_H

#include "fo_audit_model.h"

/* A secret that the fixture marks sensitive: it must never appear in any report. */
#define FIXTURE_SENSITIVE_SECRET  "hunter2-SECRET-primary-value"
#define FIXTURE_SENSITIVE_SECRET2 "hunter3-SECRET-secondary-value"
/* A secret registered with fo_log_add_secret that appears inside a non-sensitive value: it must be redacted. */
#define FIXTURE_LOGGED_SECRET "AKIAFIXTURESECRET0001"

typedef enum {
  FIXTURE_DRIFT,     /* every classification, a skipped source, exit 1 */
  FIXTURE_CLEAN,     /* objects compared, no findings, exit 0 */
  FIXTURE_UNREADABLE /* a source could not be read, exit 3 */
} fixture_kind;

/* A finished result set of the given kind, NULL when out of memory. `value_salt` (0 normally) is appended to
 * every non-sensitive value so tests can check that fingerprints and ids do not depend on values. */
fo_audit_result *report_fixture_new(fixture_kind kind, int value_salt);

#endif
