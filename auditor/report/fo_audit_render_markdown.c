/* fo_audit_render_markdown: the merge-request note. A stable hidden marker on the first line lets a later
 * run find and update the same note; then a summary table, then one collapsible <details> block per finding
 * with both sides' values side by side. Every outside string is escaped for GitLab-flavoured markdown. */
#include "fo_audit_model.h"
#include "fo_audit_render.h"
#include "fo_audit_report.h"
#include "fo_err.h"

#include <stdlib.h>
#include <string.h>

#define MD_MARKER FO_AUDIT_MARKDOWN_MARKER
/* Bounds that keep a note under GitLab's note size limit (1,000,000 characters) on a badly drifted estate: a
 * value is cut at MD_MAX_VALUE input bytes (escaping may grow it about sixfold), and no further <details> block
 * starts once the note has MD_BUDGET bytes or MD_MAX_DETAILS blocks. */
#define MD_MAX_DETAILS 200
#define MD_MAX_VALUE   2000
#define MD_BUDGET      800000

/* Characters GitLab markdown would act on, and their replacement. Entities render as the character in text,
 * table cells and inline HTML alike: HTML specials, table pipes, emphasis, code, links, escapes, math, and the
 * GitLab references (@user, #issue, !mr, ~label, %milestone, :emoji:) that would notify or link. */
static const char *md_entity(unsigned char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return "&#39;";
    case '|':
      return "&#124;";
    case '*':
      return "&#42;";
    case '_':
      return "&#95;";
    case '`':
      return "&#96;";
    case '[':
      return "&#91;";
    case ']':
      return "&#93;";
    case '\\':
      return "&#92;";
    case '~':
      return "&#126;";
    case '#':
      return "&#35;";
    case '!':
      return "&#33;";
    case '$':
      return "&#36;";
    case '@':
      return "&#64;";
    case '%':
      return "&#37;";
    case ':':
      return "&#58;";
    case '\n':
      return "<br>"; /* a table cell and a summary line must stay on one line */
    case '\t':
      return "&#9;";
    default:
      return NULL;
  }
}

/* Append `s` escaped, at most `max` input bytes (0 = all; cut on a UTF-8 boundary with a marker). */
static int md_put(fo_buf *b, const char *s, size_t max) {
  fo_buf safe = FO_BUF_INIT;
  size_t len, start = 0;
  int truncated = 0;
  int err;

  if (!s)
    s = "";
  /* Control characters and bad UTF-8 become visible escapes first; entities come second. */
  if ((err = fo_audit_report_put_safe(&safe, s, 1)) < 0)
    goto done;
  len = safe.len;
  if (max && len > max) {
    len = max;
    while (len > 0 && ((unsigned char)safe.data[len] & 0xC0) == 0x80)
      len--;
    truncated = 1;
  }
  for (size_t i = 0; i < len && err == 0; i++) {
    const char *e = md_entity((unsigned char)safe.data[i]);
    if (!e)
      continue;
    if ((err = fo_buf_append(b, safe.data + start, i - start)) == 0)
      err = fo_buf_puts(b, e);
    start = i + 1;
  }
  if (err == 0)
    err = fo_buf_append(b, safe.data + start, len - start);
  if (err == 0 && truncated)
    err = fo_buf_printf(b, " … <em>(truncated, %zu bytes in all)</em>", safe.len);
done:
  fo_buf_dispose(&safe);
  return err;
}

static int md_code(fo_buf *b, const char *s, size_t max) {
  int err;
  if ((err = fo_buf_puts(b, "<code>")) < 0 || (err = md_put(b, s, max)) < 0)
    return err;
  return fo_buf_puts(b, "</code>");
}

static int md_value_cell(fo_buf *b, const fo_audit_finding *f, fo_audit_side side) {
  char *v = NULL;
  int err;
  if ((err = fo_audit_report_value(&v, f, side)) < 0)
    return err;
  err = v ? md_code(b, v, MD_MAX_VALUE) : fo_buf_puts(b, "<em>absent</em>");
  free(v);
  return err;
}

static int md_loc_cell(fo_buf *b, const fo_audit_location *l) {
  int err;
  if (!l->file)
    return fo_buf_puts(b, "–");
  if ((err = fo_buf_puts(b, "<code>")) < 0 || (err = md_put(b, l->file, 0)) < 0)
    return err;
  if (l->line > 0 && (err = fo_buf_printf(b, "&#58;%d", l->line)) < 0)
    return err;
  return fo_buf_puts(b, "</code>");
}

static const char *class_badge(fo_audit_class c) {
  switch (c) {
    case FO_AUDIT_CLASS_UNEXPECTED:
      return "❌ drift";
    case FO_AUDIT_CLASS_EXPIRED_EXPECTED:
      return "❌ expired expected difference";
    case FO_AUDIT_CLASS_SIDE_CHECK:
      return "❌ side check failed";
    case FO_AUDIT_CLASS_EXPECTED:
      return "☑️ expected";
    case FO_AUDIT_CLASS_STALE_EXPECTED:
      return "⚠️ stale expected_differences entry";
  }
  return "❌ drift";
}

