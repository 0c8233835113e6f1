/* collect_route53: a side's half of a Route53 weighted record pair, read live: its record (by zone, name, type and
 * set identifier), weight, TTL, and its health check (that it exists, and its current status). The pair rules
 * (both records exist, exactly one carries the active weight, the standby's is 0) look at both sides together. */
#include "fo_audit_collector.h"
#include "fo_audit_sidecheck.h"
#include "fo_aws_route53.h"
#include "fo_aws_route53_rrset.h"
#include "fo_buf.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sides.<side>.route53_zone_id / route53_record / route53_type / route53_set_identifier */
typedef struct r53_cfg {
  char *zone_id;
  char *record; /* "app.example.com" */
  char *type;   /* default "A" */
  char *set_identifier;
} r53_cfg;

static const char *const r53_keys[] = {"route53_zone_id", "route53_record", "route53_type", "route53_set_identifier",
                                       NULL};

static int r53_parse_key(void **state, const char *key, const fo_audit_yaml *node) {
  r53_cfg *c = *state;
  char **slot;
  if (!c && !(c = *state = calloc(1, sizeof *c)))
    return fo_err_oom();
  slot = !strcmp(key, "route53_zone_id")  ? &c->zone_id
         : !strcmp(key, "route53_record") ? &c->record
         : !strcmp(key, "route53_type")   ? &c->type
                                          : &c->set_identifier;
  return fo_audit_yaml_string(node, key, slot);
}

static void r53_free_cfg(void *state) {
  r53_cfg *c = state;
  if (!c)
    return;
  free(c->zone_id);
  free(c->record);
  free(c->type);
  free(c->set_identifier);
  free(c);
}

static const char *r53_location(const fo_audit_collect_ctx *ctx) {
  const r53_cfg *c = ctx->source_cfg;
  return c ? c->record : NULL;
}

static const char *ostr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* GetHealthCheck: 1 when the check exists, 0 when Route53 says NoSuchHealthCheck. */
static int health_check_exists(const fo_audit_collect_ctx *ctx, const char *id, int *exists) {
  fo_buf path = FO_BUF_INIT;
  cJSON *doc = NULL;
  int err;
  *exists = 0;
  if ((err = fo_aws_route53_id_path(&path, "/2013-04-01/healthcheck/", id, "")) < 0)
    return err;
  err = fo_aws_call_rest_xml(&doc, ctx->aws, ctx->cancel, &fo_aws_svc_route53, "GetHealthCheck", "GET", path.data, NULL,
                             NULL, NULL);
  if (err == 0)
    *exists = 1;
  else if (err == FO_EAWS && fo_aws_last_error() && !strcmp(fo_aws_last_error()->code, "NoSuchHealthCheck"))
    err = 0;
  cJSON_Delete(doc);
  fo_buf_dispose(&path);
  return err;
}

