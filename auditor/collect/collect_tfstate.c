/* collect_tfstate: Terraform/OpenTofu state into snapshot objects. Reads both a state file (format version 4)
 * and `terraform show -json` / `tofu show -json` output. Sensitive values are replaced by the SHA-256 of their
 * normalized JSON before they enter the snapshot, so they are compared but never stored or printed. */
#include "fo_audit_collector.h"
#include "fo_audit_json.h"
#include "fo_buf.h"
#include "fo_err.h"
#include "fo_file.h"
#include "tfstate_remote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MODULE_DEPTH 32
#define MAX_RESOURCES    1000000

/* The element of array `arr` equal to `val` (a set element named by its value), or NULL. */
static cJSON *set_element(cJSON *arr, const cJSON *val) {
  cJSON *e;
  cJSON_ArrayForEach(e, arr) if (fo_audit_json_equal(e, val, FO_AUDIT_JSON_MAX_DEPTH * 2)) return e;
  return NULL;
}

/* v4: sensitive_attributes is a list of paths, each a list of {"type":"get_attr"|"index","value":...}; an index
 * into a set names the element by its whole value. A path that cannot be followed to its end hides the deepest
 * container it reached instead (fail closed: better a whole block hashed than a secret in the report). */
static int apply_sensitive_paths(const fo_audit_collect_ctx *ctx, cJSON *attrs, const cJSON *paths) {
  const cJSON *path;
  cJSON_ArrayForEach(path, paths) {
    cJSON *parent = NULL, *cur = attrs;
    const cJSON *step;
    int depth = 0;
    if (!cJSON_IsArray(path))
      continue;
    cJSON_ArrayForEach(step, path) {
      const cJSON *type = cJSON_GetObjectItemCaseSensitive(step, "type");
      const cJSON *val = cJSON_GetObjectItemCaseSensitive(step, "value");
      cJSON *next = NULL;
      if (depth++ > FO_AUDIT_JSON_MAX_DEPTH)
        break;
      if (cJSON_IsObject(val) && cJSON_GetObjectItemCaseSensitive(val, "type")) /* {"value": k, "type": t} */
        val = cJSON_GetObjectItemCaseSensitive(val, "value");
      if (cJSON_IsString(type) && !strcmp(type->valuestring, "get_attr") && cJSON_IsString(val))
        next = cJSON_GetObjectItemCaseSensitive(cur, val->valuestring);
      else if (cJSON_IsString(val) && cJSON_IsObject(cur))
        next = cJSON_GetObjectItemCaseSensitive(cur, val->valuestring);
      else if (cJSON_IsNumber(val) && !val->valuestring && cJSON_IsArray(cur) && val->valuedouble >= 0 &&
               val->valuedouble < 1e9)
        next = cJSON_GetArrayItem(cur, (int)val->valuedouble);
      else if (val && cJSON_IsArray(cur))
        next = set_element(cur, val);
      if (!next)
        break;
      parent = cur;
      cur = next;
    }
    /* cur is the value the path names or, when it could not be followed, the deepest container it reached */
    if (cur != attrs && parent) {
      int err = fo_audit_mark_sensitive(ctx, parent, cur);
      if (err < 0)
        return err;
    }
  }
  return 0;
}

/* show -json: sensitive_values mirrors values with `true` at the sensitive leaves. */
static int apply_sensitive_mirror(const fo_audit_collect_ctx *ctx, cJSON *vals, const cJSON *mirror, int depth) {
  cJSON *c, *next;
  int i = 0;
  if (!vals || !mirror || depth > FO_AUDIT_JSON_MAX_DEPTH)
    return 0;
  for (c = vals->child; c; c = next, i++) {
    const cJSON *m;
    int err;
    next = c->next;
    if (cJSON_IsObject(vals))
      m = c->string ? cJSON_GetObjectItemCaseSensitive(mirror, c->string) : NULL;
    else
      m = cJSON_IsArray(mirror) ? cJSON_GetArrayItem(mirror, i) : NULL;
    if (!m)
      continue;
    if (cJSON_IsTrue(m))
      err = fo_audit_mark_sensitive(ctx, vals, c);
    else
      err = apply_sensitive_mirror(ctx, c, m, depth + 1);
    if (err < 0)
      return err;
  }
  return 0;
}

