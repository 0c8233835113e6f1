/* fo_aws_engine: one AWS call end to end: endpoint, SigV4, HTTP, error
 * parsing and standard-mode retries. Credentials come in per request. */
#ifndef FO_AWS_ENGINE_H
#define FO_AWS_ENGINE_H

#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "fo_aws_creds.h"
#include "fo_aws_endpoint.h"
#include "fo_aws_error.h"
#include "fo_aws_http.h"
#include "fo_aws_retry.h"
#include "fo_cancel.h"
#include "fo_clock.h"

/* One retry decision, for tests and --verbose tracing. */
typedef struct fo_aws_retry_event {
  const char *operation;
  int attempt;      /* the attempt that failed (1-based) */
  long status;      /* 0: transport error */
  const char *code; /* AWS error code or transport error text */
  fo_aws_retry_class cls;
  long delay_ms; /* sleep before the next attempt */
  long cap_ms;   /* the backoff bound it was drawn under */
} fo_aws_retry_event;

typedef struct fo_aws_engine {
  fo_aws_http *http;          /* borrowed */
  fo_aws_retry_policy *retry; /* borrowed */
  /* Server minus local clock in seconds, learnt from clock-skew errors and
   * added to every signature date afterwards (borrowed, may be NULL). */
  atomic_long *clock_skew;
  const fo_aws_endpoint_override *overrides;
  size_t n_overrides;
  fo_aws_env_fn env; /* NULL: getenv */
  long timeout_ms, connect_timeout_ms;
  /* Signing dates (fo_clock_wall) and backoff sleeps (fo_clock_sleep_ms);
   * borrowed, NULL: the system clock. */
  const fo_clock *clock;
  void (*on_retry)(void *ud, const fo_aws_retry_event *ev);
  void *hook_ud;
} fo_aws_engine;

typedef struct fo_aws_request {
  const fo_aws_service *svc;
  const char *operation; /* "ListHostedZones": for errors and logs */
  const char *region;    /* client region (global services ignore it) */
  const char *method;
  const char *path;  /* wire-encoded, starts with '/' */
  const char *query; /* wire-encoded, no '?', may be NULL */
  const fo_aws_header *headers;
  size_t n_headers;
  const void *body;
  size_t body_len;
  const char *host_label;          /* S3 bucket: virtual host, or a path prefix when overridden */
  const fo_aws_credentials *creds; /* NULL: unsigned (AssumeRoleWithWebIdentity) */
  const char *payload_hash;        /* NULL: SHA-256 of the body */
  size_t max_response;             /* 0: the HTTP default (32 MiB); more fails with FO_ELIMIT */
  int secret_request_body, secret_response_body;
} fo_aws_request;

/* Send with retries. 0: a 2xx response is in `resp` (dispose it).
 * FO_EAWS: the service said no (fo_aws_last_error() has code, message,
 * status and request id); FO_EIO: no response after the last attempt;
 * FO_ECANCELED: `cancel` (NULL: never) was cancelled during a transfer or a
 * backoff sleep of this call; other calls on the engine go on. */
int fo_aws_engine_send(const fo_aws_engine *e, const fo_cancel *cancel, const fo_aws_request *req,
                       fo_aws_http_response *resp);

/* Wait `ms` on the engine's clock; FO_ECANCELED (with a message naming the
 * reason) when `cancel` fires before or during the wait. */
int fo_aws_engine_sleep(const fo_aws_engine *e, const fo_cancel *cancel, long ms);

/* Wall-clock seconds for signatures: the engine's clock plus the learnt skew. */
time_t fo_aws_engine_sign_time(const fo_aws_engine *e);

/* Build a URL for `req` at its resolved endpoint (for presigning). */
int fo_aws_engine_url(const fo_aws_engine *e, const fo_aws_request *req, char **out_url, char **out_host,
                      fo_aws_endpoint *out_ep);

#endif
