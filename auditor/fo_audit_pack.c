/* fo_audit_pack: a tag byte per value, LEB128 lengths and counts, integers as zigzag varints, keys and texts as
 * their bytes. Decoding makes arena nodes (no malloc per node), so opening and dropping one object costs little. */
#include "fo_audit_pack.h"
#include "fo_audit_json.h"
#include "fo_err.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

enum { T_NULL, T_FALSE, T_TRUE, T_INT, T_DOUBLE, T_NUMTEXT, T_STRING, T_RAW, T_ARRAY, T_OBJECT };

#define PACK_MAX_DEPTH 256                /* trees come from the readers (64 levels); this only bounds the recursion */
#define INT_EXACT      9007199254740992.0 /* 2^53: integers up to it are exact doubles */

/* The stored bytes, after their length. */
typedef struct pack_hdr {
  size_t len;
} pack_hdr;

/* ---- writing --------------------------------------------------------------------------------------------- */

/* Bytes are staged here and appended to the caller's buffer a few KiB at a time: a value takes two or three
 * small writes, and an append each was a fifth of the packing's cost. */
typedef struct writer {
  fo_buf *b;
  size_t n;
  unsigned char stage[4096];
} writer;

static int flush(writer *w) {
  int err = w->n ? fo_buf_append(w->b, w->stage, w->n) : 0;
  w->n = 0;
  return err;
}

static int put(writer *w, const void *data, size_t len) {
  int err;
  if (len > sizeof w->stage - w->n) {
    if ((err = flush(w)) < 0)
      return err;
    if (len > sizeof w->stage)
      return fo_buf_append(w->b, data, len);
  }
  memcpy(w->stage + w->n, data, len);
  w->n += len;
  return 0;
}

/* A tag byte (tag >= 0) and/or a varint, at most 11 bytes. */
static int put_head(writer *w, int tag, int with_varint, uint64_t v) {
  unsigned char tmp[11];
  size_t n = 0;
  if (tag >= 0)
    tmp[n++] = (unsigned char)tag;
  while (with_varint) {
    tmp[n] = (unsigned char)(v & 0x7F);
    v >>= 7;
    if (v)
      tmp[n] |= 0x80;
    n++;
    with_varint = v != 0;
  }
  return put(w, tmp, n);
}

/* A tag (tag >= 0), the text's length and its bytes. A NULL text or key reads "", as every reader here takes it. */
static int put_text(writer *w, int tag, const char *s) {
  size_t len = s ? strlen(s) : 0;
  int err = put_head(w, tag, 1, len);
  return err < 0 ? err : put(w, s ? s : "", len);
}

static int put_number(writer *w, const cJSON *v) {
  double d = v->valuedouble;
  int err;
  if (!v->valuestring && d == floor(d) && fabs(d) <= INT_EXACT && !(d == 0 && signbit(d))) {
    int64_t i = (int64_t)d;
    return put_head(w, T_INT, 1, ((uint64_t)i << 1) ^ (uint64_t)(i >> 63));
  }
  if ((err = put_head(w, v->valuestring ? T_NUMTEXT : T_DOUBLE, 0, 0)) < 0 || (err = put(w, &d, sizeof d)) < 0)
    return err;
  return v->valuestring ? put_text(w, -1, v->valuestring) : 0;
}

static int write_rec(writer *w, const cJSON *v, int depth) {
  const cJSON *c;
  size_t n = 0;
  int err;
  if (depth > PACK_MAX_DEPTH)
    return fo_err_set(FO_ELIMIT, "cannot pack a value nested deeper than %d levels", PACK_MAX_DEPTH);
  if (v->type & FO_AUDIT_PACK_NODE)
    return fo_err_set(FO_EINVAL, "cannot pack a value that is packed already");
  switch (v->type & 0xFF) {
    case cJSON_NULL:
      return put_head(w, T_NULL, 0, 0);
    case cJSON_False:
      return put_head(w, T_FALSE, 0, 0);
    case cJSON_True:
      return put_head(w, T_TRUE, 0, 0);
    case cJSON_Number:
      return put_number(w, v);
    case cJSON_String:
    case cJSON_Raw:
      return put_text(w, cJSON_IsRaw(v) ? T_RAW : T_STRING, v->valuestring);
    case cJSON_Array:
    case cJSON_Object:
      for (c = v->child; c; c = c->next)
        n++;
      if ((err = put_head(w, cJSON_IsArray(v) ? T_ARRAY : T_OBJECT, 1, n)) < 0)
        return err;
      for (c = v->child; c; c = c->next) {
        if ((cJSON_IsObject(v) && (err = put_text(w, -1, c->string)) < 0) || (err = write_rec(w, c, depth + 1)) < 0)
          return err;
      }
      return 0;
    default:
      return fo_err_set(FO_EINVAL, "cannot pack a value of cJSON type %d", v->type & 0xFF);
  }
}

