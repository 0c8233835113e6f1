/* fo_cty: Terraform's cty type system and values in C (types, values, null,
 * unknown, equality), the model the provider's wire codecs and framework share.
 *
 * Ownership rule (one sentence, as in jq): types and values are immutable and
 * reference counted; every function that returns a non-const pointer hands the
 * caller one reference (drop it with fo_cty_type_unref / fo_cty_value_unref),
 * every pointer argument is borrowed unless its name starts with `take_`, in
 * which case the reference passes to the callee even when the call fails.
 * Returned `const` pointers are borrowed from their container.
 * All functions are thread-safe on shared values (refcounts are atomic). */
#ifndef FO_CTY_H
#define FO_CTY_H

#include <stddef.h>
#include <stdint.h>

#include "fo_buf.h"

typedef enum fo_cty_kind {
  FO_CTY_DYNAMIC = 0, /* the "any type" placeholder, only in type positions */
  FO_CTY_STRING,
  FO_CTY_NUMBER,
  FO_CTY_BOOL,
  FO_CTY_LIST,
  FO_CTY_SET,
  FO_CTY_MAP,
  FO_CTY_OBJECT,
  FO_CTY_TUPLE
} fo_cty_kind;

typedef struct fo_cty_type fo_cty_type;
typedef struct fo_cty_value fo_cty_value;

/* ---- types ------------------------------------------------------------ */

/* Primitive singletons (ref/unref are no-ops on them, but callers may treat
 * them like any other returned reference). */
fo_cty_type *fo_cty_type_string(void);
fo_cty_type *fo_cty_type_number(void);
fo_cty_type *fo_cty_type_bool(void);
fo_cty_type *fo_cty_type_dynamic(void);

/* Collections. NULL on allocation failure (with fo_err set). */
fo_cty_type *fo_cty_type_list(fo_cty_type *take_elem);
fo_cty_type *fo_cty_type_set(fo_cty_type *take_elem);
fo_cty_type *fo_cty_type_map(fo_cty_type *take_elem);
/* Object: `names[i]` (copied) has type `take_types[i]`; attributes are stored
 * sorted by name, so index i of the result is not necessarily input i.
 * Duplicate names fail (NULL, FO_EINVAL). */
fo_cty_type *fo_cty_type_object(size_t n, const char *const *names, fo_cty_type **take_types);
fo_cty_type *fo_cty_type_tuple(size_t n, fo_cty_type **take_types);

fo_cty_type *fo_cty_type_ref(const fo_cty_type *t);
void fo_cty_type_unref(fo_cty_type *t); /* NULL is fine */

fo_cty_kind fo_cty_type_kind(const fo_cty_type *t);
/* Element type of list/set/map; NULL otherwise. */
const fo_cty_type *fo_cty_type_elem(const fo_cty_type *t);
/* Attribute count (object) or element count (tuple); 0 otherwise. */
size_t fo_cty_type_count(const fo_cty_type *t);
/* Object attribute i (sorted by name): its name and type. */
const char *fo_cty_type_attr_name(const fo_cty_type *t, size_t i);
const fo_cty_type *fo_cty_type_attr_type(const fo_cty_type *t, size_t i);
/* Tuple element i's type. */
const fo_cty_type *fo_cty_type_tuple_elem(const fo_cty_type *t, size_t i);
/* Index of the object attribute `name`, or -1. */
long fo_cty_type_attr_index(const fo_cty_type *t, const char *name);
int fo_cty_type_equal(const fo_cty_type *a, const fo_cty_type *b);
/* 1 when the type contains `dynamic` anywhere. */
int fo_cty_type_has_dynamic(const fo_cty_type *t);

/* cty's JSON type syntax: "string", ["list","string"], ["object",{...}] ...
 * to_json appends compact JSON (Go's encoding: sorted object keys, no spaces).
 * from_json accepts any valid JSON of those shapes, including the optional
 * third element of "object" (optional attribute names, ignored); errors name
 * the offending position. */
int fo_cty_type_to_json(const fo_cty_type *t, fo_buf *out);
int fo_cty_type_from_json(fo_cty_type **out, const char *json, size_t len);

/* ---- values ----------------------------------------------------------- */

/* Null and unknown of a given type (any type, including dynamic). */
fo_cty_value *fo_cty_null(const fo_cty_type *t);
fo_cty_value *fo_cty_unknown(const fo_cty_type *t);

/* Primitives. Strings are copied and must be valid UTF-8 (else NULL, FO_EINVAL). */
fo_cty_value *fo_cty_string(const char *s, size_t len);
fo_cty_value *fo_cty_string_z(const char *s);
fo_cty_value *fo_cty_bool(int b);
/* Numbers keep exactness: int64 and double exactly; anything else (big
 * integers, decimals like 0.1 that are not exact doubles) as the canonical
 * decimal string. */
