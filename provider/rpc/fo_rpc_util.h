/* fo_rpc_util: what every handler does the same way: unpack the request,
 * pack the response (with diagnostics) into the transport's buffer. */
#ifndef FO_RPC_UTIL_H
#define FO_RPC_UTIL_H

#include <protobuf-c/protobuf-c.h>

#include "fo_arena.h"
#include "fo_buf.h"
#include "fo_diag.h"
#include "fo_resource.h"
#include "fo_rpc.h"
#include "tfplugin6.pb-c.h"

/* Requests larger than this are refused before decoding (the transport has its own limit too). */
#define FO_RPC_MAX_REQUEST (256u << 20)

/* One handler invocation: the unpacked request, the arena the response is
 * built in, the diagnostics, and the context handed to callbacks. */
typedef struct fo_rpc_call {
  ProtobufCMessage *req;
  fo_arena a;
  fo_diags d;
  fo_call c;
  fo_buf private_out; /* c.private_out points here when the RPC carries private state */
} fo_rpc_call;

/* Initialises `rc` and unpacks the request into rc->req. Returns FO_RPC_OK,
 * or FO_RPC_INVALID_ARGUMENT (fo_err says why; nothing to clean up). */
int fo_rpc_begin(fo_rpc_call *rc, fo_rpc_ctx *ctx, const ProtobufCMessageDescriptor *desc, const char *rpc,
                 const uint8_t *req, size_t len);
/* Sends rc->d in the response's diagnostics field (NULL for responses
 * without one), packs `msg` into `resp`, and frees the request, arena and
 * diagnostics. Returns the status for the transport. */
int fo_rpc_end(fo_rpc_call *rc, ProtobufCMessage *msg, Tfplugin6__Diagnostic ***diag_field, size_t *n_diag_field,
               fo_buf *resp);

/* Private state: the callbacks see `in` as c.private_in and write the new
 * private state to c.private_out (which starts as a copy of `in`). */
int fo_rpc_private_begin(fo_rpc_call *rc, const ProtobufCBinaryData *in);
/* c.private_out's bytes into `out` (copied to the arena; empty: none). */
int fo_rpc_private_end(fo_rpc_call *rc, ProtobufCBinaryData *out);

/* Frees what fo_rpc_begin made (request, arena, diagnostics, the provider reference). */
void fo_rpc_call_dispose(fo_rpc_call *rc);

/* Frees what fo_rpc_begin made without answering: FO_RPC_INTERNAL, for
 * responses that cannot be built (fo_err says why). */
int fo_rpc_fail(fo_rpc_call *rc);

/* Unpacks a request or returns NULL with fo_err set to
 * "malformed <rpc> request: ..." (return FO_RPC_INVALID_ARGUMENT then). */
ProtobufCMessage *fo_rpc_unpack(const ProtobufCMessageDescriptor *desc, const char *rpc, const uint8_t *req,
                                size_t len);

/* Converts `d` into the response's diagnostics field, packs `msg` and appends
 * it to `resp`. Returns an FO_RPC_* status (INTERNAL with fo_err on failure). */
int fo_rpc_finish(ProtobufCMessage *msg, Tfplugin6__Diagnostic ***diag_field, size_t *n_diag_field, fo_arena *a,
                  const fo_diags *d, fo_buf *resp);

/* Function definition -> protobuf (GetProviderSchema and GetFunctions). */
Tfplugin6__Function *fo_rpc_function_to_proto(fo_arena *a, const fo_function *f);

/* Adds "Unknown resource type"-style diagnostics. */
void fo_rpc_unknown_type(fo_diags *d, const char *kind, const char *type_name);

#endif
