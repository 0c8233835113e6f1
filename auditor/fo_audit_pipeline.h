/* fo_audit_pipeline: one audit run, stage by stage, in one place:
 *   collect -> normalize -> diff -> side checks -> classify -> report.
 * The CLI commands call these; each stage is its own module (collect/, fo_audit_normalize, fo_audit_diff,
 * fo_audit_sidecheck, fo_audit_classify, report/). */
#ifndef FO_AUDIT_PIPELINE_H
#define FO_AUDIT_PIPELINE_H

#include "fo_audit_collector.h"
#include "fo_audit_config.h"
#include "fo_audit_model.h"
#include "fo_audit_snapshot.h"
#include "fo_buf.h"
#include "fo_clock.h"

/* The day expiries are judged against: the clock's wall time as "YYYY-MM-DD" (UTC) into buf[11]. NULL clock:
 * the system clock. */
int fo_audit_pipeline_today(char buf[11], const fo_clock *clock);

/* collect: both sides per cfg, at once (one thread per side), each collector with the env's clock, cancellation
 * and the side's AWS client (built from the config here when a live source needs it, freed before returning). */
int fo_audit_pipeline_collect(fo_audit_snapshot **primary, fo_audit_snapshot **secondary, const fo_audit_config *cfg,
                              const fo_audit_env *env);

/* collect one side (`snapshot`), with the side's AWS client built and freed around it like the above. */
int fo_audit_pipeline_collect_side(fo_audit_snapshot **out, const fo_audit_config *cfg, int side,
                                   const fo_audit_env *env);

/* normalize -> diff -> side checks -> classify -> finish, on two collected (or loaded) snapshots. `cfg` may be
 * NULL (offline diff without a config); report_stale: report expected entries that matched nothing. */
int fo_audit_pipeline_compare(fo_audit_result *r, fo_audit_snapshot *p, fo_audit_snapshot *s,
                              const fo_audit_config *cfg, const fo_audit_env *env, int report_stale);

/* collect + compare into a new result named `command` (check, accept). */
int fo_audit_pipeline_check(fo_audit_result **out, const fo_audit_config *cfg, const char *command,
                            const fo_audit_env *env);

/* report: render a finished result in `format` (the renderer table: an unknown format is FO_EINVAL naming the
 * valid ones). */
int fo_audit_pipeline_report(const fo_audit_result *r, const char *format, fo_buf *out, int color);

#endif
