/* fo_audit_k8s: the Kubernetes object -> snapshot object mapping both Kubernetes collectors use
 * (collect_manifests.c offline, collect_kube.c live). */
#include "fo_audit_k8s.h"
#include "fo_audit_json.h"
#include "fo_audit_snapshot.h"
#include "fo_buf.h"
#include "fo_err.h"
#include "fo_kube_client.h"

#include <string.h>

int fo_audit_k8s_parse_page(cJSON **out, const char *data, size_t len, const char *what) {
  fo_audit_json_opts o;
  memset(&o, 0, sizeof o);
  o.what = what;
  o.max_depth = FO_AUDIT_JSON_MAX_DEPTH;
  o.max_bytes = FO_KUBE_PAGE_MAX_BYTES;
  return fo_audit_json_parse(out, data, len, &o);
}

static const char *const cluster_scoped[] = {"Namespace",
                                             "ClusterRole",
                                             "ClusterRoleBinding",
                                             "CustomResourceDefinition",
                                             "StorageClass",
                                             "PersistentVolume",
                                             "PriorityClass",
                                             "IngressClass",
                                             "MutatingWebhookConfiguration",
                                             "ValidatingWebhookConfiguration",
                                             "APIService",
                                             NULL};

static int is_cluster_scoped(const char *kind) {
  for (const char *const *k = cluster_scoped; *k; k++)
    if (!strcmp(kind, *k))
      return 1;
  return 0;
}

/* A Secret's values (data, stringData, and the last-applied annotation that repeats them) are hidden like
 * Terraform's sensitive values: compared by hash, never stored or printed. */
static int hide_secret(const fo_audit_collect_ctx *ctx, cJSON *obj) {
  static const char *const fields[] = {"data", "stringData"};
  cJSON *ann = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(obj, "metadata"), "annotations");
  cJSON *last = cJSON_GetObjectItemCaseSensitive(ann, "kubectl.kubernetes.io/last-applied-configuration");
  int err;
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    cJSON *d = cJSON_GetObjectItemCaseSensitive(obj, fields[i]), *c, *next;
    if (cJSON_IsObject(d) && cJSON_GetObjectItemCaseSensitive(d, "$sensitive"))
      continue; /* hashed as a whole while converted */
    if (!cJSON_IsObject(d)) {
      if (d && (err = fo_audit_mark_sensitive(ctx, obj, d)) < 0)
        return err;
      continue;
    }
    for (c = d->child; c; c = next) {
      next = c->next;
      if ((err = fo_audit_mark_sensitive(ctx, d, c)) < 0)
        return err;
    }
  }
  return last ? fo_audit_mark_sensitive(ctx, ann, last) : 0;
}

int fo_audit_k8s_add_object(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, cJSON *obj, const char *source,
                            const char *file, size_t line) {
  cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
  cJSON *kind = cJSON_GetObjectItemCaseSensitive(obj, "kind");
  cJSON *name = cJSON_GetObjectItemCaseSensitive(meta, "name");
  cJSON *nsn = cJSON_GetObjectItemCaseSensitive(meta, "namespace");
  const char *ns = cJSON_IsString(nsn) ? nsn->valuestring : "default";
  fo_buf key = FO_BUF_INIT;
  cJSON *o;
  int err;

  if (!cJSON_IsString(kind) || !cJSON_IsString(name)) {
    cJSON_Delete(obj); /* not a Kubernetes object (kustomization fragments, values files): skipped */
    return 0;
  }
  if (is_cluster_scoped(kind->valuestring))
    ns = "";
  if (!strcmp(kind->valuestring, "Secret") && (err = hide_secret(ctx, obj)) < 0) {
    cJSON_Delete(obj);
    return err;
  }
  if ((err = fo_buf_printf(&key, "k8s/%s/%s/%s", kind->valuestring, ns, name->valuestring)) < 0 ||
      (err = fo_audit_snapshot_add_object(&o, snap, key.data, source)) < 0) {
    cJSON_Delete(obj);
    fo_buf_dispose(&key);
    return err;
  }
  fo_buf_dispose(&key);
  if (!cJSON_AddStringToObject(o, "kind", kind->valuestring) || !cJSON_AddStringToObject(o, "namespace", ns) ||
      !cJSON_AddStringToObject(o, "name", name->valuestring) ||
      (file && (!cJSON_AddStringToObject(o, "file", file) || !cJSON_AddNumberToObject(o, "line", (double)line)))) {
    cJSON_Delete(obj);
    return fo_err_oom();
  }
  cJSON_ReplaceItemInObjectCaseSensitive(o, "attributes", obj);
  return 0;
}

void fo_audit_k8s_drop_volatile(cJSON *attributes) {
  /* fo_audit_json_delete: a snapshot read from a file holds an arena tree */
  static const char *const server_meta[] = {"uid", "resourceVersion", "generation", "managedFields", "selfLink"};
  cJSON *meta = cJSON_GetObjectItemCaseSensitive(attributes, "metadata");
  cJSON *ann = meta ? cJSON_GetObjectItemCaseSensitive(meta, "annotations") : NULL;
  fo_audit_json_delete(cJSON_DetachItemFromObjectCaseSensitive(attributes, "status"));
  for (size_t i = 0; meta && i < sizeof server_meta / sizeof server_meta[0]; i++)
    fo_audit_json_delete(cJSON_DetachItemFromObjectCaseSensitive(meta, server_meta[i]));
  if (ann) {
    fo_audit_json_delete(
        cJSON_DetachItemFromObjectCaseSensitive(ann, "kubectl.kubernetes.io/last-applied-configuration"));
    fo_audit_json_delete(cJSON_DetachItemFromObjectCaseSensitive(ann, "deployment.kubernetes.io/revision"));
  }
}
