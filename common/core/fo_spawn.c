/* fo_spawn: posix_spawn in a new process group, stdout through an O_CLOEXEC pipe, poll with a deadline and the
 * caller's token, SIGKILL to the group on timeout or cancellation. */
/* pipe2: an O_CLOEXEC pipe from the start, so a process another thread spawns meanwhile cannot inherit the
 * write end and keep this command's stdout open */
#define _GNU_SOURCE
#include "fo_spawn.h"
#include "fo_err.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* poll slices: how soon a cancelled run stops the command */
#define SPAWN_POLL_MS 200

extern char **environ;

static long long mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Start the command as the leader of a new process group with stdout on a pipe; *rfd is the read end. An errno
 * value when it cannot be started. */
static int start(pid_t *pid, int *rfd, const fo_spawn_opts *o) {
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  sigset_t mask, dflt;
  int fds[2], rc;

  /* a path is checked here: where posix_spawn is fork+exec (valgrind, old libcs) a missing command would only
   * show as exit status 127 */
  if (strchr(o->file, '/') && access(o->file, X_OK) != 0)
    return errno;
  if (pipe2(fds, O_CLOEXEC) != 0)
    return errno;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  if (o->stdin_null)
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
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
  rc = posix_spawnp(pid, o->file, &fa, &attr, o->argv, o->envp ? o->envp : environ);
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

/* Read stdout until EOF (every holder of the pipe closed it: the command and anything it left behind), the
 * deadline or the token. 1 on timeout, 0 at EOF, a negative fo_err otherwise. */
static int read_output(fo_buf *b, int fd, long long deadline, const fo_spawn_opts *o) {
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
    if (fo_cancel_is_cancelled(o->cancel)) {
      err = fo_err_set(FO_ECANCELED, "cancelled: %s", fo_cancel_reason(o->cancel));
      break;
    }
    r = poll(&pfd, 1, left > SPAWN_POLL_MS ? SPAWN_POLL_MS : (int)left);
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
      if (err == FO_ELIMIT)
        err = fo_err_set(FO_ELIMIT, "the output is larger than %zu bytes", o->output_max);
      break;
    }
  }
  /* the output may be a secret (credentials, tokens) */
  explicit_bzero(chunk, sizeof chunk);
  return err;
}

int fo_spawn_run(fo_buf *out, fo_spawn_result *res, const fo_spawn_opts *o) {
  long long deadline;
  pid_t pid, w = 0;
  int fd = -1, status = 0, rc, err;

  fo_buf_init(out, o->output_max);
  res->exit_status = -1;
  res->spawn_errno = 0;
  fflush(NULL);
  if ((rc = start(&pid, &fd, o)) != 0) {
    res->spawn_errno = rc;
    return FO_EIO;
  }
  deadline = mono_ms() + o->timeout_ms;
  err = read_output(out, fd, deadline, o);
  close(fd);
  /* stdout may close before the command ends (exec >&-): its exit is waited for within the same deadline */
  while (err == 0 && (w = waitpid(pid, &status, WNOHANG)) == 0) {
    if (mono_ms() >= deadline)
      err = 1;
    else if (fo_cancel_is_cancelled(o->cancel))
      err = fo_err_set(FO_ECANCELED, "cancelled: %s", fo_cancel_reason(o->cancel));
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
  if (err == 1)
    return FO_ETIMEOUT;
  if (err < 0)
    return err;
  res->exit_status = w == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return 0;
}
