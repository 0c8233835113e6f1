/* fo_validators: stock attribute validators (one-of, length, integer range,
 * URL, AWS region, IAM role ARN, duration) for fo_attr.validators. */
#ifndef FO_VALIDATORS_H
#define FO_VALIDATORS_H

#include <stdint.h>

#include "fo_schema.h"

/* arg: NULL-terminated array of allowed strings. */
void fo_validate_one_of(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d);
/* arg: const size_t[2] {min, max} length in bytes (max 0 = no limit). */
void fo_validate_length(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d);
/* arg: const int64_t[2] {min, max}; the number must be a whole number in range. */
void fo_validate_int_range(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d);
/* http(s)://host[:port][/path], no spaces or userinfo. arg unused. */
void fo_validate_url(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d);
/* An AWS region name such as "us-east-1", "eu-central-2", "us-gov-west-1". arg unused. */
void fo_validate_region(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d);
/* arn:<partition>:iam::<12 digits>:role/<name>. arg unused. */
void fo_validate_role_arn(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d);
/* Go-style duration: "90s", "30m", "1h30m". arg unused. */
void fo_validate_duration(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d);

/* The predicates behind the validators, for code that checks plain strings. */
int fo_is_region_name(const char *s);
int fo_is_url(const char *s);
int fo_parse_duration(const char *s, int64_t *seconds_out);

#endif
