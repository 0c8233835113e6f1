/* fo_dynval: tfplugin6.DynamicValue <-> cty values for handlers, turning bad
 * msgpack/JSON into an error diagnostic that names the request field. */
#ifndef FO_DYNVAL_H
#define FO_DYNVAL_H

#include "fo_arena.h"
#include "fo_cty.h"
#include "fo_diag.h"
#include "tfplugin6.pb-c.h"

/* Decodes `dv` (msgpack, else JSON, else absent = null) with type `t`.
 * FO_EINVAL with fo_err on bad input (for callers that answer with their own
 * error, e.g. a FunctionError). */
int fo_dynval_value(fo_cty_value **out, const fo_cty_type *t, const Tfplugin6__DynamicValue *dv);

/* The same for request fields that answer with diagnostics: on bad input adds the error diagnostic "Invalid <field> value" with detail
 * "<field>: at .active: expected string" and returns FO_EINVAL. */
int fo_dynval_decode(fo_cty_value **out, const fo_cty_type *t, const Tfplugin6__DynamicValue *dv, const char *field,
                     fo_diags *d);

/* msgpack-encodes `v` (type `t`) into a DynamicValue allocated in `a`; NULL with fo_err on failure. */
Tfplugin6__DynamicValue *fo_dynval_encode(fo_arena *a, const fo_cty_value *v, const fo_cty_type *t);

#endif
