/* Auto Scaling capacity facts and group tags (query protocol, API 2011-01-01). */
#include "fo_aws_autoscaling_scaling.h"
#include "fo_aws_autoscaling.h"
#include "fo_aws_json.h"
#include "fo_aws_paginate.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tags per CreateOrUpdateTags/DeleteTags call (the API's limit is 50). */
#define ASG_TAGS_PER_CALL 50

static long num_of(const cJSON *obj, const char *key) {
  const char *s = fo_aws_json_str(obj, key);
  char *end;
  long v;
  if (!s || !*s)
    return -1;
  v = strtol(s, &end, 10);
  return *end || v < 0 ? -1 : v;
}

int fo_aws_asg_capacity_of(fo_aws_asg_capacity *out, const cJSON *group) {
  const cJSON *inst;
  memset(out, 0, sizeof(*out));
  if (!cJSON_IsObject(group))
    return fo_err_set(FO_EINVAL, "autoscaling: not an AutoScalingGroup object");
  out->min_size = num_of(group, "MinSize");
  out->max_size = num_of(group, "MaxSize");
  out->desired = num_of(group, "DesiredCapacity");
  if (out->min_size < 0 || out->max_size < 0 || out->desired < 0)
    return fo_err_set(
        FO_EINVAL, "autoscaling DescribeAutoScalingGroups: group '%s' lacks MinSize/MaxSize/DesiredCapacity",
        fo_aws_json_str(group, "AutoScalingGroupName") ? fo_aws_json_str(group, "AutoScalingGroupName") : "?");
  cJSON_ArrayForEach(inst, fo_aws_json_list(group, "Instances")) {
    const char *life = fo_aws_json_str(inst, "LifecycleState"), *health = fo_aws_json_str(inst, "HealthStatus");
    out->instances++;
    if (life && strcmp(life, "InService") == 0 && health && strcmp(health, "Healthy") == 0)
      out->ready++;
  }
  return FO_OK;
}

int fo_aws_autoscaling_describe_group(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *name) {
  cJSON *arr = NULL, *g;
  const char *names[1] = {name};
  int err;
  *out = NULL;
  if (!name || !*name)
    return fo_err_set(FO_EINVAL, "autoscaling: empty group name");
  if ((err = fo_aws_autoscaling_describe_groups(&arr, c, cancel, names, 1)) < 0)
    return err;
  cJSON_ArrayForEach(g, arr) {
    const char *n = fo_aws_json_str(g, "AutoScalingGroupName");
    if (n && strcmp(n, name) == 0) {
      *out = cJSON_DetachItemViaPointer(arr, g);
      break;
    }
  }
  cJSON_Delete(arr);
  return FO_OK;
}

/* Tags.member.N.{ResourceId,ResourceType,Key[,Value,PropagateAtLaunch]} for n tags. */
static int tags_call(fo_aws_client *c, const fo_cancel *cancel, const char *action, const char *name,
                     const fo_aws_asg_tag *tags, size_t n, int with_values) {
  enum { PER_TAG = 5 };
  fo_aws_param *ps = NULL;
  char(*keys)[48] = NULL;
  size_t i, np = 0;
  cJSON *doc = NULL;
  int err = FO_OK;
  static const char *const fields[PER_TAG] = {"ResourceId", "ResourceType", "Key", "Value", "PropagateAtLaunch"};

  if (!(ps = calloc(n * PER_TAG, sizeof(*ps))) || !(keys = calloc(n * PER_TAG, sizeof(*keys)))) {
    err = fo_err_oom();
    goto done;
  }
  for (i = 0; i < n; i++) {
    const char *vals[PER_TAG] = {name, "auto-scaling-group", tags[i].key, tags[i].value ? tags[i].value : "", "false"};
    for (size_t f = 0; f < (with_values ? (size_t)PER_TAG : 3u); f++) {
      snprintf(keys[np], sizeof(keys[np]), "Tags.member.%zu.%s", i + 1, fields[f]);
      ps[np].name = keys[np];
      ps[np].value = vals[f];
      np++;
    }
  }
  err = fo_aws_call_query(&doc, c, cancel, &fo_aws_svc_autoscaling, action, ps, np, NULL);
done:
  cJSON_Delete(doc);
  free(ps);
  free(keys);
  return err;
}

int fo_aws_autoscaling_put_tags(fo_aws_client *c, const fo_cancel *cancel, const char *name, const fo_aws_asg_tag *tags,
                                size_t n) {
  int err = FO_OK;
  if (!name || !*name)
    return fo_err_set(FO_EINVAL, "autoscaling: empty group name");
  for (size_t at = 0; at < n && err >= 0; at += ASG_TAGS_PER_CALL) {
    size_t k = n - at < ASG_TAGS_PER_CALL ? n - at : ASG_TAGS_PER_CALL;
    err = tags_call(c, cancel, "CreateOrUpdateTags", name, tags + at, k, 1);
  }
  return err;
}

int fo_aws_autoscaling_delete_tags(fo_aws_client *c, const fo_cancel *cancel, const char *name, const char *const *keys,
                                   size_t n) {
  fo_aws_asg_tag batch[ASG_TAGS_PER_CALL];
  int err = FO_OK;
  if (!name || !*name)
    return fo_err_set(FO_EINVAL, "autoscaling: empty group name");
  for (size_t at = 0; at < n && err >= 0; at += ASG_TAGS_PER_CALL) {
    size_t k = n - at < ASG_TAGS_PER_CALL ? n - at : ASG_TAGS_PER_CALL;
    for (size_t i = 0; i < k; i++) {
      batch[i].key = keys[at + i];
      batch[i].value = NULL;
    }
    err = tags_call(c, cancel, "DeleteTags", name, batch, k, 0);
  }
  return err;
}

int fo_aws_autoscaling_describe_tags(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const char *name) {
  const fo_aws_param ps[2] = {{"Filters.member.1.Name", "auto-scaling-group"},
                              {"Filters.member.1.Values.member.1", name}};
  *out_array = NULL;
  if (!name || !*name)
    return fo_err_set(FO_EINVAL, "autoscaling: empty group name");
  return fo_aws_paginate_query(out_array, c, cancel, &fo_aws_svc_autoscaling, "DescribeTags", ps, 2, NULL, "Tags");
}
