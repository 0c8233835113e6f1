/* Process-level plugin start-up, in the order go-plugin's own servers use:
 * cookie -> protocol version -> TLS identity -> bind -> handshake line ->
 * serve -> remove the socket. Only the handshake (or, with --debug, the
 * reattach line) is ever written to stdout. */
#include "fo_plugin.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "fo_err.h"
#include "fo_handshake.h"
#include "fo_listen.h"
#include "fo_log.h"
#include "fo_openssl.h"
#include "fo_server.h"
#include "fo_tls.h"

static const int fo_plugin_versions[] = {6};

static void fo_plugin_on_ignored_signal(int sig) {
  (void)sig;
}

/* Terraform sends StopProvider on Ctrl-C, so SIGINT is eaten like Go plugins
 * do (except in --debug, where it is the way to stop). SIGTERM and SIGHUP (the
 * terminal or the parent's session went away) stop cleanly, removing the socket:
 * they go into `stop`, blocked here before any thread starts (so in all of
 * them) and taken by the server's wake thread. SIGPIPE must not kill us when
 * the client closed its end of stderr. A no-op handler rather than SIG_IGN:
 * children we start get default dispositions. */
static void fo_plugin_signals(int debug, sigset_t *stop) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sa.sa_handler = fo_plugin_on_ignored_signal;
  sigaction(SIGPIPE, &sa, NULL);
  if (!debug)
    sigaction(SIGINT, &sa, NULL);
  /* a handler too, though they stay blocked: a signal the parent left ignored
   * (SIG_IGN survives exec) would be discarded before the signalfd saw it */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  if (debug)
    sigaction(SIGINT, &sa, NULL);
  sigemptyset(stop);
  sigaddset(stop, SIGTERM);
  sigaddset(stop, SIGHUP);
  if (debug)
    sigaddset(stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, stop, NULL);
}

/* After Shutdown the process exits as soon as the reply is out (Go plugins
 * exit as promptly), skipping gRPC's teardown: its thread joins cost more than
 * everything else in the exit. Sanitizer builds keep the full teardown, since
 * LeakSanitizer only looks at a normal exit; so does FO_PROVIDER_FULL_TEARDOWN=1
 * (for leak checks under valgrind of the whole life cycle). */
static int fo_plugin_fast_exit(void) {
  const char *v = getenv(FO_PLUGIN_FULL_TEARDOWN_ENV);
#if defined(__SANITIZE_ADDRESS__)
  return 0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return 0;
#endif
#endif
  return !(v && strcmp(v, "1") == 0);
}

/* Whatever descriptors we inherited beyond stdio must not leak into children
 * (the client waits for EOF on its pipes); gRPC opens its own with CLOEXEC. */
static void fo_plugin_cloexec_inherited(void) {
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  if (!d)
    return;
  while ((e = readdir(d)) != NULL) {
    char *end;
    long fd = strtol(e->d_name, &end, 10);
    if (*end == '\0' && e->d_name[0] != '\0' && fd > 2 && fd != dirfd(d))
      fcntl((int)fd, F_SETFD, FD_CLOEXEC);
  }
  closedir(d);
}

