/* EKS node group scaling helpers (rest-json, API 2017-11-01). */
#include "fo_aws_eks_scaling.h"
#include "fo_aws_enc.h"
#include "fo_aws_json.h"
#include "fo_err.h"

#include <string.h>

int fo_aws_eks_describe_update(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *cluster,
                               const char *nodegroup, const char *update_id) {
  fo_buf path = FO_BUF_INIT, query = FO_BUF_INIT;
  cJSON *doc = NULL;
  int err;

  *out = NULL;
  if (!cluster || !*cluster || !update_id || !*update_id)
    return fo_err_set(FO_EINVAL, "eks DescribeUpdate: empty cluster name or update id");
  if ((err = fo_buf_puts(&path, "/clusters/")) < 0 ||
      (err = fo_aws_uri_encode(&path, cluster, strlen(cluster), 0)) < 0 ||
      (err = fo_buf_puts(&path, "/updates/")) < 0 ||
      (err = fo_aws_uri_encode(&path, update_id, strlen(update_id), 0)) < 0)
    goto done;
  if (nodegroup && *nodegroup && (err = fo_aws_query_add(&query, "nodegroupName", nodegroup)) < 0)
    goto done;
  if ((err = fo_aws_call_rest_json(&doc, c, cancel, &fo_aws_svc_eks, "DescribeUpdate", "GET", path.data,
                                   query.len ? query.data : NULL, NULL)) < 0)
    goto done;
  if (!(*out = cJSON_DetachItemFromObjectCaseSensitive(doc, "update")))
    err = fo_err_set(FO_EINVAL, "eks DescribeUpdate: response has no 'update'");
done:
  cJSON_Delete(doc);
  fo_buf_dispose(&path);
  fo_buf_dispose(&query);
  return err;
}

static long size_of(const cJSON *sc, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(sc, key);
  return cJSON_IsNumber(v) && v->valuedouble >= 0 ? (long)v->valuedouble : -1;
}

int fo_aws_eks_scaling_of(fo_aws_eks_scaling *out, const cJSON *ng) {
  const cJSON *sc = cJSON_GetObjectItemCaseSensitive(ng, "scalingConfig"), *groups, *first;
  const char *status = fo_aws_json_str(ng, "status");

  memset(out, 0, sizeof(*out));
  if (!cJSON_IsObject(sc))
    return fo_err_set(FO_EINVAL, "eks DescribeNodegroup: the node group has no 'scalingConfig'");
  out->min_size = size_of(sc, "minSize");
  out->max_size = size_of(sc, "maxSize");
  out->desired_size = size_of(sc, "desiredSize");
  out->status = status ? status : "";
  groups = fo_aws_json_get(ng, "resources/autoScalingGroups");
  first = cJSON_IsArray(groups) ? cJSON_GetArrayItem(groups, 0) : NULL;
  out->asg = first ? fo_aws_json_str(first, "name") : NULL;
  return FO_OK;
}
