/* EKS (rest-json, API 2017-11-01). */
#include "fo_aws_eks.h"
#include "fo_aws_enc.h"
#include "fo_aws_paginate.h"
#include "fo_err.h"

#include <string.h>

/* "/clusters/<c>[/<kind>/<name>][suffix]" with segments encoded. */
static int eks_path(fo_buf *b, const char *cluster, const char *kind, const char *name, const char *suffix) {
  int err;
  if (!cluster || !*cluster)
    return fo_err_set(FO_EINVAL, "eks: empty cluster name");
  if ((err = fo_buf_puts(b, "/clusters/")) < 0 || (err = fo_aws_uri_encode(b, cluster, strlen(cluster), 0)) < 0)
    return err;
  if (kind) {
    if ((err = fo_buf_printf(b, "/%s", kind)) < 0)
      return err;
    if (name) {
      if (!*name)
        return fo_err_set(FO_EINVAL, "eks: empty %s name", kind);
      if ((err = fo_buf_puts(b, "/")) < 0 || (err = fo_aws_uri_encode(b, name, strlen(name), 0)) < 0)
        return err;
    }
  }
  return suffix ? fo_buf_puts(b, suffix) : 0;
}

/* GET a path and detach `key` from the response. */
static int get_item(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *op, const fo_buf *path,
                    const char *key) {
  cJSON *doc = NULL;
  int err;
  *out = NULL;
  if ((err = fo_aws_call_rest_json(&doc, c, cancel, &fo_aws_svc_eks, op, "GET", path->data, NULL, NULL)) < 0)
    return err;
  if (!(*out = cJSON_DetachItemFromObjectCaseSensitive(doc, key)))
    err = fo_err_set(FO_EINVAL, "eks %s: response has no '%s'", op, key);
  cJSON_Delete(doc);
  return err;
}

int fo_aws_eks_describe_cluster(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *cluster) {
  fo_buf p = FO_BUF_INIT;
  int err = eks_path(&p, cluster, NULL, NULL, NULL);
  if (err == 0)
    err = get_item(out, c, cancel, "DescribeCluster", &p, "cluster");
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_eks_list_nodegroups(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const char *cluster) {
  fo_buf p = FO_BUF_INIT;
  int err = eks_path(&p, cluster, "node-groups", NULL, NULL);
  if (err == 0)
    err = fo_aws_paginate_rest_json(out_array, c, cancel, &fo_aws_svc_eks, "ListNodegroups", p.data, NULL, "nodegroups",
                                    "nextToken", "nextToken");
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_eks_describe_nodegroup(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *cluster,
                                  const char *nodegroup) {
  fo_buf p = FO_BUF_INIT;
  int err = eks_path(&p, cluster, "node-groups", nodegroup ? nodegroup : "", NULL);
  if (err == 0)
    err = get_item(out, c, cancel, "DescribeNodegroup", &p, "nodegroup");
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_eks_update_nodegroup_scaling(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *cluster,
                                        const char *nodegroup, long min_size, long max_size, long desired_size) {
  fo_buf p = FO_BUF_INIT;
  cJSON *body = cJSON_CreateObject(), *sc, *doc = NULL;
  char token[37];
  int err;

  *out = NULL;
  if (!body || !(sc = cJSON_AddObjectToObject(body, "scalingConfig"))) {
    err = fo_err_oom();
    goto done;
  }
  if (min_size >= 0)
    cJSON_AddNumberToObject(sc, "minSize", (double)min_size);
  if (max_size >= 0)
    cJSON_AddNumberToObject(sc, "maxSize", (double)max_size);
  if (desired_size >= 0)
    cJSON_AddNumberToObject(sc, "desiredSize", (double)desired_size);
  fo_aws_idempotency_token(token);
  cJSON_AddStringToObject(body, "clientRequestToken", token);
  if ((err = eks_path(&p, cluster, "node-groups", nodegroup ? nodegroup : "", "/update-config")) < 0)
    goto done;
  if ((err = fo_aws_call_rest_json(&doc, c, cancel, &fo_aws_svc_eks, "UpdateNodegroupConfig", "POST", p.data, NULL,
                                   body)) < 0)
    goto done;
  if (!(*out = cJSON_DetachItemFromObjectCaseSensitive(doc, "update")))
    err = fo_err_set(FO_EINVAL, "eks UpdateNodegroupConfig: response has no 'update'");
done:
  cJSON_Delete(body);
  cJSON_Delete(doc);
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_eks_list_addons(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const char *cluster) {
  fo_buf p = FO_BUF_INIT;
  int err = eks_path(&p, cluster, "addons", NULL, NULL);
  if (err == 0)
    err = fo_aws_paginate_rest_json(out_array, c, cancel, &fo_aws_svc_eks, "ListAddons", p.data, NULL, "addons",
                                    "nextToken", "nextToken");
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_eks_describe_addon(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *cluster,
                              const char *addon) {
  fo_buf p = FO_BUF_INIT;
  int err = eks_path(&p, cluster, "addons", addon ? addon : "", NULL);
  if (err == 0)
    err = get_item(out, c, cancel, "DescribeAddon", &p, "addon");
  fo_buf_dispose(&p);
  return err;
}
