/* fo_audit_model: result set storage, names of the model's enums, stable finding ids. */
#include "fo_audit_model.h"
#include "fo_err.h"
#include "fo_sha256.h"

#include <stdlib.h>
#include <string.h>

const char *fo_audit_severity_name(fo_audit_severity s) {
  switch (s) {
    case FO_AUDIT_SEV_ERROR:
      return "error";
    case FO_AUDIT_SEV_WARNING:
      return "warning";
    case FO_AUDIT_SEV_INFO:
      return "info";
  }
  return "error";
}

const char *fo_audit_class_name(fo_audit_class c) {
  switch (c) {
    case FO_AUDIT_CLASS_UNEXPECTED:
      return "unexpected";
    case FO_AUDIT_CLASS_EXPECTED:
      return "expected";
    case FO_AUDIT_CLASS_EXPIRED_EXPECTED:
      return "expired-expected";
    case FO_AUDIT_CLASS_STALE_EXPECTED:
      return "stale-expected-entry";
    case FO_AUDIT_CLASS_SIDE_CHECK:
      return "side-check-failure";
  }
  return "unexpected";
}

const char *fo_audit_rule_kind_name(fo_audit_rule_kind k) {
  switch (k) {
    case FO_AUDIT_RULE_MUST_MATCH:
      return "must-match";
    case FO_AUDIT_RULE_SIDE_CHECK:
      return "side-check";
    case FO_AUDIT_RULE_META:
      return "meta";
  }
  return "must-match";
}

static const char *const step_names[FO_AUDIT_STEP_MAX] = {
    "cluster-versions", "addons",       "configmaps", "terraform", "backup-plans", "dns-weights",  "other",
    "network",          "applications", "messaging",  "data",      "integrity",    "observability"};
static const char *const step_titles[FO_AUDIT_STEP_MAX] = {
    "Cluster versions", "Add-ons",     "ConfigMaps", "Terraform recipes/state",
    "Backup plans",     "DNS/weights", "Other",      "Network",
    "Applications",     "Messaging",   "Data",       "Integrity",
    "Observability"};

void fo_audit_result_steps(const fo_audit_result *r, int *first, int *end) {
  int verify = r && r->command && !strcmp(r->command, "verify");
  *first = verify ? FO_AUDIT_STEP_NETWORK : 0;
  *end = verify ? FO_AUDIT_STEP_MAX : FO_AUDIT_STEP_COUNT;
}

const char *fo_audit_step_name(fo_audit_step s) {
  return (unsigned)s < FO_AUDIT_STEP_MAX ? step_names[s] : "other";
}

const char *fo_audit_step_title(fo_audit_step s) {
  return (unsigned)s < FO_AUDIT_STEP_MAX ? step_titles[s] : "Other";
}

const char *fo_audit_side_name(fo_audit_side s) {
  switch (s) {
    case FO_AUDIT_SIDE_BOTH:
      return "both";
    case FO_AUDIT_SIDE_PRIMARY:
      return "primary";
    case FO_AUDIT_SIDE_SECONDARY:
      return "secondary";
  }
  return "both";
}

const char *fo_audit_source_state_name(fo_audit_source_state s) {
  switch (s) {
    case FO_AUDIT_SOURCE_OK:
      return "ok";
    case FO_AUDIT_SOURCE_UNREADABLE:
      return "unreadable";
    case FO_AUDIT_SOURCE_SKIPPED:
      return "skipped";
  }
  return "ok";
}

fo_audit_result *fo_audit_result_new(void) {
  return calloc(1, sizeof(fo_audit_result));
}

static void loc_dispose(fo_audit_location *l) {
  free(l->file);
  l->file = NULL;
}

void fo_audit_finding_dispose(fo_audit_finding *f) {
  if (!f)
    return;
  free(f->id);
  free(f->rule_id);
  free(f->check);
  free(f->resource.key);
  free(f->resource.kind);
  free(f->resource.ns);
  free(f->resource.name);
  free(f->resource.address);
  free(f->path);
  free(f->full_path);
  free(f->primary_value);
  free(f->secondary_value);
  free(f->message);
  free(f->fix_hint);
  loc_dispose(&f->primary_loc);
  loc_dispose(&f->secondary_loc);
  free(f->expected_pattern);
  free(f->expected_reason);
  free(f->expected_expires);
  loc_dispose(&f->expected_loc);
  memset(f, 0, sizeof *f);
}

void fo_audit_result_free(fo_audit_result *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->nfindings; i++)
    fo_audit_finding_dispose(&r->findings[i]);
  free(r->findings);
  for (size_t i = 0; i < r->nsources; i++) {
    free(r->sources[i].name);
    free(r->sources[i].location);
    free(r->sources[i].message);
  }
  free(r->sources);
  for (size_t i = 0; i < r->nsubjects; i++) {
    free(r->subjects[i].key);
    free(r->subjects[i].check);
  }
  free(r->subjects);
  free(r->command);
  free(r->tool_version);
  free(r->config_path);
  free(r->primary.name);
  free(r->primary.region);
  free(r->secondary.name);
  free(r->secondary.region);
  free(r);
}

