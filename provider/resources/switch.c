/* failover_switch: the recorded decision of which side (primary or secondary)
 * is active, with the reason, time and generation of the last switch. No
 * remote object: the state is the record. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "fo_err.h"
#include "fo_resources.h"
#include "fo_validators.h"

static const char *const sides[] = {"primary", "secondary", NULL};
static const size_t reason_len[2] = {1, 1024};

static const fo_attr switch_attrs[] = {
    {.name = "id",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "Identifier of this switch record, generated on create."},
    {.name = "active",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "The side that is active: \"primary\" or \"secondary\".",
     .markdown = "The side that is active: `\"primary\"` or `\"secondary\"`. Changing it is a switch (in-place "
                 "update) and needs a new `reason`.",
     .validators = {{fo_validate_one_of, sides}}},
    {.name = "reason",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "Why the active side is what it is; a switch needs a new reason.",
     .markdown = "Why the active side is what it is (for the audit trail). A change of `active` must come with a "
                 "new `reason`, otherwise planning fails.",
     .validators = {{fo_validate_length, reason_len}}},
    {.name = "switched_at",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "When the active side last changed (RFC 3339, UTC). Unknown in plans that switch.",
     .markdown = "When the active side last changed (RFC 3339, UTC, e.g. `2026-11-25T17:00:00Z`). Known and unchanged "
                 "in plans that do not change `active`, unknown in plans that do."},
    {.name = "previous",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "The side that was active before the last switch; null until the first switch.",
     .markdown = "The side that was active before the last switch; `null` until the first switch."},
    {.name = "generation",
     .type = "\"number\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "1 on create, incremented by each switch.",
     .markdown = "`1` on create, incremented by each switch."},
};

static const fo_schema switch_schema = {
    .version = 0,
    .block =
        {
            .attrs = switch_attrs,
            .n_attrs = FO_COUNT(switch_attrs),
            .description = "The recorded decision of which side of the disaster-recovery pair is active.",
            .markdown = "The recorded decision of which side of the disaster-recovery pair is active. DR resources "
                        "take their mode from it, so Terraform orders the activation steps after it.",
        },
};

/* ---- clock and ids --------------------------------------------------------- */

/* The call's clock (tests pass a virtual one through the call). */
static fo_cty_value *now_rfc3339(const fo_call *c) {
  char buf[21];
  fo_clock_rfc3339(c->clock, buf);
  return fo_cty_string_z(buf);
}

static fo_cty_value *new_id(const fo_call *c) {
  static atomic_ulong counter;
  unsigned char rnd[8] = {0};
  char buf[32];
  if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
    /* No entropy source: time and a counter are unique enough for a record id. */
    unsigned long long x = (unsigned long long)fo_clock_wall(c->clock) * 1000003ULL + atomic_fetch_add(&counter, 1);
    memcpy(rnd, &x, sizeof(rnd));
  }
  snprintf(buf, sizeof(buf), "fs-%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5],
           rnd[6], rnd[7]);
  return fo_cty_string_z(buf);
}

static int set_copy(fo_cty_value **obj, const char *name, const fo_cty_value *from) {
  return fo_object_set(obj, name, fo_cty_value_ref(fo_cty_get_attr(from, name)));
}

static fo_cty_value *null_string(void) {
  fo_cty_type *t = fo_cty_type_string();
  fo_cty_value *v = fo_cty_null(t);
  fo_cty_type_unref(t);
  return v;
}

static int known_str(const fo_cty_value *obj, const char *name, const char **out) {
  const fo_cty_value *v = fo_cty_get_attr(obj, name);
  *out = NULL;
  if (!v || !fo_cty_is_known(v))
    return 0;
  if (!fo_cty_is_null(v))
    *out = fo_cty_as_string(v, NULL);
  return 1;
}

/* ---- plan ---------------------------------------------------------------------- */

static int switch_modify_plan(fo_call *c, const fo_cty_value *prior, const fo_cty_value *config,
                              fo_cty_value **planned) {
  const char *cfg_active, *prior_active, *cfg_reason, *prior_reason;
  const fo_cty_value *gen;
  int64_t g = 0;
  int error;

  if (fo_cty_is_null(*planned))
    return FO_OK; /* destroy */
  if (fo_cty_is_null(prior)) {
    /* Create: previous is known to be null, generation known to be 1. */
    if ((error = fo_object_set(planned, "previous", null_string())) < 0)
      return error;
    return fo_object_set(planned, "generation", fo_cty_number_int(1));
  }
  /* id never changes in place. */
  if ((error = set_copy(planned, "id", prior)) < 0)
    return error;
  if (!known_str(config, "active", &cfg_active) || !cfg_active) {
    /* Active not known yet: whether this is a switch is decided at apply. */
    if ((error = fo_object_set(planned, "switched_at", fo_object_unknown_attr(*planned, "switched_at"))) < 0 ||
        (error = fo_object_set(planned, "previous", fo_object_unknown_attr(*planned, "previous"))) < 0)
      return error;
    return fo_object_set(planned, "generation", fo_object_unknown_attr(*planned, "generation"));
  }
  known_str(prior, "active", &prior_active);
  if (prior_active && strcmp(cfg_active, prior_active) == 0) {
    /* Not a switch: the record of the last switch stays as it is. */
    if ((error = set_copy(planned, "switched_at", prior)) < 0 || (error = set_copy(planned, "previous", prior)) < 0)
      return error;
    return set_copy(planned, "generation", prior);
  }
  /* A switch. */
  if (known_str(config, "reason", &cfg_reason) && known_str(prior, "reason", &prior_reason) && cfg_reason &&
      prior_reason && strcmp(cfg_reason, prior_reason) == 0) {
    fo_diags_attr_error(c->diags, "reason", "A switch needs a new reason",
                        "active changes from \"%s\" to \"%s\" but reason is still \"%s\"; say why this switch happens "
                        "(the reason is recorded with the switch)",
                        prior_active ? prior_active : "(none)", cfg_active, cfg_reason);
  }
  gen = fo_cty_get_attr(prior, "generation");
  if (gen && fo_cty_is_known(gen) && !fo_cty_is_null(gen))
    fo_cty_number_as_int64(gen, &g);
  if ((error = fo_object_set(planned, "switched_at", fo_object_unknown_attr(*planned, "switched_at"))) < 0)
    return error;
  if ((error = fo_object_set(planned, "previous", prior_active ? fo_cty_string_z(prior_active) : null_string())) < 0)
    return error;
  return fo_object_set(planned, "generation", fo_cty_number_int(g + 1));
}

