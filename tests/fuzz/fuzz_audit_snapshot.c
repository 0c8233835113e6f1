/* libFuzzer target: the snapshot reader (`diff` reads snapshot files written elsewhere), then normalize and
 * diff the parsed snapshot against a copy of itself; the error message is read in full on failure. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fo_audit_diff.h"
#include "fo_audit_snapshot.h"
#include "fo_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fo_audit_snapshot *a = NULL, *b = NULL;
  fo_audit_result *r = NULL;
  volatile size_t n;

  if (fo_audit_snapshot_parse(&a, (const char *)data, size, "a") < 0) {
    n = strlen(fo_err_last()); /* ASan sees any freed byte the message was built from */
    (void)n;
    return 0;
  }
  if (fo_audit_snapshot_parse(&b, (const char *)data, size, "b") < 0)
    goto done;
  if (!(r = fo_audit_result_new()))
    goto done;
  if (fo_audit_snapshots_normalize(a, b, NULL) == 0)
    fo_audit_diff(r, a, b, NULL);
done:
  fo_audit_result_free(r);
  fo_audit_snapshot_free(a);
  fo_audit_snapshot_free(b);
  return 0;
}
