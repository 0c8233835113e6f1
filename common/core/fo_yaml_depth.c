/* fo_yaml_depth: no libyaml here on purpose, so fo_core stays free of it and the scan runs before any parser. */
#include "fo_yaml_depth.h"

size_t fo_yaml_flow_too_deep(const char *data, size_t len, size_t *column) {
  size_t depth = 0, line = 1, bol = 0;
  *column = 0;
  for (size_t i = 0; i < len; i++) {
    char c = data[i];
    if (c == '\n') {
      line++;
      bol = i + 1;
    } else if (c == '[' || c == '{') {
      if (++depth > FO_YAML_MAX_FLOW_DEPTH) {
        *column = i - bol + 1;
        return line;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      depth--;
    }
  }
  return 0;
}
