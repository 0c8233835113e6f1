/* The catalogue of everything the provider serves. */
#include <string.h>

#include "fo_functions.h"
#include "fo_resource.h"
#include "fo_resources.h"

static const fo_resource *const resources[] = {&fo_switch_resource, &fo_weight_pair_resource};
static const fo_data_source *const data_sources[] = {&fo_regions_data_source, &fo_weight_pair_data_source};
static const fo_function *const functions[] = {&fo_counterpart_function, &fo_weights_function};

const fo_resource *const *fo_registry_resources(size_t *n_out) {
  *n_out = sizeof(resources) / sizeof(resources[0]);
  return resources;
}

const fo_data_source *const *fo_registry_data_sources(size_t *n_out) {
  *n_out = sizeof(data_sources) / sizeof(data_sources[0]);
  return data_sources;
}

const fo_function *const *fo_registry_functions(size_t *n_out) {
  *n_out = sizeof(functions) / sizeof(functions[0]);
  return functions;
}

const fo_resource *fo_registry_resource(const char *type_name) {
  for (size_t i = 0; type_name && i < sizeof(resources) / sizeof(resources[0]); i++)
    if (strcmp(resources[i]->type_name, type_name) == 0)
      return resources[i];
  return NULL;
}

const fo_data_source *fo_registry_data_source(const char *type_name) {
  for (size_t i = 0; type_name && i < sizeof(data_sources) / sizeof(data_sources[0]); i++)
    if (strcmp(data_sources[i]->type_name, type_name) == 0)
      return data_sources[i];
  return NULL;
}

const fo_function *fo_registry_function(const char *name) {
  for (size_t i = 0; name && i < sizeof(functions) / sizeof(functions[0]); i++)
    if (strcmp(functions[i]->name, name) == 0)
      return functions[i];
  return NULL;
}
