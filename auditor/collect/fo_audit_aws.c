/* fo_audit_aws: the `aws_*` keys of sides.<side> (a collector that owns config keys and reads nothing) and the
 * per-side AWS clients built from them. Each side may use its own credentials: the GitLab CI job assumes one
 * role per region through web identity, so the AWS_* variables can be given per side as
 * FO_AUDIT_PRIMARY_<NAME> / FO_AUDIT_SECONDARY_<NAME>, or as config keys. */
#include "fo_audit_aws.h"
#include "fo_aws_client.h"
#include "fo_err.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct aws_cfg {
  char *profile;                 /* aws_profile */
  char *endpoint_url;            /* aws_endpoint_url: every service of this side (moto, a VPC endpoint) */
  char *assume_role_arn;         /* aws_assume_role_arn: assumed with the chain's credentials */
  char *web_identity_role_arn;   /* aws_web_identity_role_arn (AWS_ROLE_ARN of this side) */
  char *web_identity_token_file; /* aws_web_identity_token_file (AWS_WEB_IDENTITY_TOKEN_FILE of this side) */
  char *max_attempts;            /* aws_max_attempts */
} aws_cfg;

static const char *const aws_keys[] = {"aws_profile",
                                       "aws_endpoint_url",
                                       "aws_assume_role_arn",
                                       "aws_web_identity_role_arn",
                                       "aws_web_identity_token_file",
                                       "aws_max_attempts",
                                       NULL};

static int aws_parse_key(void **state, const char *key, const fo_audit_yaml *node) {
  aws_cfg *c = *state;
  char **slot;
  if (!c && !(c = *state = calloc(1, sizeof *c)))
    return fo_err_oom();
  if (!strcmp(key, "aws_profile"))
    slot = &c->profile;
  else if (!strcmp(key, "aws_endpoint_url"))
    slot = &c->endpoint_url;
  else if (!strcmp(key, "aws_assume_role_arn"))
    slot = &c->assume_role_arn;
  else if (!strcmp(key, "aws_web_identity_role_arn"))
    slot = &c->web_identity_role_arn;
  else if (!strcmp(key, "aws_max_attempts"))
    slot = &c->max_attempts;
  else
    return fo_audit_yaml_path(node, key, &c->web_identity_token_file);
  if (fo_audit_yaml_string(node, key, slot) < 0)
    return FO_EINVAL;
  if (slot == &c->max_attempts) {
    char *end;
    long v = strtol(c->max_attempts, &end, 10);
    if (*end || v < 1 || v > FO_AWS_MAX_ATTEMPTS_LIMIT)
      return fo_audit_yaml_error(node, "%s must be a number from 1 to %d", key, FO_AWS_MAX_ATTEMPTS_LIMIT);
  }
  if (slot == &c->endpoint_url && strncmp(*slot, "http://", 7) && strncmp(*slot, "https://", 8))
    return fo_audit_yaml_error(node, "%s must be an http:// or https:// URL", key);
  return 0;
}

static void aws_free_cfg(void *state) {
  aws_cfg *c = state;
  if (!c)
    return;
  free(c->profile);
  free(c->endpoint_url);
  free(c->assume_role_arn);
  free(c->web_identity_role_arn);
  free(c->web_identity_token_file);
  free(c->max_attempts);
  free(c);
}

const fo_audit_collector fo_audit_collector_aws = {
    .name = "aws",
    .side_keys = aws_keys,
    .parse_key = aws_parse_key,
    .free_cfg = aws_free_cfg,
};

const char *fo_audit_aws_endpoint(const fo_audit_config *cfg, int side) {
  const aws_cfg *c = fo_audit_collector_side_cfg(cfg, side, &fo_audit_collector_aws);
  return c ? c->endpoint_url : NULL;
}

/* ---- per-side environment -------------------------------------------------------------------------------- */

/* The client's environment hook takes no user data, so each side has its own function over this table. It is
 * written before the clients exist and cleared after they are freed (under the lock: two runs in one process,
 * as in unit tests, take turns). */
static pthread_mutex_t side_lock = PTHREAD_MUTEX_INITIALIZER;
static const aws_cfg *side_cfg[2];

static const char *side_env(int side, const char *name) {
  const aws_cfg *c = side_cfg[side];
  char var[128];
  const char *v;
  if (c && c->web_identity_role_arn && !strcmp(name, "AWS_ROLE_ARN"))
    return c->web_identity_role_arn;
  if (c && c->web_identity_token_file && !strcmp(name, "AWS_WEB_IDENTITY_TOKEN_FILE"))
    return c->web_identity_token_file;
  if (strncmp(name, "AWS_", 4) == 0 &&
      snprintf(var, sizeof var, "FO_AUDIT_%s_%s", side ? "SECONDARY" : "PRIMARY", name) < (int)sizeof var &&
      (v = getenv(var)))
    return v;
  return getenv(name);
}

