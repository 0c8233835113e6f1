/* tfstate_sidechecks: the Terraform state collector's side checks: backup copy lifecycles (each side) and
 * "exactly one active weight" per weighted DNS record set (both sides together). */
#include "fo_audit_arena.h"
#include "fo_audit_collector.h"
#include "fo_audit_diff.h"
#include "fo_audit_sidecheck.h"
#include "fo_buf.h"
#include "fo_err.h"

#include <stdlib.h>
#include <string.h>

static const char *ostr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int lifecycle_set(const cJSON *ca) {
  const cJSON *lc = cJSON_GetObjectItemCaseSensitive(ca, "lifecycle"), *l;
  if (cJSON_IsObject(lc)) {
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(lc, "delete_after");
    return cJSON_IsNumber(d) && d->valuedouble > 0;
  }
  cJSON_ArrayForEach(l, lc) {
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(l, "delete_after");
    if (cJSON_IsNumber(d) && d->valuedouble > 0)
      return 1;
  }
  return 0;
}

/* `scratch` holds the opened attributes of the object looked at (fo_audit_snapshot_attributes). */
static int check_backup(fo_audit_result *r, const fo_audit_snapshot *s, fo_audit_side side, fo_audit_arena *scratch) {
  const cJSON *o;
  int err;
  cJSON_ArrayForEach(o, s->objects) {
    const char *kind = ostr(o, "kind");
    const cJSON *rules, *rule;
    cJSON *attrs;
    if (!kind || strcmp(kind, "aws_backup_plan") != 0)
      continue;
    fo_audit_arena_reset(scratch);
    if ((err = fo_audit_snapshot_attributes(&attrs, o, scratch)) < 0)
      return err;
    rules = cJSON_GetObjectItemCaseSensitive(attrs, "rule");
    cJSON_ArrayForEach(rule, rules) {
      const char *rname = ostr(rule, "rule_name");
      const cJSON *copies = cJSON_GetObjectItemCaseSensitive(rule, "copy_action"), *ca;
      fo_buf path = FO_BUF_INIT;
      if ((err = fo_buf_printf(&path, "rule[rule_name=%s].copy_action", rname ? rname : "?")) < 0)
        return err;
      if (cJSON_GetArraySize(copies) == 0 && side == FO_AUDIT_SIDE_PRIMARY) {
        err = fo_audit_sidecheck_add(r, "backup.copy-action-missing", "backup", o->string, o, path.data, side, NULL,
                                     "backup rule has no cross-region copy_action");
      } else {
        err = 0;
        cJSON_ArrayForEach(ca, copies) {
          char *txt;
          if (lifecycle_set(ca))
            continue;
          txt = fo_audit_value_text(ca);
          err = fo_audit_sidecheck_add(r, "backup.copy-lifecycle-missing", "backup", o->string, o, path.data, side, txt,
                                       "copy_action has no lifecycle.delete_after: copies never expire");
          cJSON_free(txt);
          if (err < 0)
            break;
        }
      }
      fo_buf_dispose(&path);
      if (err < 0)
        return err;
    }
  }
  return 0;
}

typedef struct rec {
  const char *group; /* "<name> <type>" */
  const char *key;
  char *group_buf;
  double weight;
} rec;

static int cmp_rec(const void *a, const void *b) {
  const rec *x = a, *y = b;
  int c = strcmp(x->group, y->group);
  return c ? c : strcmp(x->key, y->key);
}

