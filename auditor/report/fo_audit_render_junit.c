/* fo_audit_render_junit: JUnit XML for GitLab's test report widget. One testsuite per sync checklist step,
 * one testcase per resource checked in that step (failure when it has drift that fails the gate, skipped
 * when its only findings are expected differences or stale entries, passed otherwise), and a "sources"
 * suite whose unreadable sources are errors. Written with libxml2's xmlTextWriter, which does the escaping. */
#include "fo_audit_model.h"
#include "fo_audit_report.h"
#include "fo_err.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

typedef enum { CASE_PASS, CASE_SKIP, CASE_FAIL, CASE_ERROR } case_outcome;

/* One testcase of a step: a resource key and its findings v[first .. first+n). */
typedef struct junit_case {
  const char *key;
  size_t first, n;
  case_outcome outcome;
} junit_case;

typedef struct junit_counts {
  size_t tests, failures, errors, skipped;
} junit_counts;

#define W(call)                                                  \
  do {                                                           \
    if ((call) < 0) {                                            \
      err = fo_err_set(FO_ERR, "cannot write the junit report"); \
      goto done;                                                 \
    }                                                            \
  } while (0)

static int cmp_str_ptr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Write `s` as element text or attribute value after making it XML-safe (control characters, bad UTF-8). */
static int put_text(xmlTextWriterPtr w, const char *attr, const char *s, int keep_newlines) {
  fo_buf b = FO_BUF_INIT;
  int err, rc;
  if ((err = fo_audit_report_put_safe(&b, s ? s : "", keep_newlines)) < 0)
    return err;
  rc = attr ? xmlTextWriterWriteAttribute(w, BAD_CAST attr, BAD_CAST b.data)
            : xmlTextWriterWriteString(w, BAD_CAST b.data);
  fo_buf_dispose(&b);
  return rc < 0 ? fo_err_set(FO_ERR, "cannot write the junit report") : 0;
}

static int put_count(xmlTextWriterPtr w, const char *attr, size_t n) {
  return xmlTextWriterWriteFormatAttribute(w, BAD_CAST attr, "%zu", n) < 0
             ? fo_err_set(FO_ERR, "cannot write the junit report")
             : 0;
}

static int put_counts(xmlTextWriterPtr w, const junit_counts *c) {
  int err;
  if ((err = put_count(w, "tests", c->tests)) < 0 || (err = put_count(w, "failures", c->failures)) < 0 ||
      (err = put_count(w, "errors", c->errors)) < 0 || (err = put_count(w, "skipped", c->skipped)) < 0)
    return err;
  return 0;
}

static void count_case(junit_counts *c, case_outcome o) {
  c->tests++;
  c->failures += o == CASE_FAIL;
  c->errors += o == CASE_ERROR;
  c->skipped += o == CASE_SKIP;
}

/* The text of one finding inside a failure/skipped element. */
static int finding_body(fo_buf *b, const fo_audit_finding *f) {
  char *pv = NULL, *sv = NULL, *reason = NULL;
  int err;

  if ((err = fo_audit_report_value(&pv, f, FO_AUDIT_SIDE_PRIMARY)) < 0 ||
      (err = fo_audit_report_value(&sv, f, FO_AUDIT_SIDE_SECONDARY)) < 0 ||
      (err = fo_audit_report_redacted(&reason, f->expected_reason)) < 0)
    goto done;
  if ((err = fo_buf_printf(b, "[%s] %s (%s, %s): %s\n  at:        %s\n  id:        %s\n",
                           fo_audit_class_name(f->classification), f->rule_id, fo_audit_severity_name(f->severity),
                           fo_audit_side_name(f->side), fo_audit_report_title(f), f->full_path, f->id)) < 0 ||
      (err = fo_buf_printf(b, "  primary:   %s\n  secondary: %s\n", pv ? pv : "(absent)", sv ? sv : "(absent)")) < 0)
    goto done;
  if (f->expected_pattern &&
      (err = fo_buf_printf(b, "  expected:  %s (%s%s%s)\n", f->expected_pattern, reason ? reason : "no reason given",
                           f->expected_expires ? ", expires " : "", f->expected_expires ? f->expected_expires : "")) <
          0)
    goto done;
  if (f->fix_hint)
    err = fo_buf_printf(b, "  fix:       %s\n", f->fix_hint);
done:
  free(pv);
  free(sv);
  free(reason);
  return err;
}

