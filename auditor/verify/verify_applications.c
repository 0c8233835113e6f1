/* verify_applications: the Applications group, through the auditor's Kubernetes client (auditor/kube/): in each
 * configured namespace of the active side's cluster, every Deployment has ready replicas = desired and no pod has
 * a container in CrashLoopBackOff. */
#include "fo_err.h"
#include "fo_kube_client.h"
#include "verify_internal.h"

#include <stdio.h>
#include <string.h>

static const fo_kube_resource deployments = {"apis/apps/v1", "deployments", "Deployment", "apps/v1"};
static const fo_kube_resource pods = {"api/v1", "pods", "Pod", "v1"};

typedef struct list_ctx {
  verify_check *c;
  const char *ns;
  int failed; /* a finding could not be added (out of memory) */
} list_ctx;

/* obj.a.b (obj.a when b is NULL) as a number, or dflt. */
static long num(const cJSON *obj, const char *a, const char *b, long dflt) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, a);
  if (b)
    v = cJSON_GetObjectItemCaseSensitive(v, b);
  return cJSON_IsNumber(v) ? (long)v->valuedouble : dflt;
}

static const char *name_of(const cJSON *item) {
  const cJSON *n = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(item, "metadata"), "name");
  return cJSON_IsString(n) ? n->valuestring : "?";
}

static int on_deployment(void *ud, cJSON *item) {
  list_ctx *l = ud;
  long desired = num(item, "spec", "replicas", 1), ready = num(item, "status", "readyReplicas", 0);
  int err = 0;
  if (ready < desired) {
    char path[320], val[64];
    snprintf(path, sizeof path, "%s/%s", l->ns, name_of(item));
    snprintf(val, sizeof val, "{\"ready\":%ld,\"desired\":%ld}", ready, desired);
    l->c->path = path;
    err = verify_fail(l->c, "verify.deployment-not-ready", val, "Deployment %s: %ld of %ld replicas ready", path, ready,
                      desired);
    l->c->path = NULL;
  }
  cJSON_Delete(item);
  return err;
}

static int on_pod(void *ud, cJSON *item) {
  list_ctx *l = ud;
  const cJSON *cs;
  int err = 0;
  cJSON_ArrayForEach(
      cs, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(item, "status"), "containerStatuses")) {
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cs, "state"), "waiting");
    const cJSON *reason = cJSON_GetObjectItemCaseSensitive(w, "reason");
    const cJSON *cname = cJSON_GetObjectItemCaseSensitive(cs, "name");
    char path[320];
    if (!cJSON_IsString(reason) || strcmp(reason->valuestring, "CrashLoopBackOff"))
      continue;
    snprintf(path, sizeof path, "%s/%s", l->ns, name_of(item));
    l->c->path = path;
    err = verify_fail(l->c, "verify.pod-crashloop", NULL, "pod %s: container %s is in CrashLoopBackOff (%ld restarts)",
                      path, cJSON_IsString(cname) ? cname->valuestring : "?", num(cs, "restartCount", NULL, 0));
    l->c->path = NULL;
    break;
  }
  cJSON_Delete(item);
  return err;
}

int verify_applications(verify_ctx *v) {
  const fo_audit_verify_cfg *vc = v->vc[v->active];
  const char *context = vc->kube_context ? vc->kube_context : v->kube_context[v->active];
  fo_kube_config *kc = NULL;
  fo_kube_client *client = NULL;
  verify_check c;
  int err;

  if (!vc->nnamespaces)
    return 0;
  verify_check_begin(&c, v, "verify/applications/kubernetes", FO_AUDIT_STEP_APPLICATIONS, v->active);
  if ((err = fo_kube_config_load(&kc, vc->kubeconfig, context)) == 0 &&
      (err = fo_kube_client_new(&client, kc, v->cancel)) == 0) {
    for (size_t i = 0; err == 0 && i < vc->nnamespaces; i++) {
      list_ctx l = {&c, vc->namespaces[i], 0};
      if ((err = fo_kube_list(client, &deployments, vc->namespaces[i], 0, on_deployment, &l, NULL)) == 0)
        err = fo_kube_list(client, &pods, vc->namespaces[i], 0, on_pod, &l, NULL);
    }
  }
  fo_kube_client_free(client);
  fo_kube_config_free(kc);
  if (err == FO_ENOMEM)
    return err;
  if (err < 0 && (err = verify_unreadable(&c, "applications")) < 0)
    return err;
  return verify_check_end(&c);
}
