/* libFuzzer target: what a credential_process prints (fo_aws_creds_process_parse: JSON, Version 1, keys,
 * Expiration, the header-value checks on the key id and session token). No process is run. */
#include <stddef.h>
#include <stdint.h>

#include "fo_aws_creds.h"
#include "fo_aws_creds_parse.h"
#include "fo_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fo_aws_credentials *c = NULL;
  if (fo_aws_creds_process_parse(&c, (const char *)data, size, "profile:fuzz") == 0)
    fo_aws_credentials_free(c);
  fo_err_clear();
  return 0;
}