static int check_dns(fo_audit_result *r, const fo_audit_snapshot *snaps[2], fo_audit_arena *scratch) {
  rec *recs = NULL;
  size_t n = 0, cap = 0;
  int err = 0;

  for (int side = 0; side < 2; side++) {
    const cJSON *o;
    if (!snaps[side])
      continue;
    cJSON_ArrayForEach(o, snaps[side]->objects) {
      const char *kind = ostr(o, "kind");
      const cJSON *wrp, *w;
      cJSON *attrs;
      int dup = 0;
      if (!kind || strcmp(kind, "aws_route53_record") != 0)
        continue;
      fo_audit_arena_reset(scratch); /* nothing of the previous record's attributes is kept */
      if ((err = fo_audit_snapshot_attributes(&attrs, o, scratch)) < 0)
        goto done;
      wrp = cJSON_GetObjectItemCaseSensitive(attrs, "weighted_routing_policy");
      w = cJSON_IsArray(wrp) ? cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(wrp, 0), "weight")
                             : cJSON_GetObjectItemCaseSensitive(wrp, "weight");
      if (!cJSON_IsNumber(w))
        continue;
      /* the same record managed in both states (same normalized address) counts once */
      for (size_t i = 0; i < n && side == 1; i++)
        dup |= !strcmp(recs[i].key, o->string);
      if (dup)
        continue;
      if (n == cap) {
        rec *nr = realloc(recs, (cap ? cap * 2 : 16) * sizeof *recs);
        if (!nr) {
          err = fo_err_oom();
          goto done;
        }
        recs = nr;
        cap = cap ? cap * 2 : 16;
      }
      {
        fo_buf g = FO_BUF_INIT;
        const char *nm = ostr(attrs, "name"), *ty = ostr(attrs, "type");
        if ((err = fo_buf_printf(&g, "%s/%s", nm ? nm : "?", ty ? ty : "?")) < 0)
          goto done;
        recs[n].group_buf = fo_buf_detach(&g, NULL);
        recs[n].group = recs[n].group_buf;
        recs[n].key = o->string;
        recs[n].weight = w->valuedouble;
        n++;
      }
    }
  }
  if (n > 1)
    qsort(recs, n, sizeof *recs, cmp_rec);
  for (size_t i = 0; i < n;) {
    size_t j = i, active = 0;
    fo_buf key = FO_BUF_INIT, msg = FO_BUF_INIT;
    cJSON *weights = cJSON_CreateObject();
    char *val = NULL;
    while (j < n && !strcmp(recs[j].group, recs[i].group))
      j++;
    /* {"<address>": weight, ...} built with cJSON: addresses with for_each keys hold quotes */
    err = weights ? 0 : fo_err_oom();
    for (size_t k = i; k < j && err == 0; k++) {
      active += recs[k].weight > 0;
      if (!cJSON_AddNumberToObject(weights, recs[k].key, recs[k].weight))
        err = fo_err_oom();
    }
    if (err == 0 && active != 1) {
      if (!(val = fo_audit_value_text(weights)))
        err = fo_err_oom();
      else if ((err = fo_buf_printf(&key, "dns/%s", recs[i].group)) == 0 &&
               (err = fo_buf_printf(&msg, "%zu of %zu weighted records have a non-zero weight (want exactly 1)", active,
                                    j - i)) == 0)
        err = fo_audit_sidecheck_add(r, "dns.active-weight-count", "dns", key.data, NULL, "", FO_AUDIT_SIDE_BOTH, val,
                                     msg.data);
    }
    cJSON_Delete(weights);
    cJSON_free(val);
    fo_buf_dispose(&key);
    fo_buf_dispose(&msg);
    if (err < 0)
      goto done;
    i = j;
  }
done:
  for (size_t i = 0; i < n; i++)
    free(recs[i].group_buf);
  free(recs);
  return err;
}

static int run_backup(fo_audit_result *r, const fo_audit_snapshot *snaps[2], const char *check) {
  fo_audit_arena *scratch = fo_audit_arena_new();
  int err = scratch ? 0 : fo_err_oom();
  (void)check;
  if (err == 0 && snaps[0])
    err = check_backup(r, snaps[0], FO_AUDIT_SIDE_PRIMARY, scratch);
  if (err == 0 && snaps[1])
    err = check_backup(r, snaps[1], FO_AUDIT_SIDE_SECONDARY, scratch);
  fo_audit_arena_free(scratch);
  return err;
}

static int run_dns(fo_audit_result *r, const fo_audit_snapshot *snaps[2], const char *check) {
  fo_audit_arena *scratch;
  int err;
  (void)check;
  if (!snaps[0] && !snaps[1])
    return 0;
  if (!(scratch = fo_audit_arena_new()))
    return fo_err_oom();
  err = check_dns(r, snaps, scratch);
  fo_audit_arena_free(scratch);
  return err;
}

const fo_audit_sidecheck fo_audit_tfstate_sidechecks[2] = {
    {"backup", run_backup},
    {"dns", run_dns},
};
