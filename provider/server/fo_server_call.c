/* Server call objects: reference counting, batches, and running a provider
 * handler for a call (on a worker, or inline for StopProvider). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>
#include <grpc/support/time.h>

#include "fo_buf.h"
#include "fo_err.h"
#include "fo_log.h"
#include "fo_server_internal.h"

const fo_cancel *fo_rpc_cancel(const fo_rpc_ctx *ctx) {
  return ctx ? ctx->cancel : NULL;
}

int fo_rpc_cancelled(const fo_rpc_ctx *ctx) {
  return ctx && fo_cancel_is_cancelled(ctx->cancel);
}

void fo_rpc_request_stop(fo_rpc_ctx *ctx) {
  if (!ctx)
    return;
  if (ctx->srv) {
    atomic_store(&ctx->srv->stop_requested, 1);
    fo_cancel_trigger(ctx->srv->root, "stopped by StopProvider");
  } else {
    /* detached: the group stands for the server */
    fo_cancel_trigger(ctx->group ? ctx->group->cancel : ctx->cancel, "stopped by StopProvider");
  }
}

void fo_rpc_ctx_cancel(fo_rpc_ctx *ctx, const char *reason) {
  if (!ctx)
    return;
  atomic_store(&ctx->cancelled, 1);
  fo_cancel_trigger(ctx->cancel, reason ? reason : "the client cancelled the call");
}

/* A call object with no server and no gRPC call: the fields fo_rpc_cancelled
 * reads exist, the rest stay empty, so release frees it like any call. */
fo_rpc_ctx *fo_rpc_ctx_new_detached_in(fo_rpc_ctx *group) {
  fo_rpc_ctx *c = fo_server_call_new_in(NULL, NULL, NULL, group ? group->cancel : NULL);
  if (c)
    c->group = group;
  return c;
}

fo_rpc_ctx *fo_rpc_ctx_new_detached(void) {
  return fo_rpc_ctx_new_detached_in(NULL);
}

void fo_rpc_ctx_free_detached(fo_rpc_ctx *ctx) {
  if (ctx)
    fo_server_call_release(ctx);
}

