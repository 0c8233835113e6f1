/* fo_cty_type_json: cty's JSON type syntax ("string", ["list",T], ["object",{..}])
 * written exactly as go-cty writes it and read back with cJSON. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fo_cty_codec.h"
#include "fo_cty_internal.h"
#include "fo_err.h"

/* Go's encoding/json string escaping (HTML-safe, as json.Marshal does):
 * \" \\ \n \r \t \b \f, other controls and < > & U+2028 U+2029 as \u00XX. */
int fo_cty__json_quote(fo_buf *out, const char *s, size_t len) {
  static const char hex[] = "0123456789abcdef";
  int error;
  size_t i, start = 0;
  if ((error = fo_buf_append(out, "\"", 1)) < 0)
    return error;
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    char ubuf[7];
    size_t skip = 1;
    switch (c) {
      case '"':
        esc = "\\\"";
        break;
      case '\\':
        esc = "\\\\";
        break;
      case '\n':
        esc = "\\n";
        break;
      case '\r':
        esc = "\\r";
        break;
      case '\t':
        esc = "\\t";
        break;
      case '\b':
        esc = "\\b";
        break;
      case '\f':
        esc = "\\f";
        break;
      default:
        if (c < 0x20 || c == '<' || c == '>' || c == '&') {
          memcpy(ubuf, "\\u00", 4);
          ubuf[4] = hex[c >> 4];
          ubuf[5] = hex[c & 15];
          ubuf[6] = 0;
          esc = ubuf;
        } else if (c == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
          esc = (unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029";
          skip = 3;
        }
    }
    if (!esc)
      continue;
    if ((error = fo_buf_append(out, s + start, i - start)) < 0 || (error = fo_buf_puts(out, esc)) < 0)
      return error;
    i += skip - 1;
    start = i + 1;
  }
  if ((error = fo_buf_append(out, s + start, len - start)) < 0)
    return error;
  return fo_buf_append(out, "\"", 1);
}

int fo_cty_type_to_json(const fo_cty_type *t, fo_buf *out) {
  int error = 0;
  size_t i;
  switch (fo_cty_type_kind(t)) {
    case FO_CTY_STRING:
      return fo_buf_puts(out, "\"string\"");
    case FO_CTY_NUMBER:
      return fo_buf_puts(out, "\"number\"");
    case FO_CTY_BOOL:
      return fo_buf_puts(out, "\"bool\"");
    case FO_CTY_DYNAMIC:
      return fo_buf_puts(out, "\"dynamic\"");
    case FO_CTY_LIST:
    case FO_CTY_SET:
    case FO_CTY_MAP:
      if ((error = fo_buf_puts(out, t->kind == FO_CTY_LIST  ? "[\"list\","
                                    : t->kind == FO_CTY_SET ? "[\"set\","
                                                            : "[\"map\",")) < 0 ||
          (error = fo_cty_type_to_json(t->elem, out)) < 0)
        return error;
      return fo_buf_puts(out, "]");
    case FO_CTY_OBJECT:
      if ((error = fo_buf_puts(out, "[\"object\",{")) < 0)
        return error;
      for (i = 0; i < t->n; i++) {
        if ((i && (error = fo_buf_puts(out, ",")) < 0) ||
            (error = fo_cty__json_quote(out, t->names[i], strlen(t->names[i]))) < 0 ||
            (error = fo_buf_puts(out, ":")) < 0 || (error = fo_cty_type_to_json(t->types[i], out)) < 0)
          return error;
      }
      return fo_buf_puts(out, "}]");
    case FO_CTY_TUPLE:
      if ((error = fo_buf_puts(out, "[\"tuple\",[")) < 0)
        return error;
      for (i = 0; i < t->n; i++) {
        if ((i && (error = fo_buf_puts(out, ",")) < 0) || (error = fo_cty_type_to_json(t->types[i], out)) < 0)
          return error;
      }
      return fo_buf_puts(out, "]]");
  }
  return fo_err_set(FO_EINVAL, "unknown type kind");
}

/* `where` names the position in the type description for error messages,
 * e.g. "[1].id[1]" for the element type of attribute id. */
static int type_from_cjson(fo_cty_type **out, const cJSON *j, fo_buf *where, int depth);

static int fail_at(fo_buf *where, const char *what) {
  return fo_err_set(FO_EINVAL, "invalid type description at '%s': %s", where->len ? where->data : "$", what);
}

