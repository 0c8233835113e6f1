/* fo_listen: choosing where the plugin listens: a fresh unix socket path (as
 * go-plugin does) or a free loopback TCP port from PLUGIN_MIN_PORT..PLUGIN_MAX_PORT. */
#ifndef FO_LISTEN_H
#define FO_LISTEN_H

#include "fo_buf.h"

/* Append a fresh, unused socket path "<dir>/pluginXXXXXX" to `out` (the name
 * is reserved with mkstemp and removed again so the server can bind it).
 * FO_ELIMIT when the path would not fit a unix socket address. */
int fo_listen_unix_path(fo_buf *out, const char *dir);

/* The directory for the socket: PLUGIN_UNIX_SOCKET_DIR, else TMPDIR, else /tmp
 * (values passed in, so this stays testable). */
const char *fo_listen_unix_dir(const char *socket_dir_env, const char *tmpdir_env);

/* Give `group` (name or numeric gid, PLUGIN_UNIX_SOCKET_GROUP) the socket,
 * mode 0660, as go-plugin does. */
int fo_listen_unix_group(const char *path, const char *group);

/* 1 when 127.0.0.1:`port` can be bound right now (no SO_REUSEADDR/PORT), else 0. */
int fo_listen_tcp_port_free(int port);

#endif
