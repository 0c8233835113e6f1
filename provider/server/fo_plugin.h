/* fo_plugin: the provider process from start to exit as go-plugin expects it:
 * cookie, version choice, AutoMTLS, listener, handshake line, serving, cleanup. */
#ifndef FO_PLUGIN_H
#define FO_PLUGIN_H

#include <stddef.h>

#include "fo_rpc.h"

/* Network choice: unix sockets like Go plugins on Linux, unless FO_PLUGIN_NETWORK=tcp
 * (or opts.network "tcp") asks for loopback TCP in PLUGIN_MIN_PORT..PLUGIN_MAX_PORT. */
#define FO_PLUGIN_NETWORK_ENV "FO_PLUGIN_NETWORK"
/* Ceiling of concurrently running provider calls (1..64, default 32). */
#define FO_PLUGIN_WORKERS_ENV "FO_PROVIDER_WORKERS"
/* =1: after Shutdown, tear gRPC down fully instead of exiting at once (leak checks) */
#define FO_PLUGIN_FULL_TEARDOWN_ENV "FO_PROVIDER_FULL_TEARDOWN"

typedef struct fo_plugin_opts {
  const fo_rpc_method *methods;
  size_t n_methods;
  /* --debug: no cookie, plaintext, print TF_REATTACH_PROVIDERS for these
   * source addresses, serve until SIGINT/SIGTERM */
  int debug;
  const char *const *reattach_addresses;
  size_t n_reattach_addresses;
  const char *network; /* NULL: FO_PLUGIN_NETWORK env, else "unix" */
} fo_plugin_opts;

/* Serve the provider; returns the process exit status (0 after a clean
 * shutdown, 1 on a start-up error, reported on stderr). */
int fo_plugin_serve(const fo_plugin_opts *opts);

#endif
