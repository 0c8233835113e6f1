/* gRPC core server loop. One completion queue, polled by the thread that
 * calls fo_server_run; every completion is handled there, so per-call
 * bookkeeping needs no locks except the reference count, which workers also
 * drop. Provider handlers run on fo_pool workers; the helper services
 * (health, controller, stdio, broker) are trivial and answered inline. */
#include "fo_server.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/slice.h>
#include <grpc/support/log.h>
#include <grpc/support/time.h>

#include "fo_err.h"
#include "fo_log.h"
#include "fo_pool.h"
#include "grpc_controller.pb-c.h"
#include "grpc_health.pb-c.h"

/* How long a stopping server lets in-flight calls finish before cancelling
 * them, and how long it waits after that before giving up on them. go-plugin
 * kills the process 2 s after Shutdown, so both stay short. */
#define FO_SERVER_GRACE_MS 500
#define FO_SERVER_HARD_MS 5000
#define FO_SERVER_POLL_MS 200
#define FO_SERVER_MAX_SLOTS 64

typedef enum {
  FO_TAG_REQUEST,  /* a registered method's requested call arrived */
  FO_TAG_GENERIC,  /* an unregistered method's call arrived */
  FO_TAG_CLOSE,    /* RECV_CLOSE_ON_SERVER of a call completed */
  FO_TAG_SEND,     /* a send batch of a call completed */
  FO_TAG_SHUTDOWN  /* grpc_server_shutdown_and_notify completed */
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
  const fo_slot *slot;          /* NULL for unknown methods */
  grpc_metadata_array md;
  grpc_byte_buffer *payload;
  grpc_byte_buffer *send_msg;
  grpc_slice details;
  int has_details;
  int close_cancelled;          /* written by gRPC for RECV_CLOSE_ON_SERVER */
  int closed;                   /* cq thread: RECV_CLOSE completed */
  int finishing;                /* cq thread: a stream's final status is on its way */
  atomic_int cancelled;
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
  fo_tag shutdown_tag;
  fo_rpc_ctx *streams;          /* held-open stream calls */
  atomic_int stopping;          /* shutdown began: every call is cancelled */
  atomic_int stop_requested;    /* StopProvider: sticky */
  int started, shutdown_begun, shutdown_done, cancelled_all, watch_parent;
  pid_t parent;
  struct timespec shutdown_at;
};

static volatile sig_atomic_t fo_server_signalled;

void fo_server_signal_stop(void) { fo_server_signalled = 1; }

int fo_rpc_cancelled(const fo_rpc_ctx *ctx)
{
  if (!ctx)
    return 0;
  return atomic_load(&ctx->cancelled) || atomic_load(&ctx->srv->stopping) ||
         atomic_load(&ctx->srv->stop_requested);
}

void fo_rpc_request_stop(fo_rpc_ctx *ctx)
{
  if (ctx)
    atomic_store(&ctx->srv->stop_requested, 1);
}

/* gRPC core's own log lines go through our logger (JSON on stderr): its
 * INFO lines are chatty, so they count as our debug; its errors (e.g. a
 * refused TLS handshake) as warnings. */
static void fo_server_gpr_log(gpr_log_func_args *a)
{
  fo_log_level lvl = a->severity == GPR_LOG_SEVERITY_ERROR  ? FO_LOG_WARN
                     : a->severity == GPR_LOG_SEVERITY_INFO ? FO_LOG_DEBUG
                                                            : FO_LOG_TRACE;
  FO_LOG(lvl, "grpc: %s (%s:%d)", a->message ? a->message : "", a->file ? a->file : "?", a->line);
}

