/* One AWS call: resolve, sign, send, classify, back off, retry. */
#include "fo_aws_engine.h"
#include "fo_aws_enc.h"
#include "fo_aws_sigv4.h"
#include "fo_buf.h"
#include "fo_err.h"
#include "fo_file.h"
#include "fo_log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#define ENGINE_MAX_HEADERS 24

int fo_aws_engine_sleep(const fo_aws_engine *e, const fo_cancel *cancel, long ms) {
  return fo_clock_sleep_ms(e->clock, ms, cancel);
}

time_t fo_aws_engine_sign_time(const fo_aws_engine *e) {
  return fo_clock_wall(e->clock) + (e->clock_skew ? atomic_load(e->clock_skew) : 0);
}

int fo_aws_engine_url(const fo_aws_engine *e, const fo_aws_request *req, char **out_url, char **out_host,
                      fo_aws_endpoint *ep) {
  fo_buf url = FO_BUF_INIT;
  const char *rest, *slash;
  char scheme[16], host[300], base[256];
  size_t n;
  int err;

  *out_url = NULL;
  *out_host = NULL;
  if ((err = fo_aws_endpoint_resolve(ep, req->svc, req->region, e->overrides, e->n_overrides, e->env)) < 0)
    return err;
  rest = strstr(ep->url, "://");
  n = (size_t)(rest - ep->url);
  snprintf(scheme, sizeof(scheme), "%.*s", (int)n, ep->url);
  rest += 3;
  slash = strchr(rest, '/');
  n = slash ? (size_t)(slash - rest) : strlen(rest);
  if (n == 0 || n >= sizeof(host) - 70)
    return fo_err_set(FO_EINVAL, "bad endpoint '%s'", ep->url);
  snprintf(base, sizeof(base), "%s", slash ? slash : "");
  if (req->host_label && !ep->overridden)
    snprintf(host, sizeof(host), "%s.%.*s", req->host_label, (int)n, rest);
  else
    snprintf(host, sizeof(host), "%.*s", (int)n, rest);
  if ((err = fo_buf_printf(&url, "%s://%s%s", scheme, host, base)) < 0)
    goto done;
  if (req->host_label && ep->overridden && (err = fo_buf_printf(&url, "/%s", req->host_label)) < 0)
    goto done;
  if ((err = fo_buf_puts(&url, req->path && *req->path ? req->path : "/")) < 0)
    goto done;
  if (req->query && *req->query && (err = fo_buf_printf(&url, "?%s", req->query)) < 0)
    goto done;
  if (!(*out_host = strdup(host))) {
    err = fo_err_oom();
    goto done;
  }
  *out_url = fo_buf_detach(&url, NULL);
done:
  fo_buf_dispose(&url);
  return err;
}

/* The path part of `url` (after the authority, before '?'), or NULL when out of memory. */
static char *url_path(const char *url) {
  const char *p = strstr(url, "://");
  const char *slash = p ? strchr(p + 3, '/') : NULL;
  return slash ? strndup(slash, strcspn(slash, "?")) : strdup("/");
}

static int sign_attempt(const fo_aws_engine *e, const fo_aws_request *req, const fo_aws_endpoint *ep, const char *host,
                        const char *path, fo_aws_header *hs, size_t *nh, fo_aws_sigv4_result *sig) {
  fo_aws_sigv4_request sr;
  fo_aws_sigv4_params pp;
  int is_s3 = strcmp(req->svc->signing_name, "s3") == 0;
  size_t i, n = 0;
  int err;

  hs[n].name = "Host";
  hs[n++].value = host;
  for (i = 0; i < req->n_headers && n < ENGINE_MAX_HEADERS - 5; i++)
    hs[n++] = req->headers[i];
  *nh = n;
  if (!req->creds)
    return 0;

  memset(&sr, 0, sizeof(sr));
  sr.method = req->method;
  sr.path = path;
  sr.query = req->query;
  sr.headers = hs;
  sr.n_headers = n;
  sr.body = req->body;
  sr.body_len = req->body_len;
  sr.payload_hash = req->payload_hash;
  memset(&pp, 0, sizeof(pp));
  pp.access_key_id = req->creds->access_key_id;
  pp.secret_access_key = req->creds->secret_access_key;
  pp.session_token = req->creds->session_token;
  pp.region = ep->signing_region;
  pp.service = req->svc->signing_name;
  pp.date = fo_aws_engine_sign_time(e);
  pp.normalize_path = !is_s3;
  pp.double_encode = !is_s3;
  pp.content_sha256_header = is_s3;
  if ((err = fo_aws_sigv4_sign_headers(sig, &sr, &pp)) < 0)
    return err;
  hs[n].name = "X-Amz-Date";
  hs[n++].value = sig->amz_date;
  if (req->creds->session_token && *req->creds->session_token) {
    hs[n].name = "X-Amz-Security-Token";
    hs[n++].value = req->creds->session_token;
  }
  if (is_s3) {
    hs[n].name = "x-amz-content-sha256";
    hs[n++].value = sig->payload_hash;
  }
  hs[n].name = "Authorization";
  hs[n++].value = sig->authorization;
  *nh = n;
  return 0;
}

