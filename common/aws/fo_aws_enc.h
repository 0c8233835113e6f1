/* fo_aws_enc: the small encoders every AWS piece needs: URI percent-encoding,
 * hex, HMAC-SHA256 (OpenSSL; plain SHA-256 is fo_sha256 in fo_core), and ISO 8601 / AMZ date formatting. */
#ifndef FO_AWS_ENC_H
#define FO_AWS_ENC_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "fo_buf.h"

/* Append `s[0..len)` percent-encoded the AWS way: unreserved A-Z a-z 0-9 - _ . ~
 * stay, everything else becomes %XX (upper case). `keep_slash` keeps '/'
 * (for paths). */
int fo_aws_uri_encode(fo_buf *out, const char *s, size_t len, int keep_slash);

/* Append "key=value" form-encoded (application/x-www-form-urlencoded as AWS
 * query APIs read it), with a leading '&' unless `b` is empty. */
int fo_aws_form_append(fo_buf *b, const char *key, const char *value);

/* Decode %XX sequences of `s[0..len)` into `out` ('+' stays '+'). Bad escapes
 * are kept literally, as AWS servers do. */
int fo_aws_uri_decode(fo_buf *out, const char *s, size_t len);

/* HMAC-SHA256(key, msg) into `out` (32 bytes). */
void fo_aws_hmac_sha256(unsigned char out[32], const void *key, size_t key_len, const void *msg, size_t msg_len);

void fo_aws_hex(char *out, const unsigned char *in, size_t len);

/* "20150830T123600Z" (16 chars + NUL) for an epoch time, UTC. */
void fo_aws_amz_date(char out[17], time_t t);

/* Parse ISO 8601 UTC timestamps as AWS returns them: "2015-08-30T12:36:00Z",
 * with optional fractional seconds and "+00:00" offsets; also a plain epoch
 * number. Returns FO_EINVAL naming the text when it is not one. */
int fo_aws_parse_time(time_t *out, const char *s);

/* Parse an HTTP date ("Wed, 25 Nov 2026 17:10:00 GMT"). */
int fo_aws_parse_http_date(time_t *out, const char *s);

/* Constant-time wipe that the optimiser keeps. */
void fo_aws_wipe(void *p, size_t len);
/* Wipe a NUL-terminated string and free it; accepts NULL. */
void fo_aws_free_secret(char *s);

#endif
