/* cmd_verify: `failover-audit verify --side SIDE`: the verification checklist after a failover, live against the
 * now-active side (and its stopped counterpart's consumers). */
#include "fo_audit_cli.h"
#include "fo_audit_verify.h"
#include "fo_err.h"

#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv, const fo_audit_env *env);

static const fo_audit_opt_spec opts[] = {
    {FO_OPT_SIDE, "--side", "SIDE", "the now-active side: primary or secondary", 1},
    FO_AUDIT_OPT_SPEC_CONFIG,
    FO_AUDIT_OPT_SPEC_FORMAT,
    FO_AUDIT_OPT_SPEC_OUTPUT,
};

const fo_audit_command fo_audit_cmd_verify = {
    "verify",
    "",
    "check the now-active side after a failover (the verification checklist)",
    "The verification checklist after a failover, live: the name resolves to the active side's load balancers\n"
    "and their targets are healthy; queues are consumed without a growing backlog; Lambda functions are Active\n"
    "with their triggers enabled; the restored database is available and answers a write and a read; the\n"
    "MongoDB member is healthy; the stopped side's consumers are stopped; the alarms are OK. What to check is\n"
    "each side's `verify` section of the config (docs/auditor.md).",
    opts,
    sizeof opts / sizeof opts[0],
    0,
    0,
    "Exit: 0 verified; 1 a check failed; 2 usage/config error; 3 a source could not be read.",
    run,
};

static int run(int argc, char **argv, const fo_audit_env *env) {
  fo_audit_opts o;
  fo_audit_config *cfg = NULL;
  fo_audit_result *r = NULL;
  int rc;

  if ((rc = fo_audit_opts_parse(&o, argc, argv, &fo_audit_cmd_verify)) != 0 || o.help)
    return rc;
  if (!o.side) {
    fo_audit_cli_error("verify needs --side primary|secondary (the now-active side)");
    return FO_AUDIT_EXIT_USAGE;
  }
  if ((rc = fo_audit_cli_load_config(&cfg, &o, 1)) != 0)
    return rc;
  if (fo_audit_verify_run(&r, cfg, !strcmp(o.side, "secondary"), env) < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    rc = FO_AUDIT_EXIT_USAGE;
  } else {
    rc = fo_audit_cli_emit(r, &o);
  }
  fo_audit_result_free(r);
  fo_audit_config_free(cfg);
  return rc;
}
