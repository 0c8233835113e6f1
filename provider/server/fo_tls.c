/* AutoMTLS certificate generation with OpenSSL 3, mirroring go-plugin's
 * mtls.go template so Go's x509 verification (SAN only, EKU) accepts it, with a
 * P-256 key: it is what start-up pays for (keygen, signature, gRPC's parse). */
#include "fo_tls.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "fo_base64.h"
#include "fo_buf.h"
#include "fo_err.h"

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

/* The certificate's SubjectPublicKeyInfo straight from the EC point:
 * X509_set_pubkey would run OpenSSL 3's encoder and decoder set-up (about a
 * fifth of the TLS start-up instructions) to produce the same bytes. */
static int fo_tls_set_pubkey(X509 *x, EVP_PKEY *pkey) {
  unsigned char point[65], *copy; /* uncompressed P-256 point: 0x04 || X || Y */
  size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len) != 1 || len == 0)
    return 0;
  if (!(copy = OPENSSL_memdup(point, len)))
    return 0;
  if (X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(x), OBJ_nid2obj(NID_X9_62_id_ecPublicKey), V_ASN1_OBJECT,
                             OBJ_nid2obj(NID_X9_62_prime256v1), copy, (int)len) != 1) {
    OPENSSL_free(copy);
    return 0;
  }
  return 1;
}

static int fo_tls_fill_cert(X509 *x, EVP_PKEY *pkey) {
  X509_NAME *name = X509_get_subject_name(x);
  return X509_set_version(x, 2) == 1 && fo_tls_set_serial(x) && X509_gmtime_adj(X509_getm_notBefore(x), -30) != NULL &&
         X509_gmtime_adj(X509_getm_notAfter(x), FO_TLS_VALID_SECONDS) != NULL && fo_tls_set_pubkey(x, pkey) &&
         X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"HashiCorp", -1, -1, 0) == 1 &&
         X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1, 0) == 1 &&
         X509_set_issuer_name(x, name) == 1 && fo_tls_add_ext(x, NID_basic_constraints, "critical,CA:TRUE") &&
         fo_tls_add_ext(x, NID_key_usage, "critical,digitalSignature,keyEncipherment,keyAgreement,keyCertSign") &&
         fo_tls_add_ext(x, NID_ext_key_usage, "clientAuth,serverAuth") &&
         fo_tls_add_ext(x, NID_subject_alt_name, "DNS:localhost") && X509_sign(x, pkey, EVP_sha256()) > 0;
}

/* PKCS#8 of a P-256 key (RFC 5208 around RFC 5915, public key included), the
 * bytes PEM_write_bio_PrivateKey produces, built from a fixed template: its
 * OpenSSL 3 encoder set-up cost more than the rest of the certificate. */
static const unsigned char fo_tls_p256_pkcs8_head[] = {
    0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
    0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x04, 0x6d, 0x30, 0x6b, 0x02, 0x01, 0x01, 0x04, 0x20};
static const unsigned char fo_tls_p256_pkcs8_pub[] = {0xa1, 0x44, 0x03, 0x42, 0x00};
#define FO_TLS_P256_PKCS8_LEN 138

static int fo_tls_write_key(BIO *bio, EVP_PKEY *pkey) {
  unsigned char der[FO_TLS_P256_PKCS8_LEN], *p = der;
  size_t publen = 0;
  BIGNUM *priv = NULL;
  int ok = 0;
  memcpy(p, fo_tls_p256_pkcs8_head, sizeof fo_tls_p256_pkcs8_head);
  p += sizeof fo_tls_p256_pkcs8_head;
  if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &priv) != 1 || BN_bn2binpad(priv, p, 32) != 32)
    goto done;
  p += 32;
  memcpy(p, fo_tls_p256_pkcs8_pub, sizeof fo_tls_p256_pkcs8_pub);
  p += sizeof fo_tls_p256_pkcs8_pub;
  if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, p, 65, &publen) != 1 || publen != 65)
    goto done;
  ok = PEM_write_bio(bio, PEM_STRING_PKCS8INF, "", der, (long)sizeof der) > 0;
done:
  OPENSSL_cleanse(der, sizeof der);
  BN_clear_free(priv);
  return ok;
}

