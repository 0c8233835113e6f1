/* fo_cty_msgpack: cty values <-> msgpack (DynamicValue.msgpack) with go-cty's
 * rules: unknown extensions and type-12 refinements, nil as null, dynamic
 * wrappers, smallest ints, decimal strings for inexact numbers. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>

#include "fo_cty_codec.h"
#include "fo_cty_internal.h"
#include "fo_cty_path.h"
#include "fo_err.h"

/* msgpack-c's unpacker keeps a fixed stack of 32 containers. */
#define MP_MAX_NEST     32
#define REFINE_EXT      12
#define REFINE_MAX_BODY 1024
/* A refinement saying "list of exactly N unknowns" is expanded only up to this. */
#define REFINE_MAX_LIST 4096

typedef struct dec_ctx {
  fo_cty_path path;
  int depth;
} dec_ctx;

/* "at .a.b[2]: <what>" for the current path. */
static int dec_fail(dec_ctx *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int dec_fail(dec_ctx *c, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  code = fo_cty__path_errv(&c->path, code, fmt, ap);
  va_end(ap);
  return code;
}

static const char *mp_kind_name(const msgpack_object *o) {
  switch (o->type) {
    case MSGPACK_OBJECT_NIL:
      return "nil";
    case MSGPACK_OBJECT_BOOLEAN:
      return "bool";
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
      return "int";
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
      return "float";
    case MSGPACK_OBJECT_STR:
      return "string";
    case MSGPACK_OBJECT_ARRAY:
      return "array";
    case MSGPACK_OBJECT_MAP:
      return "map";
    case MSGPACK_OBJECT_BIN:
      return "bin";
    case MSGPACK_OBJECT_EXT:
      return "extension";
    default:
      return "unknown msgpack type";
  }
}

static const char *cty_kind_name(const fo_cty_type *t) {
  switch (fo_cty_type_kind(t)) {
    case FO_CTY_STRING:
      return "string";
    case FO_CTY_NUMBER:
      return "number";
    case FO_CTY_BOOL:
      return "bool";
    case FO_CTY_LIST:
      return "list";
    case FO_CTY_SET:
      return "set";
    case FO_CTY_MAP:
      return "map";
    case FO_CTY_OBJECT:
      return "object";
    case FO_CTY_TUPLE:
      return "tuple";
    default:
      return "dynamic value";
  }
}

/* Bounds check before handing bytes to msgpack-c: every container count must
 * be coverable by the remaining input (one byte per element at least), so a
 * tiny input cannot make msgpack-c allocate gigabytes, and nesting must fit
 * msgpack-c's fixed stack. On success *end is the end of the first object. */
static int mp_prescan(const uint8_t *p, size_t len, size_t *end) {
  size_t pos = 0, pending[MP_MAX_NEST + 1];
  int top = 0;
  pending[0] = 1;
  while (top >= 0) {
    uint8_t b;
    uint64_t count = 0, skip = 0;
    size_t hdr = 1;
    int container = 0;
    if (pending[top] == 0) {
      top--;
      continue;
    }
    pending[top]--;
    if (pos >= len)
      return fo_err_set(FO_EINVAL, "msgpack: truncated input at byte %zu", pos);
    b = p[pos];
#define NEED(n)                                                                  \
  do {                                                                           \
    if (len - pos < (size_t)(n))                                                 \
      return fo_err_set(FO_EINVAL, "msgpack: truncated input at byte %zu", pos); \
  } while (0)
#define BE(off, n) be_read(p + pos + (off), (n))
    if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
      /* fixint, nil, bool */
    } else if (b >= 0xa0 && b <= 0xbf) {
      skip = b & 0x1f;
    } else if (b >= 0x90 && b <= 0x9f) {
      count = b & 0x0f, container = 1;
    } else if (b >= 0x80 && b <= 0x8f) {
      count = (uint64_t)(b & 0x0f) * 2, container = 1;
    } else {
      switch (b) {
        case 0xcc:
        case 0xd0:
          hdr = 2;
          break;
        case 0xcd:
        case 0xd1:
          hdr = 3;
          break;
        case 0xca:
        case 0xce:
        case 0xd2:
          hdr = 5;
          break;
        case 0xcb:
        case 0xcf:
        case 0xd3:
          hdr = 9;
          break;
        case 0xd4:
          hdr = 2, skip = 1;
          break;
        case 0xd5:
          hdr = 2, skip = 2;
          break;
        case 0xd6:
          hdr = 2, skip = 4;
          break;
        case 0xd7:
          hdr = 2, skip = 8;
          break;
        case 0xd8:
          hdr = 2, skip = 16;
          break;
        case 0xc4:
        case 0xd9:
          hdr = 2;
          NEED(2);
          skip = p[pos + 1];
          break;
        case 0xc5:
        case 0xda:
          hdr = 3;
          NEED(3);
          skip = ((uint64_t)p[pos + 1] << 8) | p[pos + 2];
          break;
        case 0xc6:
        case 0xdb:
          hdr = 5;
          NEED(5);
          skip = ((uint64_t)p[pos + 1] << 24) | ((uint64_t)p[pos + 2] << 16) | ((uint64_t)p[pos + 3] << 8) | p[pos + 4];
          break;
        case 0xc7:
          hdr = 3;
          NEED(3);
          skip = p[pos + 1];
          break;
        case 0xc8:
          hdr = 4;
          NEED(4);
          skip = ((uint64_t)p[pos + 1] << 8) | p[pos + 2];
          break;
        case 0xc9:
          hdr = 6;
          NEED(6);
          skip = ((uint64_t)p[pos + 1] << 24) | ((uint64_t)p[pos + 2] << 16) | ((uint64_t)p[pos + 3] << 8) | p[pos + 4];
          break;
        case 0xdc:
        case 0xde:
          hdr = 3;
          NEED(3);
          count = ((uint64_t)p[pos + 1] << 8) | p[pos + 2];
          container = 1;
          if (b == 0xde)
            count *= 2;
          break;
        case 0xdd:
        case 0xdf:
          hdr = 5;
          NEED(5);
          count =
              ((uint64_t)p[pos + 1] << 24) | ((uint64_t)p[pos + 2] << 16) | ((uint64_t)p[pos + 3] << 8) | p[pos + 4];
          container = 1;
          if (b == 0xdf)
            count *= 2;
          break;
        default:
          return fo_err_set(FO_EINVAL, "msgpack: invalid type byte 0x%02x at byte %zu", b, pos);
      }
    }
#undef BE
    NEED(hdr);
    pos += hdr;
    if (skip > len - pos)
      return fo_err_set(FO_EINVAL, "msgpack: truncated input at byte %zu", pos);
    pos += (size_t)skip;
    if (container && count > 0) {
      if (count > len - pos)
        return fo_err_set(FO_EINVAL, "msgpack: container at byte %zu claims %llu items, more than the input holds",
                          pos - hdr, (unsigned long long)count);
      if (top + 1 > MP_MAX_NEST - 1)
        return fo_err_set(FO_ELIMIT, "msgpack: nested more than %d levels deep", MP_MAX_NEST - 1);
      pending[++top] = (size_t)count;
    }
#undef NEED
  }
  *end = pos;
  return 0;
}

