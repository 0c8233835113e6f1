/* fo_aws_elbv2: the Elastic Load Balancing v2 reads verify needs (query protocol, API 2015-12-01): load
 * balancers by name, the target groups behind one, and the health of a group's targets. */
#ifndef FO_AWS_ELBV2_H
#define FO_AWS_ELBV2_H

#include "fo_aws_client.h"

#define FO_AWS_ELBV2_MAX_NAMES 20

/* Load balancers named in `names` (at most 20): array of LoadBalancer objects ("LoadBalancerName",
 * "LoadBalancerArn", "DNSName", "State": {"Code"}). An unknown name fails with FO_EAWS, code
 * LoadBalancerNotFound. */
int fo_aws_elbv2_describe_load_balancers(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                         const char *const *names, size_t n);

/* The target groups of one load balancer: array of TargetGroup objects ("TargetGroupName", "TargetGroupArn"). */
int fo_aws_elbv2_describe_target_groups(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                        const char *load_balancer_arn);

/* The targets of one group with their health: array of TargetHealthDescription objects ("Target": {"Id",
 * "Port"}, "TargetHealth": {"State", "Reason", "Description"}). */
int fo_aws_elbv2_describe_target_health(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                        const char *target_group_arn);

#endif
