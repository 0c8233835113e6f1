/* fo_audit_render: the renderer table. */
#include "fo_audit_render.h"
#include "fo_err.h"

#include <string.h>

static int text(const fo_audit_result *r, fo_buf *out, int color) {
  return fo_audit_render_text(r, out, color);
}
static int markdown(const fo_audit_result *r, fo_buf *out, int color) {
  (void)color;
  return fo_audit_render_markdown(r, out);
}
static int json(const fo_audit_result *r, fo_buf *out, int color) {
  (void)color;
  return fo_audit_render_json(r, out);
}
static int junit(const fo_audit_result *r, fo_buf *out, int color) {
  (void)color;
  return fo_audit_render_junit(r, out);
}
static int codequality(const fo_audit_result *r, fo_buf *out, int color) {
  (void)color;
  return fo_audit_render_codequality(r, out);
}

static const fo_audit_renderer renderers[] = {
    {"text", "readable summary grouped by checklist step (default)", text},
    {"markdown", "merge-request note", markdown},
    {"json", "machine-readable report (docs/report-formats.md)", json},
    {"junit", "JUnit XML, one testcase per compared object", junit},
    {"codequality", "GitLab Code Quality", codequality},
};

const fo_audit_renderer *fo_audit_renderers(size_t *n) {
  *n = sizeof renderers / sizeof renderers[0];
  return renderers;
}

const fo_audit_renderer *fo_audit_renderer_find(const char *name) {
  for (size_t i = 0; name && i < sizeof renderers / sizeof renderers[0]; i++)
    if (!strcmp(renderers[i].name, name))
      return &renderers[i];
  return NULL;
}

const char *fo_audit_renderer_names(void) {
  static char names[128];
  if (!names[0]) {
    size_t at = 0;
    for (size_t i = 0; i < sizeof renderers / sizeof renderers[0]; i++) {
      size_t l = strlen(renderers[i].name);
      if (at + l + 3 >= sizeof names)
        break;
      if (i) {
        memcpy(names + at, ", ", 2);
        at += 2;
      }
      memcpy(names + at, renderers[i].name, l);
      at += l;
    }
    names[at] = '\0';
  }
  return names;
}

int fo_audit_render(const fo_audit_result *r, const char *format, fo_buf *out, int color) {
  const fo_audit_renderer *rd = fo_audit_renderer_find(format);
  if (!rd)
    return fo_err_set(FO_EINVAL, "unknown report format '%s' (valid: %s)", format ? format : "",
                      fo_audit_renderer_names());
  return rd->render(r, out, color);
}
