/* fo_aws_creds_sts: the STS calls credential providers make (AssumeRole,
 * AssumeRoleWithWebIdentity) and the parsing of their Credentials element. */
#ifndef FO_AWS_CREDS_STS_H
#define FO_AWS_CREDS_STS_H

#include "fo_aws_creds.h"

/* AssumeRole signed with `source` creds (stopped by `cancel`, NULL: never); AssumeRoleWithWebIdentity unsigned
 * with `web_identity_token` when `source` is NULL. */
int fo_aws_creds_sts_assume(fo_aws_credentials **out, const fo_aws_creds_ctx *ctx, const fo_cancel *cancel,
                            const fo_aws_credentials *source, const char *web_identity_token, const char *role_arn,
                            const char *session_name, const char *external_id, long duration_seconds,
                            const char *label);

/* Parse credentials out of a (converted) JSON/XML document: the object with
 * AccessKeyId, SecretAccessKey, SessionToken/Token, Expiration. */
int fo_aws_creds_from_json(fo_aws_credentials **out, const void *obj, const char *label);

#endif
