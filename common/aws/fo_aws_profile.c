/* Profile resolution on the parsed shared files: which base credentials, which roles on top (fo_aws_profile.h). */
#include "fo_aws_profile.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct files {
  const fo_aws_ini *config, *credentials;
  const char *config_path, *credentials_path;
} files;

static const char *pget(const files *f, const char *name, const char *key) {
  const char *v = fo_aws_ini_get(f->credentials, name, key);
  return v ? v : fo_aws_ini_config_get(f->config, name, key);
}

static int profile_exists(const files *f, const char *name) {
  char sec[300];
  snprintf(sec, sizeof(sec), "profile %s", name);
  return fo_aws_ini_has_section(f->credentials, name) || fo_aws_ini_has_section(f->config, sec) ||
         (strcmp(name, "default") == 0 && fo_aws_ini_has_section(f->config, "default"));
}

static void set_base(fo_aws_profile_plan *plan, fo_aws_profile_base base, const char *name) {
  plan->base = base;
  plan->base_profile = name;
  snprintf(plan->base_label, sizeof(plan->base_label), "profile:%.39s", name);
}

/* The roles are found outermost first; they are applied innermost first, so each level appends after its
 * source has been resolved. */
static int resolve(fo_aws_profile_plan *plan, const files *f, const char *name, int depth, int must_exist) {
  const char *role, *ak, *sk, *proc, *srcp, *csrc, *wif;
  fo_aws_profile_assume *a;
  int err;

  if (depth > FO_AWS_PROFILE_MAX_DEPTH)
    return fo_err_set(FO_EINVAL, "profile '%s': source_profile chain is longer than %d (a loop?)", name,
                      FO_AWS_PROFILE_MAX_DEPTH);
  if (!profile_exists(f, name)) {
    if (!must_exist)
      return fo_err_set(FO_ENOTFOUND, "no profile '%s' in '%s' or '%s'", name, f->config_path, f->credentials_path);
    return fo_err_set(FO_EINVAL, "profile '%s' not found in '%s' or '%s'", name, f->config_path, f->credentials_path);
  }
  role = pget(f, name, "role_arn");
  ak = pget(f, name, "aws_access_key_id");
  sk = pget(f, name, "aws_secret_access_key");
  proc = pget(f, name, "credential_process");
  srcp = pget(f, name, "source_profile");
  csrc = pget(f, name, "credential_source");
  wif = pget(f, name, "web_identity_token_file");

  if (role) {
    const char *dur = pget(f, name, "duration_seconds");
    if (wif && !srcp) {
      set_base(plan, FO_AWS_PROFILE_WEB_IDENTITY, name);
      plan->role_arn = role;
      plan->web_identity_token_file = wif;
      plan->role_session_name = pget(f, name, "role_session_name");
      return 0;
    }
    if (srcp && strcmp(srcp, name) == 0) {
      /* a profile that is its own source uses its static keys */
      if (!ak || !sk)
        return fo_err_set(FO_EINVAL, "profile '%s' is its own source_profile but has no keys", name);
      set_base(plan, FO_AWS_PROFILE_STATIC, name);
      plan->access_key_id = ak;
      plan->secret_access_key = sk;
      plan->session_token = pget(f, name, "aws_session_token");
    } else if (srcp) {
      if ((err = resolve(plan, f, srcp, depth + 1, 1)) < 0)
        return err;
    } else if (csrc) {
      if (strcasecmp(csrc, "Environment") == 0)
        set_base(plan, FO_AWS_PROFILE_SOURCE_ENV, name);
      else if (strcasecmp(csrc, "Ec2InstanceMetadata") == 0)
        set_base(plan, FO_AWS_PROFILE_SOURCE_IMDS, name);
      else if (strcasecmp(csrc, "EcsContainer") == 0)
        set_base(plan, FO_AWS_PROFILE_SOURCE_ECS, name);
      else
        return fo_err_set(FO_EINVAL, "profile '%s': unknown credential_source '%s'", name, csrc);
      plan->credential_source = csrc;
    } else {
      return fo_err_set(FO_EINVAL,
                        "profile '%s' has role_arn but no source_profile, credential_source "
                        "or web_identity_token_file",
                        name);
    }
    if (plan->n_assume >= sizeof(plan->assume) / sizeof(plan->assume[0]))
      return fo_err_set(FO_EINVAL, "profile '%s': more than %d roles in a chain", name, FO_AWS_PROFILE_MAX_DEPTH);
    a = &plan->assume[plan->n_assume++];
    a->role_arn = role;
    a->session_name = pget(f, name, "role_session_name");
    a->external_id = pget(f, name, "external_id");
    a->duration_seconds = dur ? strtol(dur, NULL, 10) : 0;
    snprintf(a->label, sizeof(a->label), "profile:%.39s", name);
    return 0;
  }
  if (pget(f, name, "sso_account_id") || pget(f, name, "sso_session")) {
    /* sso_session points at an [sso-session x] section in the config file; legacy profiles carry
     * sso_start_url / sso_region themselves */
    const char *sess = pget(f, name, "sso_session");
    set_base(plan, FO_AWS_PROFILE_SSO, name);
    plan->sso_start_url = pget(f, name, "sso_start_url");
    plan->sso_region = pget(f, name, "sso_region");
    if (sess) {
      char sec[300];
      snprintf(sec, sizeof(sec), "sso-session %s", sess);
      if (!fo_aws_ini_has_section(f->config, sec))
        return fo_err_set(FO_EINVAL, "profile '%s': sso_session '%s' has no [sso-session %s] section", name, sess,
                          sess);
      plan->sso_start_url = fo_aws_ini_get(f->config, sec, "sso_start_url");
      plan->sso_region = fo_aws_ini_get(f->config, sec, "sso_region");
    }
    plan->sso_session = sess;
    plan->sso_account_id = pget(f, name, "sso_account_id");
    plan->sso_role_name = pget(f, name, "sso_role_name");
    return 0;
  }
  if (proc) {
    set_base(plan, FO_AWS_PROFILE_PROCESS, name);
    plan->process = proc;
    return 0;
  }
  if (ak && sk) {
    set_base(plan, FO_AWS_PROFILE_STATIC, name);
    plan->access_key_id = ak;
    plan->secret_access_key = sk;
    plan->session_token = pget(f, name, "aws_session_token");
    return 0;
  }
  if (ak || sk)
    return fo_err_set(FO_EINVAL, "profile '%s' has only one of aws_access_key_id and aws_secret_access_key", name);
  if (!must_exist)
    return fo_err_set(FO_ENOTFOUND, "profile '%s' has no credentials", name);
  return fo_err_set(FO_EINVAL, "profile '%s' has no credentials (keys, role_arn or credential_process)", name);
}

int fo_aws_profile_resolve(fo_aws_profile_plan *plan, const fo_aws_ini *config, const fo_aws_ini *credentials,
                           const char *config_path, const char *credentials_path, const char *name, int must_exist) {
  files f = {config, credentials, config_path ? config_path : "config",
             credentials_path ? credentials_path : "credentials"};
  memset(plan, 0, sizeof(*plan));
  snprintf(plan->label, sizeof(plan->label), "profile:%.39s", name);
  return resolve(plan, &f, name, 0, must_exist);
}
