/* fo_rpc_service: what the tfplugin6 handlers serve and share across calls:
 * the registry table (handed in through fo_provider_methods), the clock
 * callbacks get, and the current provider instance (swapped by ConfigureProvider). */
#ifndef FO_RPC_SERVICE_H
#define FO_RPC_SERVICE_H

#include "fo_clock.h"
#include "fo_provider.h"
#include "fo_resource.h"

/* The catalogue the handlers serve (NULL until set: nothing is served). */
const fo_registry *fo_rpc_registry(void);
void fo_rpc_set_registry(const fo_registry *r);

/* The clock handed to callbacks: fo_clock_system() unless a test set its own
 * (borrowed; NULL restores the system clock). */
const fo_clock *fo_rpc_clock(void);
void fo_rpc_set_clock(const fo_clock *clock);

/* A new reference to the current instance, or NULL before ConfigureProvider.
 * Every RPC takes one for its whole run (fo_rpc_begin). */
fo_provider *fo_rpc_provider_acquire(void);
/* Make `take` (consumed; NULL = none) the current instance; the previous one
 * loses the service's reference and is freed when the last call holding it ends. */
void fo_rpc_provider_install(fo_provider *take);

#endif
