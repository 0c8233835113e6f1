/* fo_cty_type: construction, inspection and comparison of cty types.
 * Primitive types are static singletons; composite types are refcounted. */
#include <stdlib.h>
#include <string.h>

#include "fo_cty_internal.h"
#include "fo_err.h"

#define STATIC_TYPE(k) \
  { 1, 1, (k), NULL, 0, NULL, NULL }
static fo_cty_type g_string = STATIC_TYPE(FO_CTY_STRING);
static fo_cty_type g_number = STATIC_TYPE(FO_CTY_NUMBER);
static fo_cty_type g_bool = STATIC_TYPE(FO_CTY_BOOL);
static fo_cty_type g_dynamic = STATIC_TYPE(FO_CTY_DYNAMIC);

fo_cty_type *fo_cty_type_string(void) {
  return &g_string;
}
fo_cty_type *fo_cty_type_number(void) {
  return &g_number;
}
fo_cty_type *fo_cty_type_bool(void) {
  return &g_bool;
}
fo_cty_type *fo_cty_type_dynamic(void) {
  return &g_dynamic;
}

static fo_cty_type *type_alloc(fo_cty_kind kind) {
  fo_cty_type *t = calloc(1, sizeof(*t));
  if (!t) {
    fo_err_set(FO_ENOMEM, "out of memory allocating a type");
    return NULL;
  }
  atomic_init(&t->refs, 1);
  t->kind = kind;
  return t;
}

static fo_cty_type *collection(fo_cty_kind kind, fo_cty_type *take_elem) {
  fo_cty_type *t;
  if (!take_elem) {
    fo_err_set(FO_EINVAL, "collection type needs an element type");
    return NULL;
  }
  t = type_alloc(kind);
  if (!t) {
    fo_cty_type_unref(take_elem);
    return NULL;
  }
  t->elem = take_elem;
  return t;
}

fo_cty_type *fo_cty_type_list(fo_cty_type *take_elem) {
  return collection(FO_CTY_LIST, take_elem);
}
fo_cty_type *fo_cty_type_set(fo_cty_type *take_elem) {
  return collection(FO_CTY_SET, take_elem);
}
fo_cty_type *fo_cty_type_map(fo_cty_type *take_elem) {
  return collection(FO_CTY_MAP, take_elem);
}

static void unref_all(size_t n, fo_cty_type **types) {
  for (size_t i = 0; i < n; i++)
    fo_cty_type_unref(types[i]);
}

/* Sort helper: attribute indices ordered by name. */
typedef struct attr_ref {
  const char *name;
  fo_cty_type *type;
} attr_ref;

static int attr_ref_cmp(const void *a, const void *b) {
  return strcmp(((const attr_ref *)a)->name, ((const attr_ref *)b)->name);
}

fo_cty_type *fo_cty_type_object(size_t n, const char *const *names, fo_cty_type **take_types) {
  fo_cty_type *t = NULL;
  attr_ref *refs = NULL;
  size_t i;

  for (i = 0; i < n; i++) {
    if (!names[i] || !take_types[i]) {
      fo_err_set(FO_EINVAL, "object attribute %zu has no name or type", i);
      goto fail;
    }
  }
  refs = n ? calloc(n, sizeof(*refs)) : NULL;
  t = type_alloc(FO_CTY_OBJECT);
  if ((n && !refs) || !t)
    goto nomem;
  for (i = 0; i < n; i++) {
    refs[i].name = names[i];
    refs[i].type = take_types[i];
  }
  if (n)
    qsort(refs, n, sizeof(*refs), attr_ref_cmp);
  for (i = 1; i < n; i++) {
    if (strcmp(refs[i - 1].name, refs[i].name) == 0) {
      fo_err_set(FO_EINVAL, "duplicate object attribute '%s'", refs[i].name);
      goto fail;
    }
  }
  if (n) {
    t->names = calloc(n, sizeof(char *));
    t->types = calloc(n, sizeof(fo_cty_type *));
    if (!t->names || !t->types)
      goto nomem;
    for (i = 0; i < n; i++) {
      t->names[i] = strdup(refs[i].name);
      if (!t->names[i])
        goto nomem;
    }
    for (i = 0; i < n; i++)
      t->types[i] = refs[i].type;
  }
  t->n = n;
  free(refs);
  return t;
nomem:
  fo_err_set(FO_ENOMEM, "out of memory allocating an object type");
fail:
  if (t) {
    if (t->names)
      for (i = 0; i < n; i++)
        free(t->names[i]);
    free(t->names);
    free(t->types);
    free(t);
  }
  free(refs);
  unref_all(n, take_types);
  return NULL;
}

