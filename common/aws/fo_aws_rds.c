/* RDS (query protocol, API 2014-10-31): one instance read and its deletion. */
#include "fo_aws_rds.h"
#include "fo_aws_error.h"
#include "fo_aws_json.h"
#include "fo_err.h"

#include <string.h>

/* Lists whose items are not <member> in RDS responses. */
static const char *const rds_lists[] = {"DBInstance",
                                        "VpcSecurityGroupMembership",
                                        "DBParameterGroup",
                                        "DBSecurityGroup",
                                        "OptionGroupMembership",
                                        "Subnet",
                                        "Tag",
                                        NULL};

int fo_aws_rds_describe_db_instance(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *identifier) {
  fo_aws_param ps[1] = {{"DBInstanceIdentifier", identifier}};
  cJSON *doc = NULL, *list, *first;
  int err;
  *out = NULL;
  if (!identifier || !*identifier)
    return fo_err_set(FO_EINVAL, "rds: empty DB instance identifier");
  if ((err = fo_aws_call_query(&doc, c, cancel, &fo_aws_svc_rds, "DescribeDBInstances", ps, 1, rds_lists)) < 0)
    return err;
  list = fo_aws_json_list(doc, "DBInstances");
  first = list ? cJSON_DetachItemFromArray(list, 0) : NULL;
  cJSON_Delete(doc);
  if (!first)
    return fo_err_set(FO_ERR, "rds: DescribeDBInstances of %s returned no instance", identifier);
  *out = first;
  return FO_OK;
}

int fo_aws_rds_delete_db_instance(fo_aws_client *c, const fo_cancel *cancel, const char *identifier,
                                  int skip_final_snapshot, const char *final_snapshot_id) {
  fo_aws_param ps[3] = {{"DBInstanceIdentifier", identifier},
                        {"SkipFinalSnapshot", skip_final_snapshot ? "true" : "false"},
                        {"FinalDBSnapshotIdentifier", skip_final_snapshot ? NULL : final_snapshot_id}};
  cJSON *doc = NULL;
  int err;
  if (!identifier || !*identifier)
    return fo_err_set(FO_EINVAL, "rds: empty DB instance identifier");
  if (!skip_final_snapshot && (!final_snapshot_id || !*final_snapshot_id))
    return fo_err_set(FO_EINVAL, "rds: deleting %s with a final snapshot needs its identifier", identifier);
  err = fo_aws_call_query(&doc, c, cancel, &fo_aws_svc_rds, "DeleteDBInstance", ps, 3, rds_lists);
  cJSON_Delete(doc);
  return err;
}

int fo_aws_rds_not_found(int err) {
  const fo_aws_error *e = err == FO_EAWS ? fo_aws_last_error() : NULL;
  return e && strcmp(e->code, "DBInstanceNotFound") == 0;
}
