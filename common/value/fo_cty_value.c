/* fo_cty_value: construction, inspection, equality and conformance of cty
 * values. Values are immutable after construction and refcounted. */
#include <stdlib.h>
#include <string.h>

#include "fo_cty_internal.h"
#include "fo_err.h"

fo_cty_value *fo_cty__value_alloc(fo_cty_type *take_type, fo_cty_state state) {
  fo_cty_value *v = calloc(1, sizeof(*v));
  if (!v) {
    fo_cty_type_unref(take_type);
    fo_err_set(FO_ENOMEM, "out of memory allocating a value");
    return NULL;
  }
  atomic_init(&v->refs, 1);
  v->type = take_type;
  v->state = (uint8_t)state;
  return v;
}

void fo_cty__set_not_null(fo_cty_value *v) {
  if (v && v->state == FO_V_UNKNOWN)
    v->not_null = 1;
}

int fo_cty__utf8_valid(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s, *end;
  if (!s)
    return len == 0;
  end = p + len;
  while (p < end) {
    unsigned c = *p;
    size_t n;
    uint32_t cp, min;
    if (c < 0x80) {
      p++;
      continue;
    }
    if ((c & 0xe0) == 0xc0) {
      n = 1, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return 0;
    }
    if ((size_t)(end - p) <= n)
      return 0;
    for (size_t i = 1; i <= n; i++) {
      if ((p[i] & 0xc0) != 0x80)
        return 0;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return 0;
    p += n + 1;
  }
  return 1;
}

fo_cty_value *fo_cty_null(const fo_cty_type *t) {
  if (!t) {
    fo_err_set(FO_EINVAL, "null needs a type");
    return NULL;
  }
  return fo_cty__value_alloc(fo_cty_type_ref(t), FO_V_NULL);
}

fo_cty_value *fo_cty_unknown(const fo_cty_type *t) {
  if (!t) {
    fo_err_set(FO_EINVAL, "unknown needs a type");
    return NULL;
  }
  return fo_cty__value_alloc(fo_cty_type_ref(t), FO_V_UNKNOWN);
}

fo_cty_value *fo_cty_string(const char *s, size_t len) {
  fo_cty_value *v;
  if (!s && len) {
    fo_err_set(FO_EINVAL, "string has no bytes");
    return NULL;
  }
  if (!fo_cty__utf8_valid(s, len)) {
    fo_err_set(FO_EINVAL, "string is not valid UTF-8");
    return NULL;
  }
  v = fo_cty__value_alloc(fo_cty_type_string(), FO_V_KNOWN);
  if (!v)
    return NULL;
  v->u.str.s = malloc(len + 1);
  if (!v->u.str.s) {
    free(v);
    fo_err_set(FO_ENOMEM, "out of memory allocating a string");
    return NULL;
  }
  if (len)
    memcpy(v->u.str.s, s, len);
  v->u.str.s[len] = 0;
  v->u.str.len = len;
  return v;
}

fo_cty_value *fo_cty_string_z(const char *s) {
  if (!s) {
    fo_err_set(FO_EINVAL, "string is NULL");
    return NULL;
  }
  return fo_cty_string(s, strlen(s));
}

fo_cty_value *fo_cty_bool(int b) {
  fo_cty_value *v = fo_cty__value_alloc(fo_cty_type_bool(), FO_V_KNOWN);
  if (v)
    v->u.b = b != 0;
  return v;
}

static void release_items(size_t n, fo_cty_value **items) {
  for (size_t i = 0; i < n; i++) {
    fo_cty_value_unref(items[i]);
    items[i] = NULL;
  }
}

fo_cty_value *fo_cty__collection(fo_cty_type *take_type, size_t n, fo_cty_value **take_items, char **take_keys) {
  fo_cty_value *v = fo_cty__value_alloc(take_type, FO_V_KNOWN);
  if (!v || !n)
    goto out;
  v->u.coll.items = malloc(n * sizeof(*v->u.coll.items));
  if (!v->u.coll.items) {
    fo_err_set(FO_ENOMEM, "out of memory allocating a collection");
    fo_cty_type_unref(v->type);
    free(v);
    v = NULL;
    goto out;
  }
  memcpy(v->u.coll.items, take_items, n * sizeof(*take_items));
  v->u.coll.keys = take_keys;
  v->u.coll.n = n;
  return v;
out:
  if (!v) {
    release_items(n, take_items);
    if (take_keys)
      for (size_t i = 0; i < n; i++)
        free(take_keys[i]);
    free(take_keys);
  } else {
    free(take_keys);
  }
  return v;
}

/* The element type a collection value gets: the declared one, except that a
 * declared type containing dynamic takes the elements' common concrete type
 * (as go-cty infers collection types from their elements). */
static int collection_elem_type(fo_cty_type **out, const fo_cty_type *elem, size_t n, fo_cty_value **items,
                                const char *what) {
  for (size_t i = 0; i < n; i++) {
    if (!items[i])
      return fo_err_set(FO_EINVAL, "%s element %zu is missing", what, i);
    if (!fo_cty_value_conforms(items[i], elem))
      return fo_err_set(FO_EINVAL, "%s element %zu does not conform to the element type", what, i);
  }
  if (n == 0 || !fo_cty_type_has_dynamic(elem)) {
    *out = fo_cty_type_ref(elem);
    return 0;
  }
  /* go-cty's ListVal/SetVal/MapVal: the first element whose type is not
   * dynamic decides; elements of type dynamic (untyped null/unknown) fit. */
  {
    const fo_cty_type *common = NULL;
    for (size_t i = 0; i < n; i++) {
      const fo_cty_type *it = items[i]->type;
      if (it->kind == FO_CTY_DYNAMIC)
        continue;
      if (!common)
        common = it;
      else if (!fo_cty_type_equal(common, it))
        return fo_err_set(FO_EINVAL, "%s elements have inconsistent types (element %zu)", what, i);
    }
    *out = fo_cty_type_ref(common ? common : items[0]->type);
    /* and, as go-cty stores only raw values, such an element reads back as a
     * null/unknown of the collection's element type */
    for (size_t i = 0; common && i < n; i++) {
      if (items[i]->type->kind == FO_CTY_DYNAMIC) {
        fo_cty_value *re = items[i]->state == FO_V_NULL ? fo_cty_null(common) : fo_cty_unknown(common);
        if (!re) {
          fo_cty_type_unref(*out);
          *out = NULL;
          return FO_ENOMEM;
        }
        fo_cty_value_unref(items[i]);
        items[i] = re;
      }
    }
  }
  return 0;
}

static fo_cty_value *make_seq(fo_cty_kind kind, const fo_cty_type *elem, size_t n, fo_cty_value **take_elems) {
  fo_cty_type *et = NULL, *ct;
  const char *what = kind == FO_CTY_LIST ? "list" : "set";
  if (!elem) {
    fo_err_set(FO_EINVAL, "%s needs an element type", what);
    goto fail;
  }
  if (collection_elem_type(&et, elem, n, take_elems, what) < 0)
    goto fail;
  ct = kind == FO_CTY_LIST ? fo_cty_type_list(et) : fo_cty_type_set(et);
  if (!ct)
    goto fail;
  if (kind == FO_CTY_SET)
    n = fo_cty__set_normalize(take_elems, n);
  return fo_cty__collection(ct, n, take_elems, NULL);
fail:
  release_items(n, take_elems);
  return NULL;
}

fo_cty_value *fo_cty_list(const fo_cty_type *elem, size_t n, fo_cty_value **take_elems) {
  return make_seq(FO_CTY_LIST, elem, n, take_elems);
}

fo_cty_value *fo_cty_set(const fo_cty_type *elem, size_t n, fo_cty_value **take_elems) {
  return make_seq(FO_CTY_SET, elem, n, take_elems);
}

typedef struct map_entry {
  const char *key;
  fo_cty_value *val;
} map_entry;

static int map_entry_cmp(const void *a, const void *b) {
  return strcmp(((const map_entry *)a)->key, ((const map_entry *)b)->key);
}

fo_cty_value *fo_cty_map(const fo_cty_type *elem, size_t n, const char *const *keys, fo_cty_value **take_vals) {
  map_entry *ents = NULL;
  char **ks = NULL;
  fo_cty_type *et = NULL, *mt;
  fo_cty_value *v = NULL;
  size_t i;

  if (!elem) {
    fo_err_set(FO_EINVAL, "map needs an element type");
    goto fail;
  }
  if (collection_elem_type(&et, elem, n, take_vals, "map") < 0)
    goto fail;
  if (n) {
    ents = calloc(n, sizeof(*ents));
    ks = calloc(n, sizeof(*ks));
    if (!ents || !ks) {
      fo_err_set(FO_ENOMEM, "out of memory allocating a map");
      goto fail;
    }
    for (i = 0; i < n; i++) {
      if (!keys[i] || !fo_cty__utf8_valid(keys[i], strlen(keys[i]))) {
        fo_err_set(FO_EINVAL, "map key %zu is missing or not valid UTF-8", i);
        goto fail;
      }
      ents[i].key = keys[i];
      ents[i].val = take_vals[i];
    }
    qsort(ents, n, sizeof(*ents), map_entry_cmp);
    for (i = 0; i < n; i++) {
      if (i && strcmp(ents[i - 1].key, ents[i].key) == 0) {
        fo_err_set(FO_EINVAL, "duplicate map key '%s'", ents[i].key);
        goto fail;
      }
      ks[i] = strdup(ents[i].key);
      if (!ks[i]) {
        fo_err_set(FO_ENOMEM, "out of memory allocating a map");
        goto fail;
      }
    }
    for (i = 0; i < n; i++)
      take_vals[i] = ents[i].val;
  }
  mt = fo_cty_type_map(et);
  et = NULL;
  if (!mt)
    goto fail;
  free(ents);
  return fo_cty__collection(mt, n, take_vals, ks);
fail:
  fo_cty_type_unref(et);
  if (ks)
    for (i = 0; i < n; i++)
      free(ks[i]);
  free(ks);
  free(ents);
  release_items(n, take_vals);
  return v;
}

fo_cty_value *fo_cty_tuple(size_t n, fo_cty_value **take_elems) {
  fo_cty_type **types = NULL, *tt;
  size_t i;
  for (i = 0; i < n; i++) {
    if (!take_elems[i]) {
      fo_err_set(FO_EINVAL, "tuple element %zu is missing", i);
      release_items(n, take_elems);
      return NULL;
    }
  }
  if (n && !(types = calloc(n, sizeof(*types)))) {
    fo_err_set(FO_ENOMEM, "out of memory allocating a tuple");
    release_items(n, take_elems);
    return NULL;
  }
  for (i = 0; i < n; i++)
    types[i] = fo_cty_type_ref(take_elems[i]->type);
  tt = fo_cty_type_tuple(n, types);
  free(types);
  if (!tt) {
    release_items(n, take_elems);
    return NULL;
  }
  return fo_cty__collection(tt, n, take_elems, NULL);
}

fo_cty_value *fo_cty_object(const fo_cty_type *t, fo_cty_value **take_vals) {
  size_t n = fo_cty_type_count(t), i;
  fo_cty_type *ot = NULL;
  if (fo_cty_type_kind(t) != FO_CTY_OBJECT) {
    fo_err_set(FO_EINVAL, "object needs an object type");
    return NULL;
  }
  for (i = 0; i < n; i++) {
    if (!take_vals[i] || !fo_cty_value_conforms(take_vals[i], t->types[i])) {
      fo_err_set(FO_EINVAL, "object attribute '%s' is missing or does not conform to its type", t->names[i]);
      release_items(n, take_vals);
      return NULL;
    }
  }
  if (fo_cty_type_has_dynamic(t)) {
    /* the value's type is the concrete one its attributes have */
    fo_cty_type **types = n ? calloc(n, sizeof(*types)) : NULL;
    if (n && !types) {
      fo_err_set(FO_ENOMEM, "out of memory allocating an object");
      release_items(n, take_vals);
      return NULL;
    }
    for (i = 0; i < n; i++)
      types[i] = fo_cty_type_ref(fo_cty_type_has_dynamic(t->types[i]) ? take_vals[i]->type : t->types[i]);
    ot = fo_cty_type_object(n, (const char *const *)t->names, types);
    free(types);
    if (!ot) {
      release_items(n, take_vals);
      return NULL;
    }
  } else {
    ot = fo_cty_type_ref(t);
  }
  return fo_cty__collection(ot, n, take_vals, NULL);
}

fo_cty_value *fo_cty_object_with(const fo_cty_value *obj, const char *name, fo_cty_value *take_val) {
  fo_cty_value **vals = NULL, *res;
  long idx;
  size_t n;
  if (!obj || obj->state != FO_V_KNOWN || obj->type->kind != FO_CTY_OBJECT || !take_val) {
    fo_err_set(FO_EINVAL, "object_with needs a known object and a value");
    fo_cty_value_unref(take_val);
    return NULL;
  }
  idx = fo_cty_type_attr_index(obj->type, name);
  if (idx < 0) {
    fo_err_set(FO_EINVAL, "object has no attribute '%s'", name ? name : "");
    fo_cty_value_unref(take_val);
    return NULL;
  }
  n = obj->u.coll.n;
  vals = calloc(n, sizeof(*vals));
  if (!vals) {
    fo_err_set(FO_ENOMEM, "out of memory copying an object");
    fo_cty_value_unref(take_val);
    return NULL;
  }
  for (size_t i = 0; i < n; i++)
    vals[i] = (size_t)idx == i ? take_val : fo_cty_value_ref(obj->u.coll.items[i]);
  res = fo_cty_object(obj->type, vals);
  free(vals);
  return res;
}

fo_cty_value *fo_cty_value_ref(const fo_cty_value *v) {
  fo_cty_value *m = (fo_cty_value *)v;
  if (m)
    atomic_fetch_add_explicit(&m->refs, 1, memory_order_relaxed);
  return m;
}

void fo_cty_value_unref(fo_cty_value *v) {
  if (!v || atomic_fetch_sub_explicit(&v->refs, 1, memory_order_acq_rel) != 1)
    return;
  if (v->state == FO_V_KNOWN) {
    switch (v->type->kind) {
      case FO_CTY_STRING:
        free(v->u.str.s);
        break;
      case FO_CTY_NUMBER:
        free(v->u.num.text);
        break;
      case FO_CTY_LIST:
      case FO_CTY_SET:
      case FO_CTY_MAP:
      case FO_CTY_OBJECT:
      case FO_CTY_TUPLE:
        for (size_t i = 0; i < v->u.coll.n; i++) {
          fo_cty_value_unref(v->u.coll.items[i]);
          if (v->u.coll.keys)
            free(v->u.coll.keys[i]);
        }
        free(v->u.coll.items);
        free(v->u.coll.keys);
        break;
      default:
        break;
    }
  }
  fo_cty_type_unref(v->type);
  free(v);
}

const fo_cty_type *fo_cty_value_type(const fo_cty_value *v) {
  return v ? v->type : NULL;
}
fo_cty_kind fo_cty_value_kind(const fo_cty_value *v) {
  return v ? v->type->kind : FO_CTY_DYNAMIC;
}
int fo_cty_is_null(const fo_cty_value *v) {
  return v && v->state == FO_V_NULL;
}
int fo_cty_is_known(const fo_cty_value *v) {
  return v && v->state != FO_V_UNKNOWN;
}
int fo_cty_unknown_not_null(const fo_cty_value *v) {
  return v && v->state == FO_V_UNKNOWN && v->not_null;
}

static int is_container(const fo_cty_value *v) {
  switch (v->type->kind) {
    case FO_CTY_LIST:
    case FO_CTY_SET:
    case FO_CTY_MAP:
    case FO_CTY_OBJECT:
    case FO_CTY_TUPLE:
      return 1;
    default:
      return 0;
  }
}

int fo_cty_is_wholly_known(const fo_cty_value *v) {
  if (!v || v->state == FO_V_UNKNOWN)
    return 0;
  if (v->state == FO_V_KNOWN && is_container(v))
    for (size_t i = 0; i < v->u.coll.n; i++)
      if (!fo_cty_is_wholly_known(v->u.coll.items[i]))
        return 0;
  return 1;
}

static int known_of(const fo_cty_value *v, fo_cty_kind k) {
  return v && v->state == FO_V_KNOWN && v->type->kind == k;
}

const char *fo_cty_as_string(const fo_cty_value *v, size_t *len_out) {
  if (!known_of(v, FO_CTY_STRING))
    return NULL;
  if (len_out)
    *len_out = v->u.str.len;
  return v->u.str.s;
}

int fo_cty_as_bool(const fo_cty_value *v) {
  return known_of(v, FO_CTY_BOOL) ? v->u.b : 0;
}

size_t fo_cty_length(const fo_cty_value *v) {
  return v && v->state == FO_V_KNOWN && is_container(v) ? v->u.coll.n : 0;
}

const fo_cty_value *fo_cty_index(const fo_cty_value *v, size_t i) {
  return i < fo_cty_length(v) ? v->u.coll.items[i] : NULL;
}

const char *fo_cty_map_key(const fo_cty_value *v, size_t i) {
  return known_of(v, FO_CTY_MAP) && i < v->u.coll.n ? v->u.coll.keys[i] : NULL;
}

const fo_cty_value *fo_cty_get_attr(const fo_cty_value *v, const char *name) {
  long i;
  if (!known_of(v, FO_CTY_OBJECT))
    return NULL;
  i = fo_cty_type_attr_index(v->type, name);
  return i < 0 ? NULL : v->u.coll.items[i];
}

const fo_cty_value *fo_cty_map_get(const fo_cty_value *v, const char *key) {
  size_t lo = 0, hi;
  if (!known_of(v, FO_CTY_MAP) || !key)
    return NULL;
  hi = v->u.coll.n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(v->u.coll.keys[mid], key);
    if (c == 0)
      return v->u.coll.items[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

int fo_cty_value_equal(const fo_cty_value *a, const fo_cty_value *b) {
  if (a == b)
    return 1;
  if (!a || !b || a->state != b->state || !fo_cty_type_equal(a->type, b->type))
    return 0;
  if (a->state != FO_V_KNOWN)
    return 1;
  switch (a->type->kind) {
    case FO_CTY_STRING:
      return a->u.str.len == b->u.str.len && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
    case FO_CTY_BOOL:
      return a->u.b == b->u.b;
    case FO_CTY_NUMBER:
      /* one representation per value: compare within it */
      if (a->u.num.kind != b->u.num.kind)
        return 0;
      if (a->u.num.kind == FO_NUM_INT)
        return a->u.num.i == b->u.num.i;
      if (a->u.num.kind == FO_NUM_DOUBLE)
        return a->u.num.d == b->u.num.d;
      return strcmp(a->u.num.text, b->u.num.text) == 0;
    case FO_CTY_MAP:
      if (a->u.coll.n != b->u.coll.n)
        return 0;
      for (size_t i = 0; i < a->u.coll.n; i++)
        if (strcmp(a->u.coll.keys[i], b->u.coll.keys[i]) != 0)
          return 0;
      /* fall through */
    case FO_CTY_LIST:
    case FO_CTY_SET: /* sets are kept in a canonical order */
    case FO_CTY_OBJECT:
    case FO_CTY_TUPLE:
      if (a->u.coll.n != b->u.coll.n)
        return 0;
      for (size_t i = 0; i < a->u.coll.n; i++)
        if (!fo_cty_value_equal(a->u.coll.items[i], b->u.coll.items[i]))
          return 0;
      return 1;
    default:
      return 1;
  }
}

/* Type conformance: `t` may hold dynamic where `vt` has anything. */
static int type_conforms(const fo_cty_type *vt, const fo_cty_type *t) {
  if (t->kind == FO_CTY_DYNAMIC)
    return 1;
  if (vt->kind != t->kind)
    return 0;
  switch (t->kind) {
    case FO_CTY_LIST:
    case FO_CTY_SET:
    case FO_CTY_MAP:
      return type_conforms(vt->elem, t->elem);
    case FO_CTY_OBJECT:
    case FO_CTY_TUPLE:
      if (vt->n != t->n)
        return 0;
      for (size_t i = 0; i < t->n; i++) {
        if (t->kind == FO_CTY_OBJECT && strcmp(vt->names[i], t->names[i]) != 0)
          return 0;
        if (!type_conforms(vt->types[i], t->types[i]))
          return 0;
      }
      return 1;
    default:
      return 1;
  }
}

int fo_cty_value_conforms(const fo_cty_value *v, const fo_cty_type *t) {
  return v && t && type_conforms(v->type, t);
}
