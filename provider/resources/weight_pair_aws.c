/* failover_weight_pair: the side blocks as Route53 record sets, the Route53
 * client of a call and the wait for INSYNC. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fo_aws_route53.h"
#include "fo_clock.h"
#include "fo_err.h"
#include "fo_log.h"
#include "weight_pair.h"

int fo_wp_rrset_from_value(fo_aws_route53_rrset *out, const fo_cty_value *obj, int side, const char *fqdn,
                           long weight) {
  const fo_cty_value *s = fo_wp_side(obj, side), *recs, *alias;
  memset(out, 0, sizeof(*out));
  if (!s)
    return fo_err_set(FO_EINVAL, "%s: the block is missing or unknown", fo_wp_side_names[side]);
  /* Borrowed strings: the struct never owns them (fo_wp_rrset_release frees only the array). */
  out->name = (char *)fqdn;
  out->type = (char *)fo_wp_str(obj, "type");
  out->set_identifier = (char *)fo_wp_str(s, "set_identifier");
  out->health_check_id = (char *)fo_wp_str(s, "health_check_id");
  out->weight = weight;
  out->ttl = -1;
  alias = fo_cty_get_attr(s, "alias");
  if (alias && fo_cty_is_known(alias) && !fo_cty_is_null(alias)) {
    out->alias_dns_name = (char *)fo_wp_str(alias, "name");
    out->alias_zone_id = (char *)fo_wp_str(alias, "zone_id");
    out->alias_evaluate_health = fo_wp_bool(alias, "evaluate_target_health", 0);
    return FO_OK;
  }
  out->ttl = (long)fo_wp_int(s, "ttl", 300);
  recs = fo_cty_get_attr(s, "records");
  if (recs && fo_cty_is_known(recs) && !fo_cty_is_null(recs)) {
    size_t n = fo_cty_length(recs);
    if (n && !(out->values = calloc(n, sizeof(char *))))
      return fo_err_oom();
    for (size_t i = 0; i < n; i++)
      out->values[out->n_values++] = (char *)fo_cty_as_string(fo_cty_index(recs, i), NULL);
  }
  return FO_OK;
}

void fo_wp_rrset_release(fo_aws_route53_rrset *r) {
  free(r->values);
  memset(r, 0, sizeof(*r));
}

static int same_str(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* DNS names compare without case and without the trailing dot. */
static int same_name(const char *a, const char *b) {
  size_t la, lb;
  if (!a || !b)
    return !a && !b;
  la = strlen(a);
  lb = strlen(b);
  if (la && a[la - 1] == '.')
    la--;
  if (lb && b[lb - 1] == '.')
    lb--;
  return la == lb && strncasecmp(a, b, la) == 0;
}

static int has_value(const fo_aws_route53_rrset *r, const char *v) {
  for (size_t i = 0; i < r->n_values; i++)
    if (strcmp(r->values[i], v) == 0)
      return 1;
  return 0;
}

int fo_wp_rrset_same(const fo_aws_route53_rrset *a, const fo_aws_route53_rrset *b) {
  if (a->weight != b->weight || !same_str(a->health_check_id, b->health_check_id) ||
      !same_str(a->set_identifier, b->set_identifier))
    return 0;
  if (!!a->alias_dns_name != !!b->alias_dns_name)
    return 0;
  if (a->alias_dns_name)
    return same_name(a->alias_dns_name, b->alias_dns_name) && same_str(a->alias_zone_id, b->alias_zone_id) &&
           a->alias_evaluate_health == b->alias_evaluate_health;
  if (a->ttl != b->ttl || a->n_values != b->n_values)
    return 0;
  for (size_t i = 0; i < a->n_values; i++)
    if (!has_value(b, a->values[i]))
      return 0;
  return 1;
}

/* ---- the Route53 client ----------------------------------------------------------
 * Route53 is global: its endpoint is the primary client's route53 endpoint
 * (signed for us-east-1), never a regional endpoint of either side, so a flip
 * away from a failed region calls nothing in that region. */

fo_aws_client *fo_wp_aws(fo_call *c) {
  return fo_call_aws(c, FO_SIDE_PRIMARY);
}

void fo_wp_aws_release(fo_call *c, fo_aws_client *aws) {
  (void)c;
  (void)aws; /* borrowed from the provider instance */
}

const fo_cancel *fo_wp_cancel(fo_call *c) {
  return c->cancel;
}

const fo_clock *fo_wp_clock(fo_call *c) {
  return c->clock ? c->clock : fo_clock_system();
}

int fo_wp_check_healthy_target(fo_call *c, fo_aws_client *aws, const fo_cty_value *obj, int side) {
  const fo_cty_value *sv = fo_wp_side(obj, side);
  const char *hc = sv ? fo_wp_str(sv, "health_check_id") : NULL;
  char status[512];
  int healthy = 0, error;
  if (!fo_wp_bool(obj, "require_healthy_target", 0))
    return FO_OK;
  if (!sv || (!hc && !fo_cty_is_known(fo_cty_get_attr(sv, "health_check_id"))))
    return FO_OK; /* not known at plan time: checked again at apply */
  if (!hc) {
    fo_diags_attr_error(c->diags, "require_healthy_target", "No health check to consult",
                        "require_healthy_target is true but %s has no health_check_id", fo_wp_side_names[side]);
    return FO_EINVAL;
  }
  if ((error = fo_aws_route53_health_check_status(aws, fo_wp_cancel(c), hc, &healthy, status, sizeof(status))) < 0) {
    fo_diags_from_err(c->diags, NULL, "Cannot read the health check status");
    return error;
  }
  if (!healthy) {
    fo_diags_attr_error(c->diags, "active", "Target is unhealthy",
                        "require_healthy_target refuses to make %s active: its health check %s reports %s",
                        fo_wp_side_names[side], hc, status);
    return FO_EINVAL;
  }
  return FO_OK;
}

/* ---- waiting for INSYNC ------------------------------------------------------------ */

int fo_wp_wait_insync(fo_call *c, fo_aws_client *aws, const char *change_id, int64_t timeout_s, char *status,
                      size_t status_len) {
  return fo_aws_route53_wait_insync(aws, fo_wp_cancel(c), fo_wp_clock(c), change_id,
                                    timeout_s > 0 ? (long)(timeout_s * 1000) : 0, status, status_len);
}
