/* STS GetCallerIdentity (query protocol). */
#include "fo_aws_sts.h"

int fo_aws_sts_get_caller_identity(cJSON **out, fo_aws_client *c, const fo_cancel *cancel) {
  return fo_aws_call_query(out, c, cancel, &fo_aws_svc_sts, "GetCallerIdentity", NULL, 0, NULL);
}
