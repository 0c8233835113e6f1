/* Bounded growable buffer. */
#include "fo_buf.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FO_BUF_DEFAULT_MAX ((size_t)1 << 30)

void fo_buf_init(fo_buf *b, size_t max) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->max = max;
}

static int fo_buf_grow(fo_buf *b, size_t extra) {
  size_t max = b->max ? b->max : FO_BUF_DEFAULT_MAX;
  size_t need, cap;
  char *p;

  if (extra > max || b->len > max - extra)
    return fo_err_set(FO_ELIMIT, "buffer would exceed its limit of %zu bytes", max);
  need = b->len + extra + 1;
  if (need <= b->cap)
    return 0;
  cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap *= 2;
  p = realloc(b->data, cap);
  if (!p)
    return fo_err_oom();
  b->data = p;
  b->cap = cap;
  return 0;
}

int fo_buf_append(fo_buf *b, const void *data, size_t len) {
  int err = fo_buf_grow(b, len);
  if (err < 0)
    return err;
  if (len)
    memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
  return 0;
}

int fo_buf_puts(fo_buf *b, const char *s) {
  return fo_buf_append(b, s, strlen(s));
}

int fo_buf_vprintf(fo_buf *b, const char *fmt, va_list ap) {
  va_list cp;
  int n, err;

  va_copy(cp, ap);
  n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  if (n < 0)
    return fo_err_set(FO_EINVAL, "bad format string");
  if ((err = fo_buf_grow(b, (size_t)n)) < 0)
    return err;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return 0;
}

int fo_buf_printf(fo_buf *b, const char *fmt, ...) {
  va_list ap;
  int err;
  va_start(ap, fmt);
  err = fo_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return err;
}

void fo_buf_clear(fo_buf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

char *fo_buf_detach(fo_buf *b, size_t *len_out) {
  char *p = b->data;
  if (len_out)
    *len_out = b->len;
  if (!p)
    p = calloc(1, 1);
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

void fo_buf_wipe(fo_buf *b) {
  if (b->data) {
    /* volatile so the compiler cannot drop the stores before free */
    volatile char *v = b->data;
    for (size_t i = 0; i < b->cap; i++)
      v[i] = 0;
  }
  fo_buf_dispose(b);
}

void fo_buf_dispose(fo_buf *b) {
  if (!b)
    return;
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
