#include "fo_timeouts.h"

#include "fo_validators.h"

#define TIMEOUT_ATTR(op)                                                                                 \
  {                                                                                                      \
    .name = op, .type = "\"string\"", .flags = FO_ATTR_OPTIONAL,                                         \
    .description = "How long to wait for " op " operations, e.g. \"30m\" or \"1h30m\".", .validators = { \
      {fo_validate_duration, NULL}                                                                       \
    }                                                                                                    \
  }

static const fo_attr timeout_attrs[] = {
    TIMEOUT_ATTR("create"),
    TIMEOUT_ATTR("delete"),
    TIMEOUT_ATTR("read"),
    TIMEOUT_ATTR("update"),
};

static const fo_block timeouts_block = {
    .attrs = timeout_attrs,
    .n_attrs = FO_COUNT(timeout_attrs),
    .description = "Operation timeouts.",
};

const fo_block_type fo_timeouts_block_type = {
    .type_name = "timeouts",
    .nesting = FO_NEST_SINGLE,
    .block = &timeouts_block,
    .min_items = 0,
    .max_items = 0, /* Terraform: MinItems and MaxItems must match in NestingSingle mode */
};

int64_t fo_timeouts_seconds(const fo_cty_value *resource_obj, const char *op, int64_t dflt) {
  const fo_cty_value *t, *v;
  int64_t secs;
  if (!resource_obj || fo_cty_is_null(resource_obj) || !fo_cty_is_known(resource_obj))
    return dflt;
  t = fo_cty_get_attr(resource_obj, "timeouts");
  if (!t || fo_cty_is_null(t) || !fo_cty_is_known(t))
    return dflt;
  v = fo_cty_get_attr(t, op);
  if (!v || fo_cty_is_null(v) || !fo_cty_is_known(v) || fo_cty_value_kind(v) != FO_CTY_STRING)
    return dflt;
  if (fo_parse_duration(fo_cty_as_string(v, NULL), &secs) < 0)
    return dflt;
  return secs;
}
