/* OpenSSL's process-wide start-up (see the header). The deferred configuration load mirrors OpenSSL's own first
 * initialisation: builtin modules, the default file or OPENSSL_CONF, the "openssl_conf" section, errors ignored. */
#include "fo_openssl.h"

#include <pthread.h>
#include <stdatomic.h>

#include <openssl/conf.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

static atomic_int deferred;
static pthread_once_t ready_once = PTHREAD_ONCE_INIT;

void fo_openssl_defer_config(void) {
  if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) == 1)
    atomic_store(&deferred, 1);
}

static void ready(void) {
  if (atomic_load(&deferred)) {
    OPENSSL_load_builtin_modules();
    (void)CONF_modules_load_file(
        NULL, NULL, CONF_MFLAGS_DEFAULT_SECTION | CONF_MFLAGS_IGNORE_MISSING_FILE | CONF_MFLAGS_IGNORE_RETURN_CODES);
  }
  /* after the configuration: it may choose the providers the fetch asks */
  EVP_MD_free(EVP_MD_fetch(NULL, "SHA256", NULL));
  ERR_clear_error(); /* what a broken file left must not surface as the next TLS call's error */
}

void fo_openssl_ready(void) {
  pthread_once(&ready_once, ready);
}
