/* libFuzzer target: a page of GitLab's merge-request notes (GET .../notes), as --post-mr-note reads it to find
 * the auditor's earlier note. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fo_audit_gitlab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int64_t id = -1;
  if (fo_audit_gitlab_find_note(&id, (const char *)data, size, "check", 0, "fuzz") == 0 && id < 0)
    abort(); /* found or not, the id is never negative */
  if (fo_audit_gitlab_find_note(&id, (const char *)data, size, "changes", 77, "fuzz") == 0 && id < 0)
    abort();
  return 0;
}
