/* libFuzzer target: the Kubernetes manifest reader (multi-document YAML to snapshot objects). */
#include <stddef.h>
#include <stdint.h>

#include "fo_audit_collector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fo_audit_snapshot *s = NULL;
  fo_audit_collect_ctx ctx = {.side = 0};
  if (fo_audit_snapshot_new(&s, "primary", NULL, "us-east-1", NULL) < 0)
    return 0;
  fo_audit_manifests_parse(&ctx, s, (const char *)data, size, "fuzz.yaml");
  fo_audit_snapshot_free(s);
  return 0;
}
