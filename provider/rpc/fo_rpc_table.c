/* The tfplugin6.Provider method table the transport serves; every RPC not
 * listed here is answered UNIMPLEMENTED by the transport. */
#include "fo_rpc.h"
#include "fo_rpc_handlers.h"
#include "fo_rpc_service.h"

static const fo_rpc_method methods[] = {
    {"/tfplugin6.Provider/GetMetadata", fo_rpc_get_metadata},
    {"/tfplugin6.Provider/GetProviderSchema", fo_rpc_get_provider_schema},
    {"/tfplugin6.Provider/ValidateProviderConfig", fo_rpc_validate_provider_config},
    {"/tfplugin6.Provider/ValidateResourceConfig", fo_rpc_validate_resource_config},
    {"/tfplugin6.Provider/ValidateDataResourceConfig", fo_rpc_validate_data_resource_config},
    {"/tfplugin6.Provider/UpgradeResourceState", fo_rpc_upgrade_resource_state},
    {"/tfplugin6.Provider/ConfigureProvider", fo_rpc_configure_provider},
    {"/tfplugin6.Provider/ReadResource", fo_rpc_read_resource},
    {"/tfplugin6.Provider/PlanResourceChange", fo_rpc_plan_resource_change},
    {"/tfplugin6.Provider/ApplyResourceChange", fo_rpc_apply_resource_change},
    {"/tfplugin6.Provider/ImportResourceState", fo_rpc_import_resource_state},
    {"/tfplugin6.Provider/ReadDataSource", fo_rpc_read_data_source},
    {"/tfplugin6.Provider/GetFunctions", fo_rpc_get_functions},
    {"/tfplugin6.Provider/CallFunction", fo_rpc_call_function},
    {"/tfplugin6.Provider/StopProvider", fo_rpc_stop_provider},
};

const fo_rpc_method *fo_provider_methods(const struct fo_registry *registry, size_t *n_out) {
  fo_rpc_set_registry(registry);
  *n_out = sizeof(methods) / sizeof(methods[0]);
  return methods;
}
