/* fo_kube_exec: the exec credential plugin runner. The spawn/poll/kill pattern is the one of
 * common/aws/fo_aws_creds_process.c (credential_process), here with an argv and extra environment instead of
 * `sh -c`, and ExecCredential JSON instead of the AWS process format. */
/* pipe2: an O_CLOEXEC pipe from the start, so a process another thread spawns meanwhile cannot inherit the
 * write end and keep the plugin's stdout open */
#define _GNU_SOURCE
#include "fo_kube_exec.h"
#include "fo_err.h"
#include "fo_log.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POLL_MS       200 /* how soon a cancelled run stops the plugin */
#define TIMEOUT_MAX_S 3600L
#define MAX_ENV       4096

extern char **environ;

static long timeout_ms(void) {
  const char *v = getenv("FO_KUBE_EXEC_TIMEOUT");
  char *end = NULL;
  long n;
  if (!v)
    return FO_KUBE_EXEC_TIMEOUT_MS;
  errno = 0;
  n = strtol(v, &end, 10);
  if (errno || end == v || *end || n < 1 || n > TIMEOUT_MAX_S)
    return FO_KUBE_EXEC_TIMEOUT_MS;
  return n * 1000;
}

static long long mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int env_name_is(const char *entry, const char *const *names) {
  for (; *names; names++) {
    const char *eq = strchr(*names, '=');
    size_t n = eq ? (size_t)(eq - *names) : strlen(*names);
    if (!strncmp(entry, *names, n) && entry[n] == '=')
      return 1;
  }
  return 0;
}

/* The plugin's environment: ours, minus what the kubeconfig or KUBERNETES_EXEC_INFO set, plus those. The strings
 * are borrowed; only the array is allocated. */
static int build_env(char ***out, const fo_kube_exec_cfg *e, char *info) {
  size_t n = 0, k = 0, extra = 0;
  char **v;
  for (; environ && environ[n]; n++)
    ;
  for (; e->env && e->env[extra]; extra++)
    ;
  if (n + extra > MAX_ENV)
    return fo_err_set(FO_ELIMIT, "exec plugin: more than %d environment variables", MAX_ENV);
  if (!(v = calloc(n + extra + 2, sizeof *v)))
    return fo_err_oom();
  for (size_t i = 0; i < n; i++) {
    const char *own[] = {"KUBERNETES_EXEC_INFO", NULL};
    if (!env_name_is(environ[i], own) && !(e->env && env_name_is(environ[i], (const char *const *)e->env)))
      v[k++] = environ[i];
  }
  for (size_t i = 0; i < extra; i++)
    v[k++] = e->env[i];
  v[k++] = info;
  *out = v;
  return 0;
}

/* Start the plugin as the leader of a new process group, stdout on a pipe (*rfd the read end), stdin /dev/null. */
static int spawn(pid_t *pid, int *rfd, const fo_kube_exec_cfg *e, char **envp) {
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  sigset_t mask, dflt;
  int fds[2], rc;

  if (pipe2(fds, O_CLOEXEC) != 0)
    return errno;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawnattr_setpgroup(&attr, 0);
  sigemptyset(&mask);
  posix_spawnattr_setsigmask(&attr, &mask);
  sigemptyset(&dflt);
  sigaddset(&dflt, SIGPIPE);
  sigaddset(&dflt, SIGINT);
  sigaddset(&dflt, SIGTERM);
  sigaddset(&dflt, SIGHUP);
  sigaddset(&dflt, SIGQUIT);
  posix_spawnattr_setsigdefault(&attr, &dflt);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  rc = posix_spawnp(pid, e->argv[0], &fa, &attr, e->argv, envp);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return rc;
  }
  *rfd = fds[0];
  return 0;
}

