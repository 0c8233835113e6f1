/* fo_audit_render: the table of report renderers (one file per format in auditor/report/). Choosing a format
 * goes through this table only: an unknown name is an error that lists the valid ones, never a fallback. */
#ifndef FO_AUDIT_RENDER_H
#define FO_AUDIT_RENDER_H

#include <stddef.h>

#include "fo_audit_model.h"
#include "fo_buf.h"

/* The first line of every markdown report (docs/report-formats.md): how a CI job finds its earlier
 * merge-request note. Never change it without bumping the version in it. */
#define FO_AUDIT_MARKDOWN_MARKER "<!-- failover-audit:report v1 -->"

typedef struct fo_audit_renderer {
  const char *name; /* "--format" value: "text" */
  const char *what; /* one line for --help */
  /* Append the whole report for a finished result; color is only used by the text format. */
  int (*render)(const fo_audit_result *r, fo_buf *out, int color);
} fo_audit_renderer;

/* All renderers, in --help order; *n receives the count. */
const fo_audit_renderer *fo_audit_renderers(size_t *n);
/* The renderer of a format, or NULL. */
const fo_audit_renderer *fo_audit_renderer_find(const char *name);
/* "text, markdown, json, junit, codequality" (static). */
const char *fo_audit_renderer_names(void);
/* Render `r` as `format`: FO_EINVAL "unknown report format 'x' (valid: ...)" for an unknown one. */
int fo_audit_render(const fo_audit_result *r, const char *format, fo_buf *out, int color);

#endif
