/* The AWS client: configuration, region, credentials, engine and the generic
 * query / rest-xml / rest-json calls. */
#include "fo_aws_client.h"
#include "fo_aws_enc.h"
#include "fo_aws_ini.h"
#include "fo_aws_json.h"
#include "fo_aws_xml.h"
#include "fo_err.h"
#include "fo_log.h"
#include "fo_openssl.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <openssl/rand.h>

struct fo_aws_client {
  char region[64];
  fo_aws_http *http;
  fo_aws_retry_policy retry;
  fo_aws_engine engine;
  fo_aws_creds_ctx creds_ctx;
  fo_aws_creds_provider *creds;           /* NULL when shared from creds_from */
  const struct fo_aws_client *creds_from; /* borrowed, see fo_aws_config.credentials_from */
  fo_aws_endpoint_override *overrides;
  size_t n_overrides;
  atomic_long calls, attempts, clock_skew;
  fo_aws_config hooks; /* only the hook fields are used */
};

static const char *sys_env(const char *name) {
  return getenv(name);
}

static const char *cfg_env(const fo_aws_config *cfg, const char *name) {
  const char *v = cfg->env ? cfg->env(name) : sys_env(name);
  return v && *v ? v : NULL;
}

/* Region: config, AWS_REGION, AWS_DEFAULT_REGION, then the profile's region. */
static void resolve_region(fo_aws_client *c, const fo_aws_config *cfg) {
  const char *v = cfg->region && *cfg->region ? cfg->region : cfg_env(cfg, "AWS_REGION");
  fo_aws_ini *ini = NULL;
  char path[1024];
  if (!v)
    v = cfg_env(cfg, "AWS_DEFAULT_REGION");
  if (!v) {
    const char *file = cfg->shared_config_file ? cfg->shared_config_file : cfg_env(cfg, "AWS_CONFIG_FILE");
    const char *home = cfg_env(cfg, "HOME");
    const char *profile = cfg->profile ? cfg->profile : cfg_env(cfg, "AWS_PROFILE");
    if (file)
      snprintf(path, sizeof(path), "%s", file);
    else
      snprintf(path, sizeof(path), "%s/.aws/config", home ? home : "");
    if (fo_aws_ini_load(&ini, path) == 0)
      v = fo_aws_ini_config_get(ini, profile ? profile : "default", "region");
    fo_err_clear();
  }
  snprintf(c->region, sizeof(c->region), "%s", v ? v : "");
  fo_aws_ini_free(ini);
}

static void count_retry(void *ud, const fo_aws_retry_event *ev) {
  fo_aws_client *c = ud;
  atomic_fetch_add(&c->attempts, 1);
  if (c->hooks.on_retry)
    c->hooks.on_retry(c->hooks.hook_ud, ev);
}

/* libxml2 2.9's xmlInitParser is not safe to call from two threads at once (the two regions' clients are made
 * concurrently): once per process, whoever comes first. */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void) {
  xmlInitParser();
}

int fo_aws_client_new(fo_aws_client **out, const fo_aws_config *cfg_in) {
  static const fo_aws_config empty;
  const fo_aws_config *cfg = cfg_in ? cfg_in : &empty;
  fo_aws_client *c;
  fo_aws_creds_provider *chain = NULL;
  const char *v;
  size_t i;
  int err, max_attempts = cfg->max_attempts;

  *out = NULL;
  pthread_once(&xml_once, xml_init);
  fo_openssl_ready(); /* the same for OpenSSL: signing, RAND_bytes and TLS may come first on any thread */
  if (!(c = calloc(1, sizeof(*c))))
    return fo_err_oom();
  c->hooks = *cfg;
  resolve_region(c, cfg);
  if (max_attempts <= 0 && (v = cfg_env(cfg, "AWS_MAX_ATTEMPTS"))) {
    char *end = NULL;
    long n = strtol(v, &end, 10);
    if (end == v || *end != '\0' || n < 1 || n > FO_AWS_MAX_ATTEMPTS_LIMIT)
      FO_WARN("ignoring AWS_MAX_ATTEMPTS='%s': want a whole number from 1 to %d", v, FO_AWS_MAX_ATTEMPTS_LIMIT);
    else
      max_attempts = (int)n;
  }
  if (max_attempts > FO_AWS_MAX_ATTEMPTS_LIMIT)
    max_attempts = FO_AWS_MAX_ATTEMPTS_LIMIT;
  fo_aws_retry_init(&c->retry, max_attempts, cfg->retry_base_ms, cfg->retry_max_backoff_ms);
  c->retry.random = cfg->random;
  c->retry.random_ud = cfg->hook_ud;
  if ((err = fo_aws_http_new(&c->http, 16)) < 0)
    goto fail;
  if (cfg->n_endpoints > 0) {
    if (!(c->overrides = calloc(cfg->n_endpoints, sizeof(*c->overrides)))) {
      err = fo_err_oom();
      goto fail;
    }
    for (i = 0; i < cfg->n_endpoints; i++) {
      c->overrides[i].service = cfg->endpoints[i].service ? strdup(cfg->endpoints[i].service) : NULL;
      c->overrides[i].url = cfg->endpoints[i].url ? strdup(cfg->endpoints[i].url) : NULL;
    }
    c->n_overrides = cfg->n_endpoints;
  }
  c->engine.http = c->http;
  c->engine.retry = &c->retry;
  c->engine.clock_skew = &c->clock_skew;
  c->engine.overrides = c->overrides;
  c->engine.n_overrides = c->n_overrides;
  c->engine.env = cfg->env;
  c->engine.timeout_ms = cfg->timeout_ms;
  c->engine.connect_timeout_ms = cfg->connect_timeout_ms;
  c->engine.clock = cfg->clock ? cfg->clock : fo_clock_system();
  c->engine.on_retry = count_retry;
  c->engine.hook_ud = c;

  c->creds_ctx.engine = &c->engine;
  c->creds_ctx.region = c->region[0] ? c->region : NULL;
  c->creds_ctx.env = cfg->env;
  c->creds_ctx.clock = c->engine.clock;
  if (cfg->credentials_from) {
    c->creds_from = cfg->credentials_from;
    *out = c;
    return 0;
  }
  if ((err = fo_aws_creds_default_chain_new(&chain, &c->creds_ctx, cfg->access_key_id, cfg->secret_access_key,
                                            cfg->session_token, cfg->profile, cfg->shared_config_file,
                                            cfg->shared_credentials_file)) < 0)
    goto fail;
  if (cfg->assume_role_arn && *cfg->assume_role_arn) {
    fo_aws_creds_provider *ar = NULL;
    if ((err = fo_aws_creds_assume_role_new(&ar, &c->creds_ctx, chain, cfg->assume_role_arn,
                                            cfg->assume_role_session_name, cfg->assume_role_external_id, 0)) < 0)
      goto fail;
    chain = NULL;
    if ((err = fo_aws_creds_cache_new(&chain, &c->creds_ctx, ar, 300)) < 0)
      goto fail;
  }
  c->creds = chain;
  *out = c;
  return 0;
fail:
  fo_aws_creds_provider_free(chain);
  fo_aws_client_free(c);
  return err;
}

