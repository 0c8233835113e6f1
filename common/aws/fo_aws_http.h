/* fo_aws_http: HTTP for the AWS client on libcurl: a thread-safe pool of easy
 * handles (each keeps its connections alive) and per-call timeouts. */
#ifndef FO_AWS_HTTP_H
#define FO_AWS_HTTP_H

#include <stddef.h>

#include "fo_aws_retry.h"
#include "fo_aws_sigv4.h"
#include "fo_buf.h"
#include "fo_cancel.h"

typedef struct fo_aws_http fo_aws_http;

typedef struct fo_aws_http_request {
  const char *method;
  const char *url; /* complete URL including the query */
  const fo_aws_header *headers;
  size_t n_headers;
  const void *body;
  size_t body_len;
  long timeout_ms;         /* whole call; 0 = 60 s */
  long connect_timeout_ms; /* 0 = 10 s */
  size_t max_response;     /* 0 = 32 MiB */
  const char *ca_bundle;   /* PEM file to trust instead of the system store (AWS_CA_BUNDLE) */
  const fo_cancel *cancel; /* when it is cancelled the transfer is aborted (NULL: never) */
  /* Bodies that carry credentials (STS, IMDS, ECS, web identity tokens) are
   * never logged, not even redacted: their secrets are not registered yet. */
  int secret_request_body;
  int secret_response_body;
} fo_aws_http_request;

typedef struct fo_aws_http_response {
  long status;          /* 0 when there was no HTTP response */
  fo_aws_net_error net; /* why not, when status is 0 */
  fo_buf body;
  char request_id[128]; /* x-amzn-RequestId / x-amz-request-id */
  char error_type[160]; /* X-Amzn-ErrorType */
  char retry_after[32];
  char date[64]; /* Date header: server clock, for skew correction */
  char content_type[96];
  char next_page[32]; /* X-Next-Page (GitLab's REST pagination; empty on the last page) */
  char error[256];    /* transport error text */
  int canceled;       /* aborted through `cancel` */
} fo_aws_http_response;

/* `pool_size`: idle handles kept (0 = 8). Calls curl_global_init once. */
int fo_aws_http_new(fo_aws_http **out, int pool_size);
void fo_aws_http_free(fo_aws_http *h);

/* Send one request. Returns 0 when an HTTP response arrived (any status),
 * FO_ECANCELED when `req->cancel` was cancelled, and FO_EIO when no response came
 * (resp->net says why). Logs method, URL, headers and
 * bodies at debug level with Authorization and registered secrets redacted.
 * `resp` is initialised here; dispose it with fo_aws_http_response_dispose. */
int fo_aws_http_send(fo_aws_http *h, const fo_aws_http_request *req, fo_aws_http_response *resp);
void fo_aws_http_response_dispose(fo_aws_http_response *resp);

#endif
