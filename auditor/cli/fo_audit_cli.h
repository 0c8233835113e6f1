/* fo_audit_cli: what the subcommands share: option parsing, config loading, the compare pipeline, report
 * output (--format / --output FORMAT=PATH) and the documented exit codes. */
#ifndef FO_AUDIT_CLI_H
#define FO_AUDIT_CLI_H

#include <stddef.h>

#include "fo_audit_config.h"
#include "fo_buf.h"
#include "fo_audit_model.h"
#include "fo_audit_snapshot.h"

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
  FO_OPT_REPO = 1 << 9
};

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
  const char *side, *out, *base, *head, *reason, *expires, *repo;
  int help;
  char formats_buf[FO_AUDIT_MAX_OUTPUTS][16];
} fo_audit_opts;

/* Parse argv[1..] of a subcommand (argv[0] is its name). Returns 0, or FO_AUDIT_EXIT_USAGE after printing
 * the problem and a pointer to --help on stderr. */
int fo_audit_opts_parse(fo_audit_opts *o, int argc, char **argv, unsigned allowed, size_t min_args, size_t max_args,
                        const char *usage);

/* Load --config, else ./.failover-audit.yml when present. With `required` and no config: usage error.
 * *out may stay NULL when not required and none exists. Returns an exit code (0 ok, 2). */
int fo_audit_cli_load_config(fo_audit_config **out, const fo_audit_opts *o, int required);

/* "YYYY-MM-DD" (UTC) into buf[11]: FO_AUDIT_TODAY when set (for reproducible runs and tests), else now. */
int fo_audit_cli_today(char buf[11]);

/* normalize -> diff -> side checks -> classify -> finish. Returns 0 or a negative FO_E* code. */
int fo_audit_cli_compare(fo_audit_result *r, fo_audit_snapshot *p, fo_audit_snapshot *s, const fo_audit_config *cfg,
                         int report_stale);

/* Print unreadable sources to stderr, write the report(s) and return the exit code for `r`
 * (or FO_AUDIT_EXIT_USAGE when a report cannot be written). */
int fo_audit_cli_emit(const fo_audit_result *r, const fo_audit_opts *o);

/* Write `b` to `path` through a temporary file renamed over it, so a failed write never leaves a half file
 * (a report, a snapshot, or the config `accept` updates). FO_EIO with the path and the reason. */
int fo_audit_cli_write_file(const char *path, const fo_buf *b);

/* Print "failover-audit: <msg>" to stderr. */
void fo_audit_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The subcommands (cmd_<name>.c). argv[0] is the subcommand's name. */
int fo_audit_cmd_snapshot(int argc, char **argv);
int fo_audit_cmd_diff(int argc, char **argv);
int fo_audit_cmd_check(int argc, char **argv);
int fo_audit_cmd_changes(int argc, char **argv);
int fo_audit_cmd_accept(int argc, char **argv);

/* 1 when the config names at least one enabled source for `side` (0 primary, 1 secondary, -1 either); else
 * prints why on stderr and returns 0 (the caller exits 2: a gate that reads nothing passes on anything). */
int fo_audit_cli_has_sources(const fo_audit_config *cfg, int side);

/* Load the required config (as fo_audit_cli_load_config) and insist that it names a source on either side:
 * what `check` and `accept` start with. Returns an exit code (0 ok, 2); *out is NULL unless 0. */
int fo_audit_cli_gate_config(fo_audit_config **out, const fo_audit_opts *o);

/* Print each unreadable source of `r` on stderr, naming it and its side. */
void fo_audit_cli_print_unreadable(const fo_audit_result *r);

/* Shared by check and accept: collect both sides per cfg and run the compare pipeline into *out. */
int fo_audit_cli_check_result(fo_audit_result **out, const fo_audit_config *cfg, const char *command);

#endif