static int decode_obj(fo_cty_value **out, const fo_cty_type *t, const msgpack_object *o, dec_ctx *c);

/* The bytes of a str or bin (msgpack-c leaves ptr NULL when empty). */
static int bytes_of(const msgpack_object *o, const char **p, size_t *n) {
  if (o->type == MSGPACK_OBJECT_STR) {
    *p = o->via.str.ptr, *n = o->via.str.size;
  } else if (o->type == MSGPACK_OBJECT_BIN) {
    *p = o->via.bin.ptr, *n = o->via.bin.size;
  } else {
    return 0;
  }
  if (!*p)
    *p = "", *n = 0;
  return 1;
}

static int decode_string(fo_cty_value **out, const msgpack_object *o, dec_ctx *c) {
  const char *p;
  size_t n;
  if (!bytes_of(o, &p, &n))
    return dec_fail(c, FO_EINVAL, "expected string, got %s", mp_kind_name(o));
  if (!fo_cty__utf8_valid(p, n))
    return dec_fail(c, FO_EINVAL, "string is not valid UTF-8");
  *out = fo_cty_string(p, n);
  return *out ? 0 : FO_ENOMEM;
}

static int decode_number(fo_cty_value **out, const msgpack_object *o, dec_ctx *c) {
  const char *p;
  size_t n;
  switch (o->type) {
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
      *out = fo_cty__number_uint(o->via.u64);
      break;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
      *out = fo_cty_number_int(o->via.i64);
      break;
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
      if (isnan(o->via.f64))
        return dec_fail(c, FO_EINVAL, "expected number, got NaN");
      *out = fo_cty_number_double(o->via.f64);
      break;
    case MSGPACK_OBJECT_STR:
    case MSGPACK_OBJECT_BIN:
      (void)bytes_of(o, &p, &n);
      if (fo_cty_number_parse(out, p, n) < 0)
        return dec_fail(c, FO_EINVAL, "expected number, got string '%.*s'", (int)(n > 40 ? 40 : n), p);
      break;
    default:
      return dec_fail(c, FO_EINVAL, "expected number, got %s", mp_kind_name(o));
  }
  return *out ? 0 : FO_ENOMEM;
}

