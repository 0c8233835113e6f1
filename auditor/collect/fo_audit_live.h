/* fo_audit_live: the live collectors' readers of AWS responses, without the calls: one response document (as the
 * AWS client returns it) into snapshot objects. Exposed for unit tests and fuzzing: the shapes are outside data. */
#ifndef FO_AUDIT_LIVE_H
#define FO_AUDIT_LIVE_H

#include <time.h>

#include "fo_audit_snapshot.h"

/* EKS: `what` "cluster" (DescribeCluster's "cluster"), "addon" (DescribeAddon's "addon") or "nodegroup"
 * (DescribeNodegroup's "nodegroup") named `name`; `pilot_light` the side's glob over pilot-light groups or NULL. */
int fo_audit_eks_response(fo_audit_snapshot *snap, const char *what, const char *name, const cJSON *doc,
                          const char *pilot_light);

/* AWS Backup: a plan (GetBackupPlan's "BackupPlan") named `name` in `region`. */
int fo_audit_backup_plan_response(fo_audit_snapshot *snap, const char *name, const cJSON *plan, const char *region);
/* AWS Backup: the freshness object of `vault` from its recovery points (ListRecoveryPointsByBackupVault items):
 * the newest completed point (`copies`: the newest copy) and its age at `now`, against `rpo_hours`. */
int fo_audit_backup_freshness(fo_audit_snapshot *snap, const cJSON *items, const char *vault, int copies, time_t now,
                              double rpo_hours);

#endif
