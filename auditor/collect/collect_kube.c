/* collect_kube: a live Kubernetes API as a source: ConfigMaps, Deployments and Secrets (key names and value hashes
 * only) of the configured namespaces, listed page by page, into the same k8s/<kind>/<namespace>/<name> objects
 * as the manifests collector. Config: sides.<side>.kubernetes {context, kubeconfig, namespaces, ...}. */
#include "fo_audit_collector.h"
#include "fo_audit_k8s.h"
#include "fo_buf.h"
#include "fo_err.h"
#include "fo_kube_client.h"
#include "fo_kube_config.h"
#include "fo_log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAMESPACES 1000
#define MAX_PAGE_SIZE  10000

typedef struct kube_cfg {
  char *context;    /* NULL: the run's kube_context for the side, else the kubeconfig's current-context */
  char *kubeconfig; /* NULL: $KUBECONFIG, else ~/.kube/config */
  char **namespaces;
  size_t nnamespaces;
  long page_size;
  int compare_replicas; /* replicas: compare (default ignore: a pilot-light secondary runs fewer) */
  char *location;       /* what the reports say was read */
} kube_cfg;

static void kube_free_cfg(void *state) {
  kube_cfg *k = state;
  if (!k)
    return;
  free(k->context);
  free(k->kubeconfig);
  fo_audit_yaml_list_free(k->namespaces, k->nnamespaces);
  free(k->location);
  free(k);
}

/* A namespace name: an RFC 1123 label, as the API server requires. */
static int valid_namespace(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
      return 0;
  return 1;
}

static int parse_namespaces(kube_cfg *k, const fo_audit_yaml *n) {
  yaml_node_t *seq = n->node;
  int err;
  if (!seq || seq->type != YAML_SEQUENCE_NODE)
    return fo_audit_yaml_error(n, "'kubernetes.namespaces' must be a list of namespace names");
  if (seq->data.sequence.items.top == seq->data.sequence.items.start)
    return fo_audit_yaml_error(n, "'kubernetes.namespaces' needs 1 to %d namespaces", MAX_NAMESPACES);
  if ((err = fo_audit_yaml_list(n, "kubernetes.namespaces", MAX_NAMESPACES, 0, &k->namespaces, &k->nnamespaces)) < 0)
    return err;
  for (size_t i = 0; i < k->nnamespaces; i++) {
    const char *ns = k->namespaces[i];
    fo_audit_yaml item = {n->doc, yaml_document_get_node(n->doc, seq->data.sequence.items.start[i]), n->file, n->dir};
    if (!valid_namespace(ns))
      return fo_audit_yaml_error(&item, "'%s' is not a namespace name (lowercase letters, digits and '-', at most 63)",
                                 ns);
    for (size_t j = 0; j < i; j++)
      if (!strcmp(k->namespaces[j], ns))
        return fo_audit_yaml_error(&item, "namespace '%s' is listed twice", ns);
  }
  return 0;
}

static int parse_long(const fo_audit_yaml *n, const char *what, long lo, long hi, long *out) {
  char *s = NULL, *end = NULL;
  long v;
  int err;
  if ((err = fo_audit_yaml_string(n, what, &s)) < 0)
    return err;
  errno = 0;
  v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi)
    err = fo_audit_yaml_error(n, "'%s' must be a whole number from %ld to %ld", what, lo, hi);
  else
    *out = v;
  free(s);
  return err;
}

static int build_location(kube_cfg *k) {
  fo_buf b = FO_BUF_INIT;
  int err = fo_buf_printf(&b, "kubernetes context %s%s%s, namespaces ", k->context ? k->context : "(current)",
                          k->kubeconfig ? " in " : "", k->kubeconfig ? k->kubeconfig : "");
  for (size_t i = 0; err == 0 && i < k->nnamespaces; i++)
    err = fo_buf_printf(&b, "%s%s", i ? "," : "", k->namespaces[i]);
  if (err < 0) {
    fo_buf_dispose(&b);
    return err;
  }
  free(k->location);
  k->location = fo_buf_detach(&b, NULL);
  return 0;
}

