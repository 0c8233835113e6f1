#include "fo_provider_config.h"

#include <stdlib.h>
#include <string.h>

#include "fo_err.h"
#include "fo_log.h"
#include "fo_validators.h"

static const size_t session_len[2] = {2, 64};
static const size_t external_id_len[2] = {2, 1224};
static const size_t profile_len[2] = {1, 256};
static const int64_t retries_range[2] = {0, 25};

static void validate_session_name(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d) {
  const char *s = fo_cty_as_string(v, NULL);
  (void)arg;
  for (const char *p = s; p && *p; p++) {
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("_+=,.@-", *p))) {
      fo_diags_error(d, path, "Invalid session name", "'%s' contains '%c'; use letters, digits and _+=,.@- only", s,
                     *p);
      return;
    }
  }
}

#define ENDPOINT(n, svc)                                                                                   \
  {                                                                                                        \
    .name = n, .type = "\"string\"", .flags = FO_ATTR_OPTIONAL,                                            \
    .description = "Custom endpoint URL for the AWS " svc " API (e.g. a local emulator).", .validators = { \
      {fo_validate_url, NULL}                                                                              \
    }                                                                                                      \
  }

static const fo_attr endpoint_attrs[] = {
    ENDPOINT("autoscaling", "Auto Scaling"),
    ENDPOINT("backup", "Backup"),
    ENDPOINT("eks", "EKS"),
    ENDPOINT("elbv2", "Elastic Load Balancing v2"),
    ENDPOINT("rds", "RDS"),
    ENDPOINT("lambda", "Lambda"),
    ENDPOINT("sqs", "SQS"),
    ENDPOINT("route53", "Route 53"),
    ENDPOINT("s3", "S3"),
    ENDPOINT("sts", "STS"),
};
static const fo_block endpoints_block = {
    .attrs = endpoint_attrs,
    .n_attrs = FO_COUNT(endpoint_attrs),
    .description = "Per-service endpoint overrides (URLs).",
};

static const fo_attr assume_role_attrs[] = {
    {.name = "role_arn",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "ARN of the IAM role to assume, e.g. arn:aws:iam::123456789012:role/failover.",
     .validators = {{fo_validate_role_arn, NULL}}},
    {.name = "session_name",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL,
     .description = "Session name for the assumed role (2-64 characters of [A-Za-z0-9_+=,.@-]).",
     .validators = {{fo_validate_length, session_len}, {validate_session_name, NULL}}},
    {.name = "external_id",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_SENSITIVE,
     .description = "External ID the role's trust policy requires.",
     .validators = {{fo_validate_length, external_id_len}}},
};
static const fo_block assume_role_block = {
    .attrs = assume_role_attrs,
    .n_attrs = FO_COUNT(assume_role_attrs),
    .description = "Assume this IAM role (in both regions) before calling AWS.",
};

static const fo_attr provider_attrs[] = {
    {.name = "primary_region",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL,
     .description = "AWS region that is active in normal operation. Default: us-east-1.",
     .markdown = "AWS region that is active in normal operation. Default: `us-east-1`.",
     .validators = {{fo_validate_region, NULL}}},
    {.name = "secondary_region",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL,
     .description = "AWS region that takes over on failover; must differ from primary_region. Default: us-east-2.",
     .markdown = "AWS region that takes over on failover; must differ from `primary_region`. Default: `us-east-2`.",
     .validators = {{fo_validate_region, NULL}}},
    {.name = "profile",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL,
     .description = "Named profile from the shared AWS config and credentials files.",
     .validators = {{fo_validate_length, profile_len}}},
    {.name = "max_retries",
     .type = "\"number\"",
     .flags = FO_ATTR_OPTIONAL,
     .description = "Maximum number of retries of a failed AWS API call (0-25). Default: 3.",
     .markdown = "Maximum number of retries of a failed AWS API call (`0`-`25`). Default: `3`.",
     .validators = {{fo_validate_int_range, retries_range}}},
};

