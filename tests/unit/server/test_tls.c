/* Unit tests for fo_tls: the AutoMTLS certificate matches go-plugin's template
 * and the handshake field is its DER in raw base64. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "fo_err.h"
#include "fo_tls.h"

static X509 *parse_pem(const char *pem) {
  BIO *bio = BIO_new_mem_buf(pem, -1);
  X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
  BIO_free(bio);
  return x;
}

/* Decode raw (unpadded) base64 by restoring the padding for EVP_DecodeBlock. */
static unsigned char *decode_raw_b64(const char *s, int *len_out) {
  size_t n = strlen(s), padded = (n + 3) / 4 * 4;
  char *tmp = calloc(1, padded + 1);
  unsigned char *out = malloc(padded);
  int len;
  memcpy(tmp, s, n);
  memset(tmp + n, '=', padded - n);
  len = EVP_DecodeBlock(out, (unsigned char *)tmp, (int)padded);
  free(tmp);
  assert_true(len >= 0);
  *len_out = len - (int)(padded - n); /* EVP_DecodeBlock counts padding bytes */
  return out;
}

static void test_generate(void **state) {
  fo_tls_identity id = {NULL, NULL, NULL};
  X509 *x;
  EVP_PKEY *pub;
  BIO *kbio;
  EVP_PKEY *priv;
  char group[64];
  size_t glen = 0;
  unsigned char *der, *mine = NULL;
  int der_len, mine_len;
  const BIGNUM *bn;
  (void)state;

  assert_int_equal(fo_tls_identity_generate(&id), FO_OK);
  assert_non_null(id.key_pem);
  assert_non_null(strstr(id.cert_b64, "MII"));
  assert_null(strchr(id.cert_b64, '='));
  assert_null(strchr(id.cert_b64, '\n'));

  x = parse_pem(id.cert_pem);
  assert_non_null(x);
  pub = X509_get0_pubkey(x);
  assert_int_equal(EVP_PKEY_get_base_id(pub), EVP_PKEY_EC);
  assert_int_equal(EVP_PKEY_get_utf8_string_param(pub, "group", group, sizeof group, &glen), 1);
  assert_string_equal(group, "prime256v1");
  assert_int_equal(X509_verify(x, pub), 1); /* self-signed */
  assert_int_equal(X509_get_version(x), 2);
  assert_int_equal(X509_check_host(x, "localhost", 0, 0, NULL), 1);
  assert_int_equal(X509_check_ca(x) > 0, 1);
  assert_true(X509_get_extended_key_usage(x) & XKU_SSL_SERVER);
  assert_true(X509_get_extended_key_usage(x) & XKU_SSL_CLIENT);
  assert_int_equal(X509_get_signature_nid(x), NID_ecdsa_with_SHA256);
  assert_true(X509_cmp_current_time(X509_get0_notBefore(x)) < 0);
  assert_true(X509_cmp_current_time(X509_get0_notAfter(x)) > 0);
  bn = NULL;
  {
    BIGNUM *serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
    bn = serial;
    assert_false(BN_is_negative(bn));
    assert_false(BN_is_zero(bn));
    assert_true(BN_num_bits(bn) <= 128);
    BN_free(serial);
  }

  /* field 6 is exactly the DER of the certificate */
  der = decode_raw_b64(id.cert_b64, &der_len);
  mine_len = i2d_X509(x, &mine);
  assert_int_equal(der_len, mine_len);
  assert_memory_equal(der, mine, (size_t)mine_len);
  free(der);
  OPENSSL_free(mine);

  /* the key belongs to the certificate */
  kbio = BIO_new_mem_buf(id.key_pem, -1);
  priv = PEM_read_bio_PrivateKey(kbio, NULL, NULL, NULL);
  BIO_free(kbio);
  assert_non_null(priv);
  assert_int_equal(X509_check_private_key(x, priv), 1);
  {
    /* the hand-built PKCS#8 is byte for byte what OpenSSL's encoder writes */
    BIO *again = BIO_new(BIO_s_mem());
    char *data = NULL;
    long n;
    assert_int_equal(PEM_write_bio_PrivateKey(again, priv, NULL, NULL, 0, NULL, NULL), 1);
    n = BIO_get_mem_data(again, &data);
    assert_int_equal((size_t)n, strlen(id.key_pem));
    assert_memory_equal(data, id.key_pem, (size_t)n);
    BIO_free(again);
  }
  EVP_PKEY_free(priv);

  /* a real certificate pins as its own DER, and only it matches */
  {
    unsigned char *pin = NULL, *enc = NULL;
    size_t len = 0;
    int enc_len = i2d_X509(x, &enc);
    assert_int_equal(fo_tls_client_der(id.cert_pem, &pin, &len), FO_OK);
    assert_int_equal(len, (size_t)enc_len);
    assert_memory_equal(pin, enc, len);
    assert_int_equal(fo_tls_pem_is(id.cert_pem, strlen(id.cert_pem), pin, len), 1);
    /* the same certificate as gRPC writes it (OpenSSL's PEM of the peer) matches too */
    {
      BIO *w = BIO_new(BIO_s_mem());
      char *data = NULL;
      long n;
      assert_int_equal(PEM_write_bio_X509(w, x), 1);
      n = BIO_get_mem_data(w, &data);
      assert_int_equal(fo_tls_pem_is(data, (size_t)n, pin, len), 1);
      /* a prefix of it does not (the value is length-delimited, not NUL-terminated) */
      assert_int_equal(fo_tls_pem_is(data, (size_t)n / 2, pin, len), 0);
      BIO_free(w);
    }
    pin[len - 1] ^= 1; /* one bit of the signature */
    assert_int_equal(fo_tls_pem_is(id.cert_pem, strlen(id.cert_pem), pin, len), 0);
    assert_int_equal(fo_tls_pem_is(id.cert_pem, strlen(id.cert_pem), pin, len - 1), 0);
    assert_int_equal(fo_tls_pem_is(NULL, 0, pin, len), 0);
    free(pin);
    OPENSSL_free(enc);
  }

  fo_tls_identity_drop_key(&id);
  assert_null(id.key_pem);
  assert_non_null(id.cert_b64);
  X509_free(x);
  fo_tls_identity_dispose(&id);
  fo_tls_identity_dispose(&id); /* twice is fine */
}

