/* Credentials provider: web identity (OIDC token file -> STS
 * AssumeRoleWithWebIdentity), as GitLab CI id_tokens and EKS IRSA deliver it. */
#include "fo_aws_creds.h"
#include "fo_aws_creds_sts.h"
#include "fo_aws_enc.h"
#include "fo_aws_file.h"
#include "fo_err.h"
#include "fo_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WEB_IDENTITY_TOKEN_MAX (64 * 1024)

typedef struct web_identity_provider {
  fo_aws_creds_provider base;
  fo_aws_creds_ctx ctx;
  char *token_file, *role_arn, *session_name;  /* NULL: from the environment */
} web_identity_provider;

static int wi_get(fo_aws_creds_provider *pp, fo_aws_credentials **out)
{
  web_identity_provider *p = (web_identity_provider *)pp;
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
  err = fo_aws_creds_sts_assume(out, &p->ctx, NULL, token, role, name, NULL, 0, "web-identity");
  fo_aws_free_secret(token);
  return err;
}

static void wi_destroy(fo_aws_creds_provider *pp)
{
  web_identity_provider *p = (web_identity_provider *)pp;
  free(p->token_file);
  free(p->role_arn);
  free(p->session_name);
  free(p);
}

static const fo_aws_creds_vtable wi_vt = {"web-identity", wi_get, wi_destroy};

int fo_aws_creds_web_identity_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx,
                                  const char *token_file, const char *role_arn,
                                  const char *session_name)
{
  web_identity_provider *p;
  *out = NULL;
  if (!(p = calloc(1, sizeof(*p))))
    return fo_err_set(FO_ENOMEM, "out of memory");
  p->base.vt = &wi_vt;
  if (ctx)
    p->ctx = *ctx;
  p->token_file = token_file ? strdup(token_file) : NULL;
  p->role_arn = role_arn ? strdup(role_arn) : NULL;
  p->session_name = session_name ? strdup(session_name) : NULL;
  *out = &p->base;
  return 0;
}
