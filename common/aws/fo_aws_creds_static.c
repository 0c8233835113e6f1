/* Credentials provider: fixed keys from the configuration or the command line. */
#include "fo_aws_creds.h"
#include "fo_err.h"

#include <stdlib.h>

typedef struct static_provider {
  fo_aws_creds_provider base;
  fo_aws_credentials *creds;
} static_provider;

static int static_get(fo_aws_creds_provider *p, const fo_cancel *cancel, fo_aws_credentials **out) {
  (void)cancel; /* nothing to wait for */
  return fo_aws_credentials_dup(out, ((static_provider *)p)->creds);
}

static void static_destroy(fo_aws_creds_provider *p) {
  fo_aws_credentials_free(((static_provider *)p)->creds);
  free(p);
}

static const fo_aws_creds_vtable static_vt = {"static", static_get, static_destroy};

int fo_aws_creds_static_new(fo_aws_creds_provider **out, const char *access_key_id, const char *secret_access_key,
                            const char *session_token) {
  static_provider *p;
  int err;
  *out = NULL;
  if (!(p = calloc(1, sizeof(*p))))
    return fo_err_oom();
  p->base.vt = &static_vt;
  if ((err = fo_aws_credentials_new(&p->creds, access_key_id, secret_access_key, session_token, 0, "static")) < 0) {
    free(p);
    return err;
  }
  *out = &p->base;
  return 0;
}
