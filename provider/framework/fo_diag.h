/* fo_diag: diagnostics (error/warning, summary, detail, attribute path) that
 * callbacks and the framework collect; the rpc layer sends them (fo_rpc_wire.h). */
#ifndef FO_DIAG_H
#define FO_DIAG_H

#include <stddef.h>

#include "fo_cty_path.h"

typedef enum fo_diag_severity { FO_DIAG_ERROR = 1, FO_DIAG_WARNING = 2 } fo_diag_severity;

/* The attribute path is an fo_cty_path (the value library's, so walkers push
 * and pop steps and nothing is parsed back from text); an empty path is the
 * whole resource/provider body. */
typedef struct fo_diag {
  fo_diag_severity severity;
  char *summary;
  char *detail;
  fo_cty_path path; /* owned copy; len 0 = no attribute */
} fo_diag;

typedef struct fo_diags {
  fo_diag *items;
  size_t n, cap;
} fo_diags;

#define FO_DIAGS_INIT \
  { NULL, 0, 0 }

/* Adds one diagnostic (strings and path copied; detail is printf style; path
 * NULL = none). Out of memory is returned but the list stays valid. Messages
 * pass through fo_log_redact. */
int fo_diags_add(fo_diags *d, fo_diag_severity sev, const fo_cty_path *path, const char *summary,
                 const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));
#define fo_diags_error(d, path, summary, ...)   fo_diags_add((d), FO_DIAG_ERROR, (path), (summary), __VA_ARGS__)
#define fo_diags_warning(d, path, summary, ...) fo_diags_add((d), FO_DIAG_WARNING, (path), (summary), __VA_ARGS__)
/* The same for a top-level attribute named `attr` (resources name their own
 * attributes this way without building a path). */
int fo_diags_add_attr(fo_diags *d, fo_diag_severity sev, const char *attr, const char *summary, const char *detail_fmt,
                      ...) __attribute__((format(printf, 5, 6)));
#define fo_diags_attr_error(d, attr, summary, ...) fo_diags_add_attr((d), FO_DIAG_ERROR, (attr), (summary), __VA_ARGS__)
/* An error diagnostic from the thread's fo_err message (for failed calls). */
int fo_diags_from_err(fo_diags *d, const fo_cty_path *path, const char *summary);
int fo_diags_has_error(const fo_diags *d);
/* Index of the first diagnostic whose path, formatted as fo_cty_path_format
 * does (`a.b[0]["k"]`), equals `path` (NULL = no path), or -1. For tests. */
long fo_diags_find(const fo_diags *d, fo_diag_severity sev, const char *path);
void fo_diags_dispose(fo_diags *d);

/* Cuts an incomplete UTF-8 sequence off the end of `s`, left there when
 * snprintf truncated text into a fixed buffer: Terraform's protobuf decoder
 * rejects a whole response whose strings are not valid UTF-8. */
void fo_text_trim_utf8(char *s);

#endif
