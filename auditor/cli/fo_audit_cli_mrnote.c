/* fo_audit_cli_mrnote: --post-mr-note of the gate commands: the CI_* variables and the config's `gitlab:` section
 * turned into a GitLab API target, the markdown report posted as the merge-request note (fo_audit_gitlab). */
#include "fo_audit_cli.h"
#include "fo_audit_gitlab.h"
#include "fo_audit_pipeline.h"
#include "fo_err.h"
#include "fo_log.h"

#include <stdio.h>
#include <stdlib.h>

int fo_audit_cli_mr_note_ready(const fo_audit_config *cfg, const fo_audit_opts *o) {
  if (!o->post_mr_note || cfg->gitlab_token_env)
    return 0;
  fo_audit_cli_error(
      "%s: --post-mr-note needs `gitlab: {token_env: NAME}`: the name of the variable that holds the "
      "GitLab API token",
      cfg->path);
  return FO_AUDIT_EXIT_USAGE;
}

int fo_audit_cli_post_mr_note(const fo_audit_result *r, const fo_audit_config *cfg, const fo_audit_opts *o,
                              const fo_audit_env *env, int rc) {
  fo_audit_gitlab_target t = {0};
  fo_audit_note_outcome outcome;
  fo_buf md = FO_BUF_INIT;
  int64_t id = 0;
  const char *iid = getenv("CI_MERGE_REQUEST_IID");

  /* a usage error (a report that could not be written) is not a result to post */
  if (!o->post_mr_note || rc == FO_AUDIT_EXIT_USAGE)
    return rc;
  if (!iid || !*iid) {
    fputs(
        "failover-audit: --post-mr-note: not a merge-request pipeline (CI_MERGE_REQUEST_IID is not set): no note "
        "posted\n",
        stderr);
    return rc;
  }
  t.api_url = getenv("CI_API_V4_URL");
  t.project_id = getenv("CI_PROJECT_ID");
  t.mr_iid = iid;
  t.token_env = cfg->gitlab_token_env;
  t.token = getenv(cfg->gitlab_token_env);
  t.token_header = cfg->gitlab_token_header;
  t.ca_file = getenv("CI_SERVER_TLS_CA_FILE");
  t.cancel = env ? env->cancel : NULL;
  if (t.ca_file && !*t.ca_file)
    t.ca_file = NULL;
  if (t.token)
    fo_log_add_secret(t.token); /* whatever prints, the token comes out as [REDACTED] */
  if (fo_audit_pipeline_report(r, "markdown", &md, 0) < 0 ||
      fo_audit_gitlab_post_note(&outcome, &id, &t, r->command ? r->command : "check", md.data, rc == FO_AUDIT_EXIT_OK) <
          0) {
    fo_audit_cli_error("merge-request note not posted: %s", fo_err_last());
    fo_buf_dispose(&md);
    return FO_AUDIT_EXIT_UNREADABLE; /* the gate fails closed: reviewers would not see the result */
  }
  fo_buf_dispose(&md);
  if (outcome == FO_AUDIT_NOTE_NONE)
    fputs("failover-audit: in sync and no earlier note: no merge-request note posted\n", stderr);
  else
    fprintf(stderr, "failover-audit: merge-request note %lld %s\n", (long long)id,
            outcome == FO_AUDIT_NOTE_CREATED ? "created" : "updated");
  return rc;
}
