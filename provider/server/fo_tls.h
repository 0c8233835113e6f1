/* fo_tls: go-plugin AutoMTLS identity: a fresh EC P-256 key and self-signed
 * certificate per process (go-plugin's template), and the pinned client certificate. */
#ifndef FO_TLS_H
#define FO_TLS_H

#include <stddef.h>

typedef struct fo_tls_identity {
  char *key_pem;  /* PKCS#8 PEM private key, NUL-terminated; wiped on dispose */
  char *cert_pem; /* PEM certificate */
  char *cert_b64; /* DER certificate, standard base64 without '=' (handshake field 6) */
} fo_tls_identity;

/* Generate a key and a certificate: ECDSA P-256, CN=localhost O=HashiCorp,
 * SAN DNS:localhost, EKU serverAuth+clientAuth, CA:TRUE, valid from now-30s
 * for ~30 years, random positive 128-bit serial, signed with SHA-256.
 * `out` is filled on success and must be disposed. */
int fo_tls_identity_generate(fo_tls_identity *out);
void fo_tls_identity_dispose(fo_tls_identity *id);
/* Wipe and free only the private key (once gRPC has its own copy). */
void fo_tls_identity_drop_key(fo_tls_identity *id);

/* The client certificate go-plugin pins (PLUGIN_CLIENT_CERT): the DER of its first PEM block, which must be a
 * CERTIFICATE with X.509's outer shape, into `*der` (malloc'd, the caller frees). FO_EINVAL naming the variable
 * otherwise. Not a full X.509 parse: the certificate is only ever compared byte for byte (fo_tls_pem_is). */
int fo_tls_client_der(const char *pem, unsigned char **der, size_t *len);

/* The PEM of the certificate der[0..len) as OpenSSL writes it, which is how gRPC hands a peer's certificate over
 * (its auth context): comparing with it needs no decoding. malloc'd, NULL when out of memory. */
char *fo_tls_cert_pem(const unsigned char *der, size_t len);

/* 1 when the first PEM block of pem[0..pem_len) is a CERTIFICATE whose DER is exactly der[0..der_len). */
int fo_tls_pem_is(const char *pem, size_t pem_len, const unsigned char *der, size_t der_len);

#endif
