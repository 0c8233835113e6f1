/* fo_functions: the provider-defined functions (provider::failover::<name>),
 * pure computations with no AWS calls, one file each. */
#ifndef FO_FUNCTIONS_H
#define FO_FUNCTIONS_H

#include "fo_buf.h"
#include "fo_resource.h"

extern const fo_function fo_weights_function;     /* weights(active, [active_weight, standby_weight]) */
extern const fo_function fo_counterpart_function; /* counterpart(value, from_region, to_region) */

/* The core of counterpart() on plain strings: appends the result to `out`,
 * or returns FO_EINVAL with fo_err set and *bad_arg = the argument at fault. */
int fo_counterpart(const char *value, const char *from_region, const char *to_region, fo_buf *out, long *bad_arg);

#endif
