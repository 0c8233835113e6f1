/* Data source RPCs: ValidateDataResourceConfig, ReadDataSource. */
#include "fo_dynval.h"
#include "fo_err.h"
#include "fo_plan.h"
#include "fo_rpc_handlers.h"
#include "fo_rpc_service.h"
#include "fo_rpc_util.h"

static const fo_data_source *ds_lookup(const char *type_name, fo_cty_type **t, fo_diags *d) {
  const fo_data_source *ds = fo_registry_data_source(fo_rpc_registry(), type_name);
  *t = NULL;
  if (!ds) {
    fo_rpc_unknown_type(d, "data source", type_name);
    return NULL;
  }
  if (!(*t = fo_schema_block_type(&ds->schema->block))) {
    fo_diags_from_err(d, NULL, "Provider schema error");
    return NULL;
  }
  return ds;
}

int fo_rpc_validate_data_resource_config(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__ValidateDataResourceConfig__Response rs = TFPLUGIN6__VALIDATE_DATA_RESOURCE_CONFIG__RESPONSE__INIT;
  Tfplugin6__ValidateDataResourceConfig__Request *rq;
  const fo_data_source *ds;
  fo_cty_type *t = NULL;
  fo_cty_value *config = NULL;
  fo_rpc_call rc;
  int status;

  if ((status = fo_rpc_begin(&rc, ctx, &tfplugin6__validate_data_resource_config__request__descriptor,
                             "ValidateDataResourceConfig", req, len)))
    return status;
  rq = (Tfplugin6__ValidateDataResourceConfig__Request *)rc.req;
  if ((ds = ds_lookup(rq->type_name, &t, &rc.d)) &&
      fo_dynval_decode(&config, t, rq->config, "config", &rc.d) == FO_OK) {
    fo_schema_validate(&ds->schema->block, config, &rc.d);
    if (ds->validate)
      ds->validate(&rc.c, config);
  }
  fo_cty_value_unref(config);
  fo_cty_type_unref(t);
  return fo_rpc_end(&rc, &rs.base, &rs.diagnostics, &rs.n_diagnostics, resp);
}

int fo_rpc_read_data_source(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__ReadDataSource__Response rs = TFPLUGIN6__READ_DATA_SOURCE__RESPONSE__INIT;
  Tfplugin6__ReadDataSource__Request *rq;
  const fo_data_source *ds;
  fo_cty_type *t = NULL;
  fo_cty_value *config = NULL, *state = NULL;
  fo_rpc_call rc;
  int status;

  if ((status = fo_rpc_begin(&rc, ctx, &tfplugin6__read_data_source__request__descriptor, "ReadDataSource", req, len)))
    return status;
  rq = (Tfplugin6__ReadDataSource__Request *)rc.req;
  if (!(ds = ds_lookup(rq->type_name, &t, &rc.d)) || fo_dynval_decode(&config, t, rq->config, "config", &rc.d) < 0)
    goto send;
  if (fo_cty_is_null(config) || !fo_cty_is_wholly_known(config)) {
    fo_diags_error(&rc.d, NULL, "Invalid request value", "config: a data source is read with a known configuration");
    goto send;
  }
  if (ds->read(&rc.c, config, &state) < 0 || !state) {
    if (!fo_diags_has_error(&rc.d))
      fo_diags_from_err(&rc.d, NULL, "Cannot read the data source");
    goto send;
  }
  if (fo_diags_has_error(&rc.d))
    goto send;
  /* Terraform's rules: non-null, wholly known, configured values unchanged. */
  if (!fo_cty_value_conforms(state, t) || fo_cty_is_null(state) || !fo_cty_is_wholly_known(state) ||
      !fo_plan_check(&ds->schema->block, NULL, config, state, &rc.d)) {
    if (!fo_diags_has_error(&rc.d))
      fo_diags_error(&rc.d, NULL, "Provider produced an invalid data source result",
                     "the result is null, does not conform, or has unknown values. This is a bug in the failover "
                     "provider.");
    goto send;
  }
  if (!(rs.state = fo_dynval_encode(&rc.a, state, t)))
    fo_diags_from_err(&rc.d, NULL, "Cannot encode the data source result");
send:
  fo_cty_value_unref(config);
  fo_cty_value_unref(state);
  fo_cty_type_unref(t);
  return fo_rpc_end(&rc, &rs.base, &rs.diagnostics, &rs.n_diagnostics, resp);
}
