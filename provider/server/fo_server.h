/* fo_server: the gRPC core server loop: registered unary methods dispatched to
 * a worker pool, go-plugin's helper services, UNIMPLEMENTED for the rest, clean shutdown. */
#ifndef FO_SERVER_H
#define FO_SERVER_H

#include <signal.h>
#include <stddef.h>

#include "fo_rpc.h"

typedef struct fo_server fo_server;

/* Message size bound in both directions: terraform-plugin-go's 256 MiB. */
#define FO_SERVER_MAX_MESSAGE (256 * 1024 * 1024)
/* Workers: OpenTofu and Terraform send -parallelism (default 10) RPCs at once;
 * threads start only when needed, so the ceiling can be generous. */
#define FO_SERVER_DEFAULT_WORKERS 32
/* Methods whose path ends so (tfplugin6 StopProvider) run on the loop thread
 * as soon as they arrive, never queued behind busy workers: keep them quick. */
#define FO_SERVER_INLINE_SUFFIX "/StopProvider"

typedef struct fo_server_opts {
  const fo_rpc_method *methods; /* the provider's unary methods (borrowed for the server's life) */
  size_t n_methods;
  int max_workers; /* 0 = FO_SERVER_DEFAULT_WORKERS; at most 64 */
  /* AutoMTLS: all set = TLS requiring the client certificate whose DER is
   * client_der (fo_tls_client_der; copied), calls from any other peer refused;
   * all NULL = plaintext. The PEMs are copied by gRPC. */
  const unsigned char *client_der;
  size_t client_der_len;
  const char *key_pem;
  const char *cert_pem;
  int watch_parent; /* stop when the parent process goes away (reparenting) */
  /* Signals that stop the server (NULL = none); the caller has blocked them
   * in every thread before fo_server_new: a watch thread takes them. */
  const sigset_t *stop_signals;
  /* fo_server_run may return FO_SERVER_QUIESCED: the caller then exits
   * without fo_server_free (no gRPC teardown). */
  int fast_exit;
} fo_server_opts;

/* Create the server (gRPC initialised, methods registered, not yet bound). */
int fo_server_new(fo_server **out, const fo_server_opts *opts);

/* Bind "unix:/path" or "127.0.0.1:<port>"; `*port_out` (may be NULL) gets
 * the bound TCP port (0 for unix). FO_EIO when the address cannot be bound. */
int fo_server_bind(fo_server *srv, const char *addr, int *port_out);

/* Start accepting calls (after at least one successful bind). */
int fo_server_start(fo_server *srv);

/* Serve until plugin.GRPCController/Shutdown, a stop signal, or
 * (watch_parent) the parent exiting; then stop gracefully: in-flight calls see
 * fo_rpc_cancelled() and are cancelled after a grace period. Returns FO_OK, or
 * FO_ECANCELED if calls were still running after the hard deadline (the
 * caller should then exit without waiting for them), or (fast_exit)
 * FO_SERVER_QUIESCED as soon as shutdown began and every call, the Shutdown
 * reply included, has completed: nothing is left to flush, so the process can
 * _exit at once (go-plugin's client is waiting for it to). */
int fo_server_run(fo_server *srv);
#define FO_SERVER_QUIESCED 1

/* Destroy the server and shut gRPC down. Accepts NULL. */
void fo_server_free(fo_server *srv);

#endif
