/* fo_kube_exec: runs a kubeconfig exec credential plugin (client.authentication.k8s.io/v1, the `aws eks
 * get-token` style) with a timeout, in its own process group, and reads the ExecCredential it prints. */
#ifndef FO_KUBE_EXEC_H
#define FO_KUBE_EXEC_H

#include <stddef.h>

#include "fo_buf.h"
#include "fo_cancel.h"
#include "fo_kube_config.h"

#define FO_KUBE_EXEC_OUTPUT_MAX (1u << 20)
#define FO_KUBE_EXEC_TIMEOUT_MS 60000L

/* What the plugin returned: a bearer token, or a client certificate and key (PEM), or both. Caller storage:
 * zero it before use, release with fo_kube_exec_result_dispose (wipes it). */
typedef struct fo_kube_exec_result {
  char *token;
  fo_buf cert, key;
} fo_kube_exec_result;

/* Run the plugin (stdin /dev/null, stderr passed through as kubectl does, KUBERNETES_EXEC_INFO set) and parse
 * its output. `what` names the source in messages ("kubernetes (context ctx-a)"). The timeout is
 * FO_KUBE_EXEC_TIMEOUT seconds (1..3600) from the environment, else one minute; on a timeout or `cancel` the
 * plugin's process group is killed. FO_EIO (cannot be run, failed), FO_ETIMEOUT, FO_ECANCELED, FO_EINVAL (bad
 * output). The token is registered with the log redactor (fo_kube_exec_parse alone does not). */
int fo_kube_exec_run(fo_kube_exec_result *out, const fo_kube_exec_cfg *e, const char *what, const fo_cancel *cancel);

/* Parse an ExecCredential (the plugin's stdout) of apiVersion `api_version`. Exposed for fuzzing and tests. */
int fo_kube_exec_parse(fo_kube_exec_result *out, const char *data, size_t len, const char *api_version,
                       const char *what);

void fo_kube_exec_result_dispose(fo_kube_exec_result *r);

#endif
