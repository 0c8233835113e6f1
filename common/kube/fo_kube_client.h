/* fo_kube_client: a Kubernetes API client on libcurl for both programs: LIST with pagination (`limit`/`continue`)
 * for the auditor, the scale subresource of Deployments and StatefulSets for failover_quiesce; authenticated
 * from a resolved kubeconfig context (fo_kube_config), cancellable. */
#ifndef FO_KUBE_CLIENT_H
#define FO_KUBE_CLIENT_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "fo_cancel.h"
#include "fo_kube_config.h"

#define FO_KUBE_PAGE_MAX_BYTES ((size_t)256 << 20)
#define FO_KUBE_LIST_MAX_PAGES 100000
#define FO_KUBE_DEFAULT_LIMIT  500

typedef struct fo_kube_client fo_kube_client;

/* A namespaced resource to list. */
typedef struct fo_kube_resource {
  const char *group_path;  /* "api/v1", "apis/apps/v1" */
  const char *plural;      /* "configmaps" */
  const char *kind;        /* "ConfigMap": set on each item (LIST responses leave it out) */
  const char *api_version; /* "v1", "apps/v1" */
} fo_kube_resource;

/* Takes ownership of `item` (also on failure). Returns 0 or a negative fo_err to stop the listing. */
typedef int (*fo_kube_item_cb)(void *ud, cJSON *item);

/* A client for `cfg`, which is borrowed and must outlive it. An exec plugin runs at the first request (and once
 * more after a 401, as kubectl does). `cancel` (may be NULL) aborts transfers and the plugin. */
int fo_kube_client_new(fo_kube_client **out, const fo_kube_config *cfg, const fo_cancel *cancel);
void fo_kube_client_free(fo_kube_client *c);

/* "kubernetes (context <name>)": how messages name this client's source. Borrowed. */
const char *fo_kube_client_name(const fo_kube_client *c);

/* How a LIST page's text becomes a cJSON tree (0 or a negative fo_err naming `what`). The auditor passes its
 * exact reader (numbers keep their text, strings holding NUL survive); NULL, the default, is cJSON. */
typedef int (*fo_kube_json_parser)(cJSON **out, const char *data, size_t len, const char *what);
void fo_kube_client_set_parser(fo_kube_client *c, fo_kube_json_parser parse);

/* Deadline of each attempt of each request, connect included (default 120 s, connect 10 s); ms <= 0 keeps it. */
void fo_kube_client_set_timeout(fo_kube_client *c, long ms);

/* LIST `r` in namespace `ns`, `limit` items per page (<= 0: FO_KUBE_DEFAULT_LIMIT), following `continue` to the
 * end; each item goes to `cb` with kind and apiVersion set. *pages (optional) gets the number of pages read.
 * Throttling (429) and server errors (5xx) are retried three times; other failures name the context, the
 * resource and the namespace: "kubernetes (context ctx-b): forbidden listing secrets in namespace prod (HTTP
 * 403): <the server's message>". Codes: FO_EIO, FO_ECANCELED, FO_EINVAL (a response that is not a list). */
int fo_kube_list(fo_kube_client *c, const fo_kube_resource *r, const char *ns, long limit, fo_kube_item_cb cb, void *ud,
                 size_t *pages);

/* Parse one LIST response page: *items gets its "items" array (detached, owned by the caller; an empty array
 * when the list is empty) and *cont the continue token (malloc'ed, NULL on the last page). `what` names the
 * response in messages. Exposed for fuzzing and tests. */
int fo_kube_list_parse(cJSON **items, char **cont, const char *data, size_t len, const char *what,
                       fo_kube_json_parser parse);

/* The scale subresource (apps/v1) of `plural` ("deployments" or "statefulsets") `name` in `ns`: GET into
 * *replicas (spec.replicas), or PATCH spec.replicas as application/merge-patch+json. Retried as fo_kube_list;
 * failures name the workload: "kubernetes (context c): forbidden scaling to 0 deployments/web in namespace prod
 * (HTTP 403): <message>". Codes: FO_EIO (no answer, or an HTTP error), FO_ECANCELED, FO_EINVAL (another kind,
 * an answer that is not a Scale). */
int fo_kube_scale_get(fo_kube_client *c, const char *plural, const char *ns, const char *name, long *replicas);
int fo_kube_scale_set(fo_kube_client *c, const char *plural, const char *ns, const char *name, long replicas);

#endif
