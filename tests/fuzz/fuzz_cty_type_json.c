/* libFuzzer target: fo_cty_type_from_json; a parsed type must print and
 * parse back to an equal type with the same text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fo_cty.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fo_cty_type *t = NULL, *back = NULL;
  fo_buf a = FO_BUF_INIT, b = FO_BUF_INIT;
  if (fo_cty_type_from_json(&t, (const char *)data, size) != 0)
    return 0;
  if (fo_cty_type_to_json(t, &a) != 0 || fo_cty_type_from_json(&back, a.data, a.len) != 0 ||
      !fo_cty_type_equal(t, back) || fo_cty_type_to_json(back, &b) != 0 || a.len != b.len ||
      memcmp(a.data, b.data, a.len) != 0)
    abort();
  fo_buf_dispose(&a);
  fo_buf_dispose(&b);
  fo_cty_type_unref(t);
  fo_cty_type_unref(back);
  return 0;
}
