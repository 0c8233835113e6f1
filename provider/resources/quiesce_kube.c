/* quiesce_kube: each workload goes through the scale subresource (GET, then a merge patch of spec.replicas), so
 * nothing but the replica count is touched and no controller needs to run for the stop to hold. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_err.h"
#include "fo_validators.h"
#include "quiesce_kube.h"

#define MAX_WORKLOADS 100
#define NAME_MAX_LEN  253

static const fo_attr qk_attrs[] = {
    {.name = "kubeconfig",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL,
     .description = "Path of the kubeconfig (default: $KUBECONFIG, else ~/.kube/config).",
     .markdown = "Path of the kubeconfig (`~/` is the home directory). Default: the files of `$KUBECONFIG`, "
                 "else `~/.kube/config`, merged as kubectl does. Certificates, tokens, token files and exec "
                 "plugins (e.g. `aws eks get-token`) are supported."},
    {.name = "context",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL,
     .description = "The kubeconfig context of this region's cluster (default: its current-context).",
     .markdown = "The kubeconfig context of this region's cluster (default: the kubeconfig's `current-context`)."},
    {.name = "workloads",
     .type = "[\"list\",\"string\"]",
     .flags = FO_ATTR_REQUIRED,
     .description = "Workloads to scale to 0 on stop and back on start: \"namespace/deployment/name\" or "
                    "\"namespace/statefulset/name\".",
     .markdown = "Workloads to scale to 0 on stop and back to their remembered replicas on start, each "
                 "`\"<namespace>/deployment/<name>\"` or `\"<namespace>/statefulset/<name>\"` (apps/v1, through "
                 "the `scale` subresource: only `spec.replicas` changes). At most 100."},
};

const fo_block fo_qk_block = {
    .attrs = qk_attrs,
    .n_attrs = FO_COUNT(qk_attrs),
    .description = "Kubernetes Deployments and StatefulSets of this region's cluster to scale to 0 on stop.",
    .markdown =
        "Kubernetes Deployments and StatefulSets of this region's cluster to scale to 0 on stop and "
        "back on start."};

/* ---- values ------------------------------------------------------------------ */

/* "ns/kind/name" into its parts: 0, or -1 with *why set. */
static int parse_workload(const char *s, char *ns, char *plural, char *name, const char **why) {
  const char *a = strchr(s, '/'), *b = a ? strchr(a + 1, '/') : NULL;
  size_t lns, lkind, lname;
  if (!a || !b || strchr(b + 1, '/')) {
    *why = "want \"<namespace>/deployment/<name>\" or \"<namespace>/statefulset/<name>\"";
    return -1;
  }
  lns = (size_t)(a - s);
  lkind = (size_t)(b - a - 1);
  lname = strlen(b + 1);
  if (lns == 0 || lname == 0 || lns > NAME_MAX_LEN || lname > NAME_MAX_LEN) {
    *why = "the namespace and the name must be 1 to 253 characters";
    return -1;
  }
  if (lkind == 10 && strncmp(a + 1, "deployment", 10) == 0)
    strcpy(plural, "deployments");
  else if (lkind == 11 && strncmp(a + 1, "statefulset", 11) == 0)
    strcpy(plural, "statefulsets");
  else {
    *why = "the kind must be deployment or statefulset";
    return -1;
  }
  memcpy(ns, s, lns);
  ns[lns] = '\0';
  memcpy(name, b + 1, lname + 1);
  return 0;
}

/* The workloads of a known list (borrowed), at most MAX_WORKLOADS. */
static size_t workloads_of(const fo_cty_value *obj, const char **out) {
  const fo_cty_value *l = fo_object_known_attr(fo_object_known_attr(obj, "kubernetes"), "workloads");
  size_t n = 0;
  if (!l || !fo_cty_is_wholly_known(l))
    return 0;
  for (size_t i = 0; i < fo_cty_length(l) && n < MAX_WORKLOADS; i++)
    out[n++] = fo_cty_as_string(fo_cty_index(l, i), NULL);
  return n;
}