/* Group the step's findings by resource key, together with the resources that were compared cleanly. */
static int step_cases(junit_case **out, size_t *nout, const fo_audit_result *r, fo_audit_step step,
                      const fo_audit_finding *const *v, size_t nv) {
  const char **keys = NULL;
  junit_case *cases = NULL;
  size_t nkeys = 0, ncases = 0, p = 0;
  int err = 0;

  *out = NULL;
  *nout = 0;
  if (r->nsubjects + nv == 0)
    return 0;
  if (!(keys = malloc((r->nsubjects + nv) * sizeof *keys))) {
    err = fo_err_oom();
    goto done;
  }
  for (size_t i = 0; i < r->nsubjects; i++)
    if (r->subjects[i].step == step)
      keys[nkeys++] = r->subjects[i].key;
  for (size_t i = 0; i < nv; i++)
    keys[nkeys++] = v[i]->resource.key;
  if (nkeys == 0)
    goto done;
  qsort(keys, nkeys, sizeof *keys, cmp_str_ptr);
  if (!(cases = calloc(nkeys, sizeof *cases))) {
    err = fo_err_oom();
    goto done;
  }
  /* v is sorted by key with the same strcmp order, so one merge walk pairs keys and findings. */
  for (size_t i = 0; i < nkeys; i++) {
    junit_case *c;
    if (i > 0 && strcmp(keys[i], keys[i - 1]) == 0)
      continue;
    c = &cases[ncases++];
    c->key = keys[i];
    c->first = p;
    c->outcome = CASE_PASS;
    while (p < nv && strcmp(v[p]->resource.key, keys[i]) == 0) {
      if (fo_audit_finding_fails(v[p]))
        c->outcome = CASE_FAIL;
      else if (c->outcome == CASE_PASS)
        c->outcome = CASE_SKIP;
      p++;
    }
    c->n = p - c->first;
  }
  *out = cases;
  *nout = ncases;
  cases = NULL;
done:
  free(keys);
  free(cases);
  return err;
}

static int write_case(xmlTextWriterPtr w, const char *classname, const junit_case *c,
                      const fo_audit_finding *const *v) {
  fo_buf body = FO_BUF_INIT, msg = FO_BUF_INIT;
  const char *file = NULL;
  size_t nfail = 0;
  int err = 0;

  for (size_t i = c->first; i < c->first + c->n; i++) {
    const fo_audit_finding *f = v[i];
    nfail += fo_audit_finding_fails(f);
    if (!file)
      file = f->side == FO_AUDIT_SIDE_SECONDARY && f->secondary_loc.file ? f->secondary_loc.file
             : f->primary_loc.file                                       ? f->primary_loc.file
                                                                         : f->secondary_loc.file;
    if ((err = finding_body(&body, f)) < 0)
      goto done;
  }
  W(xmlTextWriterStartElement(w, BAD_CAST "testcase"));
  if ((err = put_text(w, "name", c->key, 0)) < 0 || (err = put_text(w, "classname", classname, 0)) < 0)
    goto done;
  if (file && (err = put_text(w, "file", file, 0)) < 0)
    goto done;
  if (c->outcome != CASE_PASS) {
    const fo_audit_finding *lead = v[c->first];
    /* The message names the first failing rule (or the first finding) and how many there are. */
    for (size_t i = c->first; c->outcome == CASE_FAIL && i < c->first + c->n; i++)
      if (fo_audit_finding_fails(v[i])) {
        lead = v[i];
        break;
      }
    if (c->outcome == CASE_FAIL)
      err = fo_buf_printf(&msg, "%zu failing %s: %s", nfail, nfail == 1 ? "finding" : "findings", lead->rule_id);
    else
      err = fo_buf_printf(&msg, "%zu %s, not failing the gate: %s", c->n,
                          lead->classification == FO_AUDIT_CLASS_STALE_EXPECTED ? "stale expected_differences entry"
                                                                                : "expected difference",
                          lead->expected_pattern ? lead->expected_pattern : lead->rule_id);
    if (err < 0)
      goto done;
    W(xmlTextWriterStartElement(w, BAD_CAST(c->outcome == CASE_FAIL ? "failure" : "skipped")));
    if ((err = put_text(w, "message", msg.data, 0)) < 0 || (err = put_text(w, "type", lead->rule_id, 0)) < 0 ||
        (err = put_text(w, NULL, body.data, 1)) < 0)
      goto done;
    W(xmlTextWriterEndElement(w));
  }
  W(xmlTextWriterEndElement(w));
done:
  fo_buf_dispose(&body);
  fo_buf_dispose(&msg);
  return err;
}

