/* fo_audit_drill_render: the drill timeline as a text table, as markdown (the table and a Mermaid Gantt chart,
 * which GitLab renders in merge requests and wikis) and as JSON (docs/drill.md). */
#include "fo_audit_drill.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fo_err.h"

enum { T_DAY, T_CLOCK, T_GANTT, T_ISO };

/* ms since the epoch, UTC, as "YYYY-MM-DD", "HH:MM:SS", "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SS". */
static void fmt_time(char *out, size_t len, long long ms, int kind) {
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  size_t n = 0;
  if (gmtime_r(&t, &tm)) {
    switch (kind) {
      case T_DAY:
        n = strftime(out, len, "%Y-%m-%d", &tm);
        break;
      case T_CLOCK:
        n = strftime(out, len, "%H:%M:%S", &tm);
        break;
      case T_GANTT:
        n = strftime(out, len, "%Y-%m-%d %H:%M:%S", &tm);
        break;
      default:
        n = strftime(out, len, "%Y-%m-%dT%H:%M:%S", &tm);
        break;
    }
  }
  if (!n)
    snprintf(out, len, "?");
}

/* "0s", "42s", "3m05s", "1h02m03s" (whole seconds, rounded down; under a second shows its ms). */
static void fmt_dur(char *out, size_t len, long long ms) {
  long long s = ms / 1000;
  if (ms > 0 && ms < 1000)
    snprintf(out, len, "%lldms", ms);
  else if (s < 60)
    snprintf(out, len, "%llds", s);
  else if (s < 3600)
    snprintf(out, len, "%lldm%02llds", s / 60, s % 60);
  else
    snprintf(out, len, "%lldh%02lldm%02llds", s / 3600, s / 60 % 60, s % 60);
}

static const char *title_of(const fo_audit_drill *d) {
  return !strcmp(d->direction, "failback")   ? "Failback drill"
         : !strcmp(d->direction, "failover") ? "Failover drill"
                                             : "Drill";
}

/* The closing line: total and the verdict against the RTO. */
static int verdict(fo_buf *b, const fo_audit_drill *d) {
  char tot[32], rto[32];
  fmt_dur(tot, sizeof tot, fo_audit_drill_total_ms(d));
  fmt_dur(rto, sizeof rto, d->rto_ms);
  if (!d->first_ms)
    return fo_buf_puts(b, "No step recorded in these states (do the resources record started_at/finished_at?).\n");
  if (fo_buf_printf(b, "Total: %s from the first step to %s", tot,
                    d->verified                       ? "verified"
                    : d->rows[FO_DRILL_VERIFY].failed ? "the verify checks (a check FAILED: not verified)"
                    : d->unfinished                   ? "now (a step did NOT finish)"
                                                      : "the last step's finish (no verify report: not verified)") < 0)
    return FO_ENOMEM;
  if (!d->rto_ms)
    return fo_buf_puts(b, "; no RTO target given.\n");
  return fo_buf_printf(b, "; RTO %s: %s.\n", rto, fo_audit_drill_within_rto(d) ? "within" : "EXCEEDED");
}

static int render_table(const fo_audit_drill *d, fo_buf *b, int md) {
  char day[16] = "", st[16], du[32], fin[16];
  int err = 0;
  if (d->first_ms)
    fmt_time(day, sizeof day, d->first_ms, T_DAY);
  if (md)
    err = fo_buf_printf(b,
                        "## %s %s (UTC)\n\n| Step | Start | Finish | Duration | Recorded by |\n|---|---|---|---|---|\n",
                        title_of(d), day);
  else
    err = fo_buf_printf(b, "%s %s (UTC)\n%-17s %-9s %-10s %-10s %s\n", title_of(d), day, "STEP", "START", "FINISH",
                        "DURATION", "RECORDED BY");
  for (int s = 0; s < FO_DRILL_NSTEPS && err >= 0; s++) {
    const fo_audit_drill_row *r = &d->rows[s];
    const char *title = fo_audit_drill_step_title((fo_audit_drill_step)s);
    if (!r->present) {
      snprintf(st, sizeof st, "-");
      snprintf(fin, sizeof fin, "-");
      snprintf(du, sizeof du, "-");
    } else {
      fmt_time(st, sizeof st, r->start_ms, T_CLOCK);
      if (r->finish_ms)
        fmt_time(fin, sizeof fin, r->finish_ms, T_CLOCK);
      else
        snprintf(fin, sizeof fin, "unfinished");
      if (r->finish_ms)
        fmt_dur(du, sizeof du, r->finish_ms - r->start_ms);
      else
        snprintf(du, sizeof du, "-");
    }
    const char *by = r->present ? r->resources : "(not in this run)";
    if (md)
      err = fo_buf_printf(b, "| %s%s | %s | %s | %s | %s |\n", title, r->failed ? " (FAILED)" : "", st, fin, du, by);
    else
      err = fo_buf_printf(b, "%-17s %-9s %-10s %-10s %s%s\n", title, st, fin, du, by, r->failed ? " (FAILED)" : "");
  }
  if (err >= 0 && md)
    err = fo_buf_puts(b, "\n");
  if (err >= 0)
    err = verdict(b, d);
  if (err >= 0 && d->ignored)
    err = fo_buf_printf(b, "%zu resource(s) whose step finished before the switch (an earlier apply) left out.\n",
                        d->ignored);
  return err < 0 ? FO_ENOMEM : 0;
}

