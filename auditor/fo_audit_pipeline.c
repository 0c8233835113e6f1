/* fo_audit_pipeline: collect -> normalize -> diff -> side checks -> classify -> report. */
#include "fo_audit_pipeline.h"
#include "fo_pair.h"
#include "fo_audit_aws.h"
#include "fo_audit_classify.h"
#include "fo_audit_diff.h"
#include "fo_audit_render.h"
#include "fo_audit_sidecheck.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int fo_audit_pipeline_today(char buf[11], const fo_clock *clock) {
  time_t now = fo_clock_wall(clock);
  struct tm tm;
  if (!gmtime_r(&now, &tm) || strftime(buf, 11, "%Y-%m-%d", &tm) != 10)
    return fo_err_set(FO_ERR, "cannot read the clock");
  return 0;
}

/* One side's collection on its own thread. */
typedef struct side_job {
  fo_audit_snapshot *snap;
  const fo_audit_config *cfg;
  const fo_audit_env *env;
  int side, err;
  char msg[512]; /* the error message of that thread (fo_err is per thread) */
} side_job;

static void *collect_side_thread(void *arg) {
  side_job *j = arg;
  if ((j->err = fo_audit_collect_side(&j->snap, j->cfg, j->side, j->env)) < 0)
    snprintf(j->msg, sizeof j->msg, "%s", fo_err_last());
  return NULL;
}

int fo_audit_pipeline_collect(fo_audit_snapshot **primary, fo_audit_snapshot **secondary, const fo_audit_config *cfg,
                              const fo_audit_env *env) {
  fo_audit_env run = {0};
  side_job jobs[2];
  int err;

  *primary = *secondary = NULL;
  if (env)
    run = *env;
  /* the AWS clients live for this collection only; a client that cannot be set up (a bad profile) is a config
   * error of the run, not an unreadable source */
  if ((err = fo_audit_aws_env_open(&run, cfg)) < 0) {
    fo_audit_aws_env_close(&run, env);
    return err;
  }
  (void)fo_audit_collectors(&(size_t){0}); /* the registry's lazy init, before a second thread looks */
  memset(jobs, 0, sizeof jobs);
  for (int side = 0; side < 2; side++) {
    jobs[side].cfg = cfg;
    jobs[side].env = &run;
    jobs[side].side = side;
  }
  /* both regions at once: a live read of one region does not wait for the other's */
  fo_pair_run(collect_side_thread, &jobs[0], &jobs[1]);
  fo_audit_aws_env_close(&run, env);
  for (int side = 0; side < 2; side++) {
    if (jobs[side].err < 0) {
      fo_audit_snapshot_free(jobs[0].snap);
      fo_audit_snapshot_free(jobs[1].snap);
      return fo_err_set(jobs[side].err, "%s", jobs[side].msg);
    }
  }
  *primary = jobs[0].snap;
  *secondary = jobs[1].snap;
  return 0;
}

int fo_audit_pipeline_collect_side(fo_audit_snapshot **out, const fo_audit_config *cfg, int side,
                                   const fo_audit_env *env) {
  fo_audit_env run = {0};
  int err;
  *out = NULL;
  if (env)
    run = *env;
  if ((err = fo_audit_aws_env_open(&run, cfg)) == 0)
    err = fo_audit_collect_side(out, cfg, side, &run);
  fo_audit_aws_env_close(&run, env);
  return err;
}

int fo_audit_pipeline_compare(fo_audit_result *r, fo_audit_snapshot *p, fo_audit_snapshot *s,
                              const fo_audit_config *cfg, const fo_audit_env *env, int report_stale) {
  char today[11];
  int err;
  const char *pn = fo_audit_snapshot_get(p, "name"), *sn = fo_audit_snapshot_get(s, "name");
  const char *pr = fo_audit_snapshot_get(p, "region"), *sr = fo_audit_snapshot_get(s, "region");

  if ((err = fo_audit_pipeline_today(today, env ? env->clock : NULL)) < 0)
    return err;
  if ((err = fo_audit_result_set_sides(r, pn ? pn : "primary", pr ? pr : (cfg ? cfg->sides[0].region : NULL),
                                       sn ? sn : "secondary", sr ? sr : (cfg ? cfg->sides[1].region : NULL))) < 0 ||
      (err = fo_audit_snapshots_normalize(p, s, cfg)) < 0 || (err = fo_audit_diff(r, p, s, cfg)) < 0 ||
      (err = fo_audit_sidechecks(r, p, s, cfg)) < 0 || (err = fo_audit_classify(r, cfg, today, report_stale)) < 0)
    return err;
  fo_audit_result_finish(r);
  return 0;
}

int fo_audit_pipeline_check(fo_audit_result **out, const fo_audit_config *cfg, const char *command,
                            const fo_audit_env *env) {
  fo_audit_snapshot *p = NULL, *s = NULL;
  fo_audit_result *r = NULL;
  int err;

  *out = NULL;
  if (!(r = fo_audit_result_new()) || !(r->command = strdup(command)) ||
      !(r->tool_version = strdup(FO_AUDIT_VERSION)) || !(r->config_path = strdup(cfg->path))) {
    fo_audit_result_free(r);
    return fo_err_oom();
  }
  if ((err = fo_audit_pipeline_collect(&p, &s, cfg, env)) < 0 ||
      (err = fo_audit_pipeline_compare(r, p, s, cfg, env, 1)) < 0) {
    fo_audit_result_free(r);
    r = NULL;
  }
  fo_audit_snapshot_free(p);
  fo_audit_snapshot_free(s);
  *out = r;
  return err;
}

int fo_audit_pipeline_report(const fo_audit_result *r, const char *format, fo_buf *out, int color) {
  return fo_audit_render(r, format, out, color);
}
