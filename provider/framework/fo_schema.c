#include "fo_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_cty_codec.h"
#include "fo_err.h"
#include "fo_log.h"

static fo_cty_type *nested_attrs_type(const fo_nested_attrs *n, int depth);

static fo_cty_type *attrs_object_type(const fo_attr *attrs, size_t n_attrs, const fo_block_type *blocks,
                                      size_t n_blocks, int depth);

static fo_cty_type *wrap(fo_nesting nesting, fo_cty_type *take_obj) {
  switch (nesting) {
    case FO_NEST_SINGLE:
    case FO_NEST_GROUP:
      return take_obj;
    case FO_NEST_LIST:
      return fo_cty_type_list(take_obj);
    case FO_NEST_SET:
      return fo_cty_type_set(take_obj);
    case FO_NEST_MAP:
      return fo_cty_type_map(take_obj);
  }
  fo_cty_type_unref(take_obj);
  fo_err_set(FO_EINVAL, "unknown nesting mode %d", (int)nesting);
  return NULL;
}

static fo_cty_type *attr_type_depth(const fo_attr *a, int depth) {
  fo_cty_type *t = NULL;
  if (a->nested)
    return nested_attrs_type(a->nested, depth + 1);
  if (!a->type) {
    fo_err_set(FO_EINVAL, "attribute '%s' has neither type nor nested attributes", a->name);
    return NULL;
  }
  if (fo_cty_type_from_json(&t, a->type, strlen(a->type)) < 0) {
    fo_err_wrap(FO_EINVAL, "attribute '%s'", a->name);
    return NULL;
  }
  return t;
}

fo_cty_type *fo_schema_attr_type(const fo_attr *a) {
  return attr_type_depth(a, 0);
}

static fo_cty_type *nested_attrs_type(const fo_nested_attrs *n, int depth) {
  fo_cty_type *obj = attrs_object_type(n->attrs, n->n_attrs, NULL, 0, depth);
  return obj ? wrap(n->nesting, obj) : NULL;
}

static fo_cty_type *attrs_object_type(const fo_attr *attrs, size_t n_attrs, const fo_block_type *blocks,
                                      size_t n_blocks, int depth) {
  size_t n = n_attrs + n_blocks, i;
  const char **names = NULL;
  fo_cty_type **types = NULL;
  fo_cty_type *out = NULL;

  if (depth > FO_SCHEMA_MAX_DEPTH) {
    fo_err_set(FO_ELIMIT, "schema nested deeper than %d levels", FO_SCHEMA_MAX_DEPTH);
    return NULL;
  }
  names = calloc(n ? n : 1, sizeof(*names));
  types = calloc(n ? n : 1, sizeof(*types));
  if (!names || !types) {
    fo_err_oom();
    goto done;
  }
  for (i = 0; i < n_attrs; i++) {
    names[i] = attrs[i].name;
    if (!(types[i] = attr_type_depth(&attrs[i], depth)))
      goto fail;
  }
  for (i = 0; i < n_blocks; i++) {
    fo_cty_type *obj = attrs_object_type(blocks[i].block->attrs, blocks[i].block->n_attrs, blocks[i].block->blocks,
                                         blocks[i].block->n_blocks, depth + 1);
    names[n_attrs + i] = blocks[i].type_name;
    if (!obj || !(types[n_attrs + i] = wrap(blocks[i].nesting, obj)))
      goto fail;
  }
  out = fo_cty_type_object(n, names, types); /* takes the types */
  goto done;
fail:
  for (i = 0; i < n; i++)
    fo_cty_type_unref(types[i]);
done:
  free(names);
  free(types);
  return out;
}

fo_cty_type *fo_schema_block_type(const fo_block *b) {
  return attrs_object_type(b->attrs, b->n_attrs, b->blocks, b->n_blocks, 0);
}

const fo_attr *fo_schema_find_attr(const fo_block *b, const char *name) {
  for (size_t i = 0; i < b->n_attrs; i++)
    if (strcmp(b->attrs[i].name, name) == 0)
      return &b->attrs[i];
  return NULL;
}

