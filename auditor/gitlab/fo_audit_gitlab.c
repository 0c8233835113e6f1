/* fo_audit_gitlab: create or update the auditor's merge-request note (GET/POST/PUT
 * /projects/:id/merge_requests/:iid/notes). The token travels in one header only; it is never part of a URL,
 * a message or a log line (fo_aws_http hides the header, the caller registers the value as a secret). */
#include "fo_audit_gitlab.h"
#include "fo_audit_json.h"
#include "fo_audit_render.h"
#include "fo_aws_enc.h"
#include "fo_aws_http.h"
#include "fo_err.h"
#include "fo_log.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GITLAB_TIMEOUT_MS   30000L
#define GITLAB_MAX_RESPONSE ((size_t)64 << 20) /* a page of 100 notes of up to 1,000,000 characters each */
#define GITLAB_ATTEMPTS     3                  /* idempotent calls (GET, PUT) on 429, 5xx or no answer */

int fo_audit_gitlab_is_report(const char *body, const char *command) {
  size_t ml = strlen(FO_AUDIT_MARKDOWN_MARKER);
  const char *heading, *eol;
  char want[96];
  if (!body || !command || strncmp(body, FO_AUDIT_MARKDOWN_MARKER, ml) != 0)
    return 0;
  heading = body + ml;
  if (*heading == '\r')
    heading++;
  if (*heading++ != '\n' || strncmp(heading, "## ", 3) != 0)
    return 0;
  /* the heading names the command: check and changes keep a note each */
  eol = strchr(heading, '\n');
  snprintf(want, sizeof want, "failover-audit %s:", command);
  for (const char *s = heading; (s = strstr(s, want)) != NULL; s++)
    if (!eol || s < eol)
      return 1;
  return 0;
}

/* A positive integer id, exactly representable (GitLab's ids are far below 2^53). */
static int64_t id_of(const cJSON *n) {
  if (!cJSON_IsNumber(n) || n->valuestring || n->valuedouble < 1 || n->valuedouble > 9007199254740991.0 ||
      n->valuedouble != (double)(int64_t)n->valuedouble)
    return 0;
  return (int64_t)n->valuedouble;
}

int fo_audit_gitlab_find_note(int64_t *id, const char *json, size_t len, const char *command, int64_t author,
                              const char *what) {
  fo_audit_json_opts o = {.what = what, .max_depth = 64, .max_bytes = GITLAB_MAX_RESPONSE};
  cJSON *doc = NULL;
  const cJSON *note;
  size_t i = 0;
  int err;
  *id = 0;
  if ((err = fo_audit_json_parse(&doc, json, len, &o)) < 0)
    return err;
  if (!cJSON_IsArray(doc)) {
    cJSON_Delete(doc);
    return fo_err_set(FO_EINVAL, "%s: not a JSON array of notes", what);
  }
  cJSON_ArrayForEach(note, doc) {
    const cJSON *nid = cJSON_GetObjectItemCaseSensitive(note, "id");
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(note, "body");
    if (!cJSON_IsObject(note)) {
      cJSON_Delete(doc);
      return fo_err_set(FO_EINVAL, "%s: note [%zu] is not an object", what, i);
    }
    i++;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(note, "system")) || !cJSON_IsString(body) ||
        !fo_audit_gitlab_is_report(body->valuestring, command))
      continue;
    if (author &&
        id_of(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(note, "author"), "id")) != author)
      continue; /* looks like the report, but someone else wrote it */
    if (!(*id = id_of(nid))) {
      cJSON_Delete(doc);
      return fo_err_set(FO_EINVAL, "%s: note [%zu] has no valid id", what, i - 1);
    }
    break;
  }
  cJSON_Delete(doc);
  return 0;
}

typedef struct gl_ctx {
  const fo_audit_gitlab_target *t;
  fo_aws_http *http;
  fo_buf root;  /* the API root, CI_API_V4_URL without a trailing slash */
  fo_buf notes; /* /projects/<id>/merge_requests/<iid>/notes, after the root */
} gl_ctx;