static int write_sources(xmlTextWriterPtr w, const fo_audit_result *r, junit_counts *total) {
  junit_counts c = {0};
  fo_buf name = FO_BUF_INIT;
  char *msg = NULL;
  int err = 0;

  if (r->nsources == 0)
    return 0;
  for (size_t i = 0; i < r->nsources; i++)
    count_case(&c, r->sources[i].state == FO_AUDIT_SOURCE_UNREADABLE ? CASE_ERROR
                   : r->sources[i].state == FO_AUDIT_SOURCE_SKIPPED  ? CASE_SKIP
                                                                     : CASE_PASS);
  W(xmlTextWriterStartElement(w, BAD_CAST "testsuite"));
  W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "Sources"));
  if ((err = put_counts(w, &c)) < 0)
    goto done;
  W(xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST "sources"));
  for (size_t i = 0; i < r->nsources; i++) {
    const fo_audit_source_status *s = &r->sources[i];
    unsigned dup = 1;
    /* GitLab keeps only the first of equal test names. */
    for (size_t k = 0; k < i; k++)
      dup += s->side == r->sources[k].side && strcmp(s->name, r->sources[k].name) == 0;
    fo_buf_clear(&name);
    if ((err = dup > 1 ? fo_buf_printf(&name, "%s (%s) #%u", s->name, fo_audit_side_name(s->side), dup)
                       : fo_buf_printf(&name, "%s (%s)", s->name, fo_audit_side_name(s->side))) < 0)
      goto done;
    W(xmlTextWriterStartElement(w, BAD_CAST "testcase"));
    if ((err = put_text(w, "name", name.data, 0)) < 0 ||
        (err = put_text(w, "classname", "failover-audit.sources", 0)) < 0)
      goto done;
    if (s->state == FO_AUDIT_SOURCE_UNREADABLE) {
      if ((err = fo_audit_report_redacted(&msg, s->message)) < 0)
        goto done;
      W(xmlTextWriterStartElement(w, BAD_CAST "error"));
      if ((err = put_text(w, "message", msg ? msg : "source could not be read", 0)) < 0 ||
          (err = put_text(w, "type", "source.unreadable", 0)) < 0 ||
          (err = put_text(w, NULL, s->location ? s->location : "", 1)) < 0)
        goto done;
      W(xmlTextWriterEndElement(w));
      free(msg);
      msg = NULL;
    } else if (s->state == FO_AUDIT_SOURCE_SKIPPED) {
      W(xmlTextWriterStartElement(w, BAD_CAST "skipped"));
      W(xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST "not configured for this run"));
      W(xmlTextWriterEndElement(w));
    }
    W(xmlTextWriterEndElement(w));
  }
  W(xmlTextWriterEndElement(w));
  total->tests += c.tests;
  total->failures += c.failures;
  total->errors += c.errors;
  total->skipped += c.skipped;
done:
  free(msg);
  fo_buf_dispose(&name);
  return err;
}

