#include "fo_diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_buf.h"
#include "fo_err.h"
#include "fo_log.h"

#define FO_DIAGS_MAX 1000 /* a runaway validator must not flood the client */

static char *dup_or_null(const char *s) {
  return (s && *s) ? strdup(s) : NULL;
}

int fo_diags_add(fo_diags *d, fo_diag_severity sev, const char *path, const char *summary,
                 const char *detail_fmt, ...) {
  fo_buf detail = FO_BUF_INIT;
  fo_diag *item;
  va_list ap;
  int error;

  if (d->n >= FO_DIAGS_MAX)
    return FO_ELIMIT;
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 4;
    fo_diag *items = realloc(d->items, cap * sizeof(*items));
    if (!items)
      return fo_err_set(FO_ENOMEM, "out of memory");
    d->items = items;
    d->cap = cap;
  }
  fo_buf_init(&detail, 64 * 1024);
  error = FO_OK;
  if (detail_fmt) {
    va_start(ap, detail_fmt);
    error = fo_buf_vprintf(&detail, detail_fmt, ap);
    va_end(ap);
  }
  if (error < 0) {
    fo_buf_dispose(&detail);
    return error;
  }
  item = &d->items[d->n];
  item->severity = sev;
  item->summary = strdup(summary ? summary : "");
  item->detail = detail.data ? detail.data : strdup("");
  item->path = dup_or_null(path);
  if (!item->summary || !item->detail || (path && *path && !item->path)) {
    free(item->summary);
    free(item->detail);
    free(item->path);
    return fo_err_set(FO_ENOMEM, "out of memory");
  }
  fo_log_redact(item->summary);
  fo_log_redact(item->detail);
  d->n++;
  return FO_OK;
}

int fo_diags_from_err(fo_diags *d, const char *path, const char *summary) {
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
  for (size_t i = 0; i < d->n; i++) {
    const char *p = d->items[i].path;
    if (d->items[i].severity != sev)
      continue;
    if ((!path && !p) || (path && p && strcmp(path, p) == 0))
      return (long)i;
  }
  return -1;
}

void fo_diags_dispose(fo_diags *d) {
  if (!d)
    return;
  for (size_t i = 0; i < d->n; i++) {
    free(d->items[i].summary);
    free(d->items[i].detail);
    free(d->items[i].path);
  }
  free(d->items);
  d->items = NULL;
  d->n = d->cap = 0;
}

void fo_path_join(char *out, size_t n, const char *parent, const char *attr) {
  if (parent && *parent)
    snprintf(out, n, "%s.%s", parent, attr);
  else
    snprintf(out, n, "%s", attr);
}

void fo_path_index(char *out, size_t n, const char *parent, long long index) {
  snprintf(out, n, "%s[%lld]", parent ? parent : "", index);
}

void fo_path_key(char *out, size_t n, const char *parent, const char *key) {
  /* Keys are quoted; a quote or backslash inside is escaped. */
  size_t len = (size_t)snprintf(out, n, "%s[\"", parent ? parent : "");
  for (const char *k = key; *k && len + 4 < n; k++) {
    if (*k == '"' || *k == '\\')
      out[len++] = '\\';
    out[len++] = *k;
  }
  if (len + 3 <= n) {
    out[len++] = '"';
    out[len++] = ']';
    out[len] = '\0';
  }
}

/* One step of the text form; returns the position after it or NULL. */
static const char *parse_step(fo_arena *a, const char *p, Tfplugin6__AttributePath__Step *st) {
  tfplugin6__attribute_path__step__init(st);
  if (*p == '[') {
    p++;
    if (*p == '"') {
      fo_buf key = FO_BUF_INIT;
      p++;
      while (*p && *p != '"') {
        if (*p == '\\' && p[1])
          p++;
        if (fo_buf_append(&key, p, 1) < 0) {
          fo_buf_dispose(&key);
          return NULL;
        }
        p++;
      }
      if (p[0] != '"' || p[1] != ']') {
        fo_buf_dispose(&key);
        return NULL;
      }
      st->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_STRING;
      st->element_key_string = fo_arena_strdup(a, key.data ? key.data : "");
      fo_buf_dispose(&key);
      return st->element_key_string ? p + 2 : NULL;
    } else {
      char *end = NULL;
      long long idx = strtoll(p, &end, 10);
      if (end == p || *end != ']')
        return NULL;
      st->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_INT;
      st->element_key_int = idx;
      return end + 1;
    }
  } else {
    const char *start = p;
    while (*p && *p != '.' && *p != '[')
      p++;
    if (p == start)
      return NULL;
    st->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME;
    st->attribute_name = fo_arena_memdup(a, start, (size_t)(p - start));
    return st->attribute_name ? p : NULL;
  }
}

Tfplugin6__AttributePath *fo_path_to_proto(fo_arena *a, const char *path) {
  Tfplugin6__AttributePath *ap;
  size_t cap = 1;
  const char *p;

  if (!path || !*path)
    return NULL;
  for (p = path; *p; p++)
    if (*p == '.' || *p == '[')
      cap++;
  ap = fo_arena_alloc(a, sizeof(*ap));
  if (!ap)
    return NULL;
  tfplugin6__attribute_path__init(ap);
  ap->steps = (Tfplugin6__AttributePath__Step **)fo_arena_ptrs(a, cap);
  if (!ap->steps)
    return NULL;
  p = path;
  while (*p) {
    Tfplugin6__AttributePath__Step *st = fo_arena_alloc(a, sizeof(*st));
    if (!st || ap->n_steps >= cap)
      return NULL;
    p = parse_step(a, p, st);
    if (!p) {
      fo_err_set(FO_EINVAL, "malformed attribute path '%s'", path);
      return NULL;
    }
    ap->steps[ap->n_steps++] = st;
    if (*p == '.')
      p++;
  }
  return ap;
}

int fo_diags_to_proto(Tfplugin6__Diagnostic ***out, size_t *n_out, fo_arena *a, const fo_diags *d) {
  Tfplugin6__Diagnostic **arr;
  *out = NULL;
  *n_out = 0;
  if (!d || d->n == 0)
    return FO_OK;
  arr = (Tfplugin6__Diagnostic **)fo_arena_ptrs(a, d->n);
  if (!arr)
    return FO_ENOMEM;
  for (size_t i = 0; i < d->n; i++) {
    Tfplugin6__Diagnostic *pd = fo_arena_alloc(a, sizeof(*pd));
    if (!pd)
      return FO_ENOMEM;
    tfplugin6__diagnostic__init(pd);
    pd->severity = d->items[i].severity == FO_DIAG_WARNING ? TFPLUGIN6__DIAGNOSTIC__SEVERITY__WARNING
                                                           : TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR;
    pd->summary = fo_arena_strdup(a, d->items[i].summary);
    pd->detail = fo_arena_strdup(a, d->items[i].detail);
    /* A malformed path is our bug: send the diagnostic without a path. */
    pd->attribute = fo_path_to_proto(a, d->items[i].path);
    if (!pd->summary || !pd->detail)
      return FO_ENOMEM;
    arr[i] = pd;
  }
  *out = arr;
  *n_out = d->n;
  return FO_OK;
}