static int address_index(fo_buf *b, const cJSON *idx) {
  int err;
  if (!idx || cJSON_IsNull(idx))
    return 0;
  /* exact text: two instances whose keys differ only past a double's precision stay two */
  if ((err = fo_buf_puts(b, "[")) < 0 || (err = fo_audit_json_write(b, idx, 0)) < 0)
    return err;
  return fo_buf_puts(b, "]");
}

static int add_resource(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const char *file, int line,
                        const char *module, const char *mode, const char *type, const char *name, const cJSON *index,
                        const char *provider, cJSON *attrs_taken, cJSON *modules) {
  fo_buf addr = FO_BUF_INIT, key = FO_BUF_INIT;
  cJSON *o = NULL;
  int err;

  if ((module && *module && ((err = fo_buf_puts(&addr, module)) < 0 || (err = fo_buf_puts(&addr, ".")) < 0)) ||
      (mode && !strcmp(mode, "data") && (err = fo_buf_puts(&addr, "data.")) < 0) ||
      (err = fo_buf_printf(&addr, "%s.%s", type, name)) < 0 || (err = address_index(&addr, index)) < 0 ||
      (err = fo_buf_printf(&key, "terraform/%s", addr.data)) < 0)
    goto done;
  if ((err = fo_audit_snapshot_add_object(&o, snap, key.data, "terraform_state")) < 0)
    goto done;
  if (!cJSON_AddStringToObject(o, "kind", type) || !cJSON_AddStringToObject(o, "name", name) ||
      !cJSON_AddStringToObject(o, "address", addr.data) ||
      !cJSON_AddStringToObject(o, "module", module ? module : "") ||
      !cJSON_AddStringToObject(o, "mode", mode ? mode : "managed") ||
      !(provider ? cJSON_AddStringToObject(o, "provider", provider) : cJSON_AddNullToObject(o, "provider")) ||
      !cJSON_AddStringToObject(o, "file", file) || !cJSON_AddNumberToObject(o, "line", line)) {
    err = fo_err_oom();
    goto done;
  }
  if (cJSON_IsObject(attrs_taken)) {
    cJSON_ReplaceItemInObjectCaseSensitive(o, "attributes", attrs_taken);
    attrs_taken = NULL;
  }
  if (module && *module && !cJSON_GetObjectItemCaseSensitive(modules, module) &&
      !cJSON_AddTrueToObject(modules, module))
    err = fo_err_oom();
done:
  (void)ctx;
  cJSON_Delete(attrs_taken);
  fo_buf_dispose(&addr);
  fo_buf_dispose(&key);
  return err;
}

