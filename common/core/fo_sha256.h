/* fo_sha256: lower-case hex SHA-256 (OpenSSL), the one digest helper shared by the AWS signer and the
 * auditor's fingerprints and sensitive-value markers. */
#ifndef FO_SHA256_H
#define FO_SHA256_H

#include <stddef.h>

#define FO_SHA256_HEX_SIZE 65 /* 64 hex digits + NUL */

/* Hex SHA-256 of data[0..len) into `hex` (64 chars + NUL). 0, or FO_ERR (hex = "") if OpenSSL fails. */
int fo_sha256_hex(char hex[FO_SHA256_HEX_SIZE], const void *data, size_t len);

#endif
