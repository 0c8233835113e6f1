/* failover_weight_pair: create, update (the flip), read (drift), delete and
 * import, each change one ChangeResourceRecordSets batch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fo_clock.h"
#include "fo_err.h"
#include "fo_log.h"
#include "fo_timeouts.h"
#include "weight_pair.h"

#define FO_WP_DEFAULT_TIMEOUT_S 600
#define FO_WP_MAX_CHANGES       8

/* What one apply works with: the client, the live record sets of the name,
 * the desired two records and the batch being built. */
typedef struct fo_wp_op {
  fo_call *c;
  fo_aws_client *aws;
  const char *zone_id, *fqdn, *type;
  fo_aws_route53_rrset *live; /* every record set of the name (all types) */
  size_t n_live;
  fo_aws_route53_rrset want[FO_WP_SIDES];
  fo_aws_route53_rrset_change changes[FO_WP_MAX_CHANGES];
  size_t n_changes;
  char change_id[128], status[32];
} fo_wp_op;

static void op_dispose(fo_wp_op *op) {
  fo_aws_route53_rrsets_free(op->live, op->n_live);
  for (int s = 0; s < FO_WP_SIDES; s++)
    fo_wp_rrset_release(&op->want[s]);
  fo_wp_aws_release(op->c, op->aws);
}

static int op_init(fo_wp_op *op, fo_call *c, const fo_cty_value *obj) {
  int error;
  memset(op, 0, sizeof(*op));
  op->c = c;
  op->zone_id = fo_wp_str(obj, "zone_id");
  op->fqdn = fo_wp_str(obj, "fqdn");
  op->type = fo_wp_str(obj, "type");
  if (!op->zone_id || !op->fqdn || !op->type)
    return fo_err_set(FO_EINVAL, "zone_id, name and type must be known");
  if (!(op->aws = fo_wp_aws(c)))
    return FO_EINVAL;
  if ((error = fo_aws_route53_rrset_read(&op->live, &op->n_live, op->aws, fo_wp_cancel(c), op->zone_id, op->fqdn,
                                         NULL)) < 0)
    return error; /* the framework turns the message into a diagnostic */
  return FO_OK;
}

static int op_want(fo_wp_op *op, const fo_cty_value *planned) {
  int64_t pw = fo_wp_int(planned, "primary_weight", -1), sw = fo_wp_int(planned, "secondary_weight", -1);
  int error;
  if (pw < 0 || sw < 0)
    return fo_err_set(FO_EINVAL, "the planned weights are not known");
  if ((error = fo_wp_rrset_from_value(&op->want[0], planned, 0, op->fqdn, (long)pw)) < 0 ||
      (error = fo_wp_rrset_from_value(&op->want[1], planned, 1, op->fqdn, (long)sw)) < 0)
    return error;
  return FO_OK;
}

static int op_add(fo_wp_op *op, const char *action, const fo_aws_route53_rrset *r) {
  for (size_t i = 0; i < op->n_changes; i++)
    if (op->changes[i].rrset == r)
      return FO_OK;
  if (op->n_changes == FO_WP_MAX_CHANGES)
    return fo_err_set(FO_ELIMIT, "too many record sets to change at %s", op->fqdn);
  op->changes[op->n_changes].action = action;
  op->changes[op->n_changes].rrset = r;
  op->n_changes++;
  return FO_OK;
}

static int is_ours(const fo_aws_route53_rrset *r, const char *const *set_ids, size_t n) {
  for (size_t i = 0; r->set_identifier && i < n; i++)
    if (set_ids[i] && strcmp(r->set_identifier, set_ids[i]) == 0)
      return 1;
  return 0;
}

/* DELETEs that must share the batch with our records, each with the values
 * Route53 holds now (it deletes only on an exact match): a plain record of
 * our type (plain -> pair migration), our set identifiers under another type
 * (a retyped record) and set identifiers we no longer use (`old_ids`). */
