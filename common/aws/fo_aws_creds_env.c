/* Credentials provider: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN. */
#include "fo_aws_creds.h"
#include "fo_err.h"

#include <stdlib.h>

static int env_get(fo_aws_creds_provider *p, const fo_cancel *cancel, fo_aws_credentials **out) {
  (void)cancel; /* reads the environment only */
  const fo_aws_creds_ctx *ctx = &((fo_aws_creds_ctx_provider *)p)->ctx;
  const char *ak = fo_aws_creds_env(ctx, "AWS_ACCESS_KEY_ID");
  const char *sk = fo_aws_creds_env(ctx, "AWS_SECRET_ACCESS_KEY");
  const char *tok = fo_aws_creds_env(ctx, "AWS_SESSION_TOKEN");
  if (!ak)
    return fo_err_set(FO_ENOTFOUND, "AWS_ACCESS_KEY_ID is not set");
  if (!sk)
    return fo_err_set(FO_EINVAL, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
  return fo_aws_credentials_new(out, ak, sk, tok, 0, "env");
}

static const fo_aws_creds_vtable env_vt = {"env", env_get, fo_aws_creds_ctx_provider_destroy};

int fo_aws_creds_env_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx) {
  return fo_aws_creds_ctx_provider_new(out, &env_vt, ctx);
}
