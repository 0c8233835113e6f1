/* fo_aws_backup_restore: listing AWS Backup restore jobs, so a restore that was
 * started before (a timed-out or interrupted apply) is found again instead of started twice. */
#ifndef FO_AWS_BACKUP_RESTORE_H
#define FO_AWS_BACKUP_RESTORE_H

#include "fo_aws_client.h"

/* ListRestoreJobs (all pages) of the client's region, only `status` (PENDING, RUNNING, COMPLETED, ABORTED,
 * FAILED) when not NULL: array of RestoreJobsListMember objects ({"RestoreJobId", "RecoveryPointArn", "Status",
 * "CreationDate" (epoch seconds), "CreatedResourceArn", ...}). */
int fo_aws_backup_list_restore_jobs(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const char *status);

#endif
