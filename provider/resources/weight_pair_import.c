/* failover_weight_pair import (ZONEID_name_type_primarySet_secondarySet) and
 * the failover_weight_pair data source: a pair's live state from Route53. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_err.h"
#include "fo_validators.h"
#include "weight_pair.h"

static const char *const known_types[] = {"A",   "AAAA", "CAA", "CNAME", "DS",   "HTTPS", "MX",  "NAPTR", "NS",
                                          "PTR", "SPF",  "SRV", "SSHFP", "SVCB", "TLSA",  "TXT", NULL};

static int is_type(const char *s, size_t n) {
  for (size_t i = 0; known_types[i]; i++)
    if (strlen(known_types[i]) == n && strncmp(known_types[i], s, n) == 0)
      return 1;
  return 0;
}

/* The side block (object of the schema's side type) for a live record. */
static fo_cty_value *side_value(const fo_cty_type *t, const fo_aws_route53_rrset *r) {
  size_t n = fo_cty_type_count(t);
  fo_cty_value **vals = calloc(n, sizeof(*vals)), *obj;
  if (!vals)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    const char *name = fo_cty_type_attr_name(t, i);
    const fo_cty_type *at = fo_cty_type_attr_type(t, i);
    if (strcmp(name, "set_identifier") == 0)
      vals[i] = fo_cty_string_z(r->set_identifier);
    else if (strcmp(name, "health_check_id") == 0 && r->health_check_id)
      vals[i] = fo_cty_string_z(r->health_check_id);
    else if (strcmp(name, "ttl") == 0 && !r->alias_dns_name)
      vals[i] = fo_cty_number_int(r->ttl);
    else if (strcmp(name, "records") == 0 && !r->alias_dns_name) {
      fo_cty_value **e = calloc(r->n_values ? r->n_values : 1, sizeof(*e));
      for (size_t j = 0; e && j < r->n_values; j++)
        e[j] = fo_cty_string_z(r->values[j]);
      vals[i] = e ? fo_cty_set(fo_cty_type_elem(at), r->n_values, e) : NULL;
      free(e);
    } else if (strcmp(name, "alias") == 0 && r->alias_dns_name) {
      fo_cty_value *av[3];
      for (size_t j = 0; j < fo_cty_type_count(at) && j < 3; j++) {
        const char *an = fo_cty_type_attr_name(at, j);
        if (strcmp(an, "name") == 0)
          av[j] = fo_cty_string_z(r->alias_dns_name);
        else if (strcmp(an, "zone_id") == 0)
          av[j] = fo_cty_string_z(r->alias_zone_id ? r->alias_zone_id : "");
        else /* evaluate_target_health: null means false, as most configurations leave it */
          av[j] = r->alias_evaluate_health ? fo_cty_bool(1) : fo_cty_null(fo_cty_type_attr_type(at, j));
      }
      vals[i] = fo_cty_object(at, av);
    } else
      vals[i] = fo_cty_null(at);
  }
  obj = fo_cty_object(t, vals);
  free(vals);
  return obj;
}

static const fo_cty_type *attr_type(const fo_cty_value *obj, const char *name) {
  return fo_cty_value_type(fo_cty_get_attr(obj, name));
}

