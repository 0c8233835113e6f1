/* fo_audit_collect: runs the registered collectors for one side into a snapshot; hides sensitive values for
 * them; the generic lookups over a collector's descriptor (steps, rule matches, its config of a side). */
#include "fo_audit_collector.h"
#include "fo_audit_json.h"
#include "fo_err.h"
#include "fo_sha256.h"
#include "fo_audit_glob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* {"$sensitive": "sha256:<hex>"} for a value, hashed after this side's normalization. */
static cJSON *sensitive_marker(const fo_audit_collect_ctx *ctx, const cJSON *v) {
  char *txt = NULL, *norm = NULL;
  char hex[7 + FO_SHA256_HEX_SIZE] = "sha256:";
  cJSON *m = NULL;
  size_t len = 0;

  /* exact text of the whole value: numbers as written, a NUL inside a string escaped, not an end */
  if (!(txt = fo_audit_json_print(v, &len)))
    return NULL;
  norm = ctx->norm ? fo_audit_normalize_text(ctx->norm, txt) : strdup(txt);
  /* the plain text is a secret: wipe it before it goes back to the allocator */
  memset(txt, 0, len);
  free(txt);
  if (!norm)
    return NULL;
  if (fo_sha256_hex(hex + 7, norm, strlen(norm)) == 0) {
    if ((m = cJSON_CreateObject()) && !cJSON_AddStringToObject(m, "$sensitive", hex)) {
      cJSON_Delete(m);
      m = NULL;
    }
  }
  memset(norm, 0, strlen(norm));
  free(norm);
  return m;
}

/* Zero every string inside a value that held a secret, before cJSON hands the memory back. */
static void wipe_strings(cJSON *v, int depth) {
  cJSON *c;
  if (!v || depth > FO_AUDIT_JSON_MAX_DEPTH * 2)
    return;
  if (v->valuestring) /* strings, NUL-holding string literals (Raw) and exact number texts */
    memset(v->valuestring, 0, strlen(v->valuestring));
  for (c = v->child; c; c = c->next)
    wipe_strings(c, depth + 1);
}

int fo_audit_mark_sensitive(const fo_audit_collect_ctx *ctx, cJSON *parent, cJSON *item) {
  if (item && cJSON_IsObject(item) && cJSON_GetObjectItemCaseSensitive(item, "$sensitive"))
    return 0;
  return fo_audit_mark_sensitive_value(ctx, parent, item);
}

int fo_audit_mark_sensitive_value(const fo_audit_collect_ctx *ctx, cJSON *parent, cJSON *item) {
  cJSON *m;
  if (!item || cJSON_IsNull(item))
    return 0;
  if (!(m = sensitive_marker(ctx, item)))
    return fo_audit_normalize_error(); /* out of memory, or a config regex over its limits */
  /* ReplaceItemViaPointer does not carry the member's key over (and replacing by key would hit the first of
   * repeated keys, not necessarily this one) */
  if (item->string && !(m->string = strdup(item->string))) {
    cJSON_Delete(m);
    return fo_err_oom();
  }
  wipe_strings(item, 0);
  if (!cJSON_ReplaceItemViaPointer(parent, item, m)) {
    cJSON_Delete(m);
    return fo_err_set(FO_EINVAL, "cannot replace a sensitive value");
  }
  return 0;
}

fo_audit_step fo_audit_collector_step(const fo_audit_collector *c, const char *kind) {
  const fo_audit_step_match *s = c ? c->steps : NULL;
  if (!s)
    return FO_AUDIT_STEP_OTHER;
  for (; s->kind; s++)
    if (fo_audit_glob_match(s->kind, kind ? kind : ""))
      return s->step;
  return s->step;
}

const fo_audit_rule_match *fo_audit_collector_match(const fo_audit_collector *c, fo_audit_diff_event on,
                                                    const char *key, const char *kind, const char *path,
                                                    int sensitive) {
  for (size_t i = 0; c && i < c->nmatches; i++) {
    const fo_audit_rule_match *m = &c->matches[i];
    if (m->on != on || (m->sensitive && !sensitive) || (m->key && !fo_audit_glob_match(m->key, key ? key : "")) ||
        (m->kind && !fo_audit_glob_match(m->kind, kind ? kind : "")) ||
        (m->path && !fo_audit_glob_match(m->path, path ? path : "")))
      continue;
    return m;
  }
  return NULL;
}

