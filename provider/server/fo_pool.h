/* fo_pool: a small pool of worker threads running queued jobs in FIFO order,
 * grown on demand up to a maximum so an idle provider holds few threads. */
#ifndef FO_POOL_H
#define FO_POOL_H

#include <stddef.h>

typedef struct fo_pool fo_pool;
typedef void (*fo_pool_fn)(void *arg);

/* A pool of at most `max_threads` (1..64) workers; none start until needed.
 * Worker threads block every signal (signals belong to the main thread). */
int fo_pool_new(fo_pool **out, int max_threads);

/* Queue `fn(arg)`; a worker starts it when one is free. FO_ECANCELED after
 * fo_pool_free began; FO_ENOMEM when the job cannot be queued. */
int fo_pool_submit(fo_pool *pool, fo_pool_fn fn, void *arg);

/* Number of jobs queued or running (for shutdown decisions and tests). */
size_t fo_pool_busy(fo_pool *pool);

/* Run every job already queued, then join the workers and free the pool. */
void fo_pool_free(fo_pool *pool);

#endif
