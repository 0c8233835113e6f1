#include "fo_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_cty_codec.h"
#include "fo_err.h"

#define FO_PLAN_MAX_DEPTH 16

/* ---- paths ------------------------------------------------------------- */

int fo_paths_add(fo_paths *p, const char *path) {
  char **items = realloc(p->items, (p->n + 1) * sizeof(*items));
  if (!items)
    return fo_err_set(FO_ENOMEM, "out of memory");
  p->items = items;
  if (!(p->items[p->n] = strdup(path)))
    return fo_err_set(FO_ENOMEM, "out of memory");
  p->n++;
  return FO_OK;
}

void fo_paths_dispose(fo_paths *p) {
  if (!p)
    return;
  for (size_t i = 0; i < p->n; i++)
    free(p->items[i]);
  free(p->items);
  p->items = NULL;
  p->n = 0;
}

/* ---- planning ---------------------------------------------------------- */

/* A schema level: either a block or the object of nested attributes. */
typedef struct level {
  const fo_attr *attrs;
  size_t n_attrs;
  const fo_block_type *blocks;
  size_t n_blocks;
} level;

static level block_level(const fo_block *b) {
  level l = {b->attrs, b->n_attrs, b->blocks, b->n_blocks};
  return l;
}

static level nested_level(const fo_nested_attrs *n) {
  level l = {n->attrs, n->n_attrs, NULL, 0};
  return l;
}

static int present(const fo_cty_value *v) {
  return v && !fo_cty_is_null(v) && fo_cty_is_known(v);
}

static int plan_object(fo_cty_value **out, level l, const fo_cty_value *prior, const fo_cty_value *config,
                       const fo_cty_value *proposed, int changed, int depth);

/* Plans one nested value (attribute with nested type or block) by nesting mode. */
static int plan_nested(fo_cty_value **out, fo_nesting nesting, level l, const fo_cty_value *prior,
                       const fo_cty_value *config, const fo_cty_value *proposed, int changed, int depth) {
  fo_cty_value **elems = NULL;
  size_t n, i;
  int error = FO_OK;

  *out = NULL;
  if (!present(proposed) || !present(config) || nesting == FO_NEST_SET || nesting == FO_NEST_MAP) {
    /* Sets cannot be correlated with prior reliably; maps and sets keep
     * Terraform's proposed value, which is always a valid plan. */
    *out = fo_cty_value_ref(proposed);
    return FO_OK;
  }
  if (nesting == FO_NEST_SINGLE || nesting == FO_NEST_GROUP)
    return plan_object(out, l, present(prior) ? prior : NULL, config, proposed, changed, depth + 1);

  /* LIST: correlate by index. */
  n = fo_cty_length(proposed);
  if (n != fo_cty_length(config)) {
    *out = fo_cty_value_ref(proposed);
    return FO_OK;
  }
  elems = calloc(n ? n : 1, sizeof(*elems));
  if (!elems)
    return fo_err_set(FO_ENOMEM, "out of memory");
  for (i = 0; i < n; i++) {
    const fo_cty_value *pr = (present(prior) && i < fo_cty_length(prior)) ? fo_cty_index(prior, i) : NULL;
    if ((error = plan_object(&elems[i], l, present(pr) ? pr : NULL, fo_cty_index(config, i),
                             fo_cty_index(proposed, i), changed, depth + 1)) < 0)
      break;
  }
  if (error < 0) {
    for (size_t k = 0; k < i; k++)
      fo_cty_value_unref(elems[k]);
  } else if (!(*out = fo_cty_list(fo_cty_type_elem(fo_cty_value_type(proposed)), n, elems))) {
    error = FO_EINVAL;
  }
  free(elems);
  return error;
}

/* The planned value of one attribute, a new reference. */
static int plan_attr(fo_cty_value **out, const fo_attr *a, const fo_cty_value *prior_v,
                     const fo_cty_value *config_v, const fo_cty_value *proposed_v, int have_prior, int changed,
                     int depth) {
  unsigned f = a->flags;
  *out = NULL;
  if ((f & FO_ATTR_COMPUTED) && config_v && fo_cty_is_null(config_v)) {
    if (a->default_json) {
      fo_cty_type *t = fo_schema_attr_type(a);
      int error = t ? fo_cty_json_decode(out, t, a->default_json, strlen(a->default_json), 0) : FO_EINVAL;
      fo_cty_type_unref(t);
      return error < 0 ? fo_err_wrap(error, "default of '%s'", a->name) : FO_OK;
    }
    if (!have_prior || (changed && !(f & FO_ATTR_USE_STATE_FOR_UNKNOWN))) {
      *out = fo_cty_unknown(fo_cty_value_type(proposed_v));
      return *out ? FO_OK : FO_ENOMEM;
    }
    *out = fo_cty_value_ref(have_prior && prior_v ? prior_v : proposed_v);
    return FO_OK;
  }
  if (a->nested)
    return plan_nested(out, a->nested->nesting, nested_level(a->nested), prior_v, config_v, proposed_v, changed,
                       depth);
  *out = fo_cty_value_ref(proposed_v);
  return FO_OK;
}

