/* libFuzzer target: packed trees (fo_audit_pack). The input as pack bytes (refused or read, never a crash); as
 * JSON, its tree packed and read back must write the same text; as a snapshot (attributes packed while
 * parsing), it must write what the same text read as a plain tree writes. A mismatch aborts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fo_audit_arena.h"
#include "fo_audit_json.h"
#include "fo_audit_pack.h"
#include "fo_audit_snapshot.h"

static void same_text(const cJSON *a, const cJSON *b, int pretty) {
  fo_buf x = FO_BUF_INIT, y = FO_BUF_INIT;
  if (fo_audit_json_write(&x, a, pretty) == 0 && fo_audit_json_write(&y, b, pretty) == 0 &&
      (x.len != y.len || memcmp(x.data, y.data, x.len) != 0))
    abort();
  fo_buf_dispose(&x);
  fo_buf_dispose(&y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fo_audit_json_opts o = {.what = "fuzz", .max_depth = FO_AUDIT_JSON_MAX_DEPTH, .max_bytes = 1 << 20};
  fo_audit_arena *a = fo_audit_arena_new();
  fo_audit_snapshot *s = NULL;
  cJSON *plain = NULL, *back = NULL;
  fo_buf bytes = FO_BUF_INIT;

  if (!a)
    return 0;
  if (fo_audit_pack_read(&back, data, size, a) == 0)
    same_text(back, back, 0); /* hostile bytes that read: every node is sound enough to write */
  fo_audit_arena_reset(a);
  if (fo_audit_json_parse(&plain, (const char *)data, size, &o) == 0) {
    if (fo_audit_pack_write(&bytes, plain) == 0 &&
        fo_audit_pack_read(&back, (const unsigned char *)bytes.data, bytes.len, a) == 0)
      same_text(plain, back, 0);
    if (fo_audit_snapshot_parse(&s, (const char *)data, size, "fuzz") == 0) {
      fo_buf text = FO_BUF_INIT, want = FO_BUF_INIT;
      if (fo_audit_snapshot_write(s, &text) == 0 && fo_audit_json_write(&want, plain, 1) == 0 &&
          fo_buf_puts(&want, "\n") == 0 && (text.len != want.len || memcmp(text.data, want.data, text.len) != 0))
        abort();
      fo_buf_dispose(&text);
      fo_buf_dispose(&want);
    }
  }
  fo_audit_snapshot_free(s);
  cJSON_Delete(plain);
  fo_buf_dispose(&bytes);
  fo_audit_arena_free(a);
  return 0;
}