static const char *str_field(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int parse_v4(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, cJSON *doc, const char *name,
                    cJSON *modules, const int *lines, size_t nlines) {
  cJSON *resources = cJSON_GetObjectItemCaseSensitive(doc, "resources"), *r;
  size_t count = 0, idx = 0;
  int err;
  if (resources && !cJSON_IsArray(resources))
    return fo_err_set(FO_EINVAL, "state '%s': \"resources\" is not a list", name);
  cJSON_ArrayForEach(r, resources) {
    const char *type = str_field(r, "type"), *rname = str_field(r, "name");
    cJSON *instances = cJSON_GetObjectItemCaseSensitive(r, "instances"), *inst;
    int line = idx < nlines ? lines[idx] : 0;
    idx++;
    if (!type || !rname || !cJSON_IsArray(instances)) {
      err = fo_err_set(FO_EINVAL, "state '%s':%d: resource #%zu needs \"type\", \"name\" and \"instances\"", name, line,
                       idx);
      goto done;
    }
    cJSON_ArrayForEach(inst, instances) {
      cJSON *attrs = cJSON_DetachItemFromObjectCaseSensitive(inst, "attributes");
      if (++count > MAX_RESOURCES) {
        cJSON_Delete(attrs);
        err = fo_err_set(FO_ELIMIT, "state '%s': more than %d resource instances", name, MAX_RESOURCES);
        goto done;
      }
      if (attrs && !cJSON_IsObject(attrs)) {
        cJSON_Delete(attrs);
        err = fo_err_set(FO_EINVAL, "state '%s':%d: %s.%s has non-object \"attributes\"", name, line, type, rname);
        goto done;
      }
      if (attrs && (err = apply_sensitive_paths(ctx, attrs,
                                                cJSON_GetObjectItemCaseSensitive(inst, "sensitive_attributes"))) < 0) {
        cJSON_Delete(attrs);
        goto done;
      }
      if ((err = add_resource(ctx, snap, name, line, str_field(r, "module"), str_field(r, "mode"), type, rname,
                              cJSON_GetObjectItemCaseSensitive(inst, "index_key"), str_field(r, "provider"), attrs,
                              modules)) < 0)
        goto done;
    }
  }
  err = 0;
done:
  return err;
}

static int walk_module(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, cJSON *mod, const char *name,
                       cJSON *modules, int depth) {
  cJSON *r, *child;
  const char *maddr = str_field(mod, "address");
  int err;
  if (depth > MAX_MODULE_DEPTH)
    return fo_err_set(FO_ELIMIT, "state '%s': modules nested deeper than %d", name, MAX_MODULE_DEPTH);
  cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(mod, "resources")) {
    const char *type = str_field(r, "type"), *rname = str_field(r, "name");
    cJSON *vals;
    if (!type || !rname)
      return fo_err_set(FO_EINVAL, "state '%s': a resource in %s lacks \"type\" or \"name\"", name,
                        maddr ? maddr : "the root module");
    vals = cJSON_DetachItemFromObjectCaseSensitive(r, "values");
    if (vals &&
        (err = apply_sensitive_mirror(ctx, vals, cJSON_GetObjectItemCaseSensitive(r, "sensitive_values"), 0)) < 0) {
      cJSON_Delete(vals);
      return err;
    }
    if ((err = add_resource(ctx, snap, name, 0, maddr, str_field(r, "mode"), type, rname,
                            cJSON_GetObjectItemCaseSensitive(r, "index"), str_field(r, "provider_name"), vals,
                            modules)) < 0)
      return err;
  }
  cJSON_ArrayForEach(child, cJSON_GetObjectItemCaseSensitive(mod, "child_modules")) {
    if ((err = walk_module(ctx, snap, child, name, modules, depth + 1)) < 0)
      return err;
  }
  return 0;
}

int fo_audit_lockfile_parse(cJSON *obj, const char *data, size_t len, const char *name) {
  /* Only `provider "<addr>" {` and the `version = "<v>"` line inside it matter here. */
  const char *p = data, *end = data + len;
  char prov[512] = "";
  size_t lineno = 0;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    size_t l = eol ? (size_t)(eol - p) : (size_t)(end - p);
    char line[1024];
    const char *q;
    if (l >= sizeof line)
      l = sizeof line - 1;
    memcpy(line, p, l);
    line[l] = '\0';
    lineno++;
    q = line + strspn(line, " \t");
    if (!strncmp(q, "provider \"", 10)) {
      const char *e = strchr(q + 10, '"');
      size_t n = e ? (size_t)(e - (q + 10)) : 0;
      if (!e || n >= sizeof prov)
        return fo_err_set(FO_EINVAL, "lock file '%s':%zu: malformed provider line", name, lineno);
      memcpy(prov, q + 10, n);
      prov[n] = '\0';
    } else if (prov[0] && !strncmp(q, "version", 7)) {
      const char *s = strchr(q, '"'), *e = s ? strchr(s + 1, '"') : NULL;
      if (s && e) {
        char v[128];
        size_t n = (size_t)(e - s - 1);
        if (n >= sizeof v)
          n = sizeof v - 1;
        memcpy(v, s + 1, n);
        v[n] = '\0';
        if (!cJSON_GetObjectItemCaseSensitive(obj, prov) && !cJSON_AddStringToObject(obj, prov, v))
          return fo_err_oom();
      }
    } else if (*q == '}') {
      prov[0] = '\0';
    }
    p = eol ? eol + 1 : end;
  }
  return 0;
}

