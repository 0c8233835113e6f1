/* Elastic Load Balancing v2 (query protocol, API 2015-12-01). */
#include "fo_aws_elbv2.h"
#include "fo_aws_json.h"
#include "fo_err.h"

#include <stdio.h>
#include <string.h>

/* The array at `key` of a result, detached (an empty list comes back as ""). */
static int take_list(cJSON **out_array, cJSON *doc, const char *key) {
  cJSON *list = fo_aws_json_list(doc, key), *arr;
  if (list && cJSON_IsArray(list)) {
    cJSON_DetachItemViaPointer(doc, list);
    arr = list;
  } else if (!(arr = cJSON_CreateArray())) {
    return fo_err_oom();
  }
  *out_array = arr;
  return 0;
}

static int call_list(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const char *action,
                     const fo_aws_param *ps, size_t n, const char *key) {
  cJSON *doc = NULL;
  int err;
  *out_array = NULL;
  if ((err = fo_aws_call_query(&doc, c, cancel, &fo_aws_svc_elbv2, action, ps, n, NULL)) == 0)
    err = take_list(out_array, doc, key);
  cJSON_Delete(doc);
  return err;
}

int fo_aws_elbv2_describe_load_balancers(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                         const char *const *names, size_t n) {
  fo_aws_param ps[FO_AWS_ELBV2_MAX_NAMES];
  char keys[FO_AWS_ELBV2_MAX_NAMES][32];
  *out_array = NULL;
  if (n > FO_AWS_ELBV2_MAX_NAMES)
    return fo_err_set(FO_ELIMIT, "elbv2: at most %d load balancer names per call", FO_AWS_ELBV2_MAX_NAMES);
  for (size_t i = 0; i < n; i++) {
    snprintf(keys[i], sizeof keys[i], "Names.member.%zu", i + 1);
    ps[i].name = keys[i];
    ps[i].value = names[i];
  }
  return call_list(out_array, c, cancel, "DescribeLoadBalancers", ps, n, "LoadBalancers");
}

int fo_aws_elbv2_describe_target_groups(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                        const char *load_balancer_arn) {
  fo_aws_param p = {"LoadBalancerArn", load_balancer_arn};
  *out_array = NULL;
  if (!load_balancer_arn || !*load_balancer_arn)
    return fo_err_set(FO_EINVAL, "elbv2: empty load balancer ARN");
  return call_list(out_array, c, cancel, "DescribeTargetGroups", &p, 1, "TargetGroups");
}

int fo_aws_elbv2_describe_target_health(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                        const char *target_group_arn) {
  fo_aws_param p = {"TargetGroupArn", target_group_arn};
  *out_array = NULL;
  if (!target_group_arn || !*target_group_arn)
    return fo_err_set(FO_EINVAL, "elbv2: empty target group ARN");
  return call_list(out_array, c, cancel, "DescribeTargetHealth", &p, 1, "TargetHealthDescriptions");
}