static void release(size_t n, fo_cty_value **vals) {
  for (size_t i = 0; vals && i < n; i++)
    fo_cty_value_unref(vals[i]);
}

static int decode_seq(fo_cty_value **out, const fo_cty_type *t, const msgpack_object *o, dec_ctx *c) {
  const msgpack_object_array *a = &o->via.array;
  fo_cty_value **vals = NULL;
  size_t i, n;
  int error = 0;
  if (o->type != MSGPACK_OBJECT_ARRAY)
    return dec_fail(c, FO_EINVAL, "expected %s, got %s", cty_kind_name(t), mp_kind_name(o));
  n = a->size;
  if (t->kind == FO_CTY_TUPLE && n != t->n)
    return dec_fail(c, FO_EINVAL, "expected a tuple of length %zu, got %zu elements", t->n, n);
  if (n && !(vals = calloc(n, sizeof(*vals))))
    return fo_err_set(FO_ENOMEM, "out of memory decoding a %s", cty_kind_name(t));
  for (i = 0; i < n; i++) {
    const fo_cty_type *et = t->kind == FO_CTY_TUPLE ? t->types[i] : t->elem;
    if ((error = fo_cty_path_push_index(&c->path, (int64_t)i)) < 0)
      goto done;
    error = decode_obj(&vals[i], et, &a->ptr[i], c);
    if (error < 0)
      goto done;
    fo_cty_path_pop(&c->path);
  }
  if (t->kind == FO_CTY_LIST)
    *out = fo_cty_list(t->elem, n, vals);
  else if (t->kind == FO_CTY_SET)
    *out = fo_cty_set(t->elem, n, vals);
  else
    *out = fo_cty_tuple(n, vals);
  n = 0; /* taken */
  if (!*out)
    error = dec_fail(c, FO_EINVAL, "%s", fo_err_last());
done:
  release(n, vals);
  free(vals);
  return error;
}

