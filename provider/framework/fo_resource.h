/* fo_resource: what a resource, data source or provider function is to the
 * framework: a schema plus callbacks; the rpc layer drives them. */
#ifndef FO_RESOURCE_H
#define FO_RESOURCE_H

#include <stddef.h>

#include "fo_cty.h"
#include "fo_diag.h"
#include "fo_rpc.h"
#include "fo_schema.h"

/* Per-call context handed to callbacks. */
typedef struct fo_call {
  fo_rpc_ctx *rpc; /* NULL when a test calls a callback directly; poll fo_call_cancelled() in long work */
  fo_diags *diags; /* add diagnostics here (with attribute paths) */
} fo_call;

int fo_call_cancelled(const fo_call *c);

/* Callbacks return FO_OK or a negative fo_err code. On failure without an
 * error diagnostic the framework turns fo_err_last() into one. `*out` values
 * are new references handed to the framework. */
typedef struct fo_resource {
  const char *type_name;
  const fo_schema *schema;
  /* Cross-attribute checks beyond the per-attribute validators (config may hold unknowns). */
  void (*validate)(fo_call *c, const fo_cty_value *config);
  /* Runs after the framework's plan (defaults, computed unknowns, use-state):
   * replace `*planned` (owned by the caller; unref it when replacing). `prior`
   * is a null value on create. Plan-time rule violations go to c->diags. */
  int (*modify_plan)(fo_call *c, const fo_cty_value *prior, const fo_cty_value *config, fo_cty_value **planned);
  int (*create)(fo_call *c, const fo_cty_value *planned, const fo_cty_value *config, fo_cty_value **out);
  /* *out = NULL when the object is gone. */
  int (*read)(fo_call *c, const fo_cty_value *state, fo_cty_value **out);
  int (*update)(fo_call *c, const fo_cty_value *prior, const fo_cty_value *planned, const fo_cty_value *config,
                fo_cty_value **out);
  int (*destroy)(fo_call *c, const fo_cty_value *prior);
  /* NULL: the resource cannot be imported. */
  int (*import)(fo_call *c, const char *id, fo_cty_value **out);
} fo_resource;

typedef struct fo_data_source {
  const char *type_name;
  const fo_schema *schema;
  void (*validate)(fo_call *c, const fo_cty_value *config);
  int (*read)(fo_call *c, const fo_cty_value *config, fo_cty_value **out);
} fo_data_source;

typedef struct fo_func_param {
  const char *name;
  const char *type; /* cty type JSON */
  int allow_null;
  int allow_unknown;
  const char *description;
} fo_func_param;

/* A function's error: text for the user and the 0-based argument it is
 * about (-1 = the call as a whole). */
typedef struct fo_func_error {
  char text[512];
  long argument;
} fo_func_error;

typedef struct fo_function {
  const char *name;
  const char *summary;
  const char *description; /* markdown */
  const fo_func_param *params;
  size_t n_params;
  const fo_func_param *variadic; /* NULL: none */
  const char *return_type;       /* cty type JSON */
  /* args[i] decoded with the parameter's type (the variadic type past n_params).
   * Return FO_OK with *out set, or fill `err` and return FO_EINVAL. */
  int (*call)(const fo_cty_value *const *args, size_t n_args, fo_cty_value **out, fo_func_error *err);
} fo_function;

/* Replaces attribute `name` of the object *obj with `take_v` (consumed, also
 * on failure), swapping *obj for the new object. FO_EINVAL when there is no
 * such attribute or the type does not fit; FO_ENOMEM when take_v is NULL. */
int fo_object_set(fo_cty_value **obj, const char *name, fo_cty_value *take_v);
/* The same with a string value (copied). */
int fo_object_set_string(fo_cty_value **obj, const char *name, const char *s);

/* Fill `err` (printf style) and return FO_EINVAL. */
int fo_func_fail(fo_func_error *err, long argument, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The provider's catalogue (provider/resources/fo_registry.c). */
const fo_resource *const *fo_registry_resources(size_t *n_out);
const fo_data_source *const *fo_registry_data_sources(size_t *n_out);
const fo_function *const *fo_registry_functions(size_t *n_out);
const fo_resource *fo_registry_resource(const char *type_name);
const fo_data_source *fo_registry_data_source(const char *type_name);
const fo_function *fo_registry_function(const char *name);

#endif
