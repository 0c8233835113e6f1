#include "fo_resource.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fo_err.h"
#include "fo_log.h"

int fo_call_cancelled(const fo_call *c) {
  return c && fo_cancel_is_cancelled(c->cancel);
}

fo_aws_client *fo_call_aws(fo_call *c, fo_side side) {
  fo_aws_client *aws = fo_provider_aws(c->provider, side);
  if (!aws)
    fo_diags_error(c->diags, NULL, "Provider not configured",
                   "the provider is not configured, so the %s region's AWS client is not available here",
                   fo_side_name(side));
  return aws;
}

const fo_resource *fo_registry_resource(const fo_registry *r, const char *type_name) {
  for (size_t i = 0; r && type_name && i < r->n_resources; i++)
    if (strcmp(r->resources[i]->type_name, type_name) == 0)
      return r->resources[i];
  return NULL;
}

const fo_data_source *fo_registry_data_source(const fo_registry *r, const char *type_name) {
  for (size_t i = 0; r && type_name && i < r->n_data_sources; i++)
    if (strcmp(r->data_sources[i]->type_name, type_name) == 0)
      return r->data_sources[i];
  return NULL;
}

const fo_function *fo_registry_function(const fo_registry *r, const char *name) {
  for (size_t i = 0; r && name && i < r->n_functions; i++)
    if (strcmp(r->functions[i]->name, name) == 0)
      return r->functions[i];
  return NULL;
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

fo_cty_value *fo_object_null_attr(const fo_cty_value *obj, const char *name) {
  return fo_cty_null(fo_cty_value_type(fo_cty_get_attr(obj, name)));
}

fo_cty_value *fo_object_unknown_attr(const fo_cty_value *obj, const char *name) {
  return fo_cty_unknown(fo_cty_value_type(fo_cty_get_attr(obj, name)));
}

const fo_cty_value *fo_object_known_attr(const fo_cty_value *obj, const char *name) {
  const fo_cty_value *v = obj && fo_cty_is_known(obj) && !fo_cty_is_null(obj) ? fo_cty_get_attr(obj, name) : NULL;
  return v && fo_cty_is_known(v) && !fo_cty_is_null(v) ? v : NULL;
}