fo_cty_type *fo_cty_type_tuple(size_t n, fo_cty_type **take_types) {
  fo_cty_type *t = NULL;
  for (size_t i = 0; i < n; i++) {
    if (!take_types[i]) {
      fo_err_set(FO_EINVAL, "tuple element %zu has no type", i);
      unref_all(n, take_types);
      return NULL;
    }
  }
  t = type_alloc(FO_CTY_TUPLE);
  if (t && n) {
    t->types = calloc(n, sizeof(fo_cty_type *));
    if (!t->types) {
      free(t);
      t = NULL;
      fo_err_set(FO_ENOMEM, "out of memory allocating a tuple type");
    }
  }
  if (!t) {
    unref_all(n, take_types);
    return NULL;
  }
  for (size_t i = 0; i < n; i++)
    t->types[i] = take_types[i];
  t->n = n;
  return t;
}

fo_cty_type *fo_cty_type_ref(const fo_cty_type *t) {
  fo_cty_type *m = (fo_cty_type *)t;
  if (m && !m->is_static)
    atomic_fetch_add_explicit(&m->refs, 1, memory_order_relaxed);
  return m;
}

void fo_cty_type_unref(fo_cty_type *t) {
  if (!t || t->is_static)
    return;
  if (atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) != 1)
    return;
  fo_cty_type_unref(t->elem);
  for (size_t i = 0; i < t->n; i++) {
    if (t->names)
      free(t->names[i]);
    fo_cty_type_unref(t->types[i]);
  }
  free(t->names);
  free(t->types);
  free(t);
}

fo_cty_kind fo_cty_type_kind(const fo_cty_type *t) {
  return t ? t->kind : FO_CTY_DYNAMIC;
}

const fo_cty_type *fo_cty_type_elem(const fo_cty_type *t) {
  return t ? t->elem : NULL;
}

size_t fo_cty_type_count(const fo_cty_type *t) {
  return t && (t->kind == FO_CTY_OBJECT || t->kind == FO_CTY_TUPLE) ? t->n : 0;
}

const char *fo_cty_type_attr_name(const fo_cty_type *t, size_t i) {
  return t && t->kind == FO_CTY_OBJECT && i < t->n ? t->names[i] : NULL;
}

const fo_cty_type *fo_cty_type_attr_type(const fo_cty_type *t, size_t i) {
  return t && t->kind == FO_CTY_OBJECT && i < t->n ? t->types[i] : NULL;
}

const fo_cty_type *fo_cty_type_tuple_elem(const fo_cty_type *t, size_t i) {
  return t && t->kind == FO_CTY_TUPLE && i < t->n ? t->types[i] : NULL;
}

long fo_cty_type_attr_index(const fo_cty_type *t, const char *name) {
  size_t lo = 0, hi;
  if (!t || t->kind != FO_CTY_OBJECT || !name)
    return -1;
  hi = t->n;
  while (lo < hi) { /* names are sorted: binary search */
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(t->names[mid], name);
    if (c == 0)
      return (long)mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

int fo_cty_type_equal(const fo_cty_type *a, const fo_cty_type *b) {
  if (a == b)
    return 1;
  if (!a || !b || a->kind != b->kind)
    return 0;
  switch (a->kind) {
    case FO_CTY_LIST:
    case FO_CTY_SET:
    case FO_CTY_MAP:
      return fo_cty_type_equal(a->elem, b->elem);
    case FO_CTY_OBJECT:
    case FO_CTY_TUPLE:
      if (a->n != b->n)
        return 0;
      for (size_t i = 0; i < a->n; i++) {
        if (a->kind == FO_CTY_OBJECT && strcmp(a->names[i], b->names[i]) != 0)
          return 0;
        if (!fo_cty_type_equal(a->types[i], b->types[i]))
          return 0;
      }
      return 1;
    default:
      return 1; /* primitives and dynamic: kind is identity */
  }
}

int fo_cty_type_has_dynamic(const fo_cty_type *t) {
  if (!t)
    return 0;
  switch (t->kind) {
    case FO_CTY_DYNAMIC:
      return 1;
    case FO_CTY_LIST:
    case FO_CTY_SET:
    case FO_CTY_MAP:
      return fo_cty_type_has_dynamic(t->elem);
    case FO_CTY_OBJECT:
    case FO_CTY_TUPLE:
      for (size_t i = 0; i < t->n; i++)
        if (fo_cty_type_has_dynamic(t->types[i]))
          return 1;
      return 0;
    default:
      return 0;
  }
}
