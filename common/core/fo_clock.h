/* fo_clock: the injected clock and sleep every wait and timestamp goes
 * through, so tests run waits in virtual time and resources never read the clock directly. */
#ifndef FO_CLOCK_H
#define FO_CLOCK_H

#include <stdint.h>
#include <time.h>

#include "fo_cancel.h"

/* A clock is a small table of functions; the system clock is a static one
 * (fo_clock_system()). Tests build their own (fo_clock_virtual_*). Borrowed
 * everywhere: whoever creates a clock keeps it alive while it is in use. */
typedef struct fo_clock {
  /* Monotonic milliseconds (for intervals and deadlines). */
  int64_t (*mono_ms)(void *ud);
  /* Wall-clock seconds since the epoch (for timestamps users see). */
  time_t (*wall)(void *ud);
  /* Sleep `ms` unless `cancel` fires first: 0, or FO_ECANCELED. */
  int (*sleep_ms)(void *ud, long ms, const fo_cancel *cancel);
  void *ud;
} fo_clock;

/* The real clock: CLOCK_MONOTONIC, time(), fo_cancel_sleep_ms. Static. */
const fo_clock *fo_clock_system(void);

/* Convenience wrappers; a NULL clock means the system clock. */
int64_t fo_clock_mono_ms(const fo_clock *c);
time_t fo_clock_wall(const fo_clock *c);
int fo_clock_sleep_ms(const fo_clock *c, long ms, const fo_cancel *cancel);
/* RFC 3339 UTC ("2026-11-25T17:00:00Z") of the clock's wall time into out[21]. */
void fo_clock_rfc3339(const fo_clock *c, char out[21]);

/* A virtual clock for tests: sleeping advances it instantly (and returns
 * FO_ECANCELED when the token is already cancelled). Caller storage. */
typedef struct fo_clock_virtual {
  fo_clock clock;  /* pass &v.clock */
  int64_t mono_ms; /* starts at FO_CLOCK_VIRTUAL_MONO0; tests may advance it */
  time_t wall;     /* wall time at the start; the clock reads wall + elapsed */
  long slept_ms;   /* total slept, for assertions */
  long sleeps;     /* number of sleeps */
} fo_clock_virtual;

#define FO_CLOCK_VIRTUAL_MONO0 1000000

void fo_clock_virtual_init(fo_clock_virtual *v, time_t wall_start);

#endif
