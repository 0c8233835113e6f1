/* fo_err: the error convention shared by every module.
 * Functions that can fail return int (0 ok, negative FO_E* code) and set a
 * thread-local message once, where the problem is found; callers pass the
 * code up unchanged and read the message with fo_err_last(). */
#ifndef FO_ERR_H
#define FO_ERR_H

#include <stdarg.h>

enum {
  FO_OK = 0,
  FO_ERR = -1,       /* generic failure, see message */
  FO_ENOMEM = -2,    /* allocation failed */
  FO_EINVAL = -3,    /* bad input (outside data or caller argument) */
  FO_ENOTFOUND = -4, /* the thing asked for does not exist */
  FO_EIO = -5,       /* I/O or network failure */
  FO_ECANCELED = -6, /* cancelled (StopProvider, signal) */
  FO_ELIMIT = -7,    /* a size/depth/count bound was exceeded */
  FO_EAWS = -8,      /* an AWS service returned an error */
  FO_ETIMEOUT = -9   /* a wait ran past its timeout */
};

/* Set the thread's last error message (printf style) and return `code`,
 * so `return fo_err_set(FO_EINVAL, "bad '%s'", x);` reads naturally. */
int fo_err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int fo_err_setv(int code, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* The one out-of-memory error: sets "out of memory" and returns FO_ENOMEM.
 * Allocation failures carry no further detail; the call site is in the caller's error path. */
int fo_err_oom(void);

/* Prefix the current message: "context: previous message". Returns code. */
int fo_err_wrap(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The thread's last message ("" when none). Borrowed; valid until the next
 * fo_err_set/clear on this thread. */
const char *fo_err_last(void);
void fo_err_clear(void);

#endif
