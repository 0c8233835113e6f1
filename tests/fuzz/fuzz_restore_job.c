/* libFuzzer target: failover_restore's readers of AWS answers: restore jobs
 * (ListRestoreJobs / DescribeRestoreJob JSON), the newest completed recovery
 * point of a list, and the DB instance identifier of the job's CreatedResourceArn. */
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "fo_aws_backup.h"
#include "fo_aws_json.h"
#include "fo_err.h"
#include "restore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cJSON *doc = NULL;
  const cJSON *it;
  fo_restore_job job;
  char id[256];

  if (fo_aws_json_parse(&doc, (const char *)data, size) != 0) {
    fo_err_clear();
    return 0;
  }
  fo_restore_job_of(&job, doc);
  fo_restore_instance_id(job.created_arn, id, sizeof(id));
  cJSON_ArrayForEach(it, fo_aws_json_list(doc, "RestoreJobs")) {
    fo_restore_job_of(&job, it);
    fo_restore_instance_id(job.created_arn, id, sizeof(id));
  }
  (void)fo_aws_backup_newest_completed(fo_aws_json_list(doc, "RecoveryPoints"), NULL, 1);
  cJSON_Delete(doc);
  fo_err_clear();
  return 0;
}