/* Read stdout until EOF, the deadline or `cancel`: 1 on timeout, 0 at EOF, a negative fo_err otherwise. */
static int read_output(fo_buf *b, int fd, long long deadline, const fo_cancel *cancel) {
  char chunk[4096];
  int err = 0;
  for (;;) {
    struct pollfd pfd = {fd, POLLIN, 0};
    long long left = deadline - mono_ms();
    ssize_t n;
    int r;
    if (left <= 0) {
      err = 1;
      break;
    }
    if (fo_cancel_is_cancelled(cancel)) {
      err = fo_err_set(FO_ECANCELED, "cancelled: %s", fo_cancel_reason(cancel));
      break;
    }
    r = poll(&pfd, 1, left > POLL_MS ? POLL_MS : (int)left);
    if (r < 0 && errno != EINTR) {
      err = fo_err_set(FO_EIO, "poll: %s", strerror(errno));
      break;
    }
    if (r <= 0)
      continue;
    n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      err = fo_err_set(FO_EIO, "read: %s", strerror(errno));
      break;
    }
    if (n == 0)
      break;
    if ((err = fo_buf_append(b, chunk, (size_t)n)) < 0) {
      err = fo_err_set(err, "the output is larger than %u bytes", FO_KUBE_EXEC_OUTPUT_MAX);
      break;
    }
  }
  memset(chunk, 0, sizeof chunk);
  return err;
}

int fo_kube_exec_run(fo_kube_exec_result *out, const fo_kube_exec_cfg *e, const char *what, const fo_cancel *cancel) {
  static const char info_fmt[] =
      "KUBERNETES_EXEC_INFO={\"apiVersion\":\"%s\",\"kind\":\"ExecCredential\","
      "\"spec\":{\"interactive\":false}}";
  long tmo = timeout_ms();
  fo_buf b = FO_BUF_INIT, info = FO_BUF_INIT;
  char **envp = NULL;
  long long deadline;
  pid_t pid, w = 0;
  int fd = -1, status = 0, rc, err;

  memset(out, 0, sizeof *out);
  fo_buf_init(&b, FO_KUBE_EXEC_OUTPUT_MAX);
  if ((err = fo_buf_printf(&info, info_fmt, e->api_version)) < 0 || (err = build_env(&envp, e, info.data)) < 0)
    goto done;
  fflush(NULL);
  /* a path is checked here: where posix_spawn is fork+exec (valgrind, old libcs) a missing command would only
   * show as exit status 127 */
  if (strchr(e->argv[0], '/') && access(e->argv[0], X_OK) != 0)
    rc = errno;
  else
    rc = spawn(&pid, &fd, e, envp);
  if (rc != 0) {
    err = fo_err_set(FO_EIO, "%s: cannot run exec plugin '%s': %s%s%s", what, e->argv[0], strerror(rc),
                     e->install_hint ? ": " : "", e->install_hint ? e->install_hint : "");
    goto done;
  }
  FO_DEBUG("%s: running exec plugin '%s'", what, e->argv[0]);
  deadline = mono_ms() + tmo;
  err = read_output(&b, fd, deadline, cancel);
  close(fd);
  /* stdout may close before the plugin ends: its exit is waited for within the same deadline */
  while (err == 0 && (w = waitpid(pid, &status, WNOHANG)) == 0) {
    if (mono_ms() >= deadline)
      err = 1;
    else if (fo_cancel_is_cancelled(cancel))
      err = fo_err_set(FO_ECANCELED, "cancelled: %s", fo_cancel_reason(cancel));
    else
      poll(NULL, 0, 20);
  }
  if (err != 0 || w < 0) {
    /* the whole group goes, a child the plugin left holding stdout too; before reaping the leader, so the group
     * id cannot have been reused */
    if (err != 0)
      kill(-pid, SIGKILL);
    while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
      ;
  }
  if (err == 1) {
    err = fo_err_set(FO_ETIMEOUT, "%s: exec plugin '%s' timed out after %ld s (killed with its process group)", what,
                     e->argv[0], tmo / 1000);
    goto done;
  }
  if (err < 0) {
    err = fo_err_wrap(err, "%s: exec plugin '%s'", what, e->argv[0]);
    goto done;
  }
  if (w != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    int code = w == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    err = fo_err_set(FO_EIO, "%s: exec plugin '%s' failed (exit status %d%s)%s%s", what, e->argv[0], code,
                     code == 127 ? ": command not found" : "", code == 127 && e->install_hint ? ": " : "",
                     code == 127 && e->install_hint ? e->install_hint : "");
    goto done;
  }
  if ((err = fo_kube_exec_parse(out, b.data ? b.data : "", b.len, e->api_version, what)) == 0 && out->token)
    fo_log_add_secret(out->token);
done:
  free(envp);
  fo_buf_dispose(&info);
  fo_buf_wipe(&b);
  return err;
}

