#include "fw_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_cty_codec.h"
#include "fo_dynval.h"
#include "fo_err.h"
#include "fo_resource.h"
#include "fo_rpc_service.h"
#include "fo_schema.h"

/* One detached context for the whole test program (StopProvider is sticky
 * on it, as on the real transport's process-wide flag). */
static fo_rpc_ctx *test_ctx;

static void free_test_ctx(void) {
  fo_rpc_ctx_free_detached(test_ctx);
  fo_rpc_provider_install(NULL);
}

fo_rpc_ctx *fw_ctx(void) {
  if (!test_ctx) {
    size_t n;
    test_ctx = fo_rpc_ctx_new_detached();
    assert_non_null(test_ctx);
    /* what main.c does: the built-in registry behind the method table */
    (void)fo_provider_methods(fo_provider_registry(), &n);
    atexit(free_test_ctx);
  }
  return test_ctx;
}

int fw_stop_requested(void) {
  return fo_rpc_cancelled(fw_ctx());
}

fo_cty_value *fw_value(const fo_cty_type *t, const char *json) {
  fo_cty_value *v = NULL;
  int error = fo_cty_json_decode(&v, t, json, strlen(json), 0);
  if (error < 0)
    fail_msg("bad test JSON %s: %s", json, fo_err_last());
  return v;
}

Tfplugin6__DynamicValue *fw_dv(fo_arena *a, const fo_cty_value *v, const fo_cty_type *t) {
  Tfplugin6__DynamicValue *dv;
  if (!v) {
    dv = fo_arena_alloc(a, sizeof(*dv));
    tfplugin6__dynamic_value__init(dv);
    dv->msgpack.data = (uint8_t *)fo_arena_memdup(a, "\xc0", 1);
    dv->msgpack.len = 1;
    return dv;
  }
  dv = fo_dynval_encode(a, v, t);
  assert_non_null(dv);
  return dv;
}

fo_cty_value *fw_decode(const fo_cty_type *t, const Tfplugin6__DynamicValue *dv) {
  fo_cty_value *v = NULL;
  fo_diags d = FO_DIAGS_INIT;
  if (fo_dynval_decode(&v, t, dv, "test", &d) < 0)
    fail_msg("cannot decode response value: %s", d.n ? d.items[0].detail : "?");
  fo_diags_dispose(&d);
  return v;
}

ProtobufCMessage *fw_call(fo_rpc_unary_fn fn, const ProtobufCMessage *req, const ProtobufCMessageDescriptor *resp_desc,
                          int want_status) {
  return fw_call_ctx(fw_ctx(), fn, req, resp_desc, want_status);
}

ProtobufCMessage *fw_call_ctx(fo_rpc_ctx *ctx, fo_rpc_unary_fn fn, const ProtobufCMessage *req,
                              const ProtobufCMessageDescriptor *resp_desc, int want_status) {
  size_t len = protobuf_c_message_get_packed_size(req);
  uint8_t *buf = malloc(len + 1);
  fo_buf resp = FO_BUF_INIT;
  ProtobufCMessage *out = NULL;
  int status;
  assert_non_null(buf);
  protobuf_c_message_pack(req, buf);
  (void)fw_ctx(); /* the registry is installed */
  status = fn(ctx, buf, len, &resp);
  free(buf);
  if (status != want_status)
    fail_msg("status %d, want %d (%s)", status, want_status, fo_err_last());
  if (status == FO_RPC_OK) {
    out = protobuf_c_message_unpack(resp_desc, NULL, resp.len, resp.len ? (uint8_t *)resp.data : (uint8_t *)"");
    assert_non_null(out);
  }
  fo_buf_dispose(&resp);
  return out;
}

const char *fw_str(const fo_cty_value *v, const char *name) {
  const fo_cty_value *a = fo_cty_get_attr(v, name);
  if (!a || fo_cty_is_null(a) || !fo_cty_is_known(a))
    return "";
  return fo_cty_as_string(a, NULL);
}

static void path_text(const Tfplugin6__AttributePath *p, char *out, size_t n) {
  size_t len = 0;
  out[0] = '\0';
  for (size_t i = 0; p && i < p->n_steps && len < n; i++) {
    const Tfplugin6__AttributePath__Step *s = p->steps[i];
    if (s->selector_case == TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME)
      len += (size_t)snprintf(out + len, n - len, "%s%s", i ? "." : "", s->attribute_name);
    else if (s->selector_case == TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_INT)
      len += (size_t)snprintf(out + len, n - len, "[%lld]", (long long)s->element_key_int);
    else
      len += (size_t)snprintf(out + len, n - len, "[\"%s\"]", s->element_key_string);
  }
}

long fw_find_diag(Tfplugin6__Diagnostic **diags, size_t n, const char *path, const char *needle) {
  char text[512];
  for (size_t i = 0; i < n; i++) {
    path_text(diags[i]->attribute, text, sizeof(text));
    if (path ? strcmp(text, path) != 0 : diags[i]->attribute != NULL)
      continue;
    if (!needle || strstr(diags[i]->summary, needle) || strstr(diags[i]->detail, needle))
      return (long)i;
  }
  return -1;
}

fo_diags fw_validate(const fo_resource *r, const fo_cty_type *t, const char *json) {
  fo_diags d = FO_DIAGS_INIT;
  fo_call c = {.diags = &d};
  fo_cty_value *cfg = fw_value(t, json);
  fo_schema_validate(&r->schema->block, cfg, &d);
  r->validate(&c, cfg);
  fo_cty_value_unref(cfg);
  return d;
}
