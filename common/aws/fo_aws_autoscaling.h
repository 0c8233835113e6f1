/* fo_aws_autoscaling: Auto Scaling group reads and capacity changes (query
 * protocol), for node groups managed outside EKS. */
#ifndef FO_AWS_AUTOSCALING_H
#define FO_AWS_AUTOSCALING_H

#include "fo_aws_client.h"

/* Groups named in `names` (n 0: all groups), all pages: array of
 * AutoScalingGroup objects ("MinSize", "MaxSize", "DesiredCapacity" are
 * strings; lists such as "Instances" arrays, "" when empty: see fo_aws_json_list). */
int fo_aws_autoscaling_describe_groups(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                       const char *const *names, size_t n);

/* Set capacity; -1 leaves a value as it is. */
int fo_aws_autoscaling_update_group(fo_aws_client *c, const fo_cancel *cancel, const char *name, long min_size,
                                    long max_size, long desired_capacity);

/* SuspendProcesses (suspend 1) or ResumeProcesses (0) of `processes` ("Launch", "AlarmNotification", ...);
 * n 0: all processes. The group's "SuspendedProcesses" in DescribeAutoScalingGroups shows the result. */
int fo_aws_autoscaling_set_processes(fo_aws_client *c, const fo_cancel *cancel, const char *name, int suspend,
                                     const char *const *processes, size_t n);

#endif
