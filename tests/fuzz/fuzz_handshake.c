/* libFuzzer target for the handshake inputs that come from outside the
 * process: PLUGIN_PROTOCOL_VERSIONS, PLUGIN_MIN/MAX_PORT, the handshake
 * fields, PLUGIN_CLIENT_CERT (PEM). Built with -DFO_FUZZ=ON as fuzz_handshake. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fo_base64.h"
#include "fo_buf.h"
#include "fo_handshake.h"
#include "fo_tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const int versions[] = {5, 6};
  static const char *const addrs[] = {"registry.terraform.io/failover/failover"};
  char *s = malloc(size + 1), *half;
  fo_buf b = FO_BUF_INIT;
  int lo, hi, v;
  if (!s)
    return 0;
  memcpy(s, data, size);
  s[size] = '\0';

  v = fo_handshake_negotiate(s, versions, 2, NULL);
  if (v != 5 && v != 6)
    abort();
  half = s + strlen(s) / 2;
  (void)fo_handshake_port_range(&lo, &hi, half, s);
  if (fo_handshake_port_range(&lo, &hi, s, NULL) == 0 && (lo < 0 || hi > 65535 || lo > hi))
    abort();
  (void)fo_base64_encode(&b, data, size, 0);
  fo_buf_clear(&b);
  (void)fo_handshake_line(&b, 6, "unix", s, s);
  fo_buf_clear(&b);
  (void)fo_handshake_reattach_json(&b, addrs, 1, 6, 1, "unix", s);
  {
    unsigned char *der = NULL;
    size_t dlen = 0;
    if (fo_tls_client_der(s, &der, &dlen) == 0) {
      if (!fo_tls_pem_is(s, strlen(s), der, dlen))
        abort(); /* a pinned certificate matches its own PEM */
      free(der);
    }
  }
  fo_buf_dispose(&b);
  free(s);
  return 0;
}