static void wipe_json(cJSON *v) {
  for (cJSON *c = v ? v->child : NULL; c; c = c->next)
    wipe_json(c);
  if (v && v->valuestring)
    memset(v->valuestring, 0, strlen(v->valuestring));
}

static int copy_pem(fo_buf *out, const cJSON *v) {
  fo_buf_init(out, FO_KUBE_EXEC_OUTPUT_MAX);
  return fo_buf_puts(out, v->valuestring);
}

int fo_kube_exec_parse(fo_kube_exec_result *out, const char *data, size_t len, const char *api_version,
                       const char *what) {
  cJSON *doc = NULL, *st, *tok, *cert, *key;
  const cJSON *av, *kind;
  int err = 0;

  memset(out, 0, sizeof *out);
  if (len > FO_KUBE_EXEC_OUTPUT_MAX)
    return fo_err_set(FO_ELIMIT, "%s: exec plugin output is larger than %u bytes", what, FO_KUBE_EXEC_OUTPUT_MAX);
  if (!(doc = cJSON_ParseWithLength(data, len)) || !cJSON_IsObject(doc)) {
    err = fo_err_set(FO_EINVAL, "%s: exec plugin output is not an ExecCredential JSON object", what);
    goto done;
  }
  av = cJSON_GetObjectItemCaseSensitive(doc, "apiVersion");
  kind = cJSON_GetObjectItemCaseSensitive(doc, "kind");
  if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "ExecCredential") != 0) {
    err = fo_err_set(FO_EINVAL, "%s: exec plugin output has no \"kind\": \"ExecCredential\"", what);
    goto done;
  }
  if (!cJSON_IsString(av) || strcmp(av->valuestring, api_version) != 0) {
    err = fo_err_set(FO_EINVAL, "%s: exec plugin output has apiVersion '%.80s', the kubeconfig asks for '%s'", what,
                     cJSON_IsString(av) ? av->valuestring : "", api_version);
    goto done;
  }
  st = cJSON_GetObjectItemCaseSensitive(doc, "status");
  tok = cJSON_GetObjectItemCaseSensitive(st, "token");
  cert = cJSON_GetObjectItemCaseSensitive(st, "clientCertificateData");
  key = cJSON_GetObjectItemCaseSensitive(st, "clientKeyData");
  if ((tok && !cJSON_IsString(tok)) || (cert && !cJSON_IsString(cert)) || (key && !cJSON_IsString(key))) {
    err = fo_err_set(FO_EINVAL, "%s: exec plugin output: status fields must be strings", what);
    goto done;
  }
  if (cJSON_IsString(tok) && *tok->valuestring) {
    if (strpbrk(tok->valuestring, "\r\n")) {
      err = fo_err_set(FO_EINVAL, "%s: exec plugin output: the token holds a line break", what);
      goto done;
    }
    if (!(out->token = strdup(tok->valuestring))) {
      err = fo_err_oom();
      goto done;
    }
  }
  if (!cert != !key || (cert && (!*cert->valuestring || !*key->valuestring))) {
    err = fo_err_set(FO_EINVAL, "%s: exec plugin output: clientCertificateData and clientKeyData go together", what);
    goto done;
  }
  if (cert && ((err = copy_pem(&out->cert, cert)) < 0 || (err = copy_pem(&out->key, key)) < 0))
    goto done;
  if (!out->token && !out->cert.len)
    err = fo_err_set(FO_EINVAL, "%s: exec plugin output has neither status.token nor a client certificate", what);
done:
  wipe_json(doc);
  cJSON_Delete(doc);
  if (err < 0)
    fo_kube_exec_result_dispose(out);
  return err;
}

void fo_kube_exec_result_dispose(fo_kube_exec_result *r) {
  if (!r)
    return;
  if (r->token) {
    memset(r->token, 0, strlen(r->token));
    free(r->token);
    r->token = NULL;
  }
  fo_buf_wipe(&r->cert);
  fo_buf_wipe(&r->key);
}
