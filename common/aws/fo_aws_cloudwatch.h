/* fo_aws_cloudwatch: CloudWatch alarm reads (query protocol, API 2010-08-01). */
#ifndef FO_AWS_CLOUDWATCH_H
#define FO_AWS_CLOUDWATCH_H

#include "fo_aws_client.h"

#define FO_AWS_CLOUDWATCH_MAX_NAMES 100

/* DescribeAlarms of the metric alarms named in `names` (at most 100), all pages: array of MetricAlarm objects
 * ("AlarmName", "AlarmArn", "StateValue": "OK" | "ALARM" | "INSUFFICIENT_DATA", "StateReason"). Names that do
 * not exist are simply absent. */
int fo_aws_cloudwatch_describe_alarms(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                      const char *const *names, size_t n);

#endif
