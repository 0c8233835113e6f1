/* The catalogue of everything the provider serves. */
#include "fo_functions.h"
#include "fo_resource.h"
#include "fo_resources.h"

static const fo_resource *const resources[] = {&fo_switch_resource,      &fo_weight_pair_resource,
                                               &fo_pilot_light_resource, &fo_backup_plan_resource,
                                               &fo_restore_resource,     &fo_quiesce_resource};
static const fo_data_source *const data_sources[] = {&fo_regions_data_source, &fo_weight_pair_data_source};
static const fo_function *const functions[] = {&fo_counterpart_function, &fo_weights_function};

static const fo_registry builtin = {
    .resources = resources,
    .n_resources = sizeof(resources) / sizeof(resources[0]),
    .data_sources = data_sources,
    .n_data_sources = sizeof(data_sources) / sizeof(data_sources[0]),
    .functions = functions,
    .n_functions = sizeof(functions) / sizeof(functions[0]),
};

const struct fo_registry *fo_provider_registry(void) {
  return &builtin;
}
