/* unit.audit.cli: the command line: option parsing against each command's table, the help generated from the
 * tables, dispatch (unknown command, option or format: exit 2), the renderer table and FO_AUDIT_TODAY's clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "fo_audit_cli.h"
#include "fo_audit_config.h"
#include "fo_audit_gitlab.h"
#include "fo_audit_pipeline.h"
#include "fo_audit_render.h"
#include "fo_err.h"

/* argv as main() gets it: writable strings that outlive the parse (the options point into them). */
static char store[16][128];
static char *args[17];

static char **argv_of(const char *const *in, int *argc) {
  int n = 0;
  for (; in[n] && n < 16; n++) {
    snprintf(store[n], sizeof store[n], "%s", in[n]);
    args[n] = store[n];
  }
  args[n] = NULL;
  *argc = n;
  return args;
}

static int parse(fo_audit_opts *o, const fo_audit_command *cmd, const char *const *in) {
  int argc;
  char **argv = argv_of(in, &argc);
  return fo_audit_opts_parse(o, argc, argv, cmd);
}

static int run(const char *const *in) {
  int argc;
  char **argv = argv_of(in, &argc);
  return fo_audit_cli_run(argc, argv, NULL);
}

#define PARSE(o, cmd, ...) parse(o, cmd, (const char *const[]){__VA_ARGS__, NULL})
#define RUN(...)           run((const char *const[]){__VA_ARGS__, NULL})

static void test_parse(void **state) {
  fo_audit_opts o;
  (void)state;
  assert_int_equal(PARSE(&o, &fo_audit_cmd_diff, "diff", "--config", "c.yml", "--format=json", "--output",
                         "junit=r.xml", "p.json", "s.json"),
                   0);
  assert_string_equal(o.config, "c.yml");
  assert_string_equal(o.format, "json");
  assert_int_equal(o.noutputs, 1);
  assert_string_equal(o.outputs[0].format, "junit");
  assert_string_equal(o.outputs[0].path, "r.xml");
  assert_int_equal(o.nargs, 2);
  assert_string_equal(o.args[1], "s.json");
  assert_int_equal(PARSE(&o, &fo_audit_cmd_snapshot, "snapshot", "--side", "secondary", "-o", "x.json"), 0);
  assert_string_equal(o.side, "secondary");
  assert_string_equal(o.out, "x.json");
  assert_int_equal(PARSE(&o, &fo_audit_cmd_changes, "changes", "--base", "a", "--head", "b", "--repo", "r"), 0);
  assert_string_equal(o.base, "a");
  assert_string_equal(o.repo, "r");
  assert_int_equal(PARSE(&o, &fo_audit_cmd_accept, "accept", "--reason", "why", "--expires", "2026-12-31"), 0);
  assert_string_equal(o.expires, "2026-12-31");
  assert_int_equal(PARSE(&o, &fo_audit_cmd_check, "check", "--help"), 0);
  assert_true(o.help);
}

static void test_parse_errors(void **state) {
  fo_audit_opts o;
  (void)state;
  /* an option another command has is unknown here: each command's table is the whole truth */
  assert_int_equal(PARSE(&o, &fo_audit_cmd_check, "check", "--side", "primary"), FO_AUDIT_EXIT_USAGE);
  assert_int_equal(PARSE(&o, &fo_audit_cmd_check, "check", "--bogus"), FO_AUDIT_EXIT_USAGE);
  assert_int_equal(PARSE(&o, &fo_audit_cmd_check, "check", "--format", "xml"), FO_AUDIT_EXIT_USAGE);
  assert_int_equal(PARSE(&o, &fo_audit_cmd_check, "check", "--output", "xml=r.xml"), FO_AUDIT_EXIT_USAGE);
  assert_int_equal(PARSE(&o, &fo_audit_cmd_check, "check", "--output", "r.xml"), FO_AUDIT_EXIT_USAGE);
  assert_int_equal(PARSE(&o, &fo_audit_cmd_check, "check", "--format", "json", "--output", "text=-"),
                   FO_AUDIT_EXIT_USAGE);
  assert_int_equal(PARSE(&o, &fo_audit_cmd_check, "check", "--config"), FO_AUDIT_EXIT_USAGE);
  assert_int_equal(PARSE(&o, &fo_audit_cmd_check, "check", "extra"), FO_AUDIT_EXIT_USAGE);
  assert_int_equal(PARSE(&o, &fo_audit_cmd_diff, "diff", "p.json"), FO_AUDIT_EXIT_USAGE);
  assert_int_equal(PARSE(&o, &fo_audit_cmd_snapshot, "snapshot", "--side", "both"), FO_AUDIT_EXIT_USAGE);
  assert_int_equal(PARSE(&o, &fo_audit_cmd_accept, "accept", "--expires", "2026-02-30"), FO_AUDIT_EXIT_USAGE);
}

