/* Managed resource RPCs: ValidateResourceConfig, UpgradeResourceState,
 * ReadResource, PlanResourceChange, ApplyResourceChange, ImportResourceState.
 * Each decodes the request into values, runs the framework's sequence
 * (fo_resource_ops.h) and encodes the result. */
#include <string.h>

#include "fo_dynval.h"
#include "fo_err.h"
#include "fo_resource_ops.h"
#include "fo_rpc_handlers.h"
#include "fo_rpc_service.h"
#include "fo_rpc_util.h"
#include "fo_rpc_wire.h"

/* The resource and its object type, for one request. */
typedef struct res_call {
  const fo_resource *r;
  fo_cty_type *t;
} res_call;

static int res_lookup(res_call *rc, const char *type_name, fo_diags *d) {
  rc->r = fo_registry_resource(fo_rpc_registry(), type_name);
  rc->t = NULL;
  if (!rc->r) {
    fo_rpc_unknown_type(d, "resource type", type_name);
    return FO_ENOTFOUND;
  }
  if (!(rc->t = fo_schema_block_type(&rc->r->schema->block))) {
    fo_diags_from_err(d, NULL, "Provider schema error");
    return FO_ERR;
  }
  return FO_OK;
}

/* `v` (may be NULL: nothing to send) as the response's DynamicValue field. */
static void send_value(fo_rpc_call *rc, Tfplugin6__DynamicValue **field, const fo_cty_value *v, const fo_cty_type *t,
                       const char *what) {
  if (v && !(*field = fo_dynval_encode(&rc->a, v, t)))
    fo_diags_from_err(&rc->d, NULL, what);
}

/* The private state the callbacks wrote, into the response field. */
static void send_private(fo_rpc_call *rc, ProtobufCBinaryData *field) {
  if (fo_rpc_private_end(rc, field) < 0)
    fo_diags_error(&rc->d, NULL, "Cannot send the private state", "out of memory");
}

int fo_rpc_validate_resource_config(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__ValidateResourceConfig__Response rs = TFPLUGIN6__VALIDATE_RESOURCE_CONFIG__RESPONSE__INIT;
  Tfplugin6__ValidateResourceConfig__Request *rq;
  fo_cty_value *config = NULL;
  fo_rpc_call rc;
  res_call res = {0};
  int status;

  if ((status = fo_rpc_begin(&rc, ctx, &tfplugin6__validate_resource_config__request__descriptor,
                             "ValidateResourceConfig", req, len)))
    return status;
  rq = (Tfplugin6__ValidateResourceConfig__Request *)rc.req;
  if (res_lookup(&res, rq->type_name, &rc.d) == FO_OK &&
      fo_dynval_decode(&config, res.t, rq->config, "config", &rc.d) == FO_OK)
    fo_resource_validate(res.r, &rc.c, config);
  fo_cty_value_unref(config);
  fo_cty_type_unref(res.t);
  return fo_rpc_end(&rc, &rs.base, &rs.diagnostics, &rs.n_diagnostics, resp);
}

int fo_rpc_upgrade_resource_state(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__UpgradeResourceState__Response rs = TFPLUGIN6__UPGRADE_RESOURCE_STATE__RESPONSE__INIT;
  Tfplugin6__UpgradeResourceState__Request *rq;
  fo_cty_value *state = NULL;
  fo_rpc_call rc;
  res_call res = {0};
  int status;

  if ((status = fo_rpc_begin(&rc, ctx, &tfplugin6__upgrade_resource_state__request__descriptor, "UpgradeResourceState",
                             req, len)))
    return status;
  rq = (Tfplugin6__UpgradeResourceState__Request *)rc.req;
  if (res_lookup(&res, rq->type_name, &rc.d) < 0)
    goto send;
  if (rq->raw_state && !rq->raw_state->json.len && rq->raw_state->n_flatmap > 0) {
    fo_diags_error(&rc.d, NULL, "Cannot upgrade state",
                   "the state of this %s is in the legacy flatmap format, which this provider never wrote",
                   rq->type_name);
    goto send;
  }
  if (fo_resource_upgrade(res.r, &rc.c, res.t, rq->version,
                          rq->raw_state ? (const char *)rq->raw_state->json.data : NULL,
                          rq->raw_state ? rq->raw_state->json.len : 0, &state) == FO_OK)
    send_value(&rc, &rs.upgraded_state, state, res.t, "Cannot encode the upgraded state");
send:
  fo_cty_value_unref(state);
  fo_cty_type_unref(res.t);
  return fo_rpc_end(&rc, &rs.base, &rs.diagnostics, &rs.n_diagnostics, resp);
}

