/* fo_cty_codec: the wire encodings of cty values: msgpack (DynamicValue.msgpack,
 * via msgpack-c) and JSON (RawState / DynamicValue.json, via cJSON).
 * Pure functions over bytes; every decoder bounds depth and size and reports
 * errors as "at <path>: <what>" through fo_err. */
#ifndef FO_CTY_CODEC_H
#define FO_CTY_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "fo_buf.h"
#include "fo_cty.h"

#define FO_CTY_MAX_DEPTH 64

/* Clarifications (implementation notes, see tests/tools/ctyvectors/README.md):
 * - msgpack input is also bounded by msgpack-c's fixed parser stack: at most
 *   31 nested arrays/maps (a dynamic wrapper counts as one); deeper input is
 *   refused with FO_ELIMIT before msgpack-c sees it.
 * - Output is byte-identical to go-cty v1.16 (checked against vectors made
 *   by go-cty itself), including set element order.
 * - Strings are not NFC-normalised (go-cty's StringVal does that on decode). */

/* Decode `len` bytes of msgpack as a value of type `t`, following go-cty's
 * rules: any extension = unknown (type 12 refinements validated and
 * tolerated), nil = null, numbers from int/uint/float32/float64/decimal str,
 * dynamic slots as the [type-json, value] wrapper. Trailing bytes are an error. */
int fo_cty_msgpack_decode(fo_cty_value **out, const fo_cty_type *t, const uint8_t *data, size_t len);

/* Append the msgpack encoding of `v` (which must conform to `t`) as go-cty
 * does: smallest int, float64 for non-integer doubles, decimal strings
 * otherwise, unknown as d4 00 00, dynamic slots wrapped with a bin type. */
int fo_cty_msgpack_encode(const fo_cty_value *v, const fo_cty_type *t, fo_buf *out);

/* cty JSON: decode leniently like go-cty (missing attributes = null; numeric
 * strings for numbers; "true"/"false" for bools; unknown attributes are an
 * error unless `drop_unknown_attrs` (used for state upgrades)). */
int fo_cty_json_decode(fo_cty_value **out, const fo_cty_type *t, const char *json, size_t len, int drop_unknown_attrs);
/* Unknown values cannot be JSON-encoded (FO_EINVAL). */
int fo_cty_json_encode(const fo_cty_value *v, const fo_cty_type *t, fo_buf *out);

#endif