/* sides.<side>.kubernetes: {context, kubeconfig, namespaces: [...], page_size, replicas: ignore|compare} */
static int kube_parse_key(void **state, const char *key, const fo_audit_yaml *node) {
  yaml_node_t *m = node->node;
  kube_cfg *k = *state;
  int err = 0;

  (void)key;
  if (!k) {
    if (!(k = calloc(1, sizeof *k)))
      return fo_err_oom();
    k->page_size = FO_KUBE_DEFAULT_LIMIT;
    *state = k;
  }
  if (!m || m->type != YAML_MAPPING_NODE)
    return fo_audit_yaml_error(node, "'kubernetes' must be a mapping (context, kubeconfig, namespaces)");
  for (yaml_node_pair_t *pr = m->data.mapping.pairs.start; err == 0 && pr < m->data.mapping.pairs.top; pr++) {
    fo_audit_yaml kn = {node->doc, yaml_document_get_node(node->doc, pr->key), node->file, node->dir};
    fo_audit_yaml vn = {node->doc, yaml_document_get_node(node->doc, pr->value), node->file, node->dir};
    char *name = NULL, *word = NULL;
    if ((err = fo_audit_yaml_string(&kn, "a key of kubernetes", &name)) < 0)
      break;
    if (!strcmp(name, "context")) {
      err = fo_audit_yaml_string(&vn, "kubernetes.context", &k->context);
    } else if (!strcmp(name, "kubeconfig")) {
      err = fo_audit_yaml_path(&vn, "kubernetes.kubeconfig", &k->kubeconfig);
    } else if (!strcmp(name, "namespaces")) {
      err = parse_namespaces(k, &vn);
    } else if (!strcmp(name, "page_size")) {
      err = parse_long(&vn, "kubernetes.page_size", 1, MAX_PAGE_SIZE, &k->page_size);
    } else if (!strcmp(name, "replicas")) {
      if ((err = fo_audit_yaml_string(&vn, "kubernetes.replicas", &word)) == 0) {
        if (!strcmp(word, "compare") || !strcmp(word, "ignore"))
          k->compare_replicas = !strcmp(word, "compare");
        else
          err = fo_audit_yaml_error(&vn, "'kubernetes.replicas' must be 'ignore' or 'compare'");
      }
    } else {
      err = fo_audit_yaml_error(&kn,
                                "unknown key '%s' in kubernetes (context, kubeconfig, namespaces, page_size, "
                                "replicas)",
                                name);
    }
    free(name);
    free(word);
  }
  if (err == 0 && k->context && !*k->context)
    err = fo_audit_yaml_error(node, "'kubernetes.context' is empty");
  if (err == 0 && !k->nnamespaces)
    err = fo_audit_yaml_error(node, "'kubernetes' needs 'namespaces' (the namespaces to compare)");
  if (err == 0)
    err = build_location(k);
  return err;
}

/* A network source (not AWS): the run shows its progress, and needs no AWS client for it. */
static int kube_live(const fo_audit_collect_ctx *ctx) {
  (void)ctx;
  return FO_AUDIT_LIVE_NET;
}

static const char *kube_location(const fo_audit_collect_ctx *ctx) {
  const kube_cfg *k = ctx->source_cfg;
  return k ? k->location : NULL;
}

/* ---- collection ------------------------------------------------------------------------------------------ */

static const fo_kube_resource resources[] = {
    {"api/v1", "configmaps", "ConfigMap", "v1"},
    {"apis/apps/v1", "deployments", "Deployment", "apps/v1"},
    {"api/v1", "secrets", "Secret", "v1"},
};

typedef struct item_ctx {
  const fo_audit_collect_ctx *ctx;
  const kube_cfg *k;
  fo_audit_snapshot *snap;
} item_ctx;

static const char *str_at(const cJSON *o, const char *a, const char *b) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, a), b);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Objects every cluster makes for itself, different in each by construction: the cluster's own CA bundle, and
 * service-account token Secrets (each cluster signs its own). Comparing them would only ever report drift. */
static int cluster_owned(const cJSON *item) {
  const cJSON *kind = cJSON_GetObjectItemCaseSensitive(item, "kind"),
              *type = cJSON_GetObjectItemCaseSensitive(item, "type");
  const char *name = str_at(item, "metadata", "name");
  if (!cJSON_IsString(kind) || !name)
    return 0;
  if (!strcmp(kind->valuestring, "ConfigMap"))
    return !strcmp(name, "kube-root-ca.crt");
  if (!strcmp(kind->valuestring, "Secret"))
    return cJSON_IsString(type) && !strcmp(type->valuestring, "kubernetes.io/service-account-token");
  return 0;
}

