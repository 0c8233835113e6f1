/* Test method table for the transport tests: linked instead of provider/rpc
 * into fo-test-provider (same main.c and server), so the server can be tested
 * on its own: echo, a slow cancellable call, a concurrency barrier, stop. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fo_err.h"
#include "fo_rpc.h"
#include "grpc_health.pb-c.h"

/* Requests and responses reuse grpc.health.v1.HealthCheckRequest (one string
 * field) so the Go client can build them without generated code. */
static atomic_int fo_test_active;  /* Slow calls running now */
static atomic_int fo_test_arrived; /* Barrier calls that arrived (one round per process) */

static void fo_test_sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static int fo_test_decode(Grpc__Health__V1__HealthCheckRequest **out, const uint8_t *req, size_t len) {
  *out = grpc__health__v1__health_check_request__unpack(NULL, len, req);
  if (!*out)
    return fo_err_set(FO_RPC_INVALID_ARGUMENT, "cannot decode the request message");
  return FO_RPC_OK;
}

static int fo_test_reply(fo_buf *resp, const char *s) {
  Grpc__Health__V1__HealthCheckRequest m = GRPC__HEALTH__V1__HEALTH_CHECK_REQUEST__INIT;
  size_t len;
  uint8_t *data;
  int rc;
  m.service = (char *)s;
  len = grpc__health__v1__health_check_request__get_packed_size(&m);
  if (!(data = malloc(len ? len : 1)))
    return fo_err_set(FO_RPC_INTERNAL, "out of memory");
  grpc__health__v1__health_check_request__pack(&m, data);
  rc = fo_buf_append(resp, data, len) < 0 ? fo_err_set(FO_RPC_INTERNAL, "response too big") : FO_RPC_OK;
  free(data);
  return rc;
}

/* Echo: the request's string back; "fail" gives INVALID_ARGUMENT. */
static int fo_test_echo(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Grpc__Health__V1__HealthCheckRequest *in;
  int rc;
  (void)ctx;
  if ((rc = fo_test_decode(&in, req, len)) != FO_RPC_OK)
    return rc;
  if (strcmp(in->service, "fail") == 0)
    rc = fo_err_set(FO_RPC_INVALID_ARGUMENT, "echo of 'fail' refused as asked");
  else
    rc = fo_test_reply(resp, in->service);
  grpc__health__v1__health_check_request__free_unpacked(in, NULL);
  return rc;
}

/* Slow: runs up to 60 s, polling fo_rpc_cancelled every 5 ms. */
static int fo_test_slow(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  int rc = FO_RPC_OK;
  (void)req;
  (void)len;
  atomic_fetch_add(&fo_test_active, 1);
  for (int i = 0; i < 12000; i++) {
    if (fo_rpc_cancelled(ctx)) {
      rc = fo_err_set(FO_RPC_CANCELLED, "slow call cancelled");
      break;
    }
    fo_test_sleep_ms(5);
  }
  atomic_fetch_sub(&fo_test_active, 1);
  return rc == FO_RPC_OK ? fo_test_reply(resp, "done") : rc;
}

/* Active: how many Slow calls are running, as a decimal string. */
static int fo_test_active_count(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  char n[32];
  (void)ctx;
  (void)req;
  (void)len;
  snprintf(n, sizeof n, "%d", atomic_load(&fo_test_active));
  return fo_test_reply(resp, n);
}

/* Barrier: returns once the request's number of Barrier calls are inside
 * handlers at the same time (proves concurrency); gives up after 20 s. */
static int fo_test_barrier(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Grpc__Health__V1__HealthCheckRequest *in;
  int rc, target;
  if ((rc = fo_test_decode(&in, req, len)) != FO_RPC_OK)
    return rc;
  target = (int)strtol(in->service, NULL, 10);
  grpc__health__v1__health_check_request__free_unpacked(in, NULL);
  atomic_fetch_add(&fo_test_arrived, 1);
  for (int i = 0; i < 4000; i++) {
    if (atomic_load(&fo_test_arrived) >= target)
      return fo_test_reply(resp, "met");
    if (fo_rpc_cancelled(ctx))
      return fo_err_set(FO_RPC_CANCELLED, "barrier cancelled");
    fo_test_sleep_ms(5);
  }
  return fo_err_set(FO_RPC_INTERNAL, "barrier of %d not reached", target);
}

/* StopProvider: what tfplugin6 StopProvider does (the name makes the server run it inline). */
static int fo_test_stop(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  (void)req;
  (void)len;
  (void)resp;
  fo_rpc_request_stop(ctx);
  return FO_RPC_OK;
}

/* Error: a handler that returns a negative fo_err code (a bug) -> INTERNAL. */
static int fo_test_broken(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  (void)ctx;
  (void)req;
  (void)len;
  (void)resp;
  return fo_err_set(FO_EINVAL, "handler returned a negative code");
}

static const fo_rpc_method fo_test_methods[] = {
    {"/fotest.Test/Echo", fo_test_echo},           {"/fotest.Test/Slow", fo_test_slow},
    {"/fotest.Test/Active", fo_test_active_count}, {"/fotest.Test/Barrier", fo_test_barrier},
    {"/fotest.Test/StopProvider", fo_test_stop},   {"/fotest.Test/Broken", fo_test_broken},
};

const struct fo_registry *fo_provider_registry(void) {
  return NULL; /* the test methods serve no resources */
}

const fo_rpc_method *fo_provider_methods(const struct fo_registry *registry, size_t *n_out) {
  (void)registry;
  *n_out = sizeof fo_test_methods / sizeof fo_test_methods[0];
  return fo_test_methods;
}