int fo_rpc_read_resource(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__ReadResource__Response rs = TFPLUGIN6__READ_RESOURCE__RESPONSE__INIT;
  Tfplugin6__ReadResource__Request *rq;
  fo_cty_value *current = NULL, *next = NULL;
  fo_rpc_call rc;
  res_call res = {0};
  int status;

  if ((status = fo_rpc_begin(&rc, ctx, &tfplugin6__read_resource__request__descriptor, "ReadResource", req, len)))
    return status;
  rq = (Tfplugin6__ReadResource__Request *)rc.req;
  if (res_lookup(&res, rq->type_name, &rc.d) < 0 ||
      fo_dynval_decode(&current, res.t, rq->current_state, "current_state", &rc.d) < 0)
    goto send;
  /* Private data is replaced by the response's: the callback may change it, else it is echoed. */
  if (fo_rpc_private_begin(&rc, &rq->private_) < 0) {
    fo_diags_error(&rc.d, NULL, "Cannot read the resource", "out of memory");
    goto send;
  }
  fo_resource_read(res.r, &rc.c, res.t, current, &next);
  send_value(&rc, &rs.new_state, next, res.t, "Cannot encode the refreshed state");
  send_private(&rc, &rs.private_);
send:
  fo_cty_value_unref(current);
  fo_cty_value_unref(next);
  fo_cty_type_unref(res.t);
  return fo_rpc_end(&rc, &rs.base, &rs.diagnostics, &rs.n_diagnostics, resp);
}

static int paths_to_proto(fo_arena *a, const fo_paths *p, Tfplugin6__AttributePath ***out, size_t *n_out) {
  *n_out = 0;
  if (!p->n)
    return FO_OK;
  if (!(*out = (Tfplugin6__AttributePath **)fo_arena_ptrs(a, p->n)))
    return FO_ENOMEM;
  for (size_t i = 0; i < p->n; i++) {
    Tfplugin6__AttributePath *ap = fo_rpc_path_to_proto(a, &p->items[i]);
    if (!ap)
      return FO_ENOMEM;
    (*out)[(*n_out)++] = ap;
  }
  return FO_OK;
}

int fo_rpc_plan_resource_change(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__PlanResourceChange__Response rs = TFPLUGIN6__PLAN_RESOURCE_CHANGE__RESPONSE__INIT;
  Tfplugin6__PlanResourceChange__Request *rq;
  fo_cty_value *prior = NULL, *proposed = NULL, *config = NULL, *planned = NULL;
  fo_paths replace = {0};
  fo_rpc_call rc;
  res_call res = {0};
  int status;

  if ((status = fo_rpc_begin(&rc, ctx, &tfplugin6__plan_resource_change__request__descriptor, "PlanResourceChange", req,
                             len)))
    return status;
  rq = (Tfplugin6__PlanResourceChange__Request *)rc.req;
  if (res_lookup(&res, rq->type_name, &rc.d) < 0 ||
      fo_dynval_decode(&prior, res.t, rq->prior_state, "prior_state", &rc.d) < 0 ||
      fo_dynval_decode(&proposed, res.t, rq->proposed_new_state, "proposed_new_state", &rc.d) < 0 ||
      fo_dynval_decode(&config, res.t, rq->config, "config", &rc.d) < 0)
    goto send;
  if (fo_rpc_private_begin(&rc, &rq->prior_private) < 0) {
    fo_diags_error(&rc.d, NULL, "Cannot plan the change", "out of memory");
    goto send;
  }
  if (fo_resource_plan(res.r, &rc.c, prior, config, proposed, &planned, &replace) < 0)
    goto send;
  if (paths_to_proto(&rc.a, &replace, &rs.requires_replace, &rs.n_requires_replace) < 0) {
    fo_diags_error(&rc.d, NULL, "Cannot plan the change", "out of memory");
    goto send;
  }
  send_value(&rc, &rs.planned_state, planned, res.t, "Cannot encode the planned state");
  send_private(&rc, &rs.planned_private);
send:
  fo_paths_dispose(&replace);
  fo_cty_value_unref(prior);
  fo_cty_value_unref(proposed);
  fo_cty_value_unref(config);
  fo_cty_value_unref(planned);
  fo_cty_type_unref(res.t);
  return fo_rpc_end(&rc, &rs.base, &rs.diagnostics, &rs.n_diagnostics, resp);
}

