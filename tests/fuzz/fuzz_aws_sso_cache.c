/* libFuzzer target: the SSO token cache file `aws sso login` writes (fo_aws_creds_sso_cache_parse: JSON,
 * accessToken as a header value, expiresAt). No file is read. */
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "fo_aws_creds_parse.h"
#include "fo_aws_enc.h"
#include "fo_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *token = NULL;
  time_t expires;
  if (fo_aws_creds_sso_cache_parse(&token, &expires, (const char *)data, size, "cache.json") == 0)
    fo_aws_free_secret(token);
  fo_err_clear();
  return 0;
}