static int r53_collect(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap) {
  const r53_cfg *c = ctx->source_cfg;
  const char *type = c->type ? c->type : "A";
  fo_aws_route53_rrset *list = NULL;
  const fo_aws_route53_rrset *rr;
  size_t n = 0;
  fo_buf key = FO_BUF_INIT;
  cJSON *o;
  char *fqdn = NULL;
  int err;

  if (!ctx->aws)
    return fo_err_set(FO_EINVAL, "route53: no AWS client for this side");
  if (!c->zone_id || !c->set_identifier)
    return fo_err_set(FO_EINVAL,
                      "route53: sides.%s needs route53_zone_id and route53_set_identifier with "
                      "route53_record",
                      ctx->side ? "secondary" : "primary");
  if (!(fqdn = fo_aws_route53_fqdn(c->record)))
    return fo_err_oom();
  if ((err = fo_aws_route53_rrset_read(&list, &n, ctx->aws, ctx->cancel, c->zone_id, fqdn, type)) < 0)
    goto done;
  rr = fo_aws_route53_rrset_find(list, n, c->set_identifier);
  /* one key on both sides: the two halves of the pair compare with each other */
  if ((err = fo_buf_printf(&key, "route53/%s/%s", fqdn, type)) < 0 ||
      (err = fo_audit_snapshot_add_object(&o, snap, key.data, "route53")) < 0)
    goto done;
  /* everything beside the attributes: a record missing on one side is one side-check finding, not a difference
   * of every field as well; the pair's rules (TTLs included) are the side check's */
  if (!cJSON_AddStringToObject(o, "kind", "route53_weighted_record") || !cJSON_AddStringToObject(o, "name", fqdn) ||
      !cJSON_AddStringToObject(o, "set_identifier", c->set_identifier) ||
      !cJSON_AddBoolToObject(o, "exists", rr != NULL) ||
      !(rr && rr->ttl >= 0 ? cJSON_AddNumberToObject(o, "ttl", (double)rr->ttl) : cJSON_AddNullToObject(o, "ttl"))) {
    err = fo_err_oom();
    goto done;
  }
  if (!rr)
    goto done;
  if (!cJSON_AddNumberToObject(o, "weight", (double)rr->weight)) {
    err = fo_err_oom();
    goto done;
  }
  if (rr->health_check_id) {
    char status[512];
    int exists, healthy = 0;
    if ((err = health_check_exists(ctx, rr->health_check_id, &exists)) < 0)
      goto done;
    if (exists && (err = fo_aws_route53_health_check_status(ctx->aws, ctx->cancel, rr->health_check_id, &healthy,
                                                            status, sizeof status)) < 0)
      goto done;
    if (!cJSON_AddStringToObject(o, "health_check_id", rr->health_check_id) ||
        !cJSON_AddBoolToObject(o, "health_check_exists", exists) ||
        (exists &&
         (!cJSON_AddBoolToObject(o, "healthy", healthy) || !cJSON_AddStringToObject(o, "health_status", status))))
      err = fo_err_oom();
  }
done:
  fo_aws_route53_rrsets_free(list, n);
  fo_buf_dispose(&key);
  free(fqdn);
  return err;
}

/* ---- side check: the pair ------------------------------------------------------------------------------- */

static int add(fo_audit_result *r, const char *rule, const char *check, const cJSON *o, int side, const char *path,
               const char *val, const char *msg) {
  return fo_audit_sidecheck_add(r, rule, check, o->string, o, path,
                                side < 0 ? FO_AUDIT_SIDE_BOTH
                                : side   ? FO_AUDIT_SIDE_SECONDARY
                                         : FO_AUDIT_SIDE_PRIMARY,
                                val, msg);
}

static int run_weights(fo_audit_result *r, const fo_audit_snapshot *snaps[2], const char *check) {
  const cJSON *objs[2] = {NULL, NULL}, *o;
  double w[2] = {0, 0};
  int exists[2] = {0, 0}, err;
  char msg[600], val[64];

  if (!snaps[0] || !snaps[1])
    return 0; /* an unreadable side is reported as such; half a pair proves nothing */
  for (int side = 0; side < 2; side++) {
    cJSON_ArrayForEach(o, snaps[side]->objects) {
      const char *kind = ostr(o, "kind");
      const cJSON *wt;
      if (!kind || strcmp(kind, "route53_weighted_record") != 0)
        continue;
      objs[side] = o;
      exists[side] = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "exists"));
      wt = cJSON_GetObjectItemCaseSensitive(o, "weight");
      w[side] = cJSON_IsNumber(wt) ? wt->valuedouble : 0;
    }
  }
  for (int side = 0; side < 2; side++) {
    o = objs[side];
    if (!o)
      continue;
    if (!exists[side]) {
      snprintf(msg, sizeof msg, "weighted record %.250s (set identifier %.200s) does not exist", ostr(o, "name"),
               ostr(o, "set_identifier"));
      if ((err = add(r, "route53.record-missing", check, o, side, "", NULL, msg)) < 0)
        return err;
      continue;
    }
    if (cJSON_GetObjectItemCaseSensitive(o, "health_check_id") &&
        !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "health_check_exists"))) {
      snprintf(msg, sizeof msg, "health check %.100s of the record does not exist", ostr(o, "health_check_id"));
      if ((err = add(r, "route53.health-check-missing", check, o, side, "health_check_id", ostr(o, "health_check_id"),
                     msg)) < 0)
        return err;
    } else if (!cJSON_GetObjectItemCaseSensitive(o, "health_check_id")) {
      if ((err = add(r, "route53.health-check-missing", check, o, side, "health_check_id", NULL,
                     "the record has no health check: Route53 cannot fail over away from it")) < 0)
        return err;
    } else if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "healthy"))) {
      snprintf(msg, sizeof msg, "health check %.100s is %.400s", ostr(o, "health_check_id"), ostr(o, "health_status"));
      if ((err = add(r, "route53.health-check-unhealthy", check, o, side, "health_status", ostr(o, "health_status"),
                     msg)) < 0)
        return err;
    }
  }
  if (exists[0] && exists[1]) {
    const cJSON *t0 = cJSON_GetObjectItemCaseSensitive(objs[0], "ttl");
    const cJSON *t1 = cJSON_GetObjectItemCaseSensitive(objs[1], "ttl");
    double v0 = cJSON_IsNumber(t0) ? t0->valuedouble : -1, v1 = cJSON_IsNumber(t1) ? t1->valuedouble : -1;
    if (v0 != v1) {
      snprintf(val, sizeof val, "%.0f/%.0f", v0, v1);
      snprintf(msg, sizeof msg, "TTL primary %.0f, secondary %.0f (-1: alias record)", v0, v1);
      if ((err = add(r, "route53.ttl-differs", check, objs[0], -1, "ttl", val, msg)) < 0)
        return err;
    }
  }
  if (exists[0] && exists[1] && !((w[0] > 0) ^ (w[1] > 0))) {
    snprintf(val, sizeof val, "%.0f/%.0f", w[0], w[1]);
    snprintf(msg, sizeof msg,
             "weights primary %.0f, secondary %.0f: exactly one side must carry the active weight "
             "and the standby 0",
             w[0], w[1]);
    if ((err = add(r, "route53.active-weight", check, objs[0], -1, "weight", val, msg)) < 0)
      return err;
  }
  return 0;
}

