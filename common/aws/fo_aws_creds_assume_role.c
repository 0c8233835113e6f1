/* Credentials provider: STS AssumeRole on top of another provider
 * (profile role_arn + source_profile / credential_source). */
#include "fo_aws_creds.h"
#include "fo_aws_creds_sts.h"
#include "fo_err.h"

#include <stdlib.h>
#include <string.h>

typedef struct assume_role_provider {
  fo_aws_creds_provider base;
  fo_aws_creds_ctx ctx;
  fo_aws_creds_provider *source;
  char *role_arn, *session_name, *external_id;
  long duration;
} assume_role_provider;

static int ar_get(fo_aws_creds_provider *pp, fo_aws_credentials **out)
{
  assume_role_provider *p = (assume_role_provider *)pp;
  fo_aws_credentials *src = NULL;
  int err;
  if ((err = fo_aws_creds_get(p->source, &src)) < 0)
    return err == FO_ENOTFOUND ? fo_err_wrap(FO_EINVAL, "source credentials for role '%s'", p->role_arn) : err;
  err = fo_aws_creds_sts_assume(out, &p->ctx, src, NULL, p->role_arn, p->session_name, p->external_id,
                                p->duration, "assume-role");
  fo_aws_credentials_free(src);
  return err;
}

static void ar_destroy(fo_aws_creds_provider *pp)
{
  assume_role_provider *p = (assume_role_provider *)pp;
  fo_aws_creds_provider_free(p->source);
  free(p->role_arn);
  free(p->session_name);
  free(p->external_id);
  free(p);
}

static const fo_aws_creds_vtable ar_vt = {"assume-role", ar_get, ar_destroy};

int fo_aws_creds_assume_role_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx,
                                 fo_aws_creds_provider *source, const char *role_arn,
                                 const char *session_name, const char *external_id,
                                 long duration_seconds)
{
  assume_role_provider *p;
  *out = NULL;
  if (!role_arn || !*role_arn) {
    fo_aws_creds_provider_free(source);
    return fo_err_set(FO_EINVAL, "assume role: empty role ARN");
  }
  if (!(p = calloc(1, sizeof(*p)))) {
    fo_aws_creds_provider_free(source);
    return fo_err_set(FO_ENOMEM, "out of memory");
  }
  p->base.vt = &ar_vt;
  if (ctx)
    p->ctx = *ctx;
  p->source = source;
  p->role_arn = strdup(role_arn);
  p->session_name = session_name ? strdup(session_name) : NULL;
  p->external_id = external_id ? strdup(external_id) : NULL;
  p->duration = duration_seconds;
  *out = &p->base;
  return 0;
}
