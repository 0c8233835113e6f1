/* Listener address selection. gRPC core does the real bind; the TCP probe
 * only skips ports that are visibly taken so the scan does not make gRPC log
 * one bind error per occupied port. */
#include "fo_listen.h"

#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "fo_err.h"

const char *fo_listen_unix_dir(const char *socket_dir_env, const char *tmpdir_env) {
  if (socket_dir_env && *socket_dir_env)
    return socket_dir_env;
  if (tmpdir_env && *tmpdir_env)
    return tmpdir_env;
  return "/tmp";
}

int fo_listen_unix_path(fo_buf *out, const char *dir) {
  struct sockaddr_un sun;
  fo_buf tmpl = FO_BUF_INIT;
  int fd, error;
  size_t dl = strlen(dir);

  while (dl > 1 && dir[dl - 1] == '/')
    dl--;
  if (dl + sizeof "/pluginXXXXXX" > sizeof sun.sun_path)
    return fo_err_set(FO_ELIMIT, "socket directory '%s' is too long for a unix socket path", dir);
  if ((error = fo_buf_printf(&tmpl, "%.*s/pluginXXXXXX", (int)dl, dir)) < 0)
    goto done;
  if ((fd = mkstemp(tmpl.data)) < 0) {
    error = fo_err_set(FO_EIO, "cannot create a socket name in '%s': %s", dir, strerror(errno));
    goto done;
  }
  close(fd);
  unlink(tmpl.data);
  error = fo_buf_puts(out, tmpl.data);

done:
  fo_buf_dispose(&tmpl);
  return error;
}

int fo_listen_unix_group(const char *path, const char *group) {
  char *end;
  unsigned long gid = strtoul(group, &end, 10);
  if (*group == '\0' || *end != '\0') {
    struct group *g = getgrnam(group);
    if (!g)
      return fo_err_set(FO_EINVAL, "unknown group '%s' in 'PLUGIN_UNIX_SOCKET_GROUP'", group);
    gid = g->gr_gid;
  }
  if (chown(path, (uid_t)-1, (gid_t)gid) < 0 || chmod(path, 0660) < 0)
    return fo_err_set(FO_EIO, "cannot give socket '%s' to group '%s': %s", path, group, strerror(errno));
  return FO_OK;
}

int fo_listen_tcp_port_free(int port) {
  struct sockaddr_in sin;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), ok;
  if (fd < 0)
    return 0;
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_port = htons((unsigned short)port);
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ok = bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0;
  close(fd);
  return ok;
}
