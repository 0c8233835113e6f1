/* weights(active, [active_weight, [standby_weight]]): the Route 53 weights of
 * the primary and secondary records for the active side (255/0 by default). */
#include <string.h>

#include "fo_err.h"
#include "fo_functions.h"

#define WEIGHT_MAX 255 /* Route 53 weighted records take 0..255 */

static int weight_arg(const fo_cty_value *v, long index, int64_t *out, fo_func_error *err) {
  if (fo_cty_number_as_int64(v, out) < 0 || *out < 0 || *out > WEIGHT_MAX)
    return fo_func_fail(err, index, "a weight must be a whole number from 0 to %d, got %s", WEIGHT_MAX,
                        fo_cty_number_text(v));
  return FO_OK;
}

static int weights_call(const fo_cty_value *const *args, size_t n_args, fo_cty_value **out, fo_func_error *err) {
  static const char *const names[2] = {"primary", "secondary"};
  fo_cty_type *types[2], *obj_t;
  fo_cty_value *vals[2];
  const char *active;
  int64_t active_w = WEIGHT_MAX, standby_w = 0;
  int secondary;

  active = fo_cty_as_string(args[0], NULL);
  if (strcmp(active, "primary") == 0)
    secondary = 0;
  else if (strcmp(active, "secondary") == 0)
    secondary = 1;
  else
    return fo_func_fail(err, 0, "active must be \"primary\" or \"secondary\", got \"%s\"", active);
  if (n_args > 3)
    return fo_func_fail(err, 3, "weights takes at most two weights (active, standby), got %zu", n_args - 1);
  if (n_args > 1 && weight_arg(args[1], 1, &active_w, err) < 0)
    return FO_EINVAL;
  if (n_args > 2 && weight_arg(args[2], 2, &standby_w, err) < 0)
    return FO_EINVAL;

  types[0] = fo_cty_type_number();
  types[1] = fo_cty_type_number();
  if (!(obj_t = fo_cty_type_object(2, names, types)))
    return fo_func_fail(err, -1, "%s", fo_err_last());
  vals[0] = fo_cty_number_int(secondary ? standby_w : active_w); /* primary */
  vals[1] = fo_cty_number_int(secondary ? active_w : standby_w); /* secondary */
  *out = fo_cty_object(obj_t, vals);
  fo_cty_type_unref(obj_t);
  return *out ? FO_OK : fo_func_fail(err, -1, "%s", fo_err_last());
}

static const fo_func_param weights_params[] = {
    {.name = "active",
     .type = "\"string\"",
     .description = "The active side: \"primary\" or \"secondary\" (e.g. failover_switch.dr.active)."},
};
static const fo_func_param weights_variadic = {
    .name = "weights",
    .type = "\"number\"",
    .description = "Optional: the active side's weight (default 255), then the standby side's weight (default 0)."};

const fo_function fo_weights_function = {
    .name = "weights",
    .summary = "Route 53 weights for the primary and secondary records",
    .description =
        "Returns `{ primary = <weight>, secondary = <weight> }` for the active side: "
        "`weights(\"primary\")` is `{ primary = 255, secondary = 0 }`, `weights(\"secondary\")` is "
        "`{ primary = 0, secondary = 255 }`. Optional extra arguments override the active and the "
        "standby weight (whole numbers 0-255): `weights(\"secondary\", 100, 10)` is "
        "`{ primary = 10, secondary = 100 }`.",
    .params = weights_params,
    .n_params = FO_COUNT(weights_params),
    .variadic = &weights_variadic,
    .return_type = "[\"object\",{\"primary\":\"number\",\"secondary\":\"number\"}]",
    .call = weights_call,
};
