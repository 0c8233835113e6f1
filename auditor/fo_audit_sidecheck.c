/* fo_audit_sidecheck: the generic side-check stage over the collectors' declared side checks. */
#include "fo_audit_sidecheck.h"
#include "fo_audit_collector.h"
#include "fo_buf.h"
#include "fo_err.h"

#include <string.h>

static const char *ostr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int source_ok(const fo_audit_snapshot *s, const char *name) {
  const char *st = s ? fo_audit_snapshot_source_status(s, name) : NULL;
  return st && !strcmp(st, "ok");
}

int fo_audit_sidecheck_add(fo_audit_result *r, const char *rule_id, const char *check, const char *key,
                           const cJSON *obj, const char *path, fo_audit_side side, const char *value,
                           const char *message) {
  fo_audit_finding f;
  fo_buf full = FO_BUF_INIT;
  int err;

  fo_audit_finding_from_rule(&f, rule_id);
  if ((err = fo_buf_printf(&full, "%s%s%s@%s", key, *path ? "/" : "", path, fo_audit_side_name(side))) < 0)
    return err;
  f.classification = FO_AUDIT_CLASS_SIDE_CHECK;
  f.side = side;
  f.check = (char *)check;
  f.resource.key = (char *)key;
  f.resource.kind = obj ? (char *)ostr(obj, "kind") : NULL;
  f.resource.name = obj ? (char *)ostr(obj, "name") : NULL;
  f.resource.address = obj ? (char *)ostr(obj, "address") : NULL;
  f.path = (char *)path;
  f.full_path = full.data;
  f.message = (char *)message;
  if (side == FO_AUDIT_SIDE_SECONDARY) {
    f.secondary_value = (char *)value;
    f.secondary_loc.file = obj ? (char *)ostr(obj, "file") : NULL;
  } else {
    f.primary_value = (char *)value;
    f.primary_loc.file = obj ? (char *)ostr(obj, "file") : NULL;
  }
  err = fo_audit_result_add(r, &f, NULL);
  fo_buf_dispose(&full);
  return err;
}

int fo_audit_sidechecks(fo_audit_result *r, const fo_audit_snapshot *primary, const fo_audit_snapshot *secondary,
                        const fo_audit_config *cfg) {
  size_t n;
  const fo_audit_collector *const *cs = fo_audit_collectors(&n);
  int err;

  for (size_t i = 0; i < n; i++) {
    const fo_audit_collector *c = cs[i];
    const fo_audit_snapshot *snaps[2] = {source_ok(primary, c->name) ? primary : NULL,
                                         source_ok(secondary, c->name) ? secondary : NULL};
    if (!c->nsidechecks || !fo_audit_config_check_enabled(cfg, c->name))
      continue;
    for (size_t j = 0; j < c->nsidechecks; j++) {
      const fo_audit_sidecheck *sc = &c->sidechecks[j];
      if (fo_audit_config_check_enabled(cfg, sc->name) && (err = sc->run(r, snaps, sc->name)) < 0)
        return err;
    }
  }
  return 0;
}
