/* libFuzzer target: the Terraform state reader (state v4 and show -json), then normalize and diff the result
 * against itself so the whole snapshot path sees fuzzed objects. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fo_audit_collector.h"
#include "fo_audit_diff.h"
#include "fo_audit_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fo_audit_snapshot *a = NULL, *b = NULL;
  fo_audit_norm_ctx na = {"us-east-1", "us-east-2", NULL, NULL, NULL, 0};
  fo_audit_norm_ctx nb = {"us-east-2", "us-east-1", NULL, NULL, NULL, 1};
  fo_audit_collect_ctx ca = {.side = 0, .norm = &na}, cb = {.side = 1, .norm = &nb};
  fo_audit_result *r = fo_audit_result_new();
  if (!r || fo_audit_snapshot_new(&a, "primary", NULL, "us-east-1", NULL) < 0 ||
      fo_audit_snapshot_new(&b, "secondary", NULL, "us-east-2", NULL) < 0)
    goto done;
  if (fo_audit_tfstate_parse(&ca, a, (const char *)data, size, "a") == 0 &&
      fo_audit_tfstate_parse(&cb, b, (const char *)data, size, "b") == 0 &&
      fo_audit_snapshot_add_source(a, "terraform_state", "ok", "a", NULL) == 0 &&
      fo_audit_snapshot_add_source(b, "terraform_state", "ok", "b", NULL) == 0 &&
      fo_audit_snapshots_normalize(a, b, NULL) == 0)
    fo_audit_diff(r, a, b, NULL);
  if (a) {
    /* exactness: a snapshot written and read back is the same document (numbers, NULs in strings): it writes
     * the same text again (read back, its attributes are packed: fo_audit_pack) */
    fo_buf text = FO_BUF_INIT, again = FO_BUF_INIT;
    fo_audit_snapshot *back = NULL;
    if (fo_audit_snapshot_write(a, &text) == 0 && text.data &&
        fo_audit_snapshot_parse(&back, text.data, text.len, "w") == 0 &&
        (fo_audit_snapshot_write(back, &again) != 0 || again.len != text.len ||
         memcmp(again.data, text.data, text.len) != 0))
      abort();
    fo_audit_snapshot_free(back);
    fo_buf_dispose(&text);
    fo_buf_dispose(&again);
  }
done:
  fo_audit_result_free(r);
  fo_audit_snapshot_free(a);
  fo_audit_snapshot_free(b);
  return 0;
}
