/* fo_aws_route53: the Route53 calls failover needs (rest-xml, global endpoint
 * signed for us-east-1): zones, record sets, weighted flips, change status. */
#ifndef FO_AWS_ROUTE53_H
#define FO_AWS_ROUTE53_H

#include "fo_aws_client.h"

/* Every hosted zone (all pages): array of {"Id", "Name", "CallerReference",
 * "Config": {...}, "ResourceRecordSetCount"}. */
int fo_aws_route53_list_hosted_zones(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel);

/* Every record set of a zone (all pages), optionally starting at
 * `start_name`/`start_type` (NULL: from the start). Array of
 * {"Name", "Type", "TTL", "SetIdentifier", "Weight", "ResourceRecords":
 * [{"Value"}], "AliasTarget", "HealthCheckId"}; numbers stay strings. */
int fo_aws_route53_list_resource_record_sets(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                             const char *zone_id, const char *start_name, const char *start_type);

/* Poll GetChange (fo_aws_route53_change_status) until the change is INSYNC
 * through fo_aws_wait: at once, then every 2 s growing by 1.5x up to 10 s,
 * for at most `timeout_ms` (0: no limit but the token's), on `clock` (NULL:
 * the client's clock), stopped by `cancel`. A timeout is FO_ETIMEOUT naming
 * the change and its last status; `status` gets the last status seen. Changes
 * are sent with fo_aws_route53_rrset_change_batch (fo_aws_route53_rrset.h). */
int fo_aws_route53_wait_insync(fo_aws_client *c, const fo_cancel *cancel, const fo_clock *clock, const char *change_id,
                               long timeout_ms, char *status, size_t status_len);

/* "/hostedzone/Z1" and "/change/C1" -> "Z1", "C1" (a pointer into `id`). Shared with fo_aws_route53_rrset. */
const char *fo_aws_route53_bare_id(const char *id);
/* Append prefix + the URI-encoded bare id + suffix to `b`; FO_EINVAL for an empty id. */
int fo_aws_route53_id_path(fo_buf *b, const char *prefix, const char *id, const char *suffix);

#endif
