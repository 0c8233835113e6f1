/* fo_cty_json: cty values <-> JSON (RawState, DynamicValue.json) with go-cty's
 * rules, parsed by cJSON; number literals keep their exact source text. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fo_cty_codec.h"
#include "fo_cty_internal.h"
#include "fo_cty_path.h"
#include "fo_err.h"

#define JSON_MAX_INPUT (256u * 1024u * 1024u)

typedef struct jctx {
  fo_cty_path path;
  int depth;
  int drop_unknown_attrs;
} jctx;

static int jfail(jctx *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int jfail(jctx *c, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  code = fo_cty__path_errv(&c->path, code, fmt, ap);
  va_end(ap);
  return code;
}

/* cJSON parses numbers into doubles. Recover each number literal's text from
 * the input (number tokens appear in document order, which is the order of a
 * pre-order walk of the tree) and keep it in the node's unused valuestring,
 * where cJSON_Delete frees it. Also refuse \u0000, which cJSON would
 * silently truncate a string at. */
typedef struct numtok {
  const char *p;
  size_t n;
} numtok;

static int scan_numbers(const char *s, size_t len, numtok **out, size_t *count) {
  size_t i = 0, n = 0, cap = 0;
  numtok *toks = NULL;
  while (i < len) {
    char ch = s[i];
    if (ch == '"') {
      for (i++; i < len && s[i] != '"'; i++) {
        if (s[i] == '\\') {
          if (i + 5 < len && s[i + 1] == 'u' && memcmp(s + i + 2, "0000", 4) == 0) {
            free(toks);
            return fo_err_set(FO_EINVAL, "JSON string with a NUL character (\\u0000) at byte %zu is not supported", i);
          }
          i++;
        }
      }
      i++;
    } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
      size_t st = i;
      while (i < len &&
             (s[i] == '-' || s[i] == '+' || s[i] == '.' || s[i] == 'e' || s[i] == 'E' || (s[i] >= '0' && s[i] <= '9')))
        i++;
      if (n == cap) {
        size_t nc = cap ? cap * 2 : 16;
        numtok *nt = realloc(toks, nc * sizeof(*nt));
        if (!nt) {
          free(toks);
          return fo_err_set(FO_ENOMEM, "out of memory reading JSON numbers");
        }
        toks = nt, cap = nc;
      }
      toks[n].p = s + st;
      toks[n].n = i - st;
      n++;
    } else {
      i++;
    }
  }
  *out = toks;
  *count = n;
  return 0;
}

static int attach_numbers(cJSON *node, const numtok *toks, size_t count, size_t *next) {
  for (; node; node = node->next) {
    if (cJSON_IsNumber(node)) {
      char *t;
      if (*next >= count)
        return fo_err_set(FO_EINVAL, "JSON number literals do not match the parsed document");
      t = cJSON_malloc(toks[*next].n + 1);
      if (!t)
        return fo_err_set(FO_ENOMEM, "out of memory reading JSON numbers");
      memcpy(t, toks[*next].p, toks[*next].n);
      t[toks[*next].n] = 0;
      if (node->valuestring)
        cJSON_free(node->valuestring);
      node->valuestring = t;
      (*next)++;
    }
    if (node->child) {
      int error = attach_numbers(node->child, toks, count, next);
      if (error < 0)
        return error;
    }
  }
  return 0;
}

static int jdecode(fo_cty_value **out, const fo_cty_type *t, const cJSON *j, jctx *c);

static const char *jkind(const cJSON *j) {
  if (cJSON_IsNull(j))
    return "null";
  if (cJSON_IsBool(j))
    return "bool";
  if (cJSON_IsNumber(j))
    return "number";
  if (cJSON_IsString(j))
    return "string";
  if (cJSON_IsArray(j))
    return "array";
  if (cJSON_IsObject(j))
    return "object";
  return "invalid JSON";
}

static int jstring(fo_cty_value **out, const char *s, jctx *c) {
  size_t n = strlen(s);
  if (!fo_cty__utf8_valid(s, n))
    return jfail(c, FO_EINVAL, "string is not valid UTF-8");
  *out = fo_cty_string(s, n);
  return *out ? 0 : FO_ENOMEM;
}

