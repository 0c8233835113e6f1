/* Worker pool: one mutex, one condition variable, a singly linked FIFO.
 * Threads are created lazily when a job arrives and no worker is idle. */
#include "fo_pool.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "fo_err.h"

#define FO_POOL_MAX 64

typedef struct fo_pool_job {
  fo_pool_fn fn;
  void *arg;
  struct fo_pool_job *next;
} fo_pool_job;

struct fo_pool {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  fo_pool_job *head, *tail;
  pthread_t threads[FO_POOL_MAX];
  int nthreads, idle, max, quit;
  size_t busy; /* queued + running */
};

static void *fo_pool_worker(void *p) {
  fo_pool *pool = p;
  pthread_mutex_lock(&pool->mu);
  for (;;) {
    fo_pool_job *job;
    while (!pool->head && !pool->quit)
      pthread_cond_wait(&pool->cv, &pool->mu);
    if (!pool->head)
      break; /* quit and nothing left */
    job = pool->head;
    pool->head = job->next;
    if (!pool->head)
      pool->tail = NULL;
    pool->idle--;
    pthread_mutex_unlock(&pool->mu);
    job->fn(job->arg);
    free(job);
    pthread_mutex_lock(&pool->mu);
    pool->idle++;
    pool->busy--;
  }
  pthread_mutex_unlock(&pool->mu);
  return NULL;
}

int fo_pool_new(fo_pool **out, int max_threads) {
  fo_pool *pool;
  if (max_threads < 1 || max_threads > FO_POOL_MAX)
    return fo_err_set(FO_EINVAL, "worker count %d is outside 1..%d", max_threads, FO_POOL_MAX);
  if (!(pool = calloc(1, sizeof *pool)))
    return fo_err_oom();
  pthread_mutex_init(&pool->mu, NULL);
  pthread_cond_init(&pool->cv, NULL);
  pool->max = max_threads;
  *out = pool;
  return FO_OK;
}

/* Caller holds the mutex. Starting a thread may fail (limits): the job then
 * waits for an existing worker, or the caller is told when there is none. */
static int fo_pool_grow_locked(fo_pool *pool) {
  sigset_t all, old;
  int rc;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old); /* the new thread inherits the full mask */
  rc = pthread_create(&pool->threads[pool->nthreads], NULL, fo_pool_worker, pool);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc != 0)
    return -1;
  pool->nthreads++;
  pool->idle++;
  return 0;
}

int fo_pool_submit(fo_pool *pool, fo_pool_fn fn, void *arg) {
  fo_pool_job *job = malloc(sizeof *job);
  size_t queued;
  if (!job)
    return fo_err_oom();
  job->fn = fn;
  job->arg = arg;
  job->next = NULL;
  pthread_mutex_lock(&pool->mu);
  if (pool->quit) {
    pthread_mutex_unlock(&pool->mu);
    free(job);
    return fo_err_set(FO_ECANCELED, "worker pool is shutting down");
  }
  /* jobs already queued claim idle workers first: grow when none is left for this one */
  queued = pool->busy - (size_t)(pool->nthreads - pool->idle);
  if ((size_t)pool->idle <= queued && pool->nthreads < pool->max && fo_pool_grow_locked(pool) < 0 &&
      pool->nthreads == 0) {
    pthread_mutex_unlock(&pool->mu);
    free(job);
    return fo_err_set(FO_ERR, "cannot start a worker thread");
  }
  if (pool->tail)
    pool->tail->next = job;
  else
    pool->head = job;
  pool->tail = job;
  pool->busy++;
  pthread_cond_signal(&pool->cv);
  pthread_mutex_unlock(&pool->mu);
  return FO_OK;
}

size_t fo_pool_busy(fo_pool *pool) {
  size_t n;
  pthread_mutex_lock(&pool->mu);
  n = pool->busy;
  pthread_mutex_unlock(&pool->mu);
  return n;
}

void fo_pool_free(fo_pool *pool) {
  if (!pool)
    return;
  pthread_mutex_lock(&pool->mu);
  pool->quit = 1;
  pthread_cond_broadcast(&pool->cv);
  pthread_mutex_unlock(&pool->mu);
  for (int i = 0; i < pool->nthreads; i++)
    pthread_join(pool->threads[i], NULL);
  pthread_cond_destroy(&pool->cv);
  pthread_mutex_destroy(&pool->mu);
  free(pool);
}
