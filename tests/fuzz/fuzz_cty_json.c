/* libFuzzer target: fo_cty_json_decode against a few schema types (the first
 * input byte picks one and whether unknown attributes are dropped); whatever
 * decodes must survive JSON and msgpack round trips unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fo_cty.h"
#include "fo_cty_codec.h"
#include "fuzz_cty_schemas.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const fo_cty_type *t;
  fo_cty_value *v = NULL, *back = NULL;
  fo_buf b = FO_BUF_INIT;
  if (size < 1)
    return 0;
  t = fuzz_cty_schema(data[0]);
  if (fo_cty_json_decode(&v, t, (const char *)data + 1, size - 1, data[0] & 0x80) != 0)
    return 0;
  if (fo_cty_json_encode(v, t, &b) == 0) { /* fails only on infinity */
    if (fo_cty_json_decode(&back, t, b.data, b.len, 0) != 0 || !fo_cty_value_equal(v, back))
      abort();
    fo_cty_value_unref(back);
    back = NULL;
  }
  fo_buf_clear(&b);
  if (fo_cty_msgpack_encode(v, t, &b) != 0)
    abort();
  if (fo_cty_msgpack_decode(&back, t, (const uint8_t *)b.data, b.len) != 0 || !fo_cty_value_equal(v, back))
    abort();
  fo_buf_dispose(&b);
  fo_cty_value_unref(v);
  fo_cty_value_unref(back);
  return 0;
}
