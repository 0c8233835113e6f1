/* Credentials values, the provider vtable dispatch and the static provider. */
#include "fo_aws_creds.h"
#include "fo_aws_enc.h"
#include "fo_err.h"
#include "fo_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *sys_env(const char *name) {
  return getenv(name);
}

const char *fo_aws_creds_env(const fo_aws_creds_ctx *ctx, const char *name) {
  const char *v = (ctx && ctx->env) ? ctx->env(name) : sys_env(name);
  return v && *v ? v : NULL;
}

time_t fo_aws_creds_now(const fo_aws_creds_ctx *ctx) {
  return fo_clock_wall(ctx ? ctx->clock : NULL);
}

/* Copy the strings; register them with the log redactor when `secret` is
 * set. Copies of registered credentials (the cache hands one to every call)
 * skip it: the registry keeps every secret, and scanning it under its
 * global lock on each call would serialise the client's threads. */
static int credentials_make(fo_aws_credentials **out, const char *access_key_id, const char *secret_access_key,
                            const char *session_token, time_t expiration, const char *source, int secret) {
  fo_aws_credentials *c;
  *out = NULL;
  if (!access_key_id || !*access_key_id || !secret_access_key || !*secret_access_key)
    return fo_err_set(FO_EINVAL, "credentials from '%s' lack an access key id or secret", source ? source : "?");
  if (!(c = calloc(1, sizeof(*c))))
    return fo_err_oom();
  c->access_key_id = strdup(access_key_id);
  c->secret_access_key = strdup(secret_access_key);
  c->session_token = session_token && *session_token ? strdup(session_token) : NULL;
  c->expiration = expiration;
  snprintf(c->source, sizeof(c->source), "%s", source ? source : "");
  if (!c->access_key_id || !c->secret_access_key || (session_token && *session_token && !c->session_token)) {
    fo_aws_credentials_free(c);
    return fo_err_oom();
  }
  if (secret) {
    fo_log_add_secret(c->access_key_id);
    fo_log_add_secret(c->secret_access_key);
    fo_log_add_secret(c->session_token);
  }
  *out = c;
  return 0;
}

int fo_aws_credentials_new(fo_aws_credentials **out, const char *access_key_id, const char *secret_access_key,
                           const char *session_token, time_t expiration, const char *source) {
  return credentials_make(out, access_key_id, secret_access_key, session_token, expiration, source, 1);
}

int fo_aws_credentials_dup(fo_aws_credentials **out, const fo_aws_credentials *c) {
  /* `c` came from fo_aws_credentials_new: its secrets are registered already */
  return credentials_make(out, c->access_key_id, c->secret_access_key, c->session_token, c->expiration, c->source, 0);
}

void fo_aws_credentials_free(fo_aws_credentials *c) {
  if (!c)
    return;
  fo_aws_free_secret(c->access_key_id);
  fo_aws_free_secret(c->secret_access_key);
  fo_aws_free_secret(c->session_token);
  fo_aws_wipe(c, sizeof(*c));
  free(c);
}

int fo_aws_creds_ctx_provider_new(fo_aws_creds_provider **out, const fo_aws_creds_vtable *vt,
                                  const fo_aws_creds_ctx *ctx) {
  fo_aws_creds_ctx_provider *p;
  *out = NULL;
  if (!(p = calloc(1, sizeof(*p))))
    return fo_err_oom();
  p->base.vt = vt;
  if (ctx)
    p->ctx = *ctx;
  *out = &p->base;
  return 0;
}

void fo_aws_creds_ctx_provider_destroy(fo_aws_creds_provider *p) {
  free(p);
}

int fo_aws_creds_get(fo_aws_creds_provider *p, const fo_cancel *cancel, fo_aws_credentials **out) {
  *out = NULL;
  if (!p)
    return fo_err_set(FO_EINVAL, "no credentials provider");
  return p->vt->get(p, cancel, out);
}

void fo_aws_creds_provider_free(fo_aws_creds_provider *p) {
  if (p)
    p->vt->destroy(p);
}