static const fo_block_type provider_blocks[] = {
    {.type_name = "assume_role", .nesting = FO_NEST_SINGLE, .block = &assume_role_block, .max_items = 1},
    {.type_name = "endpoints", .nesting = FO_NEST_SINGLE, .block = &endpoints_block, .max_items = 1},
};

static const fo_schema provider_schema = {
    .version = 0,
    .block =
        {
            .attrs = provider_attrs,
            .n_attrs = FO_COUNT(provider_attrs),
            .blocks = provider_blocks,
            .n_blocks = FO_COUNT(provider_blocks),
            .description = "The failover provider manages two-region AWS disaster recovery.",
            .markdown = "The `failover` provider manages two-region AWS disaster recovery: which region is "
                        "active, Route 53 weights, pilot-light capacity and backup copies.",
        },
};

const fo_schema *fo_provider_schema(void) {
  return &provider_schema;
}

/* A known, non-null string attribute of `obj`, else NULL. */
static const char *str_attr(const fo_cty_value *obj, const char *name) {
  const fo_cty_value *v;
  if (!obj || fo_cty_is_null(obj) || !fo_cty_is_known(obj))
    return NULL;
  v = fo_cty_get_attr(obj, name);
  if (!v || fo_cty_is_null(v) || !fo_cty_is_known(v) || fo_cty_value_kind(v) != FO_CTY_STRING)
    return NULL;
  return fo_cty_as_string(v, NULL);
}

void fo_provider_config_validate(const fo_cty_value *config, fo_diags *d) {
  const char *p, *s;
  const fo_cty_value *pv, *sv;
  fo_schema_validate(&provider_schema.block, config, d);
  if (!config || fo_cty_is_null(config) || !fo_cty_is_known(config))
    return;
  pv = fo_cty_get_attr(config, "primary_region");
  sv = fo_cty_get_attr(config, "secondary_region");
  if ((pv && !fo_cty_is_known(pv)) || (sv && !fo_cty_is_known(sv)))
    return; /* decided later, when known */
  p = str_attr(config, "primary_region");
  s = str_attr(config, "secondary_region");
  if (!p)
    p = FO_DEFAULT_PRIMARY_REGION;
  if (!s)
    s = FO_DEFAULT_SECONDARY_REGION;
  if (strcmp(p, s) == 0)
    fo_diags_attr_error(d, "secondary_region", "Regions must differ",
                        "primary_region and secondary_region are both '%s'; disaster recovery needs two regions", p);
}

/* ---- the configuration snapshot ---------------------------------------------- */

static int dup_into(char **dst, const char *src) {
  *dst = NULL;
  if (!src)
    return FO_OK;
  if (!(*dst = strdup(src)))
    return fo_err_oom();
  return FO_OK;
}

static void wipe_free(char *s) {
  if (!s)
    return;
  /* volatile keeps the wipe from being optimised away */
  for (volatile char *p = s; *p; p++)
    *p = 0;
  free(s);
}

void fo_provider_config_dispose(fo_provider_config *c) {
  if (!c)
    return;
  free(c->primary_region);
  free(c->secondary_region);
  free(c->profile);
  free(c->role_arn);
  free(c->session_name);
  wipe_free(c->external_id);
  free(c->endpoint_route53);
  free(c->endpoint_eks);
  free(c->endpoint_backup);
  free(c->endpoint_autoscaling);
  free(c->endpoint_sts);
  free(c->endpoint_s3);
  free(c->endpoint_elbv2);
  free(c->endpoint_rds);
  free(c->endpoint_lambda);
  free(c->endpoint_sqs);
  memset(c, 0, sizeof(*c));
}

