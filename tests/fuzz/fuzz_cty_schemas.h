/* fuzz_cty_schemas: the schema types the cty decoder fuzz targets decode
 * against (a realistic resource object, dynamic, collections, tuples). */
#ifndef FO_FUZZ_CTY_SCHEMAS_H
#define FO_FUZZ_CTY_SCHEMAS_H

#include <stdlib.h>
#include <string.h>

#include "fo_cty.h"

static const char *const fuzz_cty_schema_json[] = {
    "[\"object\",{\"id\":\"string\",\"weight\":\"number\",\"enabled\":\"bool\",\"tags\":[\"map\",\"string\"],"
    "\"rules\":[\"list\",[\"object\",{\"cidrs\":[\"set\",\"string\"],\"port\":\"number\"}]],\"extra\":\"dynamic\"}]",
    "\"dynamic\"",
    "[\"list\",\"number\"]",
    "[\"set\",[\"object\",{\"a\":\"string\",\"n\":\"number\"}]]",
    "[\"map\",[\"tuple\",[\"string\",\"bool\"]]]",
    "\"string\"",
};
#define FUZZ_CTY_NSCHEMAS (sizeof(fuzz_cty_schema_json) / sizeof(fuzz_cty_schema_json[0]))

/* Schema number `i % FUZZ_CTY_NSCHEMAS`, parsed once and kept. */
static inline const fo_cty_type *fuzz_cty_schema(unsigned i) {
  static fo_cty_type *parsed[FUZZ_CTY_NSCHEMAS];
  i %= FUZZ_CTY_NSCHEMAS;
  if (!parsed[i] && fo_cty_type_from_json(&parsed[i], fuzz_cty_schema_json[i], strlen(fuzz_cty_schema_json[i])) != 0)
    abort();
  return parsed[i];
}

#endif
