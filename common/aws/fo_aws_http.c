/* libcurl transport: pooled easy handles for connection reuse across threads. */
#include "fo_aws_http.h"
#include "fo_aws_enc.h"
#include "fo_err.h"
#include "fo_log.h"
#include "fo_openssl.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#define HTTP_DEFAULT_MAX_RESPONSE ((size_t)32 << 20)
#define HTTP_LOG_BODY_MAX         4096

struct fo_aws_http {
  pthread_mutex_t lock;
  CURL **idle;
  int n_idle, cap;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static void global_init(void) {
  fo_openssl_ready(); /* before curl creates its first TLS context */
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

int fo_aws_http_new(fo_aws_http **out, int pool_size) {
  fo_aws_http *h;
  *out = NULL;
  pthread_once(&global_once, global_init);
  if (!(h = calloc(1, sizeof(*h))))
    return fo_err_oom();
  h->cap = pool_size > 0 ? pool_size : 8;
  if (!(h->idle = calloc((size_t)h->cap, sizeof(CURL *)))) {
    free(h);
    return fo_err_oom();
  }
  pthread_mutex_init(&h->lock, NULL);
  *out = h;
  return 0;
}

void fo_aws_http_free(fo_aws_http *h) {
  int i;
  if (!h)
    return;
  for (i = 0; i < h->n_idle; i++)
    curl_easy_cleanup(h->idle[i]);
  free(h->idle);
  pthread_mutex_destroy(&h->lock);
  free(h);
}

static CURL *take_handle(fo_aws_http *h) {
  CURL *c = NULL;
  pthread_mutex_lock(&h->lock);
  if (h->n_idle > 0)
    c = h->idle[--h->n_idle];
  pthread_mutex_unlock(&h->lock);
  if (c)
    curl_easy_reset(c); /* keeps live connections and the DNS cache */
  else
    c = curl_easy_init();
  return c;
}

static void give_handle(fo_aws_http *h, CURL *c) {
  pthread_mutex_lock(&h->lock);
  if (h->n_idle < h->cap) {
    h->idle[h->n_idle++] = c;
    c = NULL;
  }
  pthread_mutex_unlock(&h->lock);
  if (c)
    curl_easy_cleanup(c);
}

typedef struct write_ctx {
  fo_aws_http_response *resp;
  size_t max;
  int over;
} write_ctx;

static size_t on_body(char *data, size_t size, size_t n, void *ud) {
  write_ctx *w = ud;
  size_t len = size * n;
  if (w->resp->body.len + len > w->max) {
    w->over = 1;
    return 0;
  }
  if (fo_buf_append(&w->resp->body, data, len) < 0)
    return 0;
  return len;
}

static void header_value(char *dst, size_t cap, const char *v, size_t len) {
  while (len > 0 && (*v == ' ' || *v == '\t')) {
    v++;
    len--;
  }
  while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
    len--;
  if (len >= cap)
    len = cap - 1;
  memcpy(dst, v, len);
  dst[len] = '\0';
}

static size_t on_header(char *data, size_t size, size_t n, void *ud) {
  fo_aws_http_response *r = ((write_ctx *)ud)->resp;
  size_t len = size * n;
  const char *colon = memchr(data, ':', len);
  size_t nlen, vlen;
  if (!colon)
    return len;
  nlen = (size_t)(colon - data);
  vlen = len - nlen - 1;
#define HDR(name, field)                                              \
  if (nlen == sizeof(name) - 1 && strncasecmp(data, name, nlen) == 0) \
  header_value(r->field, sizeof(r->field), colon + 1, vlen)
  HDR("x-amzn-requestid", request_id);
  HDR("x-amz-request-id", request_id);
  HDR("x-amzn-errortype", error_type);
  HDR("retry-after", retry_after);
  HDR("date", date);
  HDR("content-type", content_type);
  HDR("x-next-page", next_page);
#undef HDR
  return len;
}

/* Progress callback (curl calls it about once a second while idle and on
 * every read or write): abort as soon as this call's token is cancelled. */
static int on_progress(void *ud, curl_off_t dlt, curl_off_t dln, curl_off_t ult, curl_off_t uln) {
  const fo_cancel *cancel = ud;
  (void)dlt;
  (void)dln;
  (void)ult;
  (void)uln;
  return fo_cancel_is_cancelled(cancel) ? 1 : 0;
}

static fo_aws_net_error classify_curl(CURLcode rc) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return FO_AWS_NET_TIMEOUT;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return FO_AWS_NET_RESET;
    default:
      return FO_AWS_NET_OTHER;
  }
}

/* Log a body at debug level, at most HTTP_LOG_BODY_MAX bytes. Secrets are
 * replaced before the cut: redacting the cut line could leave the start of
 * a token that straddles the cut. */
static void log_body(const char *what, const void *data, size_t len) {
  size_t n = len > HTTP_LOG_BODY_MAX + 8192 ? HTTP_LOG_BODY_MAX + 8192 : len;
  char *copy = malloc(n + 1);
  if (!copy)
    return;
  memcpy(copy, data ? data : "", n);
  copy[n] = '\0';
  fo_log_redact(copy);
  if (strlen(copy) > HTTP_LOG_BODY_MAX)
    copy[HTTP_LOG_BODY_MAX] = '\0';
  FO_DEBUG("aws http %s body: %s%s", what, copy, len > HTTP_LOG_BODY_MAX ? " [...]" : "");
  fo_aws_wipe(copy, n);
  free(copy);
}