fo_cty_value *fo_schema_empty_value(const fo_block *b) {
  fo_cty_type *t = fo_schema_block_type(b);
  fo_cty_value **vals = NULL;
  fo_cty_value *out = NULL;
  size_t n, i;

  if (!t)
    return NULL;
  n = fo_cty_type_count(t);
  vals = calloc(n ? n : 1, sizeof(*vals));
  if (!vals) {
    fo_err_oom();
    goto done;
  }
  for (i = 0; i < n; i++) {
    const char *name = fo_cty_type_attr_name(t, i);
    const fo_cty_type *at = fo_cty_type_attr_type(t, i);
    const fo_block_type *bt = NULL;
    for (size_t j = 0; j < b->n_blocks; j++)
      if (strcmp(b->blocks[j].type_name, name) == 0)
        bt = &b->blocks[j];
    if (!bt || bt->nesting == FO_NEST_SINGLE)
      vals[i] = fo_cty_null(at);
    else if (bt->nesting == FO_NEST_GROUP)
      vals[i] = fo_schema_empty_value(bt->block);
    else if (bt->nesting == FO_NEST_LIST)
      vals[i] = fo_cty_list(fo_cty_type_elem(at), 0, NULL);
    else if (bt->nesting == FO_NEST_SET)
      vals[i] = fo_cty_set(fo_cty_type_elem(at), 0, NULL);
    else
      vals[i] = fo_cty_map(fo_cty_type_elem(at), 0, NULL, NULL);
    if (!vals[i]) {
      for (size_t k = 0; k < i; k++)
        fo_cty_value_unref(vals[k]);
      goto done;
    }
  }
  out = fo_cty_object(t, vals);
done:
  free(vals);
  fo_cty_type_unref(t);
  return out;
}

/* ---- schema check (7.1) ------------------------------------------------- */

static int valid_name(const char *s) {
  if (!s || !*s)
    return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
      return 0;
  return 1;
}

static int check_attrs(const fo_attr *attrs, size_t n, int depth);

static int check_attr(const fo_attr *a, int depth) {
  unsigned f = a->flags;
  int req = !!(f & FO_ATTR_REQUIRED), opt = !!(f & FO_ATTR_OPTIONAL), comp = !!(f & FO_ATTR_COMPUTED);
  fo_cty_type *t;

  if (!valid_name(a->name))
    return fo_err_set(FO_EINVAL, "invalid attribute name '%s'", a->name ? a->name : "");
  if (!req && !opt && !comp)
    return fo_err_set(FO_EINVAL, "attribute '%s' is neither required, optional nor computed", a->name);
  if (req && (opt || comp))
    return fo_err_set(FO_EINVAL, "attribute '%s' is required and optional/computed", a->name);
  if (!!a->type == !!a->nested)
    return fo_err_set(FO_EINVAL, "attribute '%s' needs exactly one of type and nested attributes", a->name);
  if (a->deprecation_message && !(f & FO_ATTR_DEPRECATED))
    return fo_err_set(FO_EINVAL, "attribute '%s' has a deprecation message but is not deprecated", a->name);
  if (a->default_json && !(opt && comp))
    return fo_err_set(FO_EINVAL, "attribute '%s' has a default but is not optional and computed", a->name);
  if ((f & FO_ATTR_USE_STATE_FOR_UNKNOWN) && !comp)
    return fo_err_set(FO_EINVAL, "attribute '%s': use-state-for-unknown needs a computed attribute", a->name);
  if (!(t = attr_type_depth(a, depth)))
    return FO_EINVAL;
  if (a->default_json) {
    fo_cty_value *v = NULL;
    int error = fo_cty_json_decode(&v, t, a->default_json, strlen(a->default_json), 0);
    fo_cty_value_unref(v);
    if (error < 0) {
      fo_cty_type_unref(t);
      return fo_err_wrap(FO_EINVAL, "attribute '%s': default", a->name);
    }
  }
  fo_cty_type_unref(t);
  if (a->nested) {
    if (a->nested->nesting == FO_NEST_GROUP)
      return fo_err_set(FO_EINVAL, "attribute '%s': nested attributes cannot use group nesting", a->name);
    return check_attrs(a->nested->attrs, a->nested->n_attrs, depth + 1);
  }
  return FO_OK;
}

