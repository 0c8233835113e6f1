/* fw_test: helpers for the framework tests: values from JSON, DynamicValues,
 * calling a handler with a protobuf request and decoding the response. */
#ifndef FW_TEST_H
#define FW_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <protobuf-c/protobuf-c.h>

#include "fo_arena.h"
#include "fo_buf.h"
#include "fo_cty_codec.h"
#include "fo_err.h"
#include "fo_cty.h"
#include "fo_diag.h"
#include "fo_rpc.h"
#include "tfplugin6.pb-c.h"

/* Value of type `t` from cty JSON (missing attributes null); fails the test on error. */
fo_cty_value *fw_value(const fo_cty_type *t, const char *json);
/* A DynamicValue (msgpack) in `a` for `v`; NULL v = msgpack nil. */
Tfplugin6__DynamicValue *fw_dv(fo_arena *a, const fo_cty_value *v, const fo_cty_type *t);
/* Decode a DynamicValue of a response (fails the test on error). */
fo_cty_value *fw_decode(const fo_cty_type *t, const Tfplugin6__DynamicValue *dv);

struct fo_resource;
/* Validate a config of resource `r` (type `t`, cty JSON) as ValidateResourceConfig does: the schema's checks,
 * then the resource's own. The caller disposes of the diagnostics (fo_diags_dispose). */
fo_diags fw_validate(const struct fo_resource *r, const fo_cty_type *t, const char *json);

/* Packs `req`, calls `fn`, checks the status equals `want_status`, and
 * unpacks the response with `resp_desc` (NULL when the status is not OK). */
ProtobufCMessage *fw_call(fo_rpc_unary_fn fn, const ProtobufCMessage *req, const ProtobufCMessageDescriptor *resp_desc,
                          int want_status);
/* The same on a given context (its own cancellation token). */
ProtobufCMessage *fw_call_ctx(fo_rpc_ctx *ctx, fo_rpc_unary_fn fn, const ProtobufCMessage *req,
                              const ProtobufCMessageDescriptor *resp_desc, int want_status);

/* The string attribute `name` of object `v` ("" when null/unknown). */
const char *fw_str(const fo_cty_value *v, const char *name);

/* Index of the first diagnostic whose summary/detail contains `needle` and whose
 * path (steps joined like "a.b[0]") equals `path` (NULL = no path), or -1. */
long fw_find_diag(Tfplugin6__Diagnostic **diags, size_t n, const char *path, const char *needle);

/* The rpc context handlers get in tests: a detached one (fo_rpc.h), no gRPC involved. */
fo_rpc_ctx *fw_ctx(void);
int fw_stop_requested(void);

#endif
