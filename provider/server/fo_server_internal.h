/* fo_server_internal: what the server's files share (call objects, slots,
 * the server struct); not for use outside provider/server. */
#ifndef FO_SERVER_INTERNAL_H
#define FO_SERVER_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include <grpc/grpc.h>

#include "fo_cancel.h"
#include "fo_pool.h"
#include "fo_rpc.h"
#include "fo_server.h"
#include "fo_wake.h"

#define FO_SERVER_MAX_SLOTS 64

typedef enum {
  FO_TAG_REQUEST,  /* a registered method's requested call arrived */
  FO_TAG_GENERIC,  /* an unregistered method's call arrived */
  FO_TAG_CLOSE,    /* RECV_CLOSE_ON_SERVER of a call completed */
  FO_TAG_SEND,     /* a send batch of a call completed */
  FO_TAG_SHUTDOWN, /* grpc_server_shutdown_and_notify completed */
  FO_TAG_WAKE      /* the same for the wake thread's own request (no-op) */
} fo_tag_kind;

typedef struct fo_tag {
  fo_tag_kind kind;
  void *owner;
} fo_tag;

typedef enum {
  FO_METHOD_USER,     /* provider method: run on a worker */
  FO_METHOD_HEALTH,   /* grpc.health.v1.Health/Check */
  FO_METHOD_SHUTDOWN, /* plugin.GRPCController/Shutdown */
  FO_METHOD_STREAM    /* plugin.GRPCStdio/StreamStdio, plugin.GRPCBroker/StartStream: held open */
} fo_method_kind;

/* One registered method and the call currently requested for it. */
typedef struct fo_slot {
  fo_tag tag;
  fo_server *srv;
  const char *path;
  fo_method_kind kind;
  fo_rpc_unary_fn fn;
  int run_inline; /* StopProvider: runs on the loop thread, never queued */
  void *handle;
  grpc_call *call;
  gpr_timespec deadline;
  grpc_metadata_array md;
  grpc_byte_buffer *payload;
} fo_slot;

/* The generic request, for methods nobody registered. */
typedef struct fo_generic_slot {
  fo_tag tag;
  grpc_call *call;
  grpc_call_details details;
  grpc_metadata_array md;
} fo_generic_slot;

/* One call in progress; it is also the handler's fo_rpc_ctx. References: one
 * for the owner (the cq thread, then the worker for provider methods, or the
 * open-stream list) and one per batch in flight; the last release frees it.
 * The atomic count is also what orders a worker's writes before the free. */
struct fo_rpc_ctx {
  fo_server *srv;
  grpc_call *call;
  const fo_slot *slot; /* NULL for unknown methods */
  grpc_metadata_array md;
  grpc_byte_buffer *payload;
  grpc_byte_buffer *send_msg;
  grpc_slice details;
  int has_details;
  int close_cancelled;      /* written by gRPC for RECV_CLOSE_ON_SERVER */
  int closed;               /* cq thread: RECV_CLOSE completed */
  int finishing;            /* cq thread: a stream's final status is on its way */
  atomic_int cancelled;     /* the client dropped the call (also triggers `cancel`) */
  fo_cancel *cancel;        /* this call's token: child of the server's root (or of a detached group) */
  struct fo_rpc_ctx *group; /* detached contexts only: whose token is the "server" root */
  atomic_int refs;
  fo_tag close_tag, send_tag;
  struct fo_rpc_ctx *stream_prev, *stream_next; /* open streams (cq thread only) */
};

struct fo_server {
  grpc_server *server;
  grpc_completion_queue *cq;
  grpc_server_credentials *creds;
  fo_pool *pool;
  fo_slot slots[FO_SERVER_MAX_SLOTS];
  size_t n_slots;
  fo_generic_slot generic;
  fo_tag shutdown_tag, wake_tag;
  fo_wake *wake;             /* stop signals and parent watch (NULL: none) */
  atomic_int woken;          /* fo_wake_reason set by the wake thread, 0 = none */
  atomic_long live_calls;    /* call objects not yet freed (fast exit waits for 0) */
  fo_rpc_ctx *streams;       /* held-open stream calls */
  atomic_int stopping;       /* shutdown began: every call is cancelled */
  atomic_int stop_requested; /* StopProvider: sticky */
  fo_cancel *root;           /* parent of every call's token: StopProvider and shutdown trigger it */
  int bound, started, shutdown_begun, grpc_shutdown_started, shutdown_done, cancelled_all, watch_parent, tls, fast_exit;
  const sigset_t *stop_signals;
  struct timespec shutdown_at;
  unsigned char *client_der; /* AutoMTLS: the pinned client certificate (owned) */
  size_t client_der_len;
  char *client_pem; /* the same as gRPC's auth context shows it (fo_tls_cert_pem; owned) */
  size_t client_pem_len;
};

/* --- call objects (fo_server_call.c) --- */

/* A call with one (owner) reference and a token under `parent_token` (the
 * server's root; NULL for none). NULL when out of memory. */
fo_rpc_ctx *fo_server_call_new(fo_server *srv, grpc_call *call, const fo_slot *slot);
fo_rpc_ctx *fo_server_call_new_in(fo_server *srv, grpc_call *call, const fo_slot *slot, const fo_cancel *parent_token);
/* Put the call's gRPC deadline (any clock) on its token; infinite: none. */
void fo_server_call_set_deadline(fo_rpc_ctx *c, gpr_timespec deadline);
/* Drop one reference; the last frees the call. Any thread. */
void fo_server_call_release(fo_rpc_ctx *c);
/* Start a batch of `n` ops on the call, counting it in c->refs (dropped
 * again if gRPC refuses the batch). -1 on refusal. */
int fo_server_call_batch(fo_rpc_ctx *c, const grpc_op *ops, size_t n, fo_tag *tag);
/* Finish the call: initial metadata, the optional message (slice `msg`, a
 * reference is taken), status with `details` (NULL = none), and
 * RECV_CLOSE_ON_SERVER when `with_close`. */
void fo_server_call_finish(fo_rpc_ctx *c, int status, const char *details, const grpc_slice *msg, int with_close);
/* Watch the call for its end (client cancel, deadline, disconnect). */
int fo_server_call_watch_close(fo_rpc_ctx *c);
/* Contiguous request bytes (NULL payload = empty message); `*ok` 0 when the
 * payload cannot be read. The caller unrefs the slice. */
grpc_slice fo_server_call_request_bytes(const fo_rpc_ctx *c, int *ok);
/* Run a provider handler for the call and reply; releases the owner reference.
 * The fo_pool job function (also called inline for StopProvider). */
void fo_server_run_user(void *arg);
long fo_server_ms_since(const struct timespec *t);

/* --- helper services (fo_server_helpers.c), on the loop thread --- */

/* grpc.health.v1.Health/Check */
void fo_server_health(fo_rpc_ctx *c);
/* plugin.GRPCController/Shutdown: reply, then begin the shutdown */
void fo_server_controller_shutdown(fo_rpc_ctx *c);
/* StreamStdio / StartStream: hold open (takes the owner reference) */
void fo_server_stream_open(fo_rpc_ctx *c);
/* End a held-open stream with OK (at shutdown) */
void fo_server_stream_end(fo_rpc_ctx *c);
/* Take a stream off the open list (its close completed) */
void fo_server_stream_unlink(fo_rpc_ctx *c);

/* --- the loop (fo_server.c) --- */

/* Stop accepting, end streams, cancel work; idempotent. Loop thread only. */
void fo_server_begin_shutdown(fo_server *srv, const char *why);

#endif
