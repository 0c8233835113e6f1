/* fo_resources: the provider's resource and data source definitions (one file
 * each), collected by fo_registry.c. */
#ifndef FO_RESOURCES_H
#define FO_RESOURCES_H

#include "fo_resource.h"

extern const fo_resource fo_switch_resource;            /* failover_switch */
extern const fo_data_source fo_regions_data_source;     /* failover_regions */
extern const fo_resource fo_weight_pair_resource;       /* failover_weight_pair (weight_pair.h) */
extern const fo_data_source fo_weight_pair_data_source; /* failover_weight_pair */
extern const fo_resource fo_pilot_light_resource;       /* failover_pilot_light */
extern const fo_resource fo_backup_plan_resource;       /* failover_backup_replication_plan (backup_plan.h) */
extern const fo_resource fo_quiesce_resource;           /* failover_quiesce */
extern const fo_resource fo_restore_resource;           /* failover_restore (restore.c, restore_job.c) */

/* Everything above and the provider functions, as one table (fo_registry.c;
 * main.c hands it to the rpc layer, declared for it in server/fo_rpc.h too). */
const struct fo_registry *fo_provider_registry(void);

#endif
