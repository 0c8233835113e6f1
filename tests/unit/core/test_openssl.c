/* fo_openssl: after fo_openssl_ready, two threads making their first OpenSSL fetches at once both succeed. Each
 * attempt is a fresh child process (OpenSSL's first-use state is per process): without fo_openssl_ready, OpenSSL
 * 3.0 fails such a start a few times in a hundred ("conflicting names" in its name map). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/decoder.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "fo_openssl.h"
#include "fo_sha256.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* Under valgrind (which follows every forked child) a cold start takes a second: a few attempts still check the
 * memory of the path; the race itself is what the plain run's 150 look for. */
#define ATTEMPTS (RUNNING_ON_VALGRIND ? 2 : 150)

static void *keygen(void *arg) {
  EVP_PKEY *k = EVP_EC_gen("P-256");
  (void)arg;
  EVP_PKEY_free(k);
  return k ? arg : NULL;
}

static void no_decoder(OSSL_DECODER *d, void *arg) {
  (void)d;
  (void)arg;
}

/* what gRPC's TLS set-up does first: libssl, the key decoders, a context */
static void *tls_context(void *arg) {
  SSL_CTX *ctx;
  OPENSSL_init_ssl(0, NULL);
  OSSL_DECODER_do_all_provided(NULL, no_decoder, NULL);
  ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_free(ctx);
  return ctx ? arg : NULL;
}

/* The child: 0 when both threads' first OpenSSL work succeeded. */
static int cold_start(int deferred) {
  pthread_t a, b;
  void *ra = NULL, *rb = NULL;
  static int ok;
  if (deferred)
    fo_openssl_defer_config();
  fo_openssl_ready();
  if (pthread_create(&a, NULL, keygen, &ok) != 0 || pthread_create(&b, NULL, tls_context, &ok) != 0)
    return 2;
  pthread_join(a, &ra);
  pthread_join(b, &rb);
  return ra && rb ? 0 : 1;
}

static void run_cold_starts(int deferred) {
  int failed = 0;
  for (int i = 0; i < ATTEMPTS; i++) {
    int st = 0;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
      _exit(cold_start(deferred));
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_not_equal(WEXITSTATUS(st), 2);
    failed += WEXITSTATUS(st) != 0;
  }
  assert_int_equal(failed, 0);
}

static void test_concurrent_first_use(void **state) {
  (void)state;
  run_cold_starts(0);
}

static void test_concurrent_first_use_deferred_config(void **state) {
  (void)state;
  run_cold_starts(1);
}

/* Deferred and then loaded: digests (and so the configuration load) still work, more than once. */
static void test_ready_twice(void **state) {
  char hex[FO_SHA256_HEX_SIZE];
  (void)state;
  fo_openssl_defer_config(); /* the parent's first OpenSSL call: the children above ran in their own processes */
  fo_openssl_ready();
  fo_openssl_ready();
  assert_int_equal(fo_sha256_hex(hex, "abc", 3), 0);
  assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void) {
  /* the parent never touches OpenSSL before the children fork, so every child starts cold */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_concurrent_first_use),
      cmocka_unit_test(test_concurrent_first_use_deferred_config),
      cmocka_unit_test(test_ready_twice),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