static int jprimitive(fo_cty_value **out, const fo_cty_type *t, const cJSON *j, jctx *c) {
  switch (t->kind) {
    case FO_CTY_STRING:
      if (cJSON_IsString(j) || cJSON_IsNumber(j))
        return jstring(out, j->valuestring, c);
      if (cJSON_IsBool(j))
        return jstring(out, cJSON_IsTrue(j) ? "true" : "false", c);
      return jfail(c, FO_EINVAL, "expected string, got %s", jkind(j));
    case FO_CTY_NUMBER:
      if (cJSON_IsString(j) || cJSON_IsNumber(j)) {
        if (fo_cty_number_parse(out, j->valuestring, strlen(j->valuestring)) < 0)
          return jfail(c, FO_EINVAL, "%s", fo_err_last());
        return 0;
      }
      return jfail(c, FO_EINVAL, "expected number, got %s", jkind(j));
    default: /* bool */
      if (cJSON_IsBool(j))
        *out = fo_cty_bool(cJSON_IsTrue(j));
      else if (cJSON_IsString(j) && strcmp(j->valuestring, "true") == 0)
        *out = fo_cty_bool(1);
      else if (cJSON_IsString(j) && strcmp(j->valuestring, "false") == 0)
        *out = fo_cty_bool(0);
      else
        return jfail(c, FO_EINVAL, "expected bool, got %s", jkind(j));
      return *out ? 0 : FO_ENOMEM;
  }
}

static size_t jcount(const cJSON *j) {
  size_t n = 0;
  for (const cJSON *e = j->child; e; e = e->next)
    n++;
  return n;
}

static void release(size_t n, fo_cty_value **vals) {
  for (size_t i = 0; vals && i < n; i++)
    fo_cty_value_unref(vals[i]);
}

static int jseq(fo_cty_value **out, const fo_cty_type *t, const cJSON *j, jctx *c) {
  size_t n, i = 0;
  fo_cty_value **vals = NULL;
  const cJSON *e;
  int error = 0;
  if (!cJSON_IsArray(j))
    return jfail(c, FO_EINVAL, "expected %s, got %s",
                 t->kind == FO_CTY_LIST  ? "list"
                 : t->kind == FO_CTY_SET ? "set"
                                         : "tuple",
                 jkind(j));
  n = jcount(j);
  if (t->kind == FO_CTY_TUPLE && n != t->n)
    return jfail(c, FO_EINVAL, "%s tuple elements (need %zu)", n > t->n ? "too many" : "not enough", t->n);
  if (n && !(vals = calloc(n, sizeof(*vals))))
    return fo_err_set(FO_ENOMEM, "out of memory decoding JSON");
  for (e = j->child; e; e = e->next, i++) {
    if ((error = fo_cty_path_push_index(&c->path, (int64_t)i)) < 0 ||
        (error = jdecode(&vals[i], t->kind == FO_CTY_TUPLE ? t->types[i] : t->elem, e, c)) < 0)
      goto done;
    fo_cty_path_pop(&c->path);
  }
  if (t->kind == FO_CTY_LIST)
    *out = fo_cty_list(t->elem, n, vals);
  else if (t->kind == FO_CTY_SET)
    *out = fo_cty_set(t->elem, n, vals);
  else
    *out = fo_cty_tuple(n, vals);
  n = 0;
  if (!*out)
    error = jfail(c, FO_EINVAL, "%s", fo_err_last());
done:
  release(n, vals);
  free(vals);
  return error;
}

/* Maps and objects: duplicate keys keep the last value, as Go's decoder does. */
static int jmap(fo_cty_value **out, const fo_cty_type *t, const cJSON *j, jctx *c) {
  int is_obj = t->kind == FO_CTY_OBJECT;
  size_t n, m = 0, i;
  fo_cty_value **vals = NULL;
  const char **keys = NULL;
  const cJSON *e;
  int error = 0;
  if (!cJSON_IsObject(j))
    return jfail(c, FO_EINVAL, "expected %s, got %s", is_obj ? "object" : "map", jkind(j));
  n = is_obj ? t->n : jcount(j);
  vals = calloc(n ? n : 1, sizeof(*vals));
  keys = calloc(n ? n : 1, sizeof(*keys));
  if (!vals || !keys) {
    error = fo_err_set(FO_ENOMEM, "out of memory decoding JSON");
    goto done;
  }
  for (e = j->child; e; e = e->next) {
    size_t slot;
    fo_cty_value *v = NULL;
    if (!fo_cty__utf8_valid(e->string, strlen(e->string))) {
      error = jfail(c, FO_EINVAL, "key is not valid UTF-8");
      goto done;
    }
    if (is_obj) {
      long idx = fo_cty_type_attr_index(t, e->string);
      if (idx < 0) {
        if (c->drop_unknown_attrs)
          continue;
        error = jfail(c, FO_EINVAL, "unsupported attribute \"%s\"", e->string);
        goto done;
      }
      slot = (size_t)idx;
      error = fo_cty_path_push_attr(&c->path, e->string);
    } else {
      for (slot = 0; slot < m && strcmp(keys[slot], e->string) != 0; slot++)
        ;
      if (slot == m)
        keys[m++] = e->string;
      error = fo_cty_path_push_key(&c->path, e->string);
    }
    if (error < 0 || (error = jdecode(&v, is_obj ? t->types[slot] : t->elem, e, c)) < 0)
      goto done;
    fo_cty_path_pop(&c->path);
    fo_cty_value_unref(vals[slot]);
    vals[slot] = v;
  }
  if (is_obj) {
    for (i = 0; i < n; i++) /* missing attributes are null */
      if (!vals[i] && !(vals[i] = fo_cty_null(t->types[i]))) {
        error = FO_ENOMEM;
        goto done;
      }
    *out = fo_cty_object(t, vals);
  } else {
    *out = fo_cty_map(t->elem, m, keys, vals);
  }
  memset(vals, 0, n * sizeof(*vals));
  if (!*out)
    error = jfail(c, FO_EINVAL, "%s", fo_err_last());
done:
  release(n, vals);
  free(vals);
  free(keys);
  return error;
}

