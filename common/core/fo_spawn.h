/* fo_spawn: run a helper command (credential_process, a kubeconfig exec plugin) in its own process group, read
 * its stdout within a deadline, and kill the whole group when it overstays or the caller cancels. */
#ifndef FO_SPAWN_H
#define FO_SPAWN_H

#include <stddef.h>

#include "fo_buf.h"
#include "fo_cancel.h"

typedef struct fo_spawn_opts {
  const char *file;  /* the program; looked up in PATH unless it holds a '/' */
  char *const *argv; /* argv[0] included, NULL-terminated */
  char *const *envp; /* NULL: this process's environment */
  int stdin_null;    /* 1: stdin from /dev/null (else inherited) */
  long timeout_ms;   /* for the whole run: output and exit */
  size_t output_max; /* stdout beyond this fails with FO_ELIMIT */
  const fo_cancel *cancel;
} fo_spawn_opts;

typedef struct fo_spawn_result {
  int exit_status; /* the exit code, or -1 when killed or not exited normally */
  int spawn_errno; /* set (with FO_EIO returned) when the command could not be started at all */
} fo_spawn_result;

/* Run the command; its stdout goes to `out` (initialised here with output_max; the caller wipes or disposes
 * it). 0 when it ran to its end (whatever its exit status); FO_ETIMEOUT (no message: the caller names the
 * command) when it overstayed and was killed with its group; FO_ECANCELED, FO_ELIMIT, FO_EIO with a message; FO_EIO
 * with res->spawn_errno set and no message when it could not be started. Wait-status 127 from a shell means
 * "command not found". */
int fo_spawn_run(fo_buf *out, fo_spawn_result *res, const fo_spawn_opts *o);

#endif
