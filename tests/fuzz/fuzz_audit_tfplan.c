/* libFuzzer target: the plan JSON reader of `failover-audit tf-report` (terraform/tofu show -json of a plan),
 * and the report it writes, which must be GitLab's three counts whatever the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fo_audit_tfplan.h"
#include "fo_buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fo_audit_tfplan_counts c;
  fo_buf b = FO_BUF_INIT;
  if (fo_audit_tfplan_parse(&c, (const char *)data, size, "fuzz") == 0) {
    /* each counted action is one entry of some actions array: never more of them than bytes in the input */
    if (c.create + c.update + c.del > size || c.resources > size)
      abort();
    if (fo_audit_tfplan_report(&b, &c) == 0 && (!b.data || strncmp(b.data, "{\"create\": ", 11) != 0))
      abort();
  }
  fo_buf_dispose(&b);
  return 0;
}
