/* fo_diag: diagnostics (error/warning, summary, detail, attribute path) that
 * handlers collect and send as tfplugin6.Diagnostic, pointing at the config. */
#ifndef FO_DIAG_H
#define FO_DIAG_H

#include <stddef.h>

#include "fo_arena.h"
#include "tfplugin6.pb-c.h"

typedef enum fo_diag_severity {
  FO_DIAG_ERROR = 1,  /* tfplugin6.Diagnostic.ERROR */
  FO_DIAG_WARNING = 2 /* tfplugin6.Diagnostic.WARNING */
} fo_diag_severity;

/* An attribute path is written as text: `assume_role.role_arn`,
 * `rule[0].port`, `tags["Name"]` (attribute names are [a-z0-9_]+, indexes
 * are list/tuple positions, quoted keys are map keys). NULL or "" is the
 * whole resource/provider body. */
typedef struct fo_diag {
  fo_diag_severity severity;
  char *summary;
  char *detail;
  char *path; /* NULL = no attribute */
} fo_diag;

typedef struct fo_diags {
  fo_diag *items;
  size_t n, cap;
} fo_diags;

#define FO_DIAGS_INIT {NULL, 0, 0}

/* Adds one diagnostic (strings copied; detail is printf style). Out of memory
 * is returned but the list stays valid. Messages pass through fo_log_redact. */
int fo_diags_add(fo_diags *d, fo_diag_severity sev, const char *path, const char *summary,
                 const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));
#define fo_diags_error(d, path, summary, ...) fo_diags_add((d), FO_DIAG_ERROR, (path), (summary), __VA_ARGS__)
#define fo_diags_warning(d, path, summary, ...) fo_diags_add((d), FO_DIAG_WARNING, (path), (summary), __VA_ARGS__)
/* An error diagnostic from the thread's fo_err message (for failed calls). */
int fo_diags_from_err(fo_diags *d, const char *path, const char *summary);
int fo_diags_has_error(const fo_diags *d);
/* Index of the first diagnostic whose path equals `path` (NULL = none), or -1. For tests. */
long fo_diags_find(const fo_diags *d, fo_diag_severity sev, const char *path);
void fo_diags_dispose(fo_diags *d);

/* Join a parent path and a child attribute/index into `out` (size `n`):
 * fo_path_join(out, n, "a", "b") = "a.b"; fo_path_index(out, n, "a", 2) = "a[2]";
 * fo_path_key(out, n, "a", "k") = "a[\"k\"]". Truncated paths stay valid text. */
void fo_path_join(char *out, size_t n, const char *parent, const char *attr);
void fo_path_index(char *out, size_t n, const char *parent, long long index);
void fo_path_key(char *out, size_t n, const char *parent, const char *key);
#define FO_PATH_MAX 512

/* Parse the text form into protobuf steps, allocated in `a`. NULL (and no
 * error) for an empty path; on a malformed path NULL with fo_err set. */
Tfplugin6__AttributePath *fo_path_to_proto(fo_arena *a, const char *path);

/* The diagnostics as a protobuf array in `a` (for `n_diagnostics`/`diagnostics`). */
int fo_diags_to_proto(Tfplugin6__Diagnostic ***out, size_t *n_out, fo_arena *a, const fo_diags *d);

#endif
