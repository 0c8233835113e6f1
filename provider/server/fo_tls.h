/* fo_tls: go-plugin AutoMTLS identity: a fresh EC P-256 key and self-signed
 * certificate per process (go-plugin's template), and a check of the client's PEM. */
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

/* FO_OK when `pem` (the value of PLUGIN_CLIENT_CERT) starts with a PEM
 * CERTIFICATE block holding one DER SEQUENCE, else FO_EINVAL naming the
 * variable. Not a full X.509 parse: gRPC does that once, at bind. */
int fo_tls_check_client_pem(const char *pem);

#endif
