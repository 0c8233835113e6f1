/* Credentials providers that get a role's temporary credentials from STS:
 * AssumeRole on top of another provider (profile role_arn + source_profile /
 * credential_source, the provider's assume_role block) and
 * AssumeRoleWithWebIdentity with an OIDC token file (GitLab CI id_tokens,
 * EKS IRSA). One struct serves both: they differ only in what proves who we
 * are (source credentials or the token). */
#include "fo_aws_creds.h"
#include "fo_aws_creds_sts.h"
#include "fo_aws_enc.h"
#include "fo_aws_file.h"
#include "fo_err.h"
#include "fo_log.h"

#include <stdlib.h>
#include <string.h>

#define WEB_IDENTITY_TOKEN_MAX (64 * 1024)

typedef struct role_provider {
  fo_aws_creds_provider base;
  fo_aws_creds_ctx ctx;
  fo_aws_creds_provider *source;               /* AssumeRole; NULL for web identity */
  char *role_arn, *session_name, *external_id; /* web identity: NULL = from the environment */
  char *token_file;
  long duration;
} role_provider;

static int ar_get(fo_aws_creds_provider *pp, const fo_cancel *cancel, fo_aws_credentials **out) {
  role_provider *p = (role_provider *)pp;
  fo_aws_credentials *src = NULL;
  int err;
  if ((err = fo_aws_creds_get(p->source, cancel, &src)) < 0)
    return err == FO_ENOTFOUND ? fo_err_wrap(FO_EINVAL, "source credentials for role '%s'", p->role_arn) : err;
  err = fo_aws_creds_sts_assume(out, &p->ctx, cancel, src, NULL, p->role_arn, p->session_name, p->external_id,
                                p->duration, "assume-role");
  fo_aws_credentials_free(src);
  return err;
}

static int wi_get(fo_aws_creds_provider *pp, const fo_cancel *cancel, fo_aws_credentials **out) {
  role_provider *p = (role_provider *)pp;
  const char *file = p->token_file ? p->token_file : fo_aws_creds_env(&p->ctx, "AWS_WEB_IDENTITY_TOKEN_FILE");
  const char *role = p->role_arn ? p->role_arn : fo_aws_creds_env(&p->ctx, "AWS_ROLE_ARN");
  const char *name = p->session_name ? p->session_name : fo_aws_creds_env(&p->ctx, "AWS_ROLE_SESSION_NAME");
  char *token = NULL;
  int err;

  if (!file)
    return fo_err_set(FO_ENOTFOUND, "AWS_WEB_IDENTITY_TOKEN_FILE is not set");
  if (!role)
    return fo_err_set(FO_EINVAL, "web identity token file '%s' is set but no role ARN (AWS_ROLE_ARN)", file);
  if ((err = fo_aws_file_read_token(&token, file, WEB_IDENTITY_TOKEN_MAX, "web identity token file")) < 0)
    return err;
  fo_log_add_secret(token);
  err = fo_aws_creds_sts_assume(out, &p->ctx, cancel, NULL, token, role, name, NULL, 0, "web-identity");
  fo_aws_free_secret(token);
  return err;
}

static void role_destroy(fo_aws_creds_provider *pp) {
  role_provider *p = (role_provider *)pp;
  fo_aws_creds_provider_free(p->source);
  free(p->role_arn);
  free(p->session_name);
  free(p->external_id);
  free(p->token_file);
  free(p);
}

static const fo_aws_creds_vtable ar_vt = {"assume-role", ar_get, role_destroy};
static const fo_aws_creds_vtable wi_vt = {"web-identity", wi_get, role_destroy};

/* Copy of `s`, NULL for NULL; sets *oom when the copy failed. */
static char *dup_opt(const char *s, int *oom) {
  char *d = s ? strdup(s) : NULL;
  if (s && !d)
    *oom = 1;
  return d;
}

/* One constructor for both: takes over `source` even on failure. */
static int role_new(fo_aws_creds_provider **out, const fo_aws_creds_vtable *vt, const fo_aws_creds_ctx *ctx,
                    fo_aws_creds_provider *source, const char *role_arn, const char *session_name,
                    const char *external_id, const char *token_file, long duration_seconds) {
  role_provider *p;
  int oom = 0;
  *out = NULL;
  if (!(p = calloc(1, sizeof(*p)))) {
    fo_aws_creds_provider_free(source);
    return fo_err_oom();
  }
  p->base.vt = vt;
  if (ctx)
    p->ctx = *ctx;
  p->source = source;
  p->role_arn = dup_opt(role_arn, &oom);
  p->session_name = dup_opt(session_name, &oom);
  p->external_id = dup_opt(external_id, &oom);
  p->token_file = dup_opt(token_file, &oom);
  p->duration = duration_seconds;
  if (oom) {
    role_destroy(&p->base);
    return fo_err_oom();
  }
  *out = &p->base;
  return 0;
}

int fo_aws_creds_assume_role_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx,
                                 fo_aws_creds_provider *source, const char *role_arn, const char *session_name,
                                 const char *external_id, long duration_seconds) {
  if (!role_arn || !*role_arn) {
    *out = NULL;
    fo_aws_creds_provider_free(source);
    return fo_err_set(FO_EINVAL, "assume role: empty role ARN");
  }
  return role_new(out, &ar_vt, ctx, source, role_arn, session_name, external_id, NULL, duration_seconds);
}

int fo_aws_creds_web_identity_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx, const char *token_file,
                                  const char *role_arn, const char *session_name) {
  return role_new(out, &wi_vt, ctx, NULL, role_arn, session_name, NULL, token_file, 0);
}
