/* fo_audit_k8s: Kubernetes objects as snapshot objects, shared by the offline manifests collector and the live
 * API collector so that both produce the same keys, kinds and attribute shapes (and hide Secrets the same way). */
#ifndef FO_AUDIT_K8S_H
#define FO_AUDIT_K8S_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "fo_audit_collector.h"

/* An API response page read exactly (fo_audit_json_parse: numbers keep their text, strings holding NUL survive),
 * depth FO_AUDIT_JSON_MAX_DEPTH: the parser every auditor fo_kube_client gets (fo_kube_client_set_parser). */
int fo_audit_k8s_parse_page(cJSON **out, const char *data, size_t len, const char *what);

/* Add the Kubernetes object `obj` (a parsed manifest or an item of a LIST; ownership taken, also on failure)
 * under "k8s/<kind>/<namespace>/<name>" (namespace "default" when it has none, "" for cluster-scoped kinds),
 * with identity fields kind, namespace and name, its origin (`file` and `line` when file is not NULL) and the
 * whole object as attributes. A Secret's values (data, stringData, the last-applied annotation) are replaced by
 * their hashes first. Objects without kind or metadata.name are skipped (0). */
int fo_audit_k8s_add_object(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, cJSON *obj, const char *source,
                            const char *file, size_t line);

/* Drop what the cluster writes and the manifests do not carry: status, server-set metadata (uid,
 * resourceVersion, generation, managedFields, selfLink) and the last-applied and revision annotations. */
void fo_audit_k8s_drop_volatile(cJSON *attributes);

#endif
