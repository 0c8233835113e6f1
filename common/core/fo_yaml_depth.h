/* fo_yaml_depth: the bound every YAML reader checks before libyaml sees a text (the auditor's config and
 * manifests, the kubeconfig): flow-collection nesting ([ and {), counted by a plain byte scan. */
#ifndef FO_YAML_DEPTH_H
#define FO_YAML_DEPTH_H

#include <stddef.h>

/* libyaml's scanner is quadratic in the nesting of flow collections: 200,000 levels, 400 KB of text, take three
 * minutes. Quotes are not parsed, so brackets inside strings count too; real files stay far below the bound. */
#define FO_YAML_MAX_FLOW_DEPTH 4096

/* 0 when the text's running count of open brackets stays within FO_YAML_MAX_FLOW_DEPTH, else the 1-based line
 * where it is exceeded, with the 1-based column (in bytes) in *column. */
size_t fo_yaml_flow_too_deep(const char *data, size_t len, size_t *column);

#endif
