/* fo_audit_render_text: the terminal report, grouped by the sync checklist, one-line summary last.
 * Colour (ANSI) only when the caller says so (it passes isatty of stdout); every outside string goes
 * through fo_audit_report_put_safe so a value cannot drive the terminal. */
#include "fo_audit_model.h"
#include "fo_audit_report.h"
#include "fo_err.h"

#include <stdlib.h>
#include <string.h>

#define RED    "\033[31m"
#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define BOLD   "\033[1m"
#define DIM    "\033[2m"
#define RESET  "\033[0m"

typedef struct text_ctx {
  fo_buf *out;
  int color;
} text_ctx;

/* Append `s` wrapped in the colour `code` when colour is on. */
static int put_colored(text_ctx *t, const char *code, const char *s) {
  int err;
  if (t->color && (err = fo_buf_puts(t->out, code)) < 0)
    return err;
  if ((err = fo_buf_puts(t->out, s)) < 0)
    return err;
  return t->color ? fo_buf_puts(t->out, RESET) : 0;
}

/* The tag shown before a finding and its colour. */
static const char *class_tag(fo_audit_class c, const char **code) {
  switch (c) {
    case FO_AUDIT_CLASS_UNEXPECTED:
      *code = RED;
      return "DRIFT   ";
    case FO_AUDIT_CLASS_EXPIRED_EXPECTED:
      *code = RED;
      return "EXPIRED ";
    case FO_AUDIT_CLASS_SIDE_CHECK:
      *code = RED;
      return "CHECK   ";
    case FO_AUDIT_CLASS_EXPECTED:
      *code = DIM;
      return "expected";
    case FO_AUDIT_CLASS_STALE_EXPECTED:
      *code = YELLOW;
      return "stale   ";
  }
  *code = RED;
  return "DRIFT   ";
}

static int put_value_line(text_ctx *t, const char *label, const fo_audit_finding *f, fo_audit_side side) {
  char *v = NULL;
  int err;

  if ((err = fo_audit_report_value(&v, f, side)) < 0)
    return err;
  if ((err = fo_buf_printf(t->out, "             %-10s ", label)) == 0)
    err = v ? fo_audit_report_put_safe(t->out, v, 0) : fo_buf_puts(t->out, "(absent)");
  if (err == 0)
    err = fo_buf_puts(t->out, "\n");
  free(v);
  return err;
}

static int put_finding(text_ctx *t, const fo_audit_finding *f) {
  const char *code;
  const char *tag = class_tag(f->classification, &code);
  char *reason = NULL;
  int err;
  int side_check = f->rule_kind == FO_AUDIT_RULE_SIDE_CHECK || f->classification == FO_AUDIT_CLASS_SIDE_CHECK;

  if ((err = fo_buf_puts(t->out, "  ")) < 0 || (err = put_colored(t, code, tag)) < 0 ||
      (err = fo_buf_puts(t->out, " ")) < 0 || (err = fo_audit_report_put_safe(t->out, f->full_path, 0)) < 0 ||
      (side_check && f->side != FO_AUDIT_SIDE_BOTH &&
       (err = fo_buf_printf(t->out, " [%s side]", fo_audit_side_name(f->side))) < 0) ||
      (err = fo_buf_puts(t->out, "\n             ")) < 0 ||
      (err = fo_audit_report_put_safe(t->out, fo_audit_report_title(f), 0)) < 0)
    goto done;
  if (f->message && *f->message && strcmp(f->message, fo_audit_report_title(f)) != 0 &&
      ((err = fo_buf_puts(t->out, ": ")) < 0 || (err = fo_audit_report_put_safe(t->out, f->message, 0)) < 0))
    goto done;
  if ((err = fo_buf_printf(t->out, " [%s, %s]\n", f->rule_id, fo_audit_severity_name(f->severity))) < 0)
    goto done;
  /* A comparison shows both sides (one may be absent); a side check only the side it is about. Objects present
   * on one side only carry no values: their message says which side. */
  if (f->primary_value || f->secondary_value) {
    if (!(side_check && f->side == FO_AUDIT_SIDE_SECONDARY) &&
        (err = put_value_line(t, "primary:", f, FO_AUDIT_SIDE_PRIMARY)) < 0)
      goto done;
    if (!(side_check && f->side == FO_AUDIT_SIDE_PRIMARY) &&
        (err = put_value_line(t, "secondary:", f, FO_AUDIT_SIDE_SECONDARY)) < 0)
      goto done;
  }
  if (f->expected_pattern) {
    if ((err = fo_audit_report_redacted(&reason, f->expected_reason)) < 0 ||
        (err = fo_buf_puts(t->out, "             expected:  ")) < 0 ||
        (err = fo_audit_report_put_safe(t->out, f->expected_pattern, 0)) < 0 || (err = fo_buf_puts(t->out, " (")) < 0 ||
        (err = fo_audit_report_put_safe(t->out, reason ? reason : "no reason", 0)) < 0 ||
        (err = fo_buf_printf(t->out, "%s%s)\n", f->expected_expires ? ", expires " : "",
                             f->expected_expires ? f->expected_expires : "")) < 0)
      goto done;
  }
  if (fo_audit_finding_fails(f) && f->fix_hint) {
    if ((err = fo_buf_puts(t->out, "             fix:       ")) < 0 ||
        (err = fo_audit_report_put_safe(t->out, f->fix_hint, 0)) < 0 || (err = fo_buf_puts(t->out, "\n")) < 0)
      goto done;
  }
done:
  free(reason);
  return err;
}