long fo_server_ms_since(const struct timespec *t) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long)(now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* --- call objects ------------------------------------------------------- */

fo_rpc_ctx *fo_server_call_new(fo_server *srv, grpc_call *call, const fo_slot *slot) {
  return fo_server_call_new_in(srv, call, slot, srv ? srv->root : NULL);
}

fo_rpc_ctx *fo_server_call_new_in(fo_server *srv, grpc_call *call, const fo_slot *slot, const fo_cancel *parent_token) {
  fo_rpc_ctx *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  if (fo_cancel_new(&c->cancel, parent_token) < 0) {
    free(c);
    return NULL;
  }
  c->srv = srv;
  if (srv)
    atomic_fetch_add(&srv->live_calls, 1);
  c->call = call;
  c->slot = slot;
  grpc_metadata_array_init(&c->md);
  atomic_init(&c->cancelled, 0);
  atomic_init(&c->refs, 1); /* the owner's */
  c->close_tag.kind = FO_TAG_CLOSE;
  c->close_tag.owner = c;
  c->send_tag.kind = FO_TAG_SEND;
  c->send_tag.owner = c;
  return c;
}

void fo_server_call_release(fo_rpc_ctx *c) {
  if (atomic_fetch_sub(&c->refs, 1) != 1)
    return;
  if (c->payload)
    grpc_byte_buffer_destroy(c->payload);
  if (c->send_msg)
    grpc_byte_buffer_destroy(c->send_msg);
  if (c->has_details)
    grpc_slice_unref(c->details);
  grpc_metadata_array_destroy(&c->md);
  if (c->call)
    grpc_call_unref(c->call);
  fo_cancel_free(c->cancel);
  /* last: the loop may take live_calls == 0 as leave to exit the process */
  if (c->srv)
    atomic_fetch_sub(&c->srv->live_calls, 1);
  free(c);
}

void fo_server_call_set_deadline(fo_rpc_ctx *c, gpr_timespec deadline) {
  gpr_timespec mono = gpr_convert_clock_type(deadline, GPR_CLOCK_MONOTONIC);
  gpr_timespec left;
  int64_t ms;
  if (gpr_time_cmp(mono, gpr_inf_future(GPR_CLOCK_MONOTONIC)) == 0 || deadline.tv_sec == INT64_MAX)
    return;
  left = gpr_time_sub(mono, gpr_now(GPR_CLOCK_MONOTONIC));
  ms = (int64_t)left.tv_sec * 1000 + left.tv_nsec / 1000000;
  fo_cancel_set_deadline(c->cancel, fo_cancel_mono_ms() + (ms > 0 ? ms : 0));
}

/* Start a batch of `n` ops on the call, counting it in c->refs (dropped
 * again if gRPC refuses the batch). */
int fo_server_call_batch(fo_rpc_ctx *c, const grpc_op *ops, size_t n, fo_tag *tag) {
  grpc_call_error rc;
  atomic_fetch_add(&c->refs, 1);
  rc = grpc_call_start_batch(c->call, ops, n, tag, NULL);
  if (rc != GRPC_CALL_OK) {
    FO_ERROR("cannot start a batch on call '%s': grpc_call_start_batch error %d", c->slot ? c->slot->path : "?",
             (int)rc);
    fo_server_call_release(c);
    return -1;
  }
  return 0;
}

/* Start one batch finishing the call: optional message (owned slice `msg`,
 * OK only), status with `details` (NULL for none), and RECV_CLOSE_ON_SERVER
 * when `with_close`. */
void fo_server_call_finish(fo_rpc_ctx *c, int status, const char *details, const grpc_slice *msg, int with_close) {
  grpc_op ops[4];
  size_t n = 0;
  memset(ops, 0, sizeof ops);
  ops[n].op = GRPC_OP_SEND_INITIAL_METADATA;
  ops[n++].data.send_initial_metadata.count = 0;
  if (msg) {
    grpc_slice s = *msg;
    c->send_msg = grpc_raw_byte_buffer_create(&s, 1);
    ops[n].op = GRPC_OP_SEND_MESSAGE;
    ops[n++].data.send_message.send_message = c->send_msg;
  }
  ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
  ops[n].data.send_status_from_server.status = (grpc_status_code)status;
  if (details && *details) {
    c->details = grpc_slice_from_copied_string(details);
    c->has_details = 1;
    ops[n].data.send_status_from_server.status_details = &c->details;
  }
  n++;
  if (with_close) {
    ops[n].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
    ops[n++].data.recv_close_on_server.cancelled = &c->close_cancelled;
  }
  (void)fo_server_call_batch(c, ops, n, with_close ? &c->close_tag : &c->send_tag);
}

/* Watch the call for its end (client cancel, deadline, disconnect). */
int fo_server_call_watch_close(fo_rpc_ctx *c) {
  grpc_op op;
  memset(&op, 0, sizeof op);
  op.op = GRPC_OP_RECV_CLOSE_ON_SERVER;
  op.data.recv_close_on_server.cancelled = &c->close_cancelled;
  return fo_server_call_batch(c, &op, 1, &c->close_tag);
}

/* Contiguous bytes of a request payload (NULL payload = empty message). */
grpc_slice fo_server_call_request_bytes(const fo_rpc_ctx *c, int *ok) {
  grpc_byte_buffer_reader r;
  grpc_slice s;
  *ok = 1;
  if (!c->payload)
    return grpc_empty_slice();
  if (!grpc_byte_buffer_reader_init(&r, c->payload)) {
    *ok = 0;
    return grpc_empty_slice();
  }
  s = grpc_byte_buffer_reader_readall(&r);
  grpc_byte_buffer_reader_destroy(&r);
  return s;
}

/* --- provider methods (worker threads) --------------------------------- */

/* Map a handler's return to a gRPC status: negative fo_err codes and values
 * outside the gRPC range are INTERNAL. */
static int fo_server_status(int rc) {
  if (rc < 0 || rc > 16)
    return FO_RPC_INTERNAL;
  return rc;
}

void fo_server_run_user(void *arg) {
  fo_rpc_ctx *c = arg;
  fo_buf resp;
  int status, ok;
  char msg[1024] = "";
  grpc_slice req, out;
  struct timespec t0;

  clock_gettime(CLOCK_MONOTONIC, &t0);
  fo_buf_init(&resp, FO_SERVER_MAX_MESSAGE);
  req = fo_server_call_request_bytes(c, &ok);
  /* gone or shutting down: do not start the work at all (a StopProvider
   * request is for the handlers to judge: they see fo_rpc_cancelled) */
  if (atomic_load(&c->cancelled) || atomic_load(&c->srv->stopping)) {
    status = FO_RPC_CANCELLED;
    snprintf(msg, sizeof msg, "%s",
             atomic_load(&c->srv->stopping) ? "the provider is stopping" : "the call was cancelled");
  } else if (!ok) {
    status = FO_RPC_INVALID_ARGUMENT;
    snprintf(msg, sizeof msg, "%s", "cannot read the request message");
  } else {
    fo_err_clear();
    status = fo_server_status(c->slot->fn(c, GRPC_SLICE_START_PTR(req), GRPC_SLICE_LENGTH(req), &resp));
    /* the token carries the call's deadline: a handler that stopped for it
     * ended the call by its deadline, as gRPC would have */
    if (status == FO_RPC_CANCELLED && !atomic_load(&c->cancelled) && !atomic_load(&c->srv->stopping) &&
        !atomic_load(&c->srv->stop_requested) && fo_cancel_remaining_ms(c->cancel) == 0)
      status = FO_RPC_DEADLINE_EXCEEDED;
    if (status != FO_RPC_OK) {
      snprintf(msg, sizeof msg, "%s", *fo_err_last() ? fo_err_last() : "request failed");
      fo_log_redact(msg);
    }
  }
  grpc_slice_unref(req);
  FO_DEBUG("rpc %s: status %d in %ld ms%s%s", c->slot->path, status, fo_server_ms_since(&t0), status ? ": " : "", msg);
  if (status == FO_RPC_OK) {
    size_t len = 0;
    char *data = fo_buf_detach(&resp, &len);
    out = data ? grpc_slice_new(data, len, free) : grpc_empty_slice();
    fo_server_call_finish(c, status, NULL, &out, 0);
    grpc_slice_unref(out);
  } else {
    fo_server_call_finish(c, status, msg, NULL, 0);
  }
  fo_buf_dispose(&resp);
  fo_server_call_release(c); /* the worker's (owner) reference */
}
