/* fo_rpc: the contract between the gRPC transport (provider/server) and the
 * code that implements RPCs (provider/rpc), so neither knows the other's insides. */
#ifndef FO_RPC_H
#define FO_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "fo_buf.h"

/* gRPC status codes a handler may return (same numbers as grpc_status_code). */
enum {
  FO_RPC_OK = 0,
  FO_RPC_CANCELLED = 1,
  FO_RPC_INVALID_ARGUMENT = 3,
  FO_RPC_UNIMPLEMENTED = 12,
  FO_RPC_INTERNAL = 13
};

typedef struct fo_rpc_ctx fo_rpc_ctx;

/* A unary handler: `req` is the serialized request message (protobuf bytes,
 * borrowed for the call), the serialized response is appended to `resp`.
 * Returns a status code; for a non-OK status the message is taken from
 * fo_err_last() (say what was wrong with the request, never include secrets).
 * Handlers run on worker threads, several at once. */
typedef int (*fo_rpc_unary_fn)(fo_rpc_ctx *ctx, const uint8_t *req, size_t req_len, fo_buf *resp);

typedef struct fo_rpc_method {
  const char *path; /* "/tfplugin6.Provider/GetProviderSchema" */
  fo_rpc_unary_fn fn;
} fo_rpc_method;

/* 1 once the call should stop working: the client cancelled it, the server is
 * shutting down, or fo_rpc_request_stop() was called (StopProvider). Long
 * work (AWS waits, retries) polls this. */
int fo_rpc_cancelled(const fo_rpc_ctx *ctx);

/* Cancel all in-flight work (the StopProvider contract). Sticky: calls that
 * start afterwards also see fo_rpc_cancelled() == 1. */
void fo_rpc_request_stop(fo_rpc_ctx *ctx);

/* A context that belongs to no gRPC call, for running a handler directly
 * (unit tests, fuzz targets): not cancelled until fo_rpc_request_stop() is
 * called on it, which then cancels this context only. Owned by the caller;
 * free it with fo_rpc_ctx_free_detached (NULL is fine). NULL when out of memory. */
fo_rpc_ctx *fo_rpc_ctx_new_detached(void);
void fo_rpc_ctx_free_detached(fo_rpc_ctx *ctx);

/* The provider's method table, implemented in provider/rpc. */
const fo_rpc_method *fo_provider_methods(size_t *n_out);

#endif
