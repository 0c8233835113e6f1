/* fo_aws_json: bounded JSON parsing of AWS responses and small cJSON helpers
 * that service calls and their callers share. */
#ifndef FO_AWS_JSON_H
#define FO_AWS_JSON_H

#include <stddef.h>
#include <cjson/cJSON.h>

#define FO_AWS_JSON_MAX_BYTES (32u << 20)

/* Parse `text[0..len)` (need not be NUL-terminated) into `*out`. An empty
 * body gives an empty object (rest-json calls with no output). Errors name the
 * byte offset. Nesting is bounded by cJSON (CJSON_NESTING_LIMIT). */
int fo_aws_json_parse(cJSON **out, const char *text, size_t len);

/* The string at a '/'-separated path of object keys ("A/B/C"), or NULL. */
const char *fo_aws_json_str(const cJSON *obj, const char *path);
/* The item at a path, or NULL. */
cJSON *fo_aws_json_get(const cJSON *obj, const char *path);

/* The array at a path, or NULL when absent or empty ("" from XML):
 * cJSON_ArrayForEach accepts NULL, so lists read the same either way. */
cJSON *fo_aws_json_list(const cJSON *obj, const char *path);

/* Move every item of array `src` to the end of array `dst` (pagination). */
void fo_aws_json_array_move(cJSON *dst, cJSON *src);

/* Zero every string in the tree, then delete it: for responses with secrets. */
void fo_aws_json_delete_wiped(cJSON *v);

#endif