/* ```mermaid gantt: one task per step present, a milestone for an instant step; seconds resolution. */
static int render_gantt(const fo_audit_drill *d, fo_buf *b) {
  char rto[32];
  int err;
  fmt_dur(rto, sizeof rto, d->rto_ms);
  err = fo_buf_printf(b,
                      "\n```mermaid\ngantt\n    title %s%s%s\n    dateFormat YYYY-MM-DD HH:mm:ss\n"
                      "    axisFormat %%H:%%M:%%S\n    section %s\n",
                      title_of(d), d->rto_ms ? ", RTO " : "", d->rto_ms ? rto : "",
                      d->direction[0] ? d->direction : "steps");
  for (int s = 0; s < FO_DRILL_NSTEPS && err >= 0; s++) {
    const fo_audit_drill_row *r = &d->rows[s];
    char at[32];
    long long secs;
    if (!r->present)
      continue;
    fmt_time(at, sizeof at, r->start_ms, T_GANTT);
    secs = r->finish_ms ? (r->finish_ms - r->start_ms + 999) / 1000 : 0;
    if (!r->finish_ms || secs == 0)
      err = fo_buf_printf(b, "    %s%s :milestone, %s, %s, 0s\n", fo_audit_drill_step_title((fo_audit_drill_step)s),
                          r->finish_ms ? "" : " (unfinished)", fo_audit_drill_step_name((fo_audit_drill_step)s), at);
    else
      err = fo_buf_printf(b, "    %s :%s%s, %s, %llds\n", fo_audit_drill_step_title((fo_audit_drill_step)s),
                          r->failed ? "crit, " : "", fo_audit_drill_step_name((fo_audit_drill_step)s), at, secs);
  }
  if (err >= 0)
    err = fo_buf_puts(b, "```\n");
  return err < 0 ? FO_ENOMEM : 0;
}

static void add_iso(cJSON *o, const char *key, long long ms) {
  char buf[40], full[48];
  if (!ms) {
    cJSON_AddNullToObject(o, key);
    return;
  }
  fmt_time(buf, sizeof buf, ms, T_ISO);
  snprintf(full, sizeof full, "%s.%03dZ", buf, (int)(ms % 1000));
  cJSON_AddStringToObject(o, key, full);
}

static int render_json(const fo_audit_drill *d, fo_buf *b) {
  cJSON *root = cJSON_CreateObject(), *steps;
  char *text = NULL;
  int err = 0;
  if (!root || !(steps = cJSON_CreateArray()))
    goto oom;
  cJSON_AddNumberToObject(root, "schema_version", 1);
  cJSON_AddStringToObject(root, "direction", d->direction[0] ? d->direction : "unknown");
  cJSON_AddItemToObject(root, "steps", steps);
  for (int s = 0; s < FO_DRILL_NSTEPS; s++) {
    const fo_audit_drill_row *r = &d->rows[s];
    cJSON *o = cJSON_CreateObject();
    if (!o)
      goto oom;
    cJSON_AddItemToArray(steps, o);
    cJSON_AddStringToObject(o, "id", fo_audit_drill_step_name((fo_audit_drill_step)s));
    cJSON_AddStringToObject(o, "title", fo_audit_drill_step_title((fo_audit_drill_step)s));
    cJSON_AddBoolToObject(o, "present", r->present);
    add_iso(o, "started", r->present ? r->start_ms : 0);
    add_iso(o, "finished", r->present ? r->finish_ms : 0);
    if (r->present && r->finish_ms)
      cJSON_AddNumberToObject(o, "duration_ms", (double)(r->finish_ms - r->start_ms));
    else
      cJSON_AddNullToObject(o, "duration_ms");
    cJSON_AddStringToObject(o, "recorded_by", r->resources);
    if (s == FO_DRILL_VERIFY)
      cJSON_AddBoolToObject(o, "failed", r->failed);
  }
  add_iso(root, "first_step", d->first_ms);
  add_iso(root, "end", d->end_ms);
  cJSON_AddNumberToObject(root, "total_ms", (double)fo_audit_drill_total_ms(d));
  if (d->rto_ms)
    cJSON_AddNumberToObject(root, "rto_ms", (double)d->rto_ms);
  else
    cJSON_AddNullToObject(root, "rto_ms");
  cJSON_AddBoolToObject(root, "verified", d->verified);
  cJSON_AddBoolToObject(root, "unfinished", d->unfinished);
  cJSON_AddBoolToObject(root, "within_rto", fo_audit_drill_within_rto(d));
  cJSON_AddNumberToObject(root, "ignored_earlier_steps", (double)d->ignored);
  if (!(text = cJSON_Print(root)))
    goto oom;
  err = fo_buf_puts(b, text) < 0 || fo_buf_puts(b, "\n") < 0 ? FO_ENOMEM : 0;
  cJSON_free(text);
  cJSON_Delete(root);
  return err;
oom:
  cJSON_Delete(root);
  return fo_err_oom();
}

int fo_audit_drill_render(const fo_audit_drill *d, const char *format, fo_buf *out) {
  int err;
  if (!strcmp(format, "text"))
    return render_table(d, out, 0);
  if (!strcmp(format, "markdown")) {
    if ((err = render_table(d, out, 1)) < 0)
      return err;
    return render_gantt(d, out);
  }
  if (!strcmp(format, "json"))
    return render_json(d, out);
  return fo_err_set(FO_EINVAL, "unknown drill report format '%s' (text, markdown, json)", format);
}