static int decode_map(fo_cty_value **out, const fo_cty_type *t, const msgpack_object *o, dec_ctx *c) {
  const msgpack_object_map *m = &o->via.map;
  fo_cty_value **vals = NULL;
  char **keys = NULL;
  size_t i, n;
  int error = 0;
  int is_obj = t->kind == FO_CTY_OBJECT;
  if (o->type != MSGPACK_OBJECT_MAP)
    return dec_fail(c, FO_EINVAL, "expected %s, got %s", cty_kind_name(t), mp_kind_name(o));
  n = is_obj ? t->n : m->size;
  if (is_obj && m->size != t->n)
    return dec_fail(c, FO_EINVAL, "expected an object with %zu attributes, got %u", t->n, m->size);
  vals = calloc(n ? n : 1, sizeof(*vals));
  keys = calloc(m->size ? m->size : 1, sizeof(*keys));
  if (!vals || !keys) {
    error = fo_err_set(FO_ENOMEM, "out of memory decoding a %s", cty_kind_name(t));
    goto done;
  }
  for (i = 0; i < m->size; i++) {
    const char *kp;
    size_t kn, slot = i;
    if (!bytes_of(&m->ptr[i].key, &kp, &kn)) {
      error = dec_fail(c, FO_EINVAL, "%s keys must be strings, got %s", cty_kind_name(t), mp_kind_name(&m->ptr[i].key));
      goto done;
    }
    if (memchr(kp, 0, kn) || !fo_cty__utf8_valid(kp, kn)) {
      error = dec_fail(c, FO_EINVAL, "%s key is not valid UTF-8 text", cty_kind_name(t));
      goto done;
    }
    if (!(keys[i] = strndup(kp, kn))) {
      error = fo_err_set(FO_ENOMEM, "out of memory decoding a %s", cty_kind_name(t));
      goto done;
    }
    error = is_obj ? fo_cty_path_push_attr(&c->path, keys[i]) : fo_cty_path_push_key(&c->path, keys[i]);
    if (error < 0)
      goto done;
    if (is_obj) {
      long idx = fo_cty_type_attr_index(t, keys[i]);
      if (idx < 0) {
        error = dec_fail(c, FO_EINVAL, "unsupported attribute");
        goto done;
      }
      slot = (size_t)idx;
      if (vals[slot]) {
        error = dec_fail(c, FO_EINVAL, "duplicate attribute");
        goto done;
      }
    }
    if ((error = decode_obj(&vals[slot], is_obj ? t->types[slot] : t->elem, &m->ptr[i].val, c)) < 0)
      goto done;
    fo_cty_path_pop(&c->path);
  }
  if (is_obj) {
    *out = fo_cty_object(t, vals);
  } else {
    *out = fo_cty_map(t->elem, n, (const char *const *)keys, vals);
  }
  memset(vals, 0, n * sizeof(*vals));
  if (!*out)
    error = dec_fail(c, FO_EINVAL, "%s", fo_err_last());
done:
  release(n, vals);
  for (i = 0; keys && i < m->size; i++)
    free(keys[i]);
  free(keys);
  free(vals);
  return error;
}

/* [number, bool] bound of a number refinement. */
static int refine_bound(fo_cty_value **num, int *inclusive, const msgpack_object *o) {
  dec_ctx sub = {FO_CTY_PATH_INIT, 0};
  *num = NULL;
  if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 2 || o->via.array.ptr[1].type != MSGPACK_OBJECT_BOOLEAN)
    return FO_EINVAL;
  if (decode_number(num, &o->via.array.ptr[0], &sub) < 0) {
    fo_cty_path_dispose(&sub.path);
    return FO_EINVAL;
  }
  fo_cty_path_dispose(&sub.path);
  *inclusive = o->via.array.ptr[1].via.boolean;
  return 0;
}

/* A refined unknown (extension 12): validate the refinements like go-cty and
 * keep what the model records (nullness), collapsing to a known value where
 * go-cty does (definitely null, exact number, collection of known length). */
