#include "fo_provider.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "fo_err.h"
#include "fo_log.h"

struct fo_provider {
  atomic_int refs;
  fo_provider_config cfg;
  fo_aws_endpoint_override endpoints[12]; /* borrow cfg's strings */
  fo_aws_env_fn env;                      /* test hook from the opts, for the short-deadline clients */
  size_t n_endpoints;
  fo_aws_client *aws[2]; /* [FO_SIDE_SECONDARY] borrows [FO_SIDE_PRIMARY]'s credentials */
};

const char *fo_side_name(fo_side s) {
  return s == FO_SIDE_SECONDARY ? "secondary" : "primary";
}

int fo_side_parse(const char *s, fo_side *out) {
  if (s && strcmp(s, "primary") == 0)
    *out = FO_SIDE_PRIMARY;
  else if (s && strcmp(s, "secondary") == 0)
    *out = FO_SIDE_SECONDARY;
  else
    return fo_err_set(FO_EINVAL, "'%s' is not a side: want \"primary\" or \"secondary\"", s ? s : "(null)");
  return FO_OK;
}

static void add_endpoint(fo_provider *p, const char *service, const char *url) {
  if (!url)
    return;
  p->endpoints[p->n_endpoints].service = service;
  p->endpoints[p->n_endpoints].url = url;
  p->n_endpoints++;
}

static void provider_free(fo_provider *p) {
  /* the secondary borrows the primary's credentials: free it first */
  fo_aws_client_free(p->aws[FO_SIDE_SECONDARY]);
  fo_aws_client_free(p->aws[FO_SIDE_PRIMARY]);
  fo_provider_config_dispose(&p->cfg);
  free(p);
}

static int make_clients(fo_provider *p, const fo_provider_opts *opts) {
  fo_aws_config ac;
  const fo_provider_config *c = &p->cfg;
  int error;

  add_endpoint(p, "autoscaling", c->endpoint_autoscaling);
  add_endpoint(p, "backup", c->endpoint_backup);
  add_endpoint(p, "eks", c->endpoint_eks);
  add_endpoint(p, "lambda", c->endpoint_lambda);
  add_endpoint(p, "sqs", c->endpoint_sqs);
  add_endpoint(p, "elbv2", c->endpoint_elbv2);
  add_endpoint(p, "rds", c->endpoint_rds);
  add_endpoint(p, "route53", c->endpoint_route53);
  add_endpoint(p, "s3", c->endpoint_s3);
  add_endpoint(p, "sts", c->endpoint_sts);
  memset(&ac, 0, sizeof(ac));
  ac.profile = c->profile;
  ac.assume_role_arn = c->role_arn;
  ac.assume_role_session_name = c->session_name;
  ac.assume_role_external_id = c->external_id;
  ac.endpoints = p->endpoints;
  ac.n_endpoints = p->n_endpoints;
  ac.max_attempts = (int)c->max_retries + 1; /* retries after the first attempt */
  ac.env = p->env = opts ? opts->env : NULL;
  ac.region = c->primary_region;
  if ((error = fo_aws_client_new(&p->aws[FO_SIDE_PRIMARY], &ac)) < 0)
    return error;
  ac.region = c->secondary_region;
  ac.credentials_from = p->aws[FO_SIDE_PRIMARY];
  return fo_aws_client_new(&p->aws[FO_SIDE_SECONDARY], &ac);
}

int fo_provider_new(fo_provider **out, const fo_cty_value *config, const fo_provider_opts *opts, fo_diags *d) {
  fo_provider *p;
  int error;

  *out = NULL;
  if (!(p = calloc(1, sizeof(*p))))
    return fo_err_oom();
  atomic_init(&p->refs, 1);
  if ((error = fo_provider_config_from_value(&p->cfg, config, d)) < 0 || (error = make_clients(p, opts)) < 0) {
    provider_free(p);
    return error;
  }
  FO_DEBUG("provider configured: primary %s, secondary %s, %lld retries", p->cfg.primary_region,
           p->cfg.secondary_region, (long long)p->cfg.max_retries);
  *out = p;
  return FO_OK;
}

fo_provider *fo_provider_ref(fo_provider *p) {
  if (p)
    atomic_fetch_add(&p->refs, 1);
  return p;
}

void fo_provider_unref(fo_provider *p) {
  if (p && atomic_fetch_sub(&p->refs, 1) == 1)
    provider_free(p);
}

const fo_provider_config *fo_provider_cfg(const fo_provider *p) {
  return p ? &p->cfg : NULL;
}

const char *fo_provider_region(const fo_provider *p, fo_side side) {
  if (!p)
    return side == FO_SIDE_SECONDARY ? FO_DEFAULT_SECONDARY_REGION : FO_DEFAULT_PRIMARY_REGION;
  return side == FO_SIDE_SECONDARY ? p->cfg.secondary_region : p->cfg.primary_region;
}

int fo_provider_aws_short(fo_provider *p, fo_side side, long timeout_ms, fo_aws_client **out) {
  fo_aws_config ac;
  *out = NULL;
  if (!p)
    return fo_err_set(FO_EINVAL, "the provider is not configured");
  memset(&ac, 0, sizeof(ac));
  ac.region = side == FO_SIDE_SECONDARY ? p->cfg.secondary_region : p->cfg.primary_region;
  ac.credentials_from = p->aws[FO_SIDE_PRIMARY];
  ac.endpoints = p->endpoints;
  ac.n_endpoints = p->n_endpoints;
  ac.max_attempts = (int)p->cfg.max_retries + 1;
  ac.timeout_ms = timeout_ms;
  ac.connect_timeout_ms = timeout_ms;
  ac.env = p->env;
  return fo_aws_client_new(out, &ac);
}

fo_aws_client *fo_provider_aws(fo_provider *p, fo_side side) {
  return p ? p->aws[side == FO_SIDE_SECONDARY ? 1 : 0] : NULL;
}