static void test_fresh_per_process(void **state) {
  fo_tls_identity a = {NULL, NULL, NULL}, b = {NULL, NULL, NULL};
  (void)state;
  assert_int_equal(fo_tls_identity_generate(&a), FO_OK);
  assert_int_equal(fo_tls_identity_generate(&b), FO_OK);
  assert_string_not_equal(a.cert_b64, b.cert_b64);
  assert_string_not_equal(a.key_pem, b.key_pem);
  fo_tls_identity_dispose(&a);
  fo_tls_identity_dispose(&b);
}

static int client_der_rc(const char *pem) {
  unsigned char *der = (unsigned char *)"x";
  size_t len = 1;
  int rc = fo_tls_client_der(pem, &der, &len);
  if (rc == FO_OK) {
    assert_non_null(der);
    assert_true(len > 0);
    free(der);
  } else {
    assert_null(der);
    assert_int_equal(len, 0);
  }
  return rc;
}

static void test_client_pem(void **state) {
  (void)state;
  assert_int_equal(client_der_rc(NULL), FO_EINVAL);
  assert_int_equal(client_der_rc(""), FO_EINVAL);
  assert_int_equal(client_der_rc("hello"), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "PLUGIN_CLIENT_CERT"));
  assert_int_equal(client_der_rc("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), FO_EINVAL);
  /* a SEQUENCE claiming more bytes than there are; a SEQUENCE that is not a certificate block */
  assert_int_equal(client_der_rc("-----BEGIN CERTIFICATE-----\nMAUBAQ==\n-----END CERTIFICATE-----\n"), FO_EINVAL);
  assert_int_equal(client_der_rc("-----BEGIN PRIVATE KEY-----\nMAMBAQA=\n-----END PRIVATE KEY-----\n"), FO_EINVAL);
  /* a whole SEQUENCE without X.509's shape (a BOOLEAN inside): gRPC used to refuse it at bind, now this does */
  assert_int_equal(client_der_rc("-----BEGIN CERTIFICATE-----\nMAMBAQA=\n-----END CERTIFICATE-----\n"), FO_EINVAL);
  /* the shape: SEQUENCE { SEQUENCE {}, SEQUENCE {}, BIT STRING 00 } is accepted, trailing bytes inside are not */
  assert_int_equal(client_der_rc("-----BEGIN CERTIFICATE-----\nMAcwADAAAwEA\n-----END CERTIFICATE-----\n"), FO_OK);
  assert_int_equal(client_der_rc("-----BEGIN CERTIFICATE-----\nMAkwADAAAwEABQA=\n-----END CERTIFICATE-----\n"),
                   FO_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_generate),
      cmocka_unit_test(test_fresh_per_process),
      cmocka_unit_test(test_client_pem),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
