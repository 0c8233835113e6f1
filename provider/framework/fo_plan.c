#include "fo_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_cty_codec.h"
#include "fo_err.h"

#define FO_PLAN_MAX_DEPTH 16

/* ---- paths ------------------------------------------------------------- */

int fo_paths_add(fo_paths *p, const fo_cty_path *path) {
  fo_cty_path *items = realloc(p->items, (p->n + 1) * sizeof(*items));
  int error;
  if (!items)
    return fo_err_oom();
  p->items = items;
  if ((error = fo_cty_path_copy(&p->items[p->n], path)) < 0)
    return error;
  p->n++;
  return FO_OK;
}

void fo_paths_dispose(fo_paths *p) {
  if (!p)
    return;
  for (size_t i = 0; i < p->n; i++)
    fo_cty_path_dispose(&p->items[i]);
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

static int set_contains(const fo_cty_value *set, const fo_cty_value *e) {
  for (size_t i = 0; i < fo_cty_length(set); i++)
    if (fo_cty_value_equal(fo_cty_index(set, i), e))
      return 1;
  return 0;
}

/* Plans element `i` of a LIST/MAP/SET value. Lists correlate with prior by
 * index and maps by key. Set elements have no identity: one equal to a prior
 * element is unchanged (Terraform already copied its computed values from
 * prior) and kept; any other is new, planned like a create with the element
 * as its own configuration (for a new element Terraform's proposed value is
 * the configured one, so a null there is a null in the configuration). */
static int plan_element(fo_cty_value **out, fo_nesting nesting, level l, const fo_cty_value *prior,
                        const fo_cty_value *config, const fo_cty_value *proposed, size_t i, int changed, int depth) {
  const fo_cty_value *pe = fo_cty_index(proposed, i), *pr = NULL, *ce;
  if (nesting == FO_NEST_SET) {
    if (present(prior) && set_contains(prior, pe)) {
      *out = fo_cty_value_ref(pe);
      return FO_OK;
    }
    return plan_object(out, l, NULL, pe, pe, changed, depth + 1);
  }
  if (nesting == FO_NEST_MAP) {
    const char *key = fo_cty_map_key(proposed, i);
    ce = fo_cty_map_get(config, key);
    if (present(prior))
      pr = fo_cty_map_get(prior, key);
  } else {
    ce = fo_cty_index(config, i);
    if (present(prior) && i < fo_cty_length(prior))
      pr = fo_cty_index(prior, i);
  }
  if (!ce) { /* a key Terraform proposed but that is not configured: keep it */
    *out = fo_cty_value_ref(pe);
    return FO_OK;
  }
  return plan_object(out, l, present(pr) ? pr : NULL, ce, pe, changed, depth + 1);
}

/* Plans one nested value (attribute with nested type or block) by nesting mode. */
static int plan_nested(fo_cty_value **out, fo_nesting nesting, level l, const fo_cty_value *prior,
                       const fo_cty_value *config, const fo_cty_value *proposed, int changed, int depth) {
  const fo_cty_type *elem;
  fo_cty_value **elems = NULL;
  const char **keys = NULL;
  size_t n, i;
  int error = FO_OK;

  *out = NULL;
  if (!present(proposed) || !present(config)) {
    *out = fo_cty_value_ref(proposed);
    return FO_OK;
  }
  if (nesting == FO_NEST_SINGLE || nesting == FO_NEST_GROUP)
    return plan_object(out, l, present(prior) ? prior : NULL, config, proposed, changed, depth + 1);

  n = fo_cty_length(proposed);
  if (nesting == FO_NEST_LIST && n != fo_cty_length(config)) {
    *out = fo_cty_value_ref(proposed); /* cannot correlate: Terraform's proposal is a valid plan */
    return FO_OK;
  }
  elems = calloc(n ? n : 1, sizeof(*elems));
  keys = calloc(n ? n : 1, sizeof(*keys));
  if (!elems || !keys) {
    free(elems);
    free(keys);
    return fo_err_oom();
  }
  for (i = 0; i < n; i++) {
    if (nesting == FO_NEST_MAP)
      keys[i] = fo_cty_map_key(proposed, i);
    if ((error = plan_element(&elems[i], nesting, l, prior, config, proposed, i, changed, depth)) < 0)
      break;
  }
  elem = fo_cty_type_elem(fo_cty_value_type(proposed));
  if (error < 0) {
    for (size_t k = 0; k < i; k++)
      fo_cty_value_unref(elems[k]);
  } else {
    /* the constructors take the element references, also on failure */
    if (nesting == FO_NEST_LIST)
      *out = fo_cty_list(elem, n, elems);
    else if (nesting == FO_NEST_MAP)
      *out = fo_cty_map(elem, n, keys, elems);
    else
      *out = fo_cty_set(elem, n, elems);
    if (!*out)
      error = fo_err_wrap(FO_EINVAL, "planning a nested collection");
  }
  free(elems);
  free(keys);
  return error;
}

/* The planned value of one attribute, a new reference. */
static int plan_attr(fo_cty_value **out, const fo_attr *a, const fo_cty_value *prior_v, const fo_cty_value *config_v,
                     const fo_cty_value *proposed_v, int have_prior, int changed, int depth) {
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
    return plan_nested(out, a->nested->nesting, nested_level(a->nested), prior_v, config_v, proposed_v, changed, depth);
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
    if ((error = plan_nested(
             &v, bt->nesting, block_level(bt->block), prior ? fo_cty_get_attr(prior, bt->type_name) : NULL,
             fo_cty_get_attr(config, bt->type_name), fo_cty_get_attr(proposed, bt->type_name), changed, depth)) < 0)
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
                         fo_cty_path *path, int depth);

/* 1 when some element of `planned` (a set) has no element of `prior` that it
 * equals on every requires-replace attribute (checked recursively). */
static int set_needs_replace(level l, const fo_cty_value *prior, const fo_cty_value *planned, fo_cty_path *path,
                             int depth, int *error) {
  for (size_t i = 0; i < fo_cty_length(planned); i++) {
    int matched = 0;
    for (size_t k = 0; k < fo_cty_length(prior) && !matched; k++) {
      fo_paths diff = {0};
      *error = replace_paths(&diff, l, fo_cty_index(prior, k), fo_cty_index(planned, i), path, depth + 1);
      matched = *error == FO_OK && diff.n == 0;
      fo_paths_dispose(&diff);
      if (*error < 0)
        return 0;
    }
    if (!matched)
      return 1;
  }
  return 0;
}

/* Requires-replace inside one nested value, `path` pointing at it. List
 * elements are correlated by index and map elements by key; elements with no
 * prior counterpart are new and do not force replacement (like a nested block
 * that appears). Set elements have no address: the set itself is reported. */
static int replace_nested(fo_paths *out, fo_nesting nesting, level l, const fo_cty_value *prior,
                          const fo_cty_value *planned, fo_cty_path *path, int depth) {
  int error = FO_OK;
  if (!present(prior) || !present(planned))
    return FO_OK;
  switch (nesting) {
    case FO_NEST_SINGLE:
    case FO_NEST_GROUP:
      return replace_paths(out, l, prior, planned, path, depth + 1);
    case FO_NEST_LIST:
      for (size_t i = 0; i < fo_cty_length(planned) && i < fo_cty_length(prior) && error >= 0; i++) {
        if ((error = fo_cty_path_push_index(path, (int64_t)i)) < 0)
          break;
        error = replace_paths(out, l, fo_cty_index(prior, i), fo_cty_index(planned, i), path, depth + 1);
        fo_cty_path_pop(path);
      }
      return error;
    case FO_NEST_MAP:
      for (size_t i = 0; i < fo_cty_length(planned) && error >= 0; i++) {
        const char *key = fo_cty_map_key(planned, i);
        const fo_cty_value *pr = fo_cty_map_get(prior, key);
        if (!pr)
          continue;
        if ((error = fo_cty_path_push_key(path, key)) < 0)
          break;
        error = replace_paths(out, l, pr, fo_cty_index(planned, i), path, depth + 1);
        fo_cty_path_pop(path);
      }
      return error;
    case FO_NEST_SET:
      if (set_needs_replace(l, prior, planned, path, depth, &error) && error >= 0)
        error = fo_paths_add(out, path);
      return error;
  }
  return FO_OK;
}

static int replace_paths(fo_paths *out, level l, const fo_cty_value *prior, const fo_cty_value *planned,
                         fo_cty_path *path, int depth) {
  int error = FO_OK;
  if (depth > FO_PLAN_MAX_DEPTH || !present(prior) || !present(planned))
    return FO_OK;
  for (size_t i = 0; i < l.n_attrs && error >= 0; i++) {
    const fo_attr *a = &l.attrs[i];
    const fo_cty_value *pv = fo_cty_get_attr(planned, a->name), *prv = fo_cty_get_attr(prior, a->name);
    if ((error = fo_cty_path_push_attr(path, a->name)) < 0)
      break;
    if ((a->flags & FO_ATTR_REQUIRES_REPLACE) && pv && prv &&
        (!fo_cty_is_wholly_known(pv) || !fo_cty_value_equal(pv, prv)))
      error = fo_paths_add(out, path);
    else if (a->nested)
      error = replace_nested(out, a->nested->nesting, nested_level(a->nested), prv, pv, path, depth);
    fo_cty_path_pop(path);
  }
  for (size_t i = 0; i < l.n_blocks && error >= 0; i++) {
    const fo_block_type *bt = &l.blocks[i];
    if ((error = fo_cty_path_push_attr(path, bt->type_name)) < 0)
      break;
    error = replace_nested(out, bt->nesting, block_level(bt->block), fo_cty_get_attr(prior, bt->type_name),
                           fo_cty_get_attr(planned, bt->type_name), path, depth);
    fo_cty_path_pop(path);
  }
  return error;
}

int fo_plan_replace_paths(fo_paths *out, const fo_block *b, const fo_cty_value *prior, const fo_cty_value *planned) {
  fo_cty_path path = FO_CTY_PATH_INIT;
  int error = replace_paths(out, block_level(b), prior, planned, &path, 0);
  fo_cty_path_dispose(&path);
  return error;
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
  fo_text_trim_utf8(out); /* a long string value may have been cut inside a character */
  fo_buf_dispose(&b);
}

/* A check walk: the path it stands at, the text of that path for messages,
 * and where the diagnostics go. */
typedef struct walk {
  fo_cty_path path;
  fo_buf text;
  fo_diags *d;
} walk;

static void walk_init(walk *w, fo_diags *d) {
  fo_cty_path_init(&w->path);
  fo_buf_init(&w->text, 64 * 1024);
  w->d = d;
}

static void walk_dispose(walk *w) {
  fo_cty_path_dispose(&w->path);
  fo_buf_dispose(&w->text);
}

/* The current path as text for a message (valid until the next call). */
static const char *where(walk *w) {
  fo_buf_clear(&w->text);
  if (fo_cty_path_format(&w->path, &w->text) < 0 || !w->text.len)
    return "the object";
  return w->text.data;
}

static void check_object(walk *w, level l, const fo_cty_value *prior, const fo_cty_value *config,
                         const fo_cty_value *planned, int depth);

static void check_nested(walk *w, fo_nesting nesting, level l, const fo_cty_value *prior, const fo_cty_value *config,
                         const fo_cty_value *planned, int depth) {
  fo_diags *d = w->d;
  if (!fo_cty_is_known(config)) {
    if (!fo_cty_value_equal(config, planned) || fo_cty_is_known(planned))
      fo_diags_error(d, &w->path, BUG_PLAN, "planned value for %s does not pass through an unknown configuration. %s",
                     where(w), BUG_HINT);
    return;
  }
  if (fo_cty_is_null(config) != fo_cty_is_null(planned)) {
    fo_diags_error(d, &w->path, BUG_PLAN, "planned %s is %s but the configuration %s. %s", where(w),
                   fo_cty_is_null(planned) ? "null" : "set", fo_cty_is_null(config) ? "is null" : "is set", BUG_HINT);
    return;
  }
  if (fo_cty_is_null(config))
    return;
  if (!fo_cty_is_known(planned)) {
    fo_diags_error(d, &w->path, BUG_PLAN, "planned %s is unknown although it is configured. %s", where(w), BUG_HINT);
    return;
  }
  if (nesting == FO_NEST_SINGLE || nesting == FO_NEST_GROUP) {
    check_object(w, l, present(prior) ? prior : NULL, config, planned, depth + 1);
    return;
  }
  if (fo_cty_length(config) != fo_cty_length(planned)) {
    fo_diags_error(d, &w->path, BUG_PLAN, "planned %s has %zu elements but the configuration has %zu. %s", where(w),
                   fo_cty_length(planned), fo_cty_length(config), BUG_HINT);
    return;
  }
  if (nesting == FO_NEST_SET)
    return; /* elements cannot be correlated without Terraform's heuristics */
  for (size_t i = 0; i < fo_cty_length(config); i++) {
    const fo_cty_value *pr = NULL, *pv;
    const char *key = nesting == FO_NEST_MAP ? fo_cty_map_key(config, i) : NULL;
    if ((key ? fo_cty_path_push_key(&w->path, key) : fo_cty_path_push_index(&w->path, (int64_t)i)) < 0)
      return;
    if (key) {
      pv = fo_cty_map_get(planned, key);
      pr = present(prior) ? fo_cty_map_get(prior, key) : NULL;
    } else {
      pv = fo_cty_index(planned, i);
      pr = present(prior) && i < fo_cty_length(prior) ? fo_cty_index(prior, i) : NULL;
    }
    if (!pv)
      fo_diags_error(d, &w->path, BUG_PLAN, "planned %s is missing. %s", where(w), BUG_HINT);
    else
      check_object(w, l, present(pr) ? pr : NULL, fo_cty_index(config, i), pv, depth + 1);
    fo_cty_path_pop(&w->path);
  }
}

static void check_attr(walk *w, const fo_attr *a, const fo_cty_value *pr, const fo_cty_value *cv,
                       const fo_cty_value *pv, int depth) {
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
    fo_diags_error(w->d, &w->path, BUG_PLAN, "planned value %s for the non-computed attribute %s, which is not set. %s",
                   pvs, where(w), BUG_HINT);
    return;
  }
  if (a->nested && fo_cty_is_known(cv) && fo_cty_is_known(pv)) {
    check_nested(w, a->nested->nesting, nested_level(a->nested), pr, cv, pv, depth);
    return;
  }
  fmt_value(cv, sensitive, cvs, sizeof(cvs));
  fo_diags_error(w->d, &w->path, BUG_PLAN, "planned value %s for %s does not match the configured value %s. %s", pvs,
                 where(w), cvs, BUG_HINT);
}