/* Every line of a command's help comes from its tables: each option with its value name and help, the renderer
 * names after --format/--output, the description and the exit codes. */
static void test_help_from_tables(void **state) {
  size_t n;
  const fo_audit_command *const *cmds = fo_audit_commands(&n);
  fo_buf usage = FO_BUF_INIT;
  (void)state;
  assert_int_equal(n, 8); /* snapshot diff check changes accept tf-report verify drill */
  assert_int_equal(fo_audit_cli_usage(&usage), 0);
  for (size_t i = 0; i < n; i++) {
    fo_buf b = FO_BUF_INIT;
    char head[64];
    assert_int_equal(fo_audit_cli_help(&b, cmds[i]), 0);
    snprintf(head, sizeof head, "usage: failover-audit %s ", cmds[i]->name);
    assert_int_equal(strncmp(b.data, head, strlen(head)), 0);
    assert_non_null(strstr(b.data, cmds[i]->description));
    assert_non_null(strstr(b.data, cmds[i]->exit));
    assert_non_null(strstr(b.data, "-h, --help"));
    for (size_t k = 0; k < cmds[i]->nopts; k++) {
      const fo_audit_opt_spec *s = &cmds[i]->opts[k];
      char line[128];
      snprintf(line, sizeof line, "%s%s%s", s->name, s->value ? " " : "", s->value ? s->value : ""); /* a flag: name */
      assert_non_null(strstr(b.data, line));
      assert_non_null(strstr(b.data, s->help));
      if (s->id == FO_OPT_FORMAT)
        assert_non_null(strstr(b.data, fo_audit_renderer_names()));
    }
    assert_ptr_equal(fo_audit_command_find(cmds[i]->name), cmds[i]);
    assert_non_null(strstr(usage.data, cmds[i]->summary));
    fo_buf_dispose(&b);
  }
  assert_non_null(strstr(usage.data, "exit codes"));
  {
    /* required options without brackets, the others in brackets */
    fo_buf b = FO_BUF_INIT;
    assert_int_equal(fo_audit_cli_help(&b, &fo_audit_cmd_snapshot), 0);
    assert_non_null(strstr(b.data, "usage: failover-audit snapshot --side SIDE [-o FILE] [--config FILE]\n"));
    fo_buf_dispose(&b);
  }
  fo_buf_dispose(&usage);
}

static void test_dispatch(void **state) {
  (void)state;
  assert_int_equal(RUN("frobnicate"), FO_AUDIT_EXIT_USAGE);
  assert_int_equal(fo_audit_cli_run(0, args, NULL), FO_AUDIT_EXIT_USAGE);
  assert_int_equal(RUN("--help"), FO_AUDIT_EXIT_OK);
  assert_int_equal(RUN("--version"), FO_AUDIT_EXIT_OK);
  assert_int_equal(RUN("check", "--help"), FO_AUDIT_EXIT_OK);
  assert_int_equal(RUN("check", "--format", "xml"), FO_AUDIT_EXIT_USAGE);
  assert_int_equal(RUN("diff", "--frob", "a", "b"), FO_AUDIT_EXIT_USAGE);
  assert_int_equal(RUN("snapshot"), FO_AUDIT_EXIT_USAGE); /* --side is required */
}

/* An unknown format is an error naming it and the valid ones, never a fallback to another renderer. */
static void test_renderer_table(void **state) {
  size_t n;
  const fo_audit_renderer *rs = fo_audit_renderers(&n);
  fo_audit_result *r = fo_audit_result_new();
  fo_buf b = FO_BUF_INIT;
  (void)state;
  assert_string_equal(fo_audit_renderer_names(), "text, markdown, json, junit, codequality");
  for (size_t i = 0; i < n; i++)
    assert_ptr_equal(fo_audit_renderer_find(rs[i].name), &rs[i]);
  assert_null(fo_audit_renderer_find("xml"));
  fo_audit_result_finish(r);
  assert_int_equal(fo_audit_pipeline_report(r, "xml", &b, 0), FO_EINVAL);
  assert_string_equal(fo_err_last(), "unknown report format 'xml' (valid: text, markdown, json, junit, codequality)");
  assert_int_equal(b.len, 0);
  assert_int_equal(fo_audit_pipeline_report(r, "json", &b, 0), 0);
  assert_true(b.len > 0);
  fo_buf_dispose(&b);
  fo_audit_result_free(r);
}

