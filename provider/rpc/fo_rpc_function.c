/* CallFunction: decode each argument with its parameter's type, run the
 * function, answer with the result or a FunctionError naming the argument. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_cty_codec.h"
#include "fo_dynval.h"
#include "fo_err.h"
#include "fo_rpc_handlers.h"
#include "fo_rpc_service.h"
#include "fo_rpc_util.h"

#define FO_FUNC_MAX_ARGS 64

static int set_error(Tfplugin6__CallFunction__Response *rs, fo_arena *a, long argument, const char *text) {
  Tfplugin6__FunctionError *fe = fo_arena_alloc(a, sizeof(*fe));
  if (!fe)
    return FO_ENOMEM;
  tfplugin6__function_error__init(fe);
  fe->text = fo_arena_strdup(a, text);
  if (argument >= 0) {
    fe->_function_argument_case = TFPLUGIN6__FUNCTION_ERROR___FUNCTION_ARGUMENT_FUNCTION_ARGUMENT;
    fe->function_argument = argument;
  }
  rs->error = fe;
  rs->result = NULL;
  return FO_OK;
}

int fo_rpc_call_function(fo_rpc_ctx *ctx, const uint8_t *req, size_t len, fo_buf *resp) {
  Tfplugin6__CallFunction__Response rs = TFPLUGIN6__CALL_FUNCTION__RESPONSE__INIT;
  Tfplugin6__CallFunction__Request *rq;
  const fo_function *f;
  fo_cty_value **args = NULL, *result = NULL;
  fo_cty_type *ret_t = NULL;
  fo_func_error fe = {"", -1};
  fo_rpc_call rc;
  size_t n = 0, i;
  int status;

  if ((status = fo_rpc_begin(&rc, ctx, &tfplugin6__call_function__request__descriptor, "CallFunction", req, len)))
    return status;
  rq = (Tfplugin6__CallFunction__Request *)rc.req;
  if (!(f = fo_registry_function(fo_rpc_registry(), rq->name))) {
    snprintf(fe.text, sizeof(fe.text), "the failover provider has no function named '%s'", rq->name);
    goto fail;
  }
  n = rq->n_arguments;
  if (n < f->n_params || (!f->variadic && n > f->n_params) || n > FO_FUNC_MAX_ARGS) {
    snprintf(fe.text, sizeof(fe.text), "%s takes %zu%s arguments, got %zu", f->name, f->n_params,
             f->variadic ? " or more" : "", n);
    goto fail;
  }
  if (!(args = calloc(n ? n : 1, sizeof(*args)))) {
    snprintf(fe.text, sizeof(fe.text), "out of memory");
    goto fail;
  }
  for (i = 0; i < n; i++) {
    const fo_func_param *p = i < f->n_params ? &f->params[i] : f->variadic;
    fo_cty_type *t = NULL;
    const Tfplugin6__DynamicValue *dv = rq->arguments[i];
    int error;
    if (fo_cty_type_from_json(&t, p->type, strlen(p->type)) < 0) {
      snprintf(fe.text, sizeof(fe.text), "parameter '%s' has a bad type: %s", p->name, fo_err_last());
      goto fail;
    }
    error = fo_dynval_value(&args[i], t, dv);
    fo_cty_type_unref(t);
    if (error < 0) {
      fe.argument = (long)i;
      snprintf(fe.text, sizeof(fe.text), "arguments[%zu] (%s): %s", i, p->name, fo_err_last());
      goto fail;
    }
    /* Terraform only passes these when the parameter allows them. */
    if ((!p->allow_null && fo_cty_is_null(args[i])) || (!p->allow_unknown && !fo_cty_is_wholly_known(args[i]))) {
      fe.argument = (long)i;
      snprintf(fe.text, sizeof(fe.text), "argument %s must be a known, non-null value", p->name);
      goto fail;
    }
  }
  if (f->call((const fo_cty_value *const *)args, n, &result, &fe) < 0 || !result)
    goto fail;
  if (fo_cty_type_from_json(&ret_t, f->return_type, strlen(f->return_type)) < 0 ||
      !(rs.result = fo_dynval_encode(&rc.a, result, ret_t))) {
    fe.argument = -1;
    snprintf(fe.text, sizeof(fe.text), "cannot encode the result of %s: %s", f->name, fo_err_last());
    goto fail;
  }
  goto done;
fail:
  fo_text_trim_utf8(fe.text); /* the messages quote arguments and may have been cut */
  if (!fe.text[0])
    snprintf(fe.text, sizeof(fe.text), "%s", "the function failed");
  set_error(&rs, &rc.a, fe.argument, fe.text);
done:
  for (i = 0; args && i < n; i++)
    fo_cty_value_unref(args[i]);
  free(args);
  fo_cty_value_unref(result);
  fo_cty_type_unref(ret_t);
  return fo_rpc_end(&rc, &rs.base, NULL, NULL, resp);
}
