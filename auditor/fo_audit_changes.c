/* fo_audit_changes: counterpart checking over a git diff between two revisions (libgit2). */
#include "fo_audit_changes.h"
#include "fo_audit_collector.h"
#include "fo_audit_glob.h"
#include "fo_audit_normalize.h"
#include "fo_audit_rules.h"
#include "fo_buf.h"
#include "fo_err.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct changes {
  fo_audit_result *r;
  const fo_audit_config *cfg;
  git_repository *repo;
  git_tree *head_tree;
  char **changed; /* sorted paths touched by the diff (old and new names) */
  size_t nchanged;
  fo_buf unreadable; /* first reason the source cannot be trusted */
  const char *head;
} changes;

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_changed(const changes *c, const char *path) {
  return bsearch(&path, c->changed, c->nchanged, sizeof *c->changed, cmp_str) != NULL;
}

static const char *git_msg(void) {
  const git_error *e = git_error_last();
  return e && e->message ? e->message : "unknown error";
}

static int resolve(git_tree **out, git_repository *repo, const char *rev, const char *repo_path, fo_buf *why) {
  git_object *obj = NULL, *commit = NULL;
  int rc;
  *out = NULL;
  if ((rc = git_revparse_single(&obj, repo, rev)) < 0 || (rc = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT)) < 0) {
    char msg[256];
    snprintf(msg, sizeof msg, "%s", git_msg()); /* later libgit2 calls reset the last error */
    git_object_free(obj);
    if (git_repository_is_shallow(repo) == 1)
      return fo_buf_printf(why,
                           "revision '%s' is not in this shallow clone of '%s': fetch more history (GitLab CI: set "
                           "GIT_DEPTH: 0, or run `git fetch --unshallow`; for merge requests also fetch the "
                           "target branch)",
                           rev, repo_path) < 0
                 ? FO_ENOMEM
                 : 1;
    return fo_buf_printf(why, "revision '%s' not found in repository '%s': %s", rev, repo_path, msg) < 0 ? FO_ENOMEM
                                                                                                         : 1;
  }
  rc = git_commit_tree(out, (git_commit *)commit);
  git_object_free(commit);
  git_object_free(obj);
  if (rc < 0)
    return fo_buf_printf(why, "cannot read the tree of '%s': %s", rev, git_msg()) < 0 ? FO_ENOMEM : 1;
  return 0;
}

/* The entry at `path` in the head tree: 0 a blob (*out), 2 a submodule's gitlink (its commit id in *link),
 * 1 absent, <0 error (message in c->unreadable). */
static int head_blob(git_blob **out, git_oid *link, changes *c, const char *path) {
  git_tree_entry *te = NULL;
  git_odb *odb = NULL;
  size_t size = 0;
  git_object_t type;
  int rc;
  *out = NULL;
  if (git_tree_entry_bypath(&te, c->head_tree, path) < 0)
    return 1;
  if (git_tree_entry_type(te) == GIT_OBJECT_COMMIT) {
    git_oid_cpy(link, git_tree_entry_id(te));
    git_tree_entry_free(te);
    return 2;
  }
  if (git_tree_entry_type(te) != GIT_OBJECT_BLOB) {
    git_tree_entry_free(te);
    return 1;
  }
  /* the size from the object header first: a huge blob is refused before it is loaded (and inflated) */
  if ((rc = git_repository_odb(&odb, c->repo)) == 0)
    rc = git_odb_read_header(&size, &type, odb, git_tree_entry_id(te));
  git_odb_free(odb);
  if (rc == 0 && size <= FO_AUDIT_BLOB_MAX)
    rc = git_blob_lookup(out, c->repo, git_tree_entry_id(te));
  git_tree_entry_free(te);
  if (rc < 0) {
    if (!c->unreadable.len &&
        fo_buf_printf(&c->unreadable, "cannot read '%s' at '%s': %s", path, c->head, git_msg()) < 0)
      return FO_ENOMEM;
    return FO_EIO;
  }
  if (size > FO_AUDIT_BLOB_MAX || (size_t)git_blob_rawsize(*out) > FO_AUDIT_BLOB_MAX) {
    git_blob_free(*out);
    *out = NULL;
    if (!c->unreadable.len && fo_buf_printf(&c->unreadable, "'%s' at '%s' is larger than %zu bytes (%zu): not read",
                                            path, c->head, (size_t)FO_AUDIT_BLOB_MAX, size) < 0)
      return FO_ENOMEM;
    return FO_ELIMIT;
  }
  return 0;
}