int fo_rpc_apply_resource_change(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__ApplyResourceChange__Response rs = TFPLUGIN6__APPLY_RESOURCE_CHANGE__RESPONSE__INIT;
  Tfplugin6__ApplyResourceChange__Request *rq;
  fo_cty_value *prior = NULL, *planned = NULL, *config = NULL, *out = NULL;
  fo_rpc_call rc;
  res_call res = {0};
  int status;

  if ((status = fo_rpc_begin(&rc, ctx, &tfplugin6__apply_resource_change__request__descriptor, "ApplyResourceChange",
                             req, len)))
    return status;
  rq = (Tfplugin6__ApplyResourceChange__Request *)rc.req;
  if (res_lookup(&res, rq->type_name, &rc.d) < 0 ||
      fo_dynval_decode(&prior, res.t, rq->prior_state, "prior_state", &rc.d) < 0 ||
      fo_dynval_decode(&planned, res.t, rq->planned_state, "planned_state", &rc.d) < 0 ||
      fo_dynval_decode(&config, res.t, rq->config, "config", &rc.d) < 0)
    goto send;
  if (fo_rpc_private_begin(&rc, &rq->planned_private) < 0) {
    fo_diags_error(&rc.d, NULL, "Cannot apply the change", "out of memory");
    out = fo_cty_value_ref(prior);
  } else {
    /* errors are in the diagnostics; `out` is what to save either way */
    fo_resource_apply(res.r, &rc.c, res.t, prior, planned, config, &out);
  }
  send_value(&rc, &rs.new_state, out, res.t, "Cannot encode the new state");
  send_private(&rc, &rs.private_);
send:
  fo_cty_value_unref(prior);
  fo_cty_value_unref(planned);
  fo_cty_value_unref(config);
  fo_cty_value_unref(out);
  fo_cty_type_unref(res.t);
  return fo_rpc_end(&rc, &rs.base, &rs.diagnostics, &rs.n_diagnostics, resp);
}

int fo_rpc_import_resource_state(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__ImportResourceState__Response rs = TFPLUGIN6__IMPORT_RESOURCE_STATE__RESPONSE__INIT;
  Tfplugin6__ImportResourceState__Request *rq;
  Tfplugin6__ImportResourceState__ImportedResource *ir;
  fo_cty_value *state = NULL;
  fo_rpc_call rc;
  res_call res = {0};
  int status;

  if ((status = fo_rpc_begin(&rc, ctx, &tfplugin6__import_resource_state__request__descriptor, "ImportResourceState",
                             req, len)))
    return status;
  rq = (Tfplugin6__ImportResourceState__Request *)rc.req;
  if (res_lookup(&res, rq->type_name, &rc.d) < 0)
    goto send;
  if (fo_rpc_private_begin(&rc, NULL) < 0 || fo_resource_import(res.r, &rc.c, res.t, rq->id, &state) < 0)
    goto send;
  ir = fo_arena_alloc(&rc.a, sizeof(*ir));
  rs.imported_resources = (Tfplugin6__ImportResourceState__ImportedResource **)fo_arena_ptrs(&rc.a, 1);
  if (!ir || !rs.imported_resources) {
    fo_diags_error(&rc.d, NULL, "Cannot import the resource", "out of memory");
    goto send;
  }
  tfplugin6__import_resource_state__imported_resource__init(ir);
  ir->type_name = fo_arena_strdup(&rc.a, rq->type_name);
  if (!(ir->state = fo_dynval_encode(&rc.a, state, res.t))) {
    fo_diags_from_err(&rc.d, NULL, "Cannot encode the imported state");
    goto send;
  }
  send_private(&rc, &ir->private_);
  rs.imported_resources[0] = ir;
  rs.n_imported_resources = 1;
send:
  fo_cty_value_unref(state);
  fo_cty_type_unref(res.t);
  return fo_rpc_end(&rc, &rs.base, &rs.diagnostics, &rs.n_diagnostics, resp);
}