static int op_add_deletes(fo_wp_op *op, const char *const *old_ids, size_t n_old) {
  const char *ours[2] = {op->want[0].set_identifier, op->want[1].set_identifier};
  int error;
  for (size_t i = 0; i < op->n_live; i++) {
    const fo_aws_route53_rrset *r = &op->live[i];
    int our_type = strcmp(r->type, op->type) == 0;
    if (our_type && !r->set_identifier) {
      fo_diags_warning(op->c->diags, NULL, "Plain record replaced by the weighted pair",
                       "the plain %s record %s was deleted in the same change batch that created the weighted "
                       "records",
                       op->type, op->fqdn);
    } else if (!(!our_type && is_ours(r, ours, 2)) && !(our_type && is_ours(r, old_ids, n_old) && !is_ours(r, ours, 2)))
      continue;
    if ((error = op_add(op, "DELETE", r)) < 0)
      return error;
  }
  return FO_OK;
}

static const fo_aws_route53_rrset *live_of(const fo_wp_op *op, const char *set_id) {
  for (size_t i = 0; i < op->n_live; i++)
    if (strcmp(op->live[i].type, op->type) == 0 && op->live[i].set_identifier &&
        strcmp(op->live[i].set_identifier, set_id) == 0)
      return &op->live[i];
  return NULL;
}

/* A flip whose batch Route53 did not take (after the client's retries): say
 * what that means during a us-east-1 outage instead of a bare error. */
static int flip_failure(fo_wp_op *op, const char *from, const char *to) {
  const fo_aws_error *ae = fo_aws_last_error();
  const char *hc_from = op->want[strcmp(from, "primary") == 0 ? 0 : 1].health_check_id;
  fo_buf d = FO_BUF_INIT;
  if (ae->code[0] && (strcmp(ae->code, "InvalidChangeBatch") == 0 || strcmp(ae->code, "InvalidInput") == 0 ||
                      strcmp(ae->code, "NoSuchHostedZone") == 0 || strcmp(ae->code, "NoSuchHealthCheck") == 0))
    return fo_diags_from_err(op->c->diags, NULL, "Route53 refused the change batch"), FO_EAWS;
  fo_buf_printf(&d,
                "%s\n\nThe flip from %s to %s was not applied: nothing changed in the hosted zone. Route53's control "
                "plane, the API this flip calls, runs in us-east-1.\n\n",
                fo_err_last(), from, to);
  if (op->want[0].health_check_id && op->want[1].health_check_id)
    fo_buf_printf(&d,
                  "Traffic already follows the health checks: both records have one, and Route53's data plane "
                  "answers with the standby record while every record with a non-zero weight is unhealthy, with no "
                  "API call. Confirm it:\n"
                  "  aws route53 get-health-check-status --health-check-id %s   (the %s side: expect Failure)\n"
                  "  aws route53 test-dns-answer --hosted-zone-id %s --record-name %s --record-type %s\n"
                  "  dig +short %s %s",
                  hc_from, from, op->zone_id, op->fqdn, op->type, op->fqdn, op->type);
  else
    fo_buf_printf(&d,
                  "This pair does not have a health check on both records, so Route53 cannot fail over by "
                  "itself: add health_check_id to both sides (docs/resources/weight_pair.md, \"During a "
                  "us-east-1 outage\").");
  fo_buf_puts(&d, "\n\nRun apply again when the API answers: the batch is an UPSERT of both records, safe to repeat.");
  fo_diags_error(op->c->diags, NULL, "Route53 did not accept the flip", "%s", d.data ? d.data : "");
  fo_buf_dispose(&d);
  return FO_EIO;
}

static int set_str(fo_cty_value **obj, const char *name, const char *s) {
  return fo_object_set_string(obj, name, s);
}

static int fill_id(fo_cty_value **state, const fo_wp_op *op, const fo_cty_value *planned) {
  char id[2048];
  snprintf(id, sizeof(id), "%s_%s_%s_%s_%s", op->zone_id, fo_wp_str(planned, "name"), op->type,
           op->want[0].set_identifier, op->want[1].set_identifier);
  return set_str(state, "id", id);
}

/* Send the batch (if any) and wait; writes change_id/status into *state. On a
 * failed wait *state still holds the change (partial state) and the error is returned. */
