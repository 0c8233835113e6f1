#include "fo_resource.h"

#include <stdarg.h>
#include <stdio.h>

#include "fo_err.h"

int fo_call_cancelled(const fo_call *c) {
  return c && c->rpc && fo_rpc_cancelled(c->rpc);
}

int fo_func_fail(fo_func_error *err, long argument, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->text, sizeof(err->text), fmt, ap);
  va_end(ap);
  err->argument = argument;
  return FO_EINVAL;
}
