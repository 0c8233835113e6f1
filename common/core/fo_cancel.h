/* fo_cancel: one cancellation token for the whole code base. A token is
 * cancelled by hand (StopProvider, the client dropping the call, a signal), by
 * its parent, or by its deadline; HTTP transfers and sleeps watch it. */
#ifndef FO_CANCEL_H
#define FO_CANCEL_H

#include <stdint.h>

/* Ownership: fo_cancel_new gives the caller a token it frees with
 * fo_cancel_free. A child keeps a borrowed pointer to its parent, so a parent
 * must outlive its children. All functions are thread-safe; the query
 * functions accept NULL (a NULL token is never cancelled). */
typedef struct fo_cancel fo_cancel;

/* Milliseconds on the monotonic clock (CLOCK_MONOTONIC). */
int64_t fo_cancel_mono_ms(void);

/* A new token, cancelled when `parent` (may be NULL) is. FO_ENOMEM on failure. */
int fo_cancel_new(fo_cancel **out, const fo_cancel *parent);
void fo_cancel_free(fo_cancel *c);

/* Cancel the token (sticky) with a short reason for messages ("stopped by
 * StopProvider", "the client cancelled the call"); the first reason wins.
 * Wakes every fo_cancel_sleep_ms on it or on its descendants. */
void fo_cancel_trigger(fo_cancel *c, const char *reason);

/* A deadline on the monotonic clock (fo_cancel_mono_ms() + timeout); 0 clears
 * it. Once passed, the token counts as cancelled with reason "deadline exceeded". */
void fo_cancel_set_deadline(fo_cancel *c, int64_t deadline_mono_ms);

/* 1 when this token or an ancestor was triggered or its deadline passed. */
int fo_cancel_is_cancelled(const fo_cancel *c);

/* Why it was cancelled ("" when it was not). Static or owned by the token:
 * valid as long as the token. */
const char *fo_cancel_reason(const fo_cancel *c);

/* Milliseconds until the nearest deadline on the chain; -1 when none. */
int64_t fo_cancel_remaining_ms(const fo_cancel *c);

/* Sleep up to `ms`, returning early when the token is cancelled: 0 after a
 * full sleep, FO_ECANCELED (with a message naming the reason) otherwise. */
int fo_cancel_sleep_ms(const fo_cancel *c, long ms);

#endif
