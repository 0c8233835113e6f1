/* fo_aws_lambda: Lambda reads (rest-json, API 2015-03-31): a function's state and the event source mappings
 * (SQS triggers) of a function, whose State says whether they consume, and turning a mapping on or off. */
#ifndef FO_AWS_LAMBDA_H
#define FO_AWS_LAMBDA_H

#include "fo_aws_client.h"

/* GetFunction: *out is the whole answer ({"Configuration": {"FunctionName", "FunctionArn", "State",
 * "LastUpdateStatus", ...}, ...}). A missing function fails with FO_EAWS, code ResourceNotFoundException. */
int fo_aws_lambda_get_function(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *function);

/* ListEventSourceMappings of one function (name or ARN), all pages: array of mappings ("UUID",
 * "EventSourceArn", "FunctionArn", "State": "Enabled" | "Disabled" | "Enabling" | "Disabling" | ...). */
int fo_aws_lambda_list_event_source_mappings(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                             const char *function);

/* UpdateEventSourceMapping: Enabled = `enabled` (the quiesce of a region's SQS triggers). *out is the mapping
 * as answered ("State": "Disabling"/"Disabled" or "Enabling"/"Enabled"). A missing mapping fails with FO_EAWS,
 * code ResourceNotFoundException. */
int fo_aws_lambda_update_event_source_mapping(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *uuid,
                                              int enabled);

#endif