static int replace_attr(fo_cty_value **obj, const char *name, fo_cty_value *take_v) {
  const fo_cty_value *cur = fo_cty_get_attr(*obj, name);
  fo_cty_value *next;
  if (cur && fo_cty_value_equal(cur, take_v) && fo_cty_is_known(cur) == fo_cty_is_known(take_v)) {
    fo_cty_value_unref(take_v);
    return FO_OK;
  }
  if (!(next = fo_cty_object_with(*obj, name, take_v)))
    return fo_err_wrap(FO_EINVAL, "planning '%s'", name);
  fo_cty_value_unref(*obj);
  *obj = next;
  return FO_OK;
}

static int plan_object(fo_cty_value **out, level l, const fo_cty_value *prior, const fo_cty_value *config,
                       const fo_cty_value *proposed, int changed, int depth) {
  fo_cty_value *planned;
  int error = FO_OK;

  *out = NULL;
  if (depth > FO_PLAN_MAX_DEPTH)
    return fo_err_set(FO_ELIMIT, "schema nested deeper than %d levels", FO_PLAN_MAX_DEPTH);
  if (!present(proposed) || !present(config)) {
    *out = fo_cty_value_ref(proposed);
    return FO_OK;
  }
  planned = fo_cty_value_ref(proposed);
  for (size_t i = 0; i < l.n_attrs && error >= 0; i++) {
    const fo_attr *a = &l.attrs[i];
    fo_cty_value *v = NULL;
    if ((error = plan_attr(&v, a, prior ? fo_cty_get_attr(prior, a->name) : NULL, fo_cty_get_attr(config, a->name),
                           fo_cty_get_attr(proposed, a->name), prior != NULL, changed, depth)) < 0)
      break;
    error = replace_attr(&planned, a->name, v);
  }
  for (size_t i = 0; i < l.n_blocks && error >= 0; i++) {
    const fo_block_type *bt = &l.blocks[i];
    fo_cty_value *v = NULL;
    if ((error = plan_nested(&v, bt->nesting, block_level(bt->block),
                             prior ? fo_cty_get_attr(prior, bt->type_name) : NULL,
                             fo_cty_get_attr(config, bt->type_name), fo_cty_get_attr(proposed, bt->type_name),
                             changed, depth)) < 0)
      break;
    error = replace_attr(&planned, bt->type_name, v);
  }
  if (error < 0) {
    fo_cty_value_unref(planned);
    return error;
  }
  *out = planned;
  return FO_OK;
}

int fo_plan_block(fo_cty_value **out, const fo_block *b, const fo_cty_value *prior, const fo_cty_value *config,
                  const fo_cty_value *proposed) {
  const fo_cty_value *pr = present(prior) ? prior : NULL;
  int changed = !pr || !fo_cty_value_equal(pr, proposed) || !fo_cty_is_wholly_known(proposed);
  return plan_object(out, block_level(b), pr, config, proposed, changed, 0);
}

/* ---- requires replace ------------------------------------------------------ */

static int replace_paths(fo_paths *out, level l, const fo_cty_value *prior, const fo_cty_value *planned,
                         const char *path, int depth) {
  char sub[FO_PATH_MAX];
  int error;
  if (depth > FO_PLAN_MAX_DEPTH || !present(prior) || !present(planned))
    return FO_OK;
  for (size_t i = 0; i < l.n_attrs; i++) {
    const fo_attr *a = &l.attrs[i];
    const fo_cty_value *pv = fo_cty_get_attr(planned, a->name), *prv = fo_cty_get_attr(prior, a->name);
    fo_path_join(sub, sizeof(sub), path, a->name);
    if ((a->flags & FO_ATTR_REQUIRES_REPLACE) && pv && prv &&
        (!fo_cty_is_wholly_known(pv) || !fo_cty_value_equal(pv, prv))) {
      if ((error = fo_paths_add(out, sub)) < 0)
        return error;
    } else if (a->nested && a->nested->nesting == FO_NEST_SINGLE) {
      if ((error = replace_paths(out, nested_level(a->nested), prv, pv, sub, depth + 1)) < 0)
        return error;
    }
  }
  for (size_t i = 0; i < l.n_blocks; i++) {
    const fo_block_type *bt = &l.blocks[i];
    if (bt->nesting != FO_NEST_SINGLE && bt->nesting != FO_NEST_GROUP)
      continue;
    fo_path_join(sub, sizeof(sub), path, bt->type_name);
    if ((error = replace_paths(out, block_level(bt->block), fo_cty_get_attr(prior, bt->type_name),
                               fo_cty_get_attr(planned, bt->type_name), sub, depth + 1)) < 0)
      return error;
  }
  return FO_OK;
}

