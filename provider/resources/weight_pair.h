/* weight_pair: what the failover_weight_pair resource and data source share:
 * the side blocks as Route53 record sets, the AWS client and the INSYNC wait. */
#ifndef FO_WEIGHT_PAIR_H
#define FO_WEIGHT_PAIR_H

#include <stdint.h>

#include "fo_aws_route53_rrset.h"
#include "fo_clock.h"
#include "fo_resources.h"

#define FO_WP_SIDES 2
extern const char *const fo_wp_side_names[FO_WP_SIDES]; /* "primary", "secondary" */

/* Plain accessors: NULL / -1 / dflt when the attribute is absent, null or unknown. */
const char *fo_wp_str(const fo_cty_value *obj, const char *name);
int64_t fo_wp_int(const fo_cty_value *obj, const char *name, int64_t dflt);
int fo_wp_bool(const fo_cty_value *obj, const char *name, int dflt);
/* The side block of a resource value (NULL when null/unknown). */
const fo_cty_value *fo_wp_side(const fo_cty_value *obj, int side);

/* The desired record set of `side` (0 primary, 1 secondary) of a planned
 * resource value, with `weight`. Strings point into `obj` (borrowed: do not
 * dispose the struct, free only `values` with fo_wp_rrset_release). */
int fo_wp_rrset_from_value(fo_aws_route53_rrset *out, const fo_cty_value *obj, int side, const char *fqdn, long weight);
void fo_wp_rrset_release(fo_aws_route53_rrset *r);

/* 1 when two record sets hold the same values (weight, TTL, records in any
 * order, alias, health check): the comparison Route53 makes on DELETE. */
int fo_wp_rrset_same(const fo_aws_route53_rrset *a, const fo_aws_route53_rrset *b);

/* The Route53 client (the primary side's: Route53 is global, its control
 * plane is in us-east-1) or NULL after an error diagnostic. Released with fo_wp_aws_release. */
fo_aws_client *fo_wp_aws(fo_call *c);
void fo_wp_aws_release(fo_call *c, fo_aws_client *aws);
const fo_cancel *fo_wp_cancel(fo_call *c);
const fo_clock *fo_wp_clock(fo_call *c);

/* With require_healthy_target set in `obj` (a planned value), refuse to make
 * `side` active while its health check reports unhealthy: FO_EINVAL after an
 * error diagnostic on `active` naming the check and its status. Plan time
 * (the plan fails before anything is sent) and apply time (health changes). */
int fo_wp_check_healthy_target(fo_call *c, fo_aws_client *aws, const fo_cty_value *obj, int side);

/* Wait until Route53 change `change_id` is INSYNC, at most `timeout_s`
 * seconds, logging progress; `status` gets the last status. FO_OK, FO_ETIMEOUT,
 * FO_ECANCELED or the GetChange error. */
int fo_wp_wait_insync(fo_call *c, fo_aws_client *aws, const char *change_id, int64_t timeout_s, char *status,
                      size_t status_len);

/* Route53 names: the value compared case-insensitively with a trailing dot. */
int fo_wp_name_in_zone(const char *fqdn, const char *zone_name);

/* resource callbacks in weight_pair_apply.c */
int fo_wp_create(fo_call *c, const fo_cty_value *planned, const fo_cty_value *config, fo_cty_value **out);
int fo_wp_update(fo_call *c, const fo_cty_value *prior, const fo_cty_value *planned, const fo_cty_value *config,
                 fo_cty_value **out);
int fo_wp_read(fo_call *c, const fo_cty_value *state, fo_cty_value **out);
int fo_wp_destroy(fo_call *c, const fo_cty_value *prior);
int fo_wp_import(fo_call *c, const char *id, fo_cty_value **out);
extern const fo_schema fo_wp_schema;

#endif
