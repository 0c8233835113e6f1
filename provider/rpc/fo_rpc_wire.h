/* fo_rpc_wire: the framework's schemas, attribute paths and diagnostics as
 * tfplugin6 protobuf messages (the only place they meet the wire, with fo_dynval.h). */
#ifndef FO_RPC_WIRE_H
#define FO_RPC_WIRE_H

#include "fo_arena.h"
#include "fo_cty_path.h"
#include "fo_diag.h"
#include "fo_schema.h"
#include "tfplugin6.pb-c.h"

/* protobuf-c tree in `a`. Type strings are normalised through the cty parser. */
Tfplugin6__Schema *fo_rpc_schema_to_proto(fo_arena *a, const fo_schema *s);

/* The path as protobuf steps, allocated in `a`; NULL for the empty path
 * (and on out of memory: the diagnostic is then sent without a path). */
Tfplugin6__AttributePath *fo_rpc_path_to_proto(fo_arena *a, const fo_cty_path *path);

/* The diagnostics as a protobuf array in `a` (for `n_diagnostics`/`diagnostics`). */
int fo_rpc_diags_to_proto(Tfplugin6__Diagnostic ***out, size_t *n_out, fo_arena *a, const fo_diags *d);

#endif