static int send_and_wait(fo_wp_op *op, fo_cty_value **state, const fo_cty_value *planned, const fo_cty_value *prior,
                         const char *op_name, int flip) {
  int64_t timeout = fo_timeouts_seconds(planned, op_name, FO_WP_DEFAULT_TIMEOUT_S);
  const char *from = prior ? fo_wp_str(prior, "active") : NULL, *to = fo_wp_str(planned, "active");
  char comment[256];
  int error;

  if (op->n_changes > 0) {
    snprintf(comment, sizeof(comment), "failover_weight_pair %s: %s active", op_name, to ? to : "?");
    if ((error = fo_aws_route53_rrset_change_batch(op->aws, fo_wp_cancel(op->c), op->zone_id, op->changes,
                                                   op->n_changes, comment, op->change_id, sizeof(op->change_id),
                                                   op->status, sizeof(op->status))) < 0) {
      if (flip && from && to)
        return flip_failure(op, from, to);
      fo_diags_from_err(op->c->diags, NULL, "Route53 did not accept the change batch");
      return error;
    }
    FO_LOG(FO_LOG_INFO, "route53 change %s for %s %s: %s", op->change_id, op->fqdn, op->type, op->status);
  } else {
    /* Nothing to send: the last change (maybe still PENDING) is ours. */
    snprintf(op->change_id, sizeof(op->change_id), "%s",
             prior && fo_wp_str(prior, "change_id") ? fo_wp_str(prior, "change_id") : "");
    snprintf(op->status, sizeof(op->status), "%s",
             prior && fo_wp_str(prior, "change_status") ? fo_wp_str(prior, "change_status") : "INSYNC");
  }
  if (op->change_id[0] && (error = set_str(state, "change_id", op->change_id)) < 0)
    return error;
  if (!op->change_id[0]) {
    fo_cty_type *t = fo_cty_type_string();
    error = fo_object_set(state, "change_id", fo_cty_null(t));
    fo_cty_type_unref(t);
    if (error < 0)
      return error;
  }
  if ((error = set_str(state, "change_status", op->status)) < 0)
    return error;
  if (!op->change_id[0] || strcmp(op->status, "INSYNC") == 0 || !fo_wp_bool(planned, "wait_for_sync", 1))
    return FO_OK;
  error = fo_wp_wait_insync(op->c, op->aws, op->change_id, timeout, op->status, sizeof(op->status));
  if (set_str(state, "change_status", op->status[0] ? op->status : "PENDING") < 0)
    return FO_ENOMEM;
  if (error == FO_ETIMEOUT || error == FO_ECANCELED) {
    fo_diags_error(op->c->diags, NULL,
                   error == FO_ETIMEOUT ? "Route53 change still PENDING" : "Stopped while waiting for Route53",
                   "%s.\n\nThe records are already changed in the hosted zone (Route53 applied the batch atomically); "
                   "only the propagation to its DNS servers was not confirmed. The state records change %s as "
                   "PENDING: the next apply waits for that change instead of sending the batch again. Raise "
                   "timeouts { %s = ... } or set wait_for_sync = false to not wait.",
                   fo_err_last(), op->change_id, op_name);
  } else if (error < 0) {
    fo_diags_from_err(op->c->diags, NULL, "Cannot read the Route53 change status");
  }
  return error;
}

static fo_cty_value *now_string(fo_call *c) {
  char ts[21];
  fo_clock_rfc3339(fo_wp_clock(c), ts);
  return fo_cty_string_z(ts);
}