int fo_qk_validate(fo_call *c, const fo_cty_value *config) {
  const fo_cty_value *kb = fo_cty_get_attr(config, "kubernetes"), *l;
  if (!kb || fo_cty_is_null(kb))
    return 0;
  if (!fo_cty_is_known(kb))
    return 1;
  l = fo_cty_get_attr(kb, "workloads");
  if (!l || !fo_cty_is_known(l))
    return 1;
  if (fo_cty_is_null(l))
    return 0;
  if (fo_cty_length(l) > MAX_WORKLOADS) {
    fo_diags_error(c->diags, NULL, "Too many workloads", "kubernetes.workloads: at most %d entries, got %zu.",
                   MAX_WORKLOADS, fo_cty_length(l));
    return 1;
  }
  for (size_t i = 0; i < fo_cty_length(l); i++) {
    const fo_cty_value *e = fo_cty_index(l, i);
    char ns[NAME_MAX_LEN + 1], plural[16], name[NAME_MAX_LEN + 1];
    const char *s, *why = NULL;
    fo_cty_path p = FO_CTY_PATH_INIT;
    if (!e || !fo_cty_is_known(e))
      continue;
    s = fo_cty_is_null(e) ? "" : fo_cty_as_string(e, NULL);
    if (parse_workload(s, ns, plural, name, &why) == 0)
      continue;
    if (fo_cty_path_push_attr(&p, "kubernetes") == 0 && fo_cty_path_push_attr(&p, "workloads") == 0 &&
        fo_cty_path_push_index(&p, (int64_t)i) == 0)
      fo_diags_error(c->diags, &p, "Not a workload", "\"%.200s\": %s.", s, why);
    else
      fo_diags_error(c->diags, NULL, "Not a workload", "\"%.200s\": %s.", s, why);
    fo_cty_path_dispose(&p);
  }
  return fo_cty_length(l) > 0;
}

/* ---- remembered replicas ---------------------------------------------------------- */

static int64_t *remembered(fo_qk_run *k, const char *w) {
  for (size_t i = 0; i < k->n; i++)
    if (strcmp(k->keys[i], w) == 0)
      return &k->replicas[i];
  return NULL;
}

static int remember(fo_qk_run *k, const char *w, int64_t n) {
  int64_t *r = remembered(k, w);
  if (r) {
    *r = n;
    return 0;
  }
  if (k->n == FO_COUNT(k->keys))
    return fo_err_set(FO_ELIMIT, "more than %zu remembered workloads", FO_COUNT(k->keys));
  if (!(k->keys[k->n] = strdup(w)))
    return fo_err_oom();
  k->replicas[k->n++] = n;
  return 0;
}

/* The prior state's kubernetes_replicas, once. */
static int load_prior(fo_qk_run *k) {
  const fo_cty_value *m = fo_object_known_attr(k->prior, "kubernetes_replicas");
  int err = 0;
  if (k->loaded)
    return 0;
  k->loaded = 1;
  for (size_t i = 0; m && fo_cty_is_wholly_known(m) && i < fo_cty_length(m) && err == 0; i++) {
    int64_t n;
    if (fo_cty_number_as_int64(fo_cty_index(m, i), &n) == 0)
      err = remember(k, fo_cty_map_key(m, i), n);
  }
  return err;
}

fo_cty_value *fo_qk_replicas(fo_qk_run *k) {
  const char *ws[MAX_WORKLOADS], *keys[MAX_WORKLOADS];
  fo_cty_value *vals[MAX_WORKLOADS], *map;
  fo_cty_type *t;
  size_t n = workloads_of(k->planned, ws), m = 0;
  if (load_prior(k) < 0)
    return NULL;
  /* only the workloads still listed; sorted by the map itself */
  for (size_t i = 0; i < n; i++) {
    int64_t *r = remembered(k, ws[i]);
    int dup = 0;
    for (size_t j = 0; j < m; j++)
      dup |= strcmp(keys[j], ws[i]) == 0;
    if (!r || dup)
      continue;
    keys[m] = ws[i];
    if (!(vals[m] = fo_cty_number_int(*r))) {
      for (size_t j = 0; j < m; j++)
        fo_cty_value_unref(vals[j]);
      return NULL;
    }
    m++;
  }
  if (!(t = fo_cty_type_number())) {
    for (size_t j = 0; j < m; j++)
      fo_cty_value_unref(vals[j]);
    return NULL;
  }
  map = fo_cty_map(t, m, keys, vals);
  fo_cty_type_unref(t);
  return map;
}

void fo_qk_dispose(fo_qk_run *k) {
  for (size_t i = 0; i < k->n; i++)
    free(k->keys[i]);
  k->n = 0;
  fo_kube_client_free(k->client);
  k->client = NULL;
  fo_kube_config_free(k->cfg);
  k->cfg = NULL;
}