int fo_tls_identity_generate(fo_tls_identity *out) {
  EVP_PKEY *pkey = NULL;
  X509 *x = NULL;
  BIO *kbio = NULL, *cbio = NULL;
  unsigned char *der = NULL;
  int der_len, error = FO_ERR;
  fo_buf b64 = FO_BUF_INIT;
  fo_tls_identity id = {NULL, NULL, NULL};

  if (!(pkey = EVP_EC_gen("P-256")) || !(x = X509_new())) {
    error = fo_err_set(FO_ERR, "cannot generate the TLS key");
    goto done;
  }
  if (!fo_tls_fill_cert(x, pkey)) {
    error = fo_err_set(FO_ERR, "cannot build the TLS certificate");
    goto done;
  }
  if (!(kbio = BIO_new(BIO_s_mem())) || !(cbio = BIO_new(BIO_s_mem())) || !fo_tls_write_key(kbio, pkey) ||
      PEM_write_bio_X509(cbio, x) != 1 || !(id.key_pem = fo_tls_bio_str(kbio)) ||
      !(id.cert_pem = fo_tls_bio_str(cbio)) || (der_len = i2d_X509(x, &der)) <= 0) {
    error = fo_err_set(FO_ERR, "cannot encode the TLS certificate");
    goto done;
  }
  fo_buf_init(&b64, 64 * 1024);
  if ((error = fo_base64_encode(&b64, der, (size_t)der_len, 0)) < 0)
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

/* The first PEM block of `pem` (at most `len` bytes, or NUL-terminated when len < 0) when it is a CERTIFICATE;
 * `*der` is OpenSSL-allocated. 1 if found, 0 if not. */
static int fo_tls_first_cert(const char *pem, int len, unsigned char **der, long *der_len) {
  BIO *bio = BIO_new_mem_buf(pem, len);
  char *name = NULL, *header = NULL;
  int ok = bio && PEM_read_bio(bio, &name, &header, der, der_len) == 1 && strcmp(name, PEM_STRING_X509) == 0;
  if (!ok && *der) {
    OPENSSL_free(*der);
    *der = NULL;
  }
  BIO_free(bio);
  OPENSSL_free(name);
  OPENSSL_free(header);
  return ok;
}

/* One DER element of the expected tag at *p (within end); *p moves past it. */
static int fo_tls_der_element(const unsigned char **p, const unsigned char *end, int want_tag, int constructed) {
  long len;
  int tag, xclass;
  const unsigned char *q = *p;
  int r = ASN1_get_object(&q, &len, &tag, &xclass, end - *p);
  if ((r & 0x80) || tag != want_tag || xclass != V_ASN1_UNIVERSAL || !!(r & V_ASN1_CONSTRUCTED) != constructed ||
      len > end - q)
    return 0;
  *p = q + len;
  return 1;
}

/* X.509's outer shape (RFC 5280 4.1): SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE,
 * signatureValue BIT STRING }, nothing after. ASN1_get_object reads the TLVs: no key decoding, which in OpenSSL 3.0
 * costs a decoder set-up per certificate. */
static int fo_tls_cert_shape_ok(const unsigned char *der, long len) {
  const unsigned char *p = der, *end = der + len, *body;
  long blen;
  int tag, xclass, r = ASN1_get_object(&p, &blen, &tag, &xclass, len);
  if ((r & 0x80) || tag != V_ASN1_SEQUENCE || !(r & V_ASN1_CONSTRUCTED) || blen != end - p)
    return 0;
  body = p;
  return fo_tls_der_element(&body, end, V_ASN1_SEQUENCE, 1) && fo_tls_der_element(&body, end, V_ASN1_SEQUENCE, 1) &&
         fo_tls_der_element(&body, end, V_ASN1_BIT_STRING, 0) && body == end;
}

int fo_tls_client_der(const char *pem, unsigned char **der_out, size_t *len_out) {
  unsigned char *der = NULL;
  long len = 0;
  int ok;
  *der_out = NULL;
  *len_out = 0;
  if (!pem || !*pem)
    return fo_err_set(FO_EINVAL, "'PLUGIN_CLIENT_CERT' is empty");
  ok = fo_tls_first_cert(pem, -1, &der, &len) && fo_tls_cert_shape_ok(der, len);
  if (ok && (*der_out = malloc((size_t)len)) != NULL) {
    memcpy(*der_out, der, (size_t)len);
    *len_out = (size_t)len;
  }
  OPENSSL_free(der);
  if (!ok)
    return fo_err_set(FO_EINVAL, "'PLUGIN_CLIENT_CERT' does not hold a PEM certificate");
  return *der_out ? FO_OK : fo_err_oom();
}

char *fo_tls_cert_pem(const unsigned char *der, size_t len) {
  BIO *bio = len <= LONG_MAX ? BIO_new(BIO_s_mem()) : NULL;
  char *pem = bio && PEM_write_bio(bio, PEM_STRING_X509, "", der, (long)len) > 0 ? fo_tls_bio_str(bio) : NULL;
  BIO_free(bio);
  return pem;
}

int fo_tls_pem_is(const char *pem, size_t pem_len, const unsigned char *der, size_t der_len) {
  unsigned char *got = NULL;
  long got_len = 0;
  int same;
  if (!pem || pem_len == 0 || pem_len > INT_MAX || !fo_tls_first_cert(pem, (int)pem_len, &got, &got_len))
    return 0;
  same = (size_t)got_len == der_len && CRYPTO_memcmp(got, der, der_len) == 0;
  OPENSSL_free(got);
  return same;
}
