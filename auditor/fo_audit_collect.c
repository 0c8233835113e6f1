/* fo_audit_collect: runs the registered collectors for one side into a snapshot; hides sensitive values for
 * them. */
#include "fo_audit_collector.h"
#include "fo_audit_json.h"
#include "fo_err.h"
#include "fo_sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const fo_audit_collector *const collectors[] = {
    &fo_audit_collector_tfstate,
    &fo_audit_collector_manifests,
};

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
  cJSON *m;
  if (!item || cJSON_IsNull(item))
    return 0;
  if (cJSON_IsObject(item) && cJSON_GetObjectItemCaseSensitive(item, "$sensitive"))
    return 0;
  if (!(m = sensitive_marker(ctx, item)))
    return fo_err_oom();
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

const fo_audit_collector *const *fo_audit_collectors(size_t *n) {
  *n = sizeof collectors / sizeof collectors[0];
  return collectors;
}

void fo_audit_norm_ctx_for_side(fo_audit_norm_ctx *out, const fo_audit_config *cfg, int side) {
  out->region = cfg->sides[side].region;
  out->peer_region = cfg->sides[!side].region;
  out->account = cfg->sides[side].account_id;
  out->peer_account = cfg->sides[!side].account_id;
  out->cfg = cfg;
  out->side = side;
}

int fo_audit_collect_side(fo_audit_snapshot **out, const fo_audit_config *cfg, int side) {
  const fo_audit_side_cfg *sc = &cfg->sides[side];
  fo_audit_snapshot *snap = NULL;
  fo_audit_norm_ctx norm;
  fo_audit_collect_ctx ctx;
  int err;

  *out = NULL;
  if ((err = fo_audit_snapshot_new(&snap, side ? "secondary" : "primary", sc->name, sc->region, sc->account_id)) < 0)
    return err;
  fo_audit_norm_ctx_for_side(&norm, cfg, side);
  ctx.cfg = cfg;
  ctx.side = side;
  ctx.norm = &norm;
  for (size_t i = 0; i < sizeof collectors / sizeof collectors[0]; i++) {
    const fo_audit_collector *c = collectors[i];
    const char *loc;
    if (!fo_audit_config_check_enabled(cfg, c->check) || !(loc = c->location(&ctx)))
      continue;
    fo_err_clear();
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
