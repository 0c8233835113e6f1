/* ValidateProviderConfig, ConfigureProvider, StopProvider: the provider block
 * and the process's lifecycle. */
#include "fo_dynval.h"
#include "fo_err.h"
#include "fo_log.h"
#include "fo_provider.h"
#include "fo_provider_config.h"
#include "fo_rpc_handlers.h"
#include "fo_rpc_service.h"
#include "fo_rpc_util.h"

/* Decode a provider config DynamicValue; diagnostics on failure. */
static int decode_config(fo_cty_value **out, const Tfplugin6__DynamicValue *dv, fo_diags *d) {
  fo_cty_type *t = fo_schema_block_type(&fo_provider_schema()->block);
  int error;
  if (!t)
    return fo_diags_from_err(d, NULL, "Provider schema error"), FO_ERR;
  error = fo_dynval_decode(out, t, dv, "config", d);
  fo_cty_type_unref(t);
  return error;
}

int fo_rpc_validate_provider_config(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__ValidateProviderConfig__Response rs = TFPLUGIN6__VALIDATE_PROVIDER_CONFIG__RESPONSE__INIT;
  Tfplugin6__ValidateProviderConfig__Request *rq;
  fo_cty_value *config = NULL;
  fo_rpc_call rc;
  int status;

  if ((status = fo_rpc_begin(&rc, ctx, &tfplugin6__validate_provider_config__request__descriptor,
                             "ValidateProviderConfig", req, len)))
    return status;
  rq = (Tfplugin6__ValidateProviderConfig__Request *)rc.req;
  if (decode_config(&config, rq->config, &rc.d) == FO_OK)
    fo_provider_config_validate(config, &rc.d);
  fo_cty_value_unref(config);
  return fo_rpc_end(&rc, &rs.base, &rs.diagnostics, &rs.n_diagnostics, resp);
}

int fo_rpc_configure_provider(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__ConfigureProvider__Response rs = TFPLUGIN6__CONFIGURE_PROVIDER__RESPONSE__INIT;
  Tfplugin6__ConfigureProvider__Request *rq;
  fo_cty_value *config = NULL;
  fo_provider *p = NULL;
  fo_rpc_call rc;
  int status;

  if ((status =
           fo_rpc_begin(&rc, ctx, &tfplugin6__configure_provider__request__descriptor, "ConfigureProvider", req, len)))
    return status;
  rq = (Tfplugin6__ConfigureProvider__Request *)rc.req;
  FO_DEBUG("ConfigureProvider from terraform %s", rq->terraform_version);
  if (decode_config(&config, rq->config, &rc.d) == FO_OK) {
    if (fo_provider_new(&p, config, NULL, &rc.d) < 0) {
      if (!fo_diags_has_error(&rc.d))
        fo_diags_from_err(&rc.d, NULL, "Cannot configure the provider");
    } else {
      /* calls already running keep the instance they started with */
      fo_rpc_provider_install(p);
    }
  }
  fo_cty_value_unref(config);
  return fo_rpc_end(&rc, &rs.base, &rs.diagnostics, &rs.n_diagnostics, resp);
}

int fo_rpc_stop_provider(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__StopProvider__Response rs = TFPLUGIN6__STOP_PROVIDER__RESPONSE__INIT;
  fo_rpc_call rc;
  int status;

  if ((status = fo_rpc_begin(&rc, ctx, &tfplugin6__stop_provider__request__descriptor, "StopProvider", req, len)))
    return status;
  FO_INFO("StopProvider: cancelling in-flight work");
  if (ctx)
    fo_rpc_request_stop(ctx);
  return fo_rpc_end(&rc, &rs.base, NULL, NULL, resp);
}
