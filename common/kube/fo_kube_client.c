/* fo_kube_client: one curl easy handle per client (its connection is kept alive across pages), TLS material
 * handed to curl as in-memory blobs, and no body ever logged: a page of Secrets holds their values. */
#include "fo_kube_client.h"
#include "fo_err.h"
#include "fo_kube_exec.h"
#include "fo_log.h"
#include "fo_openssl.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#define MAX_ATTEMPTS       4 /* a throttled or failing server: three retries */
#define RETRY_BASE_MS      500L
#define RETRY_AFTER_MAX_MS 10000L
#define TIMEOUT_MS         120000L
#define CONNECT_TIMEOUT_MS 10000L
#define MESSAGE_MAX        300
#define RETRY_HDR_MAX      32

struct fo_kube_client {
  const fo_kube_config *cfg;
  const fo_cancel *cancel;
  CURL *curl;
  char *name;             /* "kubernetes (context x)" */
  char *base;             /* the server URL requests are built on (tls-server-name in place of the host) */
  char *connect_to;       /* "name:port:host:port" when tls-server-name is set, else NULL */
  fo_kube_exec_result ex; /* the exec plugin's credentials, once run */
  int ex_done;
  fo_kube_json_parser parse; /* LIST pages; NULL: cJSON */
  long timeout_ms, connect_timeout_ms;
};

/* One request: GET, or PATCH with a merge-patch body. */
typedef struct req {
  const char *method; /* "GET" or "PATCH" */
  const char *url;
  const char *body;  /* PATCH only */
  const char *doing; /* "listing secrets in namespace prod": how failures name the request */
} req;

typedef struct body_ctx {
  fo_buf *b;
  int over;
} body_ctx;

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static void global_init(void) {
  fo_openssl_ready(); /* before curl creates its first TLS context */
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud) {
  body_ctx *w = ud;
  size_t n = size * nmemb;
  if (fo_buf_append(w->b, data, n) < 0) {
    w->over = 1;
    return 0;
  }
  return n;
}

/* Retry-After (seconds) of a 429 or 503 into the RETRY_HDR_MAX bytes at `ud`. */
static size_t on_header(char *data, size_t size, size_t nmemb, void *ud) {
  size_t n = size * nmemb;
  char *dst = ud;
  if (n > 12 && !strncasecmp(data, "retry-after:", 12)) {
    size_t k = 0;
    for (size_t i = 12; i < n && k + 1 < RETRY_HDR_MAX; i++)
      if (data[i] >= '0' && data[i] <= '9')
        dst[k++] = data[i];
    dst[k] = '\0';
  }
  return n;
}

static int on_progress(void *ud, curl_off_t dlt, curl_off_t dln, curl_off_t ult, curl_off_t uln) {
  (void)dlt;
  (void)dln;
  (void)ult;
  (void)uln;
  return fo_cancel_is_cancelled(ud) ? 1 : 0;
}

/* With tls-server-name the request goes to https://<name>:<port> and curl connects to the real host: so SNI
 * and the certificate check use the name, as client-go's ServerName does. */
