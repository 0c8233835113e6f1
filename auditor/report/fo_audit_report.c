/* fo_audit_report: helpers shared by the renderers (see fo_audit_report.h). One place for redaction,
 * safe text, fingerprints and grouping, so no renderer carries its own copy. */
#include "fo_audit_report.h"
#include "fo_audit_rules.h"
#include "fo_err.h"
#include "fo_log.h"
#include "fo_sha256.h"

#include <libxml/chvalid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fo_audit_report_redacted(char **out, const char *s) {
  *out = NULL;
  if (!s)
    return 0;
  if (!(*out = strdup(s)))
    return fo_err_oom();
  fo_log_redact(*out);
  return 0;
}

int fo_audit_report_value(char **out, const fo_audit_finding *f, fo_audit_side side) {
  const char *v = side == FO_AUDIT_SIDE_SECONDARY ? f->secondary_value : f->primary_value;

  *out = NULL;
  if (!v)
    return 0;
  /* Never trust that the collector replaced a sensitive value: do not even copy it. */
  return fo_audit_report_redacted(out, f->sensitive ? FO_AUDIT_REPORT_SENSITIVE : v);
}

/* Decode one UTF-8 character of s[0..avail) into *cp; returns its length, or 0 when the bytes are not valid
 * UTF-8 (stray continuation bytes, overlong forms, surrogates, > U+10FFFF, truncation). Written here because
 * libxml2 2.9's xmlGetUTF8Char accepts a continuation byte as a lead byte, and its output must be valid XML. */