/* strdup that keeps NULL and records an allocation failure in *failed. */
static char *dup_or_null(const char *s, int *failed) {
  char *d;
  if (!s)
    return NULL;
  d = strdup(s);
  if (!d)
    *failed = 1;
  return d;
}

static int grow(void **arr, size_t *cap, size_t n, size_t elem) {
  size_t ncap;
  void *p;
  if (n < *cap)
    return 0;
  ncap = *cap ? *cap * 2 : 16;
  p = realloc(*arr, ncap * elem);
  if (!p)
    return fo_err_oom();
  *arr = p;
  *cap = ncap;
  return 0;
}

static char *make_full_path(const char *key, const char *path, int *failed) {
  fo_buf b = FO_BUF_INIT;
  if (fo_buf_puts(&b, key ? key : "") < 0 ||
      (path && *path && (fo_buf_puts(&b, "/") < 0 || fo_buf_puts(&b, path) < 0))) {
    fo_buf_dispose(&b);
    *failed = 1;
    return NULL;
  }
  return fo_buf_detach(&b, NULL);
}

static char *make_id(const char *rule, const char *full_path, int *failed) {
  char hex[FO_SHA256_HEX_SIZE];
  fo_buf b = FO_BUF_INIT;
  char *id = NULL;

  /* the id is the first 16 hex digits of SHA-256("<rule>\n<full_path>") */
  if (fo_buf_puts(&b, rule) == 0 && fo_buf_append(&b, "\n", 1) == 0 && fo_buf_puts(&b, full_path) == 0 &&
      fo_sha256_hex(hex, b.data, b.len) == 0 && (id = malloc(17)) != NULL) {
    memcpy(id, hex, 16);
    id[16] = '\0';
  }
  fo_buf_dispose(&b);
  if (!id)
    *failed = 1;
  return id;
}

int fo_audit_result_add(fo_audit_result *r, const fo_audit_finding *f, fo_audit_finding **out) {
  fo_audit_finding *d;
  int failed = 0;
  int err;

  if ((err = grow((void **)&r->findings, &r->cap_findings, r->nfindings, sizeof *r->findings)) < 0)
    return err;
  d = &r->findings[r->nfindings];
  memset(d, 0, sizeof *d);
  d->rule_kind = f->rule_kind;
  d->severity = f->severity;
  d->classification = f->classification;
  d->side = f->side;
  d->sensitive = f->sensitive;
  d->step = f->step;
  d->primary_loc.line = f->primary_loc.line;
  d->secondary_loc.line = f->secondary_loc.line;
  d->expected_loc.line = f->expected_loc.line;
  d->rule_id = dup_or_null(f->rule_id ? f->rule_id : "unknown", &failed);
  d->check = dup_or_null(f->check, &failed);
  d->resource.key = dup_or_null(f->resource.key ? f->resource.key : "", &failed);
  d->resource.kind = dup_or_null(f->resource.kind, &failed);
  d->resource.ns = dup_or_null(f->resource.ns, &failed);
  d->resource.name = dup_or_null(f->resource.name, &failed);
  d->resource.address = dup_or_null(f->resource.address, &failed);
  d->path = dup_or_null(f->path ? f->path : "", &failed);
  d->primary_value = dup_or_null(f->primary_value, &failed);
  d->secondary_value = dup_or_null(f->secondary_value, &failed);
  d->message = dup_or_null(f->message, &failed);
  d->fix_hint = dup_or_null(f->fix_hint, &failed);
  d->primary_loc.file = dup_or_null(f->primary_loc.file, &failed);
  d->secondary_loc.file = dup_or_null(f->secondary_loc.file, &failed);
  d->expected_pattern = dup_or_null(f->expected_pattern, &failed);
  d->expected_reason = dup_or_null(f->expected_reason, &failed);
  d->expected_expires = dup_or_null(f->expected_expires, &failed);
  d->expected_loc.file = dup_or_null(f->expected_loc.file, &failed);
  if (!failed)
    d->full_path =
        f->full_path ? dup_or_null(f->full_path, &failed) : make_full_path(d->resource.key, d->path, &failed);
  if (!failed)
    d->id = f->id ? dup_or_null(f->id, &failed) : make_id(d->rule_id, d->full_path, &failed);
  if (failed) {
    fo_audit_finding_dispose(d);
    return fo_err_oom();
  }
  r->nfindings++;
  if (out)
    *out = d;
  return 0;
}

