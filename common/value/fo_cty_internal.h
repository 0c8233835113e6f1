/* fo_cty_internal: the representation behind fo_cty.h, shared by the files of
 * the value library only (never include it from outside common/value). */
#ifndef FO_CTY_INTERNAL_H
#define FO_CTY_INTERNAL_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "fo_buf.h"
#include "fo_cty.h"

struct fo_cty_type {
  atomic_size_t refs;
  int is_static; /* primitive singletons are never freed */
  fo_cty_kind kind;
  fo_cty_type *elem;   /* list/set/map */
  size_t n;            /* object/tuple */
  char **names;        /* object: sorted by strcmp */
  fo_cty_type **types; /* object (name order) / tuple */
};

/* How a number is held: exact int64, an exact double that is not an integer
 * (or +-Inf), or canonical plain decimal text for everything else. Each
 * value has exactly one representation, so equal numbers compare equal. */
typedef enum fo_cty_num_kind { FO_NUM_INT, FO_NUM_DOUBLE, FO_NUM_DEC } fo_cty_num_kind;

typedef enum fo_cty_state { FO_V_KNOWN, FO_V_NULL, FO_V_UNKNOWN } fo_cty_state;

struct fo_cty_value {
  atomic_size_t refs;
  fo_cty_type *type;
  uint8_t state;
  uint8_t not_null; /* unknown refined as not null */
  union {
    struct {
      char *s;
      size_t len;
    } str;
    int b;
    struct {
      fo_cty_num_kind kind;
      int64_t i;
      double d;
      char *text;
    } num;
    struct {
      size_t n;
      fo_cty_value **items;
      char **keys;
    } coll; /* keys: map only */
  } u;
};

/* A value with one reference and the given type reference (taken). */
fo_cty_value *fo_cty__value_alloc(fo_cty_type *take_type, fo_cty_state state);
/* Unchecked constructors for decoders: items already conform. */
fo_cty_value *fo_cty__collection(fo_cty_type *take_type, size_t n, fo_cty_value **take_items, char **take_keys);
/* Mark an unknown as refined not-null (decoders only, before sharing). */
void fo_cty__set_not_null(fo_cty_value *v);

/* 1 when [s, s+len) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int fo_cty__utf8_valid(const char *s, size_t len);

/* Numbers (fo_cty_number.c). */
int fo_cty__number_cmp(const fo_cty_value *a, const fo_cty_value *b);
/* Go's big.Float.String() (%.10g) of the number, for set hashing. */
int fo_cty__number_gtext(const fo_cty_value *v, fo_buf *out);
/* A number from an unsigned 64-bit integer. */
fo_cty_value *fo_cty__number_uint(uint64_t u);

/* Sets (fo_cty_set.c): sort and deduplicate items the way go-cty iterates
 * sets; releases dropped duplicates; returns the new count. */
size_t fo_cty__set_normalize(fo_cty_value **items, size_t n);

/* Set fo_err to "at <path>: <message>" ("at root: ..." for the empty path,
 * attribute paths with a leading dot as Terraform prints them); returns code. */
struct fo_cty_path;
int fo_cty__path_errv(const struct fo_cty_path *p, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Parse exactly one JSON value filling [json, json+len) (whitespace may
 * follow) with cJSON; errors are "<what>: malformed JSON near byte N". */
struct cJSON;
int fo_cty__cjson_parse(struct cJSON **out, const char *json, size_t len, const char *what);

/* Append `s` as a JSON string literal (quotes and escapes). */
int fo_cty__json_quote(fo_buf *out, const char *s, size_t len);

#endif