void fo_aws_client_free(fo_aws_client *c) {
  size_t i;
  if (!c)
    return;
  fo_aws_creds_provider_free(c->creds);
  fo_aws_http_free(c->http);
  fo_aws_retry_dispose(&c->retry);
  for (i = 0; i < c->n_overrides; i++) {
    free((char *)c->overrides[i].service);
    free((char *)c->overrides[i].url);
  }
  free(c->overrides);
  free(c);
}

const char *fo_aws_client_region(const fo_aws_client *c) {
  return c->region;
}

const fo_clock *fo_aws_client_clock(const fo_aws_client *c) {
  return c->engine.clock;
}

const fo_aws_engine *fo_aws_client_engine(const fo_aws_client *c) {
  return &c->engine;
}

static fo_aws_creds_provider *creds_of(const fo_aws_client *c) {
  return c->creds_from ? c->creds_from->creds : c->creds;
}

int fo_aws_client_credentials(fo_aws_credentials **out, fo_aws_client *c, const fo_cancel *cancel) {
  return fo_aws_creds_get(creds_of(c), cancel, out);
}

void fo_aws_client_stats(const fo_aws_client *c, long *calls, long *attempts) {
  if (calls)
    *calls = atomic_load(&((fo_aws_client *)c)->calls);
  if (attempts)
    *attempts = atomic_load(&((fo_aws_client *)c)->attempts);
}

int fo_aws_query_add(fo_buf *b, const char *key, const char *value) {
  return fo_aws_form_append(b, key, value);
}

