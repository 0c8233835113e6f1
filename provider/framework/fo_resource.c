#include "fo_resource.h"

#include <stdarg.h>
#include <stdio.h>

#include "fo_err.h"
#include "fo_log.h"

int fo_call_cancelled(const fo_call *c) {
  return c && c->rpc && fo_rpc_cancelled(c->rpc);
}

int fo_func_fail(fo_func_error *err, long argument, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->text, sizeof(err->text), fmt, ap);
  va_end(ap);
  fo_log_redact(err->text); /* shown to the user like a diagnostic */
  err->argument = argument;
  return FO_EINVAL;
}

int fo_object_set(fo_cty_value **obj, const char *name, fo_cty_value *take_v) {
  fo_cty_value *next;
  if (!take_v)
    return FO_ENOMEM;
  if (!(next = fo_cty_object_with(*obj, name, take_v)))
    return fo_err_wrap(FO_EINVAL, "setting '%s'", name);
  fo_cty_value_unref(*obj);
  *obj = next;
  return FO_OK;
}

int fo_object_set_string(fo_cty_value **obj, const char *name, const char *s) {
  return fo_object_set(obj, name, fo_cty_string_z(s));
}
