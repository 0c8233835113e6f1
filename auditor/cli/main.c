/* failover-audit: entry point; dispatches to one cmd_<name>.c per subcommand. */
#include "fo_audit_cli.h"
#include "fo_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: failover-audit <command> [options]\n"
    "\n"
    "Proves the secondary region is still a faithful copy of the primary where it must be.\n"
    "\n"
    "commands:\n"
    "  snapshot --side primary|secondary -o FILE   collect one side into a snapshot\n"
    "  diff PRIMARY.json SECONDARY.json            compare two snapshots offline\n"
    "  check                                       collect both sides and compare (the CI gate)\n"
    "  changes --base REV --head REV               check that mapped files changed on both sides\n"
    "  accept --reason TEXT                        record current drift as expected_differences\n"
    "\n"
    "common options: --config FILE, --format text|markdown|json|junit|codequality,\n"
    "                --output FORMAT=PATH (repeatable)\n"
    "run 'failover-audit <command> --help' for a command's options; see docs/auditor.md.\n"
    "\n"
    "exit codes: 0 in sync; 1 unexpected drift; 2 usage or configuration error;\n"
    "            3 a source could not be read (the gate fails closed)\n";

int main(int argc, char **argv) {
  static const struct {
    const char *name;
    int (*fn)(int, char **);
  } cmds[] = {
      {"snapshot", fo_audit_cmd_snapshot}, {"diff", fo_audit_cmd_diff},     {"check", fo_audit_cmd_check},
      {"changes", fo_audit_cmd_changes},   {"accept", fo_audit_cmd_accept},
  };

  fo_log_setup(fo_log_level_parse(getenv("FO_AUDIT_LOG"), FO_LOG_WARN), FO_LOG_FORMAT_TEXT, "failover-audit");
  if (argc < 2) {
    fputs(usage, stderr);
    return FO_AUDIT_EXIT_USAGE;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
    fputs(usage, stdout);
    return FO_AUDIT_EXIT_OK;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("failover-audit %s\n", FO_AUDIT_VERSION);
    return FO_AUDIT_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
    if (!strcmp(argv[1], cmds[i].name))
      return cmds[i].fn(argc - 1, argv + 1);
  fo_audit_cli_error("unknown command '%s'", argv[1]);
  fputs("run 'failover-audit --help' for usage\n", stderr);
  return FO_AUDIT_EXIT_USAGE;
}
