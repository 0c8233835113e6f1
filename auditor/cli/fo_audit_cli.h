/* fo_audit_cli: what the subcommands share: the command and option tables (help is generated from them),
 * option parsing, config loading, report output (--format / --output FORMAT=PATH) and the exit codes. */
#ifndef FO_AUDIT_CLI_H
#define FO_AUDIT_CLI_H

#include <stddef.h>

#include "fo_audit_collector.h"
#include "fo_audit_config.h"
#include "fo_audit_model.h"
#include "fo_audit_snapshot.h"
#include "fo_buf.h"

/* Exit codes (docs/auditor.md). */
enum {
  FO_AUDIT_EXIT_OK = 0,        /* in sync */
  FO_AUDIT_EXIT_DRIFT = 1,     /* unexpected drift (or a failed side check, or an expired expectation) */
  FO_AUDIT_EXIT_USAGE = 2,     /* usage or configuration error */
  FO_AUDIT_EXIT_UNREADABLE = 3 /* a source could not be read: the gate fails closed */
};

/* Options a command accepts (bit mask). */
enum {
  FO_OPT_CONFIG = 1 << 0,
  FO_OPT_FORMAT = 1 << 1,
  FO_OPT_OUTPUT = 1 << 2,
  FO_OPT_SIDE = 1 << 3,
  FO_OPT_OUT = 1 << 4,
  FO_OPT_BASE = 1 << 5,
  FO_OPT_HEAD = 1 << 6,
  FO_OPT_REASON = 1 << 7,
  FO_OPT_EXPIRES = 1 << 8,
  FO_OPT_REPO = 1 << 9,
  FO_OPT_PLAN_JSON = 1 << 10,
  FO_OPT_REGION = 1 << 11,
  FO_OPT_POST_MR_NOTE = 1 << 12, /* a flag: its spec has no value */
  FO_OPT_RTO = 1 << 13,
  FO_OPT_VERIFY_REPORT = 1 << 14
};

/* One option of a command: the table its parser and its --help are made from. */
typedef struct fo_audit_opt_spec {
  unsigned id;       /* FO_OPT_* */
  const char *name;  /* "--config", "-o" */
  const char *value; /* what its value is called in help: "FILE"; NULL for a flag that takes none */
  const char *help;  /* one line; the --format and --output lines get the renderer names appended */
  int required;      /* shown without brackets in the synopsis (the command checks it: its message is better) */
} fo_audit_opt_spec;

/* The options most commands share, with their usual help. */
#define FO_AUDIT_OPT_SPEC_CONFIG \
  { FO_OPT_CONFIG, "--config", "FILE", "the config (default: ./.failover-audit.yml)", 0 }
#define FO_AUDIT_OPT_SPEC_FORMAT \
  { FO_OPT_FORMAT, "--format", "FORMAT", "report on stdout (default: text)", 0 }
#define FO_AUDIT_OPT_SPEC_OUTPUT \
  { FO_OPT_OUTPUT, "--output", "FORMAT=PATH", "also write a report to PATH (repeatable; PATH '-' is stdout)", 0 }

/* One subcommand: cmd_<name>.c defines it; fo_audit_cli_opts.c lists them. */
typedef struct fo_audit_command {
  const char *name;
  const char *args;        /* positional arguments in the synopsis ("PRIMARY.json SECONDARY.json"), or "" */
  const char *summary;     /* one line for `failover-audit --help` */
  const char *description; /* the paragraph under the synopsis */
  const fo_audit_opt_spec *opts;
  size_t nopts;
  size_t min_args, max_args;
  const char *exit; /* the command's exit codes, one paragraph */
  int (*run)(int argc, char **argv, const fo_audit_env *env);
} fo_audit_command;

/* The commands, in --help order. */
const fo_audit_command *const *fo_audit_commands(size_t *n);
const fo_audit_command *fo_audit_command_find(const char *name);

/* The generated help: a command's (synopsis, description, one line per option, exit codes), and the program's
 * (commands with their summaries). Appended to `out`. */
int fo_audit_cli_help(fo_buf *out, const fo_audit_command *cmd);
int fo_audit_cli_usage(fo_buf *out);

/* The whole CLI after argv[0]: dispatch to the command named by argv[1], --help, --version. Returns the exit
 * code; unknown commands are usage errors (2). */
int fo_audit_cli_run(int argc, char **argv, const fo_audit_env *env);

#define FO_AUDIT_MAX_OUTPUTS 16
#define FO_AUDIT_MAX_ARGS    4

typedef struct fo_audit_output_spec {
  const char *format; /* text, markdown, json, junit, codequality */
  const char *path;   /* "-" = stdout */
} fo_audit_output_spec;