/* A clock-skew error with a server Date more than 4 minutes from ours:
 * remember the offset. 1 when a new offset was stored. */
static int fix_clock_skew(const fo_aws_engine *e, const char *code, const char *date) {
  static const char *const skew_codes[] = {"RequestTimeTooSkewed",
                                           "RequestExpired",
                                           "RequestInTheFuture",
                                           "InvalidSignatureException",
                                           "SignatureDoesNotMatch",
                                           "AuthFailure",
                                           NULL};
  time_t server, now;
  long skew;
  size_t i;
  int known = 0;
  for (i = 0; skew_codes[i]; i++)
    known |= strcmp(code, skew_codes[i]) == 0;
  if (!known || !date || !*date || fo_aws_parse_http_date(&server, date) < 0) {
    fo_err_clear();
    return 0;
  }
  now = fo_clock_wall(e->clock);
  skew = (long)(server - now);
  if (skew > -240 && skew < 240)
    return 0;
  if (skew == atomic_load(e->clock_skew))
    return 0;
  FO_WARN("aws: local clock is %ld s %s the server's; correcting signatures", skew > 0 ? skew : -skew,
          skew > 0 ? "behind" : "ahead of");
  atomic_store(e->clock_skew, skew);
  return 1;
}

int fo_aws_engine_send(const fo_aws_engine *e, const fo_cancel *cancel, const fo_aws_request *req,
                       fo_aws_http_response *resp) {
  fo_aws_endpoint ep;
  fo_aws_error aerr;
  char *url = NULL, *host = NULL, *path = NULL;
  int attempt, err = 0, cost = 0, max_attempts, skew_fixed = 0;

  memset(resp, 0, sizeof(*resp));
  memset(&aerr, 0, sizeof(aerr));
  if ((err = fo_aws_engine_url(e, req, &url, &host, &ep)) < 0)
    goto done;
  if (!(path = url_path(url))) {
    err = fo_err_oom();
    goto done;
  }
  max_attempts = e->retry ? e->retry->max_attempts : 1;

  for (attempt = 1;; attempt++) {
    fo_aws_header hs[ENGINE_MAX_HEADERS];
    size_t nh = 0;
    fo_aws_sigv4_result sig;
    fo_aws_http_request hr;
    fo_aws_retry_class cls;
    const char *code;
    long delay, cap = 0;

    memset(&sig, 0, sizeof(sig));
    if ((err = sign_attempt(e, req, &ep, host, path, hs, &nh, &sig)) < 0)
      goto done;
    memset(&hr, 0, sizeof(hr));
    hr.method = req->method;
    hr.url = url;
    hr.headers = hs;
    hr.n_headers = nh;
    hr.body = req->body;
    hr.body_len = req->body_len;
    hr.timeout_ms = e->timeout_ms;
    hr.max_response = req->max_response;
    hr.ca_bundle = e->env ? e->env("AWS_CA_BUNDLE") : getenv("AWS_CA_BUNDLE");
    if (hr.ca_bundle && !*hr.ca_bundle)
      hr.ca_bundle = NULL;
    /* curl would open it blocking: a FIFO there hangs the call, a device is read for ever (fo_file's rule) */
    if (hr.ca_bundle) {
      struct stat cst;
      if (stat(hr.ca_bundle, &cst) < 0)
        err = fo_err_set(FO_EIO, "AWS_CA_BUNDLE '%s': %s", hr.ca_bundle, strerror(errno));
      else if (!S_ISREG(cst.st_mode))
        err =
            fo_err_set(FO_EIO, "AWS_CA_BUNDLE '%s': not a regular file (%s)", hr.ca_bundle, fo_file_kind(cst.st_mode));
      if (err < 0) {
        fo_aws_sigv4_result_dispose(&sig);
        goto done;
      }
    }
    hr.connect_timeout_ms = e->connect_timeout_ms;
    hr.secret_request_body = req->secret_request_body;
    hr.secret_response_body = req->secret_response_body;
    hr.cancel = cancel;
    fo_aws_http_response_dispose(resp);
    if (fo_cancel_is_cancelled(cancel)) {
      fo_aws_sigv4_result_dispose(&sig);
      err = fo_err_set(FO_ECANCELED, "%s %s: cancelled: %s", req->svc->id, req->operation, fo_cancel_reason(cancel));
      goto done;
    }
    err = fo_aws_http_send(e->http, &hr, resp);
    fo_aws_sigv4_result_dispose(&sig);
    if (err < 0 && resp->status == 0 && resp->net == FO_AWS_NET_OK) { /* cancelled, out of memory */
      if (err == FO_ECANCELED)
        err = fo_err_set(FO_ECANCELED, "%s %s: cancelled: %s", req->svc->id, req->operation, fo_cancel_reason(cancel));
      goto done;
    }

    if (err == 0 && resp->status >= 200 && resp->status < 300) {
      if (e->retry)
        fo_aws_retry_release(e->retry, cost);
      fo_err_clear();
      goto done;
    }
    if (err == 0) {
      fo_aws_error_parse(&aerr, req->svc->protocol, resp->status, resp->body.data, resp->body.len, resp->error_type,
                         resp->request_id);
      code = aerr.code;
    } else {
      memset(&aerr, 0, sizeof(aerr));
      snprintf(aerr.code, sizeof(aerr.code), "%s",
               resp->net == FO_AWS_NET_TIMEOUT ? "RequestTimeout" : "ConnectionError");
      snprintf(aerr.message, sizeof(aerr.message), "%s", resp->error);
      code = aerr.code;
    }
    snprintf(aerr.operation, sizeof(aerr.operation), "%s %s", req->svc->id, req->operation);
    aerr.attempts = attempt;
    if (resp->status > 0 && !skew_fixed && req->creds && e->clock_skew && fix_clock_skew(e, code, resp->date)) {
      /* Signed with a wrong clock: sign again with the server's time, at
       * once and outside the retry budget, as the SDKs do. */
      fo_aws_retry_event ev = {req->operation, attempt, resp->status, code, FO_AWS_RETRY_TRANSIENT, 0, 0};
      skew_fixed = 1;
      if (e->on_retry)
        e->on_retry(e->hook_ud, &ev);
      attempt--;
      continue;
    }
    cls = fo_aws_retry_classify(resp->status, resp->status ? code : NULL, resp->net);
    if (cls == FO_AWS_RETRY_NO || attempt >= max_attempts || !e->retry ||
        !(cost = fo_aws_retry_acquire(e->retry, cls))) {
      if (cls != FO_AWS_RETRY_NO && attempt < max_attempts && e->retry)
        FO_DEBUG("aws %s: retry quota exhausted, not retrying", aerr.operation);
      if (resp->status == 0) {
        fo_aws_error_raise(&aerr);
        err = fo_err_set(FO_EIO, "%s: no response after %d attempt%s: %s", aerr.operation, attempt,
                         attempt == 1 ? "" : "s", resp->error);
      } else {
        err = fo_aws_error_raise(&aerr);
      }
      goto done;
    }
    delay = fo_aws_retry_delay_ms(e->retry, attempt, resp->retry_after[0] ? resp->retry_after : NULL,
                                  fo_aws_engine_sign_time(e));
    cap = resp->retry_after[0] ? e->retry->max_backoff_ms : fo_aws_retry_cap_ms(e->retry, attempt);
    FO_DEBUG("aws %s: attempt %d failed (%ld %s), retrying in %ld ms", aerr.operation, attempt, resp->status, code,
             delay);
    if (e->on_retry) {
      fo_aws_retry_event ev = {req->operation, attempt, resp->status, code, cls, delay, cap};
      e->on_retry(e->hook_ud, &ev);
    }
    if (fo_aws_engine_sleep(e, cancel, delay) < 0) {
      err = fo_err_set(FO_ECANCELED, "%s %s: cancelled during a backoff: %s", req->svc->id, req->operation,
                       fo_cancel_reason(cancel));
      goto done;
    }
  }
done:
  if (err < 0)
    fo_aws_http_response_dispose(resp);
  free(url);
  free(host);
  free(path);
  return err;
}
