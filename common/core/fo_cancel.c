/* fo_cancel: cancellation tokens with parents and deadlines; see fo_cancel.h. */
#include "fo_cancel.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "fo_err.h"

struct fo_cancel {
  const fo_cancel *parent;
  atomic_int triggered;
  _Atomic int64_t deadline; /* 0: none */
  const char *_Atomic reason;
  /* Sleepers wait on this token's condition; a trigger on an ancestor cannot
   * reach it, so sleeps wake in slices (SLICE_MS) to re-check the chain. */
  pthread_mutex_t mu;
  pthread_cond_t cv;
};

/* How late a sleeper may notice an ancestor's cancellation. */
#define SLICE_MS 50

int64_t fo_cancel_mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int fo_cancel_new(fo_cancel **out, const fo_cancel *parent) {
  fo_cancel *c = calloc(1, sizeof(*c));
  *out = NULL;
  if (!c)
    return fo_err_oom();
  c->parent = parent;
  pthread_mutex_init(&c->mu, NULL);
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&c->cv, &attr);
  pthread_condattr_destroy(&attr);
  *out = c;
  return FO_OK;
}

void fo_cancel_free(fo_cancel *c) {
  if (!c)
    return;
  pthread_cond_destroy(&c->cv);
  pthread_mutex_destroy(&c->mu);
  free(c);
}

void fo_cancel_trigger(fo_cancel *c, const char *reason) {
  if (!c)
    return;
  const char *expected = NULL;
  atomic_compare_exchange_strong(&c->reason, &expected, reason ? reason : "cancelled");
  pthread_mutex_lock(&c->mu);
  atomic_store(&c->triggered, 1);
  pthread_cond_broadcast(&c->cv);
  pthread_mutex_unlock(&c->mu);
}

void fo_cancel_set_deadline(fo_cancel *c, int64_t deadline_mono_ms) {
  if (!c)
    return;
  pthread_mutex_lock(&c->mu);
  atomic_store(&c->deadline, deadline_mono_ms);
  pthread_cond_broadcast(&c->cv);
  pthread_mutex_unlock(&c->mu);
}

/* The first cancelled token on the chain and why, or NULL. */
static const fo_cancel *cancelled_at(const fo_cancel *c, const char **why) {
  int64_t now = 0;
  for (; c; c = c->parent) {
    if (atomic_load(&c->triggered)) {
      *why = atomic_load(&c->reason);
      return c;
    }
    int64_t d = atomic_load(&c->deadline);
    if (d) {
      if (!now)
        now = fo_cancel_mono_ms();
      if (now >= d) {
        *why = "deadline exceeded";
        return c;
      }
    }
  }
  return NULL;
}

int fo_cancel_is_cancelled(const fo_cancel *c) {
  const char *why;
  return cancelled_at(c, &why) != NULL;
}

const char *fo_cancel_reason(const fo_cancel *c) {
  const char *why = "";
  if (!cancelled_at(c, &why))
    return "";
  return why ? why : "cancelled";
}

int64_t fo_cancel_remaining_ms(const fo_cancel *c) {
  int64_t best = -1, now = fo_cancel_mono_ms();
  for (; c; c = c->parent) {
    int64_t d = atomic_load(&c->deadline);
    if (d) {
      int64_t left = d > now ? d - now : 0;
      if (best < 0 || left < best)
        best = left;
    }
  }
  return best;
}

int fo_cancel_sleep_ms(const fo_cancel *c, long ms) {
  int64_t end = fo_cancel_mono_ms() + (ms > 0 ? ms : 0);
  for (;;) {
    if (fo_cancel_is_cancelled(c))
      return fo_err_set(FO_ECANCELED, "cancelled: %s", fo_cancel_reason(c));
    int64_t now = fo_cancel_mono_ms();
    if (now >= end)
      return FO_OK;
    int64_t step = end - now;
    if (c && c->parent && step > SLICE_MS)
      step = SLICE_MS;
    if (!c) {
      struct timespec ts = {.tv_sec = step / 1000, .tv_nsec = (long)(step % 1000) * 1000000L};
      while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
      }
      continue;
    }
    /* The token's own deadline wakes the sleeper too. */
    int64_t d = atomic_load(&c->deadline);
    if (d && d - now < step)
      step = d - now > 0 ? d - now : 0;
    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_sec += step / 1000;
    abs.tv_nsec += (long)(step % 1000) * 1000000L;
    if (abs.tv_nsec >= 1000000000L) {
      abs.tv_sec++;
      abs.tv_nsec -= 1000000000L;
    }
    fo_cancel *m = (fo_cancel *)c; /* the mutex and condition are not part of the token's logical state */
    pthread_mutex_lock(&m->mu);
    if (!atomic_load(&m->triggered))
      pthread_cond_timedwait(&m->cv, &m->mu, &abs);
    pthread_mutex_unlock(&m->mu);
  }
}
