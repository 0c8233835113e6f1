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

typedef struct fo_aws_route53_change {
  const char *action;         /* "CREATE", "DELETE", "UPSERT" */
  const char *name;           /* "app.example.com." */
  const char *type;           /* "A", "CNAME" ... */
  long ttl;                   /* ignored for alias records */
  const char *set_identifier; /* weighted records: required */
  long weight;                /* -1: not a weighted record */
  const char *const *values;  /* resource record values */
  size_t n_values;
  const char *alias_zone_id; /* alias target (then values are unused) */
  const char *alias_dns_name;
  int alias_evaluate_health;
  const char *health_check_id;
} fo_aws_route53_change;

/* Apply `changes` atomically. Returns ChangeInfo {"Id", "Status", "SubmittedAt"}. */
int fo_aws_route53_change_resource_record_sets(cJSON **out, fo_aws_client *c, const fo_cancel *cancel,
                                               const char *zone_id, const fo_aws_route53_change *changes,
                                               size_t n_changes, const char *comment);

/* ChangeInfo of a change ("PENDING" / "INSYNC"). */
int fo_aws_route53_get_change(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *change_id);

/* Poll GetChange until the change is INSYNC through fo_aws_wait: at once,
 * then every 2 s growing by 1.5x up to 10 s, for at most `timeout_ms` (0: no
 * limit but the token's), on `clock` (NULL: the client's clock), stopped by
 * `cancel`. A timeout is FO_ETIMEOUT naming the change and its last status.
 * `out` (may be NULL) gets the last ChangeInfo, also on timeout. */
int fo_aws_route53_wait_insync(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const fo_clock *clock,
                               const char *change_id, long timeout_ms);

/* "/hostedzone/Z1" and "/change/C1" -> "Z1", "C1" (a pointer into `id`). Shared with fo_aws_route53_rrset. */
const char *fo_aws_route53_bare_id(const char *id);
/* Append prefix + the URI-encoded bare id + suffix to `b`; FO_EINVAL for an empty id. */
int fo_aws_route53_id_path(fo_buf *b, const char *prefix, const char *id, const char *suffix);

#endif
