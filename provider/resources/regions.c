/* failover_regions: the configured region pair, and which region is active
 * and which is standby for a given side. */
#include "fo_err.h"
#include "fo_provider.h"
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
  fo_cty_value *state = fo_cty_value_ref(config);
  const fo_cty_value *av = fo_cty_get_attr(config, "active");
  const char *active = "primary";
  fo_side side = FO_SIDE_PRIMARY;
  int error;

  if (av && fo_cty_is_known(av) && !fo_cty_is_null(av))
    active = fo_cty_as_string(av, NULL);
  if (fo_side_parse(active, &side) < 0)
    side = FO_SIDE_PRIMARY; /* the validator already refused anything else */
  /* Unconfigured (c->provider NULL): fo_provider_region gives the documented defaults. */
  if ((error = fo_object_set_string(&state, "active", fo_side_name(side))) >= 0 &&
      (error = fo_object_set_string(&state, "primary_region", fo_provider_region(c->provider, FO_SIDE_PRIMARY))) >= 0 &&
      (error = fo_object_set_string(&state, "secondary_region", fo_provider_region(c->provider, FO_SIDE_SECONDARY))) >=
          0 &&
      (error = fo_object_set_string(&state, "active_region", fo_provider_region(c->provider, side))) >= 0)
    error = fo_object_set_string(
        &state, "standby_region",
        fo_provider_region(c->provider, side == FO_SIDE_PRIMARY ? FO_SIDE_SECONDARY : FO_SIDE_PRIMARY));
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