typedef struct fo_audit_opts {
  const char *config;
  const char *format; /* stdout format; NULL = text unless --output covers stdout */
  fo_audit_output_spec outputs[FO_AUDIT_MAX_OUTPUTS];
  size_t noutputs;
  const char *args[FO_AUDIT_MAX_ARGS];
  size_t nargs;
  const char *side, *out, *base, *head, *reason, *expires, *repo, *plan_json, *region;
  const char *rto, *verify_report; /* drill */
  int help;
  int post_mr_note; /* --post-mr-note */
  char formats_buf[FO_AUDIT_MAX_OUTPUTS][16];
} fo_audit_opts;

/* Parse argv[1..] of a subcommand (argv[0] is its name) against its option table. Returns 0 (o->help set when
 * --help was given and printed to stdout), or FO_AUDIT_EXIT_USAGE after printing the problem and a pointer to
 * --help on stderr. */
int fo_audit_opts_parse(fo_audit_opts *o, int argc, char **argv, const fo_audit_command *cmd);

/* Load --config, else ./.failover-audit.yml when present. With `required` and no config: usage error.
 * *out may stay NULL when not required and none exists. Returns an exit code (0 ok, 2). */
int fo_audit_cli_load_config(fo_audit_config **out, const fo_audit_opts *o, int required);

/* The clock FO_AUDIT_TODAY=YYYY-MM-DD asks for (read once, by main.c): a virtual clock at noon UTC of that day,
 * for reproducible runs and tests. 0 with *use set when the variable is set and valid, 0 with *use clear when it
 * is unset or empty, FO_EINVAL when it is not a date. */
int fo_audit_cli_today_clock(fo_clock_virtual *v, int *use, const char *value);

/* Whether the text report on stdout is coloured: never with NO_COLOR set; FORCE_COLOR set and not "0"/"false"
 * forces it on (FORCE_COLOR=0 off); GITLAB_CI=true turns it on (job logs render ANSI but are not terminals);
 * otherwise only on a terminal (`tty`). Report files are never coloured. */
int fo_audit_cli_want_color(int tty, const char *no_color, const char *force_color, const char *gitlab_ci);

/* Print unreadable sources to stderr, write the report(s) and return the exit code for `r`
 * (or FO_AUDIT_EXIT_USAGE when a report cannot be written). */
int fo_audit_cli_emit(const fo_audit_result *r, const fo_audit_opts *o);

/* The option spec that --post-mr-note adds to a gate command (check, changes). */
#define FO_AUDIT_OPT_SPEC_POST_MR_NOTE                                                                    \
  {                                                                                                       \
    FO_OPT_POST_MR_NOTE, "--post-mr-note", NULL,                                                          \
        "post the markdown report as a merge-request note (GitLab CI; updated in place on later runs)", 0 \
  }

/* After fo_audit_cli_emit: with --post-mr-note, post (or update) the merge-request note of `r` through the GitLab
 * API described by the CI_* variables and the config's `gitlab:` section. Returns the exit code to use: `rc`
 * itself when nothing was asked or posting worked, FO_AUDIT_EXIT_UNREADABLE when the API call failed (the report
 * files are written by then). */
int fo_audit_cli_post_mr_note(const fo_audit_result *r, const fo_audit_config *cfg, const fo_audit_opts *o,
                              const fo_audit_env *env, int rc);

/* Checked before the sources are read: --post-mr-note needs the config's gitlab.token_env. 0 or a usage exit. */
int fo_audit_cli_mr_note_ready(const fo_audit_config *cfg, const fo_audit_opts *o);

/* Write `b` to `path` through a temporary file renamed over it, so a failed write never leaves a half file
 * (a report, a snapshot, or the config `accept` updates). FO_EIO with the path and the reason. */
int fo_audit_cli_write_file(const char *path, const fo_buf *b);

/* Print "failover-audit: <msg>" to stderr. */
void fo_audit_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The subcommands (cmd_<name>.c). */
extern const fo_audit_command fo_audit_cmd_snapshot;
extern const fo_audit_command fo_audit_cmd_diff;
extern const fo_audit_command fo_audit_cmd_check;
extern const fo_audit_command fo_audit_cmd_changes;
extern const fo_audit_command fo_audit_cmd_accept;
extern const fo_audit_command fo_audit_cmd_tf_report;
extern const fo_audit_command fo_audit_cmd_verify;
extern const fo_audit_command fo_audit_cmd_drill;

/* 1 when the config names at least one enabled source for `side` (0 primary, 1 secondary, -1 either); else
 * prints why on stderr and returns 0 (the caller exits 2: a gate that reads nothing passes on anything). */
int fo_audit_cli_has_sources(const fo_audit_config *cfg, int side);

/* Load the required config (as fo_audit_cli_load_config) and insist that it names a source on either side:
 * what `check` and `accept` start with. Returns an exit code (0 ok, 2); *out is NULL unless 0. */
int fo_audit_cli_gate_config(fo_audit_config **out, const fo_audit_opts *o);

/* Print each unreadable source of `r` on stderr, naming it and its side. */
void fo_audit_cli_print_unreadable(const fo_audit_result *r);

#endif
