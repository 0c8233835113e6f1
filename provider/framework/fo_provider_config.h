/* fo_provider_config: the provider block (regions, profile, assume_role,
 * endpoints, max_retries): schema, validation, and the validated snapshot
 * a provider instance (fo_provider.h) owns. */
#ifndef FO_PROVIDER_CONFIG_H
#define FO_PROVIDER_CONFIG_H

#include <stdint.h>

#include "fo_cty.h"
#include "fo_diag.h"
#include "fo_schema.h"

#define FO_DEFAULT_PRIMARY_REGION   "us-east-1"
#define FO_DEFAULT_SECONDARY_REGION "us-east-2"
#define FO_DEFAULT_MAX_RETRIES      3

/* A snapshot of the configuration (strings owned; NULL = not set). */
typedef struct fo_provider_config {
  char *primary_region;   /* never NULL in a snapshot: default us-east-1 */
  char *secondary_region; /* never NULL in a snapshot: default us-east-2 */
  char *profile;
  char *role_arn, *session_name, *external_id; /* assume_role {} */
  char *endpoint_route53, *endpoint_eks, *endpoint_backup, *endpoint_autoscaling, *endpoint_sts, *endpoint_s3,
      *endpoint_elbv2, *endpoint_rds, *endpoint_lambda, *endpoint_sqs;
  int64_t max_retries;
  int unknown_values; /* 1 when ConfigureProvider saw unknown values (left at defaults) */
} fo_provider_config;

const fo_schema *fo_provider_schema(void);

/* Attribute validators plus cross-field rules (regions must differ). */
void fo_provider_config_validate(const fo_cty_value *config, fo_diags *d);

/* Validate `config` and fill `out` (owned strings, defaults filled in).
 * Errors go to `d` (FO_EINVAL; `out` left empty). */
int fo_provider_config_from_value(fo_provider_config *out, const fo_cty_value *config, fo_diags *d);
/* The documented defaults (no provider block). */
int fo_provider_config_defaults(fo_provider_config *out);
void fo_provider_config_dispose(fo_provider_config *c);

#endif
