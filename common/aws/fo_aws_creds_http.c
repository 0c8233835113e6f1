/* Shared by the ECS and IMDS credential providers: one request with the
 * metadata timeouts/attempts, and credentials from the JSON answer. */
#include "fo_aws_creds_http.h"
#include "fo_aws_creds_sts.h"
#include "fo_aws_engine.h"
#include "fo_aws_json.h"
#include "fo_err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A positive integer environment value no larger than `max`, else `dflt`. */
static long env_long(const fo_aws_creds_ctx *ctx, const char *name, long dflt, long max) {
  const char *v = fo_aws_creds_env(ctx, name);
  char *end = NULL;
  long n;
  if (!v)
    return dflt;
  errno = 0;
  n = strtol(v, &end, 10);
  if (errno || end == v || *end || n < 1 || n > max)
    return dflt;
  return n;
}

int fo_aws_creds_http_send(fo_aws_http_response *resp, const fo_aws_creds_ctx *ctx, const fo_cancel *cancel,
                           const char *method, const char *url, const fo_aws_header *headers, size_t n_headers,
                           long timeout_ms, int attempts, int secret) {
  fo_aws_http_request hr;
  int i, n, err = 0;

  memset(resp, 0, sizeof(*resp));
  if (!ctx || !ctx->engine)
    return fo_err_set(FO_EINVAL, "credentials endpoint '%s': no http engine", url);
  memset(&hr, 0, sizeof(hr));
  hr.method = method;
  hr.url = url;
  hr.headers = headers;
  hr.n_headers = n_headers;
  hr.timeout_ms = env_long(ctx, "AWS_METADATA_SERVICE_TIMEOUT", 0, 600) * 1000;
  if (hr.timeout_ms == 0)
    hr.timeout_ms = timeout_ms;
  hr.connect_timeout_ms = hr.timeout_ms / 2; /* a missing endpoint fails fast */
  hr.max_response = 64 * 1024;               /* credentials are small */
  hr.secret_response_body = secret;
  hr.cancel = cancel;
  n = (int)env_long(ctx, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", attempts, 10);
  for (i = 1; i <= n; i++) {
    fo_aws_http_response_dispose(resp);
    err = fo_aws_http_send(ctx->engine->http, &hr, resp);
    if (err == FO_ECANCELED || (err == 0 && resp->status < 500))
      break;
  }
  return err;
}

int fo_aws_creds_from_http_json(fo_aws_credentials **out, const fo_aws_http_response *resp, const char *label) {
  cJSON *doc = NULL;
  const char *code;
  int err;

  if ((err = fo_aws_json_parse(&doc, resp->body.data, resp->body.len)) < 0)
    return fo_err_wrap(err, "%s credentials", label);
  code = fo_aws_json_str(doc, "Code");
  if (code && strcmp(code, "Success") != 0)
    err = fo_err_set(FO_EIO, "%s credentials: Code '%s'", label, code);
  else
    err = fo_aws_creds_from_json(out, doc, label);
  fo_aws_json_delete_wiped(doc);
  return err;
}