static int check_attrs(const fo_attr *attrs, size_t n, int depth) {
  int error;
  if (depth > FO_SCHEMA_MAX_DEPTH)
    return fo_err_set(FO_ELIMIT, "schema nested deeper than %d levels", FO_SCHEMA_MAX_DEPTH);
  for (size_t i = 0; i < n; i++) {
    if ((error = check_attr(&attrs[i], depth)) < 0)
      return error;
    for (size_t j = 0; j < i; j++)
      if (strcmp(attrs[i].name, attrs[j].name) == 0)
        return fo_err_set(FO_EINVAL, "duplicate attribute '%s'", attrs[i].name);
  }
  return FO_OK;
}

static int check_block(const fo_block *b, int depth) {
  int error;
  if ((error = check_attrs(b->attrs, b->n_attrs, depth)) < 0)
    return error;
  for (size_t i = 0; i < b->n_blocks; i++) {
    const fo_block_type *bt = &b->blocks[i];
    if (!valid_name(bt->type_name))
      return fo_err_set(FO_EINVAL, "invalid block name '%s'", bt->type_name ? bt->type_name : "");
    if (fo_schema_find_attr(b, bt->type_name))
      return fo_err_set(FO_EINVAL, "'%s' is both an attribute and a block", bt->type_name);
    if (bt->min_items < 0 || bt->max_items < 0)
      return fo_err_set(FO_EINVAL, "block '%s': negative item limits", bt->type_name);
    if (bt->nesting == FO_NEST_SINGLE && (bt->min_items > 1 || bt->max_items > 1))
      return fo_err_set(FO_EINVAL, "block '%s': single nesting allows at most one item", bt->type_name);
    if ((bt->nesting == FO_NEST_GROUP || bt->nesting == FO_NEST_MAP) && (bt->min_items || bt->max_items))
      return fo_err_set(FO_EINVAL, "block '%s': group/map blocks take no item limits", bt->type_name);
    if (bt->max_items && bt->min_items > bt->max_items)
      return fo_err_set(FO_EINVAL, "block '%s': min_items > max_items", bt->type_name);
    if ((error = check_block(bt->block, depth + 1)) < 0)
      return fo_err_wrap(error, "block '%s'", bt->type_name);
  }
  return FO_OK;
}

int fo_schema_check(const fo_block *b) {
  return check_block(b, 0);
}

static int has_text(const char *s) {
  return s && *s;
}

static int documented_attrs(const fo_attr *attrs, size_t n, int depth) {
  if (depth > FO_SCHEMA_MAX_DEPTH)
    return fo_err_set(FO_ELIMIT, "schema nested deeper than %d levels", FO_SCHEMA_MAX_DEPTH);
  for (size_t i = 0; i < n; i++) {
    const fo_attr *a = &attrs[i];
    if (!has_text(a->description))
      return fo_err_set(FO_EINVAL, "attribute '%s' has no description", a->name);
    if (a->nested && documented_attrs(a->nested->attrs, a->nested->n_attrs, depth + 1) < 0)
      return fo_err_wrap(FO_EINVAL, "attribute '%s'", a->name);
  }
  return FO_OK;
}

static int documented_block(const fo_block *b, int depth) {
  int error;
  if (!has_text(b->description))
    return fo_err_set(FO_EINVAL, "block has no description");
  if ((error = documented_attrs(b->attrs, b->n_attrs, depth)) < 0)
    return error;
  for (size_t i = 0; i < b->n_blocks; i++)
    if ((error = documented_block(b->blocks[i].block, depth + 1)) < 0)
      return fo_err_wrap(error, "block '%s'", b->blocks[i].type_name);
  return FO_OK;
}

int fo_schema_check_documented(const fo_block *b) {
  return documented_block(b, 0);
}

/* ---- validation walk ----------------------------------------------------- */

/* The walk's path grows and shrinks with it; a step that cannot be pushed
 * (out of memory, absurd depth) skips that subtree rather than mislabel it. */
