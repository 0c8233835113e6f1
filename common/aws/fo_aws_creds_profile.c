/* Credentials provider: the shared config and credentials files (~/.aws). */
#include "fo_aws_creds.h"
#include "fo_aws_creds_sts.h"
#include "fo_aws_ini.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PROFILE_MAX_DEPTH 8

typedef struct profile_provider {
  fo_aws_creds_provider base;
  fo_aws_creds_ctx ctx;
  char *profile, *config_file, *credentials_file;
} profile_provider;

typedef struct profile_files {
  fo_aws_ini *config, *credentials;
  char config_path[1024], credentials_path[1024];
} profile_files;

static const char *pget(const profile_files *f, const char *name, const char *key) {
  const char *v = fo_aws_ini_get(f->credentials, name, key);
  return v ? v : fo_aws_ini_config_get(f->config, name, key);
}

static int profile_exists(const profile_files *f, const char *name) {
  char sec[300];
  snprintf(sec, sizeof(sec), "profile %s", name);
  return fo_aws_ini_has_section(f->credentials, name) || fo_aws_ini_has_section(f->config, sec) ||
         (strcmp(name, "default") == 0 && fo_aws_ini_has_section(f->config, "default"));
}

/* Credentials from a temporary provider (credential_source, process, web identity). */
static int via(fo_aws_credentials **out, const fo_cancel *cancel, fo_aws_creds_provider *prov, int made) {
  int err = made;
  if (err == 0)
    err = fo_aws_creds_get(prov, cancel, out);
  fo_aws_creds_provider_free(prov);
  return err;
}

static int resolve(fo_aws_credentials **out, profile_provider *p, const fo_cancel *cancel, const profile_files *f,
                   const char *name, int depth, int must_exist) {
  fo_aws_creds_provider *tmp = NULL;
  fo_aws_credentials *src = NULL;
  const char *role, *ak, *sk, *proc, *srcp, *csrc, *wif;
  char label[48];
  int err;

  if (depth > PROFILE_MAX_DEPTH)
    return fo_err_set(FO_EINVAL, "profile '%s': source_profile chain is longer than %d (a loop?)", name,
                      PROFILE_MAX_DEPTH);
  if (!profile_exists(f, name)) {
    if (!must_exist)
      return fo_err_set(FO_ENOTFOUND, "no profile '%s' in '%s' or '%s'", name, f->config_path, f->credentials_path);
    return fo_err_set(FO_EINVAL, "profile '%s' not found in '%s' or '%s'", name, f->config_path, f->credentials_path);
  }
  snprintf(label, sizeof(label), "profile:%.39s", name);
  role = pget(f, name, "role_arn");
  ak = pget(f, name, "aws_access_key_id");
  sk = pget(f, name, "aws_secret_access_key");
  proc = pget(f, name, "credential_process");
  srcp = pget(f, name, "source_profile");
  csrc = pget(f, name, "credential_source");
  wif = pget(f, name, "web_identity_token_file");

  if (role) {
    const char *dur = pget(f, name, "duration_seconds");
    long duration = dur ? strtol(dur, NULL, 10) : 0;
    if (wif && !srcp) {
      err = via(out, cancel, tmp,
                fo_aws_creds_web_identity_new(&tmp, &p->ctx, wif, role, pget(f, name, "role_session_name")));
      goto done;
    }
    if (srcp && strcmp(srcp, name) == 0) {
      /* a profile that is its own source uses its static keys */
      if (!ak || !sk)
        return fo_err_set(FO_EINVAL, "profile '%s' is its own source_profile but has no keys", name);
      err = fo_aws_credentials_new(&src, ak, sk, pget(f, name, "aws_session_token"), 0, label);
    } else if (srcp) {
      err = resolve(&src, p, cancel, f, srcp, depth + 1, 1);
    } else if (csrc) {
      if (strcasecmp(csrc, "Environment") == 0)
        err = via(&src, cancel, tmp, fo_aws_creds_env_new(&tmp, &p->ctx));
      else if (strcasecmp(csrc, "Ec2InstanceMetadata") == 0)
        err = via(&src, cancel, tmp, fo_aws_creds_imds_new(&tmp, &p->ctx));
      else if (strcasecmp(csrc, "EcsContainer") == 0)
        err = via(&src, cancel, tmp, fo_aws_creds_ecs_new(&tmp, &p->ctx));
      else
        return fo_err_set(FO_EINVAL, "profile '%s': unknown credential_source '%s'", name, csrc);
      if (err == FO_ENOTFOUND)
        err = fo_err_wrap(FO_EINVAL, "profile '%s': credential_source '%s'", name, csrc);
    } else {
      return fo_err_set(FO_EINVAL,
                        "profile '%s' has role_arn but no source_profile, credential_source "
                        "or web_identity_token_file",
                        name);
    }
    if (err < 0)
      goto done;
    err = fo_aws_creds_sts_assume(out, &p->ctx, cancel, src, NULL, role, pget(f, name, "role_session_name"),
                                  pget(f, name, "external_id"), duration, label);
  } else if (pget(f, name, "sso_account_id") || pget(f, name, "sso_session")) {
    /* sso_session points at an [sso-session x] section in the config file;
     * legacy profiles carry sso_start_url / sso_region themselves */
    const char *sess = pget(f, name, "sso_session");
    char sec[300];
    const char *url = pget(f, name, "sso_start_url"), *reg = pget(f, name, "sso_region");
    if (sess) {
      snprintf(sec, sizeof(sec), "sso-session %s", sess);
      if (!fo_aws_ini_has_section(f->config, sec))
        return fo_err_set(FO_EINVAL, "profile '%s': sso_session '%s' has no [sso-session %s] section", name, sess,
                          sess);
      url = fo_aws_ini_get(f->config, sec, "sso_start_url");
      reg = fo_aws_ini_get(f->config, sec, "sso_region");
    }
    err = via(out, cancel, tmp,
              fo_aws_creds_sso_new(&tmp, &p->ctx, url, reg, pget(f, name, "sso_account_id"),
                                   pget(f, name, "sso_role_name"), sess));
  } else if (proc) {
    err = via(out, cancel, tmp, fo_aws_creds_process_new(&tmp, &p->ctx, proc, label));
  } else if (ak && sk) {
    err = fo_aws_credentials_new(out, ak, sk, pget(f, name, "aws_session_token"), 0, label);
  } else if (ak || sk) {
    return fo_err_set(FO_EINVAL, "profile '%s' has only one of aws_access_key_id and aws_secret_access_key", name);
  } else if (!must_exist) {
    return fo_err_set(FO_ENOTFOUND, "profile '%s' has no credentials", name);
  } else {
    return fo_err_set(FO_EINVAL, "profile '%s' has no credentials (keys, role_arn or credential_process)", name);
  }
done:
  fo_aws_credentials_free(src);
  if (err == 0)
    snprintf((*out)->source, sizeof((*out)->source), "%s", label);
  return err;
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
  err = resolve(out, p, cancel, &f, name, 0, p->profile != NULL || env_profile != NULL);
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