/* The state document (taken) into snapshot objects; lines[i] is where resource i opens (state v4). */
static int tfstate_from_doc(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, cJSON *doc, const char *name,
                            const int *lines, size_t nlines) {
  cJSON *meta = NULL, *modules = NULL, *ver, *fmt, *tfv, *mattrs;
  char nb[FO_AUDIT_JSON_NUMBUF];
  int err = 0;

  if (!cJSON_IsObject(doc)) {
    err = fo_err_set(FO_EINVAL, "state '%s': not a JSON object", name);
    goto done;
  }
  if (!(modules = cJSON_CreateObject())) {
    err = fo_err_oom();
    goto done;
  }
  ver = cJSON_GetObjectItemCaseSensitive(doc, "version");
  fmt = cJSON_GetObjectItemCaseSensitive(doc, "format_version");
  tfv = cJSON_GetObjectItemCaseSensitive(doc, "terraform_version");
  if (cJSON_IsNumber(ver)) {
    if (strcmp(fo_audit_json_number_text(ver, nb), "4") != 0) {
      err = fo_err_set(FO_EINVAL, "state '%s': unsupported state version %.40s (this auditor reads version 4)", name,
                       fo_audit_json_number_text(ver, nb));
      goto done;
    }
    err = parse_v4(ctx, snap, doc, name, modules, lines, nlines);
  } else if (cJSON_IsString(fmt)) {
    cJSON *values = cJSON_GetObjectItemCaseSensitive(doc, "values");
    cJSON *root = values ? cJSON_GetObjectItemCaseSensitive(values, "root_module") : NULL;
    if (fmt->valuestring[0] != '1') {
      err = fo_err_set(FO_EINVAL, "state '%s': unsupported show -json format_version '%s' (want 1.x)", name,
                       fmt->valuestring);
      goto done;
    }
    if (cJSON_GetObjectItemCaseSensitive(doc, "planned_values")) {
      err = fo_err_set(FO_EINVAL, "state '%s': this is a plan (show -json of a plan file), not a state", name);
      goto done;
    }
    if (root)
      err = walk_module(ctx, snap, root, name, modules, 0);
  } else {
    err = fo_err_set(FO_EINVAL, "state '%s': not a Terraform state (no \"version\" or \"format_version\")", name);
    goto done;
  }
  if (err < 0)
    goto done;
  /* versions and the module set: compared like any object, classified by their own rules */
  if ((err = fo_audit_snapshot_add_object(&meta, snap, "meta/terraform", "terraform_state")) < 0)
    goto done;
  mattrs = cJSON_GetObjectItemCaseSensitive(meta, "attributes");
  if (!cJSON_AddStringToObject(meta, "kind", "meta") || !cJSON_AddStringToObject(meta, "file", name) ||
      !(cJSON_IsString(tfv) ? cJSON_AddStringToObject(mattrs, "terraform_version", tfv->valuestring)
                            : cJSON_AddNullToObject(mattrs, "terraform_version")) ||
      !cJSON_AddObjectToObject(mattrs, "providers")) {
    err = fo_err_oom();
    goto done;
  }
  if ((err = fo_audit_snapshot_add_object(&meta, snap, "meta/modules", "terraform_state")) < 0)
    goto done;
  if (!cJSON_AddStringToObject(meta, "kind", "meta") || !cJSON_AddStringToObject(meta, "file", name)) {
    err = fo_err_oom();
    goto done;
  }
  cJSON_ReplaceItemInObjectCaseSensitive(meta, "attributes", modules);
  modules = NULL;
done:
  cJSON_Delete(modules);
  cJSON_Delete(doc);
  return err;
}

