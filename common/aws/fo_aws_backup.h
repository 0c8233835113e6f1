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

#endif
