/* go-plugin's helper services, answered on the loop thread: health check,
 * controller Shutdown, and the stdio/broker streams that are only held open. */
#include <string.h>

#include <grpc/slice.h>

#include "fo_server_internal.h"
#include "grpc_health.pb-c.h"

void fo_server_health(fo_rpc_ctx *c) {
  int ok;
  grpc_slice req = fo_server_call_request_bytes(c, &ok);
  Grpc__Health__V1__HealthCheckRequest *in = NULL;
  Grpc__Health__V1__HealthCheckResponse out = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__INIT;
  if (ok)
    in = grpc__health__v1__health_check_request__unpack(NULL, GRPC_SLICE_LENGTH(req), GRPC_SLICE_START_PTR(req));
  grpc_slice_unref(req);
  if (!in) {
    fo_server_call_finish(c, FO_RPC_INVALID_ARGUMENT, "cannot decode grpc.health.v1.HealthCheckRequest", NULL, 1);
  } else if (strcmp(in->service, "") != 0 && strcmp(in->service, "plugin") != 0) {
    fo_server_call_finish(c, GRPC_STATUS_NOT_FOUND, "unknown service", NULL, 1);
  } else {
    size_t len;
    grpc_slice s;
    out.status = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING;
    len = grpc__health__v1__health_check_response__get_packed_size(&out);
    s = grpc_slice_malloc(len);
    grpc__health__v1__health_check_response__pack(&out, GRPC_SLICE_START_PTR(s));
    fo_server_call_finish(c, FO_RPC_OK, NULL, &s, 1);
    grpc_slice_unref(s);
  }
  if (in)
    grpc__health__v1__health_check_request__free_unpacked(in, NULL);
}

void fo_server_begin_shutdown(fo_server *srv, const char *why);

void fo_server_controller_shutdown(fo_rpc_ctx *c) {
  grpc_slice empty = grpc_empty_slice(); /* plugin.Empty has no fields */
  fo_server_call_finish(c, FO_RPC_OK, NULL, &empty, 1);
  fo_server_begin_shutdown(c->srv, "plugin.GRPCController/Shutdown called");
}

void fo_server_stream_unlink(fo_rpc_ctx *c) {
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
void fo_server_stream_open(fo_rpc_ctx *c) {
  fo_server *srv = c->srv;
  if (fo_server_call_watch_close(c) < 0) {
    fo_server_call_release(c);
    return;
  }
  /* the owner reference now belongs to the list, until the close completes */
  c->stream_next = srv->streams;
  if (srv->streams)
    srv->streams->stream_prev = c;
  srv->streams = c;
}

void fo_server_stream_end(fo_rpc_ctx *c) {
  if (c->closed || c->finishing)
    return;
  c->finishing = 1;
  fo_server_call_finish(c, FO_RPC_OK, NULL, NULL, 0);
}