int fo_plan_replace_paths(fo_paths *out, const fo_block *b, const fo_cty_value *prior, const fo_cty_value *planned) {
  return replace_paths(out, block_level(b), prior, planned, "", 0);
}

/* ---- plan validity (7.3) ------------------------------------------------- */

#define BUG_PLAN "Provider produced an invalid plan"
#define BUG_HINT "This is a bug in the failover provider; please report it."

static void fmt_value(const fo_cty_value *v, int sensitive, char *out, size_t n) {
  fo_buf b = FO_BUF_INIT;
  if (sensitive || !v || fo_cty_value_format(v, &b) < 0 || !b.data)
    snprintf(out, n, "%s", sensitive ? "(sensitive value)" : "(unprintable)");
  else
    snprintf(out, n, "%s", b.data);
  fo_buf_dispose(&b);
}

static void check_object(level l, const fo_cty_value *prior, const fo_cty_value *config,
                         const fo_cty_value *planned, const char *path, fo_diags *d, int depth);

static void check_nested(fo_nesting nesting, level l, const fo_cty_value *prior, const fo_cty_value *config,
                         const fo_cty_value *planned, const char *path, fo_diags *d, int depth) {
  char sub[FO_PATH_MAX];
  if (!fo_cty_is_known(config)) {
    if (!fo_cty_value_equal(config, planned) || fo_cty_is_known(planned))
      fo_diags_error(d, path, BUG_PLAN, "planned value for %s does not pass through an unknown configuration. %s",
                     path, BUG_HINT);
    return;
  }
  if (fo_cty_is_null(config) != fo_cty_is_null(planned)) {
    fo_diags_error(d, path, BUG_PLAN, "planned %s is %s but the configuration %s. %s", path,
                   fo_cty_is_null(planned) ? "null" : "set", fo_cty_is_null(config) ? "is null" : "is set", BUG_HINT);
    return;
  }
  if (fo_cty_is_null(config))
    return;
  if (!fo_cty_is_known(planned)) {
    fo_diags_error(d, path, BUG_PLAN, "planned %s is unknown although it is configured. %s", path, BUG_HINT);
    return;
  }
  if (nesting == FO_NEST_SINGLE || nesting == FO_NEST_GROUP) {
    check_object(l, present(prior) ? prior : NULL, config, planned, path, d, depth + 1);
    return;
  }
  if (fo_cty_length(config) != fo_cty_length(planned)) {
    fo_diags_error(d, path, BUG_PLAN, "planned %s has %zu elements but the configuration has %zu. %s", path,
                   fo_cty_length(planned), fo_cty_length(config), BUG_HINT);
    return;
  }
  if (nesting == FO_NEST_SET)
    return; /* elements cannot be correlated without Terraform's heuristics */
  for (size_t i = 0; i < fo_cty_length(config); i++) {
    const fo_cty_value *pr = NULL;
    if (nesting == FO_NEST_LIST) {
      fo_path_index(sub, sizeof(sub), path, (long long)i);
      if (present(prior) && i < fo_cty_length(prior))
        pr = fo_cty_index(prior, i);
    } else {
      const char *key = fo_cty_map_key(config, i);
      fo_path_key(sub, sizeof(sub), path, key);
      if (present(prior))
        pr = fo_cty_map_get(prior, key);
      if (!fo_cty_map_get(planned, key)) {
        fo_diags_error(d, sub, BUG_PLAN, "planned %s is missing. %s", sub, BUG_HINT);
        continue;
      }
    }
    check_object(l, present(pr) ? pr : NULL, fo_cty_index(config, i),
                 nesting == FO_NEST_LIST ? fo_cty_index(planned, i)
                                         : fo_cty_map_get(planned, fo_cty_map_key(config, i)),
                 sub, d, depth + 1);
  }
}