static int copy_config(fo_provider_config *out, const fo_provider_config *in) {
  int error = 0;
  memset(out, 0, sizeof(*out));
  error |= dup_into(&out->primary_region, in->primary_region ? in->primary_region : FO_DEFAULT_PRIMARY_REGION);
  error |= dup_into(&out->secondary_region, in->secondary_region ? in->secondary_region : FO_DEFAULT_SECONDARY_REGION);
  error |= dup_into(&out->profile, in->profile);
  error |= dup_into(&out->role_arn, in->role_arn);
  error |= dup_into(&out->session_name, in->session_name);
  error |= dup_into(&out->external_id, in->external_id);
  error |= dup_into(&out->endpoint_route53, in->endpoint_route53);
  error |= dup_into(&out->endpoint_eks, in->endpoint_eks);
  error |= dup_into(&out->endpoint_backup, in->endpoint_backup);
  error |= dup_into(&out->endpoint_autoscaling, in->endpoint_autoscaling);
  error |= dup_into(&out->endpoint_sts, in->endpoint_sts);
  error |= dup_into(&out->endpoint_s3, in->endpoint_s3);
  error |= dup_into(&out->endpoint_elbv2, in->endpoint_elbv2);
  error |= dup_into(&out->endpoint_rds, in->endpoint_rds);
  error |= dup_into(&out->endpoint_lambda, in->endpoint_lambda);
  error |= dup_into(&out->endpoint_sqs, in->endpoint_sqs);
  out->max_retries = in->max_retries;
  out->unknown_values = in->unknown_values;
  if (error) {
    fo_provider_config_dispose(out);
    return fo_err_oom();
  }
  return FO_OK;
}

static int from_value(fo_provider_config *c, const fo_cty_value *config) {
  fo_provider_config tmp;
  const fo_cty_value *ar = NULL, *ep = NULL, *mr = NULL;
  int64_t retries = FO_DEFAULT_MAX_RETRIES;

  memset(&tmp, 0, sizeof(tmp));
  if (config && !fo_cty_is_null(config) && fo_cty_is_known(config)) {
    ar = fo_cty_get_attr(config, "assume_role");
    ep = fo_cty_get_attr(config, "endpoints");
    mr = fo_cty_get_attr(config, "max_retries");
    tmp.unknown_values = !fo_cty_is_wholly_known(config);
  }
  if (mr && !fo_cty_is_null(mr) && fo_cty_is_known(mr))
    fo_cty_number_as_int64(mr, &retries);
  tmp.primary_region = (char *)str_attr(config, "primary_region");
  tmp.secondary_region = (char *)str_attr(config, "secondary_region");
  tmp.profile = (char *)str_attr(config, "profile");
  tmp.role_arn = (char *)str_attr(ar, "role_arn");
  tmp.session_name = (char *)str_attr(ar, "session_name");
  tmp.external_id = (char *)str_attr(ar, "external_id");
  tmp.endpoint_route53 = (char *)str_attr(ep, "route53");
  tmp.endpoint_eks = (char *)str_attr(ep, "eks");
  tmp.endpoint_backup = (char *)str_attr(ep, "backup");
  tmp.endpoint_autoscaling = (char *)str_attr(ep, "autoscaling");
  tmp.endpoint_sts = (char *)str_attr(ep, "sts");
  tmp.endpoint_s3 = (char *)str_attr(ep, "s3");
  tmp.endpoint_elbv2 = (char *)str_attr(ep, "elbv2");
  tmp.endpoint_rds = (char *)str_attr(ep, "rds");
  tmp.endpoint_lambda = (char *)str_attr(ep, "lambda");
  tmp.endpoint_sqs = (char *)str_attr(ep, "sqs");
  tmp.max_retries = retries;
  return copy_config(c, &tmp); /* tmp only borrows strings from `config` */
}

int fo_provider_config_from_value(fo_provider_config *out, const fo_cty_value *config, fo_diags *d) {
  int error;
  memset(out, 0, sizeof(*out));
  fo_provider_config_validate(config, d);
  if (fo_diags_has_error(d))
    return FO_EINVAL;
  if ((error = from_value(out, config)) < 0)
    return error;
  if (out->external_id)
    fo_log_add_secret(out->external_id);
  return FO_OK;
}

int fo_provider_config_defaults(fo_provider_config *out) {
  fo_provider_config defaults;
  memset(&defaults, 0, sizeof(defaults));
  defaults.max_retries = FO_DEFAULT_MAX_RETRIES;
  return copy_config(out, &defaults);
}
