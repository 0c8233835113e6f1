/* fo_handshake: the pure pieces of go-plugin's process handshake (magic cookie,
 * protocol-version choice, port range, the stdout line, the reattach value); no I/O. */
#ifndef FO_HANDSHAKE_H
#define FO_HANDSHAKE_H

#include <stddef.h>

#include "fo_buf.h"

/* The magic cookie Terraform and OpenTofu put in TF_PLUGIN_MAGIC_COOKIE. */
#define FO_HANDSHAKE_COOKIE_KEY   "TF_PLUGIN_MAGIC_COOKIE"
#define FO_HANDSHAKE_COOKIE_VALUE "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

/* go-plugin's own protocol version, always 1. */
#define FO_HANDSHAKE_CORE_VERSION 1

/* What a user sees when starting the binary by hand (no cookie). */
extern const char fo_handshake_not_a_program[];

/* 1 when `value` (the environment value, NULL when unset) is the cookie. */
int fo_handshake_cookie_ok(const char *value);

/* Choose the app protocol version as go-plugin's server does: the highest
 * entry of the comma-separated `client_versions` (PLUGIN_PROTOCOL_VERSIONS,
 * NULL when unset) that is in `supported`; when there is none (or the list is
 * empty), the lowest supported version, so the client reports the mismatch.
 * Entries that are not decimal integers are skipped and counted in
 * `*bad_out` (may be NULL). `supported` has n > 0 entries. */
int fo_handshake_negotiate(const char *client_versions, const int *supported, size_t n, int *bad_out);

/* Parse PLUGIN_MIN_PORT / PLUGIN_MAX_PORT (NULL or "" = unset). Both unset
 * gives 0..0 (an ephemeral port). One unset takes the other's value. Errors
 * (FO_EINVAL, message naming the variable) on non-numbers, values outside
 * 0..65535, or min > max. */
int fo_handshake_port_range(int *min_out, int *max_out, const char *min_s, const char *max_s);

/* The handshake line "1|<app>|<network>|<address>|grpc|<cert>\n" appended to
 * `out`. `cert_b64` may be NULL or "" (plaintext). Fails with FO_EINVAL if a
 * field contains '|' or a newline. */
int fo_handshake_line(fo_buf *out, int app_version, const char *network, const char *address, const char *cert_b64);

/* The TF_REATTACH_PROVIDERS JSON object for `addresses` (n source addresses
 * such as "registry.terraform.io/failover/failover"), Test:true, appended to `out`. */
int fo_handshake_reattach_json(fo_buf *out, const char *const *addresses, size_t n, int app_version, long pid,
                               const char *network, const char *address);

#endif
