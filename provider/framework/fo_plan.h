/* fo_plan: the framework's planning and result checks: PlanResourceChange
 * values (7.2/7.3) and ApplyResourceChange consistency (7.5), with paths. */
#ifndef FO_PLAN_H
#define FO_PLAN_H

#include "fo_cty.h"
#include "fo_cty_path.h"
#include "fo_diag.h"
#include "fo_resource.h"
#include "fo_schema.h"

/* Attribute paths that force replacement (each item owned by the list). */
typedef struct fo_paths {
  fo_cty_path *items;
  size_t n;
} fo_paths;
int fo_paths_add(fo_paths *p, const fo_cty_path *path); /* copies `path` */
void fo_paths_dispose(fo_paths *p);

/* Plans `proposed` for a block: computed attributes left unset become unknown
 * on create and on any change (kept from prior when use-state-for-unknown,
 * or when nothing changed), unset optional+computed attributes with a default
 * get the default. The same applies inside nested blocks and nested
 * attributes: SINGLE/GROUP with their prior object, LIST elements by index,
 * MAP elements by key; a SET element equal to a prior element is kept as it
 * is, any other is planned like a create. `prior` is null on create. *out is
 * a new reference. */
int fo_plan_block(fo_cty_value **out, const fo_block *b, const fo_cty_value *prior, const fo_cty_value *config,
                  const fo_cty_value *proposed);

/* Requires-replace paths: attributes flagged FO_ATTR_REQUIRES_REPLACE whose
 * planned value differs from prior (or is unknown), at any depth: nested
 * LIST elements are compared by index, MAP elements by key (new elements do
 * not force replacement); for a SET, the set's own path when one of its
 * planned elements matches no prior element on its requires-replace
 * attributes. Nothing on create. */
int fo_plan_replace_paths(fo_paths *out, const fo_block *b, const fo_cty_value *prior, const fo_cty_value *planned);

/* Terraform's planned-value validity rules (7.3) applied to our own plan:
 * violations become error diagnostics naming the attribute (a provider bug,
 * said clearly, instead of "Provider produced invalid plan"). Returns 1 if valid. */
int fo_plan_check(const fo_block *b, const fo_cty_value *prior, const fo_cty_value *config, const fo_cty_value *planned,
                  fo_diags *d);

/* Terraform's apply-result rules (7.5) applied to our result: conforms, wholly
 * known, every known planned value unchanged. Returns 1 if consistent. */
int fo_apply_check(const fo_block *b, const fo_cty_value *planned, const fo_cty_value *new_state, fo_diags *d);

#endif
