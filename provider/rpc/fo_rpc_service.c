#include "fo_rpc_service.h"

#include <pthread.h>
#include <stdatomic.h>

#include "fo_rpc.h"

static const fo_registry *_Atomic registry;
static const fo_clock *_Atomic test_clock;
static pthread_mutex_t provider_lock = PTHREAD_MUTEX_INITIALIZER;
static fo_provider *current; /* the service's reference; guarded by provider_lock */

const fo_registry *fo_rpc_registry(void) {
  return atomic_load(&registry);
}

void fo_rpc_set_registry(const fo_registry *r) {
  atomic_store(&registry, r);
}

const fo_clock *fo_rpc_clock(void) {
  const fo_clock *c = atomic_load(&test_clock);
  return c ? c : fo_clock_system();
}

void fo_rpc_set_clock(const fo_clock *clock) {
  atomic_store(&test_clock, clock);
}

fo_provider *fo_rpc_provider_acquire(void) {
  fo_provider *p;
  pthread_mutex_lock(&provider_lock);
  p = fo_provider_ref(current);
  pthread_mutex_unlock(&provider_lock);
  return p;
}

void fo_rpc_provider_install(fo_provider *take) {
  fo_provider *old;
  pthread_mutex_lock(&provider_lock);
  old = current;
  current = take;
  pthread_mutex_unlock(&provider_lock);
  /* outside the lock: freeing the clients may take a while; calls holding
   * their own reference keep the old instance alive until they end */
  fo_provider_unref(old);
}