static int apply_common(fo_call *c, const fo_cty_value *prior, const fo_cty_value *planned, fo_cty_value **out,
                        int create) {
  fo_wp_op op;
  fo_cty_value *state = NULL;
  const char *active = fo_wp_str(planned, "active");
  const char *pa = prior ? fo_wp_str(prior, "active") : NULL;
  int flip = !create && (!pa || !active || strcmp(pa, active) != 0);
  int error, side = active && strcmp(active, "secondary") == 0;

  *out = NULL;
  if ((error = op_init(&op, c, planned)) < 0 || (error = op_want(&op, planned)) < 0)
    goto done;
  if ((create || flip) && (error = fo_wp_check_healthy_target(c, op.aws, planned, side)) < 0)
    goto done;
  {
    const char *old_ids[2] = {NULL, NULL};
    const fo_cty_value *ps;
    for (int s = 0; prior && s < FO_WP_SIDES; s++)
      if ((ps = fo_wp_side(prior, s)))
        old_ids[s] = fo_wp_str(ps, "set_identifier");
    if ((error = op_add_deletes(&op, old_ids, 2)) < 0)
      goto done;
  }
  for (int s = 0; s < FO_WP_SIDES; s++) {
    const fo_aws_route53_rrset *cur = live_of(&op, op.want[s].set_identifier);
    if (create && cur) {
      fo_diags_error(c->diags, NULL, "Weighted record already exists",
                     "%s %s with set identifier \"%s\" already exists in zone %s; adopt existing records with "
                     "import (ID %s_%s_%s_%s_%s)",
                     op.fqdn, op.type, op.want[s].set_identifier, op.zone_id, op.zone_id, fo_wp_str(planned, "name"),
                     op.type, op.want[0].set_identifier, op.want[1].set_identifier);
      error = FO_EINVAL;
      goto done;
    }
  }
  /* One batch with both records whenever either differs from Route53's. */
  if (op.n_changes > 0 || !live_of(&op, op.want[0].set_identifier) || !live_of(&op, op.want[1].set_identifier) ||
      !fo_wp_rrset_same(live_of(&op, op.want[0].set_identifier), &op.want[0]) ||
      !fo_wp_rrset_same(live_of(&op, op.want[1].set_identifier), &op.want[1])) {
    if ((error = op_add(&op, create ? "CREATE" : "UPSERT", &op.want[0])) < 0 ||
        (error = op_add(&op, create ? "CREATE" : "UPSERT", &op.want[1])) < 0)
      goto done;
  }
  state = fo_cty_value_ref(planned);
  if ((error = fill_id(&state, &op, planned)) < 0)
    goto done;
  if (!fo_cty_is_known(fo_cty_get_attr(state, "switched_at")) || create) {
    fo_cty_value *ts = (create || flip) ? now_string(c) : fo_cty_value_ref(fo_cty_get_attr(prior, "switched_at"));
    if ((error = fo_object_set(&state, "switched_at", ts)) < 0)
      goto done;
  }
  if (!fo_cty_is_known(fo_cty_get_attr(state, "started_at")) &&
      (error = fo_object_set(&state, "started_at", now_string(c))) < 0)
    goto done;
  error = send_and_wait(&op, &state, planned, prior, create ? "create" : "update", flip);
  /* Finished when INSYNC (or not waited for); a PENDING change leaves it null until the next apply's wait. */
  if (!fo_cty_is_known(fo_cty_get_attr(state, "finished_at"))) {
    fo_cty_value *fin = error >= 0 ? now_string(c) : NULL;
    if (!fin) {
      fo_cty_type *t = fo_cty_type_string();
      fin = fo_cty_null(t);
      fo_cty_type_unref(t);
    }
    if (fo_object_set(&state, "finished_at", fin) < 0 && error >= 0)
      error = FO_ENOMEM;
  }
  if (error < 0 && op.change_id[0]) {
    *out = state; /* partial state: the batch went through, the wait did not finish */
    state = NULL;
  } else if (error >= 0) {
    *out = state;
    state = NULL;
  }
done:
  fo_cty_value_unref(state);
  op_dispose(&op);
  return error;
}

int fo_wp_create(fo_call *c, const fo_cty_value *planned, const fo_cty_value *config, fo_cty_value **out) {
  (void)config;
  return apply_common(c, NULL, planned, out, 1);
}

int fo_wp_update(fo_call *c, const fo_cty_value *prior, const fo_cty_value *planned, const fo_cty_value *config,
                 fo_cty_value **out) {
  (void)config;
  return apply_common(c, prior, planned, out, 0);
}