int fo_wp_import(fo_call *c, const char *id, fo_cty_value **out) {
  char *copy = strdup(id), *zone, *name, *type = NULL, *rest = NULL, *fqdn = NULL;
  fo_aws_route53_rrset *live = NULL;
  fo_aws_client *aws = NULL;
  const fo_aws_route53_rrset *rp = NULL, *rs = NULL;
  fo_cty_value *state = NULL;
  size_t n_live = 0;
  int error = FO_OK, matches = 0;

  *out = NULL;
  if (!copy)
    return fo_err_oom();
  /* ZONEID_name_type_primarySet_secondarySet: the name may hold "_" (e.g.
   * _dmarc), so the type is the first part after the zone that is a record
   * type; set identifiers may hold "_" too, so every split of the rest is
   * tried against the live records. */
  zone = copy;
  name = strchr(copy, '_');
  if (name) {
    *name++ = '\0';
    for (char *p = name; (p = strchr(p, '_')); p++) {
      char *end = strchr(p + 1, '_');
      if (end && is_type(p + 1, (size_t)(end - p - 1))) {
        *p = '\0';
        *end = '\0';
        type = p + 1;
        rest = end + 1;
        break;
      }
    }
  }
  if (!name || !*zone || !*name || !type || !rest || !strchr(rest, '_')) {
    fo_diags_error(c->diags, NULL, "Invalid import ID",
                   "expected ZONEID_name_type_primarySet_secondarySet (e.g. Z0123456789ABC_app.example.com_A_primary_"
                   "secondary), got '%s'",
                   strlen(id) <= 200 ? id : "(a long ID)");
    error = FO_EINVAL;
    goto done;
  }
  if (!(aws = fo_wp_aws(c))) {
    error = FO_EINVAL;
    goto done;
  }
  if ((error = fo_aws_route53_rrset_read(&live, &n_live, aws, fo_wp_cancel(c), zone, name, type)) < 0)
    goto done;
  for (char *p = rest; (p = strchr(p, '_')); p++) {
    const fo_aws_route53_rrset *a, *b;
    *p = '\0';
    a = fo_aws_route53_rrset_find(live, n_live, rest);
    b = fo_aws_route53_rrset_find(live, n_live, p + 1);
    if (a && b && a->weight >= 0 && b->weight >= 0) {
      rp = a;
      rs = b;
      matches++;
    }
    *p = '_';
  }
  if (matches != 1) {
    fo_diags_error(c->diags, NULL, matches ? "Ambiguous import ID" : "Weighted records not found",
                   matches ? "'%s' splits into more than one pair of existing set identifiers"
                           : "no two weighted %s records named %s with the set identifiers in '%s' exist in zone %s",
                   matches ? rest : type, matches ? "" : name, rest, zone);
    error = FO_ENOTFOUND;
    goto done;
  }
  if (!(state = fo_schema_empty_value(&fo_wp_schema.block)) || !(fqdn = fo_aws_route53_fqdn(name))) {
    error = fo_err_oom();
    goto done;
  }
  {
    int secondary = rs->weight > rp->weight;
    long hi = secondary ? rs->weight : rp->weight, lo = secondary ? rp->weight : rs->weight;
    char idbuf[2048];
    snprintf(idbuf, sizeof(idbuf), "%s_%s_%s_%s_%s", zone, name, type, rp->set_identifier, rs->set_identifier);
    if ((error = fo_object_set_string(&state, "id", idbuf)) < 0 ||
        (error = fo_object_set_string(&state, "zone_id", zone)) < 0 ||
        (error = fo_object_set_string(&state, "name", name)) < 0 ||
        (error = fo_object_set_string(&state, "type", type)) < 0 ||
        (error = fo_object_set_string(&state, "fqdn", fqdn)) < 0 ||
        (error = fo_object_set_string(&state, "active", secondary ? "secondary" : "primary")) < 0 ||
        (error = fo_object_set(&state, "active_weight", fo_cty_number_int(hi))) < 0 ||
        (error = fo_object_set(&state, "standby_weight", fo_cty_number_int(lo))) < 0 ||
        (error = fo_object_set(&state, "primary_weight", fo_cty_number_int(rp->weight))) < 0 ||
        (error = fo_object_set(&state, "secondary_weight", fo_cty_number_int(rs->weight))) < 0 ||
        (error = fo_object_set(&state, "wait_for_sync", fo_cty_bool(1))) < 0 ||
        (error = fo_object_set(&state, "require_healthy_target", fo_cty_bool(0))) < 0 ||
        (error = fo_object_set(&state, "primary", side_value(attr_type(state, "primary"), rp))) < 0 ||
        (error = fo_object_set(&state, "secondary", side_value(attr_type(state, "secondary"), rs))) < 0)
      goto done;
  }
  *out = state;
  state = NULL;
done:
  fo_cty_value_unref(state);
  fo_aws_route53_rrsets_free(live, n_live);
  if (aws)
    fo_wp_aws_release(c, aws);
  free(fqdn);
  free(copy);
  return error;
}

/* ---- data source ------------------------------------------------------------------ */

static const size_t ds_len[2] = {1, 1024};

