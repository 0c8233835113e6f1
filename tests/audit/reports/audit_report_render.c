/* audit_report_render: writes one report of a fixture result set to stdout, for the audit.reports.* tests
 * and for regenerating the golden files (update-golden.sh).
 * usage: audit_report_render FORMAT [drift|clean|unreadable] [SALT]   (built by tests/unit/audit_report/)
 * FORMAT: text, text-color, markdown, json, junit, codequality. */
#include "fo_audit_model.h"
#include "fo_err.h"
#include "report_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  fixture_kind kind = FIXTURE_DRIFT;
  fo_audit_result *r = NULL;
  fo_buf out = FO_BUF_INIT;
  const char *fmt;
  int salt = 0, err, rc = 1;

  if (argc < 2 || argc > 4) {
    fprintf(stderr, "usage: audit_report_render FORMAT [drift|clean|unreadable] [SALT]\n");
    return 2;
  }
  fmt = argv[1];
  if (argc > 2) {
    if (strcmp(argv[2], "clean") == 0)
      kind = FIXTURE_CLEAN;
    else if (strcmp(argv[2], "unreadable") == 0)
      kind = FIXTURE_UNREADABLE;
    else if (strcmp(argv[2], "drift") != 0) {
      fprintf(stderr, "audit_report_render: unknown fixture '%s'\n", argv[2]);
      return 2;
    }
  }
  if (argc > 3)
    salt = (int)strtol(argv[3], NULL, 10);
  if (!(r = report_fixture_new(kind, salt))) {
    fprintf(stderr, "audit_report_render: cannot build the fixture\n");
    return 1;
  }
  if (strcmp(fmt, "text") == 0)
    err = fo_audit_render_text(r, &out, 0);
  else if (strcmp(fmt, "text-color") == 0)
    err = fo_audit_render_text(r, &out, 1);
  else if (strcmp(fmt, "markdown") == 0)
    err = fo_audit_render_markdown(r, &out);
  else if (strcmp(fmt, "json") == 0)
    err = fo_audit_render_json(r, &out);
  else if (strcmp(fmt, "junit") == 0)
    err = fo_audit_render_junit(r, &out);
  else if (strcmp(fmt, "codequality") == 0)
    err = fo_audit_render_codequality(r, &out);
  else {
    fprintf(stderr, "audit_report_render: unknown format '%s'\n", fmt);
    rc = 2;
    goto done;
  }
  if (err < 0) {
    fprintf(stderr, "audit_report_render: %s\n", fo_err_last());
    goto done;
  }
  if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len) {
    fprintf(stderr, "audit_report_render: cannot write stdout\n");
    goto done;
  }
  rc = fflush(stdout) == 0 ? 0 : 1;
done:
  fo_buf_dispose(&out);
  fo_audit_result_free(r);
  return rc;
}
