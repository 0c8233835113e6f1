/* fo_audit_classify: scopes, expected differences, expiry and stale entries. */
#include "fo_audit_classify.h"
#include "fo_audit_glob.h"
#include "fo_audit_rules.h"
#include "fo_buf.h"
#include "fo_err.h"

#include <stdlib.h>
#include <string.h>

static int any_match(char *const *pats, size_t n, const char *path) {
  for (size_t i = 0; i < n; i++)
    if (fo_audit_glob_match(pats[i], path))
      return 1;
  return 0;
}

/* 1 when the check's scope keeps this finding. */
static int in_scope(const fo_audit_config *cfg, const fo_audit_finding *f) {
  const fo_audit_check_cfg *ch = f->check ? fo_audit_config_check(cfg, f->check) : NULL;
  if (!ch)
    return 1;
  if (ch->nmust_match)
    return any_match(ch->must_match, ch->nmust_match, f->full_path);
  return !any_match(ch->may_differ, ch->nmay_differ, f->full_path);
}

static int set_expected(fo_audit_finding *f, const fo_audit_config *cfg, const fo_audit_expected *e) {
  free(f->expected_pattern);
  free(f->expected_reason);
  free(f->expected_expires);
  free(f->expected_loc.file);
  f->expected_pattern = strdup(e->path);
  f->expected_reason = strdup(e->reason);
  f->expected_expires = e->expires ? strdup(e->expires) : NULL;
  f->expected_loc.file = strdup(cfg->path);
  f->expected_loc.line = e->line;
  if (!f->expected_pattern || !f->expected_reason || (e->expires && !f->expected_expires) || !f->expected_loc.file)
    return fo_err_oom();
  return 0;
}

int fo_audit_classify(fo_audit_result *r, const fo_audit_config *cfg, const char *today, int report_stale) {
  char *matched = NULL;
  size_t keep = 0;
  int err = 0;

  if (!cfg)
    return 0;
  if (cfg->nexpected && !(matched = calloc(cfg->nexpected, 1)))
    return fo_err_oom();
  for (size_t i = 0; i < r->nfindings; i++) {
    fo_audit_finding *f = &r->findings[i];
    if (!in_scope(cfg, f)) {
      fo_audit_finding_dispose(f);
      continue;
    }
    for (size_t k = 0; k < cfg->nexpected; k++) {
      const fo_audit_expected *e = &cfg->expected[k];
      if ((e->rule && strcmp(e->rule, f->rule_id) != 0) || !fo_audit_glob_match(e->path, f->full_path))
        continue;
      matched[k] = 1;
      /* "expires: 2026-06-30" still excuses the difference on June 30th */
      f->classification = e->expires && today && strcmp(today, e->expires) > 0 ? FO_AUDIT_CLASS_EXPIRED_EXPECTED
                                                                               : FO_AUDIT_CLASS_EXPECTED;
      if (f->classification == FO_AUDIT_CLASS_EXPECTED && f->severity == FO_AUDIT_SEV_ERROR)
        f->severity = FO_AUDIT_SEV_INFO;
      if ((err = set_expected(f, cfg, e)) < 0)
        goto done;
      break;
    }
    if (keep != i)
      r->findings[keep] = *f;
    keep++;
  }
  r->nfindings = keep;
  /* An entry is stale only when everything was compared and it matched nothing: on a run with an unreadable
   * source nothing (or only part) was compared, so a missing match proves nothing. */
  for (size_t i = 0; i < r->nsources; i++)
    if (r->sources[i].state == FO_AUDIT_SOURCE_UNREADABLE)
      report_stale = 0;
  if (!report_stale)
    goto done;
  for (size_t k = 0; k < cfg->nexpected; k++) {
    const fo_audit_expected *e = &cfg->expected[k];
    fo_audit_finding f;
    fo_buf key = FO_BUF_INIT, msg = FO_BUF_INIT;
    if (matched[k])
      continue;
    fo_audit_finding_from_rule(&f, "config.expected-difference-stale");
    if ((err = fo_buf_printf(&key, "config/expected_differences[%zu]", k)) < 0 ||
        (err = fo_buf_printf(&msg, "expected difference '%s' matches nothing: remove it", e->path)) < 0) {
      fo_buf_dispose(&key);
      fo_buf_dispose(&msg);
      goto done;
    }
    f.classification = FO_AUDIT_CLASS_STALE_EXPECTED;
    f.side = FO_AUDIT_SIDE_BOTH;
    f.check = (char *)"config";
    f.resource.key = key.data;
    f.resource.kind = (char *)"config";
    f.path = (char *)"";
    f.message = msg.data;
    f.expected_pattern = e->path;
    f.expected_reason = e->reason;
    f.expected_expires = e->expires;
    f.expected_loc.file = cfg->path;
    f.expected_loc.line = e->line;
    f.primary_loc.file = cfg->path;
    f.primary_loc.line = e->line;
    err = fo_audit_result_add(r, &f, NULL);
    fo_buf_dispose(&key);
    fo_buf_dispose(&msg);
    if (err < 0)
      goto done;
  }
done:
  free(matched);
  return err;
}
