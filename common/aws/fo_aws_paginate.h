/* fo_aws_paginate: fetch every page of a list call and return one array, for
 * the NextToken styles of rest-json and query APIs (bounded page count). */
#ifndef FO_AWS_PAGINATE_H
#define FO_AWS_PAGINATE_H

#include "fo_aws_client.h"

#define FO_AWS_MAX_PAGES 1000

/* rest-json GET `path`?`query`&<token_param>=..: items at `list_key` of each
 * page are collected; the next token is read from `token_key`. */
int fo_aws_paginate_rest_json(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const fo_aws_service *svc,
                              const char *operation, const char *path, const char *query, const char *list_key,
                              const char *token_param, const char *token_key);

/* query protocol: items at `list_path` (e.g. "AutoScalingGroups") of
 * each <Action>Result, next page with NextToken. */
int fo_aws_paginate_query(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const fo_aws_service *svc,
                          const char *action, const fo_aws_param *params, size_t n_params,
                          const char *const *list_names, const char *list_path);

#endif