static void check_attr(const fo_attr *a, const fo_cty_value *pr, const fo_cty_value *cv, const fo_cty_value *pv,
                       const char *path, fo_diags *d, int depth) {
  int computed = !!(a->flags & FO_ATTR_COMPUTED), optional = !!(a->flags & FO_ATTR_OPTIONAL);
  int sensitive = !!(a->flags & FO_ATTR_SENSITIVE);
  char pvs[256], cvs[256];

  if (fo_cty_value_equal(pv, cv))
    return;
  if (pr && !fo_cty_is_null(pr) && !fo_cty_is_null(cv) && fo_cty_value_equal(pv, pr))
    return;
  if (computed && !optional)
    return;
  if (fo_cty_is_null(cv) && computed)
    return;
  fmt_value(pv, sensitive, pvs, sizeof(pvs));
  if (fo_cty_is_null(cv) && !fo_cty_is_null(pv)) {
    fo_diags_error(d, path, BUG_PLAN, "planned value %s for the non-computed attribute %s, which is not set. %s", pvs,
                   path, BUG_HINT);
    return;
  }
  if (a->nested && fo_cty_is_known(cv) && fo_cty_is_known(pv)) {
    check_nested(a->nested->nesting, nested_level(a->nested), pr, cv, pv, path, d, depth);
    return;
  }
  fmt_value(cv, sensitive, cvs, sizeof(cvs));
  fo_diags_error(d, path, BUG_PLAN, "planned value %s for %s does not match the configured value %s. %s", pvs, path,
                 cvs, BUG_HINT);
}

static void check_object(level l, const fo_cty_value *prior, const fo_cty_value *config,
                         const fo_cty_value *planned, const char *path, fo_diags *d, int depth) {
  char sub[FO_PATH_MAX];
  if (depth > FO_PLAN_MAX_DEPTH)
    return;
  for (size_t i = 0; i < l.n_attrs; i++) {
    const fo_attr *a = &l.attrs[i];
    const fo_cty_value *cv = fo_cty_get_attr(config, a->name), *pv = fo_cty_get_attr(planned, a->name);
    fo_path_join(sub, sizeof(sub), path, a->name);
    if (!cv || !pv) {
      fo_diags_error(d, sub, BUG_PLAN, "attribute %s is missing from the planned object. %s", sub, BUG_HINT);
      continue;
    }
    check_attr(a, prior ? fo_cty_get_attr(prior, a->name) : NULL, cv, pv, sub, d, depth);
  }
  for (size_t i = 0; i < l.n_blocks; i++) {
    const fo_block_type *bt = &l.blocks[i];
    const fo_cty_value *cv = fo_cty_get_attr(config, bt->type_name), *pv = fo_cty_get_attr(planned, bt->type_name);
    fo_path_join(sub, sizeof(sub), path, bt->type_name);
    if (!cv || !pv) {
      fo_diags_error(d, sub, BUG_PLAN, "block %s is missing from the planned object. %s", sub, BUG_HINT);
      continue;
    }
    if (bt->nesting != FO_NEST_SINGLE && fo_cty_is_known(pv) && fo_cty_is_null(pv)) {
      fo_diags_error(d, sub, BUG_PLAN, "planned block %s is null; collections of blocks are never null. %s", sub,
                     BUG_HINT);
      continue;
    }
    check_nested(bt->nesting, block_level(bt->block), prior ? fo_cty_get_attr(prior, bt->type_name) : NULL, cv,
                 pv, sub, d, depth);
  }
}

int fo_plan_check(const fo_block *b, const fo_cty_value *prior, const fo_cty_value *config,
                  const fo_cty_value *planned, fo_diags *d) {
  size_t before = d->n;
  fo_cty_type *t = fo_schema_block_type(b);
  int ok = t && fo_cty_value_conforms(planned, t);
  fo_cty_type_unref(t);
  if (!ok) {
    fo_diags_error(d, NULL, BUG_PLAN, "the planned object does not conform to the schema. %s", BUG_HINT);
    return 0;
  }
  if (fo_cty_is_null(config) != fo_cty_is_null(planned)) {
    fo_diags_error(d, NULL, BUG_PLAN, "the plan is %s but the configuration is %s. %s",
                   fo_cty_is_null(planned) ? "null" : "an object", fo_cty_is_null(config) ? "null" : "an object",
                   BUG_HINT);
    return 0;
  }
  if (!fo_cty_is_null(config))
    check_object(block_level(b), present(prior) ? prior : NULL, config, planned, "", d, 0);
  return d->n == before;
}

