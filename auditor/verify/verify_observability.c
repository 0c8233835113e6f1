/* verify_observability: the Observability group: every CloudWatch alarm of the configured set is in OK state. */
#include "fo_aws_cloudwatch.h"
#include "fo_aws_json.h"
#include "fo_err.h"
#include "verify_internal.h"

#include <stdio.h>
#include <string.h>

int verify_observability(verify_ctx *v) {
  const fo_audit_verify_cfg *vc = v->vc[v->active];
  cJSON *alarms = NULL;
  verify_check c;
  int err;

  if (!vc->nalarms)
    return 0;
  verify_check_begin(&c, v, "verify/observability/alarms", FO_AUDIT_STEP_OBSERVABILITY, v->active);
  err = fo_aws_cloudwatch_describe_alarms(&alarms, v->aws[v->active], v->cancel, (const char *const *)vc->alarms,
                                          vc->nalarms);
  if (err < 0)
    return err == FO_ENOMEM ? err : verify_unreadable(&c, "observability");
  for (size_t i = 0; i < vc->nalarms && err == 0; i++) {
    const cJSON *a, *found = NULL;
    cJSON_ArrayForEach(a, alarms) {
      const char *name = fo_aws_json_str(a, "AlarmName");
      if (name && !strcmp(name, vc->alarms[i]))
        found = a;
    }
    c.path = vc->alarms[i];
    if (!found) {
      err = verify_fail(&c, "verify.alarm-missing", NULL, "alarm %s does not exist on the active side", vc->alarms[i]);
    } else {
      const char *state = fo_aws_json_str(found, "StateValue"), *reason = fo_aws_json_str(found, "StateReason");
      if (!state || strcmp(state, "OK")) {
        char val[64];
        snprintf(val, sizeof val, "\"%.40s\"", state ? state : "");
        err = verify_fail(&c, "verify.alarm-not-ok", val, "alarm %s is %s%s%.300s", vc->alarms[i],
                          state ? state : "in no state", reason ? ": " : "", reason ? reason : "");
      }
    }
  }
  cJSON_Delete(alarms);
  return err < 0 ? err : verify_check_end(&c);
}