static void tfstate_opts(fo_audit_json_opts *o, char *what, size_t wlen, const char *name, int **lines,
                         size_t *nlines) {
  snprintf(what, wlen, "state '%s'", name);
  memset(o, 0, sizeof *o);
  o->what = what;
  o->max_depth = FO_AUDIT_JSON_MAX_DEPTH * 2;
  o->max_bytes = FO_AUDIT_SNAPSHOT_MAX_BYTES;
  o->lines_of = "resources"; /* findings point at the line where a resource opens */
  o->lines = lines;
  o->nlines = nlines;
}

int fo_audit_tfstate_parse(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const char *data, size_t len,
                           const char *name) {
  fo_audit_json_opts o;
  char what[4200];
  cJSON *doc = NULL;
  int *lines = NULL;
  size_t nlines = 0;
  int err;
  tfstate_opts(&o, what, sizeof what, name, &lines, &nlines);
  if ((err = fo_audit_json_parse(&doc, data, len, &o)) == 0)
    err = tfstate_from_doc(ctx, snap, doc, name, lines, nlines);
  free(lines);
  return err;
}

/* ---- the collector: config, rules, steps ------------------------------------------------------------------ */

/* sides.<side>.terraform_state / terraform_state_s3 / terraform_state_gitlab (one of them), terraform_lock,
 * terraform_state_s3_region, terraform_state_gitlab_token_env */
typedef struct tfstate_cfg {
  char *terraform_state;  /* state v4 file or `terraform show -json` output */
  char *terraform_lock;   /* optional .terraform.lock.hcl, for provider versions */
  char *s3;               /* s3://bucket/key: the S3 backend */
  char *s3_region;        /* the bucket's region (default: the side's) */
  char *gitlab;           /* https://gitlab.example.com/api/v4/projects/:id/terraform/state/:name */
  char *gitlab_token_env; /* the variable holding the token (default GITLAB_TOKEN) */
} tfstate_cfg;

static const char *const tfstate_keys[] = {"terraform_state",
                                           "terraform_lock",
                                           "terraform_state_s3",
                                           "terraform_state_s3_region",
                                           "terraform_state_gitlab",
                                           "terraform_state_gitlab_token_env",
                                           NULL};

/* ${CI_API_V4_URL}, ${CI_SERVER_URL} and ${CI_PROJECT_ID} in a GitLab state URL, from the environment (set by
 * GitLab in every job), so one config serves every pipeline. Only these: the URL is shown in reports, and a
 * ${CI_JOB_TOKEN} would put the token there. */
static int expand_ci_vars(const fo_audit_yaml *node, const char *key, char **url) {
  static const char *const allowed[] = {"CI_API_V4_URL", "CI_SERVER_URL", "CI_PROJECT_ID"};
  fo_buf out = FO_BUF_INIT;
  const char *p = *url, *open;
  int err = 0;
  while (err == 0 && (open = strstr(p, "${")) != NULL) {
    const char *close = strchr(open, '}'), *val = NULL;
    size_t n = close ? (size_t)(close - open - 2) : 0;
    for (size_t i = 0; close && i < sizeof allowed / sizeof allowed[0]; i++)
      if (strlen(allowed[i]) == n && !strncmp(open + 2, allowed[i], n))
        val = allowed[i];
    if (!val) {
      fo_buf_dispose(&out);
      return fo_audit_yaml_error(node,
                                 "%s: only ${CI_API_V4_URL}, ${CI_SERVER_URL} and ${CI_PROJECT_ID} are "
                                 "expanded",
                                 key);
    }
    if (!getenv(val) || !*getenv(val)) {
      fo_buf_dispose(&out);
      return fo_audit_yaml_error(node, "%s: ${%s} is not set in the environment", key, val);
    }
    if ((err = fo_buf_append(&out, p, (size_t)(open - p))) == 0)
      err = fo_buf_puts(&out, getenv(val));
    p = close + 1;
  }
  if (err == 0 && p != *url && (err = fo_buf_puts(&out, p)) == 0) {
    free(*url);
    *url = fo_buf_detach(&out, NULL);
  }
  fo_buf_dispose(&out);
  return err;
}

