/* GetMetadata, GetProviderSchema, GetFunctions: what the provider serves. */
#include <pthread.h>

#include "fo_err.h"
#include "fo_rpc_wire.h"
#include "fo_provider_config.h"
#include "fo_rpc_handlers.h"
#include "fo_rpc_service.h"
#include "fo_rpc_util.h"

static Tfplugin6__ServerCapabilities *capabilities(fo_arena *a) {
  Tfplugin6__ServerCapabilities *c = fo_arena_alloc(a, sizeof(*c));
  if (!c)
    return NULL;
  tfplugin6__server_capabilities__init(c);
  /* Every RPC works without a prior GetProviderSchema in the same process. */
  c->get_provider_schema_optional = 1;
  return c;
}

/* Everything the provider serves, from the registry. */
typedef struct served {
  const fo_resource *const *res;
  const fo_data_source *const *ds;
  const fo_function *const *fn;
  size_t nr, nd, nf;
} served;

static served what_we_serve(void) {
  served s;
  const fo_registry *r = fo_rpc_registry();
  s.res = r ? r->resources : NULL;
  s.nr = r ? r->n_resources : 0;
  s.ds = r ? r->data_sources : NULL;
  s.nd = r ? r->n_data_sources : 0;
  s.fn = r ? r->functions : NULL;
  s.nf = r ? r->n_functions : 0;
  return s;
}

/* A `{ string type_name = 1; }` metadata message (all *Metadata messages share that layout). */
static void *metadata(fo_arena *a, const ProtobufCMessageDescriptor *desc, const char *name) {
  ProtobufCMessage *m = fo_arena_alloc(a, desc->sizeof_message);
  char **field;
  if (!m)
    return NULL;
  protobuf_c_message_init(desc, m);
  field = (char **)((char *)m + desc->fields[0].offset);
  if (!(*field = fo_arena_strdup(a, name)))
    return NULL;
  return m;
}

int fo_rpc_get_metadata(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__GetMetadata__Response rs = TFPLUGIN6__GET_METADATA__RESPONSE__INIT;
  served s = what_we_serve();
  fo_rpc_call rc;
  int status;

  if ((status = fo_rpc_begin(&rc, ctx, &tfplugin6__get_metadata__request__descriptor, "GetMetadata", req, len)))
    return status;
  rs.server_capabilities = capabilities(&rc.a);
  rs.resources = (Tfplugin6__GetMetadata__ResourceMetadata **)fo_arena_ptrs(&rc.a, s.nr);
  rs.data_sources = (Tfplugin6__GetMetadata__DataSourceMetadata **)fo_arena_ptrs(&rc.a, s.nd);
  rs.functions = (Tfplugin6__GetMetadata__FunctionMetadata **)fo_arena_ptrs(&rc.a, s.nf);
  if (!rs.server_capabilities || !rs.resources || !rs.data_sources || !rs.functions)
    return fo_rpc_fail(&rc);
  for (; rs.n_resources < s.nr; rs.n_resources++)
    if (!(rs.resources[rs.n_resources] = metadata(&rc.a, &tfplugin6__get_metadata__resource_metadata__descriptor,
                                                  s.res[rs.n_resources]->type_name)))
      return fo_rpc_fail(&rc);
  for (; rs.n_data_sources < s.nd; rs.n_data_sources++)
    if (!(rs.data_sources[rs.n_data_sources] = metadata(
              &rc.a, &tfplugin6__get_metadata__data_source_metadata__descriptor, s.ds[rs.n_data_sources]->type_name)))
      return fo_rpc_fail(&rc);
  for (; rs.n_functions < s.nf; rs.n_functions++)
    if (!(rs.functions[rs.n_functions] =
              metadata(&rc.a, &tfplugin6__get_metadata__function_metadata__descriptor, s.fn[rs.n_functions]->name)))
      return fo_rpc_fail(&rc);
  return fo_rpc_end(&rc, &rs.base, &rs.diagnostics, &rs.n_diagnostics, resp);
}

/* A map<string, Schema> entry (resource and data source schemas share the layout). */
static void *schema_entry(fo_arena *a, const ProtobufCMessageDescriptor *desc, const char *key, const fo_schema *s) {
  Tfplugin6__GetProviderSchema__Response__ResourceSchemasEntry *e = fo_arena_alloc(a, desc->sizeof_message);
  if (!e)
    return NULL;
  protobuf_c_message_init(desc, e);
  e->key = fo_arena_strdup(a, key);
  if (!e->key || !(e->value = fo_rpc_schema_to_proto(a, s))) {
    fo_err_wrap(FO_ERR, "schema of '%s'", key);
    return NULL;
  }
  return e;
}

/* A map<string, Function> entry (GetProviderSchema and GetFunctions share the layout). */
static void *function_entry(fo_arena *a, const ProtobufCMessageDescriptor *desc, const fo_function *f) {
  Tfplugin6__GetFunctions__Response__FunctionsEntry *e = fo_arena_alloc(a, desc->sizeof_message);
  if (!e)
    return NULL;
  protobuf_c_message_init(desc, e);
  e->key = fo_arena_strdup(a, f->name);
  if (!e->key || !(e->value = fo_rpc_function_to_proto(a, f)))
    return NULL;
  return e;
}

