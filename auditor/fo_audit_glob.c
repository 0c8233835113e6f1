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

/* Backtracking with a budget: patterns like "**a**a**a**b" against a long path take exponential time, so
 * after GLOB_BUDGET wildcard steps the match is rerun remembering which (pattern, text) positions already
 * failed, which bounds it by pattern length x text length. Whether a position matches does not depend on the
 * captures, so the memo is valid for fo_audit_glob_map too. */
#define GLOB_BUDGET   4096
#define GLOB_MEMO_MAX ((size_t)64 << 20)

typedef struct gctx {
  const char *p0, *s0;
  size_t slen;
  unsigned char *failed; /* (p - p0) * (slen + 1) + (s - s0); NULL on the first, budgeted try */
  size_t steps;
  int over; /* the budget ran out: the answer of this try is void */
} gctx;

static int match(gctx *g, const char *p, const char *s, capture *caps, size_t ncap);

/* Try a wildcard at p (len 1 or 2) against every split of s, longest first so a trailing double star
 * captures the whole tail; `maxn` is the longest run it may take. */
static int match_wild(gctx *g, const char *p, size_t plen, const char *s, size_t maxn, capture *caps, size_t ncap) {
  size_t idx = 0;
  char lit;
  if (g->failed) {
    idx = (size_t)(p - g->p0) * (g->slen + 1) + (size_t)(s - g->s0);
    if (g->failed[idx])
      return 0;
  } else if (g->over || ++g->steps > GLOB_BUDGET) {
    g->over = 1;
    return 0;
  }
  lit = p[plen] != '*' && p[plen] != '?' ? p[plen] : 0; /* a literal next: only splits before it can match */
  for (size_t n = maxn + 1; n-- > 0;) {
    if (lit && s[n] != lit)
      continue;
    if (match(g, p + plen, s + n, caps ? caps + 1 : NULL, ncap ? ncap - 1 : 0)) {
      if (caps && ncap) {
        caps[0].start = s;
        caps[0].len = n;
      }
      return 1;
    }
    if (g->over)
      return 0;
  }
  if (g->failed)
    g->failed[idx] = 1;
  return 0;
}

static int match(gctx *g, const char *p, const char *s, capture *caps, size_t ncap) {
  while (*p) {
    if (p[0] == '*' && p[1] == '*')
      return match_wild(g, p, 2, s, strlen(s), caps, ncap);
    if (*p == '*')
      return match_wild(g, p, 1, s, strcspn(s, "/"), caps, ncap);
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

/* 1 match, 0 no match, FO_ELIMIT when the memo would be too large (then the caller decides). */
static int match_top(const char *pattern, const char *str, capture *caps, size_t ncap) {
  gctx g = {pattern, str, strlen(str), NULL, 0, 0};
  size_t plen = strlen(pattern), cells;
  int m = match(&g, pattern, str, caps, ncap);
  if (!g.over)
    return m;
  if (g.slen + 1 > GLOB_MEMO_MAX / (plen + 1))
    return FO_ELIMIT;
  cells = (plen + 1) * (g.slen + 1);
  if (!(g.failed = calloc(cells, 1)))
    return FO_ENOMEM;
  g.over = 0;
  m = match(&g, pattern, str, caps, ncap);
  free(g.failed);
  return m;
}

size_t fo_audit_glob_wildcards(const char *p) {
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

int fo_audit_glob_match(const char *pattern, const char *str) {
  if (fo_audit_glob_wildcards(pattern) > FO_AUDIT_GLOB_MAX_WILDCARDS)
    return 0;
  /* too big to decide (or out of memory): no match, so the finding stays a failure (fail closed) */
  return match_top(pattern, str, NULL, 0) == 1;
}

int fo_audit_glob_map(char **out, const char *from, const char *to, const char *path) {
  capture caps[FO_AUDIT_GLOB_MAX_WILDCARDS];
  size_t nw = fo_audit_glob_wildcards(from), i = 0;
  fo_buf b = FO_BUF_INIT;
  int err = 0;

  *out = NULL;
  if (nw > FO_AUDIT_GLOB_MAX_WILDCARDS || nw != fo_audit_glob_wildcards(to))
    return fo_err_set(FO_EINVAL, "path mapping '%s' -> '%s' has different wildcards", from, to);
  memset(caps, 0, sizeof caps);
  if ((err = match_top(from, path, caps, nw)) < 0)
    return err == FO_ENOMEM ? fo_err_set(err, "out of memory")
                            : fo_err_set(err, "path '%s' is too long to match against '%s'", path, from);
  if (!err)
    return FO_ENOTFOUND;
  err = 0;
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
