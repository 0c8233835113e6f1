/* fo_aws_sts: STS calls for callers (who am I). Credential providers use
 * fo_aws_creds_sts.h for AssumeRole instead. */
#ifndef FO_AWS_STS_H
#define FO_AWS_STS_H

#include "fo_aws_client.h"

/* {"UserId": .., "Account": .., "Arn": ..} */
int fo_aws_sts_get_caller_identity(cJSON **out, fo_aws_client *c, const fo_cancel *cancel);

#endif
