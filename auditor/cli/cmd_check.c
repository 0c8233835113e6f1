/* cmd_check: `failover-audit check`: collect both sides per the config and compare them (the CI gate). */
#include "fo_audit_cli.h"
#include "fo_err.h"

#include <stdio.h>

static const char usage[] =
    "usage: failover-audit check [--config FILE] [--format FORMAT] [--output FORMAT=PATH ...]\n"
    "\n"
    "The CI gate: collect both sides as the config describes them (Terraform state, Kubernetes manifests),\n"
    "compare them, run the side checks (backup copy lifecycle, DNS weights) and classify the differences\n"
    "against expected_differences.\n"
    "\n"
    "  --config FILE          the config (default: ./.failover-audit.yml)\n"
    "  --format FORMAT        report on stdout: text (default), markdown, json, junit, codequality\n"
    "  --output FORMAT=PATH   also write a report to PATH (repeatable; PATH '-' is stdout)\n"
    "\n"
    "Exit: 0 in sync; 1 unexpected drift; 2 usage/config error; 3 a source could not be read.\n";

int fo_audit_cmd_check(int argc, char **argv) {
  fo_audit_opts o;
  fo_audit_config *cfg = NULL;
  fo_audit_result *r = NULL;
  int rc;

  if ((rc = fo_audit_opts_parse(&o, argc, argv, FO_OPT_CONFIG | FO_OPT_FORMAT | FO_OPT_OUTPUT, 0, 0, usage)) != 0 ||
      o.help)
    return rc;
  if ((rc = fo_audit_cli_gate_config(&cfg, &o)) != 0)
    return rc;
  if (fo_audit_cli_check_result(&r, cfg, "check") < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    rc = FO_AUDIT_EXIT_USAGE;
  } else {
    rc = fo_audit_cli_emit(r, &o);
  }
  fo_audit_result_free(r);
  fo_audit_config_free(cfg);
  return rc;
}
