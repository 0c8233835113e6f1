/* gRPC core server loop. One completion queue, polled by the thread that
 * calls fo_server_run; every completion is handled there, so per-call
 * bookkeeping needs no locks except the reference count, which workers also
 * drop. Provider handlers run on fo_pool workers (fo_server_call.c); the
 * helper services (fo_server_helpers.c) are trivial and answered inline. */
#include "fo_server.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/slice.h>
#include <grpc/support/log.h>
#include <grpc/support/time.h>

#include "fo_err.h"
#include "fo_log.h"
#include "fo_server_internal.h"
#include "fo_tls.h"

/* How long a stopping server lets in-flight calls finish before cancelling
 * them, and how long it waits after that before giving up on them. go-plugin
 * kills the process 2 s after Shutdown, so both stay short. */
#define FO_SERVER_GRACE_MS 500
#define FO_SERVER_HARD_MS  5000
/* Only a stopping server wakes up on its own (to keep those two deadlines);
 * otherwise the queue wait is unbounded: stop signals and the parent's exit
 * come through the wake thread (fo_wake). */
#define FO_SERVER_TICK_MS 50
/* With fast_exit, gRPC's own server shutdown (listeners closed, GOAWAY: about
 * 0.4 ms on the loop thread) waits this long for the calls to end first: after
 * a Shutdown reply they usually have, and the process leaves without it. */
#define FO_SERVER_DEFER_MS 10

/* Wake thread: let the loop know, and wake it. Starting gRPC's shutdown from
 * here is thread-safe and fails every requested call at once, which is what
 * returns the loop from its wait; the loop then does the rest of the stop. */
static void fo_server_on_wake(void *arg, fo_wake_reason why) {
  fo_server *srv = arg;
  int none = 0;
  if (atomic_compare_exchange_strong(&srv->woken, &none, (int)why))
    grpc_server_shutdown_and_notify(srv->server, srv->cq, &srv->wake_tag);
}

/* gRPC core's own log lines go through our logger (JSON on stderr): its
 * INFO lines are chatty, so they count as our debug; its errors (e.g. a
 * refused TLS handshake) as warnings. */
static void fo_server_gpr_log(gpr_log_func_args *a) {
  fo_log_level lvl = a->severity == GPR_LOG_SEVERITY_ERROR  ? FO_LOG_WARN
                     : a->severity == GPR_LOG_SEVERITY_INFO ? FO_LOG_DEBUG
                                                            : FO_LOG_TRACE;
  FO_LOG(lvl, "grpc: %s (%s:%d)", a->message ? a->message : "", a->file ? a->file : "?", a->line);
}

/* --- arrivals --------------------------------------------------------- */

static int fo_server_arm(fo_slot *s) {
  grpc_call_error rc = grpc_server_request_registered_call(s->srv->server, s->handle, &s->call, &s->deadline, &s->md,
                                                           s->kind == FO_METHOD_STREAM ? NULL : &s->payload, s->srv->cq,
                                                           s->srv->cq, &s->tag);
  if (rc != GRPC_CALL_OK)
    return fo_err_set(FO_ERR, "cannot request calls for '%s': error %d", s->path, (int)rc);
  return FO_OK;
}

static int fo_server_arm_generic(fo_server *srv) {
  fo_generic_slot *g = &srv->generic;
  grpc_call_error rc;
  grpc_call_details_init(&g->details);
  grpc_metadata_array_init(&g->md);
  rc = grpc_server_request_call(srv->server, &g->call, &g->details, &g->md, srv->cq, srv->cq, &g->tag);
  if (rc != GRPC_CALL_OK) {
    grpc_call_details_destroy(&g->details);
    grpc_metadata_array_destroy(&g->md);
    return fo_err_set(FO_ERR, "cannot request unknown-method calls: error %d", (int)rc);
  }
  return FO_OK;
}

/* AutoMTLS: the call's peer presented exactly the pinned client certificate
 * (gRPC puts the peer's certificate, as PEM, in the connection's auth context).
 * Every call passes here: the PEM is compared as text, and decoded only when
 * the text differs (another certificate, or another PEM layout). Plaintext
 * servers have no peer to check. */