/* FO_AUDIT_TODAY becomes a virtual clock; `today` of a run is read from the clock. */
static void test_today_clock(void **state) {
  fo_clock_virtual v;
  int use = 1;
  char today[11];
  (void)state;
  assert_int_equal(fo_audit_cli_today_clock(&v, &use, NULL), 0);
  assert_false(use);
  assert_int_equal(fo_audit_cli_today_clock(&v, &use, ""), 0);
  assert_false(use);
  assert_int_equal(fo_audit_cli_today_clock(&v, &use, "2026-02-30"), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "FO_AUDIT_TODAY must be YYYY-MM-DD"));
  assert_int_equal(fo_audit_cli_today_clock(&v, &use, "2024-02-29"), 0);
  assert_true(use);
  assert_int_equal(fo_audit_pipeline_today(today, &v.clock), 0);
  assert_string_equal(today, "2024-02-29");
  v.mono_ms += 11 * 3600 * 1000; /* a long run stays on the same day */
  assert_int_equal(fo_audit_pipeline_today(today, &v.clock), 0);
  assert_string_equal(today, "2024-02-29");
}

/* Colour on stdout: NO_COLOR wins; FORCE_COLOR (not 0/false) and GITLAB_CI=true turn it on off a terminal. */
static void test_want_color(void **state) {
  (void)state;
  assert_int_equal(fo_audit_cli_want_color(1, NULL, NULL, NULL), 1);
  assert_int_equal(fo_audit_cli_want_color(0, NULL, NULL, NULL), 0);
  assert_int_equal(fo_audit_cli_want_color(0, NULL, NULL, "true"), 1);
  assert_int_equal(fo_audit_cli_want_color(0, NULL, NULL, "false"), 0);
  assert_int_equal(fo_audit_cli_want_color(0, NULL, "1", NULL), 1);
  assert_int_equal(fo_audit_cli_want_color(0, NULL, "", NULL), 0);
  assert_int_equal(fo_audit_cli_want_color(1, NULL, "0", "true"), 0);
  assert_int_equal(fo_audit_cli_want_color(1, NULL, "false", NULL), 0);
  assert_int_equal(fo_audit_cli_want_color(1, "", "1", "true"), 0);
  assert_int_equal(fo_audit_cli_want_color(1, "1", NULL, NULL), 0);
}

/* --post-mr-note is a flag on check and changes only; gitlab: names the token's variable and its header. */
static void test_post_mr_note(void **state) {
  fo_audit_opts o;
  fo_audit_config *c = NULL;
  static const char base[] = "sides:\n  primary: {region: us-east-1}\n  secondary: {region: us-east-2}\n";
  char yml[512];
  (void)state;
  assert_int_equal(PARSE(&o, &fo_audit_cmd_check, "check", "--post-mr-note", "--format", "json"), 0);
  assert_int_equal(o.post_mr_note, 1);
  assert_string_equal(o.format, "json");
  assert_int_equal(PARSE(&o, &fo_audit_cmd_changes, "changes", "--base", "a", "--head", "b", "--post-mr-note"), 0);
  assert_int_equal(o.post_mr_note, 1);
  assert_int_equal(PARSE(&o, &fo_audit_cmd_check, "check", "--post-mr-note=1"), FO_AUDIT_EXIT_USAGE);
  assert_int_equal(PARSE(&o, &fo_audit_cmd_diff, "diff", "--post-mr-note", "a", "b"), FO_AUDIT_EXIT_USAGE);
  snprintf(yml, sizeof yml, "%sgitlab: {token_env: GL_TOKEN}\n", base);
  assert_int_equal(fo_audit_config_parse(&c, yml, strlen(yml), "c.yml", "."), 0);
  assert_string_equal(c->gitlab_token_env, "GL_TOKEN");
  assert_string_equal(c->gitlab_token_header, "PRIVATE-TOKEN");
  fo_audit_config_free(c);
  snprintf(yml, sizeof yml, "%sgitlab: {token_env: CI_JOB_TOKEN}\n", base);
  assert_int_equal(fo_audit_config_parse(&c, yml, strlen(yml), "c.yml", "."), 0);
  assert_string_equal(c->gitlab_token_header, "JOB-TOKEN");
  fo_audit_config_free(c);
  /* a token pasted where the name belongs, an unknown header or key, no token_env: errors with line:column */
  snprintf(yml, sizeof yml, "%sgitlab: {token_env: glpat-abc.def}\n", base);
  assert_int_equal(fo_audit_config_parse(&c, yml, strlen(yml), "c.yml", "."), FO_EINVAL);
  snprintf(yml, sizeof yml, "%sgitlab: {token_env: T, token_header: Authorization}\n", base);
  assert_int_equal(fo_audit_config_parse(&c, yml, strlen(yml), "c.yml", "."), FO_EINVAL);
  snprintf(yml, sizeof yml, "%sgitlab: {token: T}\n", base);
  assert_int_equal(fo_audit_config_parse(&c, yml, strlen(yml), "c.yml", "."), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "c.yml:4:"));
  snprintf(yml, sizeof yml, "%sgitlab: {}\n", base);
  assert_int_equal(fo_audit_config_parse(&c, yml, strlen(yml), "c.yml", "."), FO_EINVAL);
}

