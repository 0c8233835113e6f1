/* Hex SHA-256 through OpenSSL's EVP one-shot digest. */
#include "fo_sha256.h"
#include "fo_err.h"

#include <string.h>

#include <openssl/evp.h>

int fo_sha256_hex(char hex[FO_SHA256_HEX_SIZE], const void *data, size_t len) {
  static const char digits[] = "0123456789abcdef";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0;

  hex[0] = '\0';
  if (!EVP_Digest(len ? data : "", len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
    return fo_err_set(FO_ERR, "cannot compute sha-256");
  for (unsigned i = 0; i < 32; i++) {
    hex[2 * i] = digits[md[i] >> 4];
    hex[2 * i + 1] = digits[md[i] & 15];
  }
  hex[64] = '\0';
  memset(md, 0, sizeof(md));
  return 0;
}