/* libgit2 looks for NUL only in the first 8000 bytes; a NUL further on would cut the text short when it is
 * compared as a C string, so any NUL makes a blob binary here. */
static int blob_binary(const git_blob *b) {
  return git_blob_is_binary(b) || memchr(git_blob_rawcontent(b), '\0', (size_t)git_blob_rawsize(b)) != NULL;
}

static char *blob_text(const git_blob *b) {
  size_t n = (size_t)git_blob_rawsize(b);
  char *s = malloc(n + 1);
  if (!s)
    return NULL;
  memcpy(s, git_blob_rawcontent(b), n);
  s[n] = '\0';
  return s;
}

/* First line where a and b differ (1-based), with each side's line as JSON strings. */
static int first_difference(const char *a, const char *b, int *line, char **aline, char **bline) {
  int ln = 1;
  const char *la = a, *lb = b;
  while (*a && *a == *b) {
    if (*a == '\n') {
      ln++;
      la = a + 1;
      lb = b + 1;
    }
    a++;
    b++;
  }
  *line = ln;
  {
    size_t na = strcspn(la, "\n"), nb = strcspn(lb, "\n");
    char *ta = strndup(la, na > 512 ? 512 : na), *tb = strndup(lb, nb > 512 ? 512 : nb);
    cJSON *ja = ta ? cJSON_CreateString(ta) : NULL, *jb = tb ? cJSON_CreateString(tb) : NULL;
    *aline = ja ? cJSON_PrintUnformatted(ja) : NULL;
    *bline = jb ? cJSON_PrintUnformatted(jb) : NULL;
    free(ta);
    free(tb);
    cJSON_Delete(ja);
    cJSON_Delete(jb);
  }
  return *aline && *bline ? 0 : fo_err_oom();
}

static int add_finding(changes *c, const char *rule_id, const char *path, const char *cpath, fo_audit_step step,
                       int line, const char *pv, const char *sv, const char *message) {
  fo_audit_finding f;
  fo_buf key = FO_BUF_INIT;
  int err;
  fo_audit_finding_from_rule(&f, rule_id);
  if ((err = fo_buf_printf(&key, "repo/%s", path)) < 0)
    return err;
  f.side = FO_AUDIT_SIDE_BOTH;
  f.check = (char *)"repo";
  f.resource.key = key.data;
  f.resource.kind = (char *)"file";
  f.resource.address = (char *)path;
  f.path = (char *)"";
  f.primary_value = (char *)pv;
  f.secondary_value = (char *)sv;
  f.message = (char *)message;
  f.step = step;
  f.primary_loc.file = (char *)path;
  f.primary_loc.line = line;
  f.secondary_loc.file = (char *)cpath;
  f.secondary_loc.line = line;
  err = fo_audit_result_add(c->r, &f, NULL);
  fo_buf_dispose(&key);
  return err;
}

