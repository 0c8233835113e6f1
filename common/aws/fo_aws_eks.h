/* fo_aws_eks: the EKS calls failover needs (rest-json): cluster and node
 * group state, scaling the pilot-light node groups, add-ons. */
#ifndef FO_AWS_EKS_H
#define FO_AWS_EKS_H

#include "fo_aws_client.h"

/* The "cluster" object of DescribeCluster. */
int fo_aws_eks_describe_cluster(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *cluster);
/* Node group names (all pages): array of strings. */
int fo_aws_eks_list_nodegroups(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const char *cluster);
/* The "nodegroup" object ("scalingConfig": {"minSize", "maxSize", "desiredSize"}, "status" ...). */
int fo_aws_eks_describe_nodegroup(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *cluster,
                                  const char *nodegroup);
/* Change the scaling of a node group; -1 leaves a value as it is. Sends a
 * clientRequestToken so a retried call is one update. Returns the "update". */
int fo_aws_eks_update_nodegroup_scaling(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *cluster,
                                        const char *nodegroup, long min_size, long max_size, long desired_size);
/* Add-on names (all pages): array of strings. */
int fo_aws_eks_list_addons(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const char *cluster);
/* The "addon" object. */
int fo_aws_eks_describe_addon(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *cluster,
                              const char *addon);

#endif