/* GitLab's error text ({"message": ...} or {"error": ...}), printable ASCII only, short, secrets redacted. */
static void api_message(char *dst, size_t cap, const fo_aws_http_response *resp) {
  cJSON *doc = resp->body.data ? cJSON_ParseWithLength(resp->body.data, resp->body.len) : NULL;
  const cJSON *m = cJSON_GetObjectItemCaseSensitive(doc, "message");
  const char *s = NULL;
  size_t n = 0;
  char *tmp = NULL;
  if (!m)
    m = cJSON_GetObjectItemCaseSensitive(doc, "error");
  if (cJSON_IsString(m))
    s = m->valuestring;
  else if (m && (tmp = cJSON_PrintUnformatted(m)))
    s = tmp;
  dst[0] = '\0';
  for (; s && *s && n + 1 < cap && n < 200; s++)
    dst[n++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
  dst[n] = '\0';
  fo_log_redact(dst);
  cJSON_free(tmp);
  cJSON_Delete(doc);
}

/* One API call on `rel` + `suffix` (the path after the API root, then more of it). 0 with a 2xx answer in *resp
 * (dispose it); otherwise an error naming the call by method and path (never the host's credentials or the
 * token). */
static int api_call(gl_ctx *g, const char *method, const char *rel, const char *suffix, const char *body,
                    fo_aws_http_response *resp) {
  const fo_audit_gitlab_target *t = g->t;
  fo_aws_header hs[3] = {
      {t->token_header, t->token}, {"Accept", "application/json"}, {"Content-Type", "application/json"}};
  fo_aws_http_request req;
  fo_buf url = FO_BUF_INIT;
  int err, idempotent = strcmp(method, "POST") != 0;
  char msg[256];

  if ((err = fo_buf_printf(&url, "%s%s%s", g->root.data, rel, suffix)) < 0)
    return err;
  memset(&req, 0, sizeof req);
  req.method = method;
  req.url = url.data;
  req.headers = hs;
  req.n_headers = body ? 3 : 2;
  req.body = body;
  req.body_len = body ? strlen(body) : 0;
  req.timeout_ms = GITLAB_TIMEOUT_MS;
  req.max_response = GITLAB_MAX_RESPONSE;
  req.ca_bundle = t->ca_file;
  req.cancel = t->cancel;
  for (int attempt = 1;; attempt++) {
    int retry;
    err = fo_aws_http_send(g->http, &req, resp);
    retry = idempotent && attempt < GITLAB_ATTEMPTS &&
            ((err == FO_EIO) || (err == 0 && (resp->status == 429 || resp->status >= 500)));
    if (!retry)
      break;
    fo_aws_http_response_dispose(resp);
    if ((err = fo_cancel_sleep_ms(t->cancel, 1000L * attempt)) < 0)
      goto done;
  }
  if (err == FO_ECANCELED) {
    fo_err_set(FO_ECANCELED, "GitLab API %s %s%s: cancelled", method, rel, suffix);
  } else if (err < 0) {
    err = fo_err_set(err == FO_ELIMIT ? FO_ELIMIT : FO_EIO, "GitLab API %s %s%s: %s", method, rel, suffix,
                     resp->error[0] ? resp->error : "no answer");
  } else if (resp->status < 200 || resp->status > 299) {
    char hint[200] = "";
    api_message(msg, sizeof msg, resp);
    if (resp->status == 401 || resp->status == 403)
      snprintf(hint, sizeof hint,
               ": the token in $%.64s (sent as %s) is %s: it needs the api scope and the Reporter role or higher on "
               "the project",
               t->token_env ? t->token_env : "?", t->token_header,
               resp->status == 401 ? "not valid" : "not allowed to do this");
    err = fo_err_set(FO_EAWS, "GitLab API %s %s%s: HTTP %ld%s%s%s%s", method, rel, suffix, resp->status,
                     msg[0] ? " (" : "", msg, msg[0] ? ")" : "", hint);
  }
done:
  if (err < 0)
    fo_aws_http_response_dispose(resp);
  fo_buf_dispose(&url);
  return err;
}

/* The token's own user (GET /user), whose notes alone are edited: 0 with *me = 0 for a job token, which cannot
 * read /user (any author then). A 401 here is the token's fault and fails like any other call. */
static int whoami(gl_ctx *g, int64_t *me) {
  fo_aws_http_response resp;
  cJSON *doc;
  int err;
  *me = 0;
  if (strcmp(g->t->token_header, "PRIVATE-TOKEN") != 0)
    return 0;
  if ((err = api_call(g, "GET", "/user", "", NULL, &resp)) < 0)
    return err;
  doc = cJSON_ParseWithLength(resp.body.data ? resp.body.data : "", resp.body.len);
  *me = id_of(cJSON_GetObjectItemCaseSensitive(doc, "id"));
  cJSON_Delete(doc);
  fo_aws_http_response_dispose(&resp);
  return *me ? 0 : fo_err_set(FO_EINVAL, "GitLab API GET /user: the answer has no user id");
}

/* The earlier note of `command`, following X-Next-Page. */
static int find_note(gl_ctx *g, int64_t *id, const char *command) {
  char page[32] = "1";
  int64_t me;
  int err;
  *id = 0;
  if ((err = whoami(g, &me)) < 0)
    return err;
  for (int n = 0; n < FO_AUDIT_GITLAB_MAX_PAGES; n++) {
    fo_aws_http_response resp;
    char suffix[160], what[400];
    snprintf(suffix, sizeof suffix, "?sort=asc&order_by=created_at&per_page=%d&page=%s", FO_AUDIT_GITLAB_PER_PAGE,
             page);
    if ((err = api_call(g, "GET", g->notes.data, suffix, NULL, &resp)) < 0)
      return err;
    snprintf(what, sizeof what, "GitLab API GET %.200s%s", g->notes.data, suffix);
    err = fo_audit_gitlab_find_note(id, resp.body.data, resp.body.len, command, me, what);
    /* the next page: digits only, else there is none */
    snprintf(page, sizeof page, "%s", resp.next_page);
    fo_aws_http_response_dispose(&resp);
    if (err < 0 || *id || !page[0] || page[strspn(page, "0123456789")] != '\0')
      return err;
  }
  return fo_err_set(FO_ELIMIT, "GitLab API GET %s: more than %d pages of notes", g->notes.data,
                    FO_AUDIT_GITLAB_MAX_PAGES);
}

static int note_id_of(int64_t *id, const fo_aws_http_response *resp, const char *what) {
  cJSON *doc = cJSON_ParseWithLength(resp->body.data ? resp->body.data : "", resp->body.len);
  const cJSON *nid = cJSON_GetObjectItemCaseSensitive(doc, "id");
  int ok = cJSON_IsNumber(nid) && nid->valuedouble >= 1 && nid->valuedouble <= 9007199254740991.0;
  *id = ok ? (int64_t)nid->valuedouble : 0;
  cJSON_Delete(doc);
  return ok ? 0 : fo_err_set(FO_EINVAL, "%s: the answer is not a note (no id)", what);
}

int fo_audit_gitlab_post_note(fo_audit_note_outcome *outcome, int64_t *id, const fo_audit_gitlab_target *t,
                              const char *command, const char *body, int clean) {
  gl_ctx g = {t, NULL, FO_BUF_INIT, FO_BUF_INIT};
  fo_aws_http_response resp;
  fo_buf pid = FO_BUF_INIT;
  cJSON *doc = NULL;
  char *json = NULL, suffix[48], what[400];
  size_t ul;
  int err;

  *outcome = FO_AUDIT_NOTE_NONE;
  *id = 0;
  if (!t->api_url || !*t->api_url || !t->project_id || !*t->project_id || !t->mr_iid || !*t->mr_iid)
    return fo_err_set(FO_EINVAL, "GitLab API: CI_API_V4_URL, CI_PROJECT_ID and CI_MERGE_REQUEST_IID are needed");
  if (t->mr_iid[strspn(t->mr_iid, "0123456789")] != '\0' || strlen(t->mr_iid) > 19)
    return fo_err_set(FO_EINVAL, "GitLab API: CI_MERGE_REQUEST_IID '%.40s' is not a number", t->mr_iid);
  if (!t->token || !*t->token)
    return fo_err_set(FO_EINVAL, "GitLab API: $%s (gitlab.token_env) is not set or empty",
                      t->token_env ? t->token_env : "?");
  ul = strlen(t->api_url);
  while (ul > 0 && t->api_url[ul - 1] == '/')
    ul--;
  /* the project id may be a path (group/project): one encoded segment */
  if ((err = fo_aws_uri_encode(&pid, t->project_id, strlen(t->project_id), 0)) < 0 ||
      (err = fo_buf_printf(&g.notes, "/projects/%s/merge_requests/%s/notes", pid.data, t->mr_iid)) < 0 ||
      (err = fo_buf_printf(&g.root, "%.*s", (int)ul, t->api_url)) < 0 || (err = fo_aws_http_new(&g.http, 1)) < 0)
    goto done;
  if ((err = find_note(&g, id, command)) < 0)
    goto done;
  if (!*id && clean) {
    err = 0; /* nothing stale to correct, and a clean run adds no noise */
    goto done;
  }
  if (!(doc = cJSON_CreateObject()) || !cJSON_AddStringToObject(doc, "body", body) ||
      !(json = cJSON_PrintUnformatted(doc))) {
    err = fo_err_oom();
    goto done;
  }
  if (*id)
    snprintf(suffix, sizeof suffix, "/%lld", (long long)*id);
  else
    suffix[0] = '\0';
  if ((err = api_call(&g, *id ? "PUT" : "POST", g.notes.data, suffix, json, &resp)) < 0)
    goto done;
  snprintf(what, sizeof what, "GitLab API %s %.200s%s", *id ? "PUT" : "POST", g.notes.data, suffix);
  if (*id) {
    *outcome = FO_AUDIT_NOTE_UPDATED;
  } else if ((err = note_id_of(id, &resp, what)) == 0) {
    *outcome = FO_AUDIT_NOTE_CREATED;
  }
  fo_aws_http_response_dispose(&resp);
done:
  cJSON_free(json);
  cJSON_Delete(doc);
  fo_aws_http_free(g.http);
  fo_buf_dispose(&pid);
  fo_buf_dispose(&g.root);
  fo_buf_dispose(&g.notes);
  return err;
}