int fo_audit_pack_write(fo_buf *out, const cJSON *v) {
  writer w;
  int err;
  w.b = out;
  w.n = 0;
  err = write_rec(&w, v, 0);
  return err < 0 ? err : flush(&w);
}

/* Room for the bytes: a packed node's own when they fit (normalizing mostly shortens texts: "${region}"), so
 * repacking a whole snapshot needs no second copy of it. */
int fo_audit_pack_set(cJSON *node, const unsigned char *bytes, size_t len, fo_audit_arena *store) {
  pack_hdr *h = fo_audit_pack_is(node) ? (pack_hdr *)(void *)node->valuestring : NULL;
  if (!h || h->len < len)
    h = len <= SIZE_MAX - sizeof *h ? fo_audit_arena_alloc(store, sizeof *h + len) : NULL;
  if (!h)
    return fo_err_oom();
  h->len = len;
  memcpy(h + 1, bytes, len);
  node->child = NULL;
  node->valuestring = (char *)h;
  node->type = cJSON_Object | cJSON_IsReference | FO_AUDIT_PACK_NODE | (node->type & FO_AUDIT_JSON_IN_ARENA) |
               (node->type & cJSON_StringIsConst);
  return 0;
}

int fo_audit_pack_is(const cJSON *v) {
  return v && (v->type & FO_AUDIT_PACK_NODE) && v->valuestring;
}

int fo_audit_pack_same(const cJSON *a, const cJSON *b) {
  const pack_hdr *x, *y;
  if (!fo_audit_pack_is(a) || !fo_audit_pack_is(b))
    return 0;
  x = (const pack_hdr *)(const void *)a->valuestring;
  y = (const pack_hdr *)(const void *)b->valuestring;
  return x->len == y->len && !memcmp(x + 1, y + 1, x->len);
}

/* ---- reading --------------------------------------------------------------------------------------------- */

/* Keys repeat in every object: a thread's last interned keys by hash, so most cost a compare, not the intern
 * table's lock. Interned keys live as long as the process, so an entry never dangles. */
#define KEY_CACHE 512
static _Thread_local const char *key_cache[KEY_CACHE];

typedef struct reader {
  const unsigned char *p, *end;
  fo_audit_arena *arena;
} reader;

static int bad(const char *what) {
  return fo_err_set(FO_EINVAL, "packed value: %s", what);
}

static int get_varint(reader *r, uint64_t *out) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    unsigned char c;
    if (r->p >= r->end)
      return bad("truncated");
    c = *r->p++;
    v |= (uint64_t)(c & 0x7F) << shift;
    if (!(c & 0x80)) {
      *out = v;
      return 0;
    }
  }
  return bad("overlong number");
}

/* The next `len`-prefixed bytes: *s points into the pack. */
static int get_bytes(reader *r, const char **s, size_t *len) {
  uint64_t n;
  int err;
  if ((err = get_varint(r, &n)) < 0)
    return err;
  if (n > (uint64_t)(r->end - r->p))
    return bad("truncated text");
  *s = (const char *)r->p;
  *len = (size_t)n;
  r->p += n;
  return 0;
}

static cJSON *new_node(reader *r, int type) {
  cJSON *n = fo_audit_arena_alloc(r->arena, sizeof *n);
  if (n) {
    memset(n, 0, sizeof *n);
    n->type = type | FO_AUDIT_JSON_IN_ARENA;
  }
  return n;
}

static int set_text(reader *r, cJSON *n, const char *s, size_t len) {
  if (!(n->valuestring = fo_audit_arena_strndup(r->arena, s, len)))
    return fo_err_oom();
  n->type |= cJSON_IsReference;
  return 0;
}