static void wipe_tree(cJSON *v) {
  for (cJSON *c = v ? v->child : NULL; c; c = c->next)
    wipe_tree(c);
  if (v && v->valuestring)
    memset(v->valuestring, 0, strlen(v->valuestring));
}

static int on_item(void *ud, cJSON *item) {
  item_ctx *ic = ud;
  const cJSON *kind = cJSON_GetObjectItemCaseSensitive(item, "kind");
  if (cluster_owned(item)) {
    wipe_tree(item); /* a skipped Secret still held its values */
    cJSON_Delete(item);
    return 0;
  }
  if (!ic->k->compare_replicas && cJSON_IsString(kind) && !strcmp(kind->valuestring, "Deployment"))
    cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(item, "spec"), "replicas");
  return fo_audit_k8s_add_object(ic->ctx, ic->snap, item, "kubernetes", NULL, 0);
}

/* Everything is listed into a snapshot of its own and moved into `snap` only when every list succeeded: a
 * source that fails leaves nothing half-read behind. */
static int kube_collect(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap) {
  const kube_cfg *k = ctx->source_cfg;
  const char *context = k->context ? k->context : ctx->kube_context;
  fo_kube_config *kc = NULL;
  fo_kube_client *client = NULL;
  fo_audit_snapshot *tmp = NULL;
  item_ctx ic;
  cJSON *o;
  int err;

  if ((err = fo_kube_config_load(&kc, k->kubeconfig, context)) < 0) {
    err = fo_err_wrap(err, "kubernetes (context %s)", context ? context : "(current)");
    goto done;
  }
  if ((err = fo_kube_client_new(&client, kc, ctx->cancel)) < 0 ||
      (err = fo_audit_snapshot_new(&tmp, "kube", NULL, NULL, NULL)) < 0)
    goto done;
  fo_kube_client_set_parser(client, fo_audit_k8s_parse_page);
  ic.ctx = ctx;
  ic.k = k;
  ic.snap = tmp;
  for (size_t n = 0; n < k->nnamespaces; n++) {
    for (size_t r = 0; r < sizeof resources / sizeof resources[0]; r++) {
      size_t pages = 0;
      if ((err = fo_kube_list(client, &resources[r], k->namespaces[n], k->page_size, on_item, &ic, &pages)) < 0)
        goto done;
    }
  }
  while ((o = tmp->objects->child) != NULL) {
    char *key = o->string;
    int added;
    cJSON_DetachItemViaPointer(tmp->objects, o);
    o->string = NULL;
    added = cJSON_AddItemToObject(snap->objects, key, o);
    free(key);
    if (!added) {
      cJSON_Delete(o);
      err = fo_err_oom();
      goto done;
    }
  }
done:
  fo_audit_snapshot_free(tmp);
  fo_kube_client_free(client);
  fo_kube_config_free(kc);
  return err;
}

/* ---- rules ----------------------------------------------------------------------------------------------- */

#define MM  FO_AUDIT_RULE_MUST_MATCH
#define ERR FO_AUDIT_SEV_ERROR

