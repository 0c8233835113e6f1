/* Managed resource RPCs: ValidateResourceConfig, UpgradeResourceState,
 * ReadResource, PlanResourceChange, ApplyResourceChange, ImportResourceState.
 * The framework's checks run on our own results before they are sent. */
#include <string.h>

#include "fo_cty_codec.h"
#include "fo_dynval.h"
#include "fo_err.h"
#include "fo_log.h"
#include "fo_plan.h"
#include "fo_rpc_handlers.h"
#include "fo_rpc_service.h"
#include "fo_rpc_util.h"

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

/* A callback failed: make sure the user sees why. */
static void callback_failed(fo_diags *d, const char *summary) {
  if (!fo_diags_has_error(d))
    fo_diags_from_err(d, NULL, summary);
}

/* A state we are about to send must conform and be wholly known (7.6-7.8). */
static int check_state(const fo_cty_value *v, const fo_cty_type *t, const char *what, fo_diags *d) {
  if (!fo_cty_value_conforms(v, t)) {
    fo_diags_error(d, NULL, "Provider produced an invalid state",
                   "the %s does not conform to the schema. This is a bug in the failover provider.", what);
    return FO_EINVAL;
  }
  if (!fo_cty_is_null(v) && !fo_cty_is_wholly_known(v)) {
    fo_diags_error(d, NULL, "Provider produced an invalid state",
                   "the %s contains unknown values. This is a bug in the failover provider.", what);
    return FO_EINVAL;
  }
  return FO_OK;
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
      fo_dynval_decode(&config, res.t, rq->config, "config", &rc.d) == FO_OK) {
    fo_schema_validate(&res.r->schema->block, config, &rc.d);
    if (res.r->validate)
      res.r->validate(&rc.c, config);
  }
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
  if (rq->version > res.r->schema->version || rq->version < 0) {
    fo_diags_error(&rc.d, NULL, "Cannot upgrade state",
                   "the state of this %s was written with schema version %lld; this provider knows versions 0 to %lld",
                   rq->type_name, (long long)rq->version, (long long)res.r->schema->version);
    goto send;
  }
  if (rq->raw_state && rq->raw_state->json.len > 0) {
    /* Attributes no longer in the schema are dropped; new ones start null. */
    if (fo_cty_json_decode(&state, res.t, (const char *)rq->raw_state->json.data, rq->raw_state->json.len, 1) < 0) {
      fo_diags_error(&rc.d, NULL, "Cannot upgrade state", "raw_state: %s", fo_err_last());
      goto send;
    }
  } else if (rq->raw_state && rq->raw_state->n_flatmap > 0) {
    fo_diags_error(&rc.d, NULL, "Cannot upgrade state",
                   "the state of this %s is in the legacy flatmap format, which this provider never wrote",
                   rq->type_name);
    goto send;
  } else if (!(state = fo_cty_null(res.t))) {
    goto send;
  }
  if (check_state(state, res.t, "upgraded state", &rc.d) == FO_OK &&
      !(rs.upgraded_state = fo_dynval_encode(&rc.a, state, res.t)))
    fo_diags_from_err(&rc.d, NULL, "Cannot encode the upgraded state");
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
  if (fo_cty_is_null(current)) {
    next = fo_cty_value_ref(current);
  } else if (res.r->read(&rc.c, current, &next) < 0) {
    callback_failed(&rc.d, "Cannot read the resource");
    /* Keep what Terraform has: an error must not drop the object from state. */
    fo_cty_value_unref(next);
    next = fo_cty_value_ref(current);
  } else if (!next && !(next = fo_cty_null(res.t))) {
    goto send; /* gone: null new_state makes Terraform plan a create */
  }
  if (check_state(next, res.t, "refreshed state", &rc.d) == FO_OK &&
      !(rs.new_state = fo_dynval_encode(&rc.a, next, res.t)))
    fo_diags_from_err(&rc.d, NULL, "Cannot encode the refreshed state");
  if (fo_rpc_private_end(&rc, &rs.private_) < 0)
    fo_diags_error(&rc.d, NULL, "Cannot read the resource", "out of memory");
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
    Tfplugin6__AttributePath *ap = fo_path_to_proto(a, &p->items[i]);
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
  if (fo_cty_is_null(proposed)) {
    planned = fo_cty_value_ref(proposed); /* destroy */
  } else {
    if (fo_plan_block(&planned, &res.r->schema->block, prior, config, proposed) < 0) {
      fo_diags_from_err(&rc.d, NULL, "Cannot plan the change");
      goto send;
    }
    if (res.r->modify_plan && res.r->modify_plan(&rc.c, prior, config, &planned) < 0) {
      callback_failed(&rc.d, "Cannot plan the change");
      goto send;
    }
    if (fo_diags_has_error(&rc.d))
      goto send;
    /* Our own plan must pass Terraform's rules; say so clearly if not. */
    if (!fo_plan_check(&res.r->schema->block, prior, config, planned, &rc.d))
      goto send;
    if (!fo_cty_is_null(prior) && (fo_plan_replace_paths(&replace, &res.r->schema->block, prior, planned) < 0 ||
                                   paths_to_proto(&rc.a, &replace, &rs.requires_replace, &rs.n_requires_replace) < 0)) {
      fo_diags_from_err(&rc.d, NULL, "Cannot plan the change");
      goto send;
    }
  }
  if (!(rs.planned_state = fo_dynval_encode(&rc.a, planned, res.t)))
    fo_diags_from_err(&rc.d, NULL, "Cannot encode the planned state");
  if (fo_rpc_private_end(&rc, &rs.planned_private) < 0)
    fo_diags_error(&rc.d, NULL, "Cannot plan the change", "out of memory");
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
  int status, error;

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
  } else if (fo_call_cancelled(&rc.c)) {
    fo_diags_error(&rc.d, NULL, "Cancelled", "the provider was asked to stop before applying this change");
    out = fo_cty_value_ref(prior);
  } else if (fo_cty_is_null(planned)) {
    if ((error = res.r->destroy(&rc.c, prior)) < 0) {
      callback_failed(&rc.d, "Cannot delete the resource");
      out = fo_cty_value_ref(prior); /* still exists */
    } else {
      out = fo_cty_value_ref(planned);
    }
  } else {
    int creating = fo_cty_is_null(prior);
    error = creating ? res.r->create(&rc.c, planned, config, &out) : res.r->update(&rc.c, prior, planned, config, &out);
    if (error < 0 && out) {
      /* Partial state: what exists is saved with the error, so the next plan repairs it. */
      callback_failed(&rc.d, creating ? "Cannot create the resource" : "Cannot update the resource");
      if (check_state(out, res.t, "partial state returned with the error", &rc.d) < 0) {
        fo_cty_value_unref(out);
        out = fo_cty_value_ref(prior);
      }
    } else if (error < 0 || !out) {
      callback_failed(&rc.d, creating ? "Cannot create the resource" : "Cannot update the resource");
      fo_cty_value_unref(out);
      out = fo_cty_value_ref(prior); /* create: null, nothing saved; update: keep prior */
    } else if (!fo_apply_check(&res.r->schema->block, planned, out, &rc.d)) {
      FO_ERROR("%s: apply result inconsistent with the plan", rq->type_name);
      fo_cty_value_unref(out);
      out = fo_cty_value_ref(prior);
    }
  }
  if (!(rs.new_state = fo_dynval_encode(&rc.a, out, res.t)))
    fo_diags_from_err(&rc.d, NULL, "Cannot encode the new state");
  if (fo_rpc_private_end(&rc, &rs.private_) < 0)
    fo_diags_error(&rc.d, NULL, "Cannot apply the change", "out of memory");
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
  if (!res.r->import) {
    fo_diags_error(&rc.d, NULL, "Import not supported", "%s cannot be imported", rq->type_name);
    goto send;
  }
  if (fo_rpc_private_begin(&rc, NULL) < 0 || res.r->import(&rc.c, rq->id, &state) < 0 || !state) {
    callback_failed(&rc.d, "Cannot import the resource");
    goto send;
  }
  if (check_state(state, res.t, "imported state", &rc.d) < 0 || fo_cty_is_null(state))
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
  if (fo_rpc_private_end(&rc, &ir->private_) < 0) {
    fo_diags_error(&rc.d, NULL, "Cannot import the resource", "out of memory");
    goto send;
  }
  rs.imported_resources[0] = ir;
  rs.n_imported_resources = 1;
send:
  fo_cty_value_unref(state);
  fo_cty_type_unref(res.t);
  return fo_rpc_end(&rc, &rs.base, &rs.diagnostics, &rs.n_diagnostics, resp);
}
