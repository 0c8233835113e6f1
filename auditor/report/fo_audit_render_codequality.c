/* fo_audit_render_codequality: the GitLab Code Quality report (a JSON array of issues with description,
 * check_name, fingerprint, severity, location.path and location.lines.begin), so the merge request's code
 * quality widget lists drift next to the files that define it. Built with cJSON. */
#include "fo_audit_model.h"
#include "fo_audit_report.h"
#include "fo_err.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

/* Used when a finding names no file and the run had no config path. */
#define CQ_DEFAULT_PATH ".failover-audit.yml"

/* GitLab severities: info, minor, major, critical, blocker (docs/report-formats.md has the table). */
static const char *cq_severity(const fo_audit_finding *f) {
  if (f->classification == FO_AUDIT_CLASS_EXPECTED)
    return "info";
  if (f->classification == FO_AUDIT_CLASS_STALE_EXPECTED)
    return "minor";
  switch (f->severity) {
    case FO_AUDIT_SEV_ERROR:
      return "critical";
    case FO_AUDIT_SEV_WARNING:
      return "major";
    case FO_AUDIT_SEV_INFO:
      return "minor";
  }
  return "critical";
}

/* The file a reviewer should open: the concerned side's definition first, then the other side's, then the
 * expected_differences entry, then the config. */
static const fo_audit_location *cq_location(const fo_audit_finding *f) {
  const fo_audit_location *order[3] = {&f->primary_loc, &f->secondary_loc, &f->expected_loc};
  if (f->side == FO_AUDIT_SIDE_SECONDARY) {
    order[0] = &f->secondary_loc;
    order[1] = &f->primary_loc;
  }
  if (f->classification == FO_AUDIT_CLASS_STALE_EXPECTED)
    order[0] = &f->expected_loc;
  for (int i = 0; i < 3; i++)
    if (order[i]->file && *order[i]->file)
      return order[i];
  return NULL;
}

/* One issue object appended to `arr`, every string made valid UTF-8 first. */
static int cq_issue(cJSON *arr, const char *description, const char *check, const char *fp, const char *severity,
                    const char *path, int line) {
  const char *d, *c, *p;
  char *od = NULL, *oc = NULL, *op = NULL;
  cJSON *o = NULL, *loc, *lines;
  int err;

  if ((err = fo_audit_report_utf8(&d, &od, description)) < 0 || (err = fo_audit_report_utf8(&c, &oc, check)) < 0 ||
      (err = fo_audit_report_utf8(&p, &op, path)) < 0)
    goto done;
  if (!(o = cJSON_CreateObject()) || !cJSON_AddItemToArray(arr, o)) {
    cJSON_Delete(o);
    err = fo_err_oom();
    goto done;
  }
  if (!cJSON_AddStringToObject(o, "description", d) || !cJSON_AddStringToObject(o, "check_name", c) ||
      !cJSON_AddStringToObject(o, "fingerprint", fp) || !cJSON_AddStringToObject(o, "severity", severity) ||
      !(loc = cJSON_AddObjectToObject(o, "location")) || !cJSON_AddStringToObject(loc, "path", p) ||
      !(lines = cJSON_AddObjectToObject(loc, "lines")) || !cJSON_AddNumberToObject(lines, "begin", line > 0 ? line : 1))
    err = fo_err_oom();
done:
  free(od);
  free(oc);
  free(op);
  return err;
}

static int cq_description(fo_buf *b, const fo_audit_finding *f) {
  char *reason = NULL;
  int err;

  if ((err = fo_buf_printf(b, "%s: %s", fo_audit_report_title(f), f->full_path ? f->full_path : "")) < 0 ||
      (err = fo_buf_printf(b, " (%s, %s)", fo_audit_class_name(f->classification), fo_audit_side_name(f->side))) < 0)
    return err;
  if (f->expected_pattern) {
    if ((err = fo_audit_report_redacted(&reason, f->expected_reason)) == 0)
      err = fo_buf_printf(b, "; expected difference: %s%s%s", reason ? reason : "no reason given",
                          f->expected_expires ? ", expires " : "", f->expected_expires ? f->expected_expires : "");
    free(reason);
  }
  return err;
}

int fo_audit_render_codequality(const fo_audit_result *r, fo_buf *out) {
  const char *default_path = r->config_path && *r->config_path ? r->config_path : CQ_DEFAULT_PATH;
  cJSON *arr = cJSON_CreateArray();
  fo_audit_report_fp *fps = NULL;
  fo_buf desc = FO_BUF_INIT;
  int err = 0;

  if (!arr)
    return fo_err_oom();
  /* A source that could not be read fails the gate closed: it leads the list as a blocker. */
  for (size_t i = 0; i < r->nsources; i++) {
    const fo_audit_source_status *s = &r->sources[i];
    char fp[FO_AUDIT_REPORT_FP_SIZE];
    char *msg = NULL;
    if (s->state != FO_AUDIT_SOURCE_UNREADABLE)
      continue;
    fo_buf_clear(&desc);
    if ((err = fo_audit_report_source_fingerprint(fp, s)) < 0 ||
        (err = fo_audit_report_redacted(&msg, s->message)) < 0 ||
        (err = fo_buf_printf(&desc, "source %s (%s) could not be read%s%s", s->name, fo_audit_side_name(s->side),
                             msg ? ": " : "", msg ? msg : "")) < 0 ||
        (err = cq_issue(arr, desc.data, "source.unreadable", fp, "blocker", default_path, 1)) < 0) {
      free(msg);
      goto done;
    }
    free(msg);
  }
  if ((err = fo_audit_report_fingerprints(&fps, r)) < 0)
    goto done;
  for (size_t i = 0; i < r->nfindings; i++) {
    const fo_audit_finding *f = &r->findings[i];
    const fo_audit_location *loc = cq_location(f);
    fo_buf_clear(&desc);
    if ((err = cq_description(&desc, f)) < 0 ||
        (err = cq_issue(arr, desc.data, f->rule_id, fps[i], cq_severity(f), loc ? loc->file : default_path,
                        loc ? loc->line : 1)) < 0)
      goto done;
  }
  err = fo_audit_report_put_json(out, arr, "code quality");
done:
  free(fps);
  fo_buf_dispose(&desc);
  cJSON_Delete(arr);
  return err;
}