static int tfstate_parse_key(void **state, const char *key, const fo_audit_yaml *node) {
  tfstate_cfg *c = *state;
  char *bucket = NULL, *okey = NULL;
  int err;
  if (!c && !(c = *state = calloc(1, sizeof *c)))
    return fo_err_oom();
  if (!strcmp(key, "terraform_lock"))
    return fo_audit_yaml_path(node, key, &c->terraform_lock);
  if (!strcmp(key, "terraform_state_s3_region"))
    return fo_audit_yaml_string(node, key, &c->s3_region);
  if (!strcmp(key, "terraform_state_gitlab_token_env"))
    return fo_audit_yaml_string(node, key, &c->gitlab_token_env);
  /* one state per side: a second kind of location is a mistake, not a merge (the same key twice: the last wins,
   * as for every key) */
  if ((c->terraform_state && strcmp(key, "terraform_state")) || (c->s3 && strcmp(key, "terraform_state_s3")) ||
      (c->gitlab && strcmp(key, "terraform_state_gitlab")))
    return fo_audit_yaml_error(node,
                               "%s: give only one of terraform_state, terraform_state_s3 and "
                               "terraform_state_gitlab per side",
                               key);
  if (!strcmp(key, "terraform_state"))
    return fo_audit_yaml_path(node, key, &c->terraform_state);
  if (!strcmp(key, "terraform_state_s3")) {
    if ((err = fo_audit_yaml_string(node, key, &c->s3)) < 0)
      return err;
    if ((err = fo_audit_s3_url_parse(c->s3, &bucket, &okey)) < 0) {
      char msg[512];
      snprintf(msg, sizeof msg, "%s", fo_err_last()); /* fo_err_last is the buffer the next message goes to */
      err = fo_audit_yaml_error(node, "%s", msg);
    }
    free(bucket);
    free(okey);
    return err;
  }
  if ((err = fo_audit_yaml_string(node, key, &c->gitlab)) < 0 || (err = expand_ci_vars(node, key, &c->gitlab)) < 0)
    return err;
  if (strncmp(c->gitlab, "https://", 8) != 0 && strncmp(c->gitlab, "http://", 7) != 0)
    return fo_audit_yaml_error(node,
                               "%s must be an http(s) URL "
                               "(<api>/projects/<id>/terraform/state/<name>)",
                               key);
  return 0;
}

static void tfstate_free_cfg(void *state) {
  tfstate_cfg *c = state;
  if (!c)
    return;
  free(c->terraform_state);
  free(c->terraform_lock);
  free(c->s3);
  free(c->s3_region);
  free(c->gitlab);
  free(c->gitlab_token_env);
  free(c);
}

static const char *tfstate_location(const fo_audit_collect_ctx *ctx) {
  const tfstate_cfg *c = ctx->source_cfg;
  return !c ? NULL : c->terraform_state ? c->terraform_state : c->s3 ? c->s3 : c->gitlab;
}

static int tfstate_live(const fo_audit_collect_ctx *ctx) {
  const tfstate_cfg *c = ctx->source_cfg;
  return !c ? FO_AUDIT_OFFLINE : c->s3 ? FO_AUDIT_LIVE_AWS : c->gitlab ? FO_AUDIT_LIVE_NET : FO_AUDIT_OFFLINE;
}

/* A remote state: fetched whole (a backend hands out one document), parsed, and its bytes wiped: they hold the
 * sensitive values in plain text. */