static int fo_server_peer_ok(const fo_server *srv, grpc_call *call) {
  grpc_auth_context *ac;
  grpc_auth_property_iterator it;
  const grpc_auth_property *p;
  int ok = 0;
  if (!srv->tls)
    return 1;
  if (!(ac = grpc_call_auth_context(call)))
    return 0;
  it = grpc_auth_context_find_properties_by_name(ac, GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if ((p = grpc_auth_property_iterator_next(&it)) != NULL)
    ok = (p->value_length == srv->client_pem_len && memcmp(p->value, srv->client_pem, p->value_length) == 0) ||
         fo_tls_pem_is(p->value, p->value_length, srv->client_der, srv->client_der_len);
  grpc_auth_context_release(ac);
  return ok;
}

/* Answer UNAUTHENTICATED and forget the call. */
static void fo_server_refuse(fo_server *srv, grpc_call *call, const char *what) {
  fo_rpc_ctx *c = fo_server_call_new(srv, call, NULL);
  FO_WARN("refused a call to %s: the client's certificate is not the one in PLUGIN_CLIENT_CERT", what);
  if (!c) {
    grpc_call_cancel(call, NULL);
    grpc_call_unref(call);
    return;
  }
  fo_server_call_finish(c, GRPC_STATUS_UNAUTHENTICATED,
                        "the client certificate is not the one the provider was started with", NULL, 1);
  fo_server_call_release(c);
}

static void fo_server_on_request(fo_server *srv, fo_slot *s, int success) {
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

  if (!fo_server_peer_ok(srv, call)) {
    fo_server_refuse(srv, call, s->path);
    if (payload)
      grpc_byte_buffer_destroy(payload);
    grpc_metadata_array_destroy(&md);
    return;
  }
  c = fo_server_call_new(srv, call, s);
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
  fo_server_call_set_deadline(c, s->deadline);
  FO_TRACE("rpc %s: received", s->path);

  switch (s->kind) {
    case FO_METHOD_HEALTH:
      fo_server_health(c);
      fo_server_call_release(c);
      break;
    case FO_METHOD_SHUTDOWN:
      fo_server_controller_shutdown(c);
      fo_server_call_release(c);
      break;
    case FO_METHOD_STREAM:
      if (srv->shutdown_begun) {
        fo_server_call_finish(c, FO_RPC_OK, NULL, NULL, 1);
        fo_server_call_release(c);
        break;
      }
      fo_server_stream_open(c); /* keeps the owner reference */
      break;
    case FO_METHOD_USER:
      (void)fo_server_call_watch_close(c); /* without it the call just never looks cancelled */
      /* StopProvider must reach the provider even when every worker is busy
     * with the long calls it is meant to cancel */
      if (s->run_inline) {
        fo_server_run_user(c);
        break;
      }
      /* the owner reference goes to the worker */
      if (fo_pool_submit(srv->pool, fo_server_run_user, c) < 0) {
        FO_ERROR("cannot queue call '%s': %s", s->path, fo_err_last());
        fo_server_call_finish(c, GRPC_STATUS_UNAVAILABLE, "the provider cannot take more calls", NULL, 0);
        fo_server_call_release(c);
      }
      break;
  }
}

static void fo_server_on_generic(fo_server *srv, int success) {
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
  if (!fo_server_peer_ok(srv, call)) {
    fo_server_refuse(srv, call, "an unknown method");
    return;
  }
  FO_DEBUG("rpc: %s: UNIMPLEMENTED", details);
  if (!(c = fo_server_call_new(srv, call, NULL))) {
    grpc_call_cancel(call, NULL);
    grpc_call_unref(call);
    return;
  }
  fo_server_call_finish(c, GRPC_STATUS_UNIMPLEMENTED, details, NULL, 1);
  fo_server_call_release(c);
}

static void fo_server_on_close(fo_rpc_ctx *c) {
  c->closed = 1;
  if (c->close_cancelled)
    fo_rpc_ctx_cancel(c, "the client cancelled the call");
  if (c->slot && c->slot->kind == FO_METHOD_STREAM) {
    fo_server_stream_unlink(c);
    fo_server_call_release(c); /* the list's owner reference */
  }
  fo_server_call_release(c);
}

static void fo_server_handle(fo_server *srv, const grpc_event *ev) {
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
      fo_server_call_release(tag->owner);
      break;
    case FO_TAG_SHUTDOWN:
      srv->shutdown_done = 1;
      break;
    case FO_TAG_WAKE:
      break;
  }
}

/* --- life cycle ------------------------------------------------------- */