static int put_sources(text_ctx *t, const fo_audit_result *r) {
  int err = 0;
  if (r->nsources == 0)
    return 0;
  if ((err = put_colored(t, BOLD, "Sources")) < 0 || (err = fo_buf_puts(t->out, "\n")) < 0)
    return err;
  for (size_t i = 0; i < r->nsources && err == 0; i++) {
    const fo_audit_source_status *s = &r->sources[i];
    char *msg = NULL;
    int bad = s->state == FO_AUDIT_SOURCE_UNREADABLE;

    if ((err = fo_buf_puts(t->out, "  ")) < 0 ||
        (err = put_colored(t,
                           bad                              ? RED
                           : s->state == FO_AUDIT_SOURCE_OK ? GREEN
                                                            : DIM,
                           bad ? "UNREADABLE" : fo_audit_source_state_name(s->state))) < 0 ||
        (err = fo_buf_printf(t->out, "%*s", bad ? 1 : (int)(11 - strlen(fo_audit_source_state_name(s->state))), "")) <
            0 ||
        (err = fo_audit_report_put_safe(t->out, s->name, 0)) < 0 ||
        (err = fo_buf_printf(t->out, " (%s)", fo_audit_side_name(s->side))) < 0)
      break;
    if (s->location &&
        ((err = fo_buf_puts(t->out, " ")) < 0 || (err = fo_audit_report_put_safe(t->out, s->location, 0)) < 0))
      break;
    if (s->message && ((err = fo_audit_report_redacted(&msg, s->message)) < 0 ||
                       (err = fo_buf_puts(t->out, ": ")) < 0 || (err = fo_audit_report_put_safe(t->out, msg, 0)) < 0)) {
      free(msg);
      break;
    }
    free(msg);
    err = fo_buf_puts(t->out, "\n");
  }
  return err;
}

int fo_audit_render_text(const fo_audit_result *r, fo_buf *out, int color) {
  int first, end;
  text_ctx t = {out, color};
  fo_audit_report_step_counts counts[FO_AUDIT_STEP_MAX];
  const fo_audit_finding **v = NULL;
  size_t n = 0;
  int err;
  fo_audit_result_steps(r, &first, &end);

  fo_audit_report_count_steps(r, counts);
  if ((err = fo_buf_printf(out, "failover-audit %s: ", r->command ? r->command : "report")) < 0 ||
      (err = fo_audit_report_put_safe(out, r->primary.name ? r->primary.name : "primary", 0)) < 0 ||
      (err = fo_buf_printf(out, " (%s) vs ", r->primary.region ? r->primary.region : "?")) < 0 ||
      (err = fo_audit_report_put_safe(out, r->secondary.name ? r->secondary.name : "secondary", 0)) < 0 ||
      (err = fo_buf_printf(out, " (%s)\n", r->secondary.region ? r->secondary.region : "?")) < 0)
    goto done;
  if (r->config_path &&
      ((err = fo_buf_puts(out, "config: ")) < 0 || (err = fo_audit_report_put_safe(out, r->config_path, 0)) < 0 ||
       (err = fo_buf_puts(out, "\n")) < 0))
    goto done;
  if (r->nsources && ((err = fo_buf_puts(out, "\n")) < 0 || (err = put_sources(&t, r)) < 0))
    goto done;

  /* Every checklist step gets a heading, so a clean step reads as checked, not forgotten. */
  for (int s = first; s < end; s++) {
    const fo_audit_report_step_counts *c = &counts[s];
    if ((err = fo_buf_puts(out, "\n")) < 0 || (err = put_colored(&t, BOLD, fo_audit_step_title((fo_audit_step)s))) < 0)
      goto done;
    if (c->findings == 0) {
      if ((err = fo_buf_printf(out, ": ")) < 0 || (err = put_colored(&t, GREEN, "ok")) < 0 ||
          (err = fo_buf_printf(out, " (%zu %s compared)\n", c->subjects, c->subjects == 1 ? "object" : "objects")) < 0)
        goto done;
      continue;
    }
    if ((err = fo_buf_printf(out, ": %zu failing, %zu expected, %zu stale (%zu %s compared)\n", c->failing, c->expected,
                             c->stale, c->subjects, c->subjects == 1 ? "object" : "objects")) < 0)
      goto done;
    if ((err = fo_audit_report_step_findings(&v, &n, r, (fo_audit_step)s)) < 0)
      goto done;
    for (size_t i = 0; i < n; i++)
      if ((err = put_finding(&t, v[i])) < 0)
        goto done;
    free(v);
    v = NULL;
  }
  if ((err = fo_buf_puts(out, "\n")) < 0)
    goto done;
  {
    fo_buf line = FO_BUF_INIT;
    const char *status = fo_audit_report_status(r);
    if ((err = fo_audit_report_summary_line(&line, r)) == 0)
      err = put_colored(&t, strcmp(status, "pass") == 0 ? GREEN : RED, line.data);
    fo_buf_dispose(&line);
    if (err == 0)
      err = fo_buf_puts(out, "\n");
  }
done:
  free(v);
  return err;
}
