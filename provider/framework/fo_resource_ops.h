/* fo_resource_ops: the framework's sequences for one resource or data source
 * call, on cty values only (validate; read; plan -> modify -> check; apply ->
 * check; import; upgrade). The rpc layer decodes the wire, calls these and
 * encodes what they return; resources only see their callbacks. */
#ifndef FO_RESOURCE_OPS_H
#define FO_RESOURCE_OPS_H

#include <stdint.h>

#include "fo_plan.h"
#include "fo_resource.h"

/* Every function: `t` is the schema's object type (fo_schema_block_type),
 * problems go to c->diags, `*out` values are new references (NULL: send none). */

/* Schema validators, then the resource's own check. */
void fo_resource_validate(const fo_resource *r, fo_call *c, const fo_cty_value *config);

/* UpgradeResourceState: the JSON state written with schema `version`
 * (len 0: none, a null state) as a value of today's schema. */
int fo_resource_upgrade(const fo_resource *r, fo_call *c, const fo_cty_type *t, int64_t version, const char *json,
                        size_t len, fo_cty_value **out);

/* ReadResource: the refreshed state; a null value when the object is gone;
 * the current state again when the read fails (an error must not drop the
 * object from state). */
int fo_resource_read(const fo_resource *r, fo_call *c, const fo_cty_type *t, const fo_cty_value *current,
                     fo_cty_value **out);

/* PlanResourceChange: the framework's plan (defaults, computed unknowns,
 * use-state), the resource's modify_plan, then Terraform's rules on the
 * result; `replace` gets the requires-replace paths (an update of an existing
 * object only). A null `proposed` is a destroy. */
int fo_resource_plan(const fo_resource *r, fo_call *c, const fo_cty_value *prior, const fo_cty_value *config,
                     const fo_cty_value *proposed, fo_cty_value **planned, fo_paths *replace);

/* ApplyResourceChange: create, update or destroy (a null `planned`). `*out`
 * is always the state to save: the result; on failure the partial state a
 * create/update returned with its error (when it conforms), else the prior. */
int fo_resource_apply(const fo_resource *r, fo_call *c, const fo_cty_type *t, const fo_cty_value *prior,
                      const fo_cty_value *planned, const fo_cty_value *config, fo_cty_value **out);

/* ImportResourceState: the imported state (NULL with diagnostics on failure). */
int fo_resource_import(const fo_resource *r, fo_call *c, const fo_cty_type *t, const char *id, fo_cty_value **out);

/* Data sources: validate, and read with Terraform's rules on the result. */
void fo_data_source_validate(const fo_data_source *ds, fo_call *c, const fo_cty_value *config);
int fo_data_source_read(const fo_data_source *ds, fo_call *c, const fo_cty_type *t, const fo_cty_value *config,
                        fo_cty_value **out);

#endif
