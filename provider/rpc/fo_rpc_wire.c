/* Framework values to protobuf: schemas, attribute paths, diagnostics. */
#include "fo_rpc_wire.h"

#include "fo_err.h"

/* ---- schemas ---------------------------------------------------------------- */

static Tfplugin6__Schema__Block *block_to_proto(fo_arena *a, const fo_block *b, int depth);

static Tfplugin6__Schema__Attribute *attr_to_proto(fo_arena *a, const fo_attr *at, int depth) {
  Tfplugin6__Schema__Attribute *pa = fo_arena_alloc(a, sizeof(*pa));
  if (!pa)
    return NULL;
  tfplugin6__schema__attribute__init(pa);
  pa->name = fo_arena_strdup(a, at->name);
  if (at->markdown) {
    pa->description = fo_arena_strdup(a, at->markdown);
    pa->description_kind = TFPLUGIN6__STRING_KIND__MARKDOWN;
  } else {
    pa->description = fo_arena_strdup(a, at->description);
  }
  pa->required = !!(at->flags & FO_ATTR_REQUIRED);
  pa->optional = !!(at->flags & FO_ATTR_OPTIONAL);
  pa->computed = !!(at->flags & FO_ATTR_COMPUTED);
  pa->sensitive = !!(at->flags & FO_ATTR_SENSITIVE);
  pa->deprecated = !!(at->flags & FO_ATTR_DEPRECATED);
  if (at->deprecation_message)
    pa->deprecation_message = fo_arena_strdup(a, at->deprecation_message);
  if (at->nested) {
    Tfplugin6__Schema__Object *o = fo_arena_alloc(a, sizeof(*o));
    if (!o || depth > FO_SCHEMA_MAX_DEPTH)
      return NULL;
    tfplugin6__schema__object__init(o);
    o->nesting = (Tfplugin6__Schema__Object__NestingMode)at->nested->nesting;
    o->attributes = (Tfplugin6__Schema__Attribute **)fo_arena_ptrs(a, at->nested->n_attrs);
    if (!o->attributes)
      return NULL;
    for (size_t i = 0; i < at->nested->n_attrs; i++)
      if (!(o->attributes[o->n_attributes++] = attr_to_proto(a, &at->nested->attrs[i], depth + 1)))
        return NULL;
    pa->nested_type = o;
  } else {
    /* Normalise: Terraform panics on a type it cannot parse. */
    fo_cty_type *t = fo_schema_attr_type(at);
    fo_buf json = FO_BUF_INIT;
    if (!t)
      return NULL;
    if (fo_cty_type_to_json(t, &json) < 0) {
      fo_cty_type_unref(t);
      fo_buf_dispose(&json);
      return NULL;
    }
    fo_cty_type_unref(t);
    pa->type.data = (uint8_t *)fo_arena_memdup(a, json.data, json.len);
    pa->type.len = json.len;
    fo_buf_dispose(&json);
    if (!pa->type.data)
      return NULL;
  }
  return (pa->name && pa->description) ? pa : NULL;
}

static Tfplugin6__Schema__Block *block_to_proto(fo_arena *a, const fo_block *b, int depth) {
  Tfplugin6__Schema__Block *pb = fo_arena_alloc(a, sizeof(*pb));
  if (!pb || depth > FO_SCHEMA_MAX_DEPTH)
    return NULL;
  tfplugin6__schema__block__init(pb);
  if (b->markdown) {
    pb->description = fo_arena_strdup(a, b->markdown);
    pb->description_kind = TFPLUGIN6__STRING_KIND__MARKDOWN;
  } else {
    pb->description = fo_arena_strdup(a, b->description);
  }
  pb->deprecated = !!b->deprecated;
  pb->attributes = (Tfplugin6__Schema__Attribute **)fo_arena_ptrs(a, b->n_attrs);
  pb->block_types = (Tfplugin6__Schema__NestedBlock **)fo_arena_ptrs(a, b->n_blocks);
  if (!pb->attributes || !pb->block_types)
    return NULL;
  for (size_t i = 0; i < b->n_attrs; i++)
    if (!(pb->attributes[pb->n_attributes++] = attr_to_proto(a, &b->attrs[i], depth)))
      return NULL;
  for (size_t i = 0; i < b->n_blocks; i++) {
    Tfplugin6__Schema__NestedBlock *nb = fo_arena_alloc(a, sizeof(*nb));
    if (!nb)
      return NULL;
    tfplugin6__schema__nested_block__init(nb);
    nb->type_name = fo_arena_strdup(a, b->blocks[i].type_name);
    nb->nesting = (Tfplugin6__Schema__NestedBlock__NestingMode)b->blocks[i].nesting;
    nb->min_items = b->blocks[i].min_items;
    nb->max_items = b->blocks[i].max_items;
    if (!(nb->block = block_to_proto(a, b->blocks[i].block, depth + 1)))
      return NULL;
    pb->block_types[pb->n_block_types++] = nb;
  }
  return pb;
}