int fo_wp_destroy(fo_call *c, const fo_cty_value *prior) {
  fo_wp_op op;
  fo_cty_value *scratch = fo_cty_value_ref(prior);
  int error;
  if ((error = op_init(&op, c, prior)) < 0)
    goto done;
  for (int s = 0; s < FO_WP_SIDES; s++) {
    const fo_cty_value *side = fo_wp_side(prior, s);
    const fo_aws_route53_rrset *cur = side ? live_of(&op, fo_wp_str(side, "set_identifier")) : NULL;
    if (cur && (error = op_add(&op, "DELETE", cur)) < 0)
      goto done;
  }
  if (op.n_changes == 0)
    goto done; /* already gone */
  /* Both records go in one batch, with the values Route53 holds now. */
  error = send_and_wait(&op, &scratch, prior, NULL, "delete", 0);
done:
  fo_cty_value_unref(scratch);
  op_dispose(&op);
  return error;
}

/* ---- read ------------------------------------------------------------------------- */

static fo_cty_value *string_set(char *const *vals, size_t n) {
  fo_cty_type *t = fo_cty_type_string();
  fo_cty_value **elems = n ? calloc(n, sizeof(*elems)) : NULL, *set;
  for (size_t i = 0; i < n; i++)
    elems[i] = fo_cty_string_z(vals[i]);
  set = fo_cty_set(t, n, elems);
  free(elems);
  fo_cty_type_unref(t);
  return set;
}

/* The side block with what Route53 holds where it differs in meaning from `side`. */
static int side_from_live(fo_cty_value **side, const fo_aws_route53_rrset *live) {
  int error = FO_OK;
  fo_cty_value *tmp = fo_cty_value_ref(*side);
  {
    const fo_cty_value *alias = fo_cty_get_attr(tmp, "alias");
    const fo_cty_value *recs = fo_cty_get_attr(tmp, "records");
    int64_t ttl = fo_wp_int(tmp, "ttl", -1);
    int alias_live = live->alias_dns_name != NULL;
    int alias_cfg = alias && fo_cty_is_known(alias) && !fo_cty_is_null(alias);
    const char *hc = fo_wp_str(tmp, "health_check_id");
    if (!((!hc && !live->health_check_id) || (hc && live->health_check_id && strcmp(hc, live->health_check_id) == 0)))
      error = live->health_check_id
                  ? fo_object_set_string(&tmp, "health_check_id", live->health_check_id)
                  : fo_object_set(&tmp, "health_check_id", fo_object_null_attr(tmp, "health_check_id"));
    if (error >= 0 && !alias_live) {
      int same = recs && fo_cty_is_known(recs) && !fo_cty_is_null(recs) && fo_cty_length(recs) == live->n_values;
      for (size_t i = 0; same && i < live->n_values; i++) {
        int found = 0;
        for (size_t j = 0; j < fo_cty_length(recs) && !found; j++)
          found = strcmp(fo_cty_as_string(fo_cty_index(recs, j), NULL), live->values[i]) == 0;
        same = found;
      }
      if (!same)
        error = fo_object_set(&tmp, "records", string_set(live->values, live->n_values));
      if (error >= 0 && ttl != live->ttl)
        error = fo_object_set(&tmp, "ttl", fo_cty_number_int(live->ttl));
      if (error >= 0 && alias_cfg)
        error = fo_object_set(&tmp, "alias", fo_object_null_attr(tmp, "alias"));
    } else if (error >= 0) {
      const char *an = alias_cfg ? fo_wp_str(alias, "name") : NULL,
                 *az = alias_cfg ? fo_wp_str(alias, "zone_id") : NULL;
      int ae = alias_cfg ? fo_wp_bool(alias, "evaluate_target_health", 0) : 0;
      size_t ln = strlen(live->alias_dns_name), cn = an ? strlen(an) : 0;
      int same_name =
          an && (ln == cn || (ln == cn + 1 && live->alias_dns_name[cn] == '.') || (cn == ln + 1 && an[ln] == '.')) &&
          strncasecmp(an, live->alias_dns_name, cn < ln ? cn : ln) == 0;
      if (!alias_cfg || !same_name || !az || strcmp(az, live->alias_zone_id ? live->alias_zone_id : "") != 0 ||
          ae != live->alias_evaluate_health) {
        fo_cty_type *at = (fo_cty_type *)fo_cty_value_type(alias);
        const char *names[3];
        fo_cty_value *vals[3];
        size_t n = fo_cty_type_count(at);
        for (size_t i = 0; i < n && i < 3; i++) {
          names[i] = fo_cty_type_attr_name(at, i);
          if (strcmp(names[i], "name") == 0)
            vals[i] = fo_cty_string_z(same_name ? an : live->alias_dns_name);
          else if (strcmp(names[i], "zone_id") == 0)
            vals[i] = fo_cty_string_z(live->alias_zone_id ? live->alias_zone_id : "");
          else
            vals[i] = live->alias_evaluate_health ? fo_cty_bool(1)
                                                  : (alias_cfg && !fo_cty_is_null(fo_cty_get_attr(alias, names[i]))
                                                         ? fo_cty_bool(0)
                                                         : fo_cty_null(fo_cty_type_attr_type(at, i)));
        }
        error = fo_object_set(&tmp, "alias", fo_cty_object(at, vals));
      }
      if (error >= 0 && recs && !fo_cty_is_null(recs))
        error = fo_object_set(&tmp, "records", fo_object_null_attr(tmp, "records"));
      if (error >= 0 && ttl >= 0)
        error = fo_object_set(&tmp, "ttl", fo_object_null_attr(tmp, "ttl"));
    }
  }
  if (error < 0) {
    fo_cty_value_unref(tmp);
    return error;
  }
  fo_cty_value_unref(*side);
  *side = tmp;
  return FO_OK;
}