static void log_request(const fo_aws_http_request *req) {
  size_t i;
  if (!fo_log_enabled(FO_LOG_DEBUG))
    return;
  FO_DEBUG("aws http request: %s %s", req->method, req->url);
  for (i = 0; i < req->n_headers; i++) {
    const char *name = req->headers[i].name;
    /* Authorization carries the signature and the access key id: never logged; nor GitLab's token headers. */
    int hide = strcasecmp(name, "authorization") == 0 || strcasecmp(name, "x-amz-security-token") == 0 ||
               strcasecmp(name, "x-aws-ec2-metadata-token") == 0 || strcasecmp(name, "x-amz-sso_bearer_token") == 0 ||
               strcasecmp(name, "private-token") == 0 || strcasecmp(name, "job-token") == 0;
    FO_DEBUG("aws http request header: %s: %s", name, hide ? "[REDACTED]" : req->headers[i].value);
  }
  if (req->body_len > 0 && req->secret_request_body)
    FO_DEBUG("aws http request body: [REDACTED: %zu bytes with credentials]", req->body_len);
  else if (req->body_len > 0)
    log_body("request", req->body, req->body_len);
}

int fo_aws_http_send(fo_aws_http *h, const fo_aws_http_request *req, fo_aws_http_response *resp) {
  struct curl_slist *hl = NULL, *n;
  CURL *c = NULL;
  CURLcode rc;
  write_ctx w;
  fo_buf line = FO_BUF_INIT;
  size_t i;
  int err = 0;

  memset(resp, 0, sizeof(*resp));
  fo_buf_init(&resp->body, 0);
  w.resp = resp;
  w.max = req->max_response ? req->max_response : HTTP_DEFAULT_MAX_RESPONSE;
  w.over = 0;
  log_request(req);

  if (!(c = take_handle(h))) {
    err = fo_err_set(FO_ENOMEM, "cannot create a curl handle");
    goto done;
  }
  for (i = 0; i < req->n_headers; i++) {
    fo_buf_clear(&line);
    if ((err = fo_buf_printf(&line, "%s: %s", req->headers[i].name, req->headers[i].value)) < 0)
      goto done;
    if (!(n = curl_slist_append(hl, line.data))) {
      err = fo_err_oom();
      goto done;
    }
    hl = n;
  }
  /* curl would add "Expect: 100-continue" for big bodies and a default
   * Content-Type for POST: both off, we send what we signed. */
  if ((n = curl_slist_append(hl, "Expect:")))
    hl = n;
  {
    int has_ct = 0;
    for (i = 0; i < req->n_headers; i++)
      has_ct |= strcasecmp(req->headers[i].name, "content-type") == 0;
    if (!has_ct && (n = curl_slist_append(hl, "Content-Type:")))
      hl = n;
  }

  curl_easy_setopt(c, CURLOPT_URL, req->url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms > 0 ? req->timeout_ms : 60000L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms > 0 ? req->connect_timeout_ms : 10000L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &w);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &w);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "failover-aws/0.1 (C; libcurl)");
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  if (req->ca_bundle)
    curl_easy_setopt(c, CURLOPT_CAINFO, req->ca_bundle);
  if (req->cancel) {
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)req->cancel);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  }
  if (strcmp(req->method, "GET") == 0) {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else if (strcmp(req->method, "HEAD") == 0) {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else {
    if (strcmp(req->method, "POST") != 0)
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? (const char *)req->body : "");
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
  }

  if (fo_cancel_is_cancelled(req->cancel)) {
    resp->canceled = 1;
    snprintf(resp->error, sizeof(resp->error), "cancelled");
    err = fo_err_set(FO_ECANCELED, "%s %s: cancelled: %s", req->method, req->url, fo_cancel_reason(req->cancel));
    goto done;
  }
  rc = curl_easy_perform(c);
  if (rc == CURLE_ABORTED_BY_CALLBACK && fo_cancel_is_cancelled(req->cancel)) {
    resp->canceled = 1;
    snprintf(resp->error, sizeof(resp->error), "cancelled");
    err = fo_err_set(FO_ECANCELED, "%s %s: cancelled: %s", req->method, req->url, fo_cancel_reason(req->cancel));
    goto done;
  }
  if (rc != CURLE_OK && w.over) {
    /* a response over the limit is an answer we refuse, not a network
     * failure: not retried, reported as a limit */
    snprintf(resp->error, sizeof(resp->error), "response larger than %zu bytes", w.max);
    err = fo_err_set(FO_ELIMIT, "%s %s: response larger than %zu bytes", req->method, req->url, w.max);
    goto done;
  }
  if (rc != CURLE_OK) {
    resp->net = classify_curl(rc);
    snprintf(resp->error, sizeof(resp->error), "%s", curl_easy_strerror(rc));
    FO_DEBUG("aws http transport error: %s %s: %s", req->method, req->url, resp->error);
    err = fo_err_set(FO_EIO, "%s %s: %s", req->method, req->url, resp->error);
    goto done;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
  if (fo_buf_append(&resp->body, "", 0) < 0) {
    err = FO_ENOMEM;
    goto done;
  }
  if (fo_log_enabled(FO_LOG_DEBUG)) {
    FO_DEBUG("aws http response: %ld for %s %s (request id %s)", resp->status, req->method, req->url,
             resp->request_id[0] ? resp->request_id : "none");
    if (req->secret_response_body)
      FO_DEBUG("aws http response body: [REDACTED: %zu bytes with credentials]", resp->body.len);
    else
      log_body("response", resp->body.data, resp->body.len);
  }
done:
  if (c) {
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    give_handle(h, c);
  }
  curl_slist_free_all(hl);
  fo_buf_dispose(&line);
  return err;
}

void fo_aws_http_response_dispose(fo_aws_http_response *resp) {
  if (!resp)
    return;
  /* Credential responses (STS, IMDS, ECS) pass through here. */
  fo_buf_wipe(&resp->body);
  fo_buf_dispose(&resp->body);
}
