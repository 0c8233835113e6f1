/* fo_aws_profile: how a profile of the shared config/credentials files gets its credentials, decided from the
 * parsed files alone (no process, request or file), so it can be fuzzed; fo_aws_creds_profile.c carries it out. */
#ifndef FO_AWS_PROFILE_H
#define FO_AWS_PROFILE_H

#include <stddef.h>

#include "fo_aws_ini.h"

#define FO_AWS_PROFILE_MAX_DEPTH 8

/* Where the first credentials come from. */
typedef enum fo_aws_profile_base {
  FO_AWS_PROFILE_STATIC,       /* aws_access_key_id + aws_secret_access_key (+ aws_session_token) */
  FO_AWS_PROFILE_PROCESS,      /* credential_process */
  FO_AWS_PROFILE_SSO,          /* sso_session / sso_start_url ... */
  FO_AWS_PROFILE_WEB_IDENTITY, /* role_arn + web_identity_token_file */
  FO_AWS_PROFILE_SOURCE_ENV,   /* credential_source = Environment */
  FO_AWS_PROFILE_SOURCE_IMDS,  /* credential_source = Ec2InstanceMetadata */
  FO_AWS_PROFILE_SOURCE_ECS    /* credential_source = EcsContainer */
} fo_aws_profile_base;

/* One STS AssumeRole on top of the credentials so far. */
typedef struct fo_aws_profile_assume {
  const char *role_arn, *session_name, *external_id;
  long duration_seconds;
  char label[48]; /* "profile:<name>" of the profile that names the role */
} fo_aws_profile_assume;

/* The resolution: the base, then `assume[0..n_assume)` in order. Strings are borrowed from the ini files. */
typedef struct fo_aws_profile_plan {
  fo_aws_profile_base base;
  char base_label[48];      /* "profile:<name>" of the profile the base comes from */
  const char *base_profile; /* its name (errors) */
  const char *access_key_id, *secret_access_key, *session_token;                         /* STATIC */
  const char *process;                                                                   /* PROCESS */
  const char *sso_start_url, *sso_region, *sso_account_id, *sso_role_name, *sso_session; /* SSO */
  const char *role_arn, *web_identity_token_file, *role_session_name;                    /* WEB_IDENTITY */
  const char *credential_source;                                                         /* SOURCE_*: as written */
  fo_aws_profile_assume assume[FO_AWS_PROFILE_MAX_DEPTH + 1];
  size_t n_assume;
  char label[48]; /* "profile:<name>" of the profile asked for: the credentials' source */
} fo_aws_profile_plan;

/* Resolve profile `name` against `config` and `credentials` (either may be NULL; the paths only name them in
 * errors). `must_exist` 0: FO_ENOTFOUND when the profile is absent or has no credentials (the implicit default);
 * else FO_EINVAL. Loops and chains deeper than FO_AWS_PROFILE_MAX_DEPTH are FO_EINVAL. */
int fo_aws_profile_resolve(fo_aws_profile_plan *plan, const fo_aws_ini *config, const fo_aws_ini *credentials,
                           const char *config_path, const char *credentials_path, const char *name, int must_exist);

#endif
