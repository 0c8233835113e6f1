/* cmd_drill: `failover-audit drill [STATE...]`: a drill's timeline (confirm -> quiesce -> scale -> switch weights
 * -> restore -> verify -> stable) from the states' recorded step times, against the RTO target (docs/drill.md). */
#include "fo_audit_cli.h"
#include "fo_audit_drill.h"
#include "fo_audit_json.h"
#include "fo_audit_pipeline.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv, const fo_audit_env *env);

static const fo_audit_opt_spec opts[] = {
    {FO_OPT_RTO, "--rto", "DURATION", "the recovery time objective: 30m, 1h, 90s (default: the config's drill.rto)", 0},
    {FO_OPT_VERIFY_REPORT, "--verify-report", "FILE", "the JSON report of `verify --format json` (its timed checks)",
     0},
    {FO_OPT_CONFIG, "--config", "FILE",
     "read the states of the config's terraform_state sources (files, S3, GitLab) instead of STATE arguments", 0},
    {FO_OPT_FORMAT, "--format", "FORMAT", "report on stdout: text, markdown or json (default: text)", 0},
    {FO_OPT_OUTPUT, "--output", "FORMAT=PATH", "also write a report to PATH (repeatable; PATH '-' is stdout)", 0},
};

const fo_audit_command fo_audit_cmd_drill = {
    "drill",
    "[STATE...]",
    "a failover or failback drill's timeline and its RTO, from the Terraform states",
    "The drill's timeline from the step times the DR resources record (failover_switch switched_at; started_at\n"
    "and finished_at of failover_quiesce, failover_pilot_light, failover_weight_pair, failover_restore) in the\n"
    "given state files (v4 or `show -json`), or in the config's terraform_state sources of both sides, and the\n"
    "verify report's timed checks: one row per step, the total from the first step to verified, against the\n"
    "RTO. Steps that finished before the switch belong to an earlier apply and are left out. The markdown\n"
    "report adds a Mermaid Gantt chart. A drill after failing back gives the failback's timeline (docs/drill.md).",
    opts,
    sizeof opts / sizeof opts[0],
    0,
    FO_AUDIT_MAX_ARGS,
    "Exit: 0 within the RTO; 1 RTO exceeded, a step unfinished, a verify check failed or no step recorded;\n"
    "2 usage error; "
    "3 a state or the verify report could not be read.",
    run,
};

/* Each side's terraform_state source through the collectors (local, S3, GitLab). */
static int add_config_states(fo_audit_drill *d, const fo_audit_config *cfg, const fo_audit_env *env) {
  int rc = 0;
  for (int side = 0; side < 2 && !rc; side++) {
    fo_audit_snapshot *s = NULL;
    const cJSON *src;
    int found = 0;
    if (fo_audit_pipeline_collect_side(&s, cfg, side, env) < 0) {
      fo_audit_cli_error("%s", fo_err_last());
      return FO_AUDIT_EXIT_UNREADABLE;
    }
    cJSON_ArrayForEach(src, s->sources) {
      const cJSON *name = cJSON_GetObjectItemCaseSensitive(src, "name"),
                  *status = cJSON_GetObjectItemCaseSensitive(src, "status"),
                  *msg = cJSON_GetObjectItemCaseSensitive(src, "message");
      if (!cJSON_IsString(name) || strcmp(name->valuestring, "terraform_state") != 0)
        continue;
      found = 1;
      if (cJSON_IsString(status) && strcmp(status->valuestring, "ok") != 0) {
        fo_audit_cli_error("the %s state could not be read: %s", side ? "secondary" : "primary",
                           cJSON_IsString(msg) ? msg->valuestring : status->valuestring);
        rc = FO_AUDIT_EXIT_UNREADABLE;
      }
    }
    if (!rc && found && fo_audit_drill_add_snapshot(d, s) < 0) {
      fo_audit_cli_error("%s", fo_err_last());
      rc = FO_AUDIT_EXIT_UNREADABLE;
    }
    fo_audit_snapshot_free(s);
  }
  return rc;
}

static int add_state_file(fo_audit_drill *d, const char *path) {
  fo_audit_snapshot *s = NULL;
  fo_audit_collect_ctx ctx = {0};
  char *data = NULL;
  size_t len = 0;
  int rc = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    fo_audit_cli_error("state '%s' cannot be read", path);
    return FO_AUDIT_EXIT_UNREADABLE;
  }
  {
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
      char *grown = realloc(data, len + n + 1);
      if (!grown) {
        rc = FO_AUDIT_EXIT_UNREADABLE;
        break;
      }
      data = grown;
      memcpy(data + len, buf, n);
      len += n;
    }
    if (ferror(f))
      rc = FO_AUDIT_EXIT_UNREADABLE;
  }
  fclose(f);
  if (!rc &&
      (fo_audit_snapshot_new(&s, "drill", NULL, NULL, NULL) < 0 ||
       fo_audit_tfstate_parse(&ctx, s, data ? data : "", len, path) < 0 || fo_audit_drill_add_snapshot(d, s) < 0)) {
    fo_audit_cli_error("%s", fo_err_last());
    rc = FO_AUDIT_EXIT_UNREADABLE;
  } else if (rc) {
    fo_audit_cli_error("state '%s' cannot be read", path);
  }
  fo_audit_snapshot_free(s);
  free(data);
  return rc;
}

