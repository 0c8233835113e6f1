/* fo_cty_path: attribute paths into cty values (a.b[0]["k"]), for diagnostics,
 * requires_replace and codec error messages; walking a path never allocates. */
#ifndef FO_CTY_PATH_H
#define FO_CTY_PATH_H

#include <stddef.h>
#include <stdint.h>

#include "fo_buf.h"
#include "fo_cty.h"

typedef enum fo_cty_path_step_kind {
  FO_CTY_STEP_ATTR = 0, /* object attribute: .name */
  FO_CTY_STEP_KEY,      /* map element: ["key"] */
  FO_CTY_STEP_INDEX     /* list/tuple element: [3] */
} fo_cty_path_step_kind;

typedef struct fo_cty_path_step {
  fo_cty_path_step_kind kind;
  char *name;    /* ATTR and KEY: owned, NUL-terminated */
  int64_t index; /* INDEX */
} fo_cty_path_step;

/* Caller storage: init/dispose. The steps array is owned by the path. */
typedef struct fo_cty_path {
  fo_cty_path_step *steps;
  size_t len;
  size_t cap;
} fo_cty_path;

#define FO_CTY_PATH_INIT \
  { NULL, 0, 0 }
/* Paths deeper than this cannot be built (FO_ELIMIT). */
#define FO_CTY_PATH_MAX_STEPS 1024

void fo_cty_path_init(fo_cty_path *p);
void fo_cty_path_dispose(fo_cty_path *p);

/* Append one step (the name/key is copied). FO_ENOMEM / FO_ELIMIT on failure. */
int fo_cty_path_push_attr(fo_cty_path *p, const char *name);
int fo_cty_path_push_key(fo_cty_path *p, const char *key);
int fo_cty_path_push_index(fo_cty_path *p, int64_t index);
/* Drop the last step (no-op on an empty path). */
void fo_cty_path_pop(fo_cty_path *p);

/* `out` (uninitialised storage) becomes a deep copy of `src`. */
int fo_cty_path_copy(fo_cty_path *out, const fo_cty_path *src);
/* 1 when both paths have the same steps. */
int fo_cty_path_equal(const fo_cty_path *a, const fo_cty_path *b);
/* 1 when `prefix` is a prefix of (or equal to) `p`. */
int fo_cty_path_has_prefix(const fo_cty_path *p, const fo_cty_path *prefix);

/* Append the path as `a.b[0]["k"]` (no leading dot; keys quoted and escaped
 * like JSON strings; the empty path appends nothing). */
int fo_cty_path_format(const fo_cty_path *p, fo_buf *out);

/* Walk `v` along `p`: ATTR steps through objects, KEY steps through maps,
 * INDEX steps through lists and tuples. Returns the borrowed value or NULL
 * when a step does not apply (wrong kind, absent, out of range, or through a
 * null/unknown value). The empty path returns `v`. */
const fo_cty_value *fo_cty_path_get(const fo_cty_value *v, const fo_cty_path *p);

#endif