/* {"value": V, "type": T} */
static int jdynamic(fo_cty_value **out, const cJSON *j, jctx *c) {
  const cJSON *e, *tj = NULL, *vj = NULL;
  fo_cty_type *vt = NULL;
  char *tjson = NULL;
  int error;
  if (!cJSON_IsObject(j))
    return jfail(c, FO_EINVAL, "expected a dynamically-typed value object, got %s", jkind(j));
  for (e = j->child; e; e = e->next) {
    if (strcmp(e->string, "type") == 0)
      tj = e;
    else if (strcmp(e->string, "value") == 0)
      vj = e;
    else
      return jfail(c, FO_EINVAL, "invalid key \"%s\" in dynamically-typed value", e->string);
  }
  if (!tj)
    return jfail(c, FO_EINVAL, "missing type in dynamically-typed value");
  if (!vj)
    return jfail(c, FO_EINVAL, "missing value in dynamically-typed value");
  tjson = cJSON_PrintUnformatted(tj);
  if (!tjson)
    return fo_err_set(FO_ENOMEM, "out of memory decoding JSON");
  error = fo_cty_type_from_json(&vt, tjson, strlen(tjson));
  cJSON_free(tjson);
  if (error < 0)
    return jfail(c, FO_EINVAL, "failed to decode type for dynamic value: %s", fo_err_last());
  error = jdecode(out, vt, vj, c);
  fo_cty_type_unref(vt);
  return error;
}

static int jdecode(fo_cty_value **out, const fo_cty_type *t, const cJSON *j, jctx *c) {
  int error;
  *out = NULL;
  if (++c->depth > FO_CTY_MAX_DEPTH) {
    c->depth--;
    return jfail(c, FO_ELIMIT, "value nested more than %d levels deep", FO_CTY_MAX_DEPTH);
  }
  if (cJSON_IsNull(j)) {
    *out = fo_cty_null(t);
    error = *out ? 0 : FO_ENOMEM;
  } else {
    switch (t->kind) {
      case FO_CTY_DYNAMIC:
        error = jdynamic(out, j, c);
        break;
      case FO_CTY_STRING:
      case FO_CTY_NUMBER:
      case FO_CTY_BOOL:
        error = jprimitive(out, t, j, c);
        break;
      case FO_CTY_LIST:
      case FO_CTY_SET:
      case FO_CTY_TUPLE:
        error = jseq(out, t, j, c);
        break;
      default:
        error = jmap(out, t, j, c);
        break;
    }
  }
  c->depth--;
  if (error < 0) {
    fo_cty_value_unref(*out);
    *out = NULL;
  }
  return error;
}

int fo_cty_json_decode(fo_cty_value **out, const fo_cty_type *t, const char *json, size_t len, int drop_unknown_attrs) {
  cJSON *root = NULL;
  numtok *toks = NULL;
  size_t ntoks = 0, next = 0;
  jctx c = {FO_CTY_PATH_INIT, 0, drop_unknown_attrs};
  int error;

  *out = NULL;
  if (!t || !json)
    return fo_err_set(FO_EINVAL, "JSON decode needs a type and text");
  if (len > JSON_MAX_INPUT)
    return fo_err_set(FO_ELIMIT, "JSON value of %zu bytes is too large", len);
  if ((error = fo_cty__cjson_parse(&root, json, len, "invalid JSON value")) < 0)
    return error;
  if ((error = scan_numbers(json, len, &toks, &ntoks)) < 0 || (error = attach_numbers(root, toks, ntoks, &next)) < 0)
    goto done;
  error = jdecode(out, t, root, &c);
done:
  free(toks);
  fo_cty_path_dispose(&c.path);
  cJSON_Delete(root);
  return error;
}