/* Check one changed primary file against its counterpart. */
static int check_file(changes *c, const fo_audit_mapping *m, const char *path, const char *cpath) {
  git_blob *pb = NULL, *sb = NULL;
  char *pt = NULL, *st = NULL, *pn = NULL, *sn = NULL, *pl = NULL, *sl = NULL;
  fo_audit_norm_ctx pctx, sctx;
  fo_buf msg = FO_BUF_INIT;
  git_oid plink, slink;
  int prc, src, err = 0, line = 0;

  if ((err = fo_audit_result_add_subject(c->r, path, "repo", m->step)) < 0)
    return err;
  if (is_changed(c, cpath))
    return 0; /* changed on both sides: the reviewer sees both in the MR */
  prc = head_blob(&pb, &plink, c, path);
  src = head_blob(&sb, &slink, c, cpath);
  if (prc < 0 || src < 0) {
    err = (prc == FO_ENOMEM || src == FO_ENOMEM) ? FO_ENOMEM : 0;
    goto done;
  }
  if (prc == 1 && src == 1)
    goto done; /* deleted on the primary side and absent on the secondary: in sync */
  if (src == 1) {
    if ((err = fo_buf_printf(&msg, "'%s' changed but its counterpart '%s' does not exist", path, cpath)) == 0)
      err = add_finding(c, "repo.counterpart-missing", path, cpath, m->step, 0, NULL, NULL, msg.data);
    goto done;
  }
  if (prc == 1) {
    if ((err = fo_buf_printf(&msg, "'%s' was deleted but its counterpart '%s' was not", path, cpath)) == 0)
      err = add_finding(c, "repo.counterpart-not-updated", path, cpath, m->step, 0, NULL, NULL, msg.data);
    goto done;
  }
  if (prc == 2 || src == 2) {
    /* a submodule: its gitlink is a changed path like any file, compared by the commit it pins */
    char ph[GIT_OID_HEXSZ + 1] = "", sh[GIT_OID_HEXSZ + 1] = "";
    fo_buf pv = FO_BUF_INIT, sv = FO_BUF_INIT;
    if (prc == 2 && src == 2 && git_oid_equal(&plink, &slink))
      goto done;
    if (prc == 2)
      git_oid_tostr(ph, sizeof ph, &plink);
    if (src == 2)
      git_oid_tostr(sh, sizeof sh, &slink);
    if ((err = fo_buf_printf(&pv, prc == 2 ? "\"submodule at %s\"" : "\"a file\"", ph)) == 0 &&
        (err = fo_buf_printf(&sv, src == 2 ? "\"submodule at %s\"" : "\"a file\"", sh)) == 0 &&
        (err = fo_buf_printf(&msg, "submodule '%s' changed but '%s' did not, and they differ", path, cpath)) == 0)
      err = add_finding(c, "repo.counterpart-not-updated", path, cpath, m->step, 0, pv.data, sv.data, msg.data);
    fo_buf_dispose(&pv);
    fo_buf_dispose(&sv);
    goto done;
  }
  if (blob_binary(pb) || blob_binary(sb)) {
    /* a binary file cannot be normalized: refuse to guess (fail closed) unless the bytes are identical */
    if (git_blob_rawsize(pb) == git_blob_rawsize(sb) &&
        !memcmp(git_blob_rawcontent(pb), git_blob_rawcontent(sb), (size_t)git_blob_rawsize(pb)))
      goto done;
    if (!c->unreadable.len &&
        (err = fo_buf_printf(&c->unreadable,
                             "binary file '%s' at '%s' differs from '%s' and binary files cannot be normalized: "
                             "change both in the same merge request or exclude them from path_mappings",
                             blob_binary(pb) ? path : cpath, c->head, cpath)) < 0)
      goto done;
    goto done;
  }
  if (!(pt = blob_text(pb)) || !(st = blob_text(sb))) {
    err = fo_err_oom();
    goto done;
  }
  fo_audit_norm_ctx_for_side(&pctx, c->cfg, 0);
  fo_audit_norm_ctx_for_side(&sctx, c->cfg, 1);
  if (!(pn = fo_audit_normalize_text(&pctx, pt)) || !(sn = fo_audit_normalize_text(&sctx, st))) {
    err = fo_audit_normalize_error();
    goto done;
  }
  if (!strcmp(pn, sn))
    goto done;
  if ((err = first_difference(pn, sn, &line, &pl, &sl)) < 0 ||
      (err = fo_buf_printf(&msg, "'%s' changed but '%s' did not, and they differ after normalization (line %d)", path,
                           cpath, line)) < 0)
    goto done;
  err = add_finding(c, "repo.counterpart-not-updated", path, cpath, m->step, line, pl, sl, msg.data);
done:
  git_blob_free(pb);
  git_blob_free(sb);
  free(pt);
  free(st);
  free(pn);
  free(sn);
  cJSON_free(pl);
  cJSON_free(sl);
  fo_buf_dispose(&msg);
  return err;
}

