/* fo_aws_rds: the few RDS calls (query protocol, API 2014-10-31) failover needs
 * for a database AWS Backup restored: read it (endpoint, status) and delete it. */
#ifndef FO_AWS_RDS_H
#define FO_AWS_RDS_H

#include "fo_aws_client.h"

/* DescribeDBInstances of one instance: *out is the DBInstance object
 * ({"DBInstanceIdentifier", "DBInstanceArn", "DBInstanceStatus", "Endpoint": {"Address", "Port"}, ...}; values
 * are strings as the query protocol sends them). A missing instance fails with FO_EAWS and the error code
 * DBInstanceNotFound (fo_aws_rds_not_found). */
int fo_aws_rds_describe_db_instance(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *identifier);

/* DeleteDBInstance; `skip_final_snapshot` 0 needs `final_snapshot_id`. Deletion continues in AWS after the call
 * returns (status "deleting"): wait for DescribeDBInstances to say DBInstanceNotFound. */
int fo_aws_rds_delete_db_instance(fo_aws_client *c, const fo_cancel *cancel, const char *identifier,
                                  int skip_final_snapshot, const char *final_snapshot_id);

/* 1 when `err` (from a call above) means the instance does not exist. */
int fo_aws_rds_not_found(int err);

#endif