static const char *env_primary(const char *name) {
  return side_env(0, name);
}
static const char *env_secondary(const char *name) {
  return side_env(1, name);
}

/* 1 when an enabled collector that calls AWS reads something on this side. */
static int side_needs_aws(const fo_audit_config *cfg, int side) {
  size_t n;
  const fo_audit_collector *const *cs = fo_audit_collectors(&n);
  fo_audit_norm_ctx norm;
  fo_audit_collect_ctx ctx;
  fo_audit_norm_ctx_for_side(&norm, cfg, side);
  for (size_t i = 0; i < n; i++) {
    fo_audit_collect_ctx_for(&ctx, cfg, side, &norm, cs[i], NULL);
    if (cs[i]->live && cs[i]->location && fo_audit_config_check_enabled(cfg, cs[i]->name) && cs[i]->location(&ctx) &&
        cs[i]->live(&ctx) == FO_AUDIT_LIVE_AWS)
      return 1;
  }
  return 0;
}

/* The client of a side; `region` NULL: the side's, `creds_from` NULL: the side's own credentials chain. */
static int build_client(fo_aws_client **out, const fo_audit_config *cfg, int side, const fo_clock *clock,
                        const char *region, fo_aws_client *creds_from) {
  const aws_cfg *c = fo_audit_collector_side_cfg(cfg, side, &fo_audit_collector_aws);
  static const char *const services[] = {"eks", "backup", "route53", "s3",         "sts",        "elbv2",
                                         "sqs", "lambda", "rds",     "cloudwatch", "autoscaling"};
  fo_aws_endpoint_override ov[sizeof services / sizeof services[0]];
  fo_aws_config ac;
  int err;

  memset(&ac, 0, sizeof ac);
  ac.region = region ? region : cfg->sides[side].region;
  ac.credentials_from = creds_from;
  ac.env = side ? env_secondary : env_primary;
  ac.clock = clock;
  if (c) {
    ac.profile = c->profile;
    ac.assume_role_arn = c->assume_role_arn;
    ac.assume_role_session_name = c->assume_role_arn ? "failover-audit" : NULL;
    ac.max_attempts = c->max_attempts ? atoi(c->max_attempts) : 0;
    if (c->endpoint_url) {
      for (size_t i = 0; i < sizeof services / sizeof services[0]; i++) {
        ov[i].service = services[i];
        ov[i].url = c->endpoint_url;
      }
      ac.endpoints = ov;
      ac.n_endpoints = sizeof services / sizeof services[0];
    }
  }
  if ((err = fo_aws_client_new(out, &ac)) < 0)
    return fo_err_set(err, "sides.%s: cannot set up the AWS client: %s", side ? "secondary" : "primary", fo_err_last());
  return 0;
}

static int build_side(fo_aws_client **out, const fo_audit_config *cfg, int side, const fo_clock *clock) {
  pthread_mutex_lock(&side_lock);
  side_cfg[side] = fo_audit_collector_side_cfg(cfg, side, &fo_audit_collector_aws);
  pthread_mutex_unlock(&side_lock);
  return build_client(out, cfg, side, clock, NULL, NULL);
}

int fo_audit_aws_client_in(fo_aws_client **out, const fo_audit_collect_ctx *ctx, const char *region) {
  return build_client(out, ctx->cfg, ctx->side, fo_aws_client_clock(ctx->aws), region, ctx->aws);
}

int fo_audit_aws_env_open(fo_audit_env *env, const fo_audit_config *cfg) {
  return fo_audit_aws_env_open_sides(env, cfg, NULL);
}

int fo_audit_aws_env_open_sides(fo_audit_env *env, const fo_audit_config *cfg, const int want[2]) {
  for (int side = 0; side < 2; side++) {
    int err;
    if (env->aws[side] || !(want ? want[side] : side_needs_aws(cfg, side)))
      continue;
    if ((err = build_side(&env->aws[side], cfg, side, env->clock)) < 0)
      return err;
  }
  return 0;
}

void fo_audit_aws_env_close(fo_audit_env *env, const fo_audit_env *caller) {
  for (int side = 0; side < 2; side++) {
    if (env->aws[side] && !(caller && caller->aws[side] == env->aws[side])) {
      fo_aws_client_free(env->aws[side]);
      pthread_mutex_lock(&side_lock);
      side_cfg[side] = NULL;
      pthread_mutex_unlock(&side_lock);
    }
    env->aws[side] = caller ? caller->aws[side] : NULL;
  }
}

int fo_audit_live_aws(const fo_audit_collect_ctx *ctx) {
  (void)ctx;
  return FO_AUDIT_LIVE_AWS;
}
