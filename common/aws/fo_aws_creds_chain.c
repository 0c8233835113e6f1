/* Credentials: the provider chain, the thread-safe cache, the SDK default chain. */
#include "fo_aws_creds.h"
#include "fo_buf.h"
#include "fo_err.h"
#include "fo_log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct chain_provider {
  fo_aws_creds_provider base;
  fo_aws_creds_provider **list;
  size_t n;
} chain_provider;

static int chain_get(fo_aws_creds_provider *pp, const fo_cancel *cancel, fo_aws_credentials **out) {
  chain_provider *p = (chain_provider *)pp;
  fo_buf why = FO_BUF_INIT;
  size_t i;
  int err = FO_ENOTFOUND;

  for (i = 0; i < p->n; i++) {
    err = fo_aws_creds_get(p->list[i], cancel, out);
    if (err == 0) {
      FO_DEBUG("aws credentials from %s", (*out)->source);
      goto done;
    }
    if (err != FO_ENOTFOUND) {
      err = fo_err_wrap(err, "credentials (%s)", p->list[i]->vt->name);
      goto done;
    }
    FO_TRACE("aws credentials: %s: %s", p->list[i]->vt->name, fo_err_last());
    fo_buf_printf(&why, "%s%s: %s", why.len ? "; " : "", p->list[i]->vt->name, fo_err_last());
  }
  err = fo_err_set(FO_ENOTFOUND, "no AWS credentials found (%s)", why.data ? why.data : "no providers");
done:
  fo_buf_dispose(&why);
  return err;
}

static void chain_destroy(fo_aws_creds_provider *pp) {
  chain_provider *p = (chain_provider *)pp;
  size_t i;
  for (i = 0; i < p->n; i++)
    fo_aws_creds_provider_free(p->list[i]);
  free(p->list);
  free(p);
}

static const fo_aws_creds_vtable chain_vt = {"chain", chain_get, chain_destroy};

int fo_aws_creds_chain_new(fo_aws_creds_provider **out, fo_aws_creds_provider **providers, size_t n) {
  chain_provider *p;
  size_t i;
  *out = NULL;
  if (!(p = calloc(1, sizeof(*p))) || !(p->list = calloc(n ? n : 1, sizeof(*p->list)))) {
    free(p);
    for (i = 0; i < n; i++)
      fo_aws_creds_provider_free(providers[i]);
    return fo_err_oom();
  }
  p->base.vt = &chain_vt;
  for (i = 0; i < n; i++)
    if (providers[i])
      p->list[p->n++] = providers[i];
  *out = &p->base;
  return 0;
}

typedef struct cache_provider {
  fo_aws_creds_provider base;
  fo_aws_creds_ctx ctx;
  fo_aws_creds_provider *inner;
  long refresh;
  pthread_mutex_t lock; /* guards `cached` and `refreshing`; not held across a fetch */
  pthread_cond_t done;  /* broadcast when a fetch ends */
  int refreshing;       /* a thread is fetching: the others do not fetch too */
  fo_aws_credentials *cached;
} cache_provider;

/* Still accepted by AWS. */
static int usable(const fo_aws_credentials *c, time_t now) {
  return c && (c->expiration == 0 || now < c->expiration);
}

/* Valid and not yet in the refresh window before expiry. */
static int fresh(const fo_aws_credentials *c, time_t now, long refresh) {
  return c && (c->expiration == 0 || now < c->expiration - refresh);
}

/* Wait for the fetch of another thread, waking every 50 ms to notice our own
 * token: a waiting call is cancelled without the fetch it waits for. */
static int wait_fetch(cache_provider *p, const fo_cancel *cancel) {
  struct timespec until;
  if (fo_cancel_is_cancelled(cancel))
    return fo_err_set(FO_ECANCELED, "waiting for credentials: cancelled: %s", fo_cancel_reason(cancel));
  if (!cancel) {
    pthread_cond_wait(&p->done, &p->lock);
    return 0;
  }
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_nsec += 50 * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  pthread_cond_timedwait(&p->done, &p->lock, &until);
  return 0;
}

/* One thread fetches; while it does, the others keep using the current
 * credentials if they are still valid (a refresh starts `refresh` seconds
 * early, so calls do not stall behind an STS round trip), and wait for the
 * fetch only when there is nothing valid to hand out. The fetch runs under
 * the token of the call that started it. */
