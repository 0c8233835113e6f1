/* AutoMTLS certificate generation with OpenSSL 3, mirroring go-plugin's
 * mtls.go template so Go's x509 verification (SAN only, EKU) accepts it. */
#include "fo_tls.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "fo_buf.h"
#include "fo_err.h"
#include "fo_handshake.h"

/* go-plugin: NotAfter = now + 262980h */
#define FO_TLS_VALID_SECONDS (262980L * 3600L)

/* Copy a memory BIO's contents into a fresh NUL-terminated string. */
static char *fo_tls_bio_str(BIO *bio) {
  char *data = NULL, *copy;
  long len = BIO_get_mem_data(bio, &data);
  if (len < 0 || !data)
    return NULL;
  copy = malloc((size_t)len + 1);
  if (!copy)
    return NULL;
  memcpy(copy, data, (size_t)len);
  copy[len] = '\0';
  return copy;
}

static int fo_tls_add_ext(X509 *x, int nid, const char *value) {
  X509V3_CTX ctx;
  X509_EXTENSION *ext;
  int ok;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
  if (!ext)
    return 0;
  ok = X509_add_ext(x, ext, -1);
  X509_EXTENSION_free(ext);
  return ok;
}

static int fo_tls_set_serial(X509 *x) {
  BIGNUM *bn = BN_new();
  int ok = 0;
  /* random in [1, 2^128): go-plugin uses rand.Int(2^128); zero is retried */
  while (bn && BN_rand(bn, 128, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1) {
    if (!BN_is_zero(bn)) {
      ok = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
      break;
    }
  }
  BN_free(bn);
  return ok;
}

static int fo_tls_fill_cert(X509 *x, EVP_PKEY *pkey) {
  X509_NAME *name = X509_get_subject_name(x);
  return X509_set_version(x, 2) == 1 && fo_tls_set_serial(x) && X509_gmtime_adj(X509_getm_notBefore(x), -30) != NULL &&
         X509_gmtime_adj(X509_getm_notAfter(x), FO_TLS_VALID_SECONDS) != NULL && X509_set_pubkey(x, pkey) == 1 &&
         X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"HashiCorp", -1, -1, 0) == 1 &&
         X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1, 0) == 1 &&
         X509_set_issuer_name(x, name) == 1 && fo_tls_add_ext(x, NID_basic_constraints, "critical,CA:TRUE") &&
         fo_tls_add_ext(x, NID_key_usage, "critical,digitalSignature,keyEncipherment,keyAgreement,keyCertSign") &&
         fo_tls_add_ext(x, NID_ext_key_usage, "clientAuth,serverAuth") &&
         fo_tls_add_ext(x, NID_subject_alt_name, "DNS:localhost") && X509_sign(x, pkey, EVP_sha512()) > 0;
}

int fo_tls_identity_generate(fo_tls_identity *out) {
  EVP_PKEY *pkey = NULL;
  X509 *x = NULL;
  BIO *kbio = NULL, *cbio = NULL;
  unsigned char *der = NULL;
  int der_len, error = FO_ERR;
  fo_buf b64 = FO_BUF_INIT;
  fo_tls_identity id = {NULL, NULL, NULL};

  if (!(pkey = EVP_EC_gen("P-521")) || !(x = X509_new())) {
    error = fo_err_set(FO_ERR, "cannot generate the TLS key");
    goto done;
  }
  if (!fo_tls_fill_cert(x, pkey)) {
    error = fo_err_set(FO_ERR, "cannot build the TLS certificate");
    goto done;
  }
  if (!(kbio = BIO_new(BIO_s_mem())) || !(cbio = BIO_new(BIO_s_mem())) ||
      PEM_write_bio_PrivateKey(kbio, pkey, NULL, NULL, 0, NULL, NULL) != 1 || PEM_write_bio_X509(cbio, x) != 1 ||
      !(id.key_pem = fo_tls_bio_str(kbio)) || !(id.cert_pem = fo_tls_bio_str(cbio)) ||
      (der_len = i2d_X509(x, &der)) <= 0) {
    error = fo_err_set(FO_ERR, "cannot encode the TLS certificate");
    goto done;
  }
  fo_buf_init(&b64, 64 * 1024);
  if ((error = fo_handshake_b64_raw(&b64, der, (size_t)der_len)) < 0)
    goto done;
  id.cert_b64 = fo_buf_detach(&b64, NULL);
  *out = id;
  id.key_pem = id.cert_pem = id.cert_b64 = NULL;
  error = FO_OK;

done:
  fo_tls_identity_dispose(&id);
  fo_buf_dispose(&b64);
  OPENSSL_free(der);
  if (kbio) {
    /* the key PEM lived in this BIO's memory: clear it before freeing */
    char *data = NULL;
    long len = BIO_get_mem_data(kbio, &data);
    if (data && len > 0)
      OPENSSL_cleanse(data, (size_t)len);
    BIO_free(kbio);
  }
  BIO_free(cbio);
  X509_free(x);
  EVP_PKEY_free(pkey);
  return error;
}

void fo_tls_identity_drop_key(fo_tls_identity *id) {
  if (!id || !id->key_pem)
    return;
  OPENSSL_cleanse(id->key_pem, strlen(id->key_pem));
  free(id->key_pem);
  id->key_pem = NULL;
}

void fo_tls_identity_dispose(fo_tls_identity *id) {
  if (!id)
    return;
  fo_tls_identity_drop_key(id);
  free(id->cert_pem);
  free(id->cert_b64);
  id->key_pem = id->cert_pem = id->cert_b64 = NULL;
}

int fo_tls_check_client_pem(const char *pem) {
  BIO *bio;
  X509 *x = NULL;
  if (!pem || !*pem)
    return fo_err_set(FO_EINVAL, "'PLUGIN_CLIENT_CERT' is empty");
  bio = BIO_new_mem_buf(pem, -1);
  if (bio)
    x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
  BIO_free(bio);
  if (!x)
    return fo_err_set(FO_EINVAL, "'PLUGIN_CLIENT_CERT' does not hold a PEM certificate");
  X509_free(x);
  return FO_OK;
}
