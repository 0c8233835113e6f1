/* failover_regions: the configured region pair, and which region is active
 * and which is standby for a given side. */
#include <string.h>

#include "fo_err.h"
#include "fo_provider_config.h"
#include "fo_resources.h"
#include "fo_validators.h"

static const char *const sides[] = {"primary", "secondary", NULL};

static const fo_attr regions_attrs[] = {
    {.name = "active",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .description = "The active side, \"primary\" (default) or \"secondary\", e.g. failover_switch.x.active.",
     .markdown = "The active side, `\"primary\"` (default) or `\"secondary\"`, typically `failover_switch.x.active`.",
     .validators = {{fo_validate_one_of, sides}}},
    {.name = "primary_region",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "The provider's primary_region."},
    {.name = "secondary_region",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "The provider's secondary_region."},
    {.name = "active_region",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "The region of the active side."},
    {.name = "standby_region",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "The region of the other side."},
};

static const fo_schema regions_schema = {
    .version = 0,
    .block =
        {
            .attrs = regions_attrs,
            .n_attrs = FO_COUNT(regions_attrs),
            .description = "The configured primary/secondary region pair and the active/standby regions for a side.",
        },
};

static int regions_read(fo_call *c, const fo_cty_value *config, fo_cty_value **out) {
  fo_provider_config cfg;
  fo_cty_value *state = fo_cty_value_ref(config);
  const fo_cty_value *av = fo_cty_get_attr(config, "active");
  const char *active = "primary", *active_region, *standby_region;
  int secondary, error;
  (void)c;

  if (av && fo_cty_is_known(av) && !fo_cty_is_null(av))
    active = fo_cty_as_string(av, NULL);
  secondary = strcmp(active, "secondary") == 0;
  /* Unconfigured (e.g. no provider block): the documented defaults apply. */
  if ((error = fo_provider_config_get(&cfg)) < 0 && error != FO_ENOTFOUND) {
    fo_cty_value_unref(state);
    return error;
  }
  active_region = secondary ? cfg.secondary_region : cfg.primary_region;
  standby_region = secondary ? cfg.primary_region : cfg.secondary_region;
  if ((error = fo_object_set_string(&state, "active", active)) >= 0 &&
      (error = fo_object_set_string(&state, "primary_region", cfg.primary_region)) >= 0 &&
      (error = fo_object_set_string(&state, "secondary_region", cfg.secondary_region)) >= 0 &&
      (error = fo_object_set_string(&state, "active_region", active_region)) >= 0)
    error = fo_object_set_string(&state, "standby_region", standby_region);
  fo_provider_config_dispose(&cfg);
  if (error < 0) {
    fo_cty_value_unref(state);
    return error;
  }
  *out = state;
  return FO_OK;
}

const fo_data_source fo_regions_data_source = {
    .type_name = "failover_regions",
    .schema = &regions_schema,
    .read = regions_read,
};