static int set_key(reader *r, cJSON *n, const char *s, size_t len) {
  size_t h = len;
  const char *k;
  if (memchr(s, 0, len))
    return bad("a key holds a NUL byte");
  for (size_t i = 0; i < len && i < 16; i++)
    h = h * 31 + (unsigned char)s[i];
  if (len > 16)
    h = h * 31 + (unsigned char)s[len - 1];
  h &= KEY_CACHE - 1;
  k = key_cache[h];
  if (!k || strncmp(k, s, len) != 0 || k[len] != '\0') {
    if ((k = fo_audit_json_intern(s, len)) != NULL)
      key_cache[h] = k;
    else if (!(k = fo_audit_arena_strndup(r->arena, s, len))) /* too long for the table, or it is full */
      return fo_err_oom();
  }
  n->string = (char *)k;
  n->type |= cJSON_StringIsConst; /* interned or the arena's, as the JSON reader's keys */
  return 0;
}

static void set_double(cJSON *n, double d) {
  n->valuedouble = d;
  n->valueint = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : isnan(d) ? 0 : (int)d;
}

static int read_rec(reader *r, cJSON **out, int depth);

static int read_children(reader *r, cJSON *parent, int depth) {
  uint64_t n;
  cJSON *last = NULL;
  int err;
  if ((err = get_varint(r, &n)) < 0)
    return err;
  if (n > (uint64_t)(r->end - r->p)) /* every value takes a byte at least */
    return bad("truncated container");
  for (uint64_t i = 0; i < n; i++) {
    const char *k = NULL;
    size_t klen = 0;
    cJSON *c;
    if (cJSON_IsObject(parent) && (err = get_bytes(r, &k, &klen)) < 0)
      return err;
    if ((err = read_rec(r, &c, depth + 1)) < 0)
      return err;
    if (k && (err = set_key(r, c, k, klen)) < 0)
      return err;
    if (!last) {
      parent->child = c;
    } else {
      last->next = c;
      c->prev = last;
    }
    last = c;
    parent->child->prev = last; /* cJSON: the first child's prev is the last one */
  }
  return 0;
}

static int read_rec(reader *r, cJSON **out, int depth) {
  static const int types[] = {cJSON_NULL,   cJSON_False,  cJSON_True, cJSON_Number, cJSON_Number,
                              cJSON_Number, cJSON_String, cJSON_Raw,  cJSON_Array,  cJSON_Object};
  const char *s = NULL;
  size_t len = 0;
  double d;
  uint64_t zz;
  cJSON *n;
  int tag, err;
  if (depth > PACK_MAX_DEPTH)
    return bad("nested too deep");
  if (r->p >= r->end)
    return bad("truncated");
  if ((tag = *r->p++) > T_OBJECT)
    return bad("unknown tag");
  if (!(n = new_node(r, types[tag])))
    return fo_err_oom();
  *out = n;
  switch (tag) {
    case T_INT:
      if ((err = get_varint(r, &zz)) < 0)
        return err;
      set_double(n, (double)(int64_t)((zz >> 1) ^ (0 - (zz & 1))));
      return 0;
    case T_DOUBLE:
    case T_NUMTEXT:
      if ((size_t)(r->end - r->p) < sizeof d)
        return bad("truncated number");
      memcpy(&d, r->p, sizeof d);
      r->p += sizeof d;
      set_double(n, d);
      if (tag == T_DOUBLE)
        return 0;
      return (err = get_bytes(r, &s, &len)) < 0 ? err : set_text(r, n, s, len); /* its exact text */
    case T_STRING:
    case T_RAW:
      if ((err = get_bytes(r, &s, &len)) < 0)
        return err;
      if (tag == T_STRING && memchr(s, 0, len))
        return bad("a string holds a NUL byte");
      return set_text(r, n, s, len);
    case T_ARRAY:
    case T_OBJECT:
      return read_children(r, n, depth);
    default:
      return 0; /* null, false, true */
  }
}

int fo_audit_pack_read(cJSON **out, const unsigned char *bytes, size_t len, fo_audit_arena *arena) {
  reader r = {bytes, bytes + len, arena};
  cJSON *v = NULL;
  int err;
  *out = NULL;
  if ((err = read_rec(&r, &v, 0)) < 0)
    return err; /* the partial tree is all the arena's */
  if (r.p != r.end)
    return bad("bytes after the value");
  *out = v;
  return 0;
}

int fo_audit_pack_open(cJSON **out, const cJSON *node, fo_audit_arena *arena) {
  const pack_hdr *h;
  *out = NULL;
  if (!fo_audit_pack_is(node))
    return bad("not a packed node");
  h = (const pack_hdr *)(const void *)node->valuestring;
  return fo_audit_pack_read(out, (const unsigned char *)(h + 1), h->len, arena);
}