/* ---- encoding ---------------------------------------------------------- */

static int jencode(const fo_cty_value *v, const fo_cty_type *t, fo_buf *out, jctx *c);

static int jencode_items(const fo_cty_value *v, const fo_cty_type *t, fo_buf *out, jctx *c) {
  int error = 0, obj = t->kind == FO_CTY_MAP || t->kind == FO_CTY_OBJECT;
  if ((error = fo_buf_puts(out, obj ? "{" : "[")) < 0)
    return error;
  for (size_t i = 0; i < v->u.coll.n; i++) {
    const fo_cty_type *et = t->kind == FO_CTY_TUPLE || t->kind == FO_CTY_OBJECT ? t->types[i] : t->elem;
    if (i && (error = fo_buf_puts(out, ",")) < 0)
      return error;
    if (obj) {
      const char *k = t->kind == FO_CTY_MAP ? v->u.coll.keys[i] : t->names[i];
      if ((error = fo_cty__json_quote(out, k, strlen(k))) < 0 || (error = fo_buf_puts(out, ":")) < 0)
        return error;
      error = t->kind == FO_CTY_MAP ? fo_cty_path_push_key(&c->path, k) : fo_cty_path_push_attr(&c->path, k);
    } else {
      error = fo_cty_path_push_index(&c->path, (int64_t)i);
    }
    if (error < 0 || (error = jencode(v->u.coll.items[i], et, out, c)) < 0)
      return error;
    fo_cty_path_pop(&c->path);
  }
  return fo_buf_puts(out, obj ? "}" : "]");
}

static int jencode(const fo_cty_value *v, const fo_cty_type *t, fo_buf *out, jctx *c) {
  int error;
  if (v->state == FO_V_UNKNOWN)
    return jfail(c, FO_EINVAL, "value is not known");
  if (++c->depth > FO_CTY_MAX_DEPTH * 2) {
    c->depth--;
    return jfail(c, FO_ELIMIT, "value nested too deeply to encode");
  }
  if (t->kind == FO_CTY_DYNAMIC && v->type->kind != FO_CTY_DYNAMIC) {
    if ((error = fo_buf_puts(out, "{\"value\":")) == 0 && (error = jencode(v, v->type, out, c)) == 0 &&
        (error = fo_buf_puts(out, ",\"type\":")) == 0 && (error = fo_cty_type_to_json(v->type, out)) == 0)
      error = fo_buf_puts(out, "}");
  } else if (v->state == FO_V_NULL) {
    error = fo_buf_puts(out, "null");
  } else {
    switch (t->kind) {
      case FO_CTY_STRING:
        error = fo_cty__json_quote(out, v->u.str.s, v->u.str.len);
        break;
      case FO_CTY_NUMBER:
        if (v->u.num.kind == FO_NUM_DOUBLE && (v->u.num.text[0] == '+' || v->u.num.text[0] == '-') &&
            strcmp(v->u.num.text + 1, "Inf") == 0)
          error = jfail(c, FO_EINVAL, "cannot serialize infinity as JSON");
        else
          error = fo_buf_puts(out, v->u.num.text);
        break;
      case FO_CTY_BOOL:
        error = fo_buf_puts(out, v->u.b ? "true" : "false");
        break;
      case FO_CTY_DYNAMIC:
        error = jfail(c, FO_EINVAL, "cannot encode a known value of dynamic type");
        break;
      default:
        error = jencode_items(v, t, out, c);
        break;
    }
  }
  c->depth--;
  return error;
}

int fo_cty_json_encode(const fo_cty_value *v, const fo_cty_type *t, fo_buf *out) {
  jctx c = {FO_CTY_PATH_INIT, 0, 0};
  size_t start;
  int error;
  if (!v || !t || !out)
    return fo_err_set(FO_EINVAL, "JSON encode needs a value, a type and a buffer");
  if (!fo_cty_value_conforms(v, t))
    return fo_err_set(FO_EINVAL, "value does not conform to the type it is encoded with");
  start = out->len;
  error = jencode(v, t, out, &c);
  fo_cty_path_dispose(&c.path);
  if (error < 0 && out->data) {
    out->len = start;
    out->data[start] = 0;
  }
  return error;
}
