/* fo_openssl: OpenSSL's process-wide start-up, done once and in the right order: when openssl.cnf is read, and
 * the name map filled before threads race to fill it (OpenSSL 3.0 bug, see fo_openssl_ready). */
#ifndef FO_OPENSSL_H
#define FO_OPENSSL_H

/* Start OpenSSL without reading openssl.cnf. Call before anything else touches OpenSSL (gRPC's TLS, keygen):
 * reading it costs the provider's AutoMTLS start-up 0.7 M instructions, and the local plugin channel uses none of
 * it (gRPC sets its own ciphers; go-plugin's TLS never reads it either). fo_openssl_ready reads it later. */
void fo_openssl_defer_config(void);

/* Once per process, thread-safe; call where OpenSSL's use can start on several threads, before it does: the AWS
 * client's constructor (signing, RAND_bytes and TLS all go through a client), the HTTPS clients' global set-up,
 * the auditor's start. Not in each digest or HMAC: that would be on every request's path for nothing. It:
 * - reads openssl.cnf now if fo_openssl_defer_config deferred it, so HTTPS gets the system's settings (providers,
 *   minimum protocol, cipher strings) as without the deferral;
 * - fills OpenSSL's algorithm name map with one fetch. OpenSSL 3.0 fills it lazily, and two threads doing their
 *   first fetches at once can both fill it: names then conflict and a fetch fails ("conflicting names", key
 *   generation failed in 7 of 200 cold two-thread starts here). After one complete fetch it no longer races. */
void fo_openssl_ready(void);

#endif
