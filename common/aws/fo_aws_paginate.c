/* Pagination: loop over NextToken pages, merge the list arrays. */
#include "fo_aws_paginate.h"
#include "fo_aws_json.h"
#include "fo_err.h"

#include <stdlib.h>
#include <string.h>

/* Fetch one page: `token` is NULL for the first page. */
typedef int (*page_fn)(cJSON **out_page, void *ud, const char *token);

/* Move the page's list at `path` into `all`; a single object counts as one item. */
static void take_items(cJSON *all, cJSON *page, const char *path) {
  cJSON *items = fo_aws_json_get(page, path);
  if (cJSON_IsArray(items)) {
    fo_aws_json_array_move(all, items);
  } else if (items && cJSON_IsObject(items)) {
    cJSON *dup = cJSON_Duplicate(items, 1);
    if (dup)
      cJSON_AddItemToArray(all, dup);
  }
}

/* The loop both protocols share: fetch pages with `fetch` until the page has
 * no `token_key`, collecting the items at `list_path`; at most
 * FO_AWS_MAX_PAGES pages. `what` names the call in the limit error. */
static int paginate(cJSON **out_array, page_fn fetch, void *ud, const char *list_path, const char *token_key,
                    const fo_aws_service *svc, const char *what) {
  cJSON *all = cJSON_CreateArray(), *page = NULL;
  char *token = NULL;
  int pages, err = 0;

  *out_array = NULL;
  if (!all)
    return fo_err_oom();
  for (pages = 0; pages < FO_AWS_MAX_PAGES; pages++) {
    const char *next;
    if ((err = fetch(&page, ud, token)) < 0)
      goto done;
    take_items(all, page, list_path);
    next = fo_aws_json_str(page, token_key);
    free(token);
    token = NULL;
    if (next && *next && !(token = strdup(next))) {
      err = fo_err_oom();
      goto done;
    }
    cJSON_Delete(page);
    page = NULL;
    if (!token)
      break;
  }
  if (token) {
    err = fo_err_set(FO_ELIMIT, "%s %s: more than %d pages", svc->id, what, FO_AWS_MAX_PAGES);
    goto done;
  }
  *out_array = all;
  all = NULL;
done:
  cJSON_Delete(all);
  cJSON_Delete(page);
  free(token);
  return err;
}

typedef struct rest_json_pages {
  fo_aws_client *c;
  const fo_cancel *cancel;
  const fo_aws_service *svc;
  const char *operation, *path, *query, *token_param;
  fo_buf q;
} rest_json_pages;

static int rest_json_page(cJSON **out_page, void *ud, const char *token) {
  rest_json_pages *r = ud;
  int err;
  fo_buf_clear(&r->q);
  if ((r->query && *r->query && (err = fo_buf_puts(&r->q, r->query)) < 0) ||
      (token && (err = fo_aws_query_add(&r->q, r->token_param, token)) < 0))
    return err;
  return fo_aws_call_rest_json(out_page, r->c, r->cancel, r->svc, r->operation, "GET", r->path, r->q.data, NULL);
}

int fo_aws_paginate_rest_json(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const fo_aws_service *svc,
                              const char *operation, const char *path, const char *query, const char *list_key,
                              const char *token_param, const char *token_key) {
  rest_json_pages r = {c, cancel, svc, operation, path, query, token_param, FO_BUF_INIT};
  int err = paginate(out_array, rest_json_page, &r, list_key, token_key, svc, operation);
  fo_buf_dispose(&r.q);
  return err;
}

typedef struct query_pages {
  fo_aws_client *c;
  const fo_cancel *cancel;
  const fo_aws_service *svc;
  const char *action;
  fo_aws_param *ps; /* the caller's params + NextToken */
  size_t n;
  const char *const *list_names;
} query_pages;

static int query_page(cJSON **out_page, void *ud, const char *token) {
  query_pages *q = ud;
  q->ps[q->n - 1].value = token; /* NULL values are skipped */
  return fo_aws_call_query(out_page, q->c, q->cancel, q->svc, q->action, q->ps, q->n, q->list_names);
}

int fo_aws_paginate_query(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel, const fo_aws_service *svc,
                          const char *action, const fo_aws_param *params, size_t n_params,
                          const char *const *list_names, const char *list_path) {
  query_pages q = {c, cancel, svc, action, NULL, n_params + 1, list_names};
  int err;

  *out_array = NULL;
  if (!(q.ps = calloc(n_params + 1, sizeof(*q.ps))))
    return fo_err_oom();
  if (n_params)
    memcpy(q.ps, params, n_params * sizeof(*q.ps));
  q.ps[n_params].name = "NextToken";
  err = paginate(out_array, query_page, &q, list_path, "NextToken", svc, action);
  free(q.ps);
  return err;
}