static int add_verify_report(fo_audit_drill *d, const char *path) {
  fo_audit_json_opts jo = {0};
  cJSON *doc = NULL;
  int rc = 0;
  jo.what = path;
  jo.max_depth = FO_AUDIT_JSON_MAX_DEPTH;
  jo.max_bytes = FO_AUDIT_SNAPSHOT_MAX_BYTES;
  if (fo_audit_json_load(&doc, path, &jo) < 0 || fo_audit_drill_add_verify(d, doc, path) < 0) {
    fo_audit_cli_error("verify report: %s", fo_err_last());
    rc = FO_AUDIT_EXIT_UNREADABLE;
  }
  cJSON_Delete(doc);
  return rc;
}

static int valid_format(const char *f) {
  return !strcmp(f, "text") || !strcmp(f, "markdown") || !strcmp(f, "json");
}

static int emit(const fo_audit_drill *d, const fo_audit_opts *o) {
  const char *stdout_fmt = o->format ? o->format : "text";
  int to_stdout = o->format != NULL || o->noutputs == 0;
  for (size_t i = 0; i < o->noutputs; i++)
    if (!strcmp(o->outputs[i].path, "-"))
      to_stdout = 0, stdout_fmt = NULL;
  for (size_t i = 0; i <= o->noutputs; i++) {
    const char *fmt = i < o->noutputs ? o->outputs[i].format : (to_stdout ? stdout_fmt : NULL);
    const char *path = i < o->noutputs ? o->outputs[i].path : "-";
    fo_buf b = FO_BUF_INIT;
    int err;
    if (!fmt)
      continue;
    if (!valid_format(fmt)) {
      fo_audit_cli_error("drill reports are text, markdown or json, not '%s'", fmt);
      return FO_AUDIT_EXIT_USAGE;
    }
    err = fo_audit_drill_render(d, fmt, &b);
    if (err >= 0 && !strcmp(path, "-"))
      err = fwrite(b.data, 1, b.len, stdout) == b.len ? 0 : FO_EIO;
    else if (err >= 0)
      err = fo_audit_cli_write_file(path, &b);
    fo_buf_dispose(&b);
    if (err < 0) {
      fo_audit_cli_error("%s report: %s", fmt, fo_err_last());
      return FO_AUDIT_EXIT_USAGE;
    }
  }
  fflush(stdout);
  return 0;
}

static int run(int argc, char **argv, const fo_audit_env *env) {
  fo_audit_opts o;
  fo_audit_config *cfg = NULL;
  fo_audit_drill d;
  long long rto = 0;
  int rc;

  if ((rc = fo_audit_opts_parse(&o, argc, argv, &fo_audit_cmd_drill)) != 0 || o.help)
    return rc;
  if (!o.nargs && !o.config) {
    fo_audit_cli_error("drill needs STATE files or --config (whose terraform_state sources name the states)");
    return FO_AUDIT_EXIT_USAGE;
  }
  if (o.rto && fo_audit_drill_duration_parse(&rto, o.rto) < 0) {
    fo_audit_cli_error("--rto: %s", fo_err_last());
    return FO_AUDIT_EXIT_USAGE;
  }
  if (o.config && (rc = fo_audit_cli_load_config(&cfg, &o, 1)) != 0)
    return rc;
  if (!o.rto && cfg && cfg->drill_rto_ms)
    rto = cfg->drill_rto_ms;
  fo_audit_drill_init(&d, rto);
  for (size_t i = 0; i < o.nargs && !rc; i++)
    rc = add_state_file(&d, o.args[i]);
  if (!rc && cfg && !o.nargs)
    rc = add_config_states(&d, cfg, env);
  if (!rc && o.verify_report)
    rc = add_verify_report(&d, o.verify_report);
  if (!rc) {
    fo_audit_drill_finish(&d);
    if ((rc = emit(&d, &o)) == 0)
      rc = fo_audit_drill_within_rto(&d) ? FO_AUDIT_EXIT_OK : FO_AUDIT_EXIT_DRIFT;
  }
  fo_audit_drill_dispose(&d);
  fo_audit_config_free(cfg);
  return rc;
}