/* ---- apply ------------------------------------------------------------------- */

/* Fill what the plan left unknown. Values are unknown at plan time on create,
 * on a switch, or when `active` itself was unknown; `switched` says which
 * case this is now that everything is known. */
static int fill_unknowns(const fo_call *c, fo_cty_value **state, const fo_cty_value *prior) {
  const char *a = NULL, *pa = NULL;
  const fo_cty_value *pg;
  int64_t g = 0;
  int have_prior = prior && !fo_cty_is_null(prior), switched, error = FO_OK;

  known_str(*state, "active", &a);
  if (have_prior)
    known_str(prior, "active", &pa);
  switched = !have_prior || !a || !pa || strcmp(a, pa) != 0;
  pg = have_prior ? fo_cty_get_attr(prior, "generation") : NULL;
  if (pg && fo_cty_is_known(pg) && !fo_cty_is_null(pg))
    fo_cty_number_as_int64(pg, &g);

  if (!fo_cty_is_known(fo_cty_get_attr(*state, "id")))
    error = fo_object_set(state, "id", have_prior ? fo_cty_value_ref(fo_cty_get_attr(prior, "id")) : new_id(c));
  if (error >= 0 && !fo_cty_is_known(fo_cty_get_attr(*state, "switched_at")))
    error = fo_object_set(state, "switched_at",
                          switched ? now_rfc3339(c) : fo_cty_value_ref(fo_cty_get_attr(prior, "switched_at")));
  if (error >= 0 && !fo_cty_is_known(fo_cty_get_attr(*state, "previous"))) {
    if (!switched)
      error = set_copy(state, "previous", prior);
    else
      error = fo_object_set(state, "previous", pa ? fo_cty_string_z(pa) : null_string());
  }
  if (error >= 0 && !fo_cty_is_known(fo_cty_get_attr(*state, "generation")))
    error = fo_object_set(state, "generation", fo_cty_number_int(switched ? g + 1 : (g ? g : 1)));
  return error;
}

/* Create and update: the planned record with what was unknown filled in. */
static int apply_record(const fo_call *c, const fo_cty_value *prior, const fo_cty_value *planned, fo_cty_value **out) {
  fo_cty_value *state = fo_cty_value_ref(planned);
  int error;
  if ((error = fill_unknowns(c, &state, prior)) < 0) {
    fo_cty_value_unref(state);
    return error;
  }
  *out = state;
  return FO_OK;
}

static int switch_create(fo_call *c, const fo_cty_value *planned, const fo_cty_value *config, fo_cty_value **out) {
  (void)config;
  return apply_record(c, NULL, planned, out);
}

static int switch_update(fo_call *c, const fo_cty_value *prior, const fo_cty_value *planned, const fo_cty_value *config,
                         fo_cty_value **out) {
  (void)config;
  return apply_record(c, prior, planned, out);
}

static int switch_read(fo_call *c, const fo_cty_value *state, fo_cty_value **out) {
  (void)c;
  *out = fo_cty_value_ref(state); /* the state is the record: nothing can drift */
  return FO_OK;
}

static int switch_destroy(fo_call *c, const fo_cty_value *prior) {
  (void)c;
  (void)prior;
  return FO_OK;
}

static int switch_import(fo_call *c, const char *id, fo_cty_value **out) {
  fo_cty_value *state;
  int error = FO_OK;
  *out = NULL;
  if (strcmp(id, "primary") != 0 && strcmp(id, "secondary") != 0) {
    /* Long IDs are not echoed: the message must fit a diagnostic whatever came in. */
    fo_diags_error(c->diags, NULL, "Invalid import ID",
                   "'%s' is not a side; import a failover_switch by its active side: \"primary\" or \"secondary\"",
                   strlen(id) <= 100 ? id : "(a long ID)");
    return FO_EINVAL;
  }
  if (!(state = fo_schema_empty_value(&switch_schema.block)))
    return FO_ENOMEM;
  if ((error = fo_object_set(&state, "id", new_id(c))) < 0 ||
      (error = fo_object_set_string(&state, "active", id)) < 0 ||
      (error = fo_object_set_string(&state, "reason", "imported")) < 0 ||
      (error = fo_object_set(&state, "switched_at", now_rfc3339(c))) < 0 ||
      (error = fo_object_set(&state, "generation", fo_cty_number_int(1))) < 0) {
    fo_cty_value_unref(state);
    return error;
  }
  *out = state;
  return FO_OK;
}

const fo_resource fo_switch_resource = {
    .type_name = "failover_switch",
    .schema = &switch_schema,
    .modify_plan = switch_modify_plan,
    .create = switch_create,
    .read = switch_read,
    .update = switch_update,
    .destroy = switch_destroy,
    .import = switch_import,
};
