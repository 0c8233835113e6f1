/* fo_audit_tfplan: count a plan's resource changes for GitLab's Terraform report (artifacts:reports:terraform).
 * The plan is read with the auditor's exact, budgeted JSON reader, like a state file. */
#include "fo_audit_tfplan.h"
#include "fo_audit_json.h"
#include "fo_audit_snapshot.h"
#include "fo_err.h"

#include <stdio.h>
#include <string.h>

static void plan_opts(fo_audit_json_opts *o, char *what, size_t wlen, const char *name) {
  snprintf(what, wlen, "plan JSON '%s'", name);
  memset(o, 0, sizeof *o);
  o->what = what;
  o->max_depth = FO_AUDIT_JSON_MAX_DEPTH * 2;
  o->max_bytes = FO_AUDIT_SNAPSHOT_MAX_BYTES;
}

/* format_version "1.x": the major version the JSON output format promises to keep (a "2.0" may change the
 * meaning of what is counted here, so it is refused rather than miscounted). */
static int check_format(const cJSON *doc, const char *what) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "format_version");
  const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
  if (!s)
    return fo_err_set(FO_EINVAL, "%s: no format_version: not the output of `terraform show -json PLANFILE` (or tofu's)",
                      what);
  if (strncmp(s, "1.", 2) != 0 && strcmp(s, "1") != 0)
    return fo_err_set(FO_EINVAL, "%s: format_version '%.32s' is not 1.x: this auditor reads plan format 1", what, s);
  if (!cJSON_GetObjectItemCaseSensitive(doc, "planned_values") &&
      !cJSON_GetObjectItemCaseSensitive(doc, "resource_changes"))
    return fo_err_set(FO_EINVAL,
                      "%s: no planned_values or resource_changes: a state's show -json output? give the plan's "
                      "(`terraform show -json PLANFILE`)",
                      what);
  if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "errored")))
    return fo_err_set(FO_EINVAL, "%s: the plan errored (\"errored\": true): its changes are incomplete", what);
  return 0;
}

static int count_doc(fo_audit_tfplan_counts *out, const cJSON *doc, const char *what) {
  const cJSON *changes, *rc;
  size_t i = 0;
  int err;

  memset(out, 0, sizeof *out);
  if (!cJSON_IsObject(doc))
    return fo_err_set(FO_EINVAL, "%s: not a JSON object", what);
  if ((err = check_format(doc, what)) < 0)
    return err;
  changes = cJSON_GetObjectItemCaseSensitive(doc, "resource_changes");
  if (!changes || cJSON_IsNull(changes))
    return 0; /* a plan without changes may leave the member out */
  if (!cJSON_IsArray(changes))
    return fo_err_set(FO_EINVAL, "%s: resource_changes is not an array", what);
  cJSON_ArrayForEach(rc, changes) {
    const cJSON *change = cJSON_GetObjectItemCaseSensitive(rc, "change");
    const cJSON *actions = cJSON_GetObjectItemCaseSensitive(change, "actions");
    const cJSON *addr = cJSON_GetObjectItemCaseSensitive(rc, "address");
    const char *a = cJSON_IsString(addr) ? addr->valuestring : "?";
    const cJSON *act;
    size_t k = 0;
    if (!cJSON_IsObject(rc) || !cJSON_IsObject(change) || !cJSON_IsArray(actions))
      return fo_err_set(FO_EINVAL, "%s: resource_changes[%zu] (%.200s): no change.actions array", what, i, a);
    cJSON_ArrayForEach(act, actions) {
      if (!cJSON_IsString(act))
        return fo_err_set(FO_EINVAL, "%s: resource_changes[%zu] (%.200s): change.actions[%zu] is not a string", what, i,
                          a, k);
      if (!strcmp(act->valuestring, "create"))
        out->create++;
      else if (!strcmp(act->valuestring, "update"))
        out->update++;
      else if (!strcmp(act->valuestring, "delete"))
        out->del++;
      k++;
    }
    i++;
  }
  out->resources = i;
  return 0;
}

int fo_audit_tfplan_parse(fo_audit_tfplan_counts *out, const char *data, size_t len, const char *name) {
  fo_audit_json_opts o;
  char what[4200];
  cJSON *doc = NULL;
  int err;
  memset(out, 0, sizeof *out);
  plan_opts(&o, what, sizeof what, name);
  if ((err = fo_audit_json_parse(&doc, data, len, &o)) == 0)
    err = count_doc(out, doc, what);
  cJSON_Delete(doc);
  return err;
}

int fo_audit_tfplan_load(fo_audit_tfplan_counts *out, const char *path) {
  fo_audit_json_opts o;
  char what[4200];
  cJSON *doc = NULL;
  int err;
  memset(out, 0, sizeof *out);
  plan_opts(&o, what, sizeof what, path);
  if ((err = fo_audit_json_load(&doc, path, &o)) == 0)
    err = count_doc(out, doc, what);
  cJSON_Delete(doc);
  return err;
}

int fo_audit_tfplan_report(fo_buf *out, const fo_audit_tfplan_counts *c) {
  return fo_buf_printf(out, "{\"create\": %zu, \"update\": %zu, \"delete\": %zu}\n", c->create, c->update, c->del);
}
