/* Bounded JSON parsing and path helpers over cJSON. */
#include "fo_aws_json.h"
#include "fo_err.h"

#include <string.h>

int fo_aws_json_parse(cJSON **out, const char *text, size_t len) {
  const char *end = NULL;
  cJSON *v;
  size_t i;

  *out = NULL;
  if (len > FO_AWS_JSON_MAX_BYTES)
    return fo_err_set(FO_ELIMIT, "json response of %zu bytes is over the limit", len);
  for (i = 0; i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'); i++) {
  }
  if (i == len) {
    if (!(*out = cJSON_CreateObject()))
      return fo_err_oom();
    return 0;
  }
  v = cJSON_ParseWithLengthOpts(text, len, &end, 0);
  if (!v) {
    size_t off = end && end >= text ? (size_t)(end - text) : 0;
    return fo_err_set(FO_EINVAL, "bad json response at byte %zu", off);
  }
  *out = v;
  return 0;
}

cJSON *fo_aws_json_get(const cJSON *obj, const char *path) {
  char key[128];
  const cJSON *cur = obj;
  while (cur && path && *path) {
    const char *slash = strchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : strlen(path);
    if (n >= sizeof(key))
      return NULL;
    memcpy(key, path, n);
    key[n] = '\0';
    cur = cJSON_IsObject(cur) ? cJSON_GetObjectItemCaseSensitive(cur, key) : NULL;
    path = slash ? slash + 1 : NULL;
  }
  return (cJSON *)cur;
}

const char *fo_aws_json_str(const cJSON *obj, const char *path) {
  cJSON *v = fo_aws_json_get(obj, path);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

cJSON *fo_aws_json_list(const cJSON *obj, const char *path) {
  cJSON *v = fo_aws_json_get(obj, path);
  return cJSON_IsArray(v) ? v : NULL;
}

void fo_aws_json_array_move(cJSON *dst, cJSON *src) {
  while (src && cJSON_GetArraySize(src) > 0) {
    cJSON *item = cJSON_DetachItemFromArray(src, 0);
    cJSON_AddItemToArray(dst, item);
  }
}

static void wipe_tree(cJSON *v, int depth) {
  cJSON *c;
  if (!v || depth > 200)
    return;
  if (v->valuestring) {
    volatile char *p = v->valuestring;
    while (*p)
      *p++ = 0;
  }
  for (c = v->child; c; c = c->next)
    wipe_tree(c, depth + 1);
}

void fo_aws_json_delete_wiped(cJSON *v) {
  wipe_tree(v, 0);
  cJSON_Delete(v);
}
