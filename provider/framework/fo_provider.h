/* fo_provider: one configured provider instance (ConfigureProvider builds it):
 * the validated configuration and one AWS client per side, reference counted. */
#ifndef FO_PROVIDER_H
#define FO_PROVIDER_H

#include "fo_aws_client.h"
#include "fo_diag.h"
#include "fo_provider_config.h"

typedef enum fo_side { FO_SIDE_PRIMARY = 0, FO_SIDE_SECONDARY = 1 } fo_side;

const char *fo_side_name(fo_side s);            /* "primary" / "secondary" */
int fo_side_parse(const char *s, fo_side *out); /* FO_EINVAL for anything else */

/* Immutable once built, so any thread may use it while it holds a reference;
 * the AWS clients are thread-safe. Each RPC holds a reference for its whole
 * run, so a reconfiguration (a new instance) never frees a client in use. */
typedef struct fo_provider fo_provider;

/* Test hooks for the AWS clients (NULL: the real environment). */
typedef struct fo_provider_opts {
  fo_aws_env_fn env;
} fo_provider_opts;

/* Validate `config` (the provider block) and build an instance with one
 * reference: the clients get the regions, profile, assume_role, endpoints
 * and max_retries + 1 attempts; credentials are resolved at the first AWS
 * call and shared by both clients. Errors go to `d` (FO_EINVAL), or fo_err. */
int fo_provider_new(fo_provider **out, const fo_cty_value *config, const fo_provider_opts *opts, fo_diags *d);

fo_provider *fo_provider_ref(fo_provider *p);
void fo_provider_unref(fo_provider *p); /* NULL is fine */

const fo_provider_config *fo_provider_cfg(const fo_provider *p);
/* The side's region; with p NULL (not configured) the documented default. */
const char *fo_provider_region(const fo_provider *p, fo_side side);
/* The side's client: borrowed, lives as long as p. NULL when p is NULL. */
fo_aws_client *fo_provider_aws(fo_provider *p, fo_side side);
/* A new client for `side` (same region, endpoints, retries, shared credentials) whose every attempt, connect
 * included, is bounded by `timeout_ms`: for calls to a region that may be down (failover_quiesce). The caller
 * frees it before the provider goes. */
int fo_provider_aws_short(fo_provider *p, fo_side side, long timeout_ms, fo_aws_client **out);

#endif
