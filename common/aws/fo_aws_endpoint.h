/* fo_aws_endpoint: which AWS services we call, with which protocol, and the URL
 * and signing region for one service in one region (standard or overridden). */
#ifndef FO_AWS_ENDPOINT_H
#define FO_AWS_ENDPOINT_H

#include <stddef.h>

typedef enum {
  FO_AWS_PROTO_QUERY,    /* form-encoded POST, XML response (STS, Auto Scaling, ELBv2) */
  FO_AWS_PROTO_REST_XML, /* REST paths, XML bodies (Route53, S3) */
  FO_AWS_PROTO_REST_JSON /* REST paths, JSON bodies (EKS, Backup) */
} fo_aws_protocol;

/* A service as the SDKs describe it. */
typedef struct fo_aws_service {
  const char *id;            /* our config key, lower case: "route53", "eks" ... */
  const char *sdk_env_id;    /* AWS_ENDPOINT_URL_<this>: "ROUTE_53", "EKS" ... */
  const char *signing_name;  /* SigV4 service name */
  const char *prefix;        /* host prefix: <prefix>.<region>.amazonaws.com */
  const char *global_host;   /* non-NULL for global services (Route53) */
  const char *global_region; /* their signing region */
  const char *api_version;   /* query protocol Version= */
  fo_aws_protocol protocol;
} fo_aws_service;

extern const fo_aws_service fo_aws_svc_sts;
extern const fo_aws_service fo_aws_svc_route53;
extern const fo_aws_service fo_aws_svc_eks;
extern const fo_aws_service fo_aws_svc_backup;
extern const fo_aws_service fo_aws_svc_autoscaling;
extern const fo_aws_service fo_aws_svc_s3;
extern const fo_aws_service fo_aws_svc_elbv2;
extern const fo_aws_service fo_aws_svc_rds;
extern const fo_aws_service fo_aws_svc_sqs;
extern const fo_aws_service fo_aws_svc_lambda;
extern const fo_aws_service fo_aws_svc_cloudwatch; /* "monitoring" */
extern const fo_aws_service fo_aws_svc_sso;        /* IAM Identity Center portal (credentials only) */

/* The service with config key `id`, or NULL. */
const fo_aws_service *fo_aws_service_find(const char *id);

/* One configured endpoint override ("route53" -> "http://127.0.0.1:5000"). */
typedef struct fo_aws_endpoint_override {
  const char *service;
  const char *url;
} fo_aws_endpoint_override;

/* Environment lookup, injectable for tests (getenv when NULL). */
typedef const char *(*fo_aws_env_fn)(const char *name);

typedef struct fo_aws_endpoint {
  char url[512]; /* scheme://host[:port][/base], no trailing slash */
  char signing_region[64];
  int overridden; /* 1 when from config or environment: S3 goes path-style */
} fo_aws_endpoint;

/* Resolve like the SDKs: the service's entry in `overrides`, then
 * AWS_ENDPOINT_URL_<SVC>, then AWS_ENDPOINT_URL (both ignored when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true), then the standard endpoint
 * (https://<prefix>.<region>.amazonaws.com, .amazonaws.com.cn in China;
 * the global host for Route53, signed for us-east-1 / cn-northwest-1). */
int fo_aws_endpoint_resolve(fo_aws_endpoint *out, const fo_aws_service *svc, const char *region,
                            const fo_aws_endpoint_override *overrides, size_t n_overrides, fo_aws_env_fn env);

#endif