static int utf8_char(const unsigned char *s, size_t avail, uint32_t *cp) {
  unsigned char c = s[0];
  uint32_t v, min;
  int n;

  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, v = c & 0x1Fu, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, v = c & 0x0Fu, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, v = c & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (avail < (size_t)n)
    return 0;
  for (int i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    v = (v << 6) | (s[i] & 0x3Fu);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return n;
}

/* Characters that go out as they are: valid in XML 1.0, not a C0/C1 control or DEL, and not a bidirectional
 * override or isolate (U+202A..U+202E, U+2066..U+2069), which could make a value display as something else. */
static int is_plain(long c) {
  if (c < 0x20)
    return c == '\n' || c == '\t';
  if (c >= 0x7f && c <= 0x9f)
    return 0;
  if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
    return 0;
  return xmlIsCharQ(c);
}

/* Append "\xNN" for each byte of s[0..len). */
static int put_hex_bytes(fo_buf *b, const unsigned char *s, size_t len) {
  int err = 0;
  for (size_t i = 0; i < len && err == 0; i++)
    err = fo_buf_printf(b, "\\x%02x", s[i]);
  return err;
}

int fo_audit_report_put_safe(fo_buf *b, const char *s, int keep_newlines) {
  const unsigned char *p = (const unsigned char *)s;
  size_t len = s ? strlen(s) : 0;
  size_t i = 0, run = 0;
  int err = 0;

  while (i < len && err == 0) {
    uint32_t cp = 0;
    int clen = utf8_char(p + i, len - i, &cp);
    long c = (long)cp;
    const char *esc = NULL;

    if (clen == 0) {
      clen = 1; /* not UTF-8: escape this byte and resync on the next */
      c = -1;
    } else if (c == '\n') {
      esc = keep_newlines ? NULL : "\\n";
    } else if (c == '\t') {
      esc = keep_newlines ? NULL : "\\t";
    } else if (c == '\r') {
      esc = "\\r";
    }
    /* Plain bytes go out in runs; anything else flushes the run first. */
    if (c >= 0 && !esc && is_plain(c)) {
      run += (size_t)clen;
      i += (size_t)clen;
      continue;
    }
    if (run)
      err = fo_buf_append(b, p + i - run, run);
    run = 0;
    if (err == 0)
      err = esc ? fo_buf_puts(b, esc) : put_hex_bytes(b, p + i, (size_t)clen);
    i += (size_t)clen;
  }
  if (err == 0 && run)
    err = fo_buf_append(b, p + i - run, run);
  if (err == 0 && !b->data)
    err = fo_buf_append(b, "", 0); /* an empty input still leaves a valid string */
  return err;
}

int fo_audit_report_utf8(const char **out, char **owned, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  size_t len, i = 0, start = 0;
  fo_buf b = FO_BUF_INIT;
  uint32_t cp;
  int clen, err = 0;

  *out = s;
  *owned = NULL;
  if (!s)
    return 0;
  len = strlen(s);
  while (i < len && (clen = utf8_char(p + i, len - i, &cp)) > 0)
    i += (size_t)clen;
  if (i == len)
    return 0; /* the common case: valid, no copy */
  while (i < len && err == 0) {
    if ((clen = utf8_char(p + i, len - i, &cp)) > 0) {
      i += (size_t)clen;
      continue;
    }
    if ((err = fo_buf_append(&b, p + start, i - start)) == 0)
      err = fo_buf_puts(&b, "\xef\xbf\xbd"); /* U+FFFD REPLACEMENT CHARACTER */
    start = ++i;
  }
  if (err == 0)
    err = fo_buf_append(&b, p + start, len - start);
  if (err < 0) {
    fo_buf_dispose(&b);
    return err;
  }
  *out = *owned = fo_buf_detach(&b, NULL);
  return 0;
}

/* SHA-256 over the given parts (each followed by '\n') into 64 hex digits. */
static int sha256_hex(char out[FO_AUDIT_REPORT_FP_SIZE], const char *const *parts, size_t nparts) {
  fo_buf b = FO_BUF_INIT;
  int err = 0;

  for (size_t i = 0; err == 0 && i < nparts; i++)
    if ((err = fo_buf_puts(&b, parts[i])) == 0)
      err = fo_buf_append(&b, "\n", 1);
  if (err == 0)
    err = fo_sha256_hex(out, b.data, b.len);
  fo_buf_dispose(&b);
  return err;
}

static int finding_fingerprint(char out[FO_AUDIT_REPORT_FP_SIZE], const fo_audit_finding *f, unsigned occurrence) {
  char occ[24];
  const char *parts[5] = {"failover-audit/v1", f->rule_id ? f->rule_id : "", fo_audit_side_name(f->side),
                          f->full_path ? f->full_path : "", occ};

  snprintf(occ, sizeof occ, "%u", occurrence);
  return sha256_hex(out, parts, occurrence > 1 ? 5 : 4);
}

/* A finding's first fingerprint and index, sorted to find repeats in O(n log n). */
typedef struct fp_index {
  const char *fp;
  size_t i;
} fp_index;

static int cmp_fp_index(const void *pa, const void *pb) {
  const fp_index *a = pa, *b = pb;
  int c = strcmp(a->fp, b->fp);
  if (c)
    return c;
  return a->i < b->i ? -1 : a->i > b->i;
}

int fo_audit_report_fingerprints(fo_audit_report_fp **out, const fo_audit_result *r) {
  fo_audit_report_fp *fps = NULL;
  fp_index *idx = NULL;
  size_t n = r->nfindings;
  int err = 0;

  *out = NULL;
  if (n == 0)
    return 0;
  if (!(fps = calloc(n, sizeof *fps)) || !(idx = calloc(n, sizeof *idx))) {
    err = fo_err_oom();
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    idx[i].fp = fps[i];
    idx[i].i = i;
    if ((err = finding_fingerprint(fps[i], &r->findings[i], 1)) < 0)
      goto done;
  }
  qsort(idx, n, sizeof *idx, cmp_fp_index);
  for (size_t i = 0; i < n;) {
    size_t k = i + 1;
    unsigned occ = 1;
    /* idx[i] (the first in finding order) keeps its fingerprint; later equal ones are re-hashed. Compare
     * against idx[i], which is never rewritten. */
    while (k < n && strcmp(idx[k].fp, idx[i].fp) == 0) {
      if ((err = finding_fingerprint(fps[idx[k].i], &r->findings[idx[k].i], ++occ)) < 0)
        goto done;
      k++;
    }
    i = k;
  }
  *out = fps;
  fps = NULL;
done:
  free(fps);
  free(idx);
  return err;
}

int fo_audit_report_source_fingerprint(char out[FO_AUDIT_REPORT_FP_SIZE], const fo_audit_source_status *s) {
  const char *parts[4] = {"failover-audit/v1", "source.unreadable", fo_audit_side_name(s->side),
                          s->name ? s->name : ""};
  return sha256_hex(out, parts, 4);
}

const char *fo_audit_report_status(const fo_audit_result *r) {
  switch (fo_audit_result_exit_code(r)) {
    case 0:
      return "pass";
    case 1:
      return "fail";
    default:
      return "error";
  }
}

const char *fo_audit_report_title(const fo_audit_finding *f) {
  const fo_audit_rule *rule = f->rule_id ? fo_audit_rule_find(f->rule_id) : NULL;
  if (rule && rule->title)
    return rule->title;
  if (f->message && *f->message)
    return f->message;
  return f->rule_id ? f->rule_id : "finding";
}

static const char *plural(size_t n, const char *one, const char *many) {
  return n == 1 ? one : many;
}

int fo_audit_report_summary_line(fo_buf *b, const fo_audit_result *r) {
  const fo_audit_summary *s = &r->summary;
  const char *status = fo_audit_report_status(r);
  int err;

  err = fo_buf_printf(b,
                      "%s: %zu failing (%zu unexpected, %zu expired expected, %zu side-check), "
                      "%zu expected, %zu stale %s; %zu %s compared",
                      strcmp(status, "pass") == 0   ? "PASS"
                      : strcmp(status, "fail") == 0 ? "FAIL"
                                                    : "ERROR",
                      s->failing, s->unexpected, s->expired_expected, s->side_check, s->expected, s->stale_expected,
                      plural(s->stale_expected, "entry", "entries"), s->subjects,
                      plural(s->subjects, "object", "objects"));
  if (err == 0 && s->unreadable_sources)
    err = fo_buf_printf(b, "; %zu %s unreadable", s->unreadable_sources,
                        plural(s->unreadable_sources, "source", "sources"));
  return err;
}

void fo_audit_report_count_steps(const fo_audit_result *r, fo_audit_report_step_counts out[FO_AUDIT_STEP_MAX]) {
  memset(out, 0, sizeof(fo_audit_report_step_counts) * FO_AUDIT_STEP_MAX);
  for (size_t i = 0; i < r->nfindings; i++) {
    const fo_audit_finding *f = &r->findings[i];
    fo_audit_report_step_counts *c = &out[(unsigned)f->step < FO_AUDIT_STEP_MAX ? f->step : FO_AUDIT_STEP_OTHER];
    c->findings++;
    if (fo_audit_finding_fails(f))
      c->failing++;
    else if (f->classification == FO_AUDIT_CLASS_EXPECTED)
      c->expected++;
    else if (f->classification == FO_AUDIT_CLASS_STALE_EXPECTED)
      c->stale++;
  }
  for (size_t i = 0; i < r->nsubjects; i++) {
    fo_audit_step s = r->subjects[i].step;
    out[(unsigned)s < FO_AUDIT_STEP_MAX ? s : FO_AUDIT_STEP_OTHER].subjects++;
  }
}

static int cmp_finding_ptr(const void *pa, const void *pb) {
  const fo_audit_finding *a = *(const fo_audit_finding *const *)pa;
  const fo_audit_finding *b = *(const fo_audit_finding *const *)pb;
  int c;
  if ((c = strcmp(a->resource.key ? a->resource.key : "", b->resource.key ? b->resource.key : "")) != 0)
    return c;
  if ((c = strcmp(a->path ? a->path : "", b->path ? b->path : "")) != 0)
    return c;
  if ((c = strcmp(a->rule_id ? a->rule_id : "", b->rule_id ? b->rule_id : "")) != 0)
    return c;
  if (a->side != b->side)
    return a->side < b->side ? -1 : 1;
  return strcmp(a->id ? a->id : "", b->id ? b->id : "");
}

static fo_audit_step step_of(const fo_audit_finding *f) {
  return (unsigned)f->step < FO_AUDIT_STEP_MAX ? f->step : FO_AUDIT_STEP_OTHER;
}

int fo_audit_report_step_findings(const fo_audit_finding ***out, size_t *n, const fo_audit_result *r,
                                  fo_audit_step step) {
  const fo_audit_finding **v;
  size_t k = 0;

  *out = NULL;
  *n = 0;
  for (size_t i = 0; i < r->nfindings; i++)
    k += step_of(&r->findings[i]) == step;
  if (k == 0)
    return 0;
  if (!(v = malloc(k * sizeof *v)))
    return fo_err_oom();
  k = 0;
  for (size_t i = 0; i < r->nfindings; i++)
    if (step_of(&r->findings[i]) == step)
      v[k++] = &r->findings[i];
  qsort(v, k, sizeof *v, cmp_finding_ptr);
  *out = v;
  *n = k;
  return 0;
}

int fo_audit_report_put_json(fo_buf *out, const cJSON *doc, const char *what) {
  char *text = cJSON_Print(doc);
  int err;

  if (!text)
    return fo_err_set(FO_ENOMEM, "out of memory printing the %s report", what);
  if ((err = fo_buf_puts(out, text)) == 0)
    err = fo_buf_puts(out, "\n");
  cJSON_free(text);
  return err;
}