/* All counts go into the opening tags, so cases are grouped for every step before anything is written. */
typedef struct junit_step {
  const fo_audit_finding **v;
  size_t nv;
  junit_case *cases;
  size_t ncases;
  junit_counts counts;
} junit_step;

static int write_all(xmlTextWriterPtr w, const fo_audit_result *r, junit_step *steps) {
  int first, end;
  junit_counts total = {0};
  fo_buf classname = FO_BUF_INIT;
  int err = 0;
  fo_audit_result_steps(r, &first, &end);

  for (int s = first; s < end; s++) {
    junit_step *st = &steps[s];
    if ((err = fo_audit_report_step_findings(&st->v, &st->nv, r, (fo_audit_step)s)) < 0 ||
        (err = step_cases(&st->cases, &st->ncases, r, (fo_audit_step)s, st->v, st->nv)) < 0)
      goto done;
    for (size_t i = 0; i < st->ncases; i++)
      count_case(&st->counts, st->cases[i].outcome);
    total.tests += st->counts.tests;
    total.failures += st->counts.failures;
    total.skipped += st->counts.skipped;
  }
  for (size_t i = 0; i < r->nsources; i++) {
    total.tests++;
    total.errors += r->sources[i].state == FO_AUDIT_SOURCE_UNREADABLE;
    total.skipped += r->sources[i].state == FO_AUDIT_SOURCE_SKIPPED;
  }

  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
  W(xmlTextWriterStartElement(w, BAD_CAST "testsuites"));
  W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "failover-audit"));
  if ((err = put_counts(w, &total)) < 0)
    goto done;
  total = (junit_counts){0};
  if ((err = write_sources(w, r, &total)) < 0)
    goto done;
  for (int s = first; s < end; s++) {
    junit_step *st = &steps[s];
    if (st->ncases == 0)
      continue;
    fo_buf_clear(&classname);
    if ((err = fo_buf_printf(&classname, "failover-audit.%s", fo_audit_step_name((fo_audit_step)s))) < 0)
      goto done;
    W(xmlTextWriterStartElement(w, BAD_CAST "testsuite"));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST fo_audit_step_title((fo_audit_step)s)));
    if ((err = put_counts(w, &st->counts)) < 0)
      goto done;
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST fo_audit_step_name((fo_audit_step)s)));
    for (size_t i = 0; i < st->ncases; i++)
      if ((err = write_case(w, classname.data, &st->cases[i], st->v)) < 0)
        goto done;
    W(xmlTextWriterEndElement(w));
  }
  W(xmlTextWriterEndElement(w));
  W(xmlTextWriterEndDocument(w));
done:
  fo_buf_dispose(&classname);
  return err;
}

int fo_audit_render_junit(const fo_audit_result *r, fo_buf *out) {
  int first, end;
  junit_step steps[FO_AUDIT_STEP_MAX];
  xmlBufferPtr xbuf = xmlBufferCreate();
  xmlTextWriterPtr w = xbuf ? xmlNewTextWriterMemory(xbuf, 0) : NULL;
  int err = 0;
  fo_audit_result_steps(r, &first, &end);

  memset(steps, 0, sizeof steps);
  if (!w) {
    err = fo_err_oom();
    goto done;
  }
  if (xmlTextWriterSetIndent(w, 1) < 0 || xmlTextWriterSetIndentString(w, BAD_CAST "  ") < 0) {
    err = fo_err_set(FO_ERR, "cannot write the junit report");
    goto done;
  }
  if ((err = write_all(w, r, steps)) < 0)
    goto done;
  xmlFreeTextWriter(w); /* flushes into xbuf */
  w = NULL;
  err = fo_buf_append(out, xmlBufferContent(xbuf), (size_t)xmlBufferLength(xbuf));
done:
  for (int s = first; s < end; s++) {
    free(steps[s].v);
    free(steps[s].cases);
  }
  xmlFreeTextWriter(w);
  xmlBufferFree(xbuf);
  return err;
}
