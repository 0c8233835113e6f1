/* fo_base64: EVP_EncodeBlock into a fo_buf; see fo_base64.h. */
#include "fo_base64.h"

#include <openssl/evp.h>

#include "fo_err.h"

/* EVP_EncodeBlock takes an int length: feed it whole 3-byte groups in chunks. */
#define B64_CHUNK ((size_t)3 * 1024)

int fo_base64_encode(fo_buf *out, const void *data, size_t len, int pad) {
  const unsigned char *p = data;
  unsigned char enc[4 * (B64_CHUNK / 3) + 1];
  int err;

  if ((err = fo_buf_append(out, "", 0)) < 0)
    return err;
  while (len > 0) {
    size_t n = len > B64_CHUNK ? B64_CHUNK : len;
    int m = EVP_EncodeBlock(enc, p, (int)n);
    if (m < 0)
      return fo_err_set(FO_ERR, "base64: cannot encode %zu bytes", n);
    if (!pad && n == len)
      while (m > 0 && enc[m - 1] == '=')
        m--;
    if ((err = fo_buf_append(out, enc, (size_t)m)) < 0)
      return err;
    p += n;
    len -= n;
  }
  return FO_OK;
}
