/* cmd_diff: `failover-audit diff PRIMARY.json SECONDARY.json`: compare two snapshots offline. */
#include "fo_audit_cli.h"
#include "fo_audit_pipeline.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv, const fo_audit_env *env);

static const fo_audit_opt_spec opts[] = {
    {FO_OPT_CONFIG, "--config", "FILE", "the config (default: ./.failover-audit.yml when present; optional)", 0},
    FO_AUDIT_OPT_SPEC_FORMAT,
    FO_AUDIT_OPT_SPEC_OUTPUT,
};

const fo_audit_command fo_audit_cmd_diff = {
    "diff",
    "PRIMARY.json SECONDARY.json",
    "compare two snapshots offline",
    "Compare two snapshots (from `failover-audit snapshot`) offline: normalize, diff by identity, run the side\n"
    "checks and classify against the config's expected_differences when a config is found.",
    opts,
    sizeof opts / sizeof opts[0],
    2,
    2,
    "Exit: 0 in sync; 1 unexpected drift; 2 usage/config error or unreadable snapshot file; 3 a source\n"
    "inside a snapshot was unreadable.",
    run,
};

static int run(int argc, char **argv, const fo_audit_env *env) {
  fo_audit_opts o;
  fo_audit_config *cfg = NULL;
  fo_audit_snapshot *p = NULL, *s = NULL;
  fo_audit_result *r = NULL;
  int rc;

  if ((rc = fo_audit_opts_parse(&o, argc, argv, &fo_audit_cmd_diff)) != 0 || o.help)
    return rc;
  if ((rc = fo_audit_cli_load_config(&cfg, &o, 0)) != 0)
    return rc;
  if (fo_audit_snapshot_load_pair(&p, &s, o.args[0], o.args[1]) < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    rc = FO_AUDIT_EXIT_USAGE;
    goto done;
  }
  if (strcmp(fo_audit_snapshot_get(p, "side"), "primary") != 0 ||
      strcmp(fo_audit_snapshot_get(s, "side"), "secondary") != 0) {
    fo_audit_cli_error("'%s' must be the primary snapshot and '%s' the secondary one", o.args[0], o.args[1]);
    rc = FO_AUDIT_EXIT_USAGE;
    goto done;
  }
  if (!p->sources->child && !s->sources->child) {
    /* as for check: comparing nothing would pass on anything */
    fo_audit_cli_error("'%s' and '%s' hold no sources: nothing to compare", o.args[0], o.args[1]);
    rc = FO_AUDIT_EXIT_USAGE;
    goto done;
  }
  if (!(r = fo_audit_result_new()) || !(r->command = strdup("diff")) || !(r->tool_version = strdup(FO_AUDIT_VERSION)) ||
      (cfg && !(r->config_path = strdup(cfg->path)))) {
    fo_audit_cli_error("out of memory");
    rc = FO_AUDIT_EXIT_USAGE;
    goto done;
  }
  if (fo_audit_pipeline_compare(r, p, s, cfg, env, 1) < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    rc = FO_AUDIT_EXIT_USAGE;
    goto done;
  }
  rc = fo_audit_cli_emit(r, &o);
done:
  fo_audit_result_free(r);
  fo_audit_snapshot_free(p);
  fo_audit_snapshot_free(s);
  fo_audit_config_free(cfg);
  return rc;
}
