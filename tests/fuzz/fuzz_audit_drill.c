/* libFuzzer target: the drill timeline's inputs: the input as a state (through the state reader) and as a verify
 * report, the recorded times (RFC 3339), the timeline and its three renderings. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fo_audit_collector.h"
#include "fo_audit_drill.h"
#include "fo_audit_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const formats[] = {"text", "markdown", "json"};
  fo_audit_snapshot *s = NULL;
  fo_audit_collect_ctx ctx = {0};
  fo_audit_json_opts jo = {.what = "verify", .max_depth = FO_AUDIT_JSON_MAX_DEPTH, .max_bytes = 1 << 20};
  fo_audit_drill d;
  cJSON *doc = NULL;
  char *text = malloc(size + 1);
  long long ms;

  if (!text)
    return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  (void)fo_audit_drill_time_parse(&ms, text, "t");
  (void)fo_audit_drill_duration_parse(&ms, text);
  fo_audit_drill_init(&d, 60000);
  if (fo_audit_snapshot_new(&s, "drill", NULL, NULL, NULL) == 0 &&
      fo_audit_tfstate_parse(&ctx, s, (const char *)data, size, "s") == 0)
    (void)fo_audit_drill_add_snapshot(&d, s);
  if (fo_audit_json_parse(&doc, (const char *)data, size, &jo) == 0)
    (void)fo_audit_drill_add_verify(&d, doc, "v");
  fo_audit_drill_finish(&d);
  for (size_t i = 0; i < 3; i++) {
    fo_buf b = FO_BUF_INIT;
    (void)fo_audit_drill_render(&d, formats[i], &b);
    fo_buf_dispose(&b);
  }
  cJSON_Delete(doc);
  fo_audit_snapshot_free(s);
  free(text);
  return 0;
}
