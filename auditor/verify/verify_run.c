/* verify_run: the verify rules, the collector that owns the `verify` config key, and the run: both sides' AWS
 * clients, the checklist groups in order (each check timed), the result. */
#include "fo_audit_aws.h"
#include "fo_aws_error.h"
#include "fo_err.h"
#include "verify_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SC   FO_AUDIT_RULE_SIDE_CHECK
#define ERR  FO_AUDIT_SEV_ERROR
#define WARN FO_AUDIT_SEV_WARNING

/* Keep in step with docs/audit-rules.md (a unit test checks it). */
static const fo_audit_rule rules[] = {
    {"verify.dns-unresolved", SC, ERR, FO_AUDIT_STEP_NETWORK, "The name does not resolve",
     "check the record set of the name and that the resolver answers for it"},
    {"verify.dns-wrong-target", SC, ERR, FO_AUDIT_STEP_NETWORK, "The name resolves elsewhere than the active side",
     "flip the weights (failover_weight_pair) so the name points at the active side's load balancers"},
    {"verify.lb-missing", SC, ERR, FO_AUDIT_STEP_NETWORK, "Load balancer missing or not active",
     "create the load balancer in the active region (pilot light) and wait until it is active"},
    {"verify.target-unhealthy", SC, ERR, FO_AUDIT_STEP_NETWORK, "Load balancer target not healthy",
     "look at the target's health check reason; scale up or fix the service behind it"},
    {"verify.target-group-empty", SC, ERR, FO_AUDIT_STEP_NETWORK, "Target group without targets",
     "register the service's targets (scale the pilot light up)"},
    {"verify.deployment-not-ready", SC, ERR, FO_AUDIT_STEP_APPLICATIONS, "Deployment not fully ready",
     "look at the Deployment's pods (kubectl describe): scale the node groups up (pilot light) or fix the rollout"},
    {"verify.pod-crashloop", SC, ERR, FO_AUDIT_STEP_APPLICATIONS, "Pod in CrashLoopBackOff",
     "read the container's logs (kubectl logs --previous): it keeps crashing on the active side"},
    {"verify.queue-missing", SC, ERR, FO_AUDIT_STEP_MESSAGING, "Queue does not exist",
     "create the queue in the active region or fix the URL in the config"},
    {"verify.queue-backlog-growing", SC, ERR, FO_AUDIT_STEP_MESSAGING, "Queue backlog grows",
     "the queue's consumers are not keeping up: check they run and their triggers are enabled"},
    {"verify.lambda-not-active", SC, ERR, FO_AUDIT_STEP_MESSAGING, "Lambda function missing or not Active",
     "deploy the function in the active region and wait until its State is Active"},
    {"verify.trigger-not-enabled", SC, ERR, FO_AUDIT_STEP_MESSAGING, "Event source mapping not enabled",
     "enable the function's event source mappings on the active side (failover_quiesce starts them on failback)"},
    {"verify.trigger-still-enabled", SC, ERR, FO_AUDIT_STEP_INTEGRITY, "Consumer still enabled on the stopped side",
     "disable the stopped side's event source mappings at once: both sides consume, messages are duplicated"},
    {"verify.queue-servers-running", SC, ERR, FO_AUDIT_STEP_INTEGRITY,
     "Queue servers still running on the stopped side",
     "scale the stopped side's queue servers to 0 or suspend their processes (failover_quiesce)"},
    {"verify.rds-unavailable", SC, ERR, FO_AUDIT_STEP_DATA, "Restored database instance missing or not available",
     "restore the database (failover_restore) and wait until its status is available"},
    {"verify.mariadb-probe-failed", SC, ERR, FO_AUDIT_STEP_DATA, "MariaDB read/write probe failed",
     "check the database accepts connections and writes with the configured user"},
    {"verify.mongodb-unhealthy", SC, ERR, FO_AUDIT_STEP_DATA, "MongoDB member unhealthy, or lagging behind",
     "check the replica set member of the active region (rs.status()); step it up or wait for it to catch up"},
    {"verify.alarm-not-ok", SC, ERR, FO_AUDIT_STEP_OBSERVABILITY, "CloudWatch alarm not in OK state",
     "look at the alarm's reason: the active side is not serving as it should"},
    {"verify.alarm-missing", SC, WARN, FO_AUDIT_STEP_OBSERVABILITY, "CloudWatch alarm does not exist",
     "create the alarm in the active region or remove it from the config"},
};

const fo_audit_collector fo_audit_collector_verify = {
    .name = "verify",
    .side_keys = (const char *const[]){"verify", NULL},
    .parse_key = fo_audit_verify_parse_key,
    .free_cfg = fo_audit_verify_free_cfg,
    .rules = rules,
    .nrules = sizeof rules / sizeof rules[0],
};

/* ---- what the checks share --------------------------------------------------------------------------------- */