static const fo_attr ds_attrs[] = {
    {.name = "zone_id",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "Route53 hosted zone ID.",
     .validators = {{fo_validate_length, ds_len}}},
    {.name = "name",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "Record name (e.g. app.example.com).",
     .validators = {{fo_validate_length, ds_len}}},
    {.name = "type", .type = "\"string\"", .flags = FO_ATTR_REQUIRED, .description = "Record type (A, CNAME ...)."},
    {.name = "primary_set_identifier",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "SetIdentifier of the primary record."},
    {.name = "secondary_set_identifier",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "SetIdentifier of the secondary record."},
    {.name = "active",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "The side with the higher weight: \"primary\" or \"secondary\"; \"split\" when the weights are "
                    "equal, \"none\" when a record is missing."},
    {.name = "fqdn",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "The record name as Route53 holds it."},
    {.name = "primary_weight",
     .type = "\"number\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "Weight of the primary record (null when missing)."},
    {.name = "secondary_weight",
     .type = "\"number\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "Weight of the secondary record (null when missing)."},
    {.name = "primary_health_check_id",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "Health check of the primary record (null when none)."},
    {.name = "secondary_health_check_id",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "Health check of the secondary record (null when none)."},
    {.name = "primary_health",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "\"healthy\" or \"unhealthy\" from GetHealthCheckStatus (null without a health check)."},
    {.name = "secondary_health",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "\"healthy\" or \"unhealthy\" from GetHealthCheckStatus (null without a health check)."},
};

static const fo_schema ds_schema = {
    .version = 0,
    .block =
        {
            .attrs = ds_attrs,
            .n_attrs = FO_COUNT(ds_attrs),
            .description = "The live state of a weighted record pair: which side is active, the weights and the "
                           "health of each side.",
        },
};

static int ds_read(fo_call *c, const fo_cty_value *config, fo_cty_value **out) {
  const char *zone = fo_wp_str(config, "zone_id"), *name = fo_wp_str(config, "name"), *type = fo_wp_str(config, "type");
  const char *ids[2] = {fo_wp_str(config, "primary_set_identifier"), fo_wp_str(config, "secondary_set_identifier")};
  static const char *const wattr[2] = {"primary_weight", "secondary_weight"};
  static const char *const hattr[2] = {"primary_health_check_id", "secondary_health_check_id"};
  static const char *const sattr[2] = {"primary_health", "secondary_health"};
  fo_aws_route53_rrset *live = NULL;
  const fo_aws_route53_rrset *r[2];
  fo_cty_value *state = fo_cty_value_ref(config);
  fo_aws_client *aws = NULL;
  char *fqdn = NULL;
  size_t n_live = 0;
  int error;

  *out = NULL;
  if (!zone || !name || !type || !ids[0] || !ids[1]) {
    error = fo_err_set(FO_EINVAL, "zone_id, name, type and both set identifiers must be known");
    goto done;
  }
  if (!(aws = fo_wp_aws(c))) {
    error = FO_EINVAL;
    goto done;
  }
  if ((error = fo_aws_route53_rrset_read(&live, &n_live, aws, fo_wp_cancel(c), zone, name, type)) < 0)
    goto done;
  if (!(fqdn = fo_aws_route53_fqdn(name))) {
    error = fo_err_oom();
    goto done;
  }
  if ((error = fo_object_set_string(&state, "fqdn", fqdn)) < 0)
    goto done;
  for (int s = 0; s < 2; s++) {
    char status[512];
    int healthy = 0;
    r[s] = fo_aws_route53_rrset_find(live, n_live, ids[s]);
    if (r[s] && (error = fo_object_set(&state, wattr[s], fo_cty_number_int(r[s]->weight))) < 0)
      goto done;
    if (!r[s] || !r[s]->health_check_id)
      continue;
    if ((error = fo_object_set_string(&state, hattr[s], r[s]->health_check_id)) < 0)
      goto done;
    if ((error = fo_aws_route53_health_check_status(aws, fo_wp_cancel(c), r[s]->health_check_id, &healthy, status,
                                                    sizeof(status))) < 0 ||
        (error = fo_object_set_string(&state, sattr[s], healthy ? "healthy" : "unhealthy")) < 0)
      goto done;
  }
  error = fo_object_set_string(&state, "active",
                               !r[0] || !r[1]                ? "none"
                               : r[0]->weight > r[1]->weight ? "primary"
                               : r[1]->weight > r[0]->weight ? "secondary"
                                                             : "split");
  if (error < 0)
    goto done;
  *out = state;
  state = NULL;
done:
  fo_cty_value_unref(state);
  fo_aws_route53_rrsets_free(live, n_live);
  if (aws)
    fo_wp_aws_release(c, aws);
  free(fqdn);
  return error;
}

const fo_data_source fo_weight_pair_data_source = {
    .type_name = "failover_weight_pair",
    .schema = &ds_schema,
    .read = ds_read,
};
