/* fo_cty_format: human-readable rendering of values for diagnostics and
 * tests, in Terraform's plan style: {"a" = "x", "l" = ["p"]}. */
#include <string.h>

#include "fo_cty_codec.h"
#include "fo_cty_internal.h"
#include "fo_err.h"

static int format_value(const fo_cty_value *v, fo_buf *out, int depth) {
  int error = 0;
  size_t i;
  if (!v)
    return fo_buf_puts(out, "<nil>");
  if (depth > FO_CTY_MAX_DEPTH * 4)
    return fo_buf_puts(out, "...");
  if (v->state == FO_V_UNKNOWN)
    return fo_buf_puts(out, "(known after apply)");
  if (v->state == FO_V_NULL)
    return fo_buf_puts(out, "null");
  switch (v->type->kind) {
    case FO_CTY_STRING:
      return fo_cty__json_quote(out, v->u.str.s, v->u.str.len);
    case FO_CTY_NUMBER:
      return fo_buf_puts(out, v->u.num.text);
    case FO_CTY_BOOL:
      return fo_buf_puts(out, v->u.b ? "true" : "false");
    case FO_CTY_LIST:
    case FO_CTY_SET:
    case FO_CTY_TUPLE:
      error = fo_buf_puts(out, "[");
      for (i = 0; error == 0 && i < v->u.coll.n; i++) {
        if (i)
          error = fo_buf_puts(out, ", ");
        if (error == 0)
          error = format_value(v->u.coll.items[i], out, depth + 1);
      }
      return error ? error : fo_buf_puts(out, "]");
    case FO_CTY_MAP:
    case FO_CTY_OBJECT:
      error = fo_buf_puts(out, "{");
      for (i = 0; error == 0 && i < v->u.coll.n; i++) {
        const char *k = v->type->kind == FO_CTY_MAP ? v->u.coll.keys[i] : v->type->names[i];
        if (i)
          error = fo_buf_puts(out, ", ");
        if (error == 0 && (error = fo_cty__json_quote(out, k, strlen(k))) == 0 &&
            (error = fo_buf_puts(out, " = ")) == 0)
          error = format_value(v->u.coll.items[i], out, depth + 1);
      }
      return error ? error : fo_buf_puts(out, "}");
    default:
      return fo_buf_puts(out, "?");
  }
}

int fo_cty_value_format(const fo_cty_value *v, fo_buf *out) {
  return format_value(v, out, 0);
}