int fo_audit_result_add_source(fo_audit_result *r, const char *name, fo_audit_side side, fo_audit_source_state state,
                               const char *location, const char *message) {
  fo_audit_source_status *s;
  int failed = 0;
  int err;

  if ((err = grow((void **)&r->sources, &r->cap_sources, r->nsources, sizeof *r->sources)) < 0)
    return err;
  s = &r->sources[r->nsources];
  s->side = side;
  s->state = state;
  s->name = dup_or_null(name ? name : "", &failed);
  s->location = dup_or_null(location, &failed);
  s->message = dup_or_null(message, &failed);
  if (failed) {
    free(s->name);
    free(s->location);
    free(s->message);
    return fo_err_oom();
  }
  r->nsources++;
  return 0;
}

int fo_audit_result_add_subject(fo_audit_result *r, const char *key, const char *check, fo_audit_step step) {
  return fo_audit_result_add_timed_subject(r, key, check, step, 0, 0);
}

int fo_audit_result_add_timed_subject(fo_audit_result *r, const char *key, const char *check, fo_audit_step step,
                                      long long started_ms, long long finished_ms) {
  fo_audit_subject *s;
  int failed = 0;
  int err;

  if ((err = grow((void **)&r->subjects, &r->cap_subjects, r->nsubjects, sizeof *r->subjects)) < 0)
    return err;
  s = &r->subjects[r->nsubjects];
  s->step = step;
  s->started_ms = started_ms;
  s->finished_ms = finished_ms;
  s->key = dup_or_null(key ? key : "", &failed);
  s->check = dup_or_null(check, &failed);
  if (failed) {
    free(s->key);
    free(s->check);
    return fo_err_oom();
  }
  r->nsubjects++;
  return 0;
}

static int replace_str(char **dst, const char *src) {
  char *d = NULL;
  if (src && !(d = strdup(src)))
    return fo_err_oom();
  free(*dst);
  *dst = d;
  return 0;
}

int fo_audit_result_set_sides(fo_audit_result *r, const char *pname, const char *pregion, const char *sname,
                              const char *sregion) {
  int err;
  if ((err = replace_str(&r->primary.name, pname)) < 0 || (err = replace_str(&r->primary.region, pregion)) < 0 ||
      (err = replace_str(&r->secondary.name, sname)) < 0 || (err = replace_str(&r->secondary.region, sregion)) < 0)
    return err;
  return 0;
}

int fo_audit_finding_fails(const fo_audit_finding *f) {
  return f->classification == FO_AUDIT_CLASS_UNEXPECTED || f->classification == FO_AUDIT_CLASS_EXPIRED_EXPECTED ||
         f->classification == FO_AUDIT_CLASS_SIDE_CHECK;
}

static int cmp_finding(const void *pa, const void *pb) {
  const fo_audit_finding *a = pa, *b = pb;
  int c;
  if (a->step != b->step)
    return a->step < b->step ? -1 : 1;
  if ((c = strcmp(a->resource.key, b->resource.key)) != 0)
    return c;
  if ((c = strcmp(a->path, b->path)) != 0)
    return c;
  if ((c = strcmp(a->rule_id, b->rule_id)) != 0)
    return c;
  return strcmp(a->id, b->id);
}

void fo_audit_result_finish(fo_audit_result *r) {
  fo_audit_summary *s = &r->summary;

  if (r->nfindings > 1)
    qsort(r->findings, r->nfindings, sizeof *r->findings, cmp_finding);
  memset(s, 0, sizeof *s);
  s->total = r->nfindings;
  s->subjects = r->nsubjects;
  for (size_t i = 0; i < r->nfindings; i++) {
    const fo_audit_finding *f = &r->findings[i];
    switch (f->classification) {
      case FO_AUDIT_CLASS_UNEXPECTED:
        s->unexpected++;
        break;
      case FO_AUDIT_CLASS_EXPECTED:
        s->expected++;
        break;
      case FO_AUDIT_CLASS_EXPIRED_EXPECTED:
        s->expired_expected++;
        break;
      case FO_AUDIT_CLASS_STALE_EXPECTED:
        s->stale_expected++;
        break;
      case FO_AUDIT_CLASS_SIDE_CHECK:
        s->side_check++;
        break;
    }
    switch (f->severity) {
      case FO_AUDIT_SEV_ERROR:
        s->errors++;
        break;
      case FO_AUDIT_SEV_WARNING:
        s->warnings++;
        break;
      case FO_AUDIT_SEV_INFO:
        s->infos++;
        break;
    }
    if (fo_audit_finding_fails(f))
      s->failing++;
  }
  for (size_t i = 0; i < r->nsources; i++)
    if (r->sources[i].state == FO_AUDIT_SOURCE_UNREADABLE)
      s->unreadable_sources++;
}

int fo_audit_result_exit_code(const fo_audit_result *r) {
  if (r->summary.unreadable_sources)
    return 3;
  return r->summary.failing ? 1 : 0;
}
