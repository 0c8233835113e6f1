/* failover-audit: entry point. Reads the environment once (log level, FO_AUDIT_TODAY) into the run's env and
 * hands the rest to the command table (fo_audit_cli_run). */
#include "fo_audit_cli.h"
#include "fo_err.h"
#include "fo_log.h"
#include "fo_openssl.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  fo_audit_env env = {0};
  fo_clock_virtual today;
  int use_today;

  fo_log_setup(fo_log_level_parse(getenv("FO_AUDIT_LOG"), FO_LOG_WARN), FO_LOG_FORMAT_TEXT, "failover-audit");
  /* FO_AUDIT_TODAY=YYYY-MM-DD: the day expiries are judged against, for reproducible runs and tests */
  if (fo_audit_cli_today_clock(&today, &use_today, getenv("FO_AUDIT_TODAY")) < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    return FO_AUDIT_EXIT_USAGE;
  }
  env.clock = use_today ? &today.clock : fo_clock_system();
  fo_openssl_ready(); /* before the two sides' threads (fo_pair) make their first OpenSSL calls at once */
  return fo_audit_cli_run(argc - 1, argv + 1, &env);
}
