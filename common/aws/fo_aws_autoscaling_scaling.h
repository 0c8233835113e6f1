/* fo_aws_autoscaling_scaling: what failover_pilot_light adds to
 * fo_aws_autoscaling: capacity facts of a group and its tags. */
#ifndef FO_AWS_AUTOSCALING_SCALING_H
#define FO_AWS_AUTOSCALING_SCALING_H

#include "fo_aws_client.h"
#include "fo_cancel.h"

/* Sizes and how many instances are InService and Healthy, from one
 * AutoScalingGroup object of DescribeAutoScalingGroups. */
typedef struct fo_aws_asg_capacity {
  long min_size, max_size, desired;
  long instances; /* all instances the group lists */
  long ready;     /* LifecycleState InService and HealthStatus Healthy */
} fo_aws_asg_capacity;
int fo_aws_asg_capacity_of(fo_aws_asg_capacity *out, const cJSON *group);

/* The one group named `name` (DescribeAutoScalingGroups): *out is the
 * AutoScalingGroup object, NULL when no group has that name. */
int fo_aws_autoscaling_describe_group(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *name);

/* One tag of a group (never propagated at launch: node-template tags are for
 * the cluster-autoscaler, not for instances). */
typedef struct fo_aws_asg_tag {
  const char *key;
  const char *value;
} fo_aws_asg_tag;

/* CreateOrUpdateTags for `n` tags of group `name` (n 0: no call). */
int fo_aws_autoscaling_put_tags(fo_aws_client *c, const fo_cancel *cancel, const char *name, const fo_aws_asg_tag *tags,
                                size_t n);
/* DeleteTags for keys of group `name` (n 0: no call). */
int fo_aws_autoscaling_delete_tags(fo_aws_client *c, const fo_cancel *cancel, const char *name, const char *const *keys,
                                   size_t n);
/* DescribeTags filtered to group `name`, all pages: array of {"Key", "Value", ...}. */
int fo_aws_autoscaling_describe_tags(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const char *name);

#endif
