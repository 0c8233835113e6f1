/* fo_aws_creds: AWS credentials and the providers that find them, each one
 * small file behind one vtable, chained in the SDKs' order and cached. */
#ifndef FO_AWS_CREDS_H
#define FO_AWS_CREDS_H

#include <time.h>

#include "fo_aws_endpoint.h"
#include "fo_cancel.h"
#include "fo_clock.h"

struct fo_aws_engine;

/* One set of credentials. Owned strings, wiped on free. `expiration` 0 means
 * they do not expire. `source` names the provider ("env", "profile:dev" ...). */
typedef struct fo_aws_credentials {
  char *access_key_id;
  char *secret_access_key;
  char *session_token; /* NULL for long-term keys */
  time_t expiration;
  char source[64];
} fo_aws_credentials;

/* Copies the strings and registers them with fo_log_add_secret. */
int fo_aws_credentials_new(fo_aws_credentials **out, const char *access_key_id, const char *secret_access_key,
                           const char *session_token, time_t expiration, const char *source);
/* A copy of credentials made by fo_aws_credentials_new (already registered). */
int fo_aws_credentials_dup(fo_aws_credentials **out, const fo_aws_credentials *c);
void fo_aws_credentials_free(fo_aws_credentials *c);

typedef struct fo_aws_creds_provider fo_aws_creds_provider;

/* get: FO_ENOTFOUND when this provider is not configured here (the chain
 * then asks the next one); any other error stops the chain. `cancel` is the
 * token of the AWS call that needs the credentials (NULL: never cancelled):
 * providers that call STS or an endpoint stop when it fires. */
typedef struct fo_aws_creds_vtable {
  const char *name;
  int (*get)(fo_aws_creds_provider *p, const fo_cancel *cancel, fo_aws_credentials **out);
  void (*destroy)(fo_aws_creds_provider *p);
} fo_aws_creds_vtable;

struct fo_aws_creds_provider {
  const fo_aws_creds_vtable *vt;
};

int fo_aws_creds_get(fo_aws_creds_provider *p, const fo_cancel *cancel, fo_aws_credentials **out);
void fo_aws_creds_provider_free(fo_aws_creds_provider *p);

/* What providers that call AWS or read the environment need. Borrowed: it
 * must outlive the providers (the client owns both). */
typedef struct fo_aws_creds_ctx {
  const struct fo_aws_engine *engine; /* for STS, IMDS and ECS calls */
  const char *region;                 /* STS region; NULL: us-east-1 */
  fo_aws_env_fn env;                  /* NULL: getenv */
  const fo_clock *clock;              /* expiry checks; NULL: the system clock */
} fo_aws_creds_ctx;

const char *fo_aws_creds_env(const fo_aws_creds_ctx *ctx, const char *name);
time_t fo_aws_creds_now(const fo_aws_creds_ctx *ctx);

/* For provider files: the shape of providers that need nothing but the
 * context (env, ECS, IMDS). `vt->destroy` is fo_aws_creds_ctx_provider_destroy. */
typedef struct fo_aws_creds_ctx_provider {
  fo_aws_creds_provider base;
  fo_aws_creds_ctx ctx;
} fo_aws_creds_ctx_provider;
int fo_aws_creds_ctx_provider_new(fo_aws_creds_provider **out, const fo_aws_creds_vtable *vt,
                                  const fo_aws_creds_ctx *ctx);
void fo_aws_creds_ctx_provider_destroy(fo_aws_creds_provider *p);

/* --- the providers, in the SDKs' default order --- */

/* Fixed keys (provider configuration / CLI flags). */
int fo_aws_creds_static_new(fo_aws_creds_provider **out, const char *access_key_id, const char *secret_access_key,
                            const char *session_token);
/* AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN. */
int fo_aws_creds_env_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx);
/* STS AssumeRoleWithWebIdentity with a token file. NULL arguments are taken
 * from AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME. */
int fo_aws_creds_web_identity_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx, const char *token_file,
                                  const char *role_arn, const char *session_name);
/* Shared config/credentials files: static keys, role_arn + source_profile or
 * credential_source (STS AssumeRole), web_identity_token_file,
 * credential_process. `profile` NULL: AWS_PROFILE, then "default"; files
 * NULL: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, then ~/.aws/. */
int fo_aws_creds_profile_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx, const char *profile,
                             const char *config_file, const char *credentials_file);
/* credential_process: run `command` (sh -c), read its JSON (Version 1). */
int fo_aws_creds_process_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx, const char *command,
                             const char *source);
/* ECS/EKS container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or
 * _FULL_URI (+ AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]). */
int fo_aws_creds_ecs_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx);
/* EC2 instance metadata, IMDSv2 (token first). AWS_EC2_METADATA_SERVICE_ENDPOINT
 * overrides the address; AWS_EC2_METADATA_DISABLED=true turns it off. */
int fo_aws_creds_imds_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx);
/* IAM Identity Center (SSO): the token `aws sso login` cached under
 * ~/.aws/sso/cache/<sha1(session name or start URL)>.json, exchanged for role
 * credentials with the portal's GetRoleCredentials. `session_name` may be
 * NULL (legacy profiles with sso_start_url). */
int fo_aws_creds_sso_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx, const char *start_url,
                         const char *sso_region, const char *account_id, const char *role_name,
                         const char *session_name);
/* STS AssumeRole with credentials from `source` (taken over, freed with this). */
int fo_aws_creds_assume_role_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx,
                                 fo_aws_creds_provider *source, const char *role_arn, const char *session_name,
                                 const char *external_id, long duration_seconds);

/* Ask `providers` in order; FO_ENOTFOUND moves on. Takes ownership of the
 * providers (even on failure). */
int fo_aws_creds_chain_new(fo_aws_creds_provider **out, fo_aws_creds_provider **providers, size_t n);
/* Cache `inner` (taken over): hand out copies until `refresh_seconds` before
 * expiry, then fetch again; one fetch at a time across threads. */
int fo_aws_creds_cache_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx, fo_aws_creds_provider *inner,
                           long refresh_seconds);

/* The SDK default chain (explicit keys when given, env, web identity,
 * profile, ECS, IMDS), cached. */
int fo_aws_creds_default_chain_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx, const char *access_key_id,
                                   const char *secret_access_key, const char *session_token, const char *profile,
                                   const char *config_file, const char *credentials_file);

#endif
