/* go-plugin handshake pieces: kept free of getenv/stdout so they can be unit
 * tested and fuzzed; fo_plugin.c feeds them the environment. */
#include "fo_handshake.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fo_err.h"

const char fo_handshake_not_a_program[] =
    "This binary is a plugin (terraform-provider-failover). It is not meant to be executed "
    "directly: it is started by Terraform or OpenTofu, which talk to it over gRPC. Run terraform "
    "or tofu with a configuration that uses the failover/failover provider instead, or start it "
    "with --debug to serve it for a debugger and attach with TF_REATTACH_PROVIDERS (see --help).\n";

int fo_handshake_cookie_ok(const char *value) {
  return value != NULL && strcmp(value, FO_HANDSHAKE_COOKIE_VALUE) == 0;
}

/* Parse a whole decimal integer in [lo, hi] from s[0..len) (no sign, no blanks
 * other than what go-plugin would reject too). Returns 0 on success. */
static int fo_handshake_parse_int(const char *s, size_t len, long lo, long hi, long *out) {
  long v = 0;
  if (len == 0 || len > 9)
    return -1;
  for (size_t i = 0; i < len; i++) {
    if (!isdigit((unsigned char)s[i]))
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  if (v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

int fo_handshake_negotiate(const char *client_versions, const int *supported, size_t n, int *bad_out) {
  int lowest = supported[0], best = -1, bad = 0;
  for (size_t i = 1; i < n; i++)
    if (supported[i] < lowest)
      lowest = supported[i];
  if (client_versions) {
    const char *p = client_versions;
    for (;;) {
      const char *end = strchr(p, ',');
      size_t len = end ? (size_t)(end - p) : strlen(p);
      long v;
      if (fo_handshake_parse_int(p, len, 0, INT_MAX, &v) < 0) {
        if (len > 0 || end)
          bad++;
      } else {
        for (size_t i = 0; i < n; i++)
          if (supported[i] == v && v > best)
            best = (int)v;
      }
      if (!end)
        break;
      p = end + 1;
    }
  }
  if (bad_out)
    *bad_out = bad;
  return best >= 0 ? best : lowest;
}

static int fo_handshake_port_one(long *out, const char *s, const char *name) {
  if (!s || !*s)
    return 1; /* unset */
  if (fo_handshake_parse_int(s, strlen(s), 0, 65535, out) < 0)
    return fo_err_set(FO_EINVAL, "invalid '%s' value '%.32s': expected a port number 0..65535", name, s);
  return 0;
}

int fo_handshake_port_range(int *min_out, int *max_out, const char *min_s, const char *max_s) {
  long lo = 0, hi = 0;
  int rlo, rhi;
  if ((rlo = fo_handshake_port_one(&lo, min_s, "PLUGIN_MIN_PORT")) < 0)
    return rlo;
  if ((rhi = fo_handshake_port_one(&hi, max_s, "PLUGIN_MAX_PORT")) < 0)
    return rhi;
  if (rlo == 1 && rhi == 0)
    lo = hi;
  if (rhi == 1 && rlo == 0)
    hi = lo;
  if (lo > hi)
    return fo_err_set(FO_EINVAL, "invalid port range: 'PLUGIN_MIN_PORT' %ld is above 'PLUGIN_MAX_PORT' %ld", lo, hi);
  *min_out = (int)lo;
  *max_out = (int)hi;
  return FO_OK;
}

static int fo_handshake_field_ok(const char *s, const char *name) {
  if (s && strpbrk(s, "|\r\n"))
    return fo_err_set(FO_EINVAL, "handshake field '%s' contains '|' or a newline", name);
  return FO_OK;
}

int fo_handshake_line(fo_buf *out, int app_version, const char *network, const char *address, const char *cert_b64) {
  int err;
  if ((err = fo_handshake_field_ok(network, "network")) < 0 || (err = fo_handshake_field_ok(address, "address")) < 0 ||
      (err = fo_handshake_field_ok(cert_b64, "certificate")) < 0)
    return err;
  return fo_buf_printf(out, "%d|%d|%s|%s|grpc|%s\n", FO_HANDSHAKE_CORE_VERSION, app_version, network, address,
                       cert_b64 ? cert_b64 : "");
}

static int fo_handshake_json_str(fo_buf *out, const char *s) {
  int err = fo_buf_puts(out, "\"");
  for (const unsigned char *p = (const unsigned char *)s; err == 0 && *p; p++) {
    if (*p == '"' || *p == '\\')
      err = fo_buf_printf(out, "\\%c", *p);
    else if (*p < 0x20)
      err = fo_buf_printf(out, "\\u%04x", *p);
    else
      err = fo_buf_append(out, p, 1);
  }
  return err < 0 ? err : fo_buf_puts(out, "\"");
}

int fo_handshake_reattach_json(fo_buf *out, const char *const *addresses, size_t n, int app_version, long pid,
                               const char *network, const char *address) {
  int err = fo_buf_puts(out, "{");
  for (size_t i = 0; err == 0 && i < n; i++) {
    if (i > 0 && (err = fo_buf_puts(out, ",")) < 0)
      break;
    if ((err = fo_handshake_json_str(out, addresses[i])) < 0 ||
        (err = fo_buf_printf(out,
                             ":{\"Protocol\":\"grpc\",\"ProtocolVersion\":%d,\"Pid\":%ld,"
                             "\"Test\":true,\"Addr\":{\"Network\":",
                             app_version, pid)) < 0 ||
        (err = fo_handshake_json_str(out, network)) < 0 || (err = fo_buf_puts(out, ",\"String\":")) < 0 ||
        (err = fo_handshake_json_str(out, address)) < 0 || (err = fo_buf_puts(out, "}}")) < 0)
      break;
  }
  return err < 0 ? err : fo_buf_puts(out, "}");
}
