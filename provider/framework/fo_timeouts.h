/* fo_timeouts: the conventional `timeouts { create = "30m" ... }` block a
 * resource adds to its schema, and reading a timeout from the config value. */
#ifndef FO_TIMEOUTS_H
#define FO_TIMEOUTS_H

#include <stdint.h>

#include "fo_cty.h"
#include "fo_schema.h"

/* A SINGLE nested block type named "timeouts" with optional create, update,
 * delete and read durations ("30m", "1h30m"), validated. Put it in a block's
 * `blocks` array. */
extern const fo_block_type fo_timeouts_block_type;

/* Seconds for `op` ("create", "update", "delete", "read") from a resource
 * object holding the timeouts block, `dflt` when unset, unknown or invalid. */
int64_t fo_timeouts_seconds(const fo_cty_value *resource_obj, const char *op, int64_t dflt);

#endif
