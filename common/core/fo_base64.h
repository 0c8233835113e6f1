/* fo_base64: standard base64 (RFC 4648 section 4) through OpenSSL's EVP
 * encoder, with or without '=' padding (Go's StdEncoding / RawStdEncoding). */
#ifndef FO_BASE64_H
#define FO_BASE64_H

#include <stddef.h>

#include "fo_buf.h"

/* Append the encoding of `data[0..len)` to `out` (one line, no newlines);
 * `pad` 0 drops the trailing '=' (the go-plugin handshake's certificate).
 * `out` holds a string afterwards even for empty input. FO_ENOMEM or
 * FO_ELIMIT (the buffer's maximum) on failure. */
int fo_base64_encode(fo_buf *out, const void *data, size_t len, int pad);

#endif
