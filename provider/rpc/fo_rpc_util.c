#include "fo_rpc_util.h"

#include <string.h>

#include "fo_err.h"
#include "fo_rpc.h"
#include "fo_rpc_service.h"

ProtobufCMessage *fo_rpc_unpack(const ProtobufCMessageDescriptor *desc, const char *rpc, const uint8_t *req,
                                size_t len) {
  ProtobufCMessage *m;
  if (len > FO_RPC_MAX_REQUEST) {
    fo_err_set(FO_ELIMIT, "%s request of %zu bytes is larger than the %u byte limit", rpc, len, FO_RPC_MAX_REQUEST);
    return NULL;
  }
  m = protobuf_c_message_unpack(desc, NULL, len, len ? req : (const uint8_t *)"");
  if (!m)
    fo_err_set(FO_EINVAL, "malformed %s request: not a valid %s protobuf message", rpc, desc->name);
  return m;
}

int fo_rpc_finish(ProtobufCMessage *msg, Tfplugin6__Diagnostic ***diag_field, size_t *n_diag_field, fo_arena *a,
                  const fo_diags *d, fo_buf *resp) {
  size_t size;
  uint8_t *out;
  if (diag_field && fo_diags_to_proto(diag_field, n_diag_field, a, d) < 0) {
    fo_err_set(FO_ENOMEM, "out of memory building diagnostics");
    return FO_RPC_INTERNAL;
  }
  size = protobuf_c_message_get_packed_size(msg);
  if (!(out = fo_arena_alloc(a, size))) {
    fo_err_set(FO_ENOMEM, "out of memory packing the response");
    return FO_RPC_INTERNAL;
  }
  protobuf_c_message_pack(msg, out);
  if (fo_buf_append(resp, out, size) < 0)
    return FO_RPC_INTERNAL;
  return FO_RPC_OK;
}

int fo_rpc_begin(fo_rpc_call *rc, fo_rpc_ctx *ctx, const ProtobufCMessageDescriptor *desc, const char *rpc,
                 const uint8_t *req, size_t len) {
  memset(rc, 0, sizeof(*rc));
  rc->c.diags = &rc->d;
  rc->c.cancel = fo_rpc_cancel(ctx);
  rc->c.clock = fo_rpc_clock();
  if (!(rc->req = fo_rpc_unpack(desc, rpc, req, len)))
    return FO_RPC_INVALID_ARGUMENT;
  /* held for the whole call: a reconfiguration cannot free it under us */
  rc->c.provider = fo_rpc_provider_acquire();
  return FO_RPC_OK;
}

int fo_rpc_end(fo_rpc_call *rc, ProtobufCMessage *msg, Tfplugin6__Diagnostic ***diag_field, size_t *n_diag_field,
               fo_buf *resp) {
  int status = fo_rpc_finish(msg, diag_field, n_diag_field, &rc->a, &rc->d, resp);
  fo_rpc_call_dispose(rc);
  return status;
}

int fo_rpc_private_begin(fo_rpc_call *rc, const ProtobufCBinaryData *in) {
  rc->c.private_in = in && in->len ? in->data : NULL;
  rc->c.private_in_len = in ? in->len : 0;
  rc->c.private_out = &rc->private_out;
  fo_buf_clear(&rc->private_out);
  if (rc->c.private_in_len && fo_buf_append(&rc->private_out, rc->c.private_in, rc->c.private_in_len) < 0)
    return FO_ENOMEM;
  return FO_OK;
}

int fo_rpc_private_end(fo_rpc_call *rc, ProtobufCBinaryData *out) {
  out->data = NULL;
  out->len = 0;
  if (!rc->private_out.len)
    return FO_OK;
  if (!(out->data = (uint8_t *)fo_arena_memdup(&rc->a, rc->private_out.data, rc->private_out.len)))
    return FO_ENOMEM;
  out->len = rc->private_out.len;
  return FO_OK;
}

void fo_rpc_call_dispose(fo_rpc_call *rc) {
  protobuf_c_message_free_unpacked(rc->req, NULL);
  fo_diags_dispose(&rc->d);
  fo_arena_dispose(&rc->a);
  fo_buf_dispose(&rc->private_out);
  fo_provider_unref(rc->c.provider);
  rc->c.provider = NULL;
  rc->req = NULL;
}

int fo_rpc_fail(fo_rpc_call *rc) {
  fo_rpc_call_dispose(rc);
  return FO_RPC_INTERNAL;
}

static Tfplugin6__Function__Parameter *param_to_proto(fo_arena *a, const fo_func_param *p) {
  Tfplugin6__Function__Parameter *pp = fo_arena_alloc(a, sizeof(*pp));
  if (!pp)
    return NULL;
  tfplugin6__function__parameter__init(pp);
  pp->name = fo_arena_strdup(a, p->name);
  pp->type.data = (uint8_t *)fo_arena_strdup(a, p->type);
  pp->type.len = strlen(p->type);
  pp->allow_null_value = !!p->allow_null;
  pp->allow_unknown_values = !!p->allow_unknown;
  pp->description = fo_arena_strdup(a, p->description);
  return (pp->name && pp->type.data && pp->description) ? pp : NULL;
}

Tfplugin6__Function *fo_rpc_function_to_proto(fo_arena *a, const fo_function *f) {
  Tfplugin6__Function *pf = fo_arena_alloc(a, sizeof(*pf));
  Tfplugin6__Function__Return *ret = fo_arena_alloc(a, sizeof(*ret));
  if (!pf || !ret)
    return NULL;
  tfplugin6__function__init(pf);
  tfplugin6__function__return__init(ret);
  ret->type.data = (uint8_t *)fo_arena_strdup(a, f->return_type);
  ret->type.len = strlen(f->return_type);
  pf->return_ = ret;
  pf->summary = fo_arena_strdup(a, f->summary);
  pf->description = fo_arena_strdup(a, f->description);
  pf->description_kind = TFPLUGIN6__STRING_KIND__MARKDOWN;
  pf->parameters = (Tfplugin6__Function__Parameter **)fo_arena_ptrs(a, f->n_params);
  if (!pf->parameters || !ret->type.data || !pf->summary || !pf->description)
    return NULL;
  for (size_t i = 0; i < f->n_params; i++)
    if (!(pf->parameters[pf->n_parameters++] = param_to_proto(a, &f->params[i])))
      return NULL;
  if (f->variadic && !(pf->variadic_parameter = param_to_proto(a, f->variadic)))
    return NULL;
  return pf;
}

void fo_rpc_unknown_type(fo_diags *d, const char *kind, const char *type_name) {
  fo_diags_error(d, NULL, "Unknown type", "the failover provider has no %s named '%s'", kind,
                 type_name ? type_name : "");
}
