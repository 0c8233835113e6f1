/* libFuzzer target: the kubeconfig reader (YAML or JSON; contexts, clusters, users, exec plugins), resolving
 * the current context and a context named "b". */
#include <stddef.h>
#include <stdint.h>

#include "fo_kube_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fo_kube_config *c = NULL;
  if (fo_kube_config_parse(&c, (const char *)data, size, "fuzz.kubeconfig", "/nonexistent", NULL) == 0)
    fo_kube_config_free(c);
  c = NULL;
  if (fo_kube_config_parse(&c, (const char *)data, size, "fuzz.kubeconfig", NULL, "b") == 0)
    fo_kube_config_free(c);
  return 0;
}
