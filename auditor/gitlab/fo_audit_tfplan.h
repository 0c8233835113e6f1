/* fo_audit_tfplan: GitLab's Terraform merge-request report from one region's plan: the output of
 * `terraform show -json PLANFILE` (or tofu's) read and counted as {"create":N,"update":N,"delete":N}. */
#ifndef FO_AUDIT_TFPLAN_H
#define FO_AUDIT_TFPLAN_H

#include <stddef.h>

#include "fo_buf.h"

/* What a plan does, counted as GitLab's own conversion counts it (docs/gitlab-ci.md): every entry of each
 * resource_changes[].change.actions that is "create", "update" or "delete", so a replacement (["delete",
 * "create"] or ["create", "delete"]) counts once as a create and once as a delete. "no-op", "read" and
 * "forget" (removed from state, not destroyed) count nowhere, nor do actions a later format adds. */
typedef struct fo_audit_tfplan_counts {
  size_t create, update, del;
  size_t resources; /* entries of resource_changes */
} fo_audit_tfplan_counts;

/* Count the plan JSON in `data`; `name` names the input in messages. FO_EINVAL with "plan JSON 'name': ..."
 * and the byte offset (syntax) or the JSON path (structure) when the text is not a plan: not JSON, a state's
 * show -json output, a plan of an unknown major format version, an errored plan, a resource_changes entry
 * without an actions array. FO_ELIMIT over the nesting or memory budget. */
int fo_audit_tfplan_parse(fo_audit_tfplan_counts *out, const char *data, size_t len, const char *name);

/* The same, streamed from the file at `path` (FO_EIO when it cannot be read). */
int fo_audit_tfplan_load(fo_audit_tfplan_counts *out, const char *path);

/* Append GitLab's report, {"create": N, "update": N, "delete": N} and a newline. */
int fo_audit_tfplan_report(fo_buf *out, const fo_audit_tfplan_counts *c);

#endif
