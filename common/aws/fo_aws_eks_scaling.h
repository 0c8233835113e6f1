/* fo_aws_eks_scaling: the EKS calls failover_pilot_light adds to fo_aws_eks:
 * following a node group update (DescribeUpdate) and reading scaling facts. */
#ifndef FO_AWS_EKS_SCALING_H
#define FO_AWS_EKS_SCALING_H

#include "fo_aws_client.h"
#include "fo_cancel.h"

/* The "update" object of DescribeUpdate for a node group update ("status":
 * InProgress, Successful, Failed, Cancelled; "errors"). */
int fo_aws_eks_describe_update(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *cluster,
                               const char *nodegroup, const char *update_id);

/* The scaling facts of a DescribeNodegroup "nodegroup" object. Sizes are -1
 * when absent; `asg` is the first backing Auto Scaling group or NULL (borrowed
 * from `ng`). FO_EINVAL naming the field when the object has no scalingConfig. */
typedef struct fo_aws_eks_scaling {
  long min_size, max_size, desired_size;
  const char *status; /* "ACTIVE", "UPDATING", ... ("" when absent) */
  const char *asg;
} fo_aws_eks_scaling;
int fo_aws_eks_scaling_of(fo_aws_eks_scaling *out, const cJSON *ng);

#endif
