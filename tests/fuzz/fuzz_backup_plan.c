/* libFuzzer target: failover_backup_replication_plan's readers of outside data:
 * the vault ARN parser (configuration text) and the GetBackupPlan and
 * GetBackupSelection answers read into a state value. The first byte picks. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "backup_plan.h"
#include "fo_aws_json.h"
#include "fo_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data + 1;
  size_t len = size > 0 ? size - 1 : 0;
  char region[64], vault[64];
  cJSON *doc = NULL;
  fo_cty_value *state;

  if (size == 0)
    return 0;
  if (data[0] % 3 == 0) {
    char *s = malloc(len + 1);
    if (!s)
      return 0;
    memcpy(s, text, len);
    s[len] = '\0';
    if (fo_bp_parse_vault_arn(s, region, sizeof(region), vault, sizeof(vault)) == 0 &&
        (!region[0] || !vault[0] || strchr(region, ':') || strchr(vault, ':')))
      abort(); /* a parsed ARN has a region and a vault name without ':' */
    free(s);
  } else if (fo_aws_json_parse(&doc, text, len) == 0) {
    if ((state = fo_schema_empty_value(&fo_bp_schema.block))) {
      if (data[0] % 3 == 1)
        (void)fo_bp_state_from_plan(&state, doc);
      else
        (void)fo_bp_state_from_selection(&state, doc);
      fo_cty_value_unref(state);
    }
    cJSON_Delete(doc);
  }
  fo_err_clear();
  return 0;
}
