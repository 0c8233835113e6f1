/* fo_resource: what a resource, data source or provider function is to the
 * framework: a schema plus callbacks; the rpc layer drives them. */
#ifndef FO_RESOURCE_H
#define FO_RESOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "fo_buf.h"
#include "fo_cancel.h"
#include "fo_clock.h"
#include "fo_cty.h"
#include "fo_diag.h"
#include "fo_provider.h"
#include "fo_schema.h"

/* Per-call context handed to callbacks. Everything is borrowed for the call. */
typedef struct fo_call {
  fo_diags *diags;         /* add diagnostics here (with attribute paths) */
  fo_provider *provider;   /* the RPC's reference; NULL before ConfigureProvider (validation) */
  const fo_cancel *cancel; /* this call only: StopProvider, the client dropping the call, a deadline */
  const fo_clock *clock;   /* never NULL when the framework calls a callback */
  /* The resource's private state from the prior call (ReadResource: the
   * state's; PlanResourceChange: prior_private; ApplyResourceChange:
   * planned_private). */
  const uint8_t *private_in;
  size_t private_in_len;
  /* NULL when the RPC carries none. Starts as a copy of private_in; what it
   * holds when the callback returns becomes the new private state (clear it
   * to drop it). */
  fo_buf *private_out;
} fo_call;

/* The side's client, or NULL after adding an error diagnostic ("the provider
 * is not configured"). */
fo_aws_client *fo_call_aws(fo_call *c, fo_side side);
/* 1 once c->cancel is cancelled: stop and return FO_ECANCELED. */
int fo_call_cancelled(const fo_call *c);

/* Callbacks return FO_OK or a negative fo_err code. On failure without an
 * error diagnostic the framework turns fo_err_last() into one. `*out` values
 * are new references handed to the framework. Partial state: `create` and
 * `update` may set `*out` AND fail; the framework then saves `*out` (what
 * exists) with the error, so the next plan repairs it instead of leaking it. */
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
/* A null / an unknown of the type of attribute `name` of `obj` (new references; NULL on OOM). */
fo_cty_value *fo_object_null_attr(const fo_cty_value *obj, const char *name);
fo_cty_value *fo_object_unknown_attr(const fo_cty_value *obj, const char *name);
/* Attribute `name` of `obj` when both are known and not null, else NULL (borrowed). */
const fo_cty_value *fo_object_known_attr(const fo_cty_value *obj, const char *name);

/* Fill `err` (printf style) and return FO_EINVAL. */
int fo_func_fail(fo_func_error *err, long argument, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A catalogue of what a provider serves; the rpc layer is handed one
 * (fo_rpc_serve_registry). Borrowed tables. */
typedef struct fo_registry {
  const fo_resource *const *resources;
  size_t n_resources;
  const fo_data_source *const *data_sources;
  size_t n_data_sources;
  const fo_function *const *functions;
  size_t n_functions;
} fo_registry;

const fo_resource *fo_registry_resource(const fo_registry *r, const char *type_name);
const fo_data_source *fo_registry_data_source(const fo_registry *r, const char *type_name);
const fo_function *fo_registry_function(const fo_registry *r, const char *name);

#endif