/* The note of a command: the marker first, the command in the heading; check and changes keep one each. */
static void test_is_report(void **state) {
  (void)state;
  assert_true(fo_audit_gitlab_is_report(FO_AUDIT_MARKDOWN_MARKER "\n## x failover-audit check: drift\n", "check"));
  assert_true(fo_audit_gitlab_is_report(FO_AUDIT_MARKDOWN_MARKER "\r\n## failover-audit check: in sync", "check"));
  assert_false(fo_audit_gitlab_is_report(FO_AUDIT_MARKDOWN_MARKER "\n## failover-audit changes: x\n", "check"));
  assert_false(fo_audit_gitlab_is_report("text\n" FO_AUDIT_MARKDOWN_MARKER "\n## failover-audit check: x", "check"));
  assert_false(fo_audit_gitlab_is_report(FO_AUDIT_MARKDOWN_MARKER "\n## x\nfailover-audit check: x", "check"));
  assert_false(fo_audit_gitlab_is_report(FO_AUDIT_MARKDOWN_MARKER, "check"));
  {
    int64_t id = -1;
    static const char page[] = "[{\"id\": 3, \"body\": \"" FO_AUDIT_MARKDOWN_MARKER
                               "\\n## failover-audit check: x\", \"system\": true, \"author\": {\"id\": 77}},"
                               " {\"id\": 9, \"body\": \"" FO_AUDIT_MARKDOWN_MARKER
                               "\\n## failover-audit check: x\", \"author\": {\"id\": 5}},"
                               " {\"id\": 12, \"body\": \"" FO_AUDIT_MARKDOWN_MARKER
                               "\\n## failover-audit check: x\", \"author\": {\"id\": 77}}]";
    assert_int_equal(fo_audit_gitlab_find_note(&id, page, strlen(page), "check", 0, "page"), 0);
    assert_int_equal(id, 9); /* the system note is skipped */
    assert_int_equal(fo_audit_gitlab_find_note(&id, page, strlen(page), "check", 77, "page"), 0);
    assert_int_equal(id, 12); /* with the token's user known, only its own notes count */
    assert_int_equal(fo_audit_gitlab_find_note(&id, page, strlen(page), "check", 78, "page"), 0);
    assert_int_equal(id, 0);
    assert_int_equal(fo_audit_gitlab_find_note(&id, "{}", 2, "check", 0, "page"), FO_EINVAL);
    assert_int_equal(fo_audit_gitlab_find_note(&id, "[1]", 3, "check", 0, "page"), FO_EINVAL);
    assert_int_equal(fo_audit_gitlab_find_note(&id, "[{\"id\": 1}", 11, "check", 0, "page"), FO_EINVAL);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse),      cmocka_unit_test(test_parse_errors),   cmocka_unit_test(test_help_from_tables),
      cmocka_unit_test(test_dispatch),   cmocka_unit_test(test_renderer_table), cmocka_unit_test(test_today_clock),
      cmocka_unit_test(test_want_color), cmocka_unit_test(test_post_mr_note),   cmocka_unit_test(test_is_report),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
