/* fo_aws_route53_rrset: Route53 record sets as values (weighted, plain or
 * alias), read by name/type and changed in one batch; health check status and zone name. */
#ifndef FO_AWS_ROUTE53_RRSET_H
#define FO_AWS_ROUTE53_RRSET_H

#include <stddef.h>

#include "fo_aws_client.h"
#include "fo_cancel.h"

/* One record set as Route53 holds it. Strings owned by the struct
 * (fo_aws_route53_rrset_dispose); NULL = absent. */
typedef struct fo_aws_route53_rrset {
  char *name;           /* "app.example.com." (lower case, trailing dot, \052 read back as "*") */
  char *type;           /* "A", "CNAME" ... */
  char *set_identifier; /* weighted records; NULL for a plain record */
  long weight;          /* -1: not weighted */
  long ttl;             /* -1: alias record */
  char **values;        /* resource record values (n_values) */
  size_t n_values;
  char *alias_zone_id; /* alias target; NULL when not an alias */
  char *alias_dns_name;
  int alias_evaluate_health;
  char *health_check_id;
} fo_aws_route53_rrset;

void fo_aws_route53_rrset_dispose(fo_aws_route53_rrset *r);
void fo_aws_route53_rrsets_free(fo_aws_route53_rrset *list, size_t n);

/* "App.Example.com" -> "app.example.com." into a new string (NULL on OOM):
 * Route53 compares names case-insensitively and always answers with the dot. */
char *fo_aws_route53_fqdn(const char *name);

/* Every record set of exactly `name` and `type` (NULL: of any type) in the
 * zone, plain and weighted, read with ListResourceRecordSets starting at
 * name/type and paging until the name or type changes. `*out` is NULL when
 * there is none. */
int fo_aws_route53_rrset_read(fo_aws_route53_rrset **out, size_t *n_out, fo_aws_client *c, const fo_cancel *cancel,
                              const char *zone_id, const char *name, const char *type);

/* Every record set of a ListResourceRecordSets response (the document
 * fo_aws_call_rest_xml returns, XML lists named by
 * fo_aws_route53_rrset_list_names()), in order. Bad shapes read as absent
 * fields, never as a crash (tests/fuzz/fuzz_aws_route53_rrset.c). */
int fo_aws_route53_rrsets_parse(fo_aws_route53_rrset **out, size_t *n_out, const cJSON *doc);
const char *const *fo_aws_route53_rrset_list_names(void);

/* The record set with `set_identifier` in `list` (NULL: the plain record), or NULL. */
const fo_aws_route53_rrset *fo_aws_route53_rrset_find(const fo_aws_route53_rrset *list, size_t n,
                                                      const char *set_identifier);

/* One change of a batch: `action` "CREATE", "DELETE" or "UPSERT" of `rrset`. */
typedef struct fo_aws_route53_rrset_change {
  const char *action;
  const fo_aws_route53_rrset *rrset;
} fo_aws_route53_rrset_change;

/* ChangeResourceRecordSets with every change in one batch (Route53 applies it
 * atomically). `change_id` (bare "C123…") and `status` ("PENDING"/"INSYNC")
 * are written into the caller's buffers. */
int fo_aws_route53_rrset_change_batch(fo_aws_client *c, const fo_cancel *cancel, const char *zone_id,
                                      const fo_aws_route53_rrset_change *changes, size_t n, const char *comment,
                                      char *change_id, size_t change_id_len, char *status, size_t status_len);

/* GetChange: the status ("PENDING"/"INSYNC") of a change by its id (bare or "/change/…"). */
int fo_aws_route53_change_status(fo_aws_client *c, const fo_cancel *cancel, const char *change_id, char *status,
                                 size_t status_len);

/* GetHealthCheckStatus: *healthy = 1 when more than 18% of the checkers report
 * success (Route53's own rule); `status` gets "healthy (3/3 checkers)" or
 * "unhealthy (0/3 checkers): <first failure report>". */
int fo_aws_route53_health_check_status(fo_aws_client *c, const fo_cancel *cancel, const char *health_check_id,
                                       int *healthy, char *status, size_t status_len);

/* GetHostedZone: the zone's name ("example.com.") as a new string. */
int fo_aws_route53_zone_name(char **out, fo_aws_client *c, const fo_cancel *cancel, const char *zone_id);

#endif
