/* fo_audit_sidecheck: rules that look at the deployment itself rather than compare the sides: backup copy
 * lifecycles (each side) and "exactly one active weight" per weighted DNS record set (both sides together). */
#ifndef FO_AUDIT_SIDECHECK_H
#define FO_AUDIT_SIDECHECK_H

#include "fo_audit_config.h"
#include "fo_audit_model.h"
#include "fo_audit_snapshot.h"

/* Run the enabled side checks ("backup", "dns") on normalized snapshots; findings are SIDE_CHECK. Snapshots
 * whose terraform_state source is not ok are skipped (diff already reports them unreadable). */
int fo_audit_sidechecks(fo_audit_result *r, const fo_audit_snapshot *primary, const fo_audit_snapshot *secondary,
                        const fo_audit_config *cfg);

#endif
