/* fo_aws_backup: AWS Backup plan calls (rest-json) for the cross-region copy
 * plans failover manages. */
#ifndef FO_AWS_BACKUP_H
#define FO_AWS_BACKUP_H

#include "fo_aws_client.h"

/* Create a plan from a BackupPlan object ({"BackupPlanName", "Rules": [...]}).
 * `creator_request_id` NULL: a fresh idempotency token. Returns
 * {"BackupPlanId", "BackupPlanArn", "VersionId", "CreationDate"}. */
int fo_aws_backup_create_backup_plan(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const cJSON *plan,
                                     const char *creator_request_id);
/* {"BackupPlan": {...}, "BackupPlanId", "BackupPlanArn", "VersionId", ...} */
int fo_aws_backup_get_backup_plan(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *plan_id);
/* {"BackupPlanId", "BackupPlanArn", "DeletionDate", "VersionId"} */
int fo_aws_backup_delete_backup_plan(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *plan_id);
/* Every plan (all pages): array of BackupPlansListMember objects. */
int fo_aws_backup_list_backup_plans(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel);

/* Replace the plan's rules: POST /backup/plans/{id}. Returns {"BackupPlanId", "BackupPlanArn", "VersionId", ...}
 * (every update makes a new version id). */
int fo_aws_backup_update_backup_plan(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *plan_id,
                                     const cJSON *plan);

/* Selections: `selection` is a BackupSelection object ({"SelectionName", "IamRoleArn", "Resources": [...]}).
 * Returns {"SelectionId", "BackupPlanId", "CreationDate"}. */
int fo_aws_backup_create_backup_selection(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *plan_id,
                                          const cJSON *selection, const char *creator_request_id);
/* {"BackupSelection": {...}, "SelectionId", "BackupPlanId", ...} */
int fo_aws_backup_get_backup_selection(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *plan_id,
                                       const char *selection_id);
int fo_aws_backup_delete_backup_selection(fo_aws_client *c, const fo_cancel *cancel, const char *plan_id,
                                          const char *selection_id);
/* Every selection of a plan (all pages): array of BackupSelectionsListMember objects. */
int fo_aws_backup_list_backup_selections(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                         const char *plan_id);

/* Vaults: {"BackupVaultName", "BackupVaultArn", "EncryptionKeyArn", ...}; FO_ENOTFOUND when absent. */
int fo_aws_backup_describe_backup_vault(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *vault);

/* Recovery points of a vault (all pages), newest first as AWS returns them is NOT guaranteed: callers pick by
 * CreationDate. `by_resource_arn` NULL: every resource. Items are RecoveryPointByBackupVault objects
 * ({"RecoveryPointArn", "ResourceArn", "ResourceType", "Status", "CreationDate", "CompletionDate",
 *   "SourceBackupVaultArn" (set on copies), "BackupVaultName", ...}); dates are epoch seconds (numbers). */
int fo_aws_backup_list_recovery_points(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const char *vault,
                                       const char *by_resource_arn);
/* One recovery point: DescribeRecoveryPoint. */
int fo_aws_backup_describe_recovery_point(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *vault,
                                          const char *recovery_point_arn);
/* The metadata a restore of the point needs: {"RestoreMetadata": {...}, ...}. */
int fo_aws_backup_get_restore_metadata(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *vault,
                                       const char *recovery_point_arn);

/* The newest recovery point of `items` (as listed above) with Status COMPLETED, optionally only those of
 * `resource_arn` and only copies (SourceBackupVaultArn set) when `copies_only`. Borrowed from items; NULL when
 * there is none. */
const cJSON *fo_aws_backup_newest_completed(const cJSON *items, const char *resource_arn, int copies_only);

/* Restore jobs: StartRestoreJob (PUT /restore-jobs) with {"RecoveryPointArn", "Metadata", "IamRoleArn",
 * "ResourceType", "IdempotencyToken"} as given in `request`; returns {"RestoreJobId"}. */
int fo_aws_backup_start_restore_job(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const cJSON *request);
/* {"RestoreJobId", "Status" (PENDING|RUNNING|COMPLETED|ABORTED|FAILED), "StatusMessage", "CreatedResourceArn",
 *  "PercentDone", ...} */
int fo_aws_backup_describe_restore_job(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *job_id);

#endif
