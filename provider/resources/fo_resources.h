/* fo_resources: the provider's resource and data source definitions (one file
 * each), collected by fo_registry.c. */
#ifndef FO_RESOURCES_H
#define FO_RESOURCES_H

#include <time.h>

#include "fo_resource.h"

extern const fo_resource fo_switch_resource;            /* failover_switch */
extern const fo_data_source fo_regions_data_source;     /* failover_regions */
extern const fo_resource fo_weight_pair_resource;       /* failover_weight_pair (weight_pair.h) */
extern const fo_data_source fo_weight_pair_data_source; /* failover_weight_pair */

/* The clock failover_switch stamps switched_at with (tests pin it); NULL restores time(). */
void fo_switch_set_clock(time_t (*now)(void));

#endif