const void *fo_audit_collector_side_cfg(const fo_audit_config *cfg, int side, const fo_audit_collector *c) {
  for (size_t i = 0; cfg && i < cfg->sides[side].nsources; i++)
    if (cfg->sides[side].sources[i].collector == c)
      return cfg->sides[side].sources[i].state;
  return NULL;
}

void fo_audit_collect_ctx_for(fo_audit_collect_ctx *out, const fo_audit_config *cfg, int side,
                              const fo_audit_norm_ctx *norm, const fo_audit_collector *c, const fo_audit_env *env) {
  memset(out, 0, sizeof *out);
  out->cfg = cfg;
  out->side = side;
  out->norm = norm;
  out->source_cfg = fo_audit_collector_side_cfg(cfg, side, c);
  if (env) {
    out->aws = env->aws[side];
    out->kube_context = env->kube_context[side];
    out->cancel = env->cancel;
    out->clock = env->clock;
  }
}

void fo_audit_norm_ctx_for_side(fo_audit_norm_ctx *out, const fo_audit_config *cfg, int side) {
  out->region = cfg->sides[side].region;
  out->peer_region = cfg->sides[!side].region;
  out->account = cfg->sides[side].account_id;
  out->peer_account = cfg->sides[!side].account_id;
  out->cfg = cfg;
  out->side = side;
}

int fo_audit_collect_side(fo_audit_snapshot **out, const fo_audit_config *cfg, int side, const fo_audit_env *env) {
  const fo_audit_side_cfg *sc = &cfg->sides[side];
  const fo_audit_collector *const *collectors;
  fo_audit_snapshot *snap = NULL;
  fo_audit_norm_ctx norm;
  fo_audit_collect_ctx ctx;
  size_t ncollectors;
  int err;

  *out = NULL;
  if ((err = fo_audit_snapshot_new(&snap, side ? "secondary" : "primary", sc->name, sc->region, sc->account_id)) < 0)
    return err;
  fo_audit_norm_ctx_for_side(&norm, cfg, side);
  collectors = fo_audit_collectors(&ncollectors);
  for (size_t i = 0; i < ncollectors; i++) {
    const fo_audit_collector *c = collectors[i];
    const char *loc;
    fo_audit_collect_ctx_for(&ctx, cfg, side, &norm, c, env);
    if (!c->collect || !c->location || !fo_audit_config_check_enabled(cfg, c->name) || !(loc = c->location(&ctx)))
      continue;
    fo_err_clear();
    /* a cancelled run starts no more sources; what was not read is unreadable, so the gate fails closed */
    if (ctx.cancel && fo_cancel_is_cancelled(ctx.cancel))
      err = fo_err_set(FO_ECANCELED, "cancelled before reading: %s", fo_cancel_reason(ctx.cancel));
    else if (c->live && c->live(&ctx) != FO_AUDIT_OFFLINE) {
      /* live reads take seconds to minutes: say what is being read, per side (the two sides run at once) */
      int before = cJSON_GetArraySize(snap->objects);
      fprintf(stderr, "failover-audit: %s: reading %s (%s)\n", side ? "secondary" : "primary", c->name, loc);
      err = c->collect(&ctx, snap);
      if (err >= 0)
        fprintf(stderr, "failover-audit: %s: read %s: %d objects\n", side ? "secondary" : "primary", c->name,
                cJSON_GetArraySize(snap->objects) - before);
      else
        fprintf(stderr, "failover-audit: %s: %s could not be read\n", side ? "secondary" : "primary", c->name);
    } else
      err = c->collect(&ctx, snap);
    if (err == FO_ENOMEM)
      goto fail;
    if (err < 0)
      err = fo_audit_snapshot_add_source(snap, c->name, "unreadable", loc, fo_err_last());
    else
      err = fo_audit_snapshot_add_source(snap, c->name, "ok", loc, NULL);
    if (err < 0)
      goto fail;
  }
  *out = snap;
  return 0;
fail:
  fo_audit_snapshot_free(snap);
  return err;
}
