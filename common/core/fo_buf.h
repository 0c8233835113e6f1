/* fo_buf: a growable byte buffer that knows its maximum size.
 * The buffer owns `data` (always NUL-terminated for convenience); free with fo_buf_dispose. */
#ifndef FO_BUF_H
#define FO_BUF_H

#include <stddef.h>
#include <stdarg.h>

typedef struct fo_buf {
  char *data; /* NUL-terminated, NULL until the first append */
  size_t len;
  size_t cap;
  size_t max; /* appends beyond this fail with FO_ELIMIT; 0 = 1 GiB */
} fo_buf;

#define FO_BUF_INIT \
  { NULL, 0, 0, 0 }

void fo_buf_init(fo_buf *b, size_t max);
int fo_buf_append(fo_buf *b, const void *data, size_t len);
int fo_buf_puts(fo_buf *b, const char *s);
int fo_buf_printf(fo_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int fo_buf_vprintf(fo_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void fo_buf_clear(fo_buf *b);
/* Hand the bytes to the caller (who frees them); the buffer becomes empty. */
char *fo_buf_detach(fo_buf *b, size_t *len_out);
/* Zero the bytes before freeing: for buffers that held secrets. */
void fo_buf_wipe(fo_buf *b);
void fo_buf_dispose(fo_buf *b);

#endif