static int tfstate_collect_remote(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const tfstate_cfg *sc) {
  fo_buf text = FO_BUF_INIT;
  int err;
  if (sc->s3)
    err = fo_audit_tfstate_fetch_s3(&text, ctx, sc->s3, sc->s3_region);
  else
    err = fo_audit_tfstate_fetch_gitlab(&text, ctx, sc->gitlab,
                                        sc->gitlab_token_env ? sc->gitlab_token_env : "GITLAB_TOKEN");
  if (err == 0)
    err = fo_audit_tfstate_parse(ctx, snap, text.data ? text.data : "", text.len, sc->s3 ? sc->s3 : sc->gitlab);
  fo_buf_wipe(&text);
  return err;
}

static int tfstate_collect(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap) {
  const tfstate_cfg *sc = ctx->source_cfg;
  fo_audit_json_opts o;
  char what[4200];
  cJSON *doc = NULL;
  int *lines = NULL;
  size_t nlines = 0;
  fo_buf text;
  int err;

  /* streamed into the tree: the state text is never held whole (and its read buffers are wiped: it holds the
   * sensitive values in plain text); a file that is not JSON is refused at its first byte */
  if (!sc->terraform_state)
    err = tfstate_collect_remote(ctx, snap, sc);
  else {
    tfstate_opts(&o, what, sizeof what, sc->terraform_state, &lines, &nlines);
    if ((err = fo_audit_json_load(&doc, sc->terraform_state, &o)) == 0)
      err = tfstate_from_doc(ctx, snap, doc, sc->terraform_state, lines, nlines);
    free(lines);
  }
  if (err < 0 || !sc->terraform_lock)
    return err;
  if ((err = fo_file_read(&text, sc->terraform_lock, 16u << 20)) < 0)
    return err;
  {
    cJSON *meta = cJSON_GetObjectItemCaseSensitive(snap->objects, "meta/terraform");
    cJSON *provs = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(meta, "attributes"), "providers");
    err = provs ? fo_audit_lockfile_parse(provs, text.data, text.len, sc->terraform_lock) : 0;
  }
  fo_buf_dispose(&text);
  return err;
}

/* the resource's own physical id: differs per region by construction */
static void tfstate_drop_volatile(cJSON *attributes) {
  /* fo_audit_json_delete: a snapshot read from a file holds an arena tree */
  fo_audit_json_delete(cJSON_DetachItemFromObjectCaseSensitive(attributes, "id"));
}

#define MM   FO_AUDIT_RULE_MUST_MATCH
#define SC   FO_AUDIT_RULE_SIDE_CHECK
#define ERR  FO_AUDIT_SEV_ERROR
#define WARN FO_AUDIT_SEV_WARNING

/* docs/audit-rules.md, "Terraform state" and "Side checks" */
static const fo_audit_rule tfstate_rules[] = {
    {"state.resource-missing", MM, ERR, FO_AUDIT_STEP_TERRAFORM, "Terraform resource present on one side only",
     "add the resource to the other region's recipe (or record why it is primary-only in expected_differences)"},
    {"state.module-missing", MM, ERR, FO_AUDIT_STEP_TERRAFORM, "Terraform module present on one side only",
     "instantiate the module in the other region's root configuration"},
    {"state.attribute-differs", MM, ERR, FO_AUDIT_STEP_TERRAFORM, "Terraform attribute differs",
     "apply the same change to the other region's recipe and run plan/apply there"},
    {"state.sensitive-differs", MM, ERR, FO_AUDIT_STEP_TERRAFORM, "Sensitive Terraform attribute differs (by hash)",
     "rotate or copy the secret so both regions hold the same value"},
    {"state.terraform-version-differs", MM, WARN, FO_AUDIT_STEP_TERRAFORM, "Terraform/OpenTofu version differs",
     "run both regions' applies with the same terraform/tofu version"},
    {"state.provider-version-differs", MM, ERR, FO_AUDIT_STEP_TERRAFORM, "Provider version differs",
     "run `terraform init -upgrade` in the lagging region so .terraform.lock.hcl pins the same versions"},
    {"eks.version-differs", MM, ERR, FO_AUDIT_STEP_CLUSTER_VERSIONS, "EKS cluster version differs",
     "upgrade the secondary cluster to the primary's Kubernetes version before the next failover test"},
    {"eks.addon-version-differs", MM, ERR, FO_AUDIT_STEP_ADDONS, "EKS add-on version differs",
     "set the same addon_version for the add-on in both regions"},
    {"backup.copy-lifecycle-missing", SC, ERR, FO_AUDIT_STEP_BACKUP, "Backup copy action without a lifecycle",
     "set copy_action.lifecycle.delete_after so cross-region copies expire like the source recovery points"},
    {"backup.copy-action-missing", SC, WARN, FO_AUDIT_STEP_BACKUP, "Backup rule without a cross-region copy",
     "add a copy_action to the rule whose destination_vault_arn is a vault in the other region"},
    {"dns.active-weight-count", SC, ERR, FO_AUDIT_STEP_DNS, "Weighted record set without exactly one active weight",
     "set exactly one weighted record of the set to a non-zero weight (255) and the others to 0"},
};

