#include "fo_diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_buf.h"
#include "fo_err.h"
#include "fo_log.h"

#define FO_DIAGS_MAX       1000 /* a runaway validator must not flood the client */
#define FO_DIAG_DETAIL_MAX (64 * 1024)

static int __attribute__((format(printf, 5, 0))) vadd(fo_diags *d, fo_diag_severity sev, const fo_cty_path *path,
                                                      const char *summary, const char *detail_fmt, va_list ap) {
  fo_buf detail = FO_BUF_INIT;
  fo_diag *item;
  int error;

  if (d->n >= FO_DIAGS_MAX)
    return FO_ELIMIT;
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 4;
    fo_diag *items = realloc(d->items, cap * sizeof(*items));
    if (!items)
      return fo_err_oom();
    d->items = items;
    d->cap = cap;
  }
  fo_buf_init(&detail, FO_DIAG_DETAIL_MAX);
  if (detail_fmt) {
    va_list again;
    va_copy(again, ap);
    error = fo_buf_vprintf(&detail, detail_fmt, ap);
    if (error == FO_ELIMIT) {
      /* A huge quoted value must not cost the diagnostic (an invalid value
       * would pass validation): keep the first part of the text instead. */
      fo_buf_dispose(&detail);
      if ((detail.data = malloc(FO_DIAG_DETAIL_MAX))) {
        vsnprintf(detail.data, FO_DIAG_DETAIL_MAX, detail_fmt, again);
        fo_text_trim_utf8(detail.data);
        error = FO_OK;
      }
    }
    va_end(again);
    if (error < 0) {
      fo_buf_dispose(&detail);
      return error;
    }
  }
  item = &d->items[d->n];
  item->severity = sev;
  item->summary = strdup(summary ? summary : "");
  item->detail = detail.data ? detail.data : strdup("");
  fo_cty_path_init(&item->path);
  error = (!item->summary || !item->detail) ? fo_err_oom() : FO_OK;
  if (error == FO_OK && path)
    error = fo_cty_path_copy(&item->path, path);
  if (error < 0) {
    free(item->summary);
    free(item->detail);
    return error;
  }
  fo_log_redact(item->summary);
  fo_log_redact(item->detail);
  /* fo_err messages quoted here were cut at fo_err's own buffer size */
  fo_text_trim_utf8(item->detail);
  d->n++;
  return FO_OK;
}

int fo_diags_add(fo_diags *d, fo_diag_severity sev, const fo_cty_path *path, const char *summary,
                 const char *detail_fmt, ...) {
  va_list ap;
  int error;
  va_start(ap, detail_fmt);
  error = vadd(d, sev, path, summary, detail_fmt, ap);
  va_end(ap);
  return error;
}

int fo_diags_add_attr(fo_diags *d, fo_diag_severity sev, const char *attr, const char *summary, const char *detail_fmt,
                      ...) {
  fo_cty_path path = FO_CTY_PATH_INIT;
  va_list ap;
  int error = attr ? fo_cty_path_push_attr(&path, attr) : FO_OK;
  if (error == FO_OK) {
    va_start(ap, detail_fmt);
    error = vadd(d, sev, &path, summary, detail_fmt, ap);
    va_end(ap);
  }
  fo_cty_path_dispose(&path);
  return error;
}

int fo_diags_from_err(fo_diags *d, const fo_cty_path *path, const char *summary) {
  const char *msg = fo_err_last();
  return fo_diags_add(d, FO_DIAG_ERROR, path, summary, "%s", *msg ? msg : "unknown error");
}

int fo_diags_has_error(const fo_diags *d) {
  for (size_t i = 0; i < d->n; i++)
    if (d->items[i].severity == FO_DIAG_ERROR)
      return 1;
  return 0;
}

long fo_diags_find(const fo_diags *d, fo_diag_severity sev, const char *path) {
  fo_buf text = FO_BUF_INIT;
  long found = -1;
  for (size_t i = 0; i < d->n && found < 0; i++) {
    if (d->items[i].severity != sev)
      continue;
    fo_buf_clear(&text);
    if (fo_cty_path_format(&d->items[i].path, &text) < 0)
      break;
    if ((!path && !text.len) || (path && text.len && strcmp(path, text.data) == 0))
      found = (long)i;
  }
  fo_buf_dispose(&text);
  return found;
}

void fo_diags_dispose(fo_diags *d) {
  if (!d)
    return;
  for (size_t i = 0; i < d->n; i++) {
    free(d->items[i].summary);
    free(d->items[i].detail);
    fo_cty_path_dispose(&d->items[i].path);
  }
  free(d->items);
  d->items = NULL;
  d->n = d->cap = 0;
}

void fo_text_trim_utf8(char *s) {
  size_t len = strlen(s), i = len, need;
  unsigned char lead;
  /* back to the start of the last sequence (at most 3 continuation bytes) */
  while (i > 0 && len - i < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
    i--;
  if (i == 0)
    return;
  lead = (unsigned char)s[i - 1];
  need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (len - (i - 1) < need)
    s[i - 1] = '\0';
}
