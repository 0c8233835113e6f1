/* Thread-local last-error message, libgit2 style. */
#include "fo_err.h"

#include <stdio.h>
#include <string.h>

#define FO_ERR_MAX 2048

static _Thread_local char fo_err_msg[FO_ERR_MAX];

int fo_err_setv(int code, const char *fmt, va_list ap) {
  vsnprintf(fo_err_msg, sizeof fo_err_msg, fmt, ap);
  return code;
}

int fo_err_set(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fo_err_setv(code, fmt, ap);
  va_end(ap);
  return code;
}

int fo_err_wrap(int code, const char *fmt, ...) {
  char prefix[FO_ERR_MAX];
  char old[FO_ERR_MAX];
  va_list ap;

  memcpy(old, fo_err_msg, sizeof old);
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  /* Truncating an over-long chain of context is the intended behaviour. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
  if (old[0] != '\0')
    snprintf(fo_err_msg, sizeof fo_err_msg, "%s: %s", prefix, old);
  else
    snprintf(fo_err_msg, sizeof fo_err_msg, "%s", prefix);
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  return code;
}

const char *fo_err_last(void) {
  return fo_err_msg;
}

void fo_err_clear(void) {
  fo_err_msg[0] = '\0';
}

int fo_err_oom(void) {
  return fo_err_set(FO_ENOMEM, "out of memory");
}
