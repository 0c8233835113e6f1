/* fo_aws_client: the AWS client the provider and the auditor hold: region,
 * credentials chain, endpoints, retries, and the generic protocol calls. */
#ifndef FO_AWS_CLIENT_H
#define FO_AWS_CLIENT_H

/* Upper bound on attempts per call: the provider's `max_retries` accepts up to
 * 25 retries, like the Terraform AWS provider, which is 26 attempts. */
#define FO_AWS_MAX_ATTEMPTS_LIMIT 26

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "fo_aws_creds.h"
#include "fo_aws_endpoint.h"
#include "fo_aws_engine.h"
#include "fo_aws_error.h"
#include "fo_buf.h"
#include "fo_cancel.h"
#include "fo_clock.h"

/* Everything optional: zeroed config = the SDK defaults and environment. */
typedef struct fo_aws_config {
  const char *region;        /* else AWS_REGION, AWS_DEFAULT_REGION, the profile's region */
  const char *profile;       /* else AWS_PROFILE, "default" */
  const char *access_key_id; /* explicit keys: first in the chain */
  const char *secret_access_key;
  const char *session_token;
  const char *shared_config_file;      /* else AWS_CONFIG_FILE, ~/.aws/config */
  const char *shared_credentials_file; /* else AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials */
  const char *assume_role_arn;         /* optional: assume this role with the chain's credentials */
  const char *assume_role_session_name;
  const char *assume_role_external_id;
  /* Share this client's credentials (provider, cache, assumed role) instead
   * of building a chain; the fields above about credentials are then ignored.
   * Borrowed: it must outlive the new client (the provider's two regions). */
  struct fo_aws_client *credentials_from;
  const fo_aws_endpoint_override *endpoints; /* per-service URLs ("route53" -> URL) */
  size_t n_endpoints;
  int max_attempts;          /* 0: AWS_MAX_ATTEMPTS, else 3; at most FO_AWS_MAX_ATTEMPTS_LIMIT */
  long retry_base_ms;        /* 0: 1000 */
  long retry_max_backoff_ms; /* 0: 20000 */
  long timeout_ms;           /* per attempt; 0: 60000 */
  long connect_timeout_ms;   /* 0: 10000 */
  /* Signing dates, credential expiry and backoff sleeps (borrowed: it must
   * outlive the client); NULL: the system clock. */
  const fo_clock *clock;
  /* test hooks (NULL: real randomness, environment) */
  fo_aws_env_fn env;
  double (*random)(void *ud);
  void (*on_retry)(void *ud, const fo_aws_retry_event *ev);
  void *hook_ud;
} fo_aws_config;

typedef struct fo_aws_client fo_aws_client;

/* Copies what it needs from `cfg`. Credentials are looked up lazily, at the
 * first call, and cached (refreshed 5 minutes before expiry). Thread-safe:
 * one client can serve calls from many threads. */
int fo_aws_client_new(fo_aws_client **out, const fo_aws_config *cfg);
void fo_aws_client_free(fo_aws_client *c);

/* The resolved region ("" when none). Borrowed. */
const char *fo_aws_client_region(const fo_aws_client *c);
/* Current credentials (a copy: free it); a fetch stops when `cancel` fires. */
int fo_aws_client_credentials(fo_aws_credentials **out, fo_aws_client *c, const fo_cancel *cancel);

/* The clock the client was configured with (the system clock when none). Borrowed. */
const fo_clock *fo_aws_client_clock(const fo_aws_client *c);

/* The engine behind the client (for presigning and tests). Borrowed. */
const fo_aws_engine *fo_aws_client_engine(const fo_aws_client *c);

/* Call statistics since creation: attempts made and retries among them. */
void fo_aws_client_stats(const fo_aws_client *c, long *calls, long *attempts);

/* One query parameter / form field. Borrowed strings. */
typedef struct fo_aws_param {
  const char *name;
  const char *value;
} fo_aws_param;

/* --- generic protocol calls (the service files use these; callers may too) ---
 * All return 0 and a cJSON document the caller frees, or an error whose
 * message names the service and operation (FO_EAWS: fo_aws_last_error()).
 * Cancellation: every call, paginator and service function takes the token
 * of its caller right after the client (NULL: never cancelled). Cancelling
 * it aborts this call's HTTP transfer or backoff sleep (FO_ECANCELED) and
 * nothing else: other calls on the same client go on. */

/* query protocol: POST Action=..&Version=..&params; returns <Action>Result
 * (XML converted; `list_names` are always arrays, see fo_aws_xml.h). */
int fo_aws_call_query(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const fo_aws_service *svc,
                      const char *action, const fo_aws_param *params, size_t n_params, const char *const *list_names);

/* rest-xml: `path` and `query` already URI-encoded; `body` XML or NULL.
 * Returns the whole document ({"RootElement": {...}}). */
int fo_aws_call_rest_xml(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const fo_aws_service *svc,
                         const char *operation, const char *method, const char *path, const char *query,
                         const char *body, const char *const *list_names);

/* rest-json: `body` is serialised when not NULL. */
int fo_aws_call_rest_json(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const fo_aws_service *svc,
                          const char *operation, const char *method, const char *path, const char *query,
                          const cJSON *body);

/* Raw bytes (S3 objects): the response body goes to `out` (bounded by `max`). */
int fo_aws_call_raw(fo_buf *out, fo_aws_client *c, const fo_cancel *cancel, const fo_aws_service *svc,
                    const char *operation, const char *method, const char *host_label, const char *path,
                    const char *query, size_t max);

/* Append a query parameter to `b` ("&k=v", encoded). */
int fo_aws_query_add(fo_buf *b, const char *key, const char *value);

/* A random UUID v4 for ClientToken / CallerReference / CreatorRequestId, so a
 * retried create never creates twice (the token is made once per logical call). */
void fo_aws_idempotency_token(char out[37]);

#endif
