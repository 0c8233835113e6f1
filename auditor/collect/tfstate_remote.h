/* tfstate_remote: where a remote Terraform state is read from (the S3 backend through the side's AWS client,
 * GitLab's HTTP state backend through libcurl); the text goes to the state collector's own parser. */
#ifndef FO_AUDIT_TFSTATE_REMOTE_H
#define FO_AUDIT_TFSTATE_REMOTE_H

#include "fo_audit_collector.h"
#include "fo_buf.h"

#define FO_AUDIT_TFSTATE_REMOTE_MAX (256u << 20) /* bytes of one remote state */

/* "s3://bucket/key/with/slashes" into its bucket and key (malloc'ed). FO_EINVAL naming the URL otherwise. */
int fo_audit_s3_url_parse(const char *url, char **bucket, char **key);

/* The object at `url` (s3://bucket/key) into `out`, read in `region` (NULL: the side's region) with the side's
 * AWS credentials. */
int fo_audit_tfstate_fetch_s3(fo_buf *out, const fo_audit_collect_ctx *ctx, const char *url, const char *region);

/* GET `url` (GitLab's /api/v4/projects/:id/terraform/state/:name) with the token of environment variable
 * `token_env` (CI_JOB_TOKEN goes in a JOB-TOKEN header, any other in PRIVATE-TOKEN). Errors name the URL and
 * the variable, never the token: 401/403 says the token was refused, 404 that no such state exists. */
int fo_audit_tfstate_fetch_gitlab(fo_buf *out, const fo_audit_collect_ctx *ctx, const char *url, const char *token_env);

#endif