static int fo_plugin_write_stdout(const char *s, size_t len) {
  while (len > 0) {
    ssize_t w = write(STDOUT_FILENO, s, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return fo_err_set(FO_EIO, "cannot write the handshake to stdout: %s", strerror(errno));
    s += w;
    len -= (size_t)w;
  }
  return FO_OK;
}

/* Bind the listener; `addr_out` gets the handshake address ("/path" or
 * "127.0.0.1:port"), `sock_out` the unix path to remove at exit. */
static int fo_plugin_listen(fo_server *srv, const char *network, fo_buf *addr_out, fo_buf *sock_out) {
  fo_buf uri = FO_BUF_INIT;
  int error, lo, hi, port = 0;

  if (strcmp(network, "unix") == 0) {
    const char *group = getenv("PLUGIN_UNIX_SOCKET_GROUP");
    const char *dir = fo_listen_unix_dir(getenv("PLUGIN_UNIX_SOCKET_DIR"), getenv("TMPDIR"));
    if ((error = fo_listen_unix_path(sock_out, dir)) < 0 ||
        (error = fo_buf_printf(&uri, "unix:%s", sock_out->data)) < 0 ||
        (error = fo_server_bind(srv, uri.data, NULL)) < 0 || (error = fo_buf_puts(addr_out, sock_out->data)) < 0)
      goto done;
    if (group && *group && (error = fo_listen_unix_group(sock_out->data, group)) < 0)
      goto done;
  } else if (strcmp(network, "tcp") == 0) {
    if ((error = fo_handshake_port_range(&lo, &hi, getenv("PLUGIN_MIN_PORT"), getenv("PLUGIN_MAX_PORT"))) < 0)
      goto done;
    error = fo_err_set(FO_EIO, "no free port in %d..%d", lo, hi);
    for (int p = lo; p <= hi; p++) {
      if (p != 0 && !fo_listen_tcp_port_free(p))
        continue;
      fo_buf_clear(&uri);
      if ((error = fo_buf_printf(&uri, "127.0.0.1:%d", p)) < 0)
        goto done;
      if ((error = fo_server_bind(srv, uri.data, &port)) == 0)
        break;
    }
    if (error < 0)
      goto done;
    error = fo_buf_printf(addr_out, "127.0.0.1:%d", port);
  } else {
    error = fo_err_set(FO_EINVAL, "unknown network '%s' in '%s': use unix or tcp", network, FO_PLUGIN_NETWORK_ENV);
  }

done:
  fo_buf_dispose(&uri);
  return error;
}

/* FO_PROVIDER_WORKERS: the worker ceiling (1..64), unset = the default. */
static int fo_plugin_workers(int *out, const char *s) {
  char *end;
  long v;
  *out = 0;
  if (!s || !*s)
    return FO_OK;
  v = strtol(s, &end, 10);
  if (*end != '\0' || v < 1 || v > 64)
    return fo_err_set(FO_EINVAL, "invalid '%s' value '%.32s': expected 1..64", FO_PLUGIN_WORKERS_ENV, s);
  *out = (int)v;
  return FO_OK;
}

/* The --debug announcement: the exportable line on stdout, the how-to on stderr. */
static int fo_plugin_announce_debug(const fo_plugin_opts *opts, const char *network, const char *addr, int version) {
  fo_buf line = FO_BUF_INIT;
  int error;
  if ((error = fo_buf_puts(&line, "TF_REATTACH_PROVIDERS='")) < 0 ||
      (error = fo_handshake_reattach_json(&line, opts->reattach_addresses, opts->n_reattach_addresses, version,
                                          (long)getpid(), network, addr)) < 0 ||
      (error = fo_buf_puts(&line, "'\n")) < 0)
    goto done;
  fprintf(stderr,
          "Provider started in debug mode. To attach Terraform or OpenTofu, export the "
          "TF_REATTACH_PROVIDERS line printed on stdout in the shell that runs them "
          "(e.g. `export TF_REATTACH_PROVIDERS=...`). Stop the provider with Ctrl-C.\n");
  fflush(stderr);
  error = fo_plugin_write_stdout(line.data, line.len);
done:
  fo_buf_dispose(&line);
  return error;
}

int fo_plugin_serve(const fo_plugin_opts *opts) {
  fo_tls_identity tls = {NULL, NULL, NULL};
  unsigned char *client_der = NULL;
  fo_server_opts sopts;
  fo_server *srv = NULL;
  fo_buf addr = FO_BUF_INIT, sock = FO_BUF_INIT, line = FO_BUF_INIT;
  const char *network = opts->network ? opts->network : getenv(FO_PLUGIN_NETWORK_ENV);
  const char *client_pem = opts->debug ? NULL : getenv("PLUGIN_CLIENT_CERT");
  int error, version, bad = 0, status = 1;
  sigset_t stop;

  if (!network || !*network)
    network = "unix";
  fo_plugin_cloexec_inherited();
  fo_plugin_signals(opts->debug, &stop);

  if (!opts->debug && !fo_handshake_cookie_ok(getenv(FO_HANDSHAKE_COOKIE_KEY))) {
    fputs(fo_handshake_not_a_program, stderr);
    return 1;
  }
  version = fo_handshake_negotiate(getenv("PLUGIN_PROTOCOL_VERSIONS"), fo_plugin_versions,
                                   sizeof fo_plugin_versions / sizeof fo_plugin_versions[0], &bad);
  if (bad)
    FO_WARN("ignored %d invalid entries in 'PLUGIN_PROTOCOL_VERSIONS'", bad);

  memset(&sopts, 0, sizeof sopts);
  sopts.methods = opts->methods;
  sopts.n_methods = opts->n_methods;
  sopts.watch_parent = !opts->debug;
  sopts.stop_signals = &stop;
  sopts.fast_exit = fo_plugin_fast_exit();
  if ((error = fo_plugin_workers(&sopts.max_workers, getenv(FO_PLUGIN_WORKERS_ENV))) < 0)
    goto done;
  if (client_pem && *client_pem) {
    fo_openssl_defer_config(); /* before the first OpenSSL call; the AWS and Kubernetes clients load it */
    if ((error = fo_tls_client_der(client_pem, &client_der, &sopts.client_der_len)) < 0 ||
        (error = fo_tls_identity_generate(&tls)) < 0)
      goto done;
    sopts.client_der = client_der;
    sopts.key_pem = tls.key_pem;
    sopts.cert_pem = tls.cert_pem;
  }
  if ((error = fo_server_new(&srv, &sopts)) < 0 || (error = fo_plugin_listen(srv, network, &addr, &sock)) < 0 ||
      (error = fo_server_start(srv)) < 0)
    goto done;
  /* gRPC copied the key; it has no business staying in our memory */
  fo_tls_identity_drop_key(&tls);

  if (opts->debug) {
    error = fo_plugin_announce_debug(opts, network, addr.data, version);
  } else if ((error = fo_handshake_line(&line, version, network, addr.data, tls.cert_b64)) == 0) {
    error = fo_plugin_write_stdout(line.data, line.len);
  }
  if (error < 0)
    goto done;
  FO_DEBUG("serving protocol %d on %s %s%s", version, network, addr.data,
           client_pem && *client_pem ? " with AutoMTLS" : "");

  if ((error = fo_server_run(srv)) == FO_SERVER_QUIESCED) {
    if (sock.data)
      unlink(sock.data);
    /* the two streams we write; fflush(NULL) would also wait for the lock of a stream another thread reads */
    fflush(stdout);
    fflush(stderr);
    _exit(0);
  }
  if (error == FO_ECANCELED) {
    /* handlers ignore cancellation: do not wait for them, but leave no socket */
    if (sock.data)
      unlink(sock.data);
    fflush(stderr);
    _exit(1);
  }
  status = 0;

done:
  if (error < 0) {
    FO_ERROR("%s", fo_err_last());
    if (!fo_log_enabled(FO_LOG_ERROR))
      fprintf(stderr, "terraform-provider-failover: %s\n", fo_err_last());
  }
  fo_server_free(srv);
  if (sock.data)
    unlink(sock.data);
  fo_tls_identity_dispose(&tls);
  free(client_der);
  fo_buf_dispose(&addr);
  fo_buf_dispose(&sock);
  fo_buf_dispose(&line);
  return error < 0 ? 1 : status;
}