static int add_changed(changes *c, size_t *cap, const char *p) {
  if (!p)
    return 0;
  if (c->nchanged == *cap) {
    char **n = realloc(c->changed, (*cap ? *cap * 2 : 64) * sizeof *n);
    if (!n)
      return fo_err_oom();
    c->changed = n;
    *cap = *cap ? *cap * 2 : 64;
  }
  if (!(c->changed[c->nchanged] = strdup(p)))
    return fo_err_oom();
  c->nchanged++;
  return 0;
}

int fo_audit_changes(fo_audit_result *r, const fo_audit_config *cfg, const char *repo_path, const char *base,
                     const char *head) {
  changes c;
  git_tree *base_tree = NULL;
  git_diff *diff = NULL;
  git_diff_options opts;
  fo_buf loc = FO_BUF_INIT;
  size_t cap = 0;
  int err = 0, rc;

  memset(&c, 0, sizeof c);
  git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
  c.r = r;
  c.cfg = cfg;
  c.head = head;
  if ((err = fo_buf_printf(&loc, "%s (%s..%s)", repo_path, base, head)) < 0)
    goto done;
  if (git_repository_open_ext(&c.repo, repo_path, 0, NULL) < 0) {
    err = fo_buf_printf(&c.unreadable, "cannot open repository '%s': %s", repo_path, git_msg());
    goto done;
  }
  if ((rc = resolve(&base_tree, c.repo, base, repo_path, &c.unreadable)) != 0 ||
      (rc = resolve(&c.head_tree, c.repo, head, repo_path, &c.unreadable)) != 0) {
    err = rc < 0 ? rc : 0;
    goto done;
  }
  if (git_diff_tree_to_tree(&diff, c.repo, base_tree, c.head_tree, &opts) < 0) {
    err = fo_buf_printf(&c.unreadable, "cannot diff '%s'..'%s': %s", base, head, git_msg());
    goto done;
  }
  for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
    const git_diff_delta *d = git_diff_get_delta(diff, i);
    if ((err = add_changed(&c, &cap, d->old_file.path)) < 0 || (err = add_changed(&c, &cap, d->new_file.path)) < 0)
      goto done;
  }
  if (c.nchanged > 1)
    qsort(c.changed, c.nchanged, sizeof *c.changed, cmp_str);
  for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
    const git_diff_delta *d = git_diff_get_delta(diff, i);
    const char *path = d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path;
    for (size_t k = 0; k < cfg->nmappings; k++) {
      char *cpath = NULL;
      rc = fo_audit_glob_map(&cpath, cfg->mappings[k].primary, cfg->mappings[k].secondary, path);
      if (rc == FO_ENOTFOUND)
        continue;
      if (rc < 0) {
        err = rc;
        goto done;
      }
      err = check_file(&c, &cfg->mappings[k], path, cpath);
      free(cpath);
      if (err < 0)
        goto done;
      break; /* the first mapping that matches decides */
    }
  }
done:
  if (err == 0)
    err = fo_audit_result_add_source(r, "repo", FO_AUDIT_SIDE_BOTH,
                                     c.unreadable.len ? FO_AUDIT_SOURCE_UNREADABLE : FO_AUDIT_SOURCE_OK, loc.data,
                                     c.unreadable.len ? c.unreadable.data : NULL);
  for (size_t i = 0; i < c.nchanged; i++)
    free(c.changed[i]);
  free(c.changed);
  git_diff_free(diff);
  git_tree_free(base_tree);
  git_tree_free(c.head_tree);
  git_repository_free(c.repo);
  fo_buf_dispose(&c.unreadable);
  fo_buf_dispose(&loc);
  return err;
}
