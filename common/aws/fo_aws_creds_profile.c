/* Credentials provider: the shared config and credentials files (~/.aws). */
#include "fo_aws_creds.h"
#include "fo_aws_creds_sts.h"
#include "fo_aws_ini.h"
#include "fo_aws_profile.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct profile_provider {
  fo_aws_creds_provider base;
  fo_aws_creds_ctx ctx;
  char *profile, *config_file, *credentials_file;
} profile_provider;

typedef struct profile_files {
  fo_aws_ini *config, *credentials;
  char config_path[1024], credentials_path[1024];
} profile_files;

/* Credentials from a temporary provider (credential_source, process, web identity, SSO). */
static int via(fo_aws_credentials **out, const fo_cancel *cancel, fo_aws_creds_provider *prov, int made) {
  int err = made;
  if (err == 0)
    err = fo_aws_creds_get(prov, cancel, out);
  fo_aws_creds_provider_free(prov);
  return err;
}

/* The plan's base credentials. */
static int get_base(fo_aws_credentials **out, profile_provider *p, const fo_cancel *cancel,
                    const fo_aws_profile_plan *pl) {
  fo_aws_creds_provider *tmp = NULL;
  int err;
  switch (pl->base) {
    case FO_AWS_PROFILE_STATIC:
      return fo_aws_credentials_new(out, pl->access_key_id, pl->secret_access_key, pl->session_token, 0,
                                    pl->base_label);
    case FO_AWS_PROFILE_PROCESS:
      return via(out, cancel, tmp, fo_aws_creds_process_new(&tmp, &p->ctx, pl->process, pl->base_label));
    case FO_AWS_PROFILE_SSO:
      return via(out, cancel, tmp,
                 fo_aws_creds_sso_new(&tmp, &p->ctx, pl->sso_start_url, pl->sso_region, pl->sso_account_id,
                                      pl->sso_role_name, pl->sso_session));
    case FO_AWS_PROFILE_WEB_IDENTITY:
      return via(out, cancel, tmp,
                 fo_aws_creds_web_identity_new(&tmp, &p->ctx, pl->web_identity_token_file, pl->role_arn,
                                               pl->role_session_name));
    case FO_AWS_PROFILE_SOURCE_ENV:
      err = via(out, cancel, tmp, fo_aws_creds_env_new(&tmp, &p->ctx));
      break;
    case FO_AWS_PROFILE_SOURCE_IMDS:
      err = via(out, cancel, tmp, fo_aws_creds_imds_new(&tmp, &p->ctx));
      break;
    case FO_AWS_PROFILE_SOURCE_ECS:
      err = via(out, cancel, tmp, fo_aws_creds_ecs_new(&tmp, &p->ctx));
      break;
    default:
      return fo_err_set(FO_EINVAL, "profile '%s': no credentials", pl->base_profile);
  }
  if (err == FO_ENOTFOUND)
    err = fo_err_wrap(FO_EINVAL, "profile '%s': credential_source '%s'", pl->base_profile, pl->credential_source);
  return err;
}

/* Carry a plan out: the base, then each role on the credentials so far. */
static int run_plan(fo_aws_credentials **out, profile_provider *p, const fo_cancel *cancel,
                    const fo_aws_profile_plan *pl) {
  fo_aws_credentials *cur = NULL, *next = NULL;
  size_t i;
  int err;

  *out = NULL;
  if ((err = get_base(&cur, p, cancel, pl)) < 0)
    return err;
  for (i = 0; i < pl->n_assume; i++) {
    const fo_aws_profile_assume *a = &pl->assume[i];
    err = fo_aws_creds_sts_assume(&next, &p->ctx, cancel, cur, NULL, a->role_arn, a->session_name, a->external_id,
                                  a->duration_seconds, a->label);
    fo_aws_credentials_free(cur);
    cur = next;
    next = NULL;
    if (err < 0)
      return err;
  }
  snprintf(cur->source, sizeof(cur->source), "%s", pl->label);
  *out = cur;
  return 0;
}

static int load(fo_aws_ini **out, const char *path) {
  int err = fo_aws_ini_load(out, path);
  if (err == FO_ENOTFOUND) {
    fo_err_clear();
    return 0;
  }
  return err;
}

static int profile_get(fo_aws_creds_provider *pp, const fo_cancel *cancel, fo_aws_credentials **out) {
  profile_provider *p = (profile_provider *)pp;
  const char *home = fo_aws_creds_env(&p->ctx, "HOME");
  const char *env_profile = fo_aws_creds_env(&p->ctx, "AWS_PROFILE");
  const char *name = p->profile ? p->profile : env_profile ? env_profile : "default";
  const char *v;
  fo_aws_profile_plan plan;
  profile_files f;
  int err;

  memset(&f, 0, sizeof(f));
  if (p->config_file)
    snprintf(f.config_path, sizeof(f.config_path), "%s", p->config_file);
  else if ((v = fo_aws_creds_env(&p->ctx, "AWS_CONFIG_FILE")))
    snprintf(f.config_path, sizeof(f.config_path), "%s", v);
  else
    snprintf(f.config_path, sizeof(f.config_path), "%s/.aws/config", home ? home : "");
  if (p->credentials_file)
    snprintf(f.credentials_path, sizeof(f.credentials_path), "%s", p->credentials_file);
  else if ((v = fo_aws_creds_env(&p->ctx, "AWS_SHARED_CREDENTIALS_FILE")))
    snprintf(f.credentials_path, sizeof(f.credentials_path), "%s", v);
  else
    snprintf(f.credentials_path, sizeof(f.credentials_path), "%s/.aws/credentials", home ? home : "");

  if ((err = load(&f.config, f.config_path)) < 0 || (err = load(&f.credentials, f.credentials_path)) < 0)
    goto done;
  /* A profile someone named must exist; the implicit default may be absent. */
  if ((err = fo_aws_profile_resolve(&plan, f.config, f.credentials, f.config_path, f.credentials_path, name,
                                    p->profile != NULL || env_profile != NULL)) == 0)
    err = run_plan(out, p, cancel, &plan);
done:
  fo_aws_ini_free(f.config);
  fo_aws_ini_free(f.credentials);
  return err;
}

static void profile_destroy(fo_aws_creds_provider *pp) {
  profile_provider *p = (profile_provider *)pp;
  free(p->profile);
  free(p->config_file);
  free(p->credentials_file);
  free(p);
}

static const fo_aws_creds_vtable profile_vt = {"profile", profile_get, profile_destroy};

int fo_aws_creds_profile_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx, const char *profile,
                             const char *config_file, const char *credentials_file) {
  profile_provider *p;
  *out = NULL;
  if (!(p = calloc(1, sizeof(*p))))
    return fo_err_oom();
  p->base.vt = &profile_vt;
  if (ctx)
    p->ctx = *ctx;
  p->profile = profile && *profile ? strdup(profile) : NULL;
  p->config_file = config_file && *config_file ? strdup(config_file) : NULL;
  p->credentials_file = credentials_file && *credentials_file ? strdup(credentials_file) : NULL;
  *out = &p->base;
  return 0;
}
