/* fo_audit_drill: a failover (or failback) drill's timeline from the DR resources' recorded step times in the
 * Terraform states and the timed checks of a verify report: one row per step, the total to "verified", the RTO. */
#ifndef FO_AUDIT_DRILL_H
#define FO_AUDIT_DRILL_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "fo_audit_snapshot.h"
#include "fo_buf.h"

/* The steps of an activation, in the runbook's order (docs/drill.md). */
typedef enum {
  FO_DRILL_CONFIRM = 0, /* failover_switch: the recorded decision (switched_at) */
  FO_DRILL_QUIESCE,     /* failover_quiesce */
  FO_DRILL_SCALE,       /* failover_pilot_light */
  FO_DRILL_WEIGHTS,     /* failover_weight_pair: the batch sent to INSYNC */
  FO_DRILL_RESTORE,     /* failover_restore: the restore job */
  FO_DRILL_VERIFY,      /* the verify report's timed checks */
  FO_DRILL_STABLE,      /* a milestone: verified with every check passed */
  FO_DRILL_NSTEPS
} fo_audit_drill_step;

typedef struct fo_audit_drill_row {
  int present;                   /* a resource (or the report) recorded this step in this run */
  long long start_ms, finish_ms; /* ms since the epoch; finish_ms 0: started, not finished */
  char resources[512];           /* the addresses that recorded it, comma-separated (truncated with "...") */
  size_t count;                  /* how many */
  int failed;                    /* verify: a check failed */
} fo_audit_drill_row;

typedef struct fo_audit_drill {
  fo_audit_drill_row rows[FO_DRILL_NSTEPS];
  char direction[16]; /* "failover" (secondary active), "failback" (primary active), "" unknown */
  long long first_ms; /* the first step's start (0: no step) */
  long long end_ms;   /* "verified", else the last finish */
  long long rto_ms;   /* the target; 0 none */
  int verified;       /* a verify report was read and every check passed */
  int unfinished;     /* a step started and did not finish */
  size_t ignored;     /* resources whose times predate this run (an earlier apply) */
  cJSON *pending;     /* owned: the resources' steps until fo_audit_drill_finish sorts them into rows */
} fo_audit_drill;

/* Name and title of a step ("scale", "Scale up"). */
const char *fo_audit_drill_step_name(fo_audit_drill_step s);
const char *fo_audit_drill_step_title(fo_audit_drill_step s);

/* "2026-12-03T08:00:00Z", with optional fraction and a "+hh:mm" offset, into ms since the epoch.
 * FO_EINVAL naming `what` and the text otherwise. */
int fo_audit_drill_time_parse(long long *ms, const char *s, const char *what);

/* "30m", "1h30m", "90s", "2h": a duration into ms. FO_EINVAL otherwise. */
int fo_audit_drill_duration_parse(long long *ms, const char *s);

void fo_audit_drill_init(fo_audit_drill *d, long long rto_ms);
/* Frees what an unfinished drill holds (finish frees it too; safe to call twice). */
void fo_audit_drill_dispose(fo_audit_drill *d);

/* Add the failover_* resources of a state snapshot (objects of source terraform_state). FO_EINVAL when a
 * recorded time is not RFC 3339 (naming the resource). */
int fo_audit_drill_add_snapshot(fo_audit_drill *d, const fo_audit_snapshot *s);

/* Add a verify JSON report's "checks" (docs/report-formats.md). FO_EINVAL when it has none or a time is bad. */
int fo_audit_drill_add_verify(fo_audit_drill *d, const cJSON *report, const char *name);

/* After every input: drop the steps of earlier runs, set the milestones and the totals. */
void fo_audit_drill_finish(fo_audit_drill *d);

/* The total from the first step to verified (or the last finish); whether it is within the RTO (never when no
 * step was recorded, a step did not finish or a verify check failed). */
long long fo_audit_drill_total_ms(const fo_audit_drill *d);
int fo_audit_drill_within_rto(const fo_audit_drill *d);

/* The reports: "text" (a table), "markdown" (the table and a Mermaid Gantt chart), "json". FO_EINVAL for
 * another format. */
int fo_audit_drill_render(const fo_audit_drill *d, const char *format, fo_buf *out);

#endif
