/* fo_audit_cli_opts: the command table, dispatch, and the help generated from the command and option tables (as
 * libgit2's CLI does: each cmd_<name>.c declares its options once, with their help lines). */
#include "fo_audit_cli.h"
#include "fo_audit_render.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const fo_audit_command *const commands[] = {
    &fo_audit_cmd_snapshot, &fo_audit_cmd_diff,      &fo_audit_cmd_check,  &fo_audit_cmd_changes,
    &fo_audit_cmd_accept,   &fo_audit_cmd_tf_report, &fo_audit_cmd_verify, &fo_audit_cmd_drill,
};

const fo_audit_command *const *fo_audit_commands(size_t *n) {
  *n = sizeof commands / sizeof commands[0];
  return commands;
}

const fo_audit_command *fo_audit_command_find(const char *name) {
  for (size_t i = 0; name && i < sizeof commands / sizeof commands[0]; i++)
    if (!strcmp(commands[i]->name, name))
      return commands[i];
  return NULL;
}

/* "--config FILE" */
static int opt_synopsis(fo_buf *out, const fo_audit_opt_spec *s) {
  return fo_buf_printf(out, "%s%s%s", s->name, s->value ? " " : "", s->value ? s->value : "");
}

int fo_audit_cli_help(fo_buf *out, const fo_audit_command *cmd) {
  int err, width = 0;
  size_t col;
  if ((err = fo_buf_printf(out, "usage: failover-audit %s", cmd->name)) < 0)
    return err;
  col = out->len;
  for (size_t i = 0; i < cmd->nopts; i++) {
    fo_buf one = FO_BUF_INIT;
    int w;
    if ((err = opt_synopsis(&one, &cmd->opts[i])) < 0)
      return err;
    w = (int)one.len;
    if (w > width)
      width = w;
    /* wrap the synopsis at 110 columns, continuing under the first option */
    if (out->len - col + one.len + 3 > 110 - strlen("usage: failover-audit ") - strlen(cmd->name)) {
      err = fo_buf_printf(out, "\n%*s", (int)(strlen("usage: failover-audit ") + strlen(cmd->name)), "");
      col = out->len;
    }
    if (err == 0)
      err = fo_buf_printf(out, cmd->opts[i].required ? " %s%s" : " [%s%s]", one.data,
                          cmd->opts[i].id == FO_OPT_OUTPUT ? " ..." : "");
    fo_buf_dispose(&one);
    if (err < 0)
      return err;
  }
  if ((err = fo_buf_printf(out, "%s%s\n\n%s\n\n", *cmd->args ? " " : "", cmd->args, cmd->description)) < 0)
    return err;
  for (size_t i = 0; i < cmd->nopts; i++) {
    const fo_audit_opt_spec *s = &cmd->opts[i];
    fo_buf one = FO_BUF_INIT;
    if ((err = opt_synopsis(&one, s)) == 0)
      err = fo_buf_printf(out, "  %-*s  %s", width, one.data, s->help);
    fo_buf_dispose(&one);
    if (err == 0 && (s->id == FO_OPT_FORMAT || s->id == FO_OPT_OUTPUT))
      err = fo_buf_printf(out, "; FORMAT: %s", fo_audit_renderer_names());
    if (err == 0)
      err = fo_buf_puts(out, "\n");
    if (err < 0)
      return err;
  }
  return fo_buf_printf(out, "  %-*s  %s\n\n%s\n", width, "-h, --help", "show this help", cmd->exit);
}

int fo_audit_cli_usage(fo_buf *out) {
  int err = fo_buf_puts(out,
                        "usage: failover-audit <command> [options]\n"
                        "\n"
                        "Proves the secondary region is still a faithful copy of the primary where it must be.\n"
                        "\n"
                        "commands:\n");
  for (size_t i = 0; err == 0 && i < sizeof commands / sizeof commands[0]; i++)
    err = fo_buf_printf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
  if (err == 0)
    err = fo_buf_printf(out,
                        "\n"
                        "report formats: %s\n"
                        "run 'failover-audit <command> --help' for a command's options; see docs/auditor.md.\n"
                        "\n"
                        "exit codes: 0 in sync; 1 unexpected drift; 2 usage or configuration error;\n"
                        "            3 a source could not be read (the gate fails closed)\n",
                        fo_audit_renderer_names());
  return err;
}

static int print_usage(FILE *f) {
  fo_buf b = FO_BUF_INIT;
  int err = fo_audit_cli_usage(&b);
  if (err == 0)
    fputs(b.data, f);
  fo_buf_dispose(&b);
  return err;
}

int fo_audit_cli_run(int argc, char **argv, const fo_audit_env *env) {
  const fo_audit_command *cmd;
  if (argc < 1) {
    print_usage(stderr);
    return FO_AUDIT_EXIT_USAGE;
  }
  if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h") || !strcmp(argv[0], "help")) {
    return print_usage(stdout) < 0 ? FO_AUDIT_EXIT_USAGE : FO_AUDIT_EXIT_OK;
  }
  if (!strcmp(argv[0], "--version")) {
    printf("failover-audit %s\n", FO_AUDIT_VERSION);
    return FO_AUDIT_EXIT_OK;
  }
  if (!(cmd = fo_audit_command_find(argv[0]))) {
    fo_audit_cli_error("unknown command '%s'", argv[0]);
    fputs("run 'failover-audit --help' for usage\n", stderr);
    return FO_AUDIT_EXIT_USAGE;
  }
  return cmd->run(argc, argv, env);
}

int fo_audit_cli_today_clock(fo_clock_virtual *v, int *use, const char *value) {
  struct tm tm;
  *use = 0;
  if (!value || !*value)
    return 0;
  if (!fo_audit_date_valid(value))
    return fo_err_set(FO_EINVAL, "FO_AUDIT_TODAY must be YYYY-MM-DD, not '%s'", value);
  memset(&tm, 0, sizeof tm);
  tm.tm_year = atoi(value) - 1900;
  tm.tm_mon = atoi(value + 5) - 1;
  tm.tm_mday = atoi(value + 8);
  tm.tm_hour = 12; /* noon: the day stays the same however long the run takes */
  fo_clock_virtual_init(v, timegm(&tm));
  *use = 1;
  return 0;
}
