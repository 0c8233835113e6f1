/* fo_aws_wait: the one waiter for "until AWS says it is done" (a Route53
 * change INSYNC, a node group ACTIVE): poll, back off, time out, cancel, log progress. */
#ifndef FO_AWS_WAIT_H
#define FO_AWS_WAIT_H

#include <stddef.h>

#include "fo_cancel.h"
#include "fo_clock.h"

/* One poll: set *done = 1 when finished; write a short status ("PENDING", "3/6 nodes ready") for progress
 * lines and the timeout message; return a negative fo_err to abort the wait with that error. */
typedef int (*fo_aws_poll_fn)(void *ud, int *done, char *status, size_t status_len);

typedef struct fo_aws_wait_opts {
  const char *what;        /* "Route53 change C123 to be INSYNC": used in progress lines and errors */
  long interval_ms;        /* first interval; 0: 2000 */
  long max_interval_ms;    /* backoff cap; 0: 30000 */
  double backoff;          /* interval multiplier; 0: 1.5 */
  long timeout_ms;         /* 0: none besides the token's deadline */
  long progress_every_ms;  /* 0: 10000; an info log line "still waiting for <what>: <status> (<elapsed>)" */
  const fo_clock *clock;   /* NULL: system */
  const fo_cancel *cancel; /* NULL: never cancelled */
} fo_aws_wait_opts;

/* FO_OK when done; FO_ETIMEOUT ("timed out after 10m0s waiting for <what> (last status: <status>)");
 * FO_ECANCELED; or the poll's own error. Polls once at once, then sleeps.
 * The last sleep is shortened so one poll happens right at the timeout. */
int fo_aws_wait(const fo_aws_wait_opts *o, fo_aws_poll_fn poll, void *ud);

/* `ms` as Go prints a duration, to the second ("10m0s", "1h2m3s", "45s"; "0s"
 * under a second), into out[32]. For messages about waits. */
void fo_aws_wait_format_duration(char out[32], long ms);

#endif
