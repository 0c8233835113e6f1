/* cmd_changes: `failover-audit changes --base REV --head REV`: the sync checklist on the repo's history. */
#include "fo_audit_changes.h"
#include "fo_audit_classify.h"
#include "fo_audit_cli.h"
#include "fo_audit_pipeline.h"
#include "fo_err.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv, const fo_audit_env *env);

static const fo_audit_opt_spec opts[] = {
    {FO_OPT_BASE, "--base", "REV", "the base revision (sha, branch, tag, HEAD~2 ...)", 1},
    {FO_OPT_HEAD, "--head", "REV", "the head revision", 1},
    {FO_OPT_REPO, "--repo", "DIR", "the repository (default: the config's `repo`, else the config's directory)", 0},
    FO_AUDIT_OPT_SPEC_CONFIG,
    FO_AUDIT_OPT_SPEC_FORMAT,
    {FO_OPT_OUTPUT, "--output", "FORMAT=PATH", "also write a report to PATH (repeatable)", 0},
    FO_AUDIT_OPT_SPEC_POST_MR_NOTE,
};

const fo_audit_command fo_audit_cmd_changes = {
    "changes",
    "",
    "check that mapped files changed on both sides (--base REV --head REV)",
    "For every file changed between REV..REV under a primary path of the config's path_mappings, the\n"
    "counterpart under the secondary path must change too, or be identical after normalization. Files are\n"
    "read from the object database; nothing is checked out. In GitLab CI use\n"
    "  --base \"$CI_MERGE_REQUEST_DIFF_BASE_SHA\" --head \"$CI_COMMIT_SHA\"  with GIT_DEPTH: 0.",
    opts,
    sizeof opts / sizeof opts[0],
    0,
    0,
    "Exit: 0 in sync; 1 a counterpart was not updated; 2 usage/config error; 3 the repository or a revision\n"
    "could not be read (e.g. the base is missing from a shallow clone: set GIT_DEPTH: 0 or run\n"
    "`git fetch --unshallow`), or a binary file would need normalizing, or the merge-request note could not\n"
    "be posted (--post-mr-note; the report files are written first).",
    run,
};

static int run(int argc, char **argv, const fo_audit_env *env) {
  fo_audit_opts o;
  fo_audit_config *cfg = NULL;
  fo_audit_result *r = NULL;
  char today[11];
  const char *repo;
  int rc;

  if ((rc = fo_audit_opts_parse(&o, argc, argv, &fo_audit_cmd_changes)) != 0 || o.help)
    return rc;
  if (!o.base || !o.head) {
    fo_audit_cli_error("changes needs --base REV and --head REV");
    return FO_AUDIT_EXIT_USAGE;
  }
  if ((rc = fo_audit_cli_load_config(&cfg, &o, 1)) != 0)
    return rc;
  if ((rc = fo_audit_cli_mr_note_ready(cfg, &o)) != 0) {
    fo_audit_config_free(cfg);
    return rc;
  }
  if (!cfg->nmappings) {
    fo_audit_cli_error("%s: no path_mappings: nothing to compare", cfg->path);
    fo_audit_config_free(cfg);
    return FO_AUDIT_EXIT_USAGE;
  }
  repo = o.repo ? o.repo : cfg->repo ? cfg->repo : cfg->dir;
  git_libgit2_init();
  if (fo_audit_pipeline_today(today, env ? env->clock : NULL) < 0 || !(r = fo_audit_result_new()) ||
      !(r->command = strdup("changes")) || !(r->tool_version = strdup(FO_AUDIT_VERSION)) ||
      !(r->config_path = strdup(cfg->path)) ||
      fo_audit_result_set_sides(r, cfg->sides[0].name, cfg->sides[0].region, cfg->sides[1].name, cfg->sides[1].region) <
          0 ||
      fo_audit_changes(r, cfg, repo, o.base, o.head) < 0 || fo_audit_classify(r, cfg, today, 0) < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    rc = FO_AUDIT_EXIT_USAGE;
  } else {
    fo_audit_result_finish(r);
    rc = fo_audit_cli_post_mr_note(r, cfg, &o, env, fo_audit_cli_emit(r, &o));
  }
  fo_audit_result_free(r);
  fo_audit_config_free(cfg);
  git_libgit2_shutdown();
  return rc;
}