/* ---- the cluster ------------------------------------------------------------------ */

static int connect_cluster(fo_qk_run *k) {
  const fo_cty_value *kb = fo_object_known_attr(k->planned, "kubernetes"), *p = fo_object_known_attr(kb, "kubeconfig"),
                     *cx = fo_object_known_attr(kb, "context");
  const char *path = p ? fo_cty_as_string(p, NULL) : NULL, *home = getenv("HOME");
  char full[4096];
  int err;
  if (k->client)
    return 0;
  if (path && strncmp(path, "~/", 2) == 0 && home) {
    snprintf(full, sizeof full, "%s/%s", home, path + 2);
    path = full;
  }
  if (fo_kube_config_load(&k->cfg, path, cx ? fo_cty_as_string(cx, NULL) : NULL) < 0)
    /* a kubeconfig that cannot be read is a configuration error, never an unreachable cluster */
    return fo_err_wrap(FO_EINVAL, "kubernetes");
  if ((err = fo_kube_client_new(&k->client, k->cfg, k->c->cancel)) < 0)
    return err;
  fo_kube_client_set_timeout(k->client, k->call_timeout_ms);
  return 0;
}

/* One workload's step, its address parsed: 0, an error, or what k->result said. */
typedef int (*qk_step)(fo_qk_run *k, const char *w, const char *ns, const char *plural, const char *name);

/* The step for every planned workload, in order, after the prior state and the cluster connection are set up
 * (neither when there is no workload); stops at the first non-zero result. */
static int each_workload(fo_qk_run *k, qk_step step) {
  const char *ws[MAX_WORKLOADS];
  size_t n = workloads_of(k->planned, ws);
  int err = 0;
  if (n == 0)
    return 0;
  if ((err = load_prior(k)) < 0 || (err = connect_cluster(k)) < 0)
    return err;
  for (size_t i = 0; i < n && err == 0; i++) {
    char ns[NAME_MAX_LEN + 1], plural[16], name[NAME_MAX_LEN + 1];
    const char *why;
    if (parse_workload(ws[i], ns, plural, name, &why) < 0)
      return fo_err_set(FO_EINVAL, "kubernetes workload '%s': %s", ws[i], why);
    err = step(k, ws[i], ns, plural, name);
  }
  return err;
}

static int stop_one(fo_qk_run *k, const char *w, const char *ns, const char *plural, const char *name) {
  char msg[64];
  long now = 0;
  int64_t *r;
  int err;
  if ((err = fo_kube_scale_get(k->client, plural, ns, name, &now)) < 0)
    return err;
  r = remembered(k, w);
  if (now == 0) {
    /* stopped already (a second stop, or a pending one finishing): keep what was remembered before */
    if (!r && (err = remember(k, w, 0)) < 0)
      return err;
    snprintf(msg, sizeof msg, "at 0 (remembered %lld)", (long long)(r ? *r : 0));
  } else {
    if ((err = fo_kube_scale_set(k->client, plural, ns, name, 0)) < 0 || (err = remember(k, w, now)) < 0)
      return err;
    snprintf(msg, sizeof msg, "scaled to 0 (was %ld)", now);
  }
  return k->result(k->ud, "kubernetes", w, msg);
}

static int start_one(fo_qk_run *k, const char *w, const char *ns, const char *plural, const char *name) {
  char msg[64];
  int64_t *r = remembered(k, w);
  int err;
  if (!r)
    return k->result(k->ud, "kubernetes", w, "left as is (no remembered replicas)");
  if ((err = fo_kube_scale_set(k->client, plural, ns, name, (long)*r)) < 0)
    return err;
  snprintf(msg, sizeof msg, "scaled to %lld", (long long)*r);
  return k->result(k->ud, "kubernetes", w, msg);
}

int fo_qk_stop(fo_qk_run *k) {
  return each_workload(k, stop_one);
}

int fo_qk_start(fo_qk_run *k) {
  return each_workload(k, start_one);
}

int fo_qk_mark_pending(fo_qk_run *k, int (*has)(void *ud, const char *kind, const char *name)) {
  const char *ws[MAX_WORKLOADS];
  size_t n = workloads_of(k->planned, ws);
  int err = 0;
  for (size_t i = 0; i < n && err == 0; i++)
    if (!has(k->ud, "kubernetes", ws[i]))
      err = k->result(k->ud, "kubernetes", ws[i], "pending");
  return err;
}
