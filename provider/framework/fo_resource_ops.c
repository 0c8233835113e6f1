#include "fo_resource_ops.h"

#include "fo_cty_codec.h"
#include "fo_err.h"
#include "fo_log.h"

/* A callback failed: make sure the user sees why. */
static void callback_failed(fo_diags *d, const char *summary) {
  if (!fo_diags_has_error(d))
    fo_diags_from_err(d, NULL, summary);
}

/* A state we are about to send must conform and be wholly known (7.6-7.8). */
static int check_state(const fo_cty_value *v, const fo_cty_type *t, const char *what, fo_diags *d) {
  if (!fo_cty_value_conforms(v, t)) {
    fo_diags_error(d, NULL, "Provider produced an invalid state",
                   "the %s does not conform to the schema. This is a bug in the failover provider.", what);
    return FO_EINVAL;
  }
  if (!fo_cty_is_null(v) && !fo_cty_is_wholly_known(v)) {
    fo_diags_error(d, NULL, "Provider produced an invalid state",
                   "the %s contains unknown values. This is a bug in the failover provider.", what);
    return FO_EINVAL;
  }
  return FO_OK;
}

void fo_resource_validate(const fo_resource *r, fo_call *c, const fo_cty_value *config) {
  fo_schema_validate(&r->schema->block, config, c->diags);
  if (r->validate)
    r->validate(c, config);
}

int fo_resource_upgrade(const fo_resource *r, fo_call *c, const fo_cty_type *t, int64_t version, const char *json,
                        size_t len, fo_cty_value **out) {
  fo_cty_value *state = NULL;
  *out = NULL;
  if (version > r->schema->version || version < 0) {
    fo_diags_error(c->diags, NULL, "Cannot upgrade state",
                   "the state of this %s was written with schema version %lld; this provider knows versions 0 to %lld",
                   r->type_name, (long long)version, (long long)r->schema->version);
    return FO_EINVAL;
  }
  if (len > 0) {
    /* Attributes no longer in the schema are dropped; new ones start null. */
    if (fo_cty_json_decode(&state, t, json, len, 1) < 0) {
      fo_diags_error(c->diags, NULL, "Cannot upgrade state", "raw_state: %s", fo_err_last());
      return FO_EINVAL;
    }
  } else if (!(state = fo_cty_null(t))) {
    return fo_err_oom();
  }
  if (check_state(state, t, "upgraded state", c->diags) < 0) {
    fo_cty_value_unref(state);
    return FO_EINVAL;
  }
  *out = state;
  return FO_OK;
}

int fo_resource_read(const fo_resource *r, fo_call *c, const fo_cty_type *t, const fo_cty_value *current,
                     fo_cty_value **out) {
  fo_cty_value *next = NULL;
  *out = NULL;
  if (fo_cty_is_null(current)) {
    next = fo_cty_value_ref(current);
  } else if (r->read(c, current, &next) < 0) {
    callback_failed(c->diags, "Cannot read the resource");
    /* Keep what Terraform has: an error must not drop the object from state. */
    fo_cty_value_unref(next);
    next = fo_cty_value_ref(current);
  } else if (!next && !(next = fo_cty_null(t))) {
    return fo_err_oom(); /* gone: null new_state makes Terraform plan a create */
  }
  if (check_state(next, t, "refreshed state", c->diags) < 0) {
    fo_cty_value_unref(next);
    return FO_EINVAL;
  }
  *out = next;
  return FO_OK;
}

int fo_resource_plan(const fo_resource *r, fo_call *c, const fo_cty_value *prior, const fo_cty_value *config,
                     const fo_cty_value *proposed, fo_cty_value **planned, fo_paths *replace) {
  const fo_block *b = &r->schema->block;
  fo_cty_value *p = NULL;
  *planned = NULL;
  if (fo_cty_is_null(proposed)) {
    *planned = fo_cty_value_ref(proposed); /* destroy */
    return FO_OK;
  }
  if (fo_plan_block(&p, b, prior, config, proposed) < 0) {
    fo_diags_from_err(c->diags, NULL, "Cannot plan the change");
    return FO_ERR;
  }
  if (r->modify_plan && r->modify_plan(c, prior, config, &p) < 0) {
    callback_failed(c->diags, "Cannot plan the change");
    goto fail;
  }
  if (fo_diags_has_error(c->diags))
    goto fail;
  /* Our own plan must pass Terraform's rules; say so clearly if not. */
  if (!fo_plan_check(b, prior, config, p, c->diags))
    goto fail;
  if (!fo_cty_is_null(prior) && fo_plan_replace_paths(replace, b, prior, p) < 0) {
    fo_diags_from_err(c->diags, NULL, "Cannot plan the change");
    goto fail;
  }
  *planned = p;
  return FO_OK;
fail:
  fo_cty_value_unref(p);
  return FO_EINVAL;
}