static int decode_refined(fo_cty_value **out, const fo_cty_type *t, const msgpack_object_ext *ext, dec_ctx *c) {
  msgpack_unpacked u;
  size_t off = 0;
  int error = 0, nullness = -1; /* -1 unknown, 0 not null, 1 null */
  int64_t minlen = 0, maxlen = -1;
  fo_cty_value *nmin = NULL, *nmax = NULL;
  int nmin_inc = 0, nmax_inc = 0;
  const msgpack_object_map *m;
  msgpack_unpack_return r;
  size_t end;

  if (mp_prescan((const uint8_t *)ext->ptr, ext->size, &end) < 0)
    return dec_fail(c, FO_EINVAL, "failed to decode msgpack extension body: %s", fo_err_last());
  msgpack_unpacked_init(&u);
  r = msgpack_unpack_next(&u, ext->ptr, end, &off);
  if (r != MSGPACK_UNPACK_SUCCESS && r != MSGPACK_UNPACK_EXTRA_BYTES) {
    error = dec_fail(c, FO_EINVAL, "failed to decode msgpack extension body");
    goto done;
  }
  if (u.data.type != MSGPACK_OBJECT_MAP) {
    error = dec_fail(c, FO_EINVAL, "failed to decode msgpack extension body: not a map");
    goto done;
  }
  if (t->kind == FO_CTY_DYNAMIC) { /* refinements on dynamic are ignored */
    *out = fo_cty_unknown(t);
    goto done;
  }
  m = &u.data.via.map;
  for (uint32_t i = 0; i < m->size; i++) {
    const msgpack_object *k = &m->ptr[i].key, *v = &m->ptr[i].val;
    int64_t key;
    int coll = t->kind == FO_CTY_LIST || t->kind == FO_CTY_SET || t->kind == FO_CTY_MAP;
    if (k->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
      key = k->via.u64 > INT64_MAX ? INT64_MAX : (int64_t)k->via.u64;
    else if (k->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
      key = k->via.i64;
    else {
      error = dec_fail(c, FO_EINVAL, "failed to decode msgpack extension body: non-integer key in map");
      goto done;
    }
    switch (key) {
      case 1:
        if (v->type != MSGPACK_OBJECT_BOOLEAN) {
          error = dec_fail(c, FO_EINVAL, "failed to decode msgpack extension body: null refinement is not boolean");
          goto done;
        }
        nullness = v->via.boolean ? 1 : 0;
        break;
      case 2: {
        const char *p;
        size_t n;
        if (t->kind != FO_CTY_STRING) {
          error = dec_fail(c, FO_EINVAL,
                           "failed to decode msgpack extension body: string prefix refinement for non-string type");
          goto done;
        }
        if (!bytes_of(v, &p, &n) || !fo_cty__utf8_valid(p, n)) {
          error = dec_fail(c, FO_EINVAL,
                           "failed to decode msgpack extension body: string prefix refinement is not valid UTF-8 text");
          goto done;
        }
        break;
      }
      case 3:
      case 4: {
        fo_cty_value *bound = NULL;
        int inc = 0;
        if (t->kind != FO_CTY_NUMBER) {
          error = dec_fail(c, FO_EINVAL,
                           "failed to decode msgpack extension body: numeric bound refinement for non-number type");
          goto done;
        }
        if (refine_bound(&bound, &inc, v) < 0) {
          error = dec_fail(
              c, FO_EINVAL,
              "failed to decode msgpack extension body: numeric bound refinement must be [number, bool] array");
          goto done;
        }
        if (key == 3) {
          fo_cty_value_unref(nmin);
          nmin = bound, nmin_inc = inc;
        } else {
          fo_cty_value_unref(nmax);
          nmax = bound, nmax_inc = inc;
        }
        break;
      }
      case 5:
      case 6: {
        int64_t b;
        if (!coll) {
          error = dec_fail(c, FO_EINVAL,
                           "failed to decode msgpack extension body: length bound refinement for non-collection type");
          goto done;
        }
        if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
          b = v->via.u64 > INT64_MAX ? INT64_MAX : (int64_t)v->via.u64;
        else if (v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
          b = v->via.i64;
        else {
          error = dec_fail(c, FO_EINVAL,
                           "failed to decode msgpack extension body: length bound refinement must be integer");
          goto done;
        }
        if (key == 5)
          minlen = b;
        else
          maxlen = b;
        break;
      }
      default: /* unknown refinements are ignored */
        break;
    }
  }
  if (nullness == 1) {
    *out = fo_cty_null(t);
  } else if (nullness == 0 && nmin && nmax && nmin_inc && nmax_inc && fo_cty_value_equal(nmin, nmax)) {
    *out = fo_cty_value_ref(nmin);
  } else if (nullness == 0 && maxlen >= 0 && minlen == maxlen &&
             (minlen == 0 || (t->kind == FO_CTY_LIST && minlen <= REFINE_MAX_LIST) ||
              (t->kind == FO_CTY_SET && minlen == 1))) {
    size_t n = (size_t)minlen;
    fo_cty_value **elems = n ? calloc(n, sizeof(*elems)) : NULL;
    if (n && !elems) {
      error = fo_err_set(FO_ENOMEM, "out of memory decoding an unknown");
      goto done;
    }
    for (size_t i = 0; i < n; i++)
      elems[i] = fo_cty_unknown(t->elem);
    if (t->kind == FO_CTY_LIST)
      *out = fo_cty_list(t->elem, n, elems);
    else if (t->kind == FO_CTY_SET)
      *out = fo_cty_set(t->elem, n, elems);
    else
      *out = fo_cty_map(t->elem, 0, NULL, NULL);
    free(elems);
  } else {
    *out = fo_cty_unknown(t);
    if (*out && nullness == 0)
      fo_cty__set_not_null(*out);
  }
  if (!*out)
    error = FO_ENOMEM;
done:
  fo_cty_value_unref(nmin);
  fo_cty_value_unref(nmax);
  msgpack_unpacked_destroy(&u);
  return error;
}

static int decode_ext(fo_cty_value **out, const fo_cty_type *t, const msgpack_object_ext *ext, dec_ctx *c) {
  if (ext->size <= 1) {
    *out = fo_cty_unknown(t);
    return *out ? 0 : FO_ENOMEM;
  }
  if (ext->type != REFINE_EXT)
    return dec_fail(c, FO_EINVAL, "unsupported extension type 0x%02x with len %u", (unsigned)(uint8_t)ext->type,
                    ext->size);
  if (ext->size > REFINE_MAX_BODY)
    return dec_fail(c, FO_EINVAL, "oversize unknown value refinement");
  return decode_refined(out, t, ext, c);
}

static int decode_dynamic(fo_cty_value **out, const msgpack_object *o, dec_ctx *c) {
  const char *tj;
  size_t tn;
  fo_cty_type *vt = NULL;
  int error;
  if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 2)
    return dec_fail(c, FO_EINVAL, "dynamic value array must have exactly two elements, got %s", mp_kind_name(o));
  if (!bytes_of(&o->via.array.ptr[0], &tj, &tn))
    return dec_fail(c, FO_EINVAL, "dynamic value type must be bytes, got %s", mp_kind_name(&o->via.array.ptr[0]));
  if (fo_cty_type_from_json(&vt, tj, tn) < 0)
    return dec_fail(c, FO_EINVAL, "%s", fo_err_last());
  error = decode_obj(out, vt, &o->via.array.ptr[1], c);
  fo_cty_type_unref(vt);
  return error;
}

static int decode_obj(fo_cty_value **out, const fo_cty_type *t, const msgpack_object *o, dec_ctx *c) {
  int error = 0;
  *out = NULL;
  if (++c->depth > FO_CTY_MAX_DEPTH) {
    error = dec_fail(c, FO_ELIMIT, "value nested more than %d levels deep", FO_CTY_MAX_DEPTH);
    goto done;
  }
  if (o->type == MSGPACK_OBJECT_EXT) {
    error = decode_ext(out, t, &o->via.ext, c);
    goto done;
  }
  if (o->type == MSGPACK_OBJECT_NIL) {
    *out = fo_cty_null(t);
    error = *out ? 0 : FO_ENOMEM;
    goto done;
  }
  switch (t->kind) {
    case FO_CTY_DYNAMIC:
      error = decode_dynamic(out, o, c);
      break;
    case FO_CTY_STRING:
      error = decode_string(out, o, c);
      break;
    case FO_CTY_NUMBER:
      error = decode_number(out, o, c);
      break;
    case FO_CTY_BOOL:
      if (o->type != MSGPACK_OBJECT_BOOLEAN) {
        error = dec_fail(c, FO_EINVAL, "expected bool, got %s", mp_kind_name(o));
        break;
      }
      *out = fo_cty_bool(o->via.boolean);
      error = *out ? 0 : FO_ENOMEM;
      break;
    case FO_CTY_LIST:
    case FO_CTY_SET:
    case FO_CTY_TUPLE:
      error = decode_seq(out, t, o, c);
      break;
    case FO_CTY_MAP:
    case FO_CTY_OBJECT:
      error = decode_map(out, t, o, c);
      break;
  }
done:
  c->depth--;
  if (error < 0 && *out) {
    fo_cty_value_unref(*out);
    *out = NULL;
  }
  return error;
}

int fo_cty_msgpack_decode(fo_cty_value **out, const fo_cty_type *t, const uint8_t *data, size_t len) {
  msgpack_unpacked u;
  size_t off = 0, end = 0;
  msgpack_unpack_return r;
  dec_ctx c = {FO_CTY_PATH_INIT, 0};
  int error;

  *out = NULL;
  if (!t || (!data && len))
    return fo_err_set(FO_EINVAL, "msgpack decode needs a type and bytes");
  if (len == 0)
    return fo_err_set(FO_EINVAL, "msgpack: empty input");
  if ((error = mp_prescan(data, len, &end)) < 0)
    return error;
  if (end != len)
    return fo_err_set(FO_EINVAL, "msgpack: %zu trailing bytes after the value", len - end);
  msgpack_unpacked_init(&u);
  r = msgpack_unpack_next(&u, (const char *)data, len, &off);
  if (r == MSGPACK_UNPACK_NOMEM_ERROR)
    error = fo_err_set(FO_ENOMEM, "msgpack: out of memory");
  else if (r != MSGPACK_UNPACK_SUCCESS)
    error = fo_err_set(FO_EINVAL, "msgpack: malformed input");
  else
    error = decode_obj(out, t, &u.data, &c);
  msgpack_unpacked_destroy(&u);
  fo_cty_path_dispose(&c.path);
  return error;
}

/* ---- encoding ---------------------------------------------------------- */

static int buf_write(void *data, const char *buf, size_t len) {
  return fo_buf_append((fo_buf *)data, buf, len) < 0 ? -1 : 0;
}

static int enc_value(msgpack_packer *pk, const fo_cty_value *v, const fo_cty_type *t, int depth);

static int enc_str(msgpack_packer *pk, const char *s, size_t n) {
  if (msgpack_pack_str(pk, n) < 0 || msgpack_pack_str_body(pk, s, n) < 0)
    return FO_ELIMIT;
  return 0;
}

static int enc_known(msgpack_packer *pk, const fo_cty_value *v, const fo_cty_type *t, int depth) {
  int error = 0;
  size_t i;
  switch (t->kind) {
    case FO_CTY_STRING:
      return enc_str(pk, v->u.str.s, v->u.str.len);
    case FO_CTY_BOOL:
      return (v->u.b ? msgpack_pack_true(pk) : msgpack_pack_false(pk)) < 0 ? FO_ELIMIT : 0;
    case FO_CTY_NUMBER:
      if (v->u.num.kind == FO_NUM_INT)
        return msgpack_pack_int64(pk, v->u.num.i) < 0 ? FO_ELIMIT : 0;
      if (v->u.num.kind == FO_NUM_DOUBLE)
        return msgpack_pack_double(pk, v->u.num.d) < 0 ? FO_ELIMIT : 0;
      return enc_str(pk, v->u.num.text, strlen(v->u.num.text));
    case FO_CTY_LIST:
    case FO_CTY_SET:
    case FO_CTY_TUPLE:
      if (msgpack_pack_array(pk, v->u.coll.n) < 0)
        return FO_ELIMIT;
      for (i = 0; error == 0 && i < v->u.coll.n; i++)
        error = enc_value(pk, v->u.coll.items[i], t->kind == FO_CTY_TUPLE ? t->types[i] : t->elem, depth + 1);
      return error;
    case FO_CTY_MAP:
    case FO_CTY_OBJECT:
      if (msgpack_pack_map(pk, v->u.coll.n) < 0)
        return FO_ELIMIT;
      for (i = 0; error == 0 && i < v->u.coll.n; i++) {
        const char *k = t->kind == FO_CTY_MAP ? v->u.coll.keys[i] : t->names[i];
        if ((error = enc_str(pk, k, strlen(k))) == 0)
          error = enc_value(pk, v->u.coll.items[i], t->kind == FO_CTY_OBJECT ? t->types[i] : t->elem, depth + 1);
      }
      return error;
    default:
      return fo_err_set(FO_EINVAL, "cannot encode a known value of dynamic type");
  }
}

static int enc_value(msgpack_packer *pk, const fo_cty_value *v, const fo_cty_type *t, int depth) {
  if (depth > FO_CTY_MAX_DEPTH * 2)
    return fo_err_set(FO_ELIMIT, "value nested too deeply to encode");
  if (t->kind == FO_CTY_DYNAMIC && v->type->kind != FO_CTY_DYNAMIC) {
    /* dynamic slot: [bin type-json, value encoded with its own type] */
    fo_buf tj = FO_BUF_INIT;
    int error = fo_cty_type_to_json(v->type, &tj);
    if (error == 0 && (msgpack_pack_array(pk, 2) < 0 || msgpack_pack_bin(pk, tj.len) < 0 ||
                       msgpack_pack_bin_body(pk, tj.data, tj.len) < 0))
      error = FO_ELIMIT;
    fo_buf_dispose(&tj);
    return error ? error : enc_value(pk, v, v->type, depth + 1);
  }
  if (v->state == FO_V_UNKNOWN) {
    /* plain unknown: fixext1 type 0, one zero byte (refinements are not sent) */
    return msgpack_pack_ext(pk, 1, 0) < 0 || msgpack_pack_ext_body(pk, "\0", 1) < 0 ? FO_ELIMIT : 0;
  }
  if (v->state == FO_V_NULL)
    return msgpack_pack_nil(pk) < 0 ? FO_ELIMIT : 0;
  return enc_known(pk, v, t, depth);
}

int fo_cty_msgpack_encode(const fo_cty_value *v, const fo_cty_type *t, fo_buf *out) {
  msgpack_packer pk;
  size_t start;
  int error;
  if (!v || !t || !out)
    return fo_err_set(FO_EINVAL, "msgpack encode needs a value, a type and a buffer");
  if (!fo_cty_value_conforms(v, t))
    return fo_err_set(FO_EINVAL, "value does not conform to the type it is encoded with");
  start = out->len;
  msgpack_packer_init(&pk, out, buf_write);
  error = enc_value(&pk, v, t, 0);
  if (error == FO_ELIMIT && !fo_err_last()[0])
    fo_err_set(FO_ELIMIT, "encoded value is larger than the buffer allows");
  if (error < 0 && out->data) {
    out->len = start; /* leave the buffer as it was */
    out->data[start] = 0;
  }
  return error;
}