static long fo_server_ms_since(const struct timespec *t)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long)(now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* --- call objects ------------------------------------------------------- */

static fo_rpc_ctx *fo_call_new(fo_server *srv, grpc_call *call, const fo_slot *slot)
{
  fo_rpc_ctx *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->srv = srv;
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

static void fo_call_release(fo_rpc_ctx *c)
{
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
  free(c);
}

/* Start a batch of `n` ops on the call, counting it in c->refs (dropped
 * again if gRPC refuses the batch). */
static int fo_call_batch(fo_rpc_ctx *c, const grpc_op *ops, size_t n, fo_tag *tag)
{
  grpc_call_error rc;
  atomic_fetch_add(&c->refs, 1);
  rc = grpc_call_start_batch(c->call, ops, n, tag, NULL);
  if (rc != GRPC_CALL_OK) {
    FO_ERROR("cannot start a batch on call '%s': grpc_call_start_batch error %d",
             c->slot ? c->slot->path : "?", (int)rc);
    fo_call_release(c);
    return -1;
  }
  return 0;
}

/* Start one batch finishing the call: optional message (owned slice `msg`,
 * OK only), status with `details` (NULL for none), and RECV_CLOSE_ON_SERVER
 * when `with_close`. */
static void fo_call_finish(fo_rpc_ctx *c, int status, const char *details, const grpc_slice *msg,
                           int with_close)
{
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
  (void)fo_call_batch(c, ops, n, with_close ? &c->close_tag : &c->send_tag);
}

/* Watch the call for its end (client cancel, deadline, disconnect). */
static int fo_call_watch_close(fo_rpc_ctx *c)
{
  grpc_op op;
  memset(&op, 0, sizeof op);
  op.op = GRPC_OP_RECV_CLOSE_ON_SERVER;
  op.data.recv_close_on_server.cancelled = &c->close_cancelled;
  return fo_call_batch(c, &op, 1, &c->close_tag);
}

/* Contiguous bytes of a request payload (NULL payload = empty message). */
static grpc_slice fo_call_request_bytes(const fo_rpc_ctx *c, int *ok)
{
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
static int fo_server_status(int rc)
{
  if (rc < 0 || rc > 16)
    return FO_RPC_INTERNAL;
  return rc;
}

static void fo_server_run_user(void *arg)
{
  fo_rpc_ctx *c = arg;
  fo_buf resp;
  int status, ok;
  char msg[1024] = "";
  grpc_slice req, out;
  struct timespec t0;

  clock_gettime(CLOCK_MONOTONIC, &t0);
  fo_buf_init(&resp, FO_SERVER_MAX_MESSAGE);
  req = fo_call_request_bytes(c, &ok);
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
    if (status != FO_RPC_OK) {
      snprintf(msg, sizeof msg, "%s", *fo_err_last() ? fo_err_last() : "request failed");
      fo_log_redact(msg);
    }
  }
  grpc_slice_unref(req);
  FO_DEBUG("rpc %s: status %d in %ld ms%s%s", c->slot->path, status, fo_server_ms_since(&t0),
           status ? ": " : "", msg);
  if (status == FO_RPC_OK) {
    size_t len = 0;
    char *data = fo_buf_detach(&resp, &len);
    out = data ? grpc_slice_new(data, len, free) : grpc_empty_slice();
    fo_call_finish(c, status, NULL, &out, 0);
    grpc_slice_unref(out);
  } else {
    fo_call_finish(c, status, msg, NULL, 0);
  }
  fo_buf_dispose(&resp);
  fo_call_release(c); /* the worker's (owner) reference */
}

/* --- helper services (cq thread) -------------------------------------- */

static void fo_server_health(fo_rpc_ctx *c)
{
  int ok;
  grpc_slice req = fo_call_request_bytes(c, &ok);
  Grpc__Health__V1__HealthCheckRequest *in = NULL;
  Grpc__Health__V1__HealthCheckResponse out = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__INIT;
  if (ok)
    in = grpc__health__v1__health_check_request__unpack(NULL, GRPC_SLICE_LENGTH(req),
                                                        GRPC_SLICE_START_PTR(req));
  grpc_slice_unref(req);
  if (!in) {
    fo_call_finish(c, FO_RPC_INVALID_ARGUMENT, "cannot decode grpc.health.v1.HealthCheckRequest",
                   NULL, 1);
  } else if (strcmp(in->service, "") != 0 && strcmp(in->service, "plugin") != 0) {
    fo_call_finish(c, GRPC_STATUS_NOT_FOUND, "unknown service", NULL, 1);
  } else {
    size_t len;
    grpc_slice s;
    out.status = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING;
    len = grpc__health__v1__health_check_response__get_packed_size(&out);
    s = grpc_slice_malloc(len);
    grpc__health__v1__health_check_response__pack(&out, GRPC_SLICE_START_PTR(s));
    fo_call_finish(c, FO_RPC_OK, NULL, &s, 1);
    grpc_slice_unref(s);
  }
  if (in)
    grpc__health__v1__health_check_request__free_unpacked(in, NULL);
}

static void fo_server_begin_shutdown(fo_server *srv, const char *why);

static void fo_server_controller_shutdown(fo_rpc_ctx *c)
{
  grpc_slice empty = grpc_empty_slice(); /* plugin.Empty has no fields */
  fo_call_finish(c, FO_RPC_OK, NULL, &empty, 1);
  fo_server_begin_shutdown(c->srv, "plugin.GRPCController/Shutdown called");
}

static void fo_server_stream_unlink(fo_rpc_ctx *c)
{
  fo_server *srv = c->srv;
  if (c->stream_prev)
    c->stream_prev->stream_next = c->stream_next;
  else if (srv->streams == c)
    srv->streams = c->stream_next;
  if (c->stream_next)
    c->stream_next->stream_prev = c->stream_prev;
  c->stream_prev = c->stream_next = NULL;
}

/* Streams go-plugin opens (stdio, broker) stay open, sending nothing, until the
 * client goes away or we shut down; then they end with OK so go-plugin sees a
 * clean end of stream. */
static void fo_server_stream_open(fo_rpc_ctx *c)
{
  fo_server *srv = c->srv;
  if (fo_call_watch_close(c) < 0) {
    fo_call_release(c);
    return;
  }
  /* the owner reference now belongs to the list, until the close completes */
  c->stream_next = srv->streams;
  if (srv->streams)
    srv->streams->stream_prev = c;
  srv->streams = c;
}

static void fo_server_stream_end(fo_rpc_ctx *c)
{
  if (c->closed || c->finishing)
    return;
  c->finishing = 1;
  fo_call_finish(c, FO_RPC_OK, NULL, NULL, 0);
}

/* --- arrivals --------------------------------------------------------- */

static int fo_server_arm(fo_slot *s)
{
  grpc_call_error rc = grpc_server_request_registered_call(
      s->srv->server, s->handle, &s->call, &s->deadline, &s->md,
      s->kind == FO_METHOD_STREAM ? NULL : &s->payload, s->srv->cq, s->srv->cq, &s->tag);
  if (rc != GRPC_CALL_OK)
    return fo_err_set(FO_ERR, "cannot request calls for '%s': error %d", s->path, (int)rc);
  return FO_OK;
}

static int fo_server_arm_generic(fo_server *srv)
{
  fo_generic_slot *g = &srv->generic;
  grpc_call_error rc;
  grpc_call_details_init(&g->details);
  grpc_metadata_array_init(&g->md);
  rc = grpc_server_request_call(srv->server, &g->call, &g->details, &g->md, srv->cq, srv->cq,
                                &g->tag);
  if (rc != GRPC_CALL_OK) {
    grpc_call_details_destroy(&g->details);
    grpc_metadata_array_destroy(&g->md);
    return fo_err_set(FO_ERR, "cannot request unknown-method calls: error %d", (int)rc);
  }
  return FO_OK;
}

static void fo_server_on_request(fo_server *srv, fo_slot *s, int success)
{
  fo_rpc_ctx *c;
  grpc_call *call = s->call;
  grpc_byte_buffer *payload = s->payload;
  grpc_metadata_array md = s->md;

  s->call = NULL;
  s->payload = NULL;
  grpc_metadata_array_init(&s->md);
  if (!success) { /* the server is shutting down: no more calls for this slot */
    grpc_metadata_array_destroy(&md);
    return;
  }
  if (!srv->shutdown_begun && fo_server_arm(s) < 0)
    FO_ERROR("%s", fo_err_last());

  c = fo_call_new(srv, call, s);
  if (!c) {
    FO_ERROR("out of memory for call '%s'", s->path);
    grpc_call_cancel(call, NULL);
    grpc_call_unref(call);
    if (payload)
      grpc_byte_buffer_destroy(payload);
    grpc_metadata_array_destroy(&md);
    return;
  }
  c->payload = payload;
  c->md = md;
  FO_TRACE("rpc %s: received", s->path);

  switch (s->kind) {
  case FO_METHOD_HEALTH:
    fo_server_health(c);
    fo_call_release(c);
    break;
  case FO_METHOD_SHUTDOWN:
    fo_server_controller_shutdown(c);
    fo_call_release(c);
    break;
  case FO_METHOD_STREAM:
    if (srv->shutdown_begun) {
      fo_call_finish(c, FO_RPC_OK, NULL, NULL, 1);
      fo_call_release(c);
      break;
    }
    fo_server_stream_open(c); /* keeps the owner reference */
    break;
  case FO_METHOD_USER:
    (void)fo_call_watch_close(c); /* without it the call just never looks cancelled */
    /* StopProvider must reach the provider even when every worker is busy
     * with the long calls it is meant to cancel */
    if (s->run_inline) {
      fo_server_run_user(c);
      break;
    }
    /* the owner reference goes to the worker */
    if (fo_pool_submit(srv->pool, fo_server_run_user, c) < 0) {
      FO_ERROR("cannot queue call '%s': %s", s->path, fo_err_last());
      fo_call_finish(c, GRPC_STATUS_UNAVAILABLE, "the provider cannot take more calls", NULL, 0);
      fo_call_release(c);
    }
    break;
  }
}

static void fo_server_on_generic(fo_server *srv, int success)
{
  fo_generic_slot *g = &srv->generic;
  grpc_call *call = g->call;
  char details[512];
  fo_rpc_ctx *c;

  g->call = NULL;
  if (success) {
    const grpc_slice m = g->details.method;
    snprintf(details, sizeof details, "unknown method '%.*s'", (int)GRPC_SLICE_LENGTH(m),
             (const char *)GRPC_SLICE_START_PTR(m));
  }
  grpc_call_details_destroy(&g->details);
  grpc_metadata_array_destroy(&g->md);
  if (!success)
    return;
  if (!srv->shutdown_begun && fo_server_arm_generic(srv) < 0)
    FO_ERROR("%s", fo_err_last());
  FO_DEBUG("rpc: %s: UNIMPLEMENTED", details);
  if (!(c = fo_call_new(srv, call, NULL))) {
    grpc_call_cancel(call, NULL);
    grpc_call_unref(call);
    return;
  }
  fo_call_finish(c, GRPC_STATUS_UNIMPLEMENTED, details, NULL, 1);
  fo_call_release(c);
}

static void fo_server_on_close(fo_rpc_ctx *c)
{
  c->closed = 1;
  if (c->close_cancelled)
    atomic_store(&c->cancelled, 1);
  if (c->slot && c->slot->kind == FO_METHOD_STREAM) {
    fo_server_stream_unlink(c);
    fo_call_release(c); /* the list's owner reference */
  }
  fo_call_release(c);
}

static void fo_server_handle(fo_server *srv, const grpc_event *ev)
{
  fo_tag *tag = ev->tag;
  switch (tag->kind) {
  case FO_TAG_REQUEST:
    fo_server_on_request(srv, tag->owner, ev->success);
    break;
  case FO_TAG_GENERIC:
    fo_server_on_generic(srv, ev->success);
    break;
  case FO_TAG_CLOSE:
    fo_server_on_close(tag->owner);
    break;
  case FO_TAG_SEND:
    fo_call_release(tag->owner);
    break;
  case FO_TAG_SHUTDOWN:
    srv->shutdown_done = 1;
    break;
  }
}

/* --- life cycle ------------------------------------------------------- */

static int fo_server_add_slot(fo_server *srv, const char *path, fo_method_kind kind,
                              fo_rpc_unary_fn fn)
{
  fo_slot *s;
  for (size_t i = 0; i < srv->n_slots; i++)
    if (strcmp(srv->slots[i].path, path) == 0) {
      FO_WARN("method '%s' is registered twice; the first wins", path);
      return FO_OK;
    }
  if (srv->n_slots == FO_SERVER_MAX_SLOTS)
    return fo_err_set(FO_ELIMIT, "too many methods (more than %d)", FO_SERVER_MAX_SLOTS);
  s = &srv->slots[srv->n_slots];
  s->tag.kind = FO_TAG_REQUEST;
  s->tag.owner = s;
  s->srv = srv;
  s->path = path;
  s->kind = kind;
  s->fn = fn;
  {
    size_t pl = strlen(path), sl = strlen(FO_SERVER_INLINE_SUFFIX);
    s->run_inline = kind == FO_METHOD_USER && pl > sl &&
                    strcmp(path + pl - sl, FO_SERVER_INLINE_SUFFIX) == 0;
  }
  grpc_metadata_array_init(&s->md);
  s->handle = grpc_server_register_method(
      srv->server, path, NULL,
      kind == FO_METHOD_STREAM ? GRPC_SRM_PAYLOAD_NONE : GRPC_SRM_PAYLOAD_READ_INITIAL_BYTE_BUFFER, 0);
  if (!s->handle) {
    grpc_metadata_array_destroy(&s->md);
    return fo_err_set(FO_ERR, "cannot register method '%s'", path);
  }
  srv->n_slots++;
  return FO_OK;
}

int fo_server_new(fo_server **out, const fo_server_opts *opts)
{
  fo_server *srv = NULL;
  int error, tls = opts->client_pem != NULL;
  grpc_arg args[3];
  grpc_channel_args chargs = {3, args};
  char reuse[] = GRPC_ARG_ALLOW_REUSEPORT, maxrecv[] = GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH,
       maxsend[] = GRPC_ARG_MAX_SEND_MESSAGE_LENGTH;

  if (tls && (!opts->key_pem || !opts->cert_pem))
    return fo_err_set(FO_EINVAL, "TLS needs a key and a certificate");
  if (!(srv = calloc(1, sizeof *srv)))
    return fo_err_set(FO_ENOMEM, "out of memory");
  srv->watch_parent = opts->watch_parent;
  srv->parent = getppid();
  srv->shutdown_tag.kind = FO_TAG_SHUTDOWN;
  srv->generic.tag.kind = FO_TAG_GENERIC;
  srv->generic.tag.owner = &srv->generic;
  atomic_init(&srv->stopping, 0);
  atomic_init(&srv->stop_requested, 0);
  fo_server_signalled = 0;

  gpr_set_log_function(fo_server_gpr_log);
  grpc_init();
  gpr_set_log_verbosity(fo_log_enabled(FO_LOG_TRACE)   ? GPR_LOG_SEVERITY_DEBUG
                        : fo_log_enabled(FO_LOG_DEBUG) ? GPR_LOG_SEVERITY_INFO
                                                       : GPR_LOG_SEVERITY_ERROR);

  if ((error = fo_pool_new(&srv->pool, opts->max_workers > 0 ? opts->max_workers
                                                            : FO_SERVER_DEFAULT_WORKERS)) < 0)
    goto fail;

  /* No SO_REUSEPORT: a port scan must fail on a port another process holds. */
  args[0].type = GRPC_ARG_INTEGER;
  args[0].key = reuse;
  args[0].value.integer = 0;
  args[1].type = GRPC_ARG_INTEGER;
  args[1].key = maxrecv;
  args[1].value.integer = FO_SERVER_MAX_MESSAGE;
  args[2].type = GRPC_ARG_INTEGER;
  args[2].key = maxsend;
  args[2].value.integer = FO_SERVER_MAX_MESSAGE;
  srv->cq = grpc_completion_queue_create_for_next(NULL);
  srv->server = grpc_server_create(&chargs, NULL);
  grpc_server_register_completion_queue(srv->server, srv->cq, NULL);

  if (tls) {
    grpc_ssl_pem_key_cert_pair pair = {opts->key_pem, opts->cert_pem};
    srv->creds = grpc_ssl_server_credentials_create_ex(
        opts->client_pem, &pair, 1, GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY, NULL);
  } else {
    srv->creds = grpc_insecure_server_credentials_create();
  }
  if (!srv->creds) {
    error = fo_err_set(FO_ERR, "cannot create the server credentials");
    goto fail;
  }

  if ((error = fo_server_add_slot(srv, "/grpc.health.v1.Health/Check", FO_METHOD_HEALTH, NULL)) < 0 ||
      (error = fo_server_add_slot(srv, "/plugin.GRPCController/Shutdown", FO_METHOD_SHUTDOWN, NULL)) < 0 ||
      (error = fo_server_add_slot(srv, "/plugin.GRPCStdio/StreamStdio", FO_METHOD_STREAM, NULL)) < 0 ||
      (error = fo_server_add_slot(srv, "/plugin.GRPCBroker/StartStream", FO_METHOD_STREAM, NULL)) < 0)
    goto fail;
  for (size_t i = 0; i < opts->n_methods; i++) {
    const fo_rpc_method *m = &opts->methods[i];
    if (!m->path || m->path[0] != '/' || !m->fn) {
      error = fo_err_set(FO_EINVAL, "method %zu of the provider table is incomplete", i);
      goto fail;
    }
    if ((error = fo_server_add_slot(srv, m->path, FO_METHOD_USER, m->fn)) < 0)
      goto fail;
  }
  *out = srv;
  return FO_OK;

fail:
  fo_server_free(srv);
  return error;
}

int fo_server_bind(fo_server *srv, const char *addr, int *port_out)
{
  int port = grpc_server_add_http2_port(srv->server, addr, srv->creds);
  if (port <= 0)
    return fo_err_set(FO_EIO, "cannot listen on '%s'", addr);
  if (port_out)
    *port_out = strncmp(addr, "unix:", 5) == 0 ? 0 : port;
  return FO_OK;
}

int fo_server_start(fo_server *srv)
{
  int error;
  grpc_server_start(srv->server);
  srv->started = 1;
  for (size_t i = 0; i < srv->n_slots; i++)
    if ((error = fo_server_arm(&srv->slots[i])) < 0)
      return error;
  return fo_server_arm_generic(srv);
}

static void fo_server_begin_shutdown(fo_server *srv, const char *why)
{
  if (srv->shutdown_begun)
    return;
  FO_DEBUG("stopping the server: %s", why);
  srv->shutdown_begun = 1;
  atomic_store(&srv->stopping, 1);
  clock_gettime(CLOCK_MONOTONIC, &srv->shutdown_at);
  for (fo_rpc_ctx *c = srv->streams; c; c = c->stream_next)
    fo_server_stream_end(c);
  grpc_server_shutdown_and_notify(srv->server, srv->cq, &srv->shutdown_tag);
}

int fo_server_run(fo_server *srv)
{
  while (!srv->shutdown_done) {
    gpr_timespec deadline = gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                                         gpr_time_from_millis(FO_SERVER_POLL_MS, GPR_TIMESPAN));
    grpc_event ev = grpc_completion_queue_next(srv->cq, deadline, NULL);
    if (ev.type == GRPC_OP_COMPLETE)
      fo_server_handle(srv, &ev);
    else if (ev.type == GRPC_QUEUE_SHUTDOWN)
      break;

    if (fo_server_signalled)
      fo_server_begin_shutdown(srv, "signal received");
    if (srv->watch_parent && !srv->shutdown_begun && getppid() != srv->parent) {
      FO_WARN("the parent process exited; stopping");
      fo_server_begin_shutdown(srv, "parent exited");
    }
    if (srv->shutdown_begun && !srv->shutdown_done) {
      long ms = fo_server_ms_since(&srv->shutdown_at);
      if (!srv->cancelled_all && ms >= FO_SERVER_GRACE_MS) {
        srv->cancelled_all = 1;
        grpc_server_cancel_all_calls(srv->server);
      }
      if (ms >= FO_SERVER_GRACE_MS + FO_SERVER_HARD_MS) {
        FO_ERROR("%zu provider calls still running %d ms after shutdown; giving up on them",
                 fo_pool_busy(srv->pool), FO_SERVER_GRACE_MS + FO_SERVER_HARD_MS);
        return fo_err_set(FO_ECANCELED, "calls did not finish after shutdown");
      }
    }
  }
  return FO_OK;
}

void fo_server_free(fo_server *srv)
{
  if (!srv)
    return;
  if (srv->server && srv->started && !srv->shutdown_begun) {
    fo_server_begin_shutdown(srv, "server freed");
    grpc_server_cancel_all_calls(srv->server);
    (void)fo_server_run(srv);
  }
  /* handlers still running finish (they see fo_rpc_cancelled) before the
   * queue they reply on goes away */
  fo_pool_free(srv->pool);
  if (srv->server)
    grpc_server_destroy(srv->server);
  if (srv->cq) {
    grpc_event ev;
    grpc_completion_queue_shutdown(srv->cq);
    do {
      ev = grpc_completion_queue_next(srv->cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
      if (ev.type == GRPC_OP_COMPLETE)
        fo_server_handle(srv, &ev);
    } while (ev.type != GRPC_QUEUE_SHUTDOWN);
    grpc_completion_queue_destroy(srv->cq);
  }
  for (size_t i = 0; i < srv->n_slots; i++)
    grpc_metadata_array_destroy(&srv->slots[i].md);
  if (srv->creds)
    grpc_server_credentials_release(srv->creds);
  grpc_shutdown();
  free(srv);
}
