/* fo_wake: the thread that turns stop signals and the parent's exit into a
 * callback at once, so the server loop can block on its queue without polling. */
#ifndef FO_WAKE_H
#define FO_WAKE_H

#include <signal.h>

typedef struct fo_wake fo_wake;

typedef enum {
  FO_WAKE_SIGNAL = 1, /* one of the stop signals arrived */
  FO_WAKE_PARENT = 2  /* the parent process exited (we were reparented) */
} fo_wake_reason;

/* Called on the wake thread, once per event; must be thread-safe. */
typedef void (*fo_wake_fn)(void *arg, fo_wake_reason why);

/* Start the thread. `signals` (may be NULL) must already be blocked in every
 * thread (the caller blocks them before any thread starts); the thread takes
 * them through a signalfd. `watch_parent`: also report the parent's exit
 * (checked every FO_WAKE_PARENT_MS). */
int fo_wake_start(fo_wake **out, const sigset_t *signals, int watch_parent, fo_wake_fn fn, void *arg);
/* Stop and join the thread; after it returns `fn` is never called again. Accepts NULL. */
void fo_wake_stop(fo_wake *w);

#define FO_WAKE_PARENT_MS 250

#endif