static void check_object(walk *w, level l, const fo_cty_value *prior, const fo_cty_value *config,
                         const fo_cty_value *planned, int depth) {
  if (depth > FO_PLAN_MAX_DEPTH)
    return;
  for (size_t i = 0; i < l.n_attrs; i++) {
    const fo_attr *a = &l.attrs[i];
    const fo_cty_value *cv = fo_cty_get_attr(config, a->name), *pv = fo_cty_get_attr(planned, a->name);
    if (fo_cty_path_push_attr(&w->path, a->name) < 0)
      return;
    if (!cv || !pv)
      fo_diags_error(w->d, &w->path, BUG_PLAN, "attribute %s is missing from the planned object. %s", where(w),
                     BUG_HINT);
    else
      check_attr(w, a, prior ? fo_cty_get_attr(prior, a->name) : NULL, cv, pv, depth);
    fo_cty_path_pop(&w->path);
  }
  for (size_t i = 0; i < l.n_blocks; i++) {
    const fo_block_type *bt = &l.blocks[i];
    const fo_cty_value *cv = fo_cty_get_attr(config, bt->type_name), *pv = fo_cty_get_attr(planned, bt->type_name);
    if (fo_cty_path_push_attr(&w->path, bt->type_name) < 0)
      return;
    if (!cv || !pv)
      fo_diags_error(w->d, &w->path, BUG_PLAN, "block %s is missing from the planned object. %s", where(w), BUG_HINT);
    else if (bt->nesting != FO_NEST_SINGLE && fo_cty_is_known(pv) && fo_cty_is_null(pv))
      fo_diags_error(w->d, &w->path, BUG_PLAN, "planned block %s is null; collections of blocks are never null. %s",
                     where(w), BUG_HINT);
    else
      check_nested(w, bt->nesting, block_level(bt->block), prior ? fo_cty_get_attr(prior, bt->type_name) : NULL, cv, pv,
                   depth);
    fo_cty_path_pop(&w->path);
  }
}