/* docs/audit-rules.md, "Kubernetes API (live)" */
static const fo_audit_rule kube_rules[] = {
    {"kube.configmap-missing", MM, ERR, FO_AUDIT_STEP_CONFIGMAPS, "ConfigMap present in one cluster only",
     "create the ConfigMap in the other cluster (and in its overlay)"},
    {"kube.configmap-data-differs", MM, ERR, FO_AUDIT_STEP_CONFIGMAPS, "ConfigMap data key differs between clusters",
     "apply the same value in both clusters"},
    {"kube.deployment-missing", MM, ERR, FO_AUDIT_STEP_OTHER, "Deployment present in one cluster only",
     "deploy the workload to the other cluster (scaled to zero under pilot light)"},
    {"kube.deployment-image-differs", MM, ERR, FO_AUDIT_STEP_OTHER, "Deployment container image differs",
     "roll out the same image in both clusters"},
    {"kube.deployment-env-differs", MM, ERR, FO_AUDIT_STEP_OTHER,
     "Deployment environment (values or ConfigMap/Secret references) differs",
     "give both clusters' Deployments the same env and envFrom"},
    {"kube.deployment-replicas-differ", MM, ERR, FO_AUDIT_STEP_OTHER,
     "Deployment replica count differs (compared only with replicas: compare)",
     "scale the Deployments alike, or leave replicas unset in the config under pilot light"},
    {"kube.secret-missing", MM, ERR, FO_AUDIT_STEP_OTHER, "Secret present in one cluster only",
     "create the Secret in the other cluster"},
    {"kube.secret-data-differs", MM, ERR, FO_AUDIT_STEP_OTHER,
     "Secret key present in one cluster only, or its value's hash differs",
     "copy the secret value to the other cluster's Secret"},
    {"kube.object-differs", MM, ERR, FO_AUDIT_STEP_OTHER, "Kubernetes object field differs between clusters",
     "apply the same change in both clusters"},
};

static const fo_audit_rule_match kube_matches[] = {
    {FO_AUDIT_ON_MISSING, NULL, "ConfigMap", NULL, 0, "kube.configmap-missing", NULL, "only in primary",
     "only in secondary"},
    {FO_AUDIT_ON_MISSING, NULL, "Deployment", NULL, 0, "kube.deployment-missing", NULL, "only in primary",
     "only in secondary"},
    {FO_AUDIT_ON_MISSING, NULL, "Secret", NULL, 0, "kube.secret-missing", NULL, "only in primary", "only in secondary"},
    {FO_AUDIT_ON_DIFFERS, NULL, "ConfigMap", "data**", 0, "kube.configmap-data-differs", "ConfigMap value differs",
     "ConfigMap key only in primary", "ConfigMap key only in secondary"},
    {FO_AUDIT_ON_DIFFERS, NULL, "ConfigMap", "binaryData**", 0, "kube.configmap-data-differs",
     "ConfigMap value differs", "ConfigMap key only in primary", "ConfigMap key only in secondary"},
    {FO_AUDIT_ON_DIFFERS, NULL, "Deployment", "spec.template.spec.**.image", 0, "kube.deployment-image-differs",
     "image differs", "container only in primary", "container only in secondary"},
    {FO_AUDIT_ON_DIFFERS, NULL, "Deployment", "spec.template.spec.**.env*", 0, "kube.deployment-env-differs",
     "environment differs", "environment entry only in primary", "environment entry only in secondary"},
    {FO_AUDIT_ON_DIFFERS, NULL, "Deployment", "spec.replicas", 0, "kube.deployment-replicas-differ",
     "replica count differs", "replica count set in primary only", "replica count set in secondary only"},
    {FO_AUDIT_ON_DIFFERS, NULL, "Secret", "data**", 0, "kube.secret-data-differs", "secret value differs (by hash)",
     "Secret key only in primary", "Secret key only in secondary"},
    {FO_AUDIT_ON_DIFFERS, NULL, "Secret", "stringData**", 0, "kube.secret-data-differs",
     "secret value differs (by hash)", "Secret key only in primary", "Secret key only in secondary"},
    {FO_AUDIT_ON_DIFFERS, NULL, NULL, NULL, 0, "kube.object-differs", "field differs between the clusters", NULL, NULL},
};

static const fo_audit_step_match kube_steps[] = {
    {"ConfigMap", FO_AUDIT_STEP_CONFIGMAPS},
    {NULL, FO_AUDIT_STEP_OTHER},
};

static const char *const kube_keys[] = {"kubernetes", NULL};

const fo_audit_collector fo_audit_collector_kube = {
    .name = "kubernetes",
    .side_keys = kube_keys,
    .parse_key = kube_parse_key,
    .free_cfg = kube_free_cfg,
    .location = kube_location,
    .collect = kube_collect,
    .drop_volatile = fo_audit_k8s_drop_volatile,
    .rules = kube_rules,
    .nrules = sizeof kube_rules / sizeof kube_rules[0],
    .matches = kube_matches,
    .nmatches = sizeof kube_matches / sizeof kube_matches[0],
    .steps = kube_steps,
    .live = kube_live,
};