void fo_aws_idempotency_token(char out[37]) {
  unsigned char r[16];
  char hex[33];
  if (RAND_bytes(r, sizeof(r)) != 1) {
    size_t i;
    for (i = 0; i < sizeof(r); i++)
      r[i] = (unsigned char)(rand() & 0xff);
  }
  r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
  r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
  fo_aws_hex(hex, r, 16);
  snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

/* The request fields every generic call sets; the rest stay zero. */
static void request_init(fo_aws_request *req, const fo_aws_service *svc, const char *operation, const char *method,
                         const char *path, const char *query) {
  memset(req, 0, sizeof(*req));
  req->svc = svc;
  req->operation = operation;
  req->method = method;
  req->path = path;
  req->query = query;
}

/* Credentials, then the engine. */
static int send(fo_aws_client *c, const fo_cancel *cancel, fo_aws_request *req, fo_aws_http_response *resp) {
  fo_aws_credentials *creds = NULL;
  int err;
  fo_aws_error_clear();
  if ((err = fo_aws_creds_get(creds_of(c), cancel, &creds)) < 0)
    return fo_err_wrap(err, "%s %s", req->svc->id, req->operation);
  req->creds = creds;
  if (!req->region)
    req->region = c->region;
  atomic_fetch_add(&c->calls, 1);
  atomic_fetch_add(&c->attempts, 1);
  err = fo_aws_engine_send(&c->engine, cancel, req, resp);
  fo_aws_credentials_free(creds);
  return err;
}

int fo_aws_call_query(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const fo_aws_service *svc,
                      const char *action, const fo_aws_param *params, size_t n_params, const char *const *list_names) {
  static const fo_aws_header form_ct[] = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  fo_buf body = FO_BUF_INIT;
  fo_aws_http_response resp;
  fo_aws_request req;
  cJSON *doc = NULL, *result;
  char key[160];
  size_t i;
  int err;

  *out = NULL;
  memset(&resp, 0, sizeof(resp));
  if ((err = fo_aws_form_append(&body, "Action", action)) < 0 ||
      (err = fo_aws_form_append(&body, "Version", svc->api_version)) < 0)
    goto done;
  for (i = 0; i < n_params; i++)
    if (params[i].value && (err = fo_aws_form_append(&body, params[i].name, params[i].value)) < 0)
      goto done;
  request_init(&req, svc, action, "POST", "/", NULL);
  req.headers = form_ct;
  req.n_headers = 1;
  req.body = body.data;
  req.body_len = body.len;
  if ((err = send(c, cancel, &req, &resp)) < 0)
    goto done;
  if ((err = fo_aws_xml_to_json(&doc, resp.body.data, resp.body.len, list_names)) < 0) {
    err = fo_err_wrap(err, "%s %s", svc->id, action);
    goto done;
  }
  {
    char rkey[160];
    cJSON *parent;
    snprintf(rkey, sizeof(rkey), "%sResponse", action);
    snprintf(key, sizeof(key), "%sResult", action);
    parent = cJSON_GetObjectItemCaseSensitive(doc, rkey);
    result = parent ? cJSON_DetachItemFromObjectCaseSensitive(parent, key) : NULL;
    if (result && !cJSON_IsObject(result)) { /* <XResult/> empty */
      cJSON_Delete(result);
      result = NULL;
    }
    if (!result && !(result = cJSON_CreateObject())) {
      err = fo_err_oom();
      goto done;
    }
    *out = result;
  }
done:
  cJSON_Delete(doc);
  fo_aws_http_response_dispose(&resp);
  fo_buf_dispose(&body);
  return err;
}

int fo_aws_call_rest_xml(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const fo_aws_service *svc,
                         const char *operation, const char *method, const char *path, const char *query,
                         const char *body, const char *const *list_names) {
  static const fo_aws_header xml_ct[] = {{"Content-Type", "application/xml"}};
  fo_aws_http_response resp;
  fo_aws_request req;
  int err;

  *out = NULL;
  request_init(&req, svc, operation, method, path, query);
  if (body) {
    req.headers = xml_ct;
    req.n_headers = 1;
    req.body = body;
    req.body_len = strlen(body);
  }
  if ((err = send(c, cancel, &req, &resp)) < 0)
    return err;
  if (resp.body.len == 0)
    err = (*out = cJSON_CreateObject()) ? 0 : fo_err_oom();
  else if ((err = fo_aws_xml_to_json(out, resp.body.data, resp.body.len, list_names)) < 0)
    err = fo_err_wrap(err, "%s %s", svc->id, operation);
  fo_aws_http_response_dispose(&resp);
  return err;
}

int fo_aws_call_rest_json(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const fo_aws_service *svc,
                          const char *operation, const char *method, const char *path, const char *query,
                          const cJSON *body) {
  static const fo_aws_header json_ct[] = {{"Content-Type", "application/json"}};
  fo_aws_http_response resp;
  fo_aws_request req;
  char *text = NULL;
  int err;

  *out = NULL;
  if (body && !(text = cJSON_PrintUnformatted(body)))
    return fo_err_oom();
  request_init(&req, svc, operation, method, path, query);
  req.headers = json_ct;
  req.n_headers = 1;
  req.body = text;
  req.body_len = text ? strlen(text) : 0;
  if ((err = send(c, cancel, &req, &resp)) == 0) {
    if ((err = fo_aws_json_parse(out, resp.body.data, resp.body.len)) < 0)
      err = fo_err_wrap(err, "%s %s", svc->id, operation);
    fo_aws_http_response_dispose(&resp);
  }
  free(text);
  return err;
}

int fo_aws_call_raw(fo_buf *out, fo_aws_client *c, const fo_cancel *cancel, const fo_aws_service *svc,
                    const char *operation, const char *method, const char *host_label, const char *path,
                    const char *query, size_t max) {
  fo_aws_http_response resp;
  fo_aws_request req;
  int err;

  request_init(&req, svc, operation, method, path, query);
  req.host_label = host_label;
  if (strcmp(svc->signing_name, "s3") == 0)
    req.payload_hash = FO_AWS_UNSIGNED_PAYLOAD;
  req.max_response = max; /* the transfer stops there instead of reading 32 MiB first */
  if ((err = send(c, cancel, &req, &resp)) < 0)
    return err == FO_ELIMIT ? fo_err_wrap(err, "%s %s", svc->id, operation) : err;
  err = fo_buf_append(out, resp.body.data ? resp.body.data : "", resp.body.len);
  fo_aws_http_response_dispose(&resp);
  return err;
}