int fo_plan_check(const fo_block *b, const fo_cty_value *prior, const fo_cty_value *config, const fo_cty_value *planned,
                  fo_diags *d) {
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
  if (!fo_cty_is_null(config)) {
    walk w;
    walk_init(&w, d);
    check_object(&w, block_level(b), present(prior) ? prior : NULL, config, planned, 0);
    walk_dispose(&w);
  }
  return d->n == before;
}

/* ---- apply result consistency (7.5) ---------------------------------------- */

#define BUG_APPLY "Provider produced an inconsistent result"

/* The values of two states at the walk's path as text, for a message. */
static void compat_error(walk *w, const char *fmt_tail, const fo_cty_value *planned, const fo_cty_value *actual) {
  char ps[256], as[256];
  fmt_value(planned, 0, ps, sizeof(ps));
  fmt_value(actual, 0, as, sizeof(as));
  fo_diags_error(w->d, &w->path, BUG_APPLY, "%s was planned as %s but %s %s. %s", where(w), ps, fmt_tail, as, BUG_HINT);
}

static void compat(walk *w, const fo_cty_value *planned, const fo_cty_value *actual, int depth) {
  if (depth > FO_CTY_MAX_DEPTH || !fo_cty_is_known(planned))
    return;
  if (!fo_cty_is_known(actual)) {
    fo_diags_error(w->d, &w->path, BUG_APPLY, "%s was known in the plan but is unknown after apply. %s", where(w),
                   BUG_HINT);
    return;
  }
  if (fo_cty_is_null(planned) != fo_cty_is_null(actual)) {
    compat_error(w, "is now", planned, actual);
    return;
  }
  if (fo_cty_is_null(planned))
    return;
  switch (fo_cty_value_kind(planned)) {
    case FO_CTY_OBJECT:
      for (size_t i = 0; i < fo_cty_length(planned); i++) {
        const char *name = fo_cty_type_attr_name(fo_cty_value_type(planned), i);
        const fo_cty_value *av = fo_cty_get_attr(actual, name);
        if (!av || fo_cty_path_push_attr(&w->path, name) < 0)
          continue;
        compat(w, fo_cty_index(planned, i), av, depth + 1);
        fo_cty_path_pop(&w->path);
      }
      return;
    case FO_CTY_LIST:
    case FO_CTY_TUPLE:
      if (fo_cty_length(planned) != fo_cty_length(actual))
        break;
      for (size_t i = 0; i < fo_cty_length(planned); i++) {
        if (fo_cty_path_push_index(&w->path, (int64_t)i) < 0)
          return;
        compat(w, fo_cty_index(planned, i), fo_cty_index(actual, i), depth + 1);
        fo_cty_path_pop(&w->path);
      }
      return;
    case FO_CTY_MAP: {
      int missing = 0;
      if (fo_cty_length(planned) != fo_cty_length(actual))
        break;
      for (size_t i = 0; i < fo_cty_length(planned) && !missing; i++) {
        const char *key = fo_cty_map_key(planned, i);
        const fo_cty_value *av = fo_cty_map_get(actual, key);
        missing = !av;
        if (missing || fo_cty_path_push_key(&w->path, key) < 0)
          continue;
        compat(w, fo_cty_index(planned, i), av, depth + 1);
        fo_cty_path_pop(&w->path);
      }
      if (!missing)
        return;
      break; /* the keys differ: reported for the map as a whole below */
    }
    case FO_CTY_SET:
      if (!fo_cty_is_wholly_known(planned) && fo_cty_length(planned) == fo_cty_length(actual))
        return;
      break;
    default:
      break;
  }
  if (!fo_cty_value_equal(planned, actual))
    compat_error(w, "apply produced", planned, actual);
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
        fo_diags_attr_error(d, fo_cty_type_attr_name(fo_cty_value_type(new_state), i), BUG_APPLY,
                            "%s is still unknown after apply. %s",
                            fo_cty_type_attr_name(fo_cty_value_type(new_state), i), BUG_HINT);
    }
    return 0;
  }
  {
    walk w;
    walk_init(&w, d);
    compat(&w, planned, new_state, 0);
    walk_dispose(&w);
  }
  return d->n == before;
}
