/* Credentials provider: IAM Identity Center (SSO) via the cached login token. */
#include "fo_aws_creds.h"
#include "fo_aws_creds_parse.h"
#include "fo_aws_enc.h"
#include "fo_aws_engine.h"
#include "fo_file.h"
#include "fo_aws_json.h"
#include "fo_err.h"
#include "fo_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

/* Bound on the cached access token (they are a few hundred bytes to a few KiB). */
#define SSO_TOKEN_MAX 16384

typedef struct sso_provider {
  fo_aws_creds_provider base;
  fo_aws_creds_ctx ctx;
  char *start_url, *region, *account_id, *role_name, *session_name;
} sso_provider;

/* ~/.aws/sso/cache/<sha1 hex of the session name, or of the start URL>.json */
static void cache_path(char *out, size_t cap, const sso_provider *p) {
  const char *home = fo_aws_creds_env(&p->ctx, "HOME");
  const char *key = p->session_name ? p->session_name : p->start_url;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  char hex[2 * EVP_MAX_MD_SIZE + 1];
  EVP_Digest(key, strlen(key), md, &n, EVP_sha1(), NULL);
  fo_aws_hex(hex, md, n);
  snprintf(out, cap, "%s/.aws/sso/cache/%s.json", home ? home : "", hex);
}

/* The cached login token of `aws sso login`, checked: it goes into the portal request's
 * x-amz-sso_bearer_token header, so no CR/LF. */
int fo_aws_creds_sso_cache_parse(char **token, time_t *expires, const char *data, size_t len, const char *path) {
  cJSON *doc = NULL;
  const char *tok, *exp;
  int err;

  *token = NULL;
  *expires = 0;
  if ((err = fo_aws_json_parse(&doc, data, len)) < 0)
    return fo_err_wrap(err, "sso token cache '%s'", path);
  tok = fo_aws_json_str(doc, "accessToken");
  exp = fo_aws_json_str(doc, "expiresAt");
  if (!tok || !exp)
    err = fo_err_set(FO_EINVAL, "sso token cache '%s' has no accessToken/expiresAt", path);
  else if ((err = fo_aws_parse_time(expires, exp)) < 0)
    err = fo_err_wrap(err, "sso token cache '%s'", path);
  else if ((err = fo_aws_check_header_value(tok, SSO_TOKEN_MAX, "the accessToken")) < 0)
    err = fo_err_wrap(err, "sso token cache '%s'", path);
  else if (!(*token = strdup(tok)))
    err = fo_err_oom();
  else
    fo_log_add_secret(*token);
  fo_aws_json_delete_wiped(doc);
  return err;
}

static int read_token(char **out, const sso_provider *p) {
  const char *who = p->session_name ? p->session_name : p->start_url;
  char path[1024];
  fo_buf b;
  time_t t = 0;
  int err;

  *out = NULL;
  cache_path(path, sizeof(path), p);
  if ((err = fo_file_read(&b, path, 256 * 1024)) < 0)
    return fo_err_wrap(FO_EINVAL, "sso: no cached login for '%s' (run 'aws sso login')", who);
  err = fo_aws_creds_sso_cache_parse(out, &t, b.data, b.len, path);
  fo_buf_wipe(&b);
  if (err < 0)
    return err;
  if (t <= fo_aws_creds_now(&p->ctx)) {
    char when[32];
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    fo_aws_free_secret(*out);
    *out = NULL;
    return fo_err_set(FO_EINVAL, "sso: the login for '%s' expired at %s (run 'aws sso login')", who, when);
  }
  return 0;
}

static int sso_get(fo_aws_creds_provider *pp, const fo_cancel *cancel, fo_aws_credentials **out) {
  sso_provider *p = (sso_provider *)pp;
  fo_aws_header hs[1];
  fo_aws_http_response resp;
  fo_aws_request req;
  fo_buf q = FO_BUF_INIT;
  cJSON *doc = NULL, *rc, *exp;
  char *token = NULL;
  int err;

  memset(&resp, 0, sizeof(resp));
  if (!p->ctx.engine)
    return fo_err_set(FO_EINVAL, "sso: no http engine");
  if ((err = read_token(&token, p)) < 0)
    return err;
  if ((err = fo_aws_form_append(&q, "account_id", p->account_id)) < 0 ||
      (err = fo_aws_form_append(&q, "role_name", p->role_name)) < 0)
    goto done;
  hs[0].name = "x-amz-sso_bearer_token";
  hs[0].value = token;
  memset(&req, 0, sizeof(req));
  req.svc = &fo_aws_svc_sso;
  req.operation = "GetRoleCredentials";
  req.region = p->region;
  req.method = "GET";
  req.path = "/federation/credentials";
  req.query = q.data;
  req.headers = hs;
  req.n_headers = 1;
  req.secret_response_body = 1;
  if ((err = fo_aws_engine_send(p->ctx.engine, cancel, &req, &resp)) < 0)
    goto done;
  if ((err = fo_aws_json_parse(&doc, resp.body.data, resp.body.len)) < 0)
    goto done;
  rc = fo_aws_json_get(doc, "roleCredentials");
  exp = fo_aws_json_get(rc, "expiration"); /* epoch milliseconds */
  err = fo_aws_credentials_new(out, fo_aws_json_str(rc, "accessKeyId"), fo_aws_json_str(rc, "secretAccessKey"),
                               fo_aws_json_str(rc, "sessionToken"),
                               cJSON_IsNumber(exp) ? (time_t)(exp->valuedouble / 1000) : 0, "sso");
done:
  if (err < 0)
    err = fo_err_wrap(err, "sso account '%s' role '%s'", p->account_id, p->role_name);
  fo_aws_json_delete_wiped(doc);
  fo_aws_http_response_dispose(&resp);
  fo_aws_free_secret(token);
  fo_buf_dispose(&q);
  return err;
}

static void sso_destroy(fo_aws_creds_provider *pp) {
  sso_provider *p = (sso_provider *)pp;
  free(p->start_url);
  free(p->region);
  free(p->account_id);
  free(p->role_name);
  free(p->session_name);
  free(p);
}

static const fo_aws_creds_vtable sso_vt = {"sso", sso_get, sso_destroy};

int fo_aws_creds_sso_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx, const char *start_url,
                         const char *sso_region, const char *account_id, const char *role_name,
                         const char *session_name) {
  sso_provider *p;
  *out = NULL;
  if (!start_url || !sso_region || !account_id || !role_name)
    return fo_err_set(FO_EINVAL, "sso needs sso_start_url, sso_region, sso_account_id and sso_role_name");
  if (!(p = calloc(1, sizeof(*p))))
    return fo_err_oom();
  p->base.vt = &sso_vt;
  if (ctx)
    p->ctx = *ctx;
  p->start_url = strdup(start_url);
  p->region = strdup(sso_region);
  p->account_id = strdup(account_id);
  p->role_name = strdup(role_name);
  p->session_name = session_name ? strdup(session_name) : NULL;
  if (!p->start_url || !p->region || !p->account_id || !p->role_name || (session_name && !p->session_name)) {
    sso_destroy(&p->base);
    return fo_err_oom();
  }
  *out = &p->base;
  return 0;
}