static int set_base(fo_kube_client *c) {
  const fo_kube_config *cfg = c->cfg;
  CURLU *u = NULL;
  char *host = NULL, *port = NULL, *url = NULL;
  fo_buf ct = FO_BUF_INIT;
  int err = 0;

  if (!cfg->tls_server_name) {
    if (!(c->base = strdup(cfg->server)))
      return fo_err_oom();
    return 0;
  }
  if (!(u = curl_url()))
    return fo_err_oom();
  if (curl_url_set(u, CURLUPART_URL, cfg->server, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
    err = fo_err_set(FO_EINVAL, "%s: cannot parse server URL '%s'", c->name, cfg->server);
    goto done;
  }
  if (curl_url_set(u, CURLUPART_HOST, cfg->tls_server_name, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK) {
    err = fo_err_set(FO_EINVAL, "%s: tls-server-name '%s' is not a host name", c->name, cfg->tls_server_name);
    goto done;
  }
  if ((err = fo_buf_printf(&ct, "%s:%s:%s:%s", cfg->tls_server_name, port, host, port)) < 0)
    goto done;
  c->connect_to = fo_buf_detach(&ct, NULL);
  if (!(c->base = strdup(url))) {
    err = fo_err_oom();
    goto done;
  }
  for (size_t l = strlen(c->base); l > 0 && c->base[l - 1] == '/'; l--)
    c->base[l - 1] = '\0';
done:
  fo_buf_dispose(&ct);
  curl_free(host);
  curl_free(port);
  curl_free(url);
  curl_url_cleanup(u);
  return err;
}

int fo_kube_client_new(fo_kube_client **out, const fo_kube_config *cfg, const fo_cancel *cancel) {
  fo_kube_client *c;
  fo_buf name = FO_BUF_INIT;
  int err;

  *out = NULL;
  pthread_once(&global_once, global_init);
  if (!(c = calloc(1, sizeof *c)))
    return fo_err_oom();
  c->cfg = cfg;
  c->cancel = cancel;
  if (cfg->token) /* before anything can print it */
    fo_log_add_secret(cfg->token);
  c->timeout_ms = TIMEOUT_MS;
  c->connect_timeout_ms = CONNECT_TIMEOUT_MS;
  if ((err = fo_buf_printf(&name, "kubernetes (context %s)", cfg->context)) < 0)
    goto fail;
  c->name = fo_buf_detach(&name, NULL);
  if ((err = set_base(c)) < 0)
    goto fail;
  if (!(c->curl = curl_easy_init())) {
    err = fo_err_set(FO_ENOMEM, "cannot create a curl handle");
    goto fail;
  }
  *out = c;
  return 0;
fail:
  fo_buf_dispose(&name);
  fo_kube_client_free(c);
  return err;
}

void fo_kube_client_free(fo_kube_client *c) {
  if (!c)
    return;
  if (c->curl)
    curl_easy_cleanup(c->curl);
  fo_kube_exec_result_dispose(&c->ex);
  free(c->name);
  free(c->base);
  free(c->connect_to);
  free(c);
}

const char *fo_kube_client_name(const fo_kube_client *c) {
  return c->name;
}

void fo_kube_client_set_parser(fo_kube_client *c, fo_kube_json_parser parse) {
  c->parse = parse;
}

void fo_kube_client_set_timeout(fo_kube_client *c, long ms) {
  if (ms <= 0)
    return;
  c->timeout_ms = ms;
  c->connect_timeout_ms = ms < CONNECT_TIMEOUT_MS ? ms : CONNECT_TIMEOUT_MS;
}

static void set_blob(CURL *h, CURLoption opt, const fo_buf *b) {
  struct curl_blob blob;
  blob.data = b->data;
  blob.len = b->len;
  blob.flags = CURL_BLOB_COPY;
  curl_easy_setopt(h, opt, &blob);
}

/* The message of a Status response, cut and redacted; "" when the body is not one. */
static void status_message(char *dst, size_t cap, const fo_buf *body) {
  cJSON *doc = body->len ? cJSON_ParseWithLength(body->data, body->len) : NULL;
  const cJSON *m = cJSON_GetObjectItemCaseSensitive(doc, "message");
  dst[0] = '\0';
  if (cJSON_IsString(m))
    snprintf(dst, cap, "%s", m->valuestring);
  else if (body->len && body->data[0] != '{' && body->data[0] != '[') /* text from a proxy in between */
    snprintf(dst, cap, "%.*s", (int)(body->len < cap ? body->len : cap - 1), body->data);
  for (char *p = dst; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  fo_log_redact(dst);
  cJSON_Delete(doc);
}

/* Failures of the connection itself, worth another try; a certificate or protocol error is not. */
static int transient(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return 1;
    default:
      return 0;
  }
}

/* One request. 0 with *status set when a response came, or a negative fo_err (*retry 1 when the connection
 * failed in a way worth another try). `body` gets the response. */
static int send_once(fo_kube_client *c, const req *q, long *status, fo_buf *body, char *retry_hdr, int *retry) {
  const char *url = q->url;
  const fo_kube_config *cfg = c->cfg;
  const fo_buf *cert = c->ex.cert.len ? &c->ex.cert : &cfg->client_cert;
  const fo_buf *key = c->ex.cert.len ? &c->ex.key : &cfg->client_key;
  const char *token = c->ex.token ? c->ex.token : cfg->token;
  struct curl_slist *hl = NULL, *n;
  struct curl_slist *ct = NULL;
  fo_buf auth = FO_BUF_INIT;
  body_ctx w = {body, 0};
  CURL *h = c->curl;
  CURLcode rc;
  int err = 0;

  *status = 0;
  *retry = 0;
  retry_hdr[0] = '\0';
  curl_easy_reset(h); /* keeps the connection and the TLS session */
  if (!(hl = curl_slist_append(NULL, "Accept: application/json"))) {
    err = fo_err_oom();
    goto done;
  }
  if (token) {
    if ((err = fo_buf_printf(&auth, "Authorization: Bearer %s", token)) < 0)
      goto done;
    if (!(n = curl_slist_append(hl, auth.data))) {
      err = fo_err_oom();
      goto done;
    }
    hl = n;
  }
  if (q->body) {
    if (!(n = curl_slist_append(hl, "Content-Type: application/merge-patch+json"))) {
      err = fo_err_oom();
      goto done;
    }
    hl = n;
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, q->method);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, q->body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(q->body));
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &w);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, retry_hdr);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "failover (C; libcurl)");
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect would carry the token elsewhere */
  if (cfg->ca.len)
    set_blob(h, CURLOPT_CAINFO_BLOB, &cfg->ca);
  if (cfg->insecure) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (cert->len) {
    curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
    set_blob(h, CURLOPT_SSLCERT_BLOB, cert);
    curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
    set_blob(h, CURLOPT_SSLKEY_BLOB, key);
  }
  if (c->connect_to) {
    if (!(ct = curl_slist_append(NULL, c->connect_to))) {
      err = fo_err_oom();
      goto done;
    }
    curl_easy_setopt(h, CURLOPT_CONNECT_TO, ct);
  }
  if (c->cancel) {
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)c->cancel);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  }
  if (fo_cancel_is_cancelled(c->cancel)) {
    err = fo_err_set(FO_ECANCELED, "%s: cancelled: %s", c->name, fo_cancel_reason(c->cancel));
    goto done;
  }
  FO_DEBUG("%s: %s %s", c->name, q->method, url);
  rc = curl_easy_perform(h);
  if (rc == CURLE_ABORTED_BY_CALLBACK && fo_cancel_is_cancelled(c->cancel)) {
    err = fo_err_set(FO_ECANCELED, "%s: cancelled: %s", c->name, fo_cancel_reason(c->cancel));
  } else if (rc != CURLE_OK && w.over) {
    err = fo_err_set(FO_ELIMIT, "%s: %s %s: response larger than %zu bytes", c->name, q->method, url,
                     FO_KUBE_PAGE_MAX_BYTES);
  } else if (rc != CURLE_OK) {
    *retry = transient(rc);
    if (c->connect_to)
      err = fo_err_set(FO_EIO, "%s: %s %s: %s (connecting to %s, tls-server-name %s)", c->name, q->method, url,
                       curl_easy_strerror(rc), cfg->server, cfg->tls_server_name);
    else
      err = fo_err_set(FO_EIO, "%s: %s %s: %s", c->name, q->method, url, curl_easy_strerror(rc));
  } else {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    FO_DEBUG("%s: HTTP %ld, %zu bytes", c->name, *status, body->len);
  }
