/* Service table and endpoint resolution (standard, config, AWS_ENDPOINT_URL*). */
#include "fo_aws_endpoint.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const fo_aws_service fo_aws_svc_sts = {"sts", "STS", "sts", "sts", NULL, NULL, "2011-06-15", FO_AWS_PROTO_QUERY};
const fo_aws_service fo_aws_svc_route53 = {
    "route53",    "ROUTE_53",           "route53", "route53", "route53.amazonaws.com", "us-east-1",
    "2013-04-01", FO_AWS_PROTO_REST_XML};
const fo_aws_service fo_aws_svc_eks = {"eks", "EKS", "eks", "eks", NULL, NULL, "2017-11-01", FO_AWS_PROTO_REST_JSON};
const fo_aws_service fo_aws_svc_backup = {"backup", "BACKUP", "backup",     "backup",
                                          NULL,     NULL,     "2018-11-15", FO_AWS_PROTO_REST_JSON};
const fo_aws_service fo_aws_svc_autoscaling = {"autoscaling", "AUTO_SCALING", "autoscaling", "autoscaling",
                                               NULL,          NULL,           "2011-01-01",  FO_AWS_PROTO_QUERY};
const fo_aws_service fo_aws_svc_s3 = {"s3", "S3", "s3", "s3", NULL, NULL, "2006-03-01", FO_AWS_PROTO_REST_XML};
const fo_aws_service fo_aws_svc_elbv2 = {
    "elbv2",      "ELASTIC_LOAD_BALANCING_V2", "elasticloadbalancing", "elasticloadbalancing", NULL, NULL,
    "2015-12-01", FO_AWS_PROTO_QUERY};

const fo_aws_service fo_aws_svc_rds = {"rds", "RDS", "rds", "rds", NULL, NULL, "2014-10-31", FO_AWS_PROTO_QUERY};
const fo_aws_service fo_aws_svc_sqs = {"sqs", "SQS", "sqs", "sqs", NULL, NULL, "2012-11-05", FO_AWS_PROTO_QUERY};
const fo_aws_service fo_aws_svc_lambda = {"lambda", "LAMBDA", "lambda",     "lambda",
                                          NULL,     NULL,     "2015-03-31", FO_AWS_PROTO_REST_JSON};
const fo_aws_service fo_aws_svc_cloudwatch = {"cloudwatch", "CLOUDWATCH", "monitoring", "monitoring",
                                              NULL,         NULL,         "2010-08-01", FO_AWS_PROTO_QUERY};

const fo_aws_service fo_aws_svc_sso = {"sso", "SSO", "awsssoportal", "portal.sso",
                                       NULL,  NULL,  "2019-06-10",   FO_AWS_PROTO_REST_JSON};

static const fo_aws_service *const all_services[] = {&fo_aws_svc_sts,
                                                     &fo_aws_svc_route53,
                                                     &fo_aws_svc_eks,
                                                     &fo_aws_svc_backup,
                                                     &fo_aws_svc_autoscaling,
                                                     &fo_aws_svc_s3,
                                                     &fo_aws_svc_elbv2,
                                                     &fo_aws_svc_rds,
                                                     &fo_aws_svc_sqs,
                                                     &fo_aws_svc_lambda,
                                                     &fo_aws_svc_cloudwatch,
                                                     &fo_aws_svc_sso,
                                                     NULL};

const fo_aws_service *fo_aws_service_find(const char *id) {
  size_t i;
  for (i = 0; id && all_services[i]; i++)
    if (strcasecmp(all_services[i]->id, id) == 0)
      return all_services[i];
  return NULL;
}

/* getenv returns char *; the hook type is const. */
static const char *sys_env(const char *name) {
  return getenv(name);
}

static int set_url(fo_aws_endpoint *out, const char *url, const char *what) {
  size_t n = strlen(url);
  if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
    return fo_err_set(FO_EINVAL, "endpoint '%s' from %s is not an http(s) URL", url, what);
  while (n > 0 && url[n - 1] == '/')
    n--;
  if (n >= sizeof(out->url))
    return fo_err_set(FO_EINVAL, "endpoint from %s is too long", what);
  memcpy(out->url, url, n);
  out->url[n] = '\0';
  out->overridden = 1;
  return 0;
}

int fo_aws_endpoint_resolve(fo_aws_endpoint *out, const fo_aws_service *svc, const char *region,
                            const fo_aws_endpoint_override *overrides, size_t n_overrides, fo_aws_env_fn env) {
  const char *ignore, *v;
  char name[96];
  size_t i;
  int china;

  memset(out, 0, sizeof(*out));
  if (!env)
    env = sys_env;
  if (!svc)
    return fo_err_set(FO_EINVAL, "no service to resolve an endpoint for");
  if (!region || !*region) {
    if (!svc->global_host)
      return fo_err_set(FO_EINVAL, "no region set for service '%s' (set region or AWS_REGION)", svc->id);
    region = "us-east-1";
  }
  if (strlen(region) >= sizeof(out->signing_region) ||
      strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(region))
    return fo_err_set(FO_EINVAL, "bad region '%.64s'", region);
  china = strncmp(region, "cn-", 3) == 0;
  snprintf(out->signing_region, sizeof(out->signing_region), "%s",
           svc->global_host ? (china ? "cn-northwest-1" : svc->global_region) : region);

  for (i = 0; i < n_overrides; i++)
    if (overrides[i].service && overrides[i].url && *overrides[i].url && strcasecmp(overrides[i].service, svc->id) == 0)
      return set_url(out, overrides[i].url, "the provider configuration");

  ignore = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  if (!(ignore && strcasecmp(ignore, "true") == 0)) {
    snprintf(name, sizeof(name), "AWS_ENDPOINT_URL_%s", svc->sdk_env_id);
    if ((v = env(name)) && *v)
      return set_url(out, v, name);
    if ((v = env("AWS_ENDPOINT_URL")) && *v)
      return set_url(out, v, "AWS_ENDPOINT_URL");
  }

  if (svc->global_host) {
    snprintf(out->url, sizeof(out->url), "https://%s%s", svc->global_host, china ? ".cn" : "");
  } else {
    snprintf(out->url, sizeof(out->url), "https://%s.%s.amazonaws.com%s", svc->prefix, region, china ? ".cn" : "");
  }
  return 0;
}
