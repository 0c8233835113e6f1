/* terraform-provider-failover: the process entry point. Terraform and OpenTofu
 * start it with no arguments; the flags are for people (help, version, debug). */
#include <stdio.h>
#include <string.h>

#include "fo_log.h"
#include "fo_plugin.h"
#include "fo_rpc.h"

/* the project version (CMakeLists.txt) for every build of this file, the test provider's too */
#ifndef FO_PROVIDER_VERSION
#define FO_PROVIDER_VERSION FO_PROJECT_VERSION
#endif

static const char *const fo_main_addresses[] = {
    "registry.terraform.io/failover/failover",
    "registry.opentofu.org/failover/failover",
};

static void fo_main_usage(FILE *f) {
  fputs(
      "usage: terraform-provider-failover [--debug | --help | --version]\n"
      "\n"
      "The failover/failover provider for Terraform and OpenTofu. Terraform or OpenTofu start\n"
      "this binary themselves; it is not a command to run by hand.\n"
      "\n"
      "  --debug    serve without Terraform starting us (plaintext gRPC) and print a\n"
      "             TF_REATTACH_PROVIDERS='...' line on stdout: export it in the shell that\n"
      "             runs terraform/tofu. Serves until Ctrl-C or SIGTERM.\n"
      "  --help     this text\n"
      "  --version  print the version\n"
      "\n"
      "Environment: TF_LOG_PROVIDER or TF_LOG (trace|debug|info|warn|error|off) set the log\n"
      "level (JSON lines on stderr, default warn); FO_PLUGIN_NETWORK=tcp listens on loopback\n"
      "TCP within PLUGIN_MIN_PORT..PLUGIN_MAX_PORT instead of a unix socket;\n"
      "FO_PROVIDER_WORKERS (1..64, default 32) caps the calls served at once.\n",
      f);
}

int main(int argc, char **argv) {
  fo_plugin_opts opts;
  memset(&opts, 0, sizeof opts);

  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fo_main_usage(stdout);
      return 0;
    } else if (strcmp(argv[i], "--version") == 0) {
      printf("terraform-provider-failover %s (plugin protocol 6)\n", FO_PROVIDER_VERSION);
      return 0;
    } else if (strcmp(argv[i], "--debug") == 0) {
      opts.debug = 1;
    } else {
      fprintf(stderr, "terraform-provider-failover: unknown argument '%s'\n", argv[i]);
      fo_main_usage(stderr);
      return 2;
    }
  }

  /* warn by default: Terraform shows provider stderr only when TF_LOG asks */
  fo_log_setup(fo_log_level_from_env(FO_LOG_WARN), FO_LOG_FORMAT_JSON, "provider.terraform-provider-failover");
  opts.methods = fo_provider_methods(fo_provider_registry(), &opts.n_methods);
  opts.reattach_addresses = fo_main_addresses;
  opts.n_reattach_addresses = sizeof fo_main_addresses / sizeof fo_main_addresses[0];
  return fo_plugin_serve(&opts);
}
