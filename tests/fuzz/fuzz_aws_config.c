/* libFuzzer target: the AWS shared config and credentials files and profile resolution on them
 * (fo_aws_ini_parse + fo_aws_profile_resolve: source_profile chains, loops, credential_source, SSO sessions).
 * Input: the config text, a NUL byte, the credentials text. Nothing is run or asked: the plan is only built. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fo_aws_ini.h"
#include "fo_aws_profile.h"
#include "fo_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const names[] = {"default", "a", "b", "dev", "prod", "x"};
  const char *text = (const char *)data;
  const uint8_t *nul = memchr(data, 0, size);
  size_t clen = nul ? (size_t)(nul - data) : size;
  fo_aws_ini *config = NULL, *creds = NULL;
  fo_aws_profile_plan plan;
  size_t i;

  if (fo_aws_ini_parse(&config, text, clen, "config") < 0)
    goto done;
  if (nul && fo_aws_ini_parse(&creds, text + clen + 1, size - clen - 1, "credentials") < 0)
    goto done;
  for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    if (fo_aws_profile_resolve(&plan, config, creds, "config", "credentials", names[i], (int)(i & 1)) == 0 &&
        plan.n_assume > FO_AWS_PROFILE_MAX_DEPTH + 1)
      __builtin_trap(); /* the plan's own bound */
    (void)fo_aws_ini_config_get(config, names[i], "region");
  }
done:
  fo_aws_ini_free(config);
  fo_aws_ini_free(creds);
  fo_err_clear();
  return 0;
}