static int md_side_header(fo_buf *b, const char *label, const fo_audit_side_info *si) {
  int err;
  if ((err = fo_buf_puts(b, label)) < 0)
    return err;
  if (si->region &&
      ((err = fo_buf_puts(b, " (")) < 0 || (err = md_put(b, si->region, 0)) < 0 || (err = fo_buf_puts(b, ")")) < 0))
    return err;
  return 0;
}

static int md_finding(fo_buf *b, const fo_audit_result *r, const fo_audit_finding *f) {
  int has_values = f->primary_value || f->secondary_value;
  int has_locs = f->primary_loc.file || f->secondary_loc.file;
  char *reason = NULL;
  int err;

  if ((err = fo_buf_printf(b, "<details>\n<summary>%s · ", class_badge(f->classification))) < 0 ||
      (err = md_code(b, f->rule_id, 0)) < 0 || (err = fo_buf_puts(b, " · ")) < 0 ||
      (err = md_code(b, f->full_path, 0)) < 0 || (err = fo_buf_puts(b, "</summary>\n\n")) < 0)
    goto done;
  /* Both sides side by side; objects present on one side only carry no values, only where they are defined. */
  if (has_values || has_locs) {
    if ((err = fo_buf_puts(b, "| | ")) < 0 || (err = md_side_header(b, "Primary", &r->primary)) < 0 ||
        (err = fo_buf_puts(b, " | ")) < 0 || (err = md_side_header(b, "Secondary", &r->secondary)) < 0 ||
        (err = fo_buf_puts(b, " |\n|---|---|---|\n")) < 0)
      goto done;
    if (has_values && ((err = fo_buf_puts(b, "| Value | ")) < 0 ||
                       (err = md_value_cell(b, f, FO_AUDIT_SIDE_PRIMARY)) < 0 || (err = fo_buf_puts(b, " | ")) < 0 ||
                       (err = md_value_cell(b, f, FO_AUDIT_SIDE_SECONDARY)) < 0 || (err = fo_buf_puts(b, " |\n")) < 0))
      goto done;
    if (has_locs && ((err = fo_buf_puts(b, "| Defined at | ")) < 0 || (err = md_loc_cell(b, &f->primary_loc)) < 0 ||
                     (err = fo_buf_puts(b, " | ")) < 0 || (err = md_loc_cell(b, &f->secondary_loc)) < 0 ||
                     (err = fo_buf_puts(b, " |\n")) < 0))
      goto done;
    if ((err = fo_buf_puts(b, "\n")) < 0)
      goto done;
  }
  if ((err = fo_buf_puts(b, "- **Finding:** ")) < 0 || (err = md_put(b, fo_audit_report_title(f), 0)) < 0)
    goto done;
  if (f->message && strcmp(f->message, fo_audit_report_title(f)) != 0 &&
      ((err = fo_buf_puts(b, " — ")) < 0 || (err = md_put(b, f->message, 0)) < 0))
    goto done;
  if ((err = fo_buf_puts(b, "\n- **Rule:** ")) < 0 || (err = md_code(b, f->rule_id, 0)) < 0 ||
      (err = fo_buf_printf(b, " (%s, %s) · **Check:** ", fo_audit_rule_kind_name(f->rule_kind),
                           fo_audit_severity_name(f->severity))) < 0 ||
      (err = md_code(b, f->check ? f->check : "", 0)) < 0 ||
      (err = fo_buf_printf(b, " · **Classification:** %s · **Side:** %s · **Id:** ",
                           fo_audit_class_name(f->classification), fo_audit_side_name(f->side))) < 0 ||
      (err = md_code(b, f->id, 0)) < 0)
    goto done;
  if (f->sensitive && (err = fo_buf_puts(b, "\n- **Sensitive:** values are compared by hash and never shown")) < 0)
    goto done;
  if (f->expected_pattern) {
    if ((err = fo_audit_report_redacted(&reason, f->expected_reason)) < 0 ||
        (err = fo_buf_puts(b, "\n- **Expected difference:** ")) < 0 || (err = md_code(b, f->expected_pattern, 0)) < 0 ||
        (err = fo_buf_puts(b, " — ")) < 0 || (err = md_put(b, reason ? reason : "no reason given", 0)) < 0)
      goto done;
    if (f->expected_expires && ((err = fo_buf_puts(b, " (expires ")) < 0 ||
                                (err = md_put(b, f->expected_expires, 0)) < 0 || (err = fo_buf_puts(b, ")")) < 0))
      goto done;
    if (f->expected_loc.file && ((err = fo_buf_puts(b, " at ")) < 0 || (err = md_loc_cell(b, &f->expected_loc)) < 0))
      goto done;
  }
  if ((err = fo_buf_printf(b, "\n- **%s step:** %s", f->step >= FO_AUDIT_STEP_NETWORK ? "Verification" : "Sync",
                           fo_audit_step_title(f->step))) < 0)
    goto done;
  if (f->fix_hint && ((err = fo_buf_puts(b, " — ")) < 0 || (err = md_put(b, f->fix_hint, 0)) < 0))
    goto done;
  err = fo_buf_puts(b, "\n\n</details>\n\n");
done:
  free(reason);
  return err;
}