fo_cty_value *fo_cty_number_int(int64_t i);
fo_cty_value *fo_cty_number_double(double d); /* NaN is refused (NULL, FO_EINVAL) */
/* Parse a decimal number ("-12", "0.1", "1e400", "123456789012345678901234567890"). */
int fo_cty_number_parse(fo_cty_value **out, const char *text, size_t len);

/* Collections and structurals, from `n` element references (all taken, also
 * on failure). Elements must conform to the element type (else NULL,
 * FO_EINVAL naming the index). A set drops duplicate elements (by
 * fo_cty_value_equal) and keeps a deterministic order. */
fo_cty_value *fo_cty_list(const fo_cty_type *elem, size_t n, fo_cty_value **take_elems);
fo_cty_value *fo_cty_set(const fo_cty_type *elem, size_t n, fo_cty_value **take_elems);
/* Map keys are copied; entries are stored sorted by key; duplicate keys fail. */
fo_cty_value *fo_cty_map(const fo_cty_type *elem, size_t n, const char *const *keys, fo_cty_value **take_vals);
fo_cty_value *fo_cty_tuple(size_t n, fo_cty_value **take_elems);
/* Object of type `t`: `take_vals` is in the type's (sorted) attribute order and
 * has fo_cty_type_count(t) entries. */
fo_cty_value *fo_cty_object(const fo_cty_type *t, fo_cty_value **take_vals);

/* A copy of object `obj` with attribute `name` replaced by `take_val`
 * (NULL, FO_EINVAL if there is no such attribute or the type does not conform). */
fo_cty_value *fo_cty_object_with(const fo_cty_value *obj, const char *name, fo_cty_value *take_val);

fo_cty_value *fo_cty_value_ref(const fo_cty_value *v);
void fo_cty_value_unref(fo_cty_value *v); /* NULL is fine */

/* ---- inspecting -------------------------------------------------------- */

/* The value's type. For a value stored in a dynamic slot this is the concrete
 * type it was decoded with (dynamic only for a null/unknown of unknown type). */
const fo_cty_type *fo_cty_value_type(const fo_cty_value *v);
fo_cty_kind fo_cty_value_kind(const fo_cty_value *v);
int fo_cty_is_null(const fo_cty_value *v);
int fo_cty_is_known(const fo_cty_value *v);        /* this value itself is known */
int fo_cty_is_wholly_known(const fo_cty_value *v); /* known at every depth */
/* Refinements decoded from the wire (tolerated, never emitted): 1 when an
 * unknown is known to be non-null. */
int fo_cty_unknown_not_null(const fo_cty_value *v);

/* Primitive accessors: only on known, non-null values of the right kind
 * (anything else is a programming error and returns NULL / 0). */
const char *fo_cty_as_string(const fo_cty_value *v, size_t *len_out); /* NUL-terminated */
int fo_cty_as_bool(const fo_cty_value *v);
/* 0 and *out set when the number is an integer that fits int64, else FO_EINVAL. */
int fo_cty_number_as_int64(const fo_cty_value *v, int64_t *out);
/* The nearest double (exact when representable). */
double fo_cty_number_as_double(const fo_cty_value *v);
/* Canonical decimal text ("1", "-2.5", "0.1", "1e+400" is written out in
 * plain decimal as Go's big.Float.Text('f', -1) does). Borrowed. */
const char *fo_cty_number_text(const fo_cty_value *v);

/* Length of a known list/set/map/tuple, attribute count of an object. */
size_t fo_cty_length(const fo_cty_value *v);
/* Element i of a list/set/tuple, value i of a map (sorted by key), attribute
 * i of an object (type order). Borrowed. */
const fo_cty_value *fo_cty_index(const fo_cty_value *v, size_t i);
/* Key i of a map (sorted). */
const char *fo_cty_map_key(const fo_cty_value *v, size_t i);
/* Object attribute by name, map element by key; NULL when absent. */
const fo_cty_value *fo_cty_get_attr(const fo_cty_value *v, const char *name);
const fo_cty_value *fo_cty_map_get(const fo_cty_value *v, const char *key);

/* Structural identity: same type, same nullness/knownness, equal contents
 * (numbers compared by value, sets as sets). Two unknowns of the same type
 * are equal (cty's RawEquals); use fo_cty_is_wholly_known when that matters. */
int fo_cty_value_equal(const fo_cty_value *a, const fo_cty_value *b);
/* 1 when `v` conforms to `t` (dynamic accepts anything). */
int fo_cty_value_conforms(const fo_cty_value *v, const fo_cty_type *t);

/* Human-readable rendering for diagnostics and tests, e.g.
 * {"a" = "x", "n" = 1, "l" = ["p"], "u" = (known after apply)}. */
int fo_cty_value_format(const fo_cty_value *v, fo_buf *out);

#endif
