/* failover_weight_pair: the two weighted Route53 records of one name, flipped
 * in one atomic batch. This file: schema, plan-time validation and planning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fo_err.h"
#include "fo_validators.h"
#include "weight_pair.h"

static const char *const sides[] = {"primary", "secondary", NULL};
static const char *const rr_types[] = {"A",   "AAAA", "CAA", "CNAME", "DS",   "HTTPS", "MX",  "NAPTR", "NS",
                                       "PTR", "SPF",  "SRV", "SSHFP", "SVCB", "TLSA",  "TXT", NULL};
static const int64_t weight_range[2] = {0, 255};
static const int64_t ttl_range[2] = {0, 2147483647};
static const size_t set_id_len[2] = {1, 128};
static const size_t name_len[2] = {1, 1024};

static const fo_attr alias_attrs[] = {
    {.name = "name",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "DNS name of the alias target (a load balancer, CloudFront distribution, another record).",
     .validators = {{fo_validate_length, name_len}}},
    {.name = "zone_id",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "Hosted zone ID of the alias target (e.g. the load balancer's canonical hosted zone ID).",
     .validators = {{fo_validate_length, name_len}}},
    {.name = "evaluate_target_health",
     .type = "\"bool\"",
     .flags = FO_ATTR_OPTIONAL,
     .description = "Whether Route53 checks the health of the alias target (default false).",
     .markdown = "Whether Route53 checks the health of the alias target (default `false`). With `true` on both "
                 "sides Route53 answers with the standby record when the active target is unhealthy, without any "
                 "API call."},
};

static const fo_block alias_block = {
    .attrs = alias_attrs,
    .n_attrs = FO_COUNT(alias_attrs),
    .description = "An alias record instead of records and ttl.",
};

static const fo_block_type side_blocks[] = {
    {.type_name = "alias", .nesting = FO_NEST_SINGLE, .block = &alias_block, .min_items = 0, .max_items = 0},
};

static const fo_attr side_attrs[] = {
    {.name = "set_identifier",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "Route53 SetIdentifier of this side's weighted record; the two sides must differ.",
     .validators = {{fo_validate_length, set_id_len}}},
    {.name = "records",
     .type = "[\"set\",\"string\"]",
     .flags = FO_ATTR_OPTIONAL,
     .description = "Record values (e.g. IP addresses); exactly one of records (with ttl) or alias."},
    {.name = "ttl",
     .type = "\"number\"",
     .flags = FO_ATTR_OPTIONAL,
     .description = "TTL in seconds of the records; required with records, not allowed with alias, the same on both "
                    "sides.",
     .validators = {{fo_validate_int_range, ttl_range}}},
    {.name = "health_check_id",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL,
     .description = "Route53 health check of this side's record; with one on each side Route53 fails over by itself "
                    "when the active side is unhealthy.",
     .validators = {{fo_validate_length, set_id_len}}},
};

static const fo_block side_block = {
    .attrs = side_attrs,
    .n_attrs = FO_COUNT(side_attrs),
    .blocks = side_blocks,
    .n_blocks = FO_COUNT(side_blocks),
    .description = "One side's weighted record.",
};

/* The conventional timeouts block (fo_timeouts_seconds reads it): create,
 * update and delete bound the INSYNC wait; read is accepted for symmetry. */
#define FO_WP_TIMEOUT(op, what)                                                                                       \
  {                                                                                                                   \
    .name = op, .type = "\"string\"", .flags = FO_ATTR_OPTIONAL,                                                      \
    .description = "How long " what " may wait for Route53 to report the change INSYNC, e.g. \"10m\" (default 10m).", \
    .validators = {                                                                                                   \
      {fo_validate_duration, NULL}                                                                                    \
    }                                                                                                                 \
  }

static const fo_attr timeout_attrs[] = {
    FO_WP_TIMEOUT("create", "create"),
    FO_WP_TIMEOUT("update", "an update or a flip"),
    FO_WP_TIMEOUT("delete", "delete"),
    FO_WP_TIMEOUT("read", "a read"),
};

static const fo_block timeouts_block = {
    .attrs = timeout_attrs,
    .n_attrs = FO_COUNT(timeout_attrs),
    .description = "Operation timeouts.",
};