static int fo_server_add_slot(fo_server *srv, const char *path, fo_method_kind kind, fo_rpc_unary_fn fn) {
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
    s->run_inline = kind == FO_METHOD_USER && pl > sl && strcmp(path + pl - sl, FO_SERVER_INLINE_SUFFIX) == 0;
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

int fo_server_new(fo_server **out, const fo_server_opts *opts) {
  fo_server *srv = NULL;
  int error, tls = opts->client_der != NULL;
  grpc_arg args[3];
  grpc_channel_args chargs = {3, args};
  char reuse[] = GRPC_ARG_ALLOW_REUSEPORT, maxrecv[] = GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH,
       maxsend[] = GRPC_ARG_MAX_SEND_MESSAGE_LENGTH;

  if (tls && (!opts->key_pem || !opts->cert_pem))
    return fo_err_set(FO_EINVAL, "TLS needs a key and a certificate");
  if (!(srv = calloc(1, sizeof *srv)))
    return fo_err_oom();
  srv->watch_parent = opts->watch_parent;
  srv->tls = tls;
  srv->fast_exit = opts->fast_exit;
  srv->stop_signals = opts->stop_signals;
  srv->shutdown_tag.kind = FO_TAG_SHUTDOWN;
  srv->wake_tag.kind = FO_TAG_WAKE;
  atomic_init(&srv->woken, 0);
  atomic_init(&srv->live_calls, 0);
  srv->generic.tag.kind = FO_TAG_GENERIC;
  srv->generic.tag.owner = &srv->generic;
  atomic_init(&srv->stopping, 0);
  atomic_init(&srv->stop_requested, 0);
  if ((error = fo_cancel_new(&srv->root, NULL)) < 0) {
    free(srv);
    return error;
  }

  gpr_set_log_function(fo_server_gpr_log);
  grpc_init();
  gpr_set_log_verbosity(fo_log_enabled(FO_LOG_TRACE)   ? GPR_LOG_SEVERITY_DEBUG
                        : fo_log_enabled(FO_LOG_DEBUG) ? GPR_LOG_SEVERITY_INFO
                                                       : GPR_LOG_SEVERITY_ERROR);

  if ((error = fo_pool_new(&srv->pool, opts->max_workers > 0 ? opts->max_workers : FO_SERVER_DEFAULT_WORKERS)) < 0)
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
    /* The client certificate is pinned rather than given to gRPC as a trust
     * root: gRPC would parse it twice at bind (trust store, CA name list), each
     * parse an OpenSSL 3.0 key-decoder set-up, a sixth of AutoMTLS start-up.
     * TLS still makes the client prove it holds the key (CertificateVerify);
     * fo_server_peer_ok then demands exactly this certificate, stricter than
     * go-plugin's chain check against it. */
    if (!(srv->client_der = malloc(opts->client_der_len))) {
      error = fo_err_oom();
      goto fail;
    }
    memcpy(srv->client_der, opts->client_der, opts->client_der_len);
    srv->client_der_len = opts->client_der_len;
    if (!(srv->client_pem = fo_tls_cert_pem(srv->client_der, srv->client_der_len))) {
      error = fo_err_oom();
      goto fail;
    }
    srv->client_pem_len = strlen(srv->client_pem);
    srv->creds = grpc_ssl_server_credentials_create_ex(
        NULL, &pair, 1, GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_BUT_DONT_VERIFY, NULL);
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

int fo_server_bind(fo_server *srv, const char *addr, int *port_out) {
  int port = grpc_server_add_http2_port(srv->server, addr, srv->creds);
  /* with TLS, gRPC parses the key pair and the client's certificate here */
  if (port <= 0 && srv->tls)
    return fo_err_set(FO_EIO,
                      "cannot listen on '%s' with TLS: the address is taken, or gRPC could not load the "
                      "certificate in 'PLUGIN_CLIENT_CERT' (its reason is the grpc line before this one)",
                      addr);
  if (port <= 0)
    return fo_err_set(FO_EIO, "cannot listen on '%s'", addr);
  srv->bound = 1;
  if (port_out)
    *port_out = strncmp(addr, "unix:", 5) == 0 ? 0 : port;
  return FO_OK;
}

int fo_server_start(fo_server *srv) {
  int error;
  grpc_server_start(srv->server);
  srv->started = 1;
  for (size_t i = 0; i < srv->n_slots; i++)
    if ((error = fo_server_arm(&srv->slots[i])) < 0)
      return error;
  if ((error = fo_server_arm_generic(srv)) < 0)
    return error;
  /* after arming: the wake thread's shutdown request needs requested calls to fail */
  if (srv->stop_signals || srv->watch_parent)
    return fo_wake_start(&srv->wake, srv->stop_signals, srv->watch_parent, fo_server_on_wake, srv);
  return FO_OK;
}

static void fo_server_grpc_shutdown(fo_server *srv) {
  if (srv->grpc_shutdown_started)
    return;
  srv->grpc_shutdown_started = 1;
  grpc_server_shutdown_and_notify(srv->server, srv->cq, &srv->shutdown_tag);
}

void fo_server_begin_shutdown(fo_server *srv, const char *why) {
  if (srv->shutdown_begun)
    return;
  FO_DEBUG("stopping the server: %s", why);
  srv->shutdown_begun = 1;
  atomic_store(&srv->stopping, 1);
  fo_cancel_trigger(srv->root, "the provider is shutting down");
  clock_gettime(CLOCK_MONOTONIC, &srv->shutdown_at);
  for (fo_rpc_ctx *c = srv->streams; c; c = c->stream_next)
    fo_server_stream_end(c);
  if (!srv->fast_exit)
    fo_server_grpc_shutdown(srv);
}

int fo_server_run(fo_server *srv) {
  while (!srv->shutdown_done) {
    int tick = srv->grpc_shutdown_started ? FO_SERVER_TICK_MS : FO_SERVER_DEFER_MS;
    gpr_timespec deadline = srv->shutdown_begun
                                ? gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_millis(tick, GPR_TIMESPAN))
                                : gpr_inf_future(GPR_CLOCK_MONOTONIC);
    grpc_event ev = grpc_completion_queue_next(srv->cq, deadline, NULL);
    int woken;
    if (ev.type == GRPC_OP_COMPLETE)
      fo_server_handle(srv, &ev);
    else if (ev.type == GRPC_QUEUE_SHUTDOWN)
      break;

    if (!srv->shutdown_begun && (woken = atomic_load(&srv->woken)) != 0) {
      if (woken == FO_WAKE_PARENT)
        FO_WARN("the parent process exited; stopping");
      fo_server_begin_shutdown(srv, woken == FO_WAKE_PARENT ? "parent exited" : "signal received");
    }
    if (srv->shutdown_begun && !srv->shutdown_done) {
      long ms;
      /* every call we took has ended and its last batch completed (the
       * Shutdown reply is on the wire): gRPC's teardown adds nothing */
      if (srv->fast_exit && atomic_load(&srv->live_calls) == 0)
        return FO_SERVER_QUIESCED;
      ms = fo_server_ms_since(&srv->shutdown_at);
      if (ms >= FO_SERVER_DEFER_MS)
        fo_server_grpc_shutdown(srv);
      if (!srv->cancelled_all && ms >= FO_SERVER_GRACE_MS) {
        srv->cancelled_all = 1;
        grpc_server_cancel_all_calls(srv->server);
      }
      if (ms >= FO_SERVER_GRACE_MS + FO_SERVER_HARD_MS) {
        FO_ERROR("%zu provider calls still running %d ms after shutdown; giving up on them", fo_pool_busy(srv->pool),
                 FO_SERVER_GRACE_MS + FO_SERVER_HARD_MS);
        return fo_err_set(FO_ECANCELED, "calls did not finish after shutdown");
      }
    }
  }
  return FO_OK;
}

void fo_server_free(fo_server *srv) {
  if (!srv)
    return;
  /* first: the wake thread calls into the server */
  fo_wake_stop(srv->wake);
  srv->wake = NULL;
  /* gRPC aborts on destroying a server with listeners it never shut down,
   * and shuts down only a started one: a bound server is started first */
  if (srv->server && srv->bound && !srv->started) {
    grpc_server_start(srv->server);
    srv->started = 1;
  }
  if (srv->server && srv->started && !srv->shutdown_done) {
    fo_server_begin_shutdown(srv, "server freed");
    fo_server_grpc_shutdown(srv);
    grpc_server_cancel_all_calls(srv->server);
    srv->fast_exit = 0; /* run until gRPC's shutdown completes */
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
  fo_cancel_free(srv->root); /* after the queue drained: every call's token is gone */
  free(srv->client_der);
  free(srv->client_pem);
  free(srv);
}
