/* fo_audit_glob: a small glob matcher with captures (no fnmatch: it has no `**` and no captures). */
#include "fo_audit_glob.h"
#include "fo_buf.h"
#include "fo_err.h"

#include <stdlib.h>
#include <string.h>

typedef struct capture {
  const char *start;
  size_t len;
} capture;

/* Backtracking matcher; the recursion depth is bounded by the wildcard count (checked by callers). */
static int match(const char *p, const char *s, capture *caps, size_t ncap)
{
  while (*p) {
    if (p[0] == '*' && p[1] == '*') {
      const char *rest = p + 2;
      for (size_t n = strlen(s) + 1; n-- > 0;) {
        /* longest first so a trailing double star captures the whole tail */
        if (match(rest, s + n, caps ? caps + 1 : NULL, ncap ? ncap - 1 : 0)) {
          if (caps && ncap) {
            caps[0].start = s;
            caps[0].len = n;
          }
          return 1;
        }
      }
      return 0;
    }
    if (*p == '*') {
      size_t maxn = strcspn(s, "/");
      for (size_t n = maxn + 1; n-- > 0;) {
        if (match(p + 1, s + n, caps ? caps + 1 : NULL, ncap ? ncap - 1 : 0)) {
          if (caps && ncap) {
            caps[0].start = s;
            caps[0].len = n;
          }
          return 1;
        }
      }
      return 0;
    }
    if (*p == '?') {
      if (!*s || *s == '/')
        return 0;
      if (caps && ncap) {
        caps[0].start = s;
        caps[0].len = 1;
        caps++;
        ncap--;
      }
      p++;
      s++;
      continue;
    }
    if (*p != *s)
      return 0;
    p++;
    s++;
  }
  return *s == '\0';
}

size_t fo_audit_glob_wildcards(const char *p)
{
  size_t n = 0;
  while (*p) {
    if (p[0] == '*' && p[1] == '*') {
      n++;
      p += 2;
    } else {
      if (*p == '*' || *p == '?')
        n++;
      p++;
    }
  }
  return n;
}

int fo_audit_glob_match(const char *pattern, const char *str)
{
  if (fo_audit_glob_wildcards(pattern) > FO_AUDIT_GLOB_MAX_WILDCARDS)
    return 0;
  return match(pattern, str, NULL, 0);
}

int fo_audit_glob_map(char **out, const char *from, const char *to, const char *path)
{
  capture caps[FO_AUDIT_GLOB_MAX_WILDCARDS];
  size_t nw = fo_audit_glob_wildcards(from), i = 0;
  fo_buf b = FO_BUF_INIT;
  int err = 0;

  *out = NULL;
  if (nw > FO_AUDIT_GLOB_MAX_WILDCARDS || nw != fo_audit_glob_wildcards(to))
    return fo_err_set(FO_EINVAL, "path mapping '%s' -> '%s' has different wildcards", from, to);
  memset(caps, 0, sizeof caps);
  if (!match(from, path, caps, nw))
    return FO_ENOTFOUND;
  for (const char *p = to; *p && err == 0;) {
    if (p[0] == '*' && p[1] == '*') {
      err = fo_buf_append(&b, caps[i].start, caps[i].len);
      i++;
      p += 2;
    } else if (*p == '*' || *p == '?') {
      err = fo_buf_append(&b, caps[i].start, caps[i].len);
      i++;
      p++;
    } else {
      err = fo_buf_append(&b, p, 1);
      p++;
    }
  }
  if (err < 0) {
    fo_buf_dispose(&b);
    return err;
  }
  *out = fo_buf_detach(&b, NULL);
  return 0;
}
