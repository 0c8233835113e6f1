/* fo_audit_changes: the sync checklist on the repository itself. For every file changed between two
 * revisions under a mapped primary path, its secondary counterpart must change too or be identical after
 * normalization. Reads blobs from the object database (libgit2), never checks anything out. */
#ifndef FO_AUDIT_CHANGES_H
#define FO_AUDIT_CHANGES_H

#include "fo_audit_config.h"
#include "fo_audit_model.h"

#define FO_AUDIT_BLOB_MAX ((size_t)64 << 20)

/* Compare `base`..`head` of the repository at `repo_path` per cfg->mappings into `r` (findings, subjects and
 * a "repo" source). A revision that cannot be found (a shallow clone without the base, a typo), an unopenable
 * repository or a binary file that would need normalizing make the source unreadable (exit 3) with a message
 * saying how to fix it; the function itself fails only on OOM. git_libgit2_init must have been called. */
int fo_audit_changes(fo_audit_result *r, const fo_audit_config *cfg, const char *repo_path, const char *base,
                     const char *head);

#endif
