/* cmd_check: `failover-audit check`: collect both sides per the config and compare them (the CI gate). */
#include "fo_audit_cli.h"
#include "fo_audit_pipeline.h"
#include "fo_err.h"

#include <stdio.h>

static int run(int argc, char **argv, const fo_audit_env *env);

static const fo_audit_opt_spec opts[] = {FO_AUDIT_OPT_SPEC_CONFIG, FO_AUDIT_OPT_SPEC_FORMAT, FO_AUDIT_OPT_SPEC_OUTPUT,
                                         FO_AUDIT_OPT_SPEC_POST_MR_NOTE};

const fo_audit_command fo_audit_cmd_check = {
    "check",
    "",
    "collect both sides and compare (the CI gate)",
    "The CI gate: collect both sides as the config describes them (Terraform state, Kubernetes manifests),\n"
    "compare them, run the side checks (backup copy lifecycle, DNS weights) and classify the differences\n"
    "against expected_differences.",
    opts,
    sizeof opts / sizeof opts[0],
    0,
    0,
    "Exit: 0 in sync; 1 unexpected drift; 2 usage/config error; 3 a source could not be read, or the\n"
    "merge-request note could not be posted (--post-mr-note; the report files are written first).",
    run,
};

static int run(int argc, char **argv, const fo_audit_env *env) {
  fo_audit_opts o;
  fo_audit_config *cfg = NULL;
  fo_audit_result *r = NULL;
  int rc;

  if ((rc = fo_audit_opts_parse(&o, argc, argv, &fo_audit_cmd_check)) != 0 || o.help)
    return rc;
  if ((rc = fo_audit_cli_gate_config(&cfg, &o)) != 0)
    return rc;
  if ((rc = fo_audit_cli_mr_note_ready(cfg, &o)) != 0) {
    fo_audit_config_free(cfg);
    return rc;
  }
  if (fo_audit_pipeline_check(&r, cfg, "check", env) < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    rc = FO_AUDIT_EXIT_USAGE;
  } else {
    rc = fo_audit_cli_post_mr_note(r, cfg, &o, env, fo_audit_cli_emit(r, &o));
  }
  fo_audit_result_free(r);
  fo_audit_config_free(cfg);
  return rc;
}
