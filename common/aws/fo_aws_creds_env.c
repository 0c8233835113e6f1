/* Credentials provider: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN. */
#include "fo_aws_creds.h"
#include "fo_err.h"

#include <stdlib.h>

typedef struct env_provider {
  fo_aws_creds_provider base;
  fo_aws_creds_ctx ctx;
} env_provider;

static int env_get(fo_aws_creds_provider *p, fo_aws_credentials **out)
{
  const fo_aws_creds_ctx *ctx = &((env_provider *)p)->ctx;
  const char *ak = fo_aws_creds_env(ctx, "AWS_ACCESS_KEY_ID");
  const char *sk = fo_aws_creds_env(ctx, "AWS_SECRET_ACCESS_KEY");
  const char *tok = fo_aws_creds_env(ctx, "AWS_SESSION_TOKEN");
  if (!ak)
    return fo_err_set(FO_ENOTFOUND, "AWS_ACCESS_KEY_ID is not set");
  if (!sk)
    return fo_err_set(FO_EINVAL, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
  return fo_aws_credentials_new(out, ak, sk, tok, 0, "env");
}

static void env_destroy(fo_aws_creds_provider *p) { free(p); }

static const fo_aws_creds_vtable env_vt = {"env", env_get, env_destroy};

int fo_aws_creds_env_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx)
{
  env_provider *p;
  *out = NULL;
  if (!(p = calloc(1, sizeof(*p))))
    return fo_err_set(FO_ENOMEM, "out of memory");
  p->base.vt = &env_vt;
  if (ctx)
    p->ctx = *ctx;
  *out = &p->base;
  return 0;
}
