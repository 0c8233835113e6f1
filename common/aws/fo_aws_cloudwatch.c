/* CloudWatch (query protocol, API 2010-08-01). */
#include "fo_aws_cloudwatch.h"
#include "fo_aws_paginate.h"
#include "fo_err.h"

#include <stdio.h>

int fo_aws_cloudwatch_describe_alarms(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                      const char *const *names, size_t n) {
  fo_aws_param ps[FO_AWS_CLOUDWATCH_MAX_NAMES];
  char keys[FO_AWS_CLOUDWATCH_MAX_NAMES][32];
  *out_array = NULL;
  if (n > FO_AWS_CLOUDWATCH_MAX_NAMES)
    return fo_err_set(FO_ELIMIT, "cloudwatch: at most %d alarm names per call", FO_AWS_CLOUDWATCH_MAX_NAMES);
  for (size_t i = 0; i < n; i++) {
    snprintf(keys[i], sizeof keys[i], "AlarmNames.member.%zu", i + 1);
    ps[i].name = keys[i];
    ps[i].value = names[i];
  }
  return fo_aws_paginate_query(out_array, c, cancel, &fo_aws_svc_cloudwatch, "DescribeAlarms", ps, n, NULL,
                               "MetricAlarms");
}
