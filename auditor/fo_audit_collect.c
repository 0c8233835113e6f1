/* fo_audit_collect: runs the registered collectors for one side into a snapshot. */
#include "fo_audit_collector.h"
#include "fo_err.h"

#include <stdlib.h>

static const fo_audit_collector *const collectors[] = {
  &fo_audit_collector_tfstate,
  &fo_audit_collector_manifests,
};

const fo_audit_collector *const *fo_audit_collectors(size_t *n)
{
  *n = sizeof collectors / sizeof collectors[0];
  return collectors;
}

void fo_audit_norm_ctx_for_side(fo_audit_norm_ctx *out, const fo_audit_config *cfg, int side)
{
  out->region = cfg->sides[side].region;
  out->peer_region = cfg->sides[!side].region;
  out->account = cfg->sides[side].account_id;
  out->peer_account = cfg->sides[!side].account_id;
  out->cfg = cfg;
  out->side = side;
}

int fo_audit_collect_side(fo_audit_snapshot **out, const fo_audit_config *cfg, int side)
{
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
