/* libFuzzer target: a Kubernetes LIST response page (fo_kube_list_parse) and its items as snapshot objects
 * (Secret values hashed, as the live collector adds them); the same bytes as an exec plugin's ExecCredential. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fo_audit_k8s.h"
#include "fo_kube_client.h"
#include "fo_kube_exec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fo_audit_snapshot *s = NULL;
  fo_audit_collect_ctx ctx = {.side = 0};
  fo_kube_exec_result ex;
  cJSON *items = NULL, *it;
  char *cont = NULL;

  if (fo_kube_list_parse(&items, &cont, (const char *)data, size, "fuzz page", fo_audit_k8s_parse_page) == 0 &&
      fo_audit_snapshot_new(&s, "primary", NULL, "us-east-1", NULL) == 0) {
    while ((it = cJSON_DetachItemFromArray(items, 0)) != NULL)
      if (fo_audit_k8s_add_object(&ctx, s, it, "kubernetes", NULL, 0) < 0)
        break;
  }
  fo_audit_snapshot_free(s);
  cJSON_Delete(items);
  free(cont);
  if (fo_kube_exec_parse(&ex, (const char *)data, size, "client.authentication.k8s.io/v1", "fuzz") == 0)
    fo_kube_exec_result_dispose(&ex);
  return 0;
}
