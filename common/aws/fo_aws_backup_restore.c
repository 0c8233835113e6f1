/* AWS Backup restore jobs (rest-json): the list call. */
#include "fo_aws_backup_restore.h"
#include "fo_aws_paginate.h"

int fo_aws_backup_list_restore_jobs(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const char *status) {
  fo_buf q = FO_BUF_INIT;
  int err = 0;
  *out_array = NULL;
  if (status && *status)
    err = fo_aws_query_add(&q, "status", status);
  if (err == 0)
    err = fo_aws_paginate_rest_json(out_array, c, cancel, &fo_aws_svc_backup, "ListRestoreJobs", "/restore-jobs/",
                                    q.data, "RestoreJobs", "nextToken", "NextToken");
  fo_buf_dispose(&q);
  return err;
}
