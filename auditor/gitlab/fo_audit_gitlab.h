/* fo_audit_gitlab: the merge-request note through GitLab's REST API (v4): find the auditor's earlier note by the
 * markdown report's hidden marker, then edit it, or create one. HTTP goes through the AWS client's libcurl pool
 * (fo_aws_http: timeouts, cancellation, redacted debug logs). */
#ifndef FO_AUDIT_GITLAB_H
#define FO_AUDIT_GITLAB_H

#include <stddef.h>
#include <stdint.h>

#include "fo_cancel.h"

/* Where the note goes and how to authenticate: the CI_* variables of a merge-request pipeline. Borrowed. */
typedef struct fo_audit_gitlab_target {
  const char *api_url;      /* CI_API_V4_URL, e.g. https://gitlab.example.com/api/v4 */
  const char *project_id;   /* CI_PROJECT_ID */
  const char *mr_iid;       /* CI_MERGE_REQUEST_IID */
  const char *token;        /* the token's value (registered as a secret for the logs by the caller) */
  const char *token_header; /* "PRIVATE-TOKEN" or "JOB-TOKEN" */
  const char *token_env;    /* the variable it came from, for messages */
  const char *ca_file;      /* CI_SERVER_TLS_CA_FILE (a self-managed instance's CA), or NULL */
  const fo_cancel *cancel;
} fo_audit_gitlab_target;

typedef enum {
  FO_AUDIT_NOTE_CREATED = 0,
  FO_AUDIT_NOTE_UPDATED = 1,
  FO_AUDIT_NOTE_NONE = 2 /* a clean run and no earlier note: nothing to correct, nothing posted */
} fo_audit_note_outcome;

/* Notes listed per page (per_page); pages are followed through X-Next-Page, at most FO_AUDIT_GITLAB_MAX_PAGES. */
#define FO_AUDIT_GITLAB_PER_PAGE  100
#define FO_AUDIT_GITLAB_MAX_PAGES 200

/* Post `body` (the markdown report of `command`) on the merge request: edit the earlier note of the same command
 * when there is one (with a PRIVATE-TOKEN, only one the token's own user wrote, learnt from GET /user: a note
 * someone else wrote to look like the report is not taken over), else create one — unless `clean`, when a clean report replaces an earlier note (so no stale
 * drift stays on the merge request) but no new note is added. *id receives the note's id (0 for NONE).
 * Errors name the API call (method and path, never the token): FO_EAWS "GitLab API GET /projects/1/...: 401
 * Unauthorized ..." for an HTTP error, FO_EIO when no answer came, FO_EINVAL for an answer that is not a note
 * list. */
int fo_audit_gitlab_post_note(fo_audit_note_outcome *outcome, int64_t *id, const fo_audit_gitlab_target *t,
                              const char *command, const char *body, int clean);

/* In one page of GET .../notes (a JSON array of notes), the id of the first note that is not a system note, was
 * written by `author` (the token's user id; 0: anyone) and whose body is the auditor's report of `command`: the
 * marker on its first line and "failover-audit <command>:" in its heading. 0 with *id = 0 when there is none;
 * FO_EINVAL naming `what` when the page is not a JSON array of objects. */
int fo_audit_gitlab_find_note(int64_t *id, const char *json, size_t len, const char *command, int64_t author,
                              const char *what);

/* 1 when `body` is the auditor's report of `command` (what find_note looks for). */
int fo_audit_gitlab_is_report(const char *body, const char *command);

#endif
