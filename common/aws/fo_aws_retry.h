/* fo_aws_retry: the SDKs' "standard" retry mode as a policy object: classify a
 * failed attempt, compute capped exponential backoff with full jitter, keep a retry quota. */
#ifndef FO_AWS_RETRY_H
#define FO_AWS_RETRY_H

#include <pthread.h>
#include <time.h>

typedef enum {
  FO_AWS_RETRY_NO = 0,    /* client error or success: return at once */
  FO_AWS_RETRY_THROTTLE,  /* Throttling, SlowDown, 429 ... */
  FO_AWS_RETRY_TRANSIENT, /* RequestTimeout, PriorRequestNotComplete, connection reset */
  FO_AWS_RETRY_SERVER,    /* 500, 502, 503, 504 */
  FO_AWS_RETRY_TIMEOUT    /* our own timeout: costs more quota */
} fo_aws_retry_class;

/* Transport outcome of an attempt (no HTTP response). */
typedef enum {
  FO_AWS_NET_OK = 0,
  FO_AWS_NET_TIMEOUT,
  FO_AWS_NET_RESET, /* connection refused, reset, closed mid-response */
  FO_AWS_NET_OTHER  /* TLS failure, bad URL ...: not retried */
} fo_aws_net_error;

/* Uniform random number in [0, 1); injectable so tests see fixed jitter. */
typedef double (*fo_aws_random_fn)(void *ud);

typedef struct fo_aws_retry_policy {
  int max_attempts;        /* total attempts including the first (SDK default 3) */
  long base_ms;            /* backoff base (SDK: 1000) */
  long max_backoff_ms;     /* cap (SDK: 20000) */
  fo_aws_random_fn random; /* NULL: OpenSSL RAND_bytes */
  void *random_ud;
  /* retry quota: 500 tokens, 5 per retry, 10 per timeout retry, +1 back per success */
  pthread_mutex_t lock;
  int quota;
} fo_aws_retry_policy;

#define FO_AWS_RETRY_QUOTA        500
#define FO_AWS_RETRY_COST         5
#define FO_AWS_RETRY_TIMEOUT_COST 10

/* Defaults of the SDK standard mode; values <= 0 keep the default. */
void fo_aws_retry_init(fo_aws_retry_policy *p, int max_attempts, long base_ms, long max_backoff_ms);
void fo_aws_retry_dispose(fo_aws_retry_policy *p);

/* Classify one attempt: HTTP `status` (0 when none) with AWS error `code`
 * (may be NULL), or the transport outcome `net`. */
fo_aws_retry_class fo_aws_retry_classify(long status, const char *code, fo_aws_net_error net);

/* Is `code` one of the SDKs' throttling codes? */
int fo_aws_retry_is_throttle_code(const char *code);

/* Delay before retry number `retry` (1 = first retry):
 * random() * min(max_backoff, base * 2^(retry-1)). A Retry-After header
 * (`retry_after`, may be NULL: delay seconds, or an HTTP date compared with
 * `now`, the server's idea of the time) replaces it, capped at max_backoff. */
long fo_aws_retry_delay_ms(fo_aws_retry_policy *p, int retry, const char *retry_after, time_t now);

/* The bound of that delay: min(max_backoff, base * 2^(retry-1)). */
long fo_aws_retry_cap_ms(const fo_aws_retry_policy *p, int retry);

/* Take quota for a retry of `cls`; 0 when the quota is exhausted (then the
 * error is returned instead of retrying), else the cost taken. */
int fo_aws_retry_acquire(fo_aws_retry_policy *p, fo_aws_retry_class cls);
/* After a successful attempt: give back `cost` (the retry's cost), or 1 when
 * it succeeded at once. */
void fo_aws_retry_release(fo_aws_retry_policy *p, int cost);

#endif
