/* Auto Scaling (query protocol, API 2011-01-01). */
#include "fo_aws_autoscaling.h"
#include "fo_aws_paginate.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>

#define ASG_MAX_NAMES 100

int fo_aws_autoscaling_describe_groups(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                       const char *const *names, size_t n) {
  fo_aws_param ps[ASG_MAX_NAMES];
  char keys[ASG_MAX_NAMES][48];
  size_t i;
  if (n > ASG_MAX_NAMES)
    return fo_err_set(FO_ELIMIT, "autoscaling: at most %d group names per call", ASG_MAX_NAMES);
  for (i = 0; i < n; i++) {
    snprintf(keys[i], sizeof(keys[i]), "AutoScalingGroupNames.member.%zu", i + 1);
    ps[i].name = keys[i];
    ps[i].value = names[i];
  }
  return fo_aws_paginate_query(out_array, c, cancel, &fo_aws_svc_autoscaling, "DescribeAutoScalingGroups", ps, n, NULL,
                               "AutoScalingGroups");
}

int fo_aws_autoscaling_update_group(fo_aws_client *c, const fo_cancel *cancel, const char *name, long min_size,
                                    long max_size, long desired_capacity) {
  char mn[24], mx[24], ds[24];
  fo_aws_param ps[4];
  cJSON *doc = NULL;
  int err;
  if (!name || !*name)
    return fo_err_set(FO_EINVAL, "autoscaling: empty group name");
  snprintf(mn, sizeof(mn), "%ld", min_size);
  snprintf(mx, sizeof(mx), "%ld", max_size);
  snprintf(ds, sizeof(ds), "%ld", desired_capacity);
  ps[0].name = "AutoScalingGroupName";
  ps[0].value = name;
  ps[1].name = "MinSize";
  ps[1].value = min_size >= 0 ? mn : NULL;
  ps[2].name = "MaxSize";
  ps[2].value = max_size >= 0 ? mx : NULL;
  ps[3].name = "DesiredCapacity";
  ps[3].value = desired_capacity >= 0 ? ds : NULL;
  err = fo_aws_call_query(&doc, c, cancel, &fo_aws_svc_autoscaling, "UpdateAutoScalingGroup", ps, 4, NULL);
  cJSON_Delete(doc);
  return err;
}

int fo_aws_autoscaling_set_processes(fo_aws_client *c, const fo_cancel *cancel, const char *name, int suspend,
                                     const char *const *processes, size_t n) {
  fo_aws_param ps[ASG_MAX_NAMES + 1];
  char keys[ASG_MAX_NAMES][40];
  cJSON *doc = NULL;
  int err;
  if (!name || !*name)
    return fo_err_set(FO_EINVAL, "autoscaling: empty group name");
  if (n > ASG_MAX_NAMES)
    return fo_err_set(FO_ELIMIT, "autoscaling: at most %d process names per call", ASG_MAX_NAMES);
  ps[0].name = "AutoScalingGroupName";
  ps[0].value = name;
  for (size_t i = 0; i < n; i++) {
    snprintf(keys[i], sizeof(keys[i]), "ScalingProcesses.member.%zu", i + 1);
    ps[i + 1].name = keys[i];
    ps[i + 1].value = processes[i];
  }
  err = fo_aws_call_query(&doc, c, cancel, &fo_aws_svc_autoscaling, suspend ? "SuspendProcesses" : "ResumeProcesses",
                          ps, n + 1, NULL);
  cJSON_Delete(doc);
  return err;
}
