/* Credentials provider: credential_process (run a command in its own process group, read its JSON, kill the
 * group when it takes longer than the timeout). */
/* pipe2: an O_CLOEXEC pipe from the start, so a process another thread spawns meanwhile cannot inherit the
 * write end and keep this command's stdout open */
#define _GNU_SOURCE
#include "fo_aws_creds.h"
#include "fo_aws_creds_parse.h"
#include "fo_aws_creds_sts.h"
#include "fo_aws_enc.h"
#include "fo_aws_json.h"
#include "fo_buf.h"
#include "fo_err.h"

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

/* poll slices: how soon a cancelled call stops the command */
#define PROCESS_POLL_MS    200
#define PROCESS_OUTPUT_MAX (64 * 1024)
/* As the AWS SDKs: a credential_process gets one minute. */
#define PROCESS_TIMEOUT_DEFAULT_MS 60000L
#define PROCESS_TIMEOUT_MAX_S      3600L

extern char **environ;

typedef struct process_provider {
  fo_aws_creds_provider base;
  fo_aws_creds_ctx ctx;
  char *command;
  char source[64];
} process_provider;

/* FO_AWS_CREDENTIAL_PROCESS_TIMEOUT: whole seconds (1..3600), for tests and slow helpers; else one minute. */
static long process_timeout_ms(const fo_aws_creds_ctx *ctx) {
  const char *v = fo_aws_creds_env(ctx, "FO_AWS_CREDENTIAL_PROCESS_TIMEOUT");
  char *end = NULL;
  long n;
  if (!v)
    return PROCESS_TIMEOUT_DEFAULT_MS;
  errno = 0;
  n = strtol(v, &end, 10);
  if (errno || end == v || *end || n < 1 || n > PROCESS_TIMEOUT_MAX_S)
    return PROCESS_TIMEOUT_DEFAULT_MS;
  return n * 1000;
}

static long long mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Start `sh -c command` as the leader of a new process group with stdout on a pipe; *rfd is the read end. */
static int spawn(pid_t *pid, int *rfd, const char *command) {
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  sigset_t mask, dflt;
  char sh[] = "sh", dash_c[] = "-c";
  char *argv[] = {sh, dash_c, (char *)command, NULL};
  int fds[2], rc;

  if (pipe2(fds, O_CLOEXEC) != 0)
    return errno;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  posix_spawnattr_setpgroup(&attr, 0);
  /* the command starts with no signal blocked and default actions for the ones a server ignores or handles
   * (SIGPIPE is usually ignored, and that would be inherited across exec) */
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
  rc = posix_spawn(pid, "/bin/sh", &fa, &attr, argv, environ);
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

/* Read the process's stdout until EOF (every holder of the pipe closed it: the shell and anything it left
 * behind), the deadline or `cancel`. 1 on timeout, 0 at EOF, a negative fo_err (FO_ECANCELED) otherwise. */
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
    r = poll(&pfd, 1, left > PROCESS_POLL_MS ? PROCESS_POLL_MS : (int)left);
    if (r < 0 && errno != EINTR) {
      err = fo_err_set(FO_EIO, "poll: %s", strerror(errno));
      break;
    }
    if (r <= 0)
      continue;
    n = read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      err = fo_err_set(FO_EIO, "read: %s", strerror(errno));
      break;
    }
    if (n == 0 || (err = fo_buf_append(b, chunk, (size_t)n)) < 0)
      break;
  }
  fo_aws_wipe(chunk, sizeof(chunk));
  return err;
}

static int process_get(fo_aws_creds_provider *pp, const fo_cancel *cancel, fo_aws_credentials **out) {
  process_provider *p = (process_provider *)pp;
  long timeout_ms = process_timeout_ms(&p->ctx);
  fo_buf b = FO_BUF_INIT;
  long long deadline;
  pid_t pid, w = 0;
  int fd = -1, status = 0, rc, err;

  fo_buf_init(&b, PROCESS_OUTPUT_MAX);
  fflush(NULL);
  if ((rc = spawn(&pid, &fd, p->command)) != 0)
    return fo_err_set(FO_EIO, "%s: cannot run credential_process '%s': %s", p->source, p->command, strerror(rc));
  deadline = mono_ms() + timeout_ms;
  err = read_output(&b, fd, deadline, cancel);
  close(fd);
  /* stdout may close before the command ends (exec >&-): its exit is waited for within the same deadline */
  while (err == 0 && (w = waitpid(pid, &status, WNOHANG)) == 0) {
    if (mono_ms() >= deadline)
      err = 1;
    else if (fo_cancel_is_cancelled(cancel))
      err = fo_err_set(FO_ECANCELED, "cancelled: %s", fo_cancel_reason(cancel));
    else
      poll(NULL, 0, 20);
  }
  if (err != 0 || w < 0) {
    /* On a timeout or an error the whole group goes: a child the command left behind holding stdout too.
     * Done before reaping the leader, so the group id cannot have been reused. */
    if (err != 0)
      kill(-pid, SIGKILL);
    while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
      ;
  }
  if (err == 1) {
    err = fo_err_set(FO_ETIMEOUT, "%s: credential_process '%s' timed out after %ld s (killed with its process group)",
                     p->source, p->command, timeout_ms / 1000);
    goto done;
  }
  if (err < 0) {
    err = fo_err_wrap(err, "%s: credential_process output", p->source);
    goto done;
  }
  if (w != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    err = fo_err_set(FO_EIO, "%s: credential_process '%s' failed (exit status %d)", p->source, p->command,
                     w == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    goto done;
  }
  err = fo_aws_creds_process_parse(out, b.data ? b.data : "", b.len, p->source);
done:
  fo_buf_wipe(&b);
  return err;
}

int fo_aws_creds_process_parse(fo_aws_credentials **out, const char *data, size_t len, const char *source) {
  cJSON *doc = NULL, *ver;
  int err;

  *out = NULL;
  if ((err = fo_aws_json_parse(&doc, data, len)) < 0)
    return fo_err_wrap(err, "%s: credential_process output", source);
  ver = cJSON_GetObjectItemCaseSensitive(doc, "Version");
  if (!cJSON_IsNumber(ver) || ver->valuedouble != 1)
    err = fo_err_set(FO_EINVAL, "%s: credential_process output needs \"Version\": 1", source);
  else
    err = fo_aws_creds_from_json(out, doc, source);
  fo_aws_json_delete_wiped(doc);
  return err;
}

static void process_destroy(fo_aws_creds_provider *pp) {
  process_provider *p = (process_provider *)pp;
  free(p->command);
  free(p);
}

static const fo_aws_creds_vtable process_vt = {"process", process_get, process_destroy};

int fo_aws_creds_process_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx, const char *command,
                             const char *source) {
  process_provider *p;
  *out = NULL;
  if (!command || !*command)
    return fo_err_set(FO_EINVAL, "empty credential_process");
  if (!(p = calloc(1, sizeof(*p))) || !(p->command = strdup(command))) {
    free(p);
    return fo_err_oom();
  }
  p->base.vt = &process_vt;
  if (ctx)
    p->ctx = *ctx;
  snprintf(p->source, sizeof(p->source), "%s", source ? source : "process");
  *out = &p->base;
  return 0;
}
