/* libFuzzer target: arbitrary bytes into every tfplugin6 handler in the
 * provider's method table. The first byte picks the handler and the mode:
 * raw (the rest is the serialized request) or structured (the rest is the
 * msgpack/JSON payload of a well-formed request, to reach the value decoders,
 * the planner and the resource callbacks). Nothing may crash or leak. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <protobuf-c/protobuf-c.h>

#include "fo_buf.h"
#include "fo_log.h"
#include "fo_rpc.h"
#include "fo_resources.h"
#include "fo_rpc_handlers.h"
#include "tfplugin6.pb-c.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fo_log_setup(FO_LOG_OFF, FO_LOG_FORMAT_TEXT, "fuzz"); /* rejected input is expected, not news */
  return 0;
}

/* Handlers run with a detached context (fo_rpc.h): no transport needed. */
static void call(fo_rpc_unary_fn fn, const uint8_t *req, size_t len) {
  fo_rpc_ctx *ctx = fo_rpc_ctx_new_detached();
  fo_buf resp = FO_BUF_INIT;
  if (!ctx)
    return;
  fn(ctx, req, len, &resp);
  fo_buf_dispose(&resp);
  fo_rpc_ctx_free_detached(ctx);
}

static void run(fo_rpc_unary_fn fn, const ProtobufCMessage *msg) {
  uint8_t buf[1 << 16];
  size_t len = protobuf_c_message_get_packed_size(msg);
  if (len > sizeof(buf))
    return;
  protobuf_c_message_pack(msg, buf);
  call(fn, buf, len);
}

static void structured(unsigned mode, const uint8_t *data, size_t size) {
  Tfplugin6__DynamicValue dv = TFPLUGIN6__DYNAMIC_VALUE__INIT, *dvs[4] = {&dv, &dv, &dv, &dv};
  char *type_name = (char *)((mode & 1) ? "failover_switch" : "failover_regions");
  dv.msgpack.data = (uint8_t *)data;
  dv.msgpack.len = size;
  switch (mode & 7) {
    case 0: {
      Tfplugin6__ValidateProviderConfig__Request rq = TFPLUGIN6__VALIDATE_PROVIDER_CONFIG__REQUEST__INIT;
      rq.config = &dv;
      run(fo_rpc_validate_provider_config, &rq.base);
      break;
    }
    case 1: {
      Tfplugin6__ValidateResourceConfig__Request rq = TFPLUGIN6__VALIDATE_RESOURCE_CONFIG__REQUEST__INIT;
      rq.type_name = type_name;
      rq.config = &dv;
      run(fo_rpc_validate_resource_config, &rq.base);
      break;
    }
    case 2: {
      Tfplugin6__ReadDataSource__Request rq = TFPLUGIN6__READ_DATA_SOURCE__REQUEST__INIT;
      rq.type_name = type_name;
      rq.config = &dv;
      run(fo_rpc_read_data_source, &rq.base);
      break;
    }
    case 3: {
      Tfplugin6__PlanResourceChange__Request rq = TFPLUGIN6__PLAN_RESOURCE_CHANGE__REQUEST__INIT;
      rq.type_name = type_name;
      rq.prior_state = &dv;
      rq.proposed_new_state = &dv;
      rq.config = &dv;
      run(fo_rpc_plan_resource_change, &rq.base);
      break;
    }
    case 4: {
      Tfplugin6__CallFunction__Request rq = TFPLUGIN6__CALL_FUNCTION__REQUEST__INIT;
      rq.name = (char *)((mode & 8) ? "counterpart" : "weights");
      rq.arguments = dvs;
      rq.n_arguments = (mode & 8) ? 3 : 1;
      run(fo_rpc_call_function, &rq.base);
      break;
    }
    case 5: {
      Tfplugin6__ApplyResourceChange__Request rq = TFPLUGIN6__APPLY_RESOURCE_CHANGE__REQUEST__INIT;
      rq.type_name = type_name;
      rq.prior_state = &dv;
      rq.planned_state = &dv;
      rq.config = &dv;
      run(fo_rpc_apply_resource_change, &rq.base);
      break;
    }
    case 6: {
      Tfplugin6__ReadResource__Request rq = TFPLUGIN6__READ_RESOURCE__REQUEST__INIT;
      rq.type_name = type_name;
      rq.current_state = &dv;
      run(fo_rpc_read_resource, &rq.base);
      break;
    }
    default: {
      Tfplugin6__UpgradeResourceState__Request rq = TFPLUGIN6__UPGRADE_RESOURCE_STATE__REQUEST__INIT;
      Tfplugin6__RawState raw = TFPLUGIN6__RAW_STATE__INIT;
      raw.json.data = (uint8_t *)data;
      raw.json.len = size;
      rq.type_name = type_name;
      rq.raw_state = &raw;
      run(fo_rpc_upgrade_resource_state, &rq.base);
      break;
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t n;
  const fo_rpc_method *m = fo_provider_methods(fo_provider_registry(), &n);
  uint8_t sel;
  if (size < 1)
    return 0;
  sel = data[0];
  if (sel & 0x80) {
    structured(sel & 0x0f, data + 1, size - 1);
  } else {
    call(m[sel % n].fn, data + 1, size - 1);
  }
  return 0;
}