static int cache_get(fo_aws_creds_provider *pp, const fo_cancel *cancel, fo_aws_credentials **out) {
  cache_provider *p = (cache_provider *)pp;
  fo_aws_credentials *got = NULL;
  time_t now = fo_aws_creds_now(&p->ctx);
  int err = 0;

  pthread_mutex_lock(&p->lock);
  for (;;) {
    if (fresh(p->cached, now, p->refresh) || (p->refreshing && usable(p->cached, now))) {
      err = fo_aws_credentials_dup(out, p->cached);
      goto done;
    }
    if (!p->refreshing)
      break;
    if ((err = wait_fetch(p, cancel)) < 0)
      goto done;
    now = fo_aws_creds_now(&p->ctx);
  }
  p->refreshing = 1;
  pthread_mutex_unlock(&p->lock);
  err = fo_aws_creds_get(p->inner, cancel, &got);
  pthread_mutex_lock(&p->lock);
  p->refreshing = 0;
  pthread_cond_broadcast(&p->done);
  if (err < 0) {
    /* Refresh failed but the old ones still work: use them (as the SDKs do). */
    if (err != FO_ECANCELED && usable(p->cached, now) && p->cached->expiration != 0) {
      FO_WARN("aws credentials refresh failed, using the current ones until they expire: %s", fo_err_last());
      err = fo_aws_credentials_dup(out, p->cached);
    }
    goto done;
  }
  fo_aws_credentials_free(p->cached);
  p->cached = got;
  err = fo_aws_credentials_dup(out, p->cached);
done:
  pthread_mutex_unlock(&p->lock);
  return err;
}

static void cache_destroy(fo_aws_creds_provider *pp) {
  cache_provider *p = (cache_provider *)pp;
  fo_aws_creds_provider_free(p->inner);
  fo_aws_credentials_free(p->cached);
  pthread_mutex_destroy(&p->lock);
  pthread_cond_destroy(&p->done);
  free(p);
}

static const fo_aws_creds_vtable cache_vt = {"cache", cache_get, cache_destroy};

int fo_aws_creds_cache_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx, fo_aws_creds_provider *inner,
                           long refresh_seconds) {
  cache_provider *p;
  *out = NULL;
  if (!(p = calloc(1, sizeof(*p)))) {
    fo_aws_creds_provider_free(inner);
    return fo_err_oom();
  }
  p->base.vt = &cache_vt;
  if (ctx)
    p->ctx = *ctx;
  p->inner = inner;
  p->refresh = refresh_seconds > 0 ? refresh_seconds : 300;
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->done, NULL);
  *out = &p->base;
  return 0;
}

int fo_aws_creds_default_chain_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx, const char *access_key_id,
                                   const char *secret_access_key, const char *session_token, const char *profile,
                                   const char *config_file, const char *credentials_file) {
  fo_aws_creds_provider *list[7] = {NULL};
  fo_aws_creds_provider *chain = NULL;
  size_t n = 0, i;
  int err = 0;

  *out = NULL;
  if ((access_key_id && *access_key_id) || (secret_access_key && *secret_access_key)) {
    if ((err = fo_aws_creds_static_new(&list[n++], access_key_id, secret_access_key, session_token)) < 0)
      goto fail;
  }
  /* A profile named in the configuration wins over the environment, as in
   * the Terraform AWS provider; AWS_PROFILE keeps the SDK order. */
  if (profile && *profile &&
      (err = fo_aws_creds_profile_new(&list[n++], ctx, profile, config_file, credentials_file)) < 0)
    goto fail;
  if ((err = fo_aws_creds_env_new(&list[n++], ctx)) < 0 ||
      (err = fo_aws_creds_web_identity_new(&list[n++], ctx, NULL, NULL, NULL)) < 0)
    goto fail;
  if (!(profile && *profile) &&
      (err = fo_aws_creds_profile_new(&list[n++], ctx, NULL, config_file, credentials_file)) < 0)
    goto fail;
  if ((err = fo_aws_creds_ecs_new(&list[n++], ctx)) < 0 || (err = fo_aws_creds_imds_new(&list[n++], ctx)) < 0)
    goto fail;
  if ((err = fo_aws_creds_chain_new(&chain, list, n)) < 0)
    return err;
  return fo_aws_creds_cache_new(out, ctx, chain, 300);
fail:
  for (i = 0; i < n; i++)
    fo_aws_creds_provider_free(list[i]);
  return err;
}
