/* libFuzzer target: the auditor's YAML config reader (.failover-audit.yml). */
#include <stddef.h>
#include <stdint.h>

#include "fo_audit_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fo_audit_config *cfg = NULL;
  if (fo_audit_config_parse(&cfg, (const char *)data, size, "fuzz.yml", NULL) == 0)
    fo_audit_config_free(cfg);
  return 0;
}