static void validate_attrs(const fo_attr *attrs, size_t n, const fo_cty_value *obj, fo_cty_path *path, fo_diags *d,
                           int depth);
static void validate_block(const fo_block *b, const fo_cty_value *obj, fo_cty_path *path, fo_diags *d, int depth);

static int usable(const fo_cty_value *v) {
  return v && !fo_cty_is_null(v) && fo_cty_is_known(v);
}

/* Visits each element of a LIST/SET/MAP value (or the value itself for
 * SINGLE/GROUP) with the path pointing at it, calling either the nested
 * attributes' or the block's walk. */
static void validate_elements(fo_nesting nesting, const fo_attr *attrs, size_t n, const fo_block *b,
                              const fo_cty_value *v, fo_cty_path *path, fo_diags *d, int depth) {
  if (!usable(v))
    return;
  for (size_t i = 0; i < (nesting == FO_NEST_SINGLE || nesting == FO_NEST_GROUP ? 1 : fo_cty_length(v)); i++) {
    const fo_cty_value *e = v;
    int pushed = 0;
    if (nesting == FO_NEST_LIST) {
      if (fo_cty_path_push_index(path, (int64_t)i) < 0)
        return;
      pushed = 1;
    } else if (nesting == FO_NEST_MAP) {
      if (fo_cty_path_push_key(path, fo_cty_map_key(v, i)) < 0)
        return;
      pushed = 1;
    } /* set elements cannot be addressed: the path stops at the set */
    if (nesting != FO_NEST_SINGLE && nesting != FO_NEST_GROUP)
      e = fo_cty_index(v, i);
    if (b)
      validate_block(b, e, path, d, depth + 1);
    else
      validate_attrs(attrs, n, e, path, d, depth + 1);
    if (pushed)
      fo_cty_path_pop(path);
  }
}

static void validate_attrs(const fo_attr *attrs, size_t n, const fo_cty_value *obj, fo_cty_path *path, fo_diags *d,
                           int depth) {
  if (depth > FO_SCHEMA_MAX_DEPTH || !usable(obj))
    return;
  for (size_t i = 0; i < n; i++) {
    const fo_attr *a = &attrs[i];
    const fo_cty_value *v = fo_cty_get_attr(obj, a->name);
    if (!usable(v) || fo_cty_path_push_attr(path, a->name) < 0)
      continue;
    /* Registered before any validator can quote it, so a sensitive value
     * (assume_role.external_id) is redacted from every later log line and
     * diagnostic of the process, not only after ConfigureProvider. */
    if ((a->flags & FO_ATTR_SENSITIVE) && fo_cty_value_kind(v) == FO_CTY_STRING)
      fo_log_add_secret(fo_cty_as_string(v, NULL));
    for (size_t k = 0; k < FO_MAX_VALIDATORS && a->validators[k].fn; k++)
      a->validators[k].fn(v, path, a->validators[k].arg, d);
    if (a->nested)
      validate_elements(a->nested->nesting, a->nested->attrs, a->nested->n_attrs, NULL, v, path, d, depth);
    fo_cty_path_pop(path);
  }
}

static void validate_block(const fo_block *b, const fo_cty_value *obj, fo_cty_path *path, fo_diags *d, int depth) {
  if (depth > FO_SCHEMA_MAX_DEPTH || !usable(obj))
    return;
  validate_attrs(b->attrs, b->n_attrs, obj, path, d, depth);
  for (size_t i = 0; i < b->n_blocks; i++) {
    const fo_block_type *bt = &b->blocks[i];
    const fo_cty_value *v = fo_cty_get_attr(obj, bt->type_name);
    if (!usable(v) || fo_cty_path_push_attr(path, bt->type_name) < 0)
      continue;
    validate_elements(bt->nesting, NULL, 0, bt->block, v, path, d, depth);
    fo_cty_path_pop(path);
  }
}

void fo_schema_validate(const fo_block *b, const fo_cty_value *config, fo_diags *d) {
  fo_cty_path path = FO_CTY_PATH_INIT;
  validate_block(b, config, &path, d, 0);
  fo_cty_path_dispose(&path);
}
