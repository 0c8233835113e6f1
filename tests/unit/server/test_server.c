/* Unit tests for fo_server's AutoMTLS set-up: the key pair can arrive after
 * fo_server_new (it is generated while gRPC starts), exactly once, before a bind. */
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

/* A unix socket address in a fresh temp dir; the dir is removed by the caller. */
static void socket_addr(char *dir, size_t dir_len, char *addr, size_t addr_len) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, dir_len, "%s/fo-server-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  assert_non_null(mkdtemp(dir));
  snprintf(addr, addr_len, "unix:%s/s", dir);
}

static void remove_socket_dir(const char *dir) {
  char path[512];
  snprintf(path, sizeof path, "%s/s", dir);
  unlink(path);
  rmdir(dir);
}

static void test_identity_later(void **state) {
  fo_tls_identity id = {NULL, NULL, NULL}, other = {NULL, NULL, NULL};
  fo_server_opts opts;
  fo_server *srv = NULL;
  char dir[256], addr[300];
  (void)state;
  assert_int_equal(fo_tls_identity_generate(&id), FO_OK);
  assert_int_equal(fo_tls_identity_generate(&other), FO_OK);
  memset(&opts, 0, sizeof opts);
  opts.client_pem = other.cert_pem;
  assert_int_equal(fo_server_new(&srv, &opts), FO_OK);
  socket_addr(dir, sizeof dir, addr, sizeof addr);

  /* no key pair yet: the bind refuses and says why */
  assert_int_equal(fo_server_bind(srv, addr, NULL), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "no key pair yet"));

  assert_int_equal(fo_server_set_identity(srv, id.key_pem, id.cert_pem), FO_OK);
  /* once only */
  assert_int_equal(fo_server_set_identity(srv, id.key_pem, id.cert_pem), FO_EINVAL);
  assert_int_equal(fo_server_bind(srv, addr, NULL), FO_OK);
  assert_int_equal(access(addr + 5, F_OK), 0);

  /* bound, never started: freeing must not trip gRPC's listener assertion */
  fo_server_free(srv);
  remove_socket_dir(dir);
  fo_tls_identity_dispose(&id);
  fo_tls_identity_dispose(&other);
}

static void test_plaintext_refuses_identity(void **state) {
  fo_tls_identity id = {NULL, NULL, NULL};
  fo_server_opts opts;
  fo_server *srv = NULL;
  (void)state;
  assert_int_equal(fo_tls_identity_generate(&id), FO_OK);
  memset(&opts, 0, sizeof opts);
  assert_int_equal(fo_server_new(&srv, &opts), FO_OK);
  assert_int_equal(fo_server_set_identity(srv, id.key_pem, id.cert_pem), FO_EINVAL);
  fo_server_free(srv);
  fo_tls_identity_dispose(&id);
}

static void test_half_identity_refused(void **state) {
  fo_tls_identity id = {NULL, NULL, NULL};
  fo_server_opts opts;
  fo_server *srv = NULL;
  (void)state;
  assert_int_equal(fo_tls_identity_generate(&id), FO_OK);
  memset(&opts, 0, sizeof opts);
  opts.client_pem = id.cert_pem;
  opts.key_pem = id.key_pem; /* a key without its certificate */
  assert_int_equal(fo_server_new(&srv, &opts), FO_EINVAL);
  assert_null(srv);
  fo_tls_identity_dispose(&id);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_identity_later),
      cmocka_unit_test(test_plaintext_refuses_identity),
      cmocka_unit_test(test_half_identity_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
