/* cmd_tf_report: `failover-audit tf-report --plan-json FILE --region REGION -o FILE`: one region's plan as GitLab's
 * Terraform merge-request report ({"create":N,"update":N,"delete":N}). */
#include "fo_audit_cli.h"
#include "fo_audit_tfplan.h"
#include "fo_err.h"

#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv, const fo_audit_env *env);

static const fo_audit_opt_spec opts[] = {
    {FO_OPT_PLAN_JSON, "--plan-json", "FILE", "the region's plan: `terraform show -json PLANFILE > FILE` (or tofu's)",
     1},
    {FO_OPT_REGION, "--region", "REGION", "the region the plan is for (named in the summary on stderr)", 0},
    {FO_OPT_OUT, "-o", "FILE", "where to write the report (default: stdout)", 0},
};

const fo_audit_command fo_audit_cmd_tf_report = {
    "tf-report",
    "",
    "a region's plan JSON as GitLab's Terraform report (--plan-json FILE -o FILE)",
    "Count the resource changes of one region's plan (the output of `terraform show -json PLANFILE` or\n"
    "`tofu show -json PLANFILE`) as GitLab's artifacts:reports:terraform wants them: {\"create\": N,\n"
    "\"update\": N, \"delete\": N}. A replacement counts as one create and one delete, as in GitLab's own\n"
    "conversion. Run it once per region, in a job per region (the merge-request widget shows one report\n"
    "per job, titled with the job's artifacts:name).",
    opts,
    sizeof opts / sizeof opts[0],
    0,
    0,
    "Exit: 0 written; 2 usage error or the report cannot be written; 3 the plan JSON cannot be read or is not\n"
    "a plan (a state's show -json output, an errored plan, an unknown major format version).",
    run,
};

static int run(int argc, char **argv, const fo_audit_env *env) {
  fo_audit_opts o;
  fo_audit_tfplan_counts c;
  fo_buf b = FO_BUF_INIT;
  int rc = FO_AUDIT_EXIT_OK;
  (void)env;

  if ((rc = fo_audit_opts_parse(&o, argc, argv, &fo_audit_cmd_tf_report)) != 0 || o.help)
    return rc;
  if (!o.plan_json) {
    fo_audit_cli_error("tf-report needs --plan-json FILE");
    return FO_AUDIT_EXIT_USAGE;
  }
  if (fo_audit_tfplan_load(&c, o.plan_json) < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    return FO_AUDIT_EXIT_UNREADABLE;
  }
  if (fo_audit_tfplan_report(&b, &c) < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    rc = FO_AUDIT_EXIT_USAGE;
  } else if (!o.out || !strcmp(o.out, "-")) {
    fwrite(b.data, 1, b.len, stdout);
    fflush(stdout);
  } else if (fo_audit_cli_write_file(o.out, &b) < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    rc = FO_AUDIT_EXIT_USAGE;
  }
  if (rc == FO_AUDIT_EXIT_OK)
    fprintf(stderr,
            "failover-audit: terraform plan%s%s: %zu to create, %zu to update, %zu to delete (%zu resource%s)\n",
            o.region ? " for " : "", o.region ? o.region : "", c.create, c.update, c.del, c.resources,
            c.resources == 1 ? "" : "s");
  fo_buf_dispose(&b);
  return rc;
}