int fo_wp_read(fo_call *c, const fo_cty_value *state, fo_cty_value **out) {
  fo_wp_op op;
  fo_cty_value *next = NULL;
  int error, found = 0;

  *out = NULL;
  if ((error = op_init(&op, c, state)) < 0) {
    const fo_aws_error *ae = fo_aws_last_error();
    if (op.aws && ae->code[0] && strcmp(ae->code, "NoSuchHostedZone") == 0)
      error = FO_OK; /* the zone is gone, and both records with it */
    goto done;
  }
  next = fo_cty_value_ref(state);
  for (int s = 0; s < FO_WP_SIDES; s++) {
    const fo_cty_value *side = fo_wp_side(state, s);
    const fo_aws_route53_rrset *cur = side ? live_of(&op, fo_wp_str(side, "set_identifier")) : NULL;
    const char *wname = s == 0 ? "primary_weight" : "secondary_weight";
    fo_cty_value *nside;
    if (!cur) {
      /* Deleted or retyped behind Terraform's back: a null weight plans the repair. */
      if ((error = fo_object_set(&next, wname, fo_object_null_attr(next, wname))) < 0)
        goto done;
      continue;
    }
    found++;
    if ((error = fo_object_set(&next, wname, fo_cty_number_int(cur->weight))) < 0)
      goto done;
    nside = fo_cty_value_ref(side);
    if ((error = side_from_live(&nside, cur)) < 0) {
      fo_cty_value_unref(nside);
      goto done;
    }
    if ((error = fo_object_set(&next, fo_wp_side_names[s], nside)) < 0)
      goto done;
  }
  if (!found) {
    error = FO_OK; /* both records are gone: the resource is gone */
    goto done;
  }
  {
    const char *st = fo_wp_str(state, "change_status"), *cid = fo_wp_str(state, "change_id");
    char status[32];
    if (st && cid && strcmp(st, "PENDING") == 0 &&
        fo_aws_route53_change_status(op.aws, fo_wp_cancel(c), cid, status, sizeof(status)) >= 0 &&
        (error = fo_object_set_string(&next, "change_status", status)) < 0)
      goto done;
  }
  *out = next;
  next = NULL;
  error = FO_OK;
done:
  fo_cty_value_unref(next);
  op_dispose(&op);
  return error;
}