/* Wall time in ms: the run's clock for the seconds (a virtual clock in tests), its monotonic clock for the rest. */
static long long now_ms(const fo_clock *clock) {
  if (!clock || clock == fo_clock_system()) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  }
  return (long long)fo_clock_wall(clock) * 1000 + fo_clock_mono_ms(clock) % 1000;
}

void verify_check_begin(verify_check *c, verify_ctx *v, const char *key, fo_audit_step step, int side) {
  c->v = v;
  c->key = key;
  c->step = step;
  c->side = side;
  c->started_ms = now_ms(v->clock);
  c->path = NULL;
}

int verify_check_end(verify_check *c) {
  long long end = now_ms(c->v->clock);
  return fo_audit_result_add_timed_subject(c->v->r, c->key, "verify", c->step, c->started_ms,
                                           end < c->started_ms ? c->started_ms : end);
}

int verify_fail(verify_check *c, const char *rule_id, const char *value, const char *fmt, ...) {
  fo_audit_finding f;
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fo_audit_finding_from_rule(&f, rule_id);
  f.classification = FO_AUDIT_CLASS_SIDE_CHECK;
  f.check = (char *)"verify";
  f.side = c->side ? FO_AUDIT_SIDE_SECONDARY : FO_AUDIT_SIDE_PRIMARY;
  f.resource.key = (char *)c->key;
  f.resource.kind = (char *)"verify";
  f.path = (char *)(c->path ? c->path : "");
  if (c->side) {
    f.secondary_value = (char *)value;
  } else {
    f.primary_value = (char *)value;
  }
  f.message = msg;
  return fo_audit_result_add(c->v->r, &f, NULL);
}

int verify_unreadable(verify_check *c, const char *source) {
  char name[96];
  snprintf(name, sizeof name, "verify.%s", source);
  return fo_audit_result_add_source(c->v->r, name, c->side ? FO_AUDIT_SIDE_SECONDARY : FO_AUDIT_SIDE_PRIMARY,
                                    FO_AUDIT_SOURCE_UNREADABLE, c->key, fo_err_last());
}

int verify_aws_code_is(const char *code) {
  const fo_aws_error *e = fo_aws_last_error();
  return e && !strcmp(e->code, code);
}

/* ---- the run ----------------------------------------------------------------------------------------------- */

int fo_audit_verify_run(fo_audit_result **out, const fo_audit_config *cfg, int active, const fo_audit_env *env) {
  fo_audit_env run = {0};
  fo_audit_result *r = NULL;
  verify_ctx v;
  int err, want[2];

  *out = NULL;
  memset(&v, 0, sizeof v);
  v.vc[0] = fo_audit_verify_side_cfg(cfg, 0);
  v.vc[1] = fo_audit_verify_side_cfg(cfg, 1);
  if (!v.vc[active])
    return fo_err_set(FO_EINVAL, "%s: sides.%s has no 'verify' section: nothing to verify", cfg->path,
                      active ? "secondary" : "primary");
  if (!(r = fo_audit_result_new()) || !(r->command = strdup("verify")) ||
      !(r->tool_version = strdup(FO_AUDIT_VERSION)) || !(r->config_path = strdup(cfg->path))) {
    fo_audit_result_free(r);
    return fo_err_oom();
  }
  if ((err = fo_audit_result_set_sides(r, cfg->sides[0].name ? cfg->sides[0].name : "primary", cfg->sides[0].region,
                                       cfg->sides[1].name ? cfg->sides[1].name : "secondary", cfg->sides[1].region)) <
      0)
    goto done;
  if (env)
    run = *env;
  /* both sides: the active one is checked, the stopped one is checked to be stopped */
  want[0] = v.vc[0] != NULL;
  want[1] = v.vc[1] != NULL;
  if ((err = fo_audit_aws_env_open_sides(&run, cfg, want)) < 0) {
    fo_audit_aws_env_close(&run, env);
    goto done;
  }
  v.r = r;
  v.cfg = cfg;
  v.active = active;
  v.aws[0] = run.aws[0];
  v.aws[1] = run.aws[1];
  v.kube_context[0] = run.kube_context[0];
  v.kube_context[1] = run.kube_context[1];
  v.cancel = run.cancel;
  v.clock = run.clock;
  if ((err = verify_network(&v)) == 0 && (err = verify_applications(&v)) == 0 && (err = verify_messaging(&v)) == 0 &&
      (err = verify_data(&v)) == 0 && (err = verify_integrity(&v)) == 0)
    err = verify_observability(&v);
  fo_audit_aws_env_close(&run, env);
  if (err == 0)
    fo_audit_result_finish(r);
done:
  if (err < 0) {
    fo_audit_result_free(r);
    return err;
  }
  *out = r;
  return 0;
}

const fo_audit_verify_cfg *fo_audit_verify_side_cfg(const fo_audit_config *cfg, int side) {
  return fo_audit_collector_side_cfg(cfg, side, &fo_audit_collector_verify);
}