static int child(fo_cty_type **out, const cJSON *j, fo_buf *where, int depth, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int child(fo_cty_type **out, const cJSON *j, fo_buf *where, int depth, const char *fmt, ...) {
  size_t mark = where->len;
  va_list ap;
  int error;
  va_start(ap, fmt);
  error = fo_buf_vprintf(where, fmt, ap);
  va_end(ap);
  if (error < 0)
    return error;
  error = type_from_cjson(out, j, where, depth + 1);
  if (error == 0) {
    where->len = mark;
    where->data[mark] = 0;
  }
  return error;
}

static int object_from_cjson(fo_cty_type **out, const cJSON *attrs, const cJSON *optional, fo_buf *where, int depth) {
  const cJSON *a;
  size_t n = 0, i = 0;
  const char **names = NULL;
  fo_cty_type **types = NULL;
  int error = 0;

  if (!cJSON_IsObject(attrs))
    return fail_at(where, "object attributes must be a JSON object");
  for (a = attrs->child; a; a = a->next)
    n++;
  names = calloc(n ? n : 1, sizeof(*names));
  types = calloc(n ? n : 1, sizeof(*types));
  if (!names || !types) {
    error = fo_err_set(FO_ENOMEM, "out of memory reading a type");
    goto done;
  }
  for (a = attrs->child; a; a = a->next, i++) {
    names[i] = a->string;
    if (!fo_cty__utf8_valid(a->string, strlen(a->string))) {
      error = fail_at(where, "attribute name is not valid UTF-8");
      goto done;
    }
    if ((error = child(&types[i], a, where, depth, "[1].%s", a->string)) < 0)
      goto done;
  }
  if (optional) {
    if (!cJSON_IsArray(optional)) {
      error = fail_at(where, "optional attribute names must be an array");
      goto done;
    }
    for (a = optional->child; a; a = a->next) {
      if (!cJSON_IsString(a) || !cJSON_GetObjectItemCaseSensitive(attrs, a->valuestring)) {
        error = fail_at(where, "optional attribute names must name attributes");
        goto done;
      }
    }
  }
  *out = fo_cty_type_object(n, names, types);
  memset(types, 0, n * sizeof(*types)); /* taken, also on failure */
  if (!*out)
    error = fo_err_wrap(FO_EINVAL, "invalid type description at '%s'", where->len ? where->data : "$");
done:
  for (i = 0; types && i < n; i++)
    fo_cty_type_unref(types[i]);
  free(names);
  free(types);
  return error;
}

static int tuple_from_cjson(fo_cty_type **out, const cJSON *elems, fo_buf *where, int depth) {
  const cJSON *e;
  size_t n = 0, i = 0;
  fo_cty_type **types = NULL;
  int error = 0;
  if (!cJSON_IsArray(elems))
    return fail_at(where, "tuple element types must be an array");
  for (e = elems->child; e; e = e->next)
    n++;
  types = calloc(n ? n : 1, sizeof(*types));
  if (!types)
    return fo_err_set(FO_ENOMEM, "out of memory reading a type");
  for (e = elems->child; e; e = e->next, i++)
    if ((error = child(&types[i], e, where, depth, "[1][%zu]", i)) < 0)
      goto done;
  *out = fo_cty_type_tuple(n, types);
  memset(types, 0, n * sizeof(*types));
  if (!*out)
    error = FO_ENOMEM;
done:
  for (i = 0; i < n; i++)
    fo_cty_type_unref(types[i]);
  free(types);
  return error;
}

static int type_from_cjson(fo_cty_type **out, const cJSON *j, fo_buf *where, int depth) {
  const cJSON *kind, *arg, *extra;
  fo_cty_type *elem = NULL;
  int error;

  *out = NULL;
  if (depth > FO_CTY_MAX_DEPTH)
    return fo_err_set(FO_ELIMIT, "invalid type description at '%s': nested too deeply", where->len ? where->data : "$");
  if (cJSON_IsString(j)) {
    const char *s = j->valuestring;
    if (strcmp(s, "string") == 0)
      *out = fo_cty_type_string();
    else if (strcmp(s, "number") == 0)
      *out = fo_cty_type_number();
    else if (strcmp(s, "bool") == 0)
      *out = fo_cty_type_bool();
    else if (strcmp(s, "dynamic") == 0)
      *out = fo_cty_type_dynamic();
    else
      return fail_at(where, "invalid primitive type name");
    return 0;
  }
  if (!cJSON_IsArray(j))
    return fail_at(where, "expected a type name or an array");
  kind = j->child;
  if (!kind || !cJSON_IsString(kind))
    return fail_at(where, "invalid complex type kind name");
  arg = kind->next;
  if (!arg)
    return fail_at(where, "missing type argument");
  extra = arg->next;
  if (strcmp(kind->valuestring, "object") == 0) {
    if (extra && extra->next)
      return fail_at(where, "unexpected extra data in type description");
    return object_from_cjson(out, arg, extra, where, depth);
  }
  if (extra)
    return fail_at(where, "unexpected extra data in type description");
  if (strcmp(kind->valuestring, "tuple") == 0)
    return tuple_from_cjson(out, arg, where, depth);
  if (strcmp(kind->valuestring, "list") != 0 && strcmp(kind->valuestring, "set") != 0 &&
      strcmp(kind->valuestring, "map") != 0)
    return fail_at(where, "invalid complex type kind name");
  if ((error = child(&elem, arg, where, depth, "[1]")) < 0)
    return error;
  if (kind->valuestring[0] == 'l')
    *out = fo_cty_type_list(elem);
  else if (kind->valuestring[0] == 's')
    *out = fo_cty_type_set(elem);
  else
    *out = fo_cty_type_map(elem);
  return *out ? 0 : FO_ENOMEM;
}

int fo_cty__cjson_parse(struct cJSON **out, const char *json, size_t len, const char *what) {
  const char *end = NULL;
  *out = cJSON_ParseWithLengthOpts(json, len, &end, 0);
  if (!*out) {
    size_t off = end && end >= json && end <= json + len ? (size_t)(end - json) : 0;
    return fo_err_set(FO_EINVAL, "%s: malformed JSON near byte %zu", what, off);
  }
  while (end && end < json + len && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
    end++;
  if (end && end < json + len) {
    cJSON_Delete(*out);
    *out = NULL;
    return fo_err_set(FO_EINVAL, "%s: extraneous data after byte %zu", what, (size_t)(end - json));
  }
  return 0;
}

int fo_cty_type_from_json(fo_cty_type **out, const char *json, size_t len) {
  cJSON *root = NULL;
  fo_buf where = FO_BUF_INIT;
  int error;

  *out = NULL;
  if (!json)
    return fo_err_set(FO_EINVAL, "invalid type description: no input");
  if ((error = fo_cty__cjson_parse(&root, json, len, "invalid type description")) < 0)
    return error;
  fo_buf_init(&where, 4096);
  error = type_from_cjson(out, root, &where, 0);
  fo_buf_dispose(&where);
  cJSON_Delete(root);
  return error;
}
