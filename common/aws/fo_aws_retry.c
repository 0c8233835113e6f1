/* SDK standard-mode retries: classification, backoff with full jitter, quota. */
#include "fo_aws_retry.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/rand.h>

static const char *const throttle_codes[] = {"Throttling",
                                             "ThrottlingException",
                                             "ThrottledException",
                                             "RequestThrottledException",
                                             "TooManyRequestsException",
                                             "ProvisionedThroughputExceededException",
                                             "TransactionInProgressException",
                                             "RequestLimitExceeded",
                                             "BandwidthLimitExceeded",
                                             "LimitExceededException",
                                             "RequestThrottled",
                                             "SlowDown",
                                             "PriorRequestNotComplete",
                                             "EC2ThrottledException",
                                             NULL};

static const char *const transient_codes[] = {"RequestTimeout",
                                              "RequestTimeoutException",
                                              "InternalError",
                                              "InternalFailure",
                                              "ServiceUnavailable",
                                              "IDPCommunicationError",
                                              NULL};

static int in_list(const char *const *list, const char *code) {
  size_t i;
  for (i = 0; code && list[i]; i++)
    if (strcmp(list[i], code) == 0)
      return 1;
  return 0;
}

int fo_aws_retry_is_throttle_code(const char *code) {
  return in_list(throttle_codes, code);
}

void fo_aws_retry_init(fo_aws_retry_policy *p, int max_attempts, long base_ms, long max_backoff_ms) {
  memset(p, 0, sizeof(*p));
  p->max_attempts = max_attempts > 0 ? max_attempts : 3;
  p->base_ms = base_ms > 0 ? base_ms : 1000;
  p->max_backoff_ms = max_backoff_ms > 0 ? max_backoff_ms : 20000;
  p->quota = FO_AWS_RETRY_QUOTA;
  pthread_mutex_init(&p->lock, NULL);
}

void fo_aws_retry_dispose(fo_aws_retry_policy *p) {
  if (p)
    pthread_mutex_destroy(&p->lock);
}

fo_aws_retry_class fo_aws_retry_classify(long status, const char *code, fo_aws_net_error net) {
  if (status == 0) {
    if (net == FO_AWS_NET_TIMEOUT)
      return FO_AWS_RETRY_TIMEOUT;
    if (net == FO_AWS_NET_RESET)
      return FO_AWS_RETRY_TRANSIENT;
    return FO_AWS_RETRY_NO;
  }
  if (status >= 200 && status < 300)
    return FO_AWS_RETRY_NO;
  if (status == 429 || in_list(throttle_codes, code))
    return FO_AWS_RETRY_THROTTLE;
  if (in_list(transient_codes, code))
    return FO_AWS_RETRY_TRANSIENT;
  if (status == 500 || status == 502 || status == 503 || status == 504)
    return FO_AWS_RETRY_SERVER;
  return FO_AWS_RETRY_NO;
}

static double default_random(void *ud) {
  uint64_t r = 0;
  (void)ud;
  if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
    return 0.5;
  return (double)(r >> 11) / (double)(UINT64_C(1) << 53);
}

long fo_aws_retry_cap_ms(const fo_aws_retry_policy *p, int retry) {
  long cap = p->base_ms;
  int i;
  for (i = 1; i < retry && cap < p->max_backoff_ms; i++)
    cap *= 2;
  return cap > p->max_backoff_ms ? p->max_backoff_ms : cap;
}

long fo_aws_retry_delay_ms(fo_aws_retry_policy *p, int retry, const char *retry_after, time_t now) {
  long cap = fo_aws_retry_cap_ms(p, retry);
  double r;

  if (retry_after && *retry_after) {
    char *end = NULL;
    long secs = strtol(retry_after, &end, 10);
    time_t when;
    if (end && end != retry_after && *end == '\0' && secs >= 0)
      return secs > p->max_backoff_ms / 1000 ? p->max_backoff_ms : secs * 1000;
    /* the other form RFC 9110 allows: an HTTP date (curl_getdate) */
    if (!isdigit((unsigned char)retry_after[0]) && retry_after[0] != '-' &&
        (when = curl_getdate(retry_after, NULL)) >= 0) {
      double ms = when > now ? difftime(when, now) * 1000.0 : 0;
      return ms > (double)p->max_backoff_ms ? p->max_backoff_ms : (long)ms;
    }
  }
  r = p->random ? p->random(p->random_ud) : default_random(NULL);
  if (r < 0)
    r = 0;
  if (r >= 1)
    r = 0.999999;
  return (long)(r * (double)cap);
}

int fo_aws_retry_acquire(fo_aws_retry_policy *p, fo_aws_retry_class cls) {
  int cost = cls == FO_AWS_RETRY_TIMEOUT ? FO_AWS_RETRY_TIMEOUT_COST : FO_AWS_RETRY_COST;
  int got = 0;
  /* Every retry costs, so a long outage stops retrying instead of piling on. */
  pthread_mutex_lock(&p->lock);
  if (p->quota >= cost) {
    p->quota -= cost;
    got = cost;
  }
  pthread_mutex_unlock(&p->lock);
  return got;
}

void fo_aws_retry_release(fo_aws_retry_policy *p, int cost) {
  pthread_mutex_lock(&p->lock);
  p->quota += cost > 0 ? cost : 1;
  if (p->quota > FO_AWS_RETRY_QUOTA)
    p->quota = FO_AWS_RETRY_QUOTA;
  pthread_mutex_unlock(&p->lock);
}
