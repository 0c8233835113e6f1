/* Unit tests for fo_server's life cycle outside the serving loop: a server
 * bound but never started (a later start-up step failed) is freed cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fo_err.h"
#include "fo_server.h"
#include "fo_tls.h"

/* Bind a unix socket in a fresh temp dir, then free the server unstarted:
 * gRPC asserts (aborts) when a server with listeners is destroyed unshut. */
static void bind_then_free(const fo_server_opts *opts) {
  const char *tmp = getenv("TMPDIR");
  char dir[256], addr[300];
  fo_server *srv = NULL;
  snprintf(dir, sizeof dir, "%s/fo-server-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  assert_non_null(mkdtemp(dir));
  snprintf(addr, sizeof addr, "unix:%s/s", dir);
  assert_int_equal(fo_server_new(&srv, opts), FO_OK);
  assert_int_equal(fo_server_bind(srv, addr, NULL), FO_OK);
  assert_int_equal(access(addr + 5, F_OK), 0);
  fo_server_free(srv);
  unlink(addr + 5);
  assert_int_equal(rmdir(dir), 0);
}

static void test_bound_unstarted_plaintext(void **state) {
  fo_server_opts opts;
  (void)state;
  memset(&opts, 0, sizeof opts);
  bind_then_free(&opts);
}

static void test_bound_unstarted_tls(void **state) {
  fo_tls_identity id = {NULL, NULL, NULL};
  fo_server_opts opts;
  unsigned char *pin = NULL;
  (void)state;
  assert_int_equal(fo_tls_identity_generate(&id), FO_OK);
  memset(&opts, 0, sizeof opts);
  assert_int_equal(fo_tls_client_der(id.cert_pem, &pin, &opts.client_der_len), FO_OK);
  opts.client_der = pin;
  opts.key_pem = id.key_pem;
  opts.cert_pem = id.cert_pem;
  bind_then_free(&opts);
  free(pin);
  fo_tls_identity_dispose(&id);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bound_unstarted_plaintext),
      cmocka_unit_test(test_bound_unstarted_tls),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