Tfplugin6__Schema *fo_rpc_schema_to_proto(fo_arena *a, const fo_schema *s) {
  Tfplugin6__Schema *ps = fo_arena_alloc(a, sizeof(*ps));
  if (!ps)
    return NULL;
  tfplugin6__schema__init(ps);
  ps->version = s->version;
  if (!(ps->block = block_to_proto(a, &s->block, 0)))
    return NULL;
  ps->block->version = s->version;
  return ps;
}

/* ---- paths and diagnostics -------------------------------------------------- */

Tfplugin6__AttributePath *fo_rpc_path_to_proto(fo_arena *a, const fo_cty_path *path) {
  Tfplugin6__AttributePath *ap;

  if (!path || !path->len)
    return NULL;
  if (!(ap = fo_arena_alloc(a, sizeof(*ap))))
    return NULL;
  tfplugin6__attribute_path__init(ap);
  if (!(ap->steps = (Tfplugin6__AttributePath__Step **)fo_arena_ptrs(a, path->len)))
    return NULL;
  for (size_t i = 0; i < path->len; i++) {
    const fo_cty_path_step *src = &path->steps[i];
    Tfplugin6__AttributePath__Step *st = fo_arena_alloc(a, sizeof(*st));
    if (!st)
      return NULL;
    tfplugin6__attribute_path__step__init(st);
    switch (src->kind) {
      case FO_CTY_STEP_ATTR:
        st->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME;
        if (!(st->attribute_name = fo_arena_strdup(a, src->name)))
          return NULL;
        break;
      case FO_CTY_STEP_KEY:
        st->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_STRING;
        if (!(st->element_key_string = fo_arena_strdup(a, src->name)))
          return NULL;
        break;
      case FO_CTY_STEP_INDEX:
        st->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_INT;
        st->element_key_int = src->index;
        break;
    }
    ap->steps[i] = st;
  }
  ap->n_steps = path->len;
  return ap;
}

int fo_rpc_diags_to_proto(Tfplugin6__Diagnostic ***out, size_t *n_out, fo_arena *a, const fo_diags *d) {
  Tfplugin6__Diagnostic **arr;
  *out = NULL;
  *n_out = 0;
  if (!d || d->n == 0)
    return FO_OK;
  arr = (Tfplugin6__Diagnostic **)fo_arena_ptrs(a, d->n);
  if (!arr)
    return FO_ENOMEM;
  for (size_t i = 0; i < d->n; i++) {
    Tfplugin6__Diagnostic *pd = fo_arena_alloc(a, sizeof(*pd));
    if (!pd)
      return FO_ENOMEM;
    tfplugin6__diagnostic__init(pd);
    pd->severity = d->items[i].severity == FO_DIAG_WARNING ? TFPLUGIN6__DIAGNOSTIC__SEVERITY__WARNING
                                                           : TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR;
    pd->summary = fo_arena_strdup(a, d->items[i].summary);
    pd->detail = fo_arena_strdup(a, d->items[i].detail);
    /* Out of memory for the path only: still send the diagnostic. */
    pd->attribute = fo_rpc_path_to_proto(a, &d->items[i].path);
    if (!pd->summary || !pd->detail)
      return FO_ENOMEM;
    arr[i] = pd;
  }
  *out = arr;
  *n_out = d->n;
  return FO_OK;
}
