/* libFuzzer target: fo_cty_msgpack_decode against a few schema types (the
 * first input byte picks one); whatever decodes must re-encode and decode
 * back to an equal value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fo_cty.h"
#include "fo_cty_codec.h"

static const char *const types[] = {
    "[\"object\",{\"id\":\"string\",\"weight\":\"number\",\"enabled\":\"bool\",\"tags\":[\"map\",\"string\"],"
    "\"rules\":[\"list\",[\"object\",{\"cidrs\":[\"set\",\"string\"],\"port\":\"number\"}]],\"extra\":\"dynamic\"}]",
    "\"dynamic\"",
    "[\"list\",\"number\"]",
    "[\"set\",[\"object\",{\"a\":\"string\",\"n\":\"number\"}]]",
    "[\"map\",[\"tuple\",[\"string\",\"bool\"]]]",
    "\"string\"",
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fo_cty_type *parsed[NTYPES];
  fo_cty_type *t;
  fo_cty_value *v = NULL, *back = NULL;
  fo_buf b = FO_BUF_INIT;
  if (size < 1)
    return 0;
  if (!parsed[0])
    for (size_t i = 0; i < NTYPES; i++)
      if (fo_cty_type_from_json(&parsed[i], types[i], strlen(types[i])) != 0)
        abort();
  t = parsed[data[0] % NTYPES];
  if (fo_cty_msgpack_decode(&v, t, data + 1, size - 1) != 0)
    return 0;
  if (fo_cty_msgpack_encode(v, t, &b) != 0)
    abort();
  if (fo_cty_msgpack_decode(&back, t, (const uint8_t *)b.data, b.len) != 0 || !fo_cty_value_equal(v, back))
    abort();
  fo_buf_clear(&b);
  (void)fo_cty_value_format(v, &b);
  fo_buf_dispose(&b);
  fo_cty_value_unref(v);
  fo_cty_value_unref(back);
  return 0;
}