/* ---- apply result consistency (7.5) ---------------------------------------- */

#define BUG_APPLY "Provider produced an inconsistent result"

static void compat(const fo_cty_value *planned, const fo_cty_value *actual, const char *path, fo_diags *d,
                   int depth) {
  char sub[FO_PATH_MAX], ps[256], as[256];
  const char *where = *path ? path : "the object";

  if (depth > FO_CTY_MAX_DEPTH || !fo_cty_is_known(planned))
    return;
  if (!fo_cty_is_known(actual)) {
    fo_diags_error(d, *path ? path : NULL, BUG_APPLY, "%s was known in the plan but is unknown after apply. %s",
                   where, BUG_HINT);
    return;
  }
  if (fo_cty_is_null(planned) != fo_cty_is_null(actual)) {
    fmt_value(planned, 0, ps, sizeof(ps));
    fmt_value(actual, 0, as, sizeof(as));
    fo_diags_error(d, *path ? path : NULL, BUG_APPLY, "%s was planned as %s but is now %s. %s", where, ps, as,
                   BUG_HINT);
    return;
  }
  if (fo_cty_is_null(planned))
    return;
  switch (fo_cty_value_kind(planned)) {
  case FO_CTY_OBJECT:
    for (size_t i = 0; i < fo_cty_length(planned); i++) {
      const char *name = fo_cty_type_attr_name(fo_cty_value_type(planned), i);
      const fo_cty_value *av = fo_cty_get_attr(actual, name);
      fo_path_join(sub, sizeof(sub), path, name);
      if (av)
        compat(fo_cty_index(planned, i), av, sub, d, depth + 1);
    }
    return;
  case FO_CTY_LIST:
  case FO_CTY_TUPLE:
    if (fo_cty_length(planned) != fo_cty_length(actual))
      break;
    for (size_t i = 0; i < fo_cty_length(planned); i++) {
      fo_path_index(sub, sizeof(sub), path, (long long)i);
      compat(fo_cty_index(planned, i), fo_cty_index(actual, i), sub, d, depth + 1);
    }
    return;
  case FO_CTY_MAP:
    if (fo_cty_length(planned) != fo_cty_length(actual))
      break;
    for (size_t i = 0; i < fo_cty_length(planned); i++) {
      const char *key = fo_cty_map_key(planned, i);
      const fo_cty_value *av = fo_cty_map_get(actual, key);
      fo_path_key(sub, sizeof(sub), path, key);
      if (!av)
        break;
      compat(fo_cty_index(planned, i), av, sub, d, depth + 1);
    }
    return;
  case FO_CTY_SET:
    if (!fo_cty_is_wholly_known(planned) && fo_cty_length(planned) == fo_cty_length(actual))
      return;
    break;
  default:
    break;
  }
  if (!fo_cty_value_equal(planned, actual)) {
    fmt_value(planned, 0, ps, sizeof(ps));
    fmt_value(actual, 0, as, sizeof(as));
    fo_diags_error(d, *path ? path : NULL, BUG_APPLY, "%s was planned as %s but apply produced %s. %s", where, ps, as,
                   BUG_HINT);
  }
}

int fo_apply_check(const fo_block *b, const fo_cty_value *planned, const fo_cty_value *new_state, fo_diags *d) {
  size_t before = d->n;
  fo_cty_type *t = fo_schema_block_type(b);
  int ok = t && new_state && fo_cty_value_conforms(new_state, t);
  fo_cty_type_unref(t);
  if (!ok) {
    fo_diags_error(d, NULL, BUG_APPLY, "the new state does not conform to the schema. %s", BUG_HINT);
    return 0;
  }
  if (fo_cty_is_null(new_state)) {
    fo_diags_error(d, NULL, BUG_APPLY, "the new state is null after a create or update. %s", BUG_HINT);
    return 0;
  }
  if (!fo_cty_is_wholly_known(new_state)) {
    /* Name the first unknown attribute through the compatibility walk
     * against an all-known view: report each top-level unknown. */
    for (size_t i = 0; i < fo_cty_length(new_state); i++) {
      const fo_cty_value *v = fo_cty_index(new_state, i);
      if (!fo_cty_is_wholly_known(v))
        fo_diags_error(d, fo_cty_type_attr_name(fo_cty_value_type(new_state), i), BUG_APPLY,
                       "%s is still unknown after apply. %s", fo_cty_type_attr_name(fo_cty_value_type(new_state), i),
                       BUG_HINT);
    }
    return 0;
  }
  compat(planned, new_state, "", d, 0);
  return d->n == before;
}
