/* fo_audit_glob: path patterns for expected_differences, check scopes and path mappings.
 * `**` matches any run of characters, `*` any run without '/', `?` one character other than '/'. */
#ifndef FO_AUDIT_GLOB_H
#define FO_AUDIT_GLOB_H

#include <stddef.h>

#define FO_AUDIT_GLOB_MAX_WILDCARDS 8

/* 1 when `str` matches `pattern` entirely. */
int fo_audit_glob_match(const char *pattern, const char *str);

/* Number of wildcards (`**`, `*`, `?`) in a pattern. */
size_t fo_audit_glob_wildcards(const char *pattern);

/* Map `path`, which must match `from`, onto `to` by substituting what each wildcard of `from` matched into
 * the wildcards of `to`, in order (both patterns have the same wildcards, checked when the config is loaded).
 * *out is malloc'ed; returns FO_ENOTFOUND when `path` does not match `from`. */
int fo_audit_glob_map(char **out, const char *from, const char *to, const char *path);

#endif
