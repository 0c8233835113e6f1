/* fo_rpc_handlers: the tfplugin6.Provider RPC implementations behind
 * fo_provider_methods(), exposed so tests and fuzzers can call them directly. */
#ifndef FO_RPC_HANDLERS_H
#define FO_RPC_HANDLERS_H

#include "fo_rpc.h"
#include "fo_rpc_service.h"

int fo_rpc_get_metadata(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);
int fo_rpc_get_provider_schema(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);
int fo_rpc_get_functions(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);
int fo_rpc_validate_provider_config(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);
int fo_rpc_configure_provider(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);
int fo_rpc_stop_provider(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);
int fo_rpc_validate_resource_config(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);
int fo_rpc_upgrade_resource_state(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);
int fo_rpc_read_resource(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);
int fo_rpc_plan_resource_change(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);
int fo_rpc_apply_resource_change(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);
int fo_rpc_import_resource_state(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);
int fo_rpc_validate_data_resource_config(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);
int fo_rpc_read_data_source(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);
int fo_rpc_call_function(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp);

#endif