/* first match wins */
static const fo_audit_rule_match tfstate_matches[] = {
    {FO_AUDIT_ON_MISSING, NULL, NULL, NULL, 0, "state.resource-missing", NULL, "only in primary", "only in secondary"},
    {FO_AUDIT_ON_DIFFERS, "meta/terraform", NULL, "providers**", 0, "state.provider-version-differs",
     "provider version differs", NULL, NULL},
    {FO_AUDIT_ON_DIFFERS, "meta/terraform", NULL, NULL, 0, "state.terraform-version-differs",
     "terraform/tofu version differs", NULL, NULL},
    {FO_AUDIT_ON_DIFFERS, NULL, NULL, NULL, 1, "state.sensitive-differs",
     "sensitive value differs (compared by SHA-256)", NULL, NULL},
    {FO_AUDIT_ON_DIFFERS, NULL, "aws_eks_cluster", "version", 0, "eks.version-differs",
     "EKS Kubernetes version differs", NULL, NULL},
    {FO_AUDIT_ON_DIFFERS, NULL, "aws_eks_addon", "addon_version", 0, "eks.addon-version-differs",
     "EKS add-on version differs", NULL, NULL},
    {FO_AUDIT_ON_DIFFERS, NULL, NULL, NULL, 0, "state.attribute-differs", "attribute differs between the sides", NULL,
     NULL},
};

static const fo_audit_step_match tfstate_steps[] = {
    {"aws_eks_cluster", FO_AUDIT_STEP_CLUSTER_VERSIONS},
    {"aws_eks_node_group", FO_AUDIT_STEP_CLUSTER_VERSIONS},
    {"aws_eks_addon", FO_AUDIT_STEP_ADDONS},
    {"aws_backup_*", FO_AUDIT_STEP_BACKUP},
    {"aws_route53_*", FO_AUDIT_STEP_DNS},
    {"kubernetes_config_map*", FO_AUDIT_STEP_CONFIGMAPS},
    {NULL, FO_AUDIT_STEP_TERRAFORM},
};

/* a module on one side only: one finding instead of one per resource inside it */
static const fo_audit_group_rule tfstate_groups = {
    "meta/modules",
    "module",
    "terraform/",
    "state.module-missing",
    "module only in primary",
    "module only in secondary",
};

const fo_audit_collector fo_audit_collector_tfstate = {
    .name = "terraform_state",
    .side_keys = tfstate_keys,
    .parse_key = tfstate_parse_key,
    .free_cfg = tfstate_free_cfg,
    .location = tfstate_location,
    .collect = tfstate_collect,
    .drop_volatile = tfstate_drop_volatile,
    .rules = tfstate_rules,
    .nrules = sizeof tfstate_rules / sizeof tfstate_rules[0],
    .matches = tfstate_matches,
    .nmatches = sizeof tfstate_matches / sizeof tfstate_matches[0],
    .steps = tfstate_steps,
    .groups = &tfstate_groups,
    .sidechecks = fo_audit_tfstate_sidechecks,
    .nsidechecks = 2,
    .live = tfstate_live,
};
