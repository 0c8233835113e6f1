/* fo_aws_wait: poll until done with a backed-off interval, on an injected
 * clock, under a token; see fo_aws_wait.h. */
#include "fo_aws_wait.h"

#include <stdio.h>
#include <string.h>

#include "fo_err.h"
#include "fo_log.h"

#define WAIT_STATUS_MAX 128

void fo_aws_wait_format_duration(char out[32], long ms) {
  long s = ms > 0 ? ms / 1000 : 0;
  long h = s / 3600, m = (s % 3600) / 60;
  s %= 60;
  if (h)
    snprintf(out, 32, "%ldh%ldm%lds", h, m, s);
  else if (m)
    snprintf(out, 32, "%ldm%lds", m, s);
  else
    snprintf(out, 32, "%lds", s);
}

int fo_aws_wait(const fo_aws_wait_opts *o, fo_aws_poll_fn poll, void *ud) {
  const char *what = o->what && *o->what ? o->what : "an AWS operation";
  long interval = o->interval_ms > 0 ? o->interval_ms : 2000;
  long cap = o->max_interval_ms > 0 ? o->max_interval_ms : 30000;
  double backoff = o->backoff > 0 ? o->backoff : 1.5;
  long every = o->progress_every_ms > 0 ? o->progress_every_ms : 10000;
  int64_t start = fo_clock_mono_ms(o->clock), last_progress = start;
  char status[WAIT_STATUS_MAX] = "", took[32];
  int err;

  if (interval > cap)
    interval = cap;
  for (;;) {
    int done = 0;
    int64_t elapsed;
    long sleep_ms;

    if (fo_cancel_is_cancelled(o->cancel))
      return fo_err_set(FO_ECANCELED, "cancelled while waiting for %s: %s", what, fo_cancel_reason(o->cancel));
    status[0] = '\0';
    if ((err = poll(ud, &done, status, sizeof(status))) < 0)
      return err; /* the poll named what failed */
    status[sizeof(status) - 1] = '\0';
    if (done)
      return FO_OK;

    elapsed = fo_clock_mono_ms(o->clock) - start;
    if (o->timeout_ms > 0 && elapsed >= o->timeout_ms) {
      fo_aws_wait_format_duration(took, (long)elapsed);
      return fo_err_set(FO_ETIMEOUT, "timed out after %s waiting for %s (last status: %s)", took, what,
                        status[0] ? status : "unknown");
    }
    if (start + elapsed - last_progress >= every) {
      fo_aws_wait_format_duration(took, (long)elapsed);
      FO_INFO("still waiting for %s: %s (%s)", what, status[0] ? status : "unknown", took);
      last_progress = start + elapsed;
    }
    sleep_ms = interval;
    if (o->timeout_ms > 0 && elapsed + sleep_ms > o->timeout_ms)
      sleep_ms = (long)(o->timeout_ms - elapsed);
    if (fo_clock_sleep_ms(o->clock, sleep_ms, o->cancel) < 0)
      return fo_err_set(FO_ECANCELED, "cancelled while waiting for %s: %s", what, fo_cancel_reason(o->cancel));
    if ((double)interval * backoff >= (double)cap)
      interval = cap;
    else
      interval = (long)((double)interval * backoff);
  }
}
