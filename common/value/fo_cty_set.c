/* fo_cty_set: set element deduplication and go-cty's set iteration order
 * (known before unknown before null; primitives by value; other element
 * types by go-cty's set hash string; ties keep insertion order). */
#include <stdlib.h>
#include <string.h>

#include "fo_cty_internal.h"
#include "fo_err.h"

/* Go's strconv.IsPrint approximated for non-ASCII: the common non-printing
 * ranges (C1 controls, spaces other than U+0020, format characters, private
 * use) are escaped; everything else is printed as is. */
static int go_is_print(uint32_t r) {
  if (r < 0x20 || r == 0x7f)
    return 0;
  if (r < 0x7f)
    return 1;
  if (r <= 0xa0 || r == 0xad)
    return 0;
  if ((r >= 0x2000 && r <= 0x200f) || (r >= 0x2028 && r <= 0x202f) || (r >= 0x205f && r <= 0x206f) || r == 0x3000 ||
      r == 0xfeff || (r >= 0xfff9 && r <= 0xfffb) || (r >= 0xe000 && r <= 0xf8ff) || r == 0x1680 || r == 0x180e ||
      r >= 0xf0000)
    return 0;
  return 1;
}

/* fmt's %q of a (valid UTF-8) string, as strconv.Quote writes it. */
static int go_quote(fo_buf *out, const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  int error = fo_buf_puts(out, "\"");
  while (error == 0 && p < end) {
    uint32_t r = *p;
    size_t n = 1;
    if (r >= 0x80) {
      if ((r & 0xe0) == 0xc0)
        n = 2, r &= 0x1f;
      else if ((r & 0xf0) == 0xe0)
        n = 3, r &= 0x0f;
      else
        n = 4, r &= 0x07;
      for (size_t i = 1; i < n && p + i < end; i++)
        r = (r << 6) | (p[i] & 0x3f);
    }
    switch (r) {
      case '\a':
        error = fo_buf_puts(out, "\\a");
        break;
      case '\b':
        error = fo_buf_puts(out, "\\b");
        break;
      case '\f':
        error = fo_buf_puts(out, "\\f");
        break;
      case '\n':
        error = fo_buf_puts(out, "\\n");
        break;
      case '\r':
        error = fo_buf_puts(out, "\\r");
        break;
      case '\t':
        error = fo_buf_puts(out, "\\t");
        break;
      case '\v':
        error = fo_buf_puts(out, "\\v");
        break;
      case '\\':
        error = fo_buf_puts(out, "\\\\");
        break;
      case '"':
        error = fo_buf_puts(out, "\\\"");
        break;
      default:
        if (go_is_print(r))
          error = fo_buf_append(out, p, n);
        else if (r < 0x80)
          error = fo_buf_printf(out, "\\x%02x", (unsigned)r);
        else if (r < 0x10000)
          error = fo_buf_printf(out, "\\u%04x", (unsigned)r);
        else
          error = fo_buf_printf(out, "\\U%08x", (unsigned)r);
    }
    p += n;
  }
  return error ? error : fo_buf_puts(out, "\"");
}

/* go-cty's appendSetHashBytes. */
static int hash_bytes(const fo_cty_value *v, fo_buf *out) {
  int error = 0;
  size_t i;
  if (v->state == FO_V_UNKNOWN)
    return fo_buf_puts(out, "?");
  if (v->state == FO_V_NULL)
    return fo_buf_puts(out, "~");
  switch (v->type->kind) {
    case FO_CTY_NUMBER:
      return fo_cty__number_gtext(v, out);
    case FO_CTY_BOOL:
      return fo_buf_puts(out, v->u.b ? "T" : "F");
    case FO_CTY_STRING:
      return go_quote(out, v->u.str.s, v->u.str.len);
    case FO_CTY_MAP:
      error = fo_buf_puts(out, "{");
      for (i = 0; error == 0 && i < v->u.coll.n; i++) {
        const char *k = v->u.coll.keys[i];
        if ((error = go_quote(out, k, strlen(k))) == 0 && (error = fo_buf_puts(out, ":")) == 0 &&
            (error = hash_bytes(v->u.coll.items[i], out)) == 0)
          error = fo_buf_puts(out, ";");
      }
      return error ? error : fo_buf_puts(out, "}");
    case FO_CTY_LIST:
    case FO_CTY_SET:
    case FO_CTY_OBJECT:
    case FO_CTY_TUPLE: {
      int seq = v->type->kind == FO_CTY_LIST || v->type->kind == FO_CTY_SET;
      error = fo_buf_puts(out, seq ? "[" : "<");
      for (i = 0; error == 0 && i < v->u.coll.n; i++)
        if ((error = hash_bytes(v->u.coll.items[i], out)) == 0)
          error = fo_buf_puts(out, ";");
      return error ? error : fo_buf_puts(out, seq ? "]" : ">");
    }
    default:
      return 0;
  }
}

