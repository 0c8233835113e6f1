#include "fo_dynval.h"

#include "fo_cty_codec.h"
#include "fo_err.h"

int fo_dynval_value(fo_cty_value **out, const fo_cty_type *t, const Tfplugin6__DynamicValue *dv) {
  int error;
  *out = NULL;
  if (dv && dv->msgpack.len > 0)
    error = fo_cty_msgpack_decode(out, t, dv->msgpack.data, dv->msgpack.len);
  else if (dv && dv->json.len > 0)
    error = fo_cty_json_decode(out, t, (const char *)dv->json.data, dv->json.len, 0);
  else
    error = (*out = fo_cty_null(t)) ? FO_OK : fo_err_oom();
  if (error < 0)
    *out = NULL;
  return error < 0 ? FO_EINVAL : FO_OK;
}

int fo_dynval_decode(fo_cty_value **out, const fo_cty_type *t, const Tfplugin6__DynamicValue *dv, const char *field,
                     fo_diags *d) {
  if (fo_dynval_value(out, t, dv) < 0) {
    fo_diags_error(d, NULL, "Invalid request value", "%s: %s", field, fo_err_last());
    return FO_EINVAL;
  }
  return FO_OK;
}

Tfplugin6__DynamicValue *fo_dynval_encode(fo_arena *a, const fo_cty_value *v, const fo_cty_type *t) {
  Tfplugin6__DynamicValue *dv = fo_arena_alloc(a, sizeof(*dv));
  fo_buf b = FO_BUF_INIT;
  if (!dv)
    return NULL;
  tfplugin6__dynamic_value__init(dv);
  if (fo_cty_msgpack_encode(v, t, &b) < 0) {
    fo_buf_dispose(&b);
    return NULL;
  }
  dv->msgpack.data = (uint8_t *)fo_arena_memdup(a, b.data, b.len);
  dv->msgpack.len = b.len;
  fo_buf_dispose(&b);
  return dv->msgpack.data ? dv : NULL;
}
