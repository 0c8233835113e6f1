/* restore: the AWS side of failover_restore (choosing the recovery point, finding
 * a restore job started before, starting one, waiting, the restored DB instance); restore.c holds the resource. */
#ifndef FO_RESTORE_H
#define FO_RESTORE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "fo_aws_client.h"
#include "fo_cancel.h"
#include "fo_clock.h"

/* A recovery point as the resource needs it (strings owned by the struct). */
typedef struct fo_restore_point {
  char arn[512];
  char resource_arn[512];
  char resource_type[32];
  double created; /* epoch seconds */
} fo_restore_point;

/* A restore job as last seen. */
typedef struct fo_restore_job {
  char id[128];
  char status[16]; /* PENDING RUNNING COMPLETED ABORTED FAILED */
  char message[512];
  char point_arn[512];
  char created_arn[512]; /* CreatedResourceArn, "" until completed */
  char role[256];        /* IamRoleArn */
  char percent[16];
  double created, completed; /* epoch seconds; 0 when absent */
} fo_restore_job;

/* A RestoreJobsListMember / DescribeRestoreJob answer into *out (strings cut to the fields' sizes; absent: ""). */
void fo_restore_job_of(fo_restore_job *out, const cJSON *job);

/* The newest COMPLETED recovery point of `source_arn` in `vault` (FO_ENOTFOUND naming both when none). */
int fo_restore_newest_point(fo_restore_point *out, fo_aws_client *aws, const fo_cancel *cancel, const char *vault,
                            const char *source_arn);
/* One recovery point of `vault` (DescribeRecoveryPoint). */
int fo_restore_describe_point(fo_restore_point *out, fo_aws_client *aws, const fo_cancel *cancel, const char *vault,
                              const char *point_arn);

/* The newest restore job of any recovery point `source_arn` has in `vault` (only `pinned_point` when not NULL);
 * *found 0 when there is none. */
int fo_restore_find_job(fo_restore_job *out, int *found, fo_aws_client *aws, const fo_cancel *cancel, const char *vault,
                        const char *source_arn, const char *pinned_point);

/* DescribeRestoreJob into *out. */
int fo_restore_describe_job(fo_restore_job *out, fo_aws_client *aws, const fo_cancel *cancel, const char *job_id);

/* GetRecoveryPointRestoreMetadata of the point, `overrides` (a cty map of strings, NULL or null: none) laid
 * over it, then StartRestoreJob with `token`. *job_id_out gets the job id. */
int fo_restore_start(char job_id_out[128], fo_aws_client *aws, const fo_cancel *cancel, const char *vault,
                     const fo_restore_point *point, const char *iam_role_arn, const struct fo_cty_value *overrides,
                     const char *token);

/* Wait until the job is COMPLETED (FO_OK, *out its last description), FAILED or ABORTED (FO_EAWS naming the
 * job and its message), `timeout_s` passes (FO_ETIMEOUT) or `cancel` fires. Progress lines through fo_aws_wait. */
int fo_restore_wait(fo_restore_job *out, fo_aws_client *aws, const fo_cancel *cancel, const fo_clock *clock,
                    const char *job_id, int64_t timeout_s);

/* The DB instance identifier of an RDS DB instance ARN (arn:aws:rds:region:acct:db:ID) into out, "" when not one. */
void fo_restore_instance_id(const char *arn, char *out, size_t len);

/* "YYYY-MM-DDTHH:MM:SSZ" of epoch seconds into out[21]. */
void fo_restore_rfc3339(double epoch, char out[21]);

#endif