done:
  /* the handle must not keep pointers to what is freed here (the header list, the connect-to list) */
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt(h, CURLOPT_CONNECT_TO, NULL);
  curl_slist_free_all(hl);
  curl_slist_free_all(ct);
  fo_buf_wipe(&auth);
  return err;
}

static int run_exec(fo_kube_client *c) {
  int err;
  fo_kube_exec_result_dispose(&c->ex);
  if ((err = fo_kube_exec_run(&c->ex, c->cfg->exec, c->name, c->cancel)) < 0)
    return err;
  c->ex_done = 1;
  return 0;
}

static int is_retryable(long status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

static const char *status_word(long status) {
  switch (status) {
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not found";
    case 410:
      return "continue token expired (the list changed too much while paging)";
    case 429:
      return "throttled";
    default:
      return status >= 500 ? "server error" : "failed";
  }
}

/* A request with the retries (a merge patch of replicas is idempotent, so PATCH is retried too) and the exec
 * plugin's refresh: 0 only for a 200. */
static int send_ok(fo_kube_client *c, const req *q, fo_buf *body) {
  int refreshed = 0;
  for (int attempt = 1;; attempt++) {
    char retry_hdr[RETRY_HDR_MAX], msg[MESSAGE_MAX + 1];
    long status;
    int err, retry;
    if (c->cfg->exec && !c->ex_done && (err = run_exec(c)) < 0)
      return err;
    fo_buf_wipe(body);
    fo_buf_init(body, FO_KUBE_PAGE_MAX_BYTES);
    if ((err = send_once(c, q, &status, body, retry_hdr, &retry)) < 0) {
      if (!retry || attempt >= MAX_ATTEMPTS)
        return err;
      FO_DEBUG("%s: retrying after a transport error: %s", c->name, fo_err_last());
    } else if (status == 200) {
      return 0;
    } else if (status == 401 && c->cfg->exec && !refreshed) {
      /* an expired plugin token: run the plugin once more, as kubectl does */
      refreshed = 1;
      c->ex_done = 0;
      attempt--;
      continue;
    } else if (!is_retryable(status) || attempt >= MAX_ATTEMPTS) {
      status_message(msg, sizeof msg, body);
      return fo_err_set(FO_EIO, "%s: %s %s (HTTP %ld)%s%s", c->name, status_word(status), q->doing, status,
                        msg[0] ? ": " : "", msg);
    } else {
      FO_DEBUG("%s: HTTP %ld %s: retrying", c->name, status, q->doing);
    }
    {
      long wait = RETRY_BASE_MS << (attempt - 1);
      if (retry_hdr[0]) {
        long s = strtol(retry_hdr, NULL, 10);
        wait = s * 1000 > RETRY_AFTER_MAX_MS ? RETRY_AFTER_MAX_MS : s * 1000;
      }
      if ((err = fo_cancel_sleep_ms(c->cancel, wait)) < 0)
        return err;
    }
  }
}

/* The default parser: cJSON (its own nesting limit bounds the depth). */
static int parse_cjson(cJSON **out, const char *data, size_t len, const char *what) {
  if (!(*out = cJSON_ParseWithLength(data, len)))
    return fo_err_set(FO_EINVAL, "%s: not JSON (near byte %zu)", what,
                      cJSON_GetErrorPtr() ? (size_t)(cJSON_GetErrorPtr() - data) : (size_t)0);
  return 0;
}

int fo_kube_list_parse(cJSON **items, char **cont, const char *data, size_t len, const char *what,
                       fo_kube_json_parser parse) {
  cJSON *doc = NULL, *it, *meta, *ct;
  int err;

  *items = NULL;
  *cont = NULL;
  if ((err = (parse ? parse : parse_cjson)(&doc, data, len, what)) < 0)
    return err;
  it = cJSON_GetObjectItemCaseSensitive(doc, "items");
  meta = cJSON_GetObjectItemCaseSensitive(doc, "metadata");
  ct = cJSON_GetObjectItemCaseSensitive(meta, "continue");
  if (!cJSON_IsObject(doc) || (it && !cJSON_IsArray(it) && !cJSON_IsNull(it)) || (meta && !cJSON_IsObject(meta)) ||
      (ct && !cJSON_IsString(ct))) {
    err = fo_err_set(FO_EINVAL, "%s: not a Kubernetes list (an object with an \"items\" array)", what);
    goto done;
  }
  for (cJSON *e = cJSON_IsArray(it) ? it->child : NULL; e; e = e->next)
    if (!cJSON_IsObject(e)) {
      err = fo_err_set(FO_EINVAL, "%s: an entry of \"items\" is not an object", what);
      goto done;
    }
  if (cJSON_IsString(ct) && *ct->valuestring && !(*cont = strdup(ct->valuestring))) {
    err = fo_err_oom();
    goto done;
  }
  if (cJSON_IsArray(it))
    *items = cJSON_DetachItemViaPointer(doc, it);
  else if (!(*items = cJSON_CreateArray()))
    err = fo_err_oom();
done:
  if (err < 0) {
    free(*cont);
    *cont = NULL;
  }
  cJSON_Delete(doc);
  return err;
}

/* The URL of one page. */
static int page_url(fo_buf *u, fo_kube_client *c, const fo_kube_resource *r, const char *ns, long limit,
                    const char *cont) {
  char *esc_ns = curl_easy_escape(c->curl, ns, 0), *esc_ct = cont ? curl_easy_escape(c->curl, cont, 0) : NULL;
  int err;
  fo_buf_clear(u);
  if (!esc_ns || (cont && !esc_ct))
    err = fo_err_oom();
  else
    err = fo_buf_printf(u, "%s/%s/namespaces/%s/%s?limit=%ld%s%s", c->base, r->group_path, esc_ns, r->plural, limit,
                        cont ? "&continue=" : "", cont ? esc_ct : "");
  curl_free(esc_ns);
  curl_free(esc_ct);
  return err;
}

static int set_type(cJSON *item, const char *key, const char *value) {
  cJSON *v = cJSON_CreateString(value);
  if (!v)
    return fo_err_oom();
  if (cJSON_GetObjectItemCaseSensitive(item, key)) {
    cJSON_ReplaceItemInObjectCaseSensitive(item, key, v);
    return 0;
  }
  cJSON_AddItemToObject(item, key, v);
  return 0;
}

int fo_kube_list(fo_kube_client *c, const fo_kube_resource *r, const char *ns, long limit, fo_kube_item_cb cb, void *ud,
                 size_t *pages) {
  fo_buf url = FO_BUF_INIT, body = FO_BUF_INIT, what = FO_BUF_INIT, doing = FO_BUF_INIT;
  char *cont = NULL;
  size_t npages = 0, nitems = 0;
  int err = 0;

  if (pages)
    *pages = 0;
  if (limit <= 0)
    limit = FO_KUBE_DEFAULT_LIMIT;
  do {
    cJSON *items = NULL, *item;
    char *next = NULL;
    if (++npages > FO_KUBE_LIST_MAX_PAGES) {
      err = fo_err_set(FO_ELIMIT, "%s: listing %s in namespace %s: more than %d pages", c->name, r->plural, ns,
                       FO_KUBE_LIST_MAX_PAGES);
      break;
    }
    fo_buf_clear(&doing);
    if ((err = page_url(&url, c, r, ns, limit, cont)) < 0 ||
        (err = fo_buf_printf(&doing, "listing %s in namespace %s", r->plural, ns)) < 0)
      break;
    {
      req q = {"GET", url.data, NULL, doing.data};
      if ((err = send_ok(c, &q, &body)) < 0)
        break;
    }
    fo_buf_clear(&what);
    if ((err = fo_buf_printf(&what, "%s: %s in namespace %s, page %zu", c->name, r->plural, ns, npages)) < 0)
      break;
    err = fo_kube_list_parse(&items, &next, body.data ? body.data : "", body.len, what.data, c->parse);
    fo_buf_wipe(&body); /* Secrets' values */
    if (err < 0)
      break;
    FO_DEBUG("%s: listed %s in namespace %s: page %zu, %d items%s", c->name, r->plural, ns, npages,
             cJSON_GetArraySize(items), next ? ", more to come" : "");
    while (err == 0 && (item = cJSON_DetachItemFromArray(items, 0)) != NULL) {
      nitems++;
      if ((err = set_type(item, "kind", r->kind)) < 0 || (err = set_type(item, "apiVersion", r->api_version)) < 0)
        cJSON_Delete(item);
      else
        err = cb(ud, item);
    }
    cJSON_Delete(items);
    free(cont);
    cont = next;
  } while (err == 0 && cont);
  if (err == 0)
    FO_DEBUG("%s: %s in namespace %s: %zu items in %zu pages", c->name, r->plural, ns, nitems, npages);
  if (pages)
    *pages = npages;
  free(cont);
  fo_buf_dispose(&url);
  fo_buf_wipe(&body);
  fo_buf_dispose(&what);
  fo_buf_dispose(&doing);
  return err;
}

/* ---- the scale subresource ---------------------------------------------------- */

static int scale_url(fo_buf *u, fo_buf *doing, fo_kube_client *c, const char *plural, const char *ns, const char *name,
                     const char *verb) {
  char *esc_ns, *esc_name;
  int err;
  if (strcmp(plural, "deployments") != 0 && strcmp(plural, "statefulsets") != 0)
    return fo_err_set(FO_EINVAL, "%s: cannot scale '%s' (deployments or statefulsets)", c->name, plural);
  esc_ns = curl_easy_escape(c->curl, ns, 0);
  esc_name = curl_easy_escape(c->curl, name, 0);
  if (!esc_ns || !esc_name)
    err = fo_err_oom();
  else if ((err = fo_buf_printf(u, "%s/apis/apps/v1/namespaces/%s/%s/%s/scale", c->base, esc_ns, plural, esc_name)) >=
           0)
    err = fo_buf_printf(doing, "%s %s/%s in namespace %s", verb, plural, name, ns);
  curl_free(esc_ns);
  curl_free(esc_name);
  return err;
}

/* spec.replicas of a Scale object (absent: 0, as the API defaults it). */
static int scale_replicas(const fo_buf *body, const char *what, long *replicas) {
  cJSON *doc = cJSON_ParseWithLength(body->data ? body->data : "", body->len);
  const cJSON *spec = cJSON_GetObjectItemCaseSensitive(doc, "spec");
  const cJSON *n = cJSON_GetObjectItemCaseSensitive(spec, "replicas");
  int err = 0;
  if (!cJSON_IsObject(doc) || (spec && !cJSON_IsObject(spec)) || (n && !cJSON_IsNumber(n)) ||
      (n && (n->valuedouble < 0 || n->valuedouble > 2147483647.0 || n->valuedouble != (double)(long)n->valuedouble)))
    err = fo_err_set(FO_EINVAL, "%s: the answer is not a Scale (an object with spec.replicas)", what);
  else
    *replicas = n ? (long)n->valuedouble : 0;
  cJSON_Delete(doc);
  return err;
}

int fo_kube_scale_get(fo_kube_client *c, const char *plural, const char *ns, const char *name, long *replicas) {
  fo_buf url = FO_BUF_INIT, doing = FO_BUF_INIT, body = FO_BUF_INIT;
  int err;
  *replicas = 0;
  if ((err = scale_url(&url, &doing, c, plural, ns, name, "reading the scale of")) >= 0) {
    req q = {"GET", url.data, NULL, doing.data};
    if ((err = send_ok(c, &q, &body)) >= 0)
      err = scale_replicas(&body, doing.data, replicas);
  }
  fo_buf_dispose(&url);
  fo_buf_dispose(&doing);
  fo_buf_dispose(&body);
  return err;
}

int fo_kube_scale_set(fo_kube_client *c, const char *plural, const char *ns, const char *name, long replicas) {
  fo_buf url = FO_BUF_INIT, doing = FO_BUF_INIT, body = FO_BUF_INIT;
  char patch[64], verb[48];
  long got = 0;
  int err;
  if (replicas < 0 || replicas > 2147483647L)
    return fo_err_set(FO_EINVAL, "%s: replicas %ld out of range", c->name, replicas);
  snprintf(patch, sizeof patch, "{\"spec\":{\"replicas\":%ld}}", replicas);
  snprintf(verb, sizeof verb, "scaling to %ld", replicas);
  if ((err = scale_url(&url, &doing, c, plural, ns, name, verb)) >= 0) {
    req q = {"PATCH", url.data, patch, doing.data};
    if ((err = send_ok(c, &q, &body)) >= 0)
      err = scale_replicas(&body, doing.data, &got);
  }
  fo_buf_dispose(&url);
  fo_buf_dispose(&doing);
  fo_buf_dispose(&body);
  return err;
}