static const fo_block_type fo_wp_blocks[] = {
    {.type_name = "primary", .nesting = FO_NEST_SINGLE, .block = &side_block, .min_items = 1, .max_items = 1},
    {.type_name = "secondary", .nesting = FO_NEST_SINGLE, .block = &side_block, .min_items = 1, .max_items = 1},
    {.type_name = "timeouts", .nesting = FO_NEST_SINGLE, .block = &timeouts_block, .min_items = 0, .max_items = 0},
};

static const fo_attr fo_wp_attrs[] = {
    {.name = "id",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "ZONEID_name_type_primarySet_secondarySet (the import ID)."},
    {.name = "zone_id",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED | FO_ATTR_REQUIRES_REPLACE,
     .description = "Route53 hosted zone ID of both records.",
     .validators = {{fo_validate_length, name_len}}},
    {.name = "name",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED | FO_ATTR_REQUIRES_REPLACE,
     .description = "Record name, inside the zone (e.g. app.example.com).",
     .validators = {{fo_validate_length, name_len}}},
    {.name = "type",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED | FO_ATTR_REQUIRES_REPLACE,
     .description = "Record type (A, AAAA, CNAME ...).",
     .validators = {{fo_validate_one_of, rr_types}}},
    {.name = "active",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "The side that gets active_weight: \"primary\" or \"secondary\"; changing it is the flip.",
     .markdown = "The side that gets `active_weight`: `\"primary\"` or `\"secondary\"`. Changing it is the flip: one "
                 "batch that swaps the weights.",
     .validators = {{fo_validate_one_of, sides}}},
    {.name = "active_weight",
     .type = "\"number\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "255",
     .description = "Weight of the active side's record, 0-255 (default 255).",
     .validators = {{fo_validate_int_range, weight_range}}},
    {.name = "standby_weight",
     .type = "\"number\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "0",
     .description = "Weight of the standby side's record, 0-255 (default 0); never 0 together with active_weight.",
     .validators = {{fo_validate_int_range, weight_range}}},
    {.name = "wait_for_sync",
     .type = "\"bool\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "true",
     .description = "Wait until Route53 reports the change INSYNC (default true)."},
    {.name = "require_healthy_target",
     .type = "\"bool\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "false",
     .description = "Refuse to make a side active while its health check reports unhealthy (default false)."},
    {.name = "fqdn",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "The record name as Route53 holds it: lower case with the trailing dot."},
    {.name = "primary_weight",
     .type = "\"number\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "Current weight of the primary record (null when the record is missing)."},
    {.name = "secondary_weight",
     .type = "\"number\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "Current weight of the secondary record (null when the record is missing)."},
    {.name = "change_id",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "ID of the last Route53 change batch this resource sent."},
    {.name = "change_status",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "Status of that change: PENDING or INSYNC."},
    {.name = "switched_at",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "When active last changed (RFC 3339, UTC)."},
    {.name = "started_at",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "When the last change batch was sent (RFC 3339, UTC)."},
    {.name = "finished_at",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "When Route53 reported that change INSYNC (or when it was accepted, with wait_for_sync = false); "
                    "null while it is PENDING."},
};

const fo_schema fo_wp_schema = {
    .version = 0,
    .block =
        {
            .attrs = fo_wp_attrs,
            .n_attrs = FO_COUNT(fo_wp_attrs),
            .blocks = fo_wp_blocks,
            .n_blocks = FO_COUNT(fo_wp_blocks),
            .description = "The two weighted Route53 records of one name, flipped between primary and secondary in "
                           "one atomic change batch.",
        },
};

const char *const fo_wp_side_names[FO_WP_SIDES] = {"primary", "secondary"};

/* ---- value helpers ----------------------------------------------------------- */

const char *fo_wp_str(const fo_cty_value *obj, const char *name) {
  const fo_cty_value *v = fo_object_known_attr(obj, name);
  return v && fo_cty_value_kind(v) == FO_CTY_STRING ? fo_cty_as_string(v, NULL) : NULL;
}

int64_t fo_wp_int(const fo_cty_value *obj, const char *name, int64_t dflt) {
  const fo_cty_value *v = fo_object_known_attr(obj, name);
  int64_t i;
  if (!v || fo_cty_value_kind(v) != FO_CTY_NUMBER || fo_cty_number_as_int64(v, &i) < 0)
    return dflt;
  return i;
}

int fo_wp_bool(const fo_cty_value *obj, const char *name, int dflt) {
  const fo_cty_value *v = fo_object_known_attr(obj, name);
  return v && fo_cty_value_kind(v) == FO_CTY_BOOL ? fo_cty_as_bool(v) : dflt;
}

const fo_cty_value *fo_wp_side(const fo_cty_value *obj, int side) {
  return fo_object_known_attr(obj, fo_wp_side_names[side]);
}

static int is_unknown(const fo_cty_value *obj, const char *name) {
  const fo_cty_value *v = obj && fo_cty_is_known(obj) && !fo_cty_is_null(obj) ? fo_cty_get_attr(obj, name) : NULL;
  return v && !fo_cty_is_known(v);
}

int fo_wp_name_in_zone(const char *fqdn, const char *zone_name) {
  size_t n = strlen(fqdn), z = strlen(zone_name);
  if (n == z)
    return strcasecmp(fqdn, zone_name) == 0;
  return n > z && fqdn[n - z - 1] == '.' && strcasecmp(fqdn + n - z, zone_name) == 0;
}

/* ---- validation ------------------------------------------------------------------ */

static void side_error(fo_diags *d, int side, const char *attr, const char *summary, const char *detail) {
  fo_cty_path p;
  fo_cty_path_init(&p);
  if (fo_cty_path_push_attr(&p, fo_wp_side_names[side]) >= 0 && (!attr || fo_cty_path_push_attr(&p, attr) >= 0))
    fo_diags_error(d, &p, summary, "%s", detail);
  fo_cty_path_dispose(&p);
}

/* Every rule that needs only the configuration; paths point at the attribute. */
static void fo_wp_validate(fo_call *c, const fo_cty_value *config) {
  const fo_cty_value *sv[FO_WP_SIDES];
  int64_t ttl[FO_WP_SIDES];
  char detail[512];

  for (int s = 0; s < FO_WP_SIDES; s++) {
    const fo_cty_value *side = sv[s] = fo_wp_side(config, s);
    int has_records, has_alias;
    ttl[s] = -1;
    if (!side)
      continue;
    has_records = !fo_cty_is_null(fo_cty_get_attr(side, "records")) || is_unknown(side, "records");
    has_alias = !fo_cty_is_null(fo_cty_get_attr(side, "alias")) || is_unknown(side, "alias");
    ttl[s] = fo_wp_int(side, "ttl", -1);
    if (has_records == has_alias)
      side_error(c->diags, s, has_records ? "alias" : NULL, "Records or alias",
                 has_records ? "set either records (with ttl) or an alias block, not both"
                             : "set either records (with ttl) or an alias block");
    if (has_alias && !has_records && (!fo_cty_is_null(fo_cty_get_attr(side, "ttl")) || is_unknown(side, "ttl")))
      side_error(c->diags, s, "ttl", "ttl with an alias",
                 "an alias record has no TTL of its own (Route53 uses the target's); remove ttl or the alias block");
    if (has_records && !has_alias && fo_cty_is_null(fo_cty_get_attr(side, "ttl")))
      side_error(c->diags, s, "ttl", "Missing ttl", "records need a ttl (the same on both sides)");
    if (fo_object_known_attr(side, "records") && fo_cty_length(fo_cty_get_attr(side, "records")) == 0)
      side_error(c->diags, s, "records", "Empty records", "records needs at least one value");
  }
  if (sv[0] && sv[1]) {
    const char *a = fo_wp_str(sv[0], "set_identifier"), *b = fo_wp_str(sv[1], "set_identifier");
    if (a && b && strcmp(a, b) == 0) {
      snprintf(detail, sizeof(detail),
               "primary and secondary both use set_identifier \"%s\"; the two weighted records need different ones",
               strlen(a) <= 128 ? a : "(long)");
      side_error(c->diags, 1, "set_identifier", "Set identifiers must differ", detail);
    }
    if (ttl[0] >= 0 && ttl[1] >= 0 && ttl[0] != ttl[1]) {
      snprintf(detail, sizeof(detail),
               "primary.ttl is %lld but secondary.ttl is %lld; Route53 requires one TTL for all records of a weighted "
               "set (name and type)",
               (long long)ttl[0], (long long)ttl[1]);
      side_error(c->diags, 1, "ttl", "TTL differs between the records", detail);
    }
  }
  {
    int64_t aw = fo_wp_int(config, "active_weight", is_unknown(config, "active_weight") ? -1 : 255);
    int64_t sw = fo_wp_int(config, "standby_weight", is_unknown(config, "standby_weight") ? -1 : 0);
    if (aw == 0 && sw == 0)
      fo_diags_attr_error(c->diags,
                          fo_cty_is_null(fo_cty_get_attr(config, "active_weight")) ? "standby_weight" : "active_weight",
                          "Both weights are 0",
                          "active_weight and standby_weight are both 0: Route53 then splits traffic evenly between "
                          "the two records, the opposite of a failover; give the active side a weight above 0");
  }
  {
    const char *name = fo_wp_str(config, "name");
    if (name && (strchr(name, ' ') || strstr(name, "..") || name[0] == '.'))
      fo_diags_attr_error(c->diags, "name", "Invalid record name", "'%s' is not a DNS name",
                          strlen(name) <= 200 ? name : "(long)");
  }
}

/* ---- planning -------------------------------------------------------------------- */

static fo_cty_value *num_or_unknown(int64_t v) {
  if (v >= 0)
    return fo_cty_number_int(v);
  fo_cty_type *t = fo_cty_type_number();
  fo_cty_value *u = fo_cty_unknown(t);
  fo_cty_type_unref(t);
  return u;
}

static fo_cty_value *unknown_string(void) {
  fo_cty_type *t = fo_cty_type_string();
  fo_cty_value *u = fo_cty_unknown(t);
  fo_cty_type_unref(t);
  return u;
}

static int copy_attr(fo_cty_value **obj, const char *name, const fo_cty_value *from) {
  return fo_object_set(obj, name, fo_cty_value_ref(fo_cty_get_attr(from, name)));
}

/* The zone's name from Route53 (plan time: the provider is configured then). */
static void check_name_in_zone(fo_call *c, const fo_cty_value *config, const char *fqdn) {
  const char *zone_id = fo_wp_str(config, "zone_id");
  fo_aws_client *aws;
  char *zone_name = NULL;
  if (!zone_id || !fqdn)
    return;
  if (!(aws = fo_wp_aws(c)))
    return;
  if (fo_aws_route53_zone_name(&zone_name, aws, fo_wp_cancel(c), zone_id) < 0)
    fo_diags_from_err(c->diags, NULL, "Cannot read the hosted zone");
  else if (!fo_wp_name_in_zone(fqdn, zone_name))
    fo_diags_attr_error(c->diags, "name", "Name outside the zone", "'%s' is not inside hosted zone %s (%s)", fqdn,
                        zone_id, zone_name);
  free(zone_name);
  fo_wp_aws_release(c, aws);
}

static int fo_wp_modify_plan(fo_call *c, const fo_cty_value *prior, const fo_cty_value *config,
                             fo_cty_value **planned) {
  const char *active, *name, *prior_active;
  int64_t aw, sw;
  int have_prior, error, flip;
  char *fqdn = NULL;

  if (fo_cty_is_null(*planned))
    return FO_OK; /* destroy */
  have_prior = prior && !fo_cty_is_null(prior);
  active = fo_wp_str(*planned, "active");
  aw = fo_wp_int(*planned, "active_weight", -1);
  sw = fo_wp_int(*planned, "standby_weight", -1);
  name = fo_wp_str(*planned, "name");

  /* fqdn follows from name. */
  if (name) {
    if (!(fqdn = fo_aws_route53_fqdn(name)))
      return fo_err_oom();
    if ((error = fo_object_set_string(planned, "fqdn", fqdn)) < 0)
      goto done;
    if (!have_prior || !fo_wp_str(prior, "fqdn") || strcmp(fo_wp_str(prior, "fqdn"), fqdn) != 0)
      check_name_in_zone(c, config, fqdn);
  }
  /* The weights each record will have: what makes drift visible as a diff. */
  if (active) {
    int primary = strcmp(active, "primary") == 0;
    if ((error = fo_object_set(planned, "primary_weight", num_or_unknown(primary ? aw : sw))) < 0 ||
        (error = fo_object_set(planned, "secondary_weight", num_or_unknown(primary ? sw : aw))) < 0)
      goto done;
  } else if ((error = fo_object_set(planned, "primary_weight", num_or_unknown(-1))) < 0 ||
             (error = fo_object_set(planned, "secondary_weight", num_or_unknown(-1))) < 0)
    goto done;

  /* A create or a flip that would make an unhealthy side active fails here already. */
  prior_active = have_prior ? fo_wp_str(prior, "active") : NULL;
  if (active && (!have_prior || !prior_active || strcmp(active, prior_active) != 0) &&
      fo_wp_bool(*planned, "require_healthy_target", 0)) {
    fo_aws_client *aws = fo_wp_aws(c);
    if (aws)
      (void)fo_wp_check_healthy_target(c, aws, *planned, strcmp(active, "secondary") == 0);
    fo_wp_aws_release(c, aws);
  }
  if (!have_prior) {
    error = FO_OK; /* create: id, change and switched_at are unknown (the framework's default) */
    goto done;
  }
  if ((error = copy_attr(planned, "id", prior)) < 0)
    goto done;
  flip = !active || !prior_active || strcmp(active, prior_active) != 0;
  if ((error = fo_object_set(planned, "switched_at",
                             flip ? unknown_string() : fo_cty_value_ref(fo_cty_get_attr(prior, "switched_at")))) < 0)
    goto done;
  {
    /* Anything to send? Then a new change id; else keep the last one, unless
     * it is still PENDING and we are to wait for it (the next apply waits for
     * it instead of sending the batch again). */
    fo_cty_value *a = fo_cty_value_ref(*planned), *b = fo_cty_value_ref(prior);
    const char *status = fo_wp_str(prior, "change_status");
    int pending = status && strcmp(status, "PENDING") == 0 && fo_wp_bool(*planned, "wait_for_sync", 1);
    int same;
    static const char *const volatile_attrs[] = {"change_id",  "change_status", "switched_at",
                                                 "timeouts",   "wait_for_sync", "require_healthy_target",
                                                 "started_at", "finished_at"};
    for (size_t i = 0; i < FO_COUNT(volatile_attrs) && error >= 0; i++)
      if ((error = copy_attr(&a, volatile_attrs[i], b)) < 0)
        break;
    same = error >= 0 && fo_cty_value_equal(a, b) && fo_cty_is_wholly_known(a);
    fo_cty_value_unref(a);
    fo_cty_value_unref(b);
    if (error < 0)
      goto done;
    /* The step's times: new when a batch is sent; a PENDING change keeps its start and finishes now. */
    if ((error = fo_object_set(planned, "started_at",
                               same ? fo_cty_value_ref(fo_cty_get_attr(prior, "started_at")) : unknown_string())) < 0 ||
        (error = fo_object_set(
             planned, "finished_at",
             same && !pending ? fo_cty_value_ref(fo_cty_get_attr(prior, "finished_at")) : unknown_string())) < 0)
      goto done;
    if (same && !pending) {
      if ((error = copy_attr(planned, "change_id", prior)) < 0 ||
          (error = copy_attr(planned, "change_status", prior)) < 0)
        goto done;
    } else {
      if ((error = fo_object_set(planned, "change_id",
                                 same ? fo_cty_value_ref(fo_cty_get_attr(prior, "change_id")) : unknown_string())) <
              0 ||
          (error = fo_object_set(planned, "change_status", unknown_string())) < 0)
        goto done;
    }
  }
  error = FO_OK;
done:
  free(fqdn);
  return error;
}

const fo_resource fo_weight_pair_resource = {
    .type_name = "failover_weight_pair",
    .schema = &fo_wp_schema,
    .validate = fo_wp_validate,
    .modify_plan = fo_wp_modify_plan,
    .create = fo_wp_create,
    .read = fo_wp_read,
    .update = fo_wp_update,
    .destroy = fo_wp_destroy,
    .import = fo_wp_import,
};