/* The schema answer depends on the registry alone, so it is packed once and
 * copied after that: each of Terraform's provider processes asks for it, and
 * packing every type's schema and descriptions (~29 KB) cost more than the
 * call's transport. Owned by this module for the process's life. */
static pthread_mutex_t fo_schema_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static fo_buf fo_schema_cache = FO_BUF_INIT;
static const fo_registry *fo_schema_cache_for;

/* FO_RPC_OK with the cached answer in `resp`, or -1 when there is none yet. */
static int fo_schema_cache_get(fo_buf *resp) {
  int status = -1;
  pthread_mutex_lock(&fo_schema_cache_lock);
  if (fo_schema_cache.len && fo_schema_cache_for == fo_rpc_registry())
    status = fo_buf_append(resp, fo_schema_cache.data, fo_schema_cache.len) < 0 ? FO_RPC_INTERNAL : FO_RPC_OK;
  pthread_mutex_unlock(&fo_schema_cache_lock);
  return status;
}

static void fo_schema_cache_put(const fo_registry *r, const fo_buf *resp) {
  pthread_mutex_lock(&fo_schema_cache_lock);
  fo_buf_clear(&fo_schema_cache);
  fo_schema_cache_for = fo_buf_append(&fo_schema_cache, resp->data, resp->len) < 0 ? NULL : r;
  pthread_mutex_unlock(&fo_schema_cache_lock);
}

int fo_rpc_get_provider_schema(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__GetProviderSchema__Response rs = TFPLUGIN6__GET_PROVIDER_SCHEMA__RESPONSE__INIT;
  served s = what_we_serve();
  const fo_registry *registry = fo_rpc_registry();
  fo_rpc_call rc;
  int status;

  if ((status =
           fo_rpc_begin(&rc, ctx, &tfplugin6__get_provider_schema__request__descriptor, "GetProviderSchema", req, len)))
    return status;
  if ((status = fo_schema_cache_get(resp)) >= 0) {
    fo_rpc_call_dispose(&rc);
    return status;
  }
  rs.server_capabilities = capabilities(&rc.a);
  rs.provider = fo_rpc_schema_to_proto(&rc.a, fo_provider_schema());
  rs.resource_schemas = (Tfplugin6__GetProviderSchema__Response__ResourceSchemasEntry **)fo_arena_ptrs(&rc.a, s.nr);
  rs.data_source_schemas =
      (Tfplugin6__GetProviderSchema__Response__DataSourceSchemasEntry **)fo_arena_ptrs(&rc.a, s.nd);
  rs.functions = (Tfplugin6__GetProviderSchema__Response__FunctionsEntry **)fo_arena_ptrs(&rc.a, s.nf);
  /* A partial schema would make Terraform fail obscurely: answer INTERNAL instead. */
  if (!rs.server_capabilities || !rs.provider || !rs.resource_schemas || !rs.data_source_schemas || !rs.functions)
    return fo_rpc_fail(&rc);
  for (; rs.n_resource_schemas < s.nr; rs.n_resource_schemas++)
    if (!(rs.resource_schemas[rs.n_resource_schemas] =
              schema_entry(&rc.a, &tfplugin6__get_provider_schema__response__resource_schemas_entry__descriptor,
                           s.res[rs.n_resource_schemas]->type_name, s.res[rs.n_resource_schemas]->schema)))
      return fo_rpc_fail(&rc);
  for (; rs.n_data_source_schemas < s.nd; rs.n_data_source_schemas++)
    if (!(rs.data_source_schemas[rs.n_data_source_schemas] =
              schema_entry(&rc.a, &tfplugin6__get_provider_schema__response__data_source_schemas_entry__descriptor,
                           s.ds[rs.n_data_source_schemas]->type_name, s.ds[rs.n_data_source_schemas]->schema)))
      return fo_rpc_fail(&rc);
  for (; rs.n_functions < s.nf; rs.n_functions++)
    if (!(rs.functions[rs.n_functions] = function_entry(
              &rc.a, &tfplugin6__get_provider_schema__response__functions_entry__descriptor, s.fn[rs.n_functions])))
      return fo_rpc_fail(&rc);
  if ((status = fo_rpc_end(&rc, &rs.base, &rs.diagnostics, &rs.n_diagnostics, resp)) == FO_RPC_OK && !rs.n_diagnostics)
    fo_schema_cache_put(registry, resp);
  return status;
}

int fo_rpc_get_functions(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__GetFunctions__Response rs = TFPLUGIN6__GET_FUNCTIONS__RESPONSE__INIT;
  served s = what_we_serve();
  fo_rpc_call rc;
  int status;

  if ((status = fo_rpc_begin(&rc, ctx, &tfplugin6__get_functions__request__descriptor, "GetFunctions", req, len)))
    return status;
  if (!(rs.functions = (Tfplugin6__GetFunctions__Response__FunctionsEntry **)fo_arena_ptrs(&rc.a, s.nf)))
    return fo_rpc_fail(&rc);
  for (; rs.n_functions < s.nf; rs.n_functions++)
    if (!(rs.functions[rs.n_functions] = function_entry(
              &rc.a, &tfplugin6__get_functions__response__functions_entry__descriptor, s.fn[rs.n_functions])))
      return fo_rpc_fail(&rc);
  return fo_rpc_end(&rc, &rs.base, &rs.diagnostics, &rs.n_diagnostics, resp);
}
