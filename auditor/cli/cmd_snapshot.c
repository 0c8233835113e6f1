/* cmd_snapshot: `failover-audit snapshot --side primary|secondary -o FILE`: collect one side. */
#include "fo_audit_cli.h"
#include "fo_audit_collector.h"
#include "fo_audit_pipeline.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv, const fo_audit_env *env);

static const fo_audit_opt_spec opts[] = {
    {FO_OPT_SIDE, "--side", "SIDE", "primary or secondary (required)", 1},
    {FO_OPT_OUT, "-o", "FILE", "where to write the snapshot (default: stdout)", 0},
    FO_AUDIT_OPT_SPEC_CONFIG,
};

const fo_audit_command fo_audit_cmd_snapshot = {
    "snapshot",
    "",
    "collect one side into a snapshot (--side primary|secondary -o FILE)",
    "Collect one side (region) as the config describes it and write its snapshot: a versioned JSON\n"
    "document (docs/snapshot-format.md). Sensitive values are stored as SHA-256 hashes only.",
    opts,
    sizeof opts / sizeof opts[0],
    0,
    0,
    "Exit: 0 written; 2 usage or config error; 3 a source could not be read (snapshot still written).",
    run,
};

static int run(int argc, char **argv, const fo_audit_env *env) {
  fo_audit_opts o;
  fo_audit_config *cfg = NULL;
  fo_audit_snapshot *snap = NULL;
  fo_buf b = FO_BUF_INIT;
  const cJSON *src;
  int rc, side, unreadable = 0;

  if ((rc = fo_audit_opts_parse(&o, argc, argv, &fo_audit_cmd_snapshot)) != 0 || o.help)
    return rc;
  if (!o.side) {
    fo_audit_cli_error("snapshot needs --side primary|secondary");
    return FO_AUDIT_EXIT_USAGE;
  }
  if ((rc = fo_audit_cli_load_config(&cfg, &o, 1)) != 0)
    return rc;
  side = !strcmp(o.side, "secondary");
  if (!fo_audit_cli_has_sources(cfg, side)) {
    rc = FO_AUDIT_EXIT_USAGE;
    goto done;
  }
  if (fo_audit_pipeline_collect_side(&snap, cfg, side, env) < 0 || fo_audit_snapshot_write(snap, &b) < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    rc = FO_AUDIT_EXIT_USAGE;
    goto done;
  }
  cJSON_ArrayForEach(src, snap->sources) {
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(src, "status");
    if (cJSON_IsString(st) && strcmp(st->valuestring, "ok") != 0) {
      const cJSON *n = cJSON_GetObjectItemCaseSensitive(src, "name"),
                  *m = cJSON_GetObjectItemCaseSensitive(src, "message");
      fo_audit_cli_error("source '%s' (%s) could not be read: %s", n->valuestring, o.side,
                         cJSON_IsString(m) ? m->valuestring : "");
      unreadable = 1;
    }
  }
  if (!o.out || !strcmp(o.out, "-")) {
    fwrite(b.data, 1, b.len, stdout);
  } else if (fo_audit_cli_write_file(o.out, &b) < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    rc = FO_AUDIT_EXIT_USAGE;
    goto done;
  }
  rc = unreadable ? FO_AUDIT_EXIT_UNREADABLE : FO_AUDIT_EXIT_OK;
done:
  fo_buf_dispose(&b);
  fo_audit_snapshot_free(snap);
  fo_audit_config_free(cfg);
  return rc;
}
