/* fo_rpc: the contract between the gRPC transport (provider/server) and the
 * code that implements RPCs (provider/rpc), so neither knows the other's insides. */
#ifndef FO_RPC_H
#define FO_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "fo_buf.h"
#include "fo_cancel.h"

/* gRPC status codes a handler may return (same numbers as grpc_status_code). */
enum {
  FO_RPC_OK = 0,
  FO_RPC_CANCELLED = 1,
  FO_RPC_INVALID_ARGUMENT = 3,
  FO_RPC_DEADLINE_EXCEEDED = 4,
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

/* This call's cancellation token, a child of the server's root token:
 * triggered when the client drops the call, by the call's gRPC deadline, by
 * StopProvider (fo_rpc_request_stop) and by shutdown. Valid for the handler's
 * run; NULL for a NULL ctx (never cancelled). Pass it to AWS calls and waits. */
const fo_cancel *fo_rpc_cancel(const fo_rpc_ctx *ctx);

/* 1 once the call's token is cancelled (fo_cancel_is_cancelled of the above). */
int fo_rpc_cancelled(const fo_rpc_ctx *ctx);

/* Cancel all in-flight work (the StopProvider contract): triggers the root
 * token. Sticky: calls that start afterwards also see fo_rpc_cancelled() == 1. */
void fo_rpc_request_stop(fo_rpc_ctx *ctx);

/* A context that belongs to no gRPC call, for running a handler directly
 * (unit tests, fuzz targets). Its token is a child of `group`'s token when
 * `group` is not NULL, so contexts made in one group behave like the calls of
 * one server: fo_rpc_request_stop() on any of them (or on the group) cancels
 * the group and every member, and cancelling one member (fo_rpc_ctx_cancel)
 * cancels that one only. The group must outlive its members. Owned by the
 * caller; free it with fo_rpc_ctx_free_detached (NULL is fine). NULL when out of memory. */
fo_rpc_ctx *fo_rpc_ctx_new_detached_in(fo_rpc_ctx *group);
fo_rpc_ctx *fo_rpc_ctx_new_detached(void); /* fo_rpc_ctx_new_detached_in(NULL) */
/* Cancel this call only, as when its client goes away. */
void fo_rpc_ctx_cancel(fo_rpc_ctx *ctx, const char *reason);
void fo_rpc_ctx_free_detached(fo_rpc_ctx *ctx);

/* The provider's method table serving `registry` (its resources, data
 * sources and functions; borrowed for the process), implemented in
 * provider/rpc; and the provider's built-in registry (provider/resources).
 * main.c joins the two: fo_provider_methods(fo_provider_registry(), &n). */
struct fo_registry;
const fo_rpc_method *fo_provider_methods(const struct fo_registry *registry, size_t *n_out);
const struct fo_registry *fo_provider_registry(void);

#endif