static const fo_audit_sidecheck r53_sidechecks[] = {{"route53_weights", run_weights}};

#define MM   FO_AUDIT_RULE_MUST_MATCH
#define SC   FO_AUDIT_RULE_SIDE_CHECK
#define ERR  FO_AUDIT_SEV_ERROR
#define WARN FO_AUDIT_SEV_WARNING

/* docs/audit-rules.md, "Route53 weight pairs (live)" */
static const fo_audit_rule r53_rules[] = {
    {"route53.pair-incomplete", MM, ERR, FO_AUDIT_STEP_DNS, "Weight pair configured on one side only",
     "give both sides route53_zone_id, route53_record and route53_set_identifier of their half of the pair"},
    {"route53.record-missing", SC, ERR, FO_AUDIT_STEP_DNS, "Weighted record of the pair missing",
     "create the side's weighted record (weight 0 for the standby) with its set identifier"},
    {"route53.active-weight", SC, ERR, FO_AUDIT_STEP_DNS, "Not exactly one side carries the active weight",
     "set the active side's weight (255) and the standby's to 0"},
    {"route53.ttl-differs", SC, ERR, FO_AUDIT_STEP_DNS, "The two records of the pair have different TTLs",
     "give both records of the pair the same TTL"},
    {"route53.health-check-missing", SC, ERR, FO_AUDIT_STEP_DNS, "Weighted record without an existing health check",
     "attach a health check to the record (and re-create it if it was deleted)"},
    {"route53.health-check-unhealthy", SC, WARN, FO_AUDIT_STEP_DNS, "Health check of the record reports unhealthy",
     "look at the endpoint behind the record: a failover to an unhealthy side would fail"},
};

static const fo_audit_rule_match r53_matches[] = {
    {FO_AUDIT_ON_MISSING, NULL, NULL, NULL, 0, "route53.pair-incomplete", NULL, "pair configured in primary only",
     "pair configured in secondary only"},
};

static const fo_audit_step_match r53_steps[] = {{NULL, FO_AUDIT_STEP_DNS}};

const fo_audit_collector fo_audit_collector_route53 = {
    .name = "route53",
    .side_keys = r53_keys,
    .parse_key = r53_parse_key,
    .free_cfg = r53_free_cfg,
    .location = r53_location,
    .collect = r53_collect,
    .rules = r53_rules,
    .nrules = sizeof r53_rules / sizeof r53_rules[0],
    .matches = r53_matches,
    .nmatches = sizeof r53_matches / sizeof r53_matches[0],
    .steps = r53_steps,
    .sidechecks = r53_sidechecks,
    .nsidechecks = 1,
    .live = fo_audit_live_aws,
};
