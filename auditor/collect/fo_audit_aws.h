/* fo_audit_aws: the AWS clients of a run, one per side, built from the config (the side's region and its
 * `aws_*` keys) only when an enabled live source of that side needs one, and freed after the run. */
#ifndef FO_AUDIT_AWS_H
#define FO_AUDIT_AWS_H

#include "fo_audit_collector.h"

/* Build env->aws[side] for each side that has an enabled collector whose `live` says FO_AUDIT_LIVE_AWS there, unless the
 * caller already set it (tests). 0, or an error naming the side (FO_EINVAL for a bad `aws_*` value). The
 * clients built here are freed by fo_audit_aws_env_close; ones the caller set are left alone. */
int fo_audit_aws_env_open(fo_audit_env *env, const fo_audit_config *cfg);
/* The same for the sides `want` names (want[side] non-zero), whatever their sources: `verify` reads both. */
int fo_audit_aws_env_open_sides(fo_audit_env *env, const fo_audit_config *cfg, const int want[2]);
void fo_audit_aws_env_close(fo_audit_env *env, const fo_audit_env *caller);

/* A client in `region` with the credentials of the side's client (ctx->aws) and the side's endpoint settings:
 * a Terraform state bucket in another region. The caller frees it before the run's clients go. */
int fo_audit_aws_client_in(struct fo_aws_client **out, const fo_audit_collect_ctx *ctx, const char *region);

/* The side's `aws_*` settings (for messages and tests): the endpoint URL it overrides, or NULL. */
const char *fo_audit_aws_endpoint(const fo_audit_config *cfg, int side);

#endif