static int md_sources(fo_buf *b, const fo_audit_result *r) {
  int err = 0;
  if (r->nsources == 0)
    return 0;
  if ((err = fo_buf_puts(b, "| Source | Side | State | Read from |\n|---|---|---|---|\n")) < 0)
    return err;
  for (size_t i = 0; i < r->nsources && err == 0; i++) {
    const fo_audit_source_status *s = &r->sources[i];
    char *msg = NULL;
    if ((err = fo_buf_puts(b, "| ")) < 0 || (err = md_put(b, s->name, 0)) < 0 ||
        (err = fo_buf_printf(b, " | %s | %s%s | ", fo_audit_side_name(s->side),
                             s->state == FO_AUDIT_SOURCE_UNREADABLE ? "❌ " : "",
                             fo_audit_source_state_name(s->state))) < 0 ||
        (err = md_put(b, s->location ? s->location : "", 0)) < 0)
      break;
    if (s->message && ((err = fo_audit_report_redacted(&msg, s->message)) < 0 || (err = fo_buf_puts(b, ": ")) < 0 ||
                       (err = md_put(b, msg, 0)) < 0)) {
      free(msg);
      break;
    }
    free(msg);
    err = fo_buf_puts(b, " |\n");
  }
  return err == 0 ? fo_buf_puts(b, "\n") : err;
}

int fo_audit_render_markdown(const fo_audit_result *r, fo_buf *out) {
  int first, end;
  fo_audit_report_step_counts counts[FO_AUDIT_STEP_MAX];
  const fo_audit_finding **v = NULL;
  fo_buf line = FO_BUF_INIT;
  const char *status = fo_audit_report_status(r);
  size_t shown = 0, n = 0, start = out->len;
  int err;
  fo_audit_result_steps(r, &first, &end);

  fo_audit_report_count_steps(r, counts);
  if ((err = fo_buf_puts(out, MD_MARKER "\n")) < 0 ||
      (err = fo_buf_printf(out, "## %s failover-audit %s: %s\n\n", strcmp(status, "pass") == 0 ? "✅" : "❌",
                           r->command ? r->command : "report",
                           strcmp(status, "pass") == 0   ? "in sync"
                           : strcmp(status, "fail") == 0 ? "drift found"
                                                         : "source unreadable")) < 0 ||
      (err = fo_audit_report_summary_line(&line, r)) < 0 || (err = fo_buf_puts(out, "**")) < 0 ||
      (err = md_put(out, line.data, 0)) < 0 || (err = fo_buf_puts(out, "**\n\n")) < 0 ||
      (err = md_side_header(out, "Primary", &r->primary)) < 0 || (err = fo_buf_puts(out, " · ")) < 0 ||
      (err = md_side_header(out, "secondary", &r->secondary)) < 0)
    goto done;
  if (r->config_path && ((err = fo_buf_puts(out, " · config ")) < 0 || (err = md_code(out, r->config_path, 0)) < 0))
    goto done;
  if (r->tool_version &&
      ((err = fo_buf_puts(out, " · failover-audit ")) < 0 || (err = md_put(out, r->tool_version, 0)) < 0))
    goto done;
  if ((err = fo_buf_puts(out, first ? "\n\n| Verification step | Checks | Failing | Expected | Stale |\n"
                                    : "\n\n| Sync step | Objects | Failing | Expected | Stale |\n")) < 0 ||
      (err = fo_buf_puts(out, "|---|--:|--:|--:|--:|\n")) < 0)
    goto done;
  for (int s = first; s < end; s++) {
    const fo_audit_report_step_counts *c = &counts[s];
    if ((err = fo_buf_printf(out, "| %s%s | %zu | %zu | %zu | %zu |\n", c->failing ? "❌ " : "✅ ",
                             fo_audit_step_title((fo_audit_step)s), c->subjects, c->failing, c->expected, c->stale)) <
        0)
      goto done;
  }
  if ((err = fo_buf_puts(out, "\n")) < 0 || (err = md_sources(out, r)) < 0)
    goto done;

  for (int s = first; s < end; s++) {
    if ((err = fo_audit_report_step_findings(&v, &n, r, (fo_audit_step)s)) < 0)
      goto done;
    if (n && shown < MD_MAX_DETAILS && out->len - start < MD_BUDGET &&
        (err = fo_buf_printf(out, "### %s\n\n", fo_audit_step_title((fo_audit_step)s))) < 0)
      goto done;
    for (size_t i = 0; i < n && shown < MD_MAX_DETAILS && out->len - start < MD_BUDGET; i++, shown++)
      if ((err = md_finding(out, r, v[i])) < 0)
        goto done;
    free(v);
    v = NULL;
  }
  if (r->nfindings > shown &&
      (err = fo_buf_printf(out, "_%zu more findings are not shown here: see the JSON report._\n",
                           r->nfindings - shown)) < 0)
    goto done;
done:
  free(v);
  fo_buf_dispose(&line);
  return err;
}
