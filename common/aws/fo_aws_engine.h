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
  /* Set non-zero to cancel calls in flight and their backoff sleeps (the
   * provider's StopProvider); borrowed, may be NULL. */
  atomic_int *cancel;
  const fo_aws_endpoint_override *overrides;
  size_t n_overrides;
  fo_aws_env_fn env; /* NULL: getenv */
  long timeout_ms, connect_timeout_ms;
  time_t (*now)(void *ud);             /* NULL: time() */
  void (*sleep_ms)(void *ud, long ms); /* NULL: nanosleep */
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
 * FO_ECANCELED: `cancel` was set. */
int fo_aws_engine_send(const fo_aws_engine *e, const fo_aws_request *req, fo_aws_http_response *resp);

/* Wait `ms` (the injected sleep when there is one); FO_ECANCELED (without a
 * message) when the engine is cancelled before or during the wait. */
int fo_aws_engine_sleep(const fo_aws_engine *e, long ms);

/* Build a URL for `req` at its resolved endpoint (for presigning). */
int fo_aws_engine_url(const fo_aws_engine *e, const fo_aws_request *req, char **out_url, char **out_host,
                      fo_aws_endpoint *out_ep);

#endif
