/* libFuzzer target: the auditor's YAML config reader (.failover-audit.yml), then its normalize rules (PCRE2
 * regexes under their limits) applied to a fixed value. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fo_audit_config.h"
#include "fo_audit_normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fo_audit_config *cfg = NULL;
  if (fo_audit_config_parse(&cfg, (const char *)data, size, "fuzz.yml", NULL) == 0) {
    fo_audit_norm_ctx ctx = {"us-east-1", "us-east-2", NULL, NULL, cfg, 0};
    free(fo_audit_normalize_text(&ctx, "blue-12 ami-0abc xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx us-east-1a zz"));
    fo_audit_config_free(cfg);
  }
  return 0;
}
