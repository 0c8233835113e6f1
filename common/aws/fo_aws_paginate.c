/* Pagination: loop over NextToken pages, merge the list arrays. */
#include "fo_aws_paginate.h"
#include "fo_aws_json.h"
#include "fo_err.h"

#include <stdlib.h>
#include <string.h>

/* Move the page's list at `path` into `all`; a single object counts as one item. */
static void take_items(cJSON *all, cJSON *page, const char *path)
{
  cJSON *items = fo_aws_json_get(page, path);
  if (cJSON_IsArray(items)) {
    fo_aws_json_array_move(all, items);
  } else if (items && cJSON_IsObject(items)) {
    cJSON *dup = cJSON_Duplicate(items, 1);
    if (dup)
      cJSON_AddItemToArray(all, dup);
  }
}

int fo_aws_paginate_rest_json(cJSON **out_array, fo_aws_client *c, const fo_aws_service *svc,
                              const char *operation, const char *path, const char *query,
                              const char *list_key, const char *token_param, const char *token_key)
{
  cJSON *all = cJSON_CreateArray(), *page = NULL;
  char *token = NULL;
  fo_buf q = FO_BUF_INIT;
  int pages, err = 0;

  *out_array = NULL;
  if (!all)
    return fo_err_set(FO_ENOMEM, "out of memory");
  for (pages = 0; pages < FO_AWS_MAX_PAGES; pages++) {
    const char *next;
    fo_buf_clear(&q);
    if ((query && *query && (err = fo_buf_puts(&q, query)) < 0) ||
        (token && (err = fo_aws_query_add(&q, token_param, token)) < 0))
      goto done;
    if ((err = fo_aws_call_rest_json(&page, c, svc, operation, "GET", path, q.data, NULL)) < 0)
      goto done;
    take_items(all, page, list_key);
    next = fo_aws_json_str(page, token_key);
    free(token);
    token = next && *next ? strdup(next) : NULL;
    cJSON_Delete(page);
    page = NULL;
    if (!token)
      break;
  }
  if (token) {
    err = fo_err_set(FO_ELIMIT, "%s %s: more than %d pages", svc->id, operation, FO_AWS_MAX_PAGES);
    goto done;
  }
  *out_array = all;
  all = NULL;
done:
  cJSON_Delete(all);
  cJSON_Delete(page);
  free(token);
  fo_buf_dispose(&q);
  return err;
}

int fo_aws_paginate_query(cJSON **out_array, fo_aws_client *c, const fo_aws_service *svc,
                          const char *action, const fo_aws_param *params, size_t n_params,
                          const char *const *list_names, const char *list_path)
{
  cJSON *all = cJSON_CreateArray(), *page = NULL;
  fo_aws_param *ps = NULL;
  char *token = NULL;
  int pages, err = 0;

  *out_array = NULL;
  if (!all || !(ps = calloc(n_params + 1, sizeof(*ps)))) {
    cJSON_Delete(all);
    return fo_err_set(FO_ENOMEM, "out of memory");
  }
  if (n_params)
    memcpy(ps, params, n_params * sizeof(*ps));
  for (pages = 0; pages < FO_AWS_MAX_PAGES; pages++) {
    const char *next;
    ps[n_params].name = "NextToken";
    ps[n_params].value = token;  /* NULL values are skipped */
    if ((err = fo_aws_call_query(&page, c, svc, action, ps, n_params + 1, list_names)) < 0)
      goto done;
    take_items(all, page, list_path);
    next = fo_aws_json_str(page, "NextToken");
    free(token);
    token = next && *next ? strdup(next) : NULL;
    cJSON_Delete(page);
    page = NULL;
    if (!token)
      break;
  }
  if (token) {
    err = fo_err_set(FO_ELIMIT, "%s %s: more than %d pages", svc->id, action, FO_AWS_MAX_PAGES);
    goto done;
  }
  *out_array = all;
  all = NULL;
done:
  cJSON_Delete(all);
  cJSON_Delete(page);
  free(token);
  free(ps);
  return err;
}