int fo_resource_apply(const fo_resource *r, fo_call *c, const fo_cty_type *t, const fo_cty_value *prior,
                      const fo_cty_value *planned, const fo_cty_value *config, fo_cty_value **out) {
  fo_cty_value *result = NULL;
  int error = FO_OK, creating = fo_cty_is_null(prior);

  *out = NULL;
  if (fo_call_cancelled(c)) {
    fo_diags_error(c->diags, NULL, "Cancelled", "the provider was asked to stop before applying this change (%s)",
                   fo_cancel_reason(c->cancel));
    *out = fo_cty_value_ref(prior);
    return FO_ECANCELED;
  }
  if (fo_cty_is_null(planned)) {
    if ((error = r->destroy(c, prior)) < 0) {
      callback_failed(c->diags, "Cannot delete the resource");
      *out = fo_cty_value_ref(prior); /* still exists */
      return error;
    }
    *out = fo_cty_value_ref(planned);
    return FO_OK;
  }
  error = creating ? r->create(c, planned, config, &result) : r->update(c, prior, planned, config, &result);
  if (error < 0 && result) {
    /* Partial state: what exists is saved with the error, so the next plan repairs it. */
    callback_failed(c->diags, creating ? "Cannot create the resource" : "Cannot update the resource");
    if (check_state(result, t, "partial state returned with the error", c->diags) < 0) {
      fo_cty_value_unref(result);
      result = fo_cty_value_ref(prior);
    }
  } else if (error < 0 || !result) {
    callback_failed(c->diags, creating ? "Cannot create the resource" : "Cannot update the resource");
    fo_cty_value_unref(result);
    result = fo_cty_value_ref(prior); /* create: null, nothing saved; update: keep prior */
    if (error >= 0)
      error = FO_ERR;
  } else if (!fo_apply_check(&r->schema->block, planned, result, c->diags)) {
    FO_ERROR("%s: apply result inconsistent with the plan", r->type_name);
    fo_cty_value_unref(result);
    result = fo_cty_value_ref(prior);
    error = FO_EINVAL;
  }
  *out = result;
  return error;
}

int fo_resource_import(const fo_resource *r, fo_call *c, const fo_cty_type *t, const char *id, fo_cty_value **out) {
  fo_cty_value *state = NULL;
  *out = NULL;
  if (!r->import) {
    fo_diags_error(c->diags, NULL, "Import not supported", "%s cannot be imported", r->type_name);
    return FO_EINVAL;
  }
  if (r->import(c, id, &state) < 0 || !state) {
    callback_failed(c->diags, "Cannot import the resource");
    fo_cty_value_unref(state);
    return FO_EINVAL;
  }
  if (check_state(state, t, "imported state", c->diags) < 0 || fo_cty_is_null(state)) {
    fo_cty_value_unref(state);
    return FO_EINVAL;
  }
  *out = state;
  return FO_OK;
}

void fo_data_source_validate(const fo_data_source *ds, fo_call *c, const fo_cty_value *config) {
  fo_schema_validate(&ds->schema->block, config, c->diags);
  if (ds->validate)
    ds->validate(c, config);
}

int fo_data_source_read(const fo_data_source *ds, fo_call *c, const fo_cty_type *t, const fo_cty_value *config,
                        fo_cty_value **out) {
  fo_cty_value *state = NULL;
  *out = NULL;
  if (fo_cty_is_null(config) || !fo_cty_is_wholly_known(config)) {
    fo_diags_error(c->diags, NULL, "Invalid request value", "config: a data source is read with a known configuration");
    return FO_EINVAL;
  }
  if (ds->read(c, config, &state) < 0 || !state) {
    callback_failed(c->diags, "Cannot read the data source");
    fo_cty_value_unref(state);
    return FO_EINVAL;
  }
  if (fo_diags_has_error(c->diags)) {
    fo_cty_value_unref(state);
    return FO_EINVAL;
  }
  /* Terraform's rules: non-null, wholly known, configured values unchanged. */
  if (!fo_cty_value_conforms(state, t) || fo_cty_is_null(state) || !fo_cty_is_wholly_known(state) ||
      !fo_plan_check(&ds->schema->block, NULL, config, state, c->diags)) {
    if (!fo_diags_has_error(c->diags))
      fo_diags_error(c->diags, NULL, "Provider produced an invalid data source result",
                     "the result is null, does not conform, or has unknown values. This is a bug in the failover "
                     "provider.");
    fo_cty_value_unref(state);
    return FO_EINVAL;
  }
  *out = state;
  return FO_OK;
}