typedef struct set_item {
  fo_cty_value *v;
  size_t pos;  /* insertion order, the tie breaker */
  fo_buf hash; /* for non-primitive elements */
} set_item;

/* 1 when a and b are certainly equal (go-cty's Equals returning true): two
 * wholly known, structurally identical values. */
static int definitely_equal(const fo_cty_value *a, const fo_cty_value *b) {
  return fo_cty_is_wholly_known(a) && fo_cty_is_wholly_known(b) && fo_cty_value_equal(a, b);
}

/* Order without the insertion tie breaker. */
static int item_order(const set_item *a, const set_item *b) {
  int c = 0;
  int an = a->v->state == FO_V_NULL, bn = b->v->state == FO_V_NULL;
  int au = a->v->state == FO_V_UNKNOWN, bu = b->v->state == FO_V_UNKNOWN;
  if (an != bn)
    c = an ? 1 : -1;
  else if (an)
    c = 0;
  else if (au != bu)
    c = au ? 1 : -1;
  else if (au)
    c = 0;
  else {
    switch (a->v->type->kind) {
      case FO_CTY_STRING: {
        size_t m = a->v->u.str.len < b->v->u.str.len ? a->v->u.str.len : b->v->u.str.len;
        c = memcmp(a->v->u.str.s, b->v->u.str.s, m);
        if (c == 0)
          c = a->v->u.str.len < b->v->u.str.len ? -1 : a->v->u.str.len > b->v->u.str.len;
        break;
      }
      case FO_CTY_BOOL:
        c = a->v->u.b - b->v->u.b;
        break;
      case FO_CTY_NUMBER:
        c = fo_cty__number_cmp(a->v, b->v);
        break;
      default: {
        size_t m = a->hash.len < b->hash.len ? a->hash.len : b->hash.len;
        c = m ? memcmp(a->hash.data, b->hash.data, m) : 0;
        if (c == 0)
          c = a->hash.len < b->hash.len ? -1 : a->hash.len > b->hash.len;
      }
    }
  }
  return c;
}

static int item_cmp(const void *pa, const void *pb) {
  const set_item *a = pa, *b = pb;
  int c = item_order(a, b);
  if (c == 0)
    c = a->pos < b->pos ? -1 : a->pos > b->pos;
  return c;
}

size_t fo_cty__set_normalize(fo_cty_value **items, size_t n) {
  set_item *si;
  size_t i, j, m = 0, run = 0;
  if (n == 0)
    return 0;
  si = calloc(n, sizeof(*si));
  if (!si)
    return n; /* out of memory: keep insertion order rather than fail */
  for (i = 0; i < n; i++) {
    si[i].v = items[i];
    si[i].pos = i;
    fo_buf_init(&si[i].hash, 0);
    if (items[i]->state == FO_V_KNOWN && items[i]->type->kind != FO_CTY_STRING &&
        items[i]->type->kind != FO_CTY_NUMBER && items[i]->type->kind != FO_CTY_BOOL)
      (void)hash_bytes(items[i], &si[i].hash);
  }
  qsort(si, n, sizeof(*si), item_cmp);
  /* Equal values sort next to each other (same order key), earliest first:
   * keep the first of each group of definitely equal elements, as go-cty's
   * set Add does. `run` is where the current group of equal keys starts. */
  for (i = 0; i < n; i++) {
    int dup = 0;
    if (m > 0 && item_order(&si[m - 1], &si[i]) != 0)
      run = m;
    if (fo_cty_is_wholly_known(si[i].v)) /* unknowns never collapse */
      for (j = run; j < m && !dup; j++)
        dup = definitely_equal(si[j].v, si[i].v);
    if (dup) {
      fo_cty_value_unref(si[i].v);
      fo_buf_dispose(&si[i].hash);
    } else {
      if (m != i)
        si[m] = si[i];
      m++;
    }
  }
  for (i = 0; i < m; i++) {
    items[i] = si[i].v;
    fo_buf_dispose(&si[i].hash);
  }
  free(si);
  return m;
}
