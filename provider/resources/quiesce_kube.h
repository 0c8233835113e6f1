/* quiesce_kube: the Kubernetes part of failover_quiesce: the `kubernetes` block, workloads scaled to 0 on stop
 * with their replicas remembered in `kubernetes_replicas`, and restored on start. quiesce.c drives the order. */
#ifndef FO_QUIESCE_KUBE_H
#define FO_QUIESCE_KUBE_H

#include "fo_kube_client.h"
#include "fo_kube_config.h"
#include "fo_resources.h"

/* The `kubernetes` block (kubeconfig, context, workloads). */
extern const fo_block fo_qk_block;

/* Plan-time checks of the block's workloads (attribute paths under kubernetes.workloads). Returns 1 when the
 * block names at least one workload or its list is unknown (a target for "Nothing to quiesce"), else 0. */
int fo_qk_validate(fo_call *c, const fo_cty_value *config);

/* Records one target's outcome under results["kubernetes/<ns>/<kind>/<name>"]. */
typedef int (*fo_qk_result_fn)(void *ud, const char *kind, const char *name, const char *value);

/* One apply's Kubernetes run. Zero it, set the inputs, call stop/start, then fo_qk_replicas and fo_qk_dispose. */
typedef struct fo_qk_run {
  /* inputs (borrowed) */
  fo_call *c;
  const fo_cty_value *planned, *prior;
  long call_timeout_ms;
  fo_qk_result_fn result;
  void *ud;
  /* private */
  fo_kube_config *cfg;
  fo_kube_client *client;
  size_t n;
  char *keys[100];
  int64_t replicas[100];
  int loaded;
} fo_qk_run;

/* Scale every workload to 0, remembering its replicas (an already-stopped workload keeps the count remembered
 * before). FO_EIO when the cluster does not answer or refuses (HTTP 4xx/5xx, named), FO_EINVAL for a bad
 * kubeconfig. No `kubernetes` block: 0. */
int fo_qk_stop(fo_qk_run *k);
/* Scale every workload back to its remembered replicas (none remembered: left as is). */
int fo_qk_start(fo_qk_run *k);
/* results["kubernetes/..."] = "pending" for every workload without a result yet (`has` says which have one). */
int fo_qk_mark_pending(fo_qk_run *k, int (*has)(void *ud, const char *kind, const char *name));
/* The map(number) for `kubernetes_replicas` (new reference; an empty map without workloads). NULL on OOM. */
fo_cty_value *fo_qk_replicas(fo_qk_run *k);
void fo_qk_dispose(fo_qk_run *k);

#endif
