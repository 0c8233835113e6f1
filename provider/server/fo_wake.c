/* The wake thread: poll(2) on a signalfd for the stop signals and an eventfd
 * that fo_wake_stop writes; the poll timeout doubles as the parent check.
 * A thread of its own because gRPC core offers no way to wake a completion
 * queue from a signal handler. */
#include "fo_wake.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "fo_err.h"

struct fo_wake {
  pthread_t thread;
  int sigfd, quitfd, watch_parent;
  pid_t parent;
  fo_wake_fn fn;
  void *arg;
};

static void *fo_wake_main(void *p) {
  fo_wake *w = p;
  int parent_reported = 0;
  for (;;) {
    struct pollfd fds[2] = {{.fd = w->quitfd, .events = POLLIN}, {.fd = w->sigfd, .events = POLLIN}};
    int n = poll(fds, w->sigfd >= 0 ? 2 : 1, w->watch_parent ? FO_WAKE_PARENT_MS : -1);
    if (n < 0 && errno != EINTR)
      break;
    if (fds[0].revents)
      break; /* fo_wake_stop */
    if (w->sigfd >= 0 && fds[1].revents) {
      struct signalfd_siginfo si;
      while (read(w->sigfd, &si, sizeof si) == (ssize_t)sizeof si)
        w->fn(w->arg, FO_WAKE_SIGNAL);
    }
    if (w->watch_parent && !parent_reported && getppid() != w->parent) {
      parent_reported = 1;
      w->fn(w->arg, FO_WAKE_PARENT);
    }
  }
  return NULL;
}

int fo_wake_start(fo_wake **out, const sigset_t *signals, int watch_parent, fo_wake_fn fn, void *arg) {
  fo_wake *w;
  sigset_t all, old;
  int rc;
  pthread_attr_t attr;
  if (!(w = calloc(1, sizeof *w)))
    return fo_err_oom();
  w->sigfd = -1;
  w->fn = fn;
  w->arg = arg;
  w->watch_parent = watch_parent;
  w->parent = getppid();
  if ((w->quitfd = eventfd(0, EFD_CLOEXEC)) < 0 ||
      (signals && (w->sigfd = signalfd(-1, signals, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)) {
    rc = fo_err_set(FO_ERR, "cannot set up the signal watch: %s", strerror(errno));
    goto fail;
  }
  /* it needs little stack; every signal stays blocked in it */
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  rc = pthread_create(&w->thread, &attr, fo_wake_main, w);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    rc = fo_err_set(FO_ERR, "cannot start the signal watch thread: %s", strerror(rc));
    goto fail;
  }
  *out = w;
  return FO_OK;

fail:
  if (w->quitfd >= 0)
    close(w->quitfd);
  if (w->sigfd >= 0)
    close(w->sigfd);
  free(w);
  return rc;
}

void fo_wake_stop(fo_wake *w) {
  uint64_t one = 1;
  if (!w)
    return;
  while (write(w->quitfd, &one, sizeof one) < 0 && errno == EINTR)
    ;
  pthread_join(w->thread, NULL);
  close(w->quitfd);
  if (w->sigfd >= 0)
    close(w->sigfd);
  free(w);
}
