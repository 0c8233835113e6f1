/* fo_audit_snapshot: building, reading and writing snapshot documents. */
#include "fo_audit_snapshot.h"
#include "fo_pair.h"
#include "fo_audit_json.h"
#include "fo_audit_pack.h"
#include "fo_err.h"
#include "fo_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* One pass over JSON text outside strings: the deepest nesting, and whether the text ends unclosed. */
static void json_scan(const char *data, size_t len, int *max_depth, int *unclosed) {
  int depth = 0, in_str = 0;
  *max_depth = 0;
  for (size_t i = 0; i < len; i++) {
    char c = data[i];
    if (in_str) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_str = 0;
    } else if (c == '"') {
      in_str = 1;
    } else if (c == '{' || c == '[') {
      if (++depth > *max_depth)
        *max_depth = depth;
    } else if (c == '}' || c == ']') {
      depth--;
    }
  }
  *unclosed = in_str || depth > 0;
}

int fo_audit_json_blank(const char *data, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (data[i] != ' ' && data[i] != '\t' && data[i] != '\n' && data[i] != '\r')
      return 0;
  return 1;
}

int fo_audit_json_unclosed(const char *data, size_t len) {
  int maxd, unclosed;
  json_scan(data, len, &maxd, &unclosed);
  return unclosed;
}

int fo_audit_json_depth_ok(const char *data, size_t len, int max_depth) {
  int maxd, unclosed;
  json_scan(data, len, &maxd, &unclosed);
  return maxd <= max_depth;
}

static int add_str(cJSON *o, const char *k, const char *v) {
  if (!(v ? cJSON_AddStringToObject(o, k, v) : cJSON_AddNullToObject(o, k)))
    return fo_err_oom();
  return 0;
}

int fo_audit_snapshot_new(fo_audit_snapshot **out, const char *side, const char *name, const char *region,
                          const char *account_id) {
  fo_audit_snapshot *s = calloc(1, sizeof *s);
  int err = FO_ENOMEM;

  *out = NULL;
  if (!s || !(s->doc = cJSON_CreateObject()) || !(s->arena = fo_audit_arena_new()))
    goto fail;
  if (add_str(s->doc, "format", FO_AUDIT_SNAPSHOT_FORMAT) < 0 ||
      !cJSON_AddNumberToObject(s->doc, "version", FO_AUDIT_SNAPSHOT_VERSION) || add_str(s->doc, "side", side) < 0 ||
      add_str(s->doc, "name", name ? name : side) < 0 || add_str(s->doc, "region", region) < 0 ||
      add_str(s->doc, "account_id", account_id) < 0 || add_str(s->doc, "tool_version", FO_AUDIT_VERSION) < 0 ||
      !(s->sources = cJSON_AddArrayToObject(s->doc, "sources")) ||
      !(s->objects = cJSON_AddObjectToObject(s->doc, "objects")))
    goto fail;
  *out = s;
  return 0;
fail:
  fo_audit_snapshot_free(s);
  return fo_err_set(err, "out of memory");
}

void fo_audit_snapshot_free(fo_audit_snapshot *s) {
  if (!s)
    return;
  fo_audit_json_delete(s->doc); /* the nodes added after reading are malloc'ed; the rest goes with the arena */
  fo_audit_arena_free(s->arena);
  fo_audit_arena_free(s->packs);
  free(s);
}

int fo_audit_snapshot_attributes(cJSON **out, const cJSON *obj, fo_audit_arena *scratch) {
  cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, "attributes");
  *out = NULL;
  if (!fo_audit_pack_is(a)) {
    *out = a;
    return 0;
  }
  return fo_audit_pack_open(out, a, scratch);
}

int fo_audit_snapshot_add_object(cJSON **out, fo_audit_snapshot *s, const char *key, const char *source) {
  cJSON *o = cJSON_CreateObject();
  if (!o || !cJSON_AddStringToObject(o, "source", source) || !cJSON_AddObjectToObject(o, "attributes")) {
    cJSON_Delete(o);
    return fo_err_oom();
  }
  if (!cJSON_AddItemToObject(s->objects, key, o)) {
    cJSON_Delete(o);
    return fo_err_oom();
  }
  *out = o;
  return 0;
}

int fo_audit_snapshot_add_source(fo_audit_snapshot *s, const char *name, const char *status, const char *location,
                                 const char *message) {
  cJSON *o = cJSON_CreateObject();
  if (!o || add_str(o, "name", name) < 0 || add_str(o, "status", status) < 0 || add_str(o, "location", location) < 0 ||
      add_str(o, "message", message) < 0 || !cJSON_AddItemToArray(s->sources, o)) {
    cJSON_Delete(o);
    return fo_err_oom();
  }
  return 0;
}

const char *fo_audit_snapshot_source_status(const fo_audit_snapshot *s, const char *name) {
  const cJSON *it;
  cJSON_ArrayForEach(it, s->sources) {
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(it, "name");
    if (cJSON_IsString(n) && !strcmp(n->valuestring, name)) {
      const cJSON *st = cJSON_GetObjectItemCaseSensitive(it, "status");
      return cJSON_IsString(st) ? st->valuestring : NULL;
    }
  }
  return NULL;
}

const char *fo_audit_snapshot_get(const fo_audit_snapshot *s, const char *field) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(s->doc, field);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Check a parsed document and its arenas (all taken) and wrap them. Exact values: numbers keep their text,
 * strings their NULs (fo_audit_json), so an offline diff sees what the collector saw. */
static int snapshot_from_doc(fo_audit_snapshot **out, cJSON *doc, fo_audit_arena *arena, fo_audit_arena *packs,
                             const char *name) {
  fo_audit_snapshot *s = NULL;
  const cJSON *fmt, *ver, *side, *it;
  char nb[FO_AUDIT_JSON_NUMBUF];

  *out = NULL;
  if (!(s = calloc(1, sizeof *s))) {
    fo_audit_json_delete(doc);
    fo_audit_arena_free(arena);
    fo_audit_arena_free(packs);
    return fo_err_oom();
  }
  s->doc = doc;
  s->arena = arena;
  s->packs = packs;
  fmt = cJSON_GetObjectItemCaseSensitive(s->doc, "format");
  ver = cJSON_GetObjectItemCaseSensitive(s->doc, "version");
  side = cJSON_GetObjectItemCaseSensitive(s->doc, "side");
  s->objects = cJSON_GetObjectItemCaseSensitive(s->doc, "objects");
  s->sources = cJSON_GetObjectItemCaseSensitive(s->doc, "sources");
  if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, FO_AUDIT_SNAPSHOT_FORMAT) != 0) {
    fo_audit_snapshot_free(s);
    return fo_err_set(FO_EINVAL, "snapshot '%s': not a failover-audit snapshot (\"format\" is not \"%s\")", name,
                      FO_AUDIT_SNAPSHOT_FORMAT);
  }
  _Static_assert(FO_AUDIT_SNAPSHOT_VERSION == 1, "the exact version text below is \"1\"");
  if (!cJSON_IsNumber(ver) || strcmp(fo_audit_json_number_text(ver, nb), "1") != 0) { /* 1.0000000000000001 is not 1 */
    fo_audit_snapshot_free(s);
    return fo_err_set(FO_EINVAL, "snapshot '%s': unsupported version (this auditor reads version %d)", name,
                      FO_AUDIT_SNAPSHOT_VERSION);
  }
  if (!cJSON_IsString(side) || (strcmp(side->valuestring, "primary") && strcmp(side->valuestring, "secondary")) ||
      !cJSON_IsObject(s->objects) || !cJSON_IsArray(s->sources)) {
    fo_audit_snapshot_free(s);
    return fo_err_set(FO_EINVAL, "snapshot '%s': needs \"side\" (primary|secondary), \"sources\" and \"objects\"",
                      name);
  }
  cJSON_ArrayForEach(it, s->objects) {
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(it, "source");
    if (!cJSON_IsObject(it) || !cJSON_IsString(src) ||
        !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(it, "attributes"))) {
      /* The key belongs to the document: format the error before freeing it. */
      int err = fo_err_set(FO_EINVAL, "snapshot '%s': object '%s' needs \"source\" and \"attributes\"", name,
                           it->string ? it->string : "");
      fo_audit_snapshot_free(s);
      return err;
    }
  }
  cJSON_ArrayForEach(it, s->sources) {
    if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, "name")) ||
        !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, "status"))) {
      fo_audit_snapshot_free(s);
      return fo_err_set(FO_EINVAL, "snapshot '%s': every source needs \"name\" and \"status\"", name);
    }
  }
  *out = s;
  return 0;
}

/* How a snapshot file is read: the tree goes into an arena of its own (a snapshot is read once, changed little
 * and freed whole; a node per malloc cost a fifth more memory and time), and each object's attributes, the bulk
 * of it, are packed as soon as they close (fo_audit_pack: a few bytes per value instead of a 64-byte node, so
 * `diff` holds about its input's size, docs/benchmarks.md). */
typedef struct reading {
  fo_audit_json_opts o;
  fo_audit_json_collapse collapse;
  fo_audit_arena *packs;
  fo_buf bytes; /* one object's packed attributes, reused */
  char what[4200];
} reading;

static int pack_attributes(void *ud, cJSON *node) {
  reading *rd = ud;
  int err;
  rd->bytes.len = 0;
  if ((err = fo_audit_pack_write(&rd->bytes, node)) < 0)
    return err;
  return fo_audit_pack_set(node, (const unsigned char *)rd->bytes.data, rd->bytes.len, rd->packs);
}

static int reading_init(reading *rd, const char *name) {
  memset(rd, 0, sizeof *rd);
  snprintf(rd->what, sizeof rd->what, "snapshot '%s'", name);
  fo_buf_init(&rd->bytes, FO_AUDIT_SNAPSHOT_MAX_BYTES);
  rd->o.what = rd->what;
  rd->o.max_depth = FO_AUDIT_JSON_MAX_DEPTH;
  rd->o.max_bytes = FO_AUDIT_SNAPSHOT_MAX_BYTES;
  rd->o.collapse = &rd->collapse;
  rd->collapse.under = "objects";
  rd->collapse.member = "attributes";
  rd->collapse.done = pack_attributes;
  rd->collapse.ud = rd;
  if (!(rd->o.arena = fo_audit_arena_new()) || !(rd->packs = fo_audit_arena_new()) ||
      !(rd->collapse.scratch = fo_audit_arena_new()))
    return fo_err_oom();
  return 0;
}

/* After the parse: the scratch and the buffer go; on failure (`err` < 0) the arenas too, else `doc` and the
 * arenas become the snapshot. */
static int reading_finish(fo_audit_snapshot **out, reading *rd, cJSON *doc, const char *name, int err) {
  fo_audit_arena_free(rd->collapse.scratch);
  fo_buf_dispose(&rd->bytes);
  if (err < 0) {
    fo_audit_arena_free(rd->o.arena);
    fo_audit_arena_free(rd->packs);
    return err;
  }
  return snapshot_from_doc(out, doc, rd->o.arena, rd->packs, name);
}

int fo_audit_snapshot_parse(fo_audit_snapshot **out, const char *data, size_t len, const char *name) {
  reading rd;
  cJSON *doc = NULL;
  int err;
  *out = NULL;
  if ((err = reading_init(&rd, name)) == 0)
    err = fo_audit_json_parse(&doc, data, len, &rd.o);
  return reading_finish(out, &rd, doc, name, err);
}

int fo_audit_snapshot_load(fo_audit_snapshot **out, const char *path) {
  reading rd;
  cJSON *doc = NULL;
  int err;
  *out = NULL;
  /* streamed: the text is never held whole, and a file that is not JSON is refused at its first byte */
  if ((err = reading_init(&rd, path)) == 0)
    err = fo_audit_json_load(&doc, path, &rd.o);
  return reading_finish(out, &rd, doc, path, err);
}

typedef struct load_job {
  fo_audit_snapshot *snap;
  const char *path;
  int err;
  char msg[4400]; /* the thread's error message (fo_err is per thread); names the file */
} load_job;

static void *load_thread(void *arg) {
  load_job *j = arg;
  if ((j->err = fo_audit_snapshot_load(&j->snap, j->path)) < 0)
    snprintf(j->msg, sizeof j->msg, "%s", fo_err_last());
  return NULL;
}

int fo_audit_snapshot_load_pair(fo_audit_snapshot **primary, fo_audit_snapshot **secondary, const char *ppath,
                                const char *spath) {
  load_job jobs[2];
  memset(jobs, 0, sizeof jobs);
  jobs[0].path = ppath;
  jobs[1].path = spath;
  *primary = *secondary = NULL;
  fo_pair_run(load_thread, &jobs[0], &jobs[1]);
  for (int side = 0; side < 2; side++) {
    if (jobs[side].err < 0) {
      fo_audit_snapshot_free(jobs[0].snap);
      fo_audit_snapshot_free(jobs[1].snap);
      return fo_err_set(jobs[side].err, "%s", jobs[side].msg);
    }
  }
  *primary = jobs[0].snap;
  *secondary = jobs[1].snap;
  return 0;
}

/* Packed attributes are opened into `scratch` and hung under their nodes for the time of the writing, then
 * taken off again: the snapshot is as before afterwards (a read one is rarely written: tests, tools). */
static void show_packed(const fo_audit_snapshot *s, fo_audit_arena *scratch, int show, int *err) {
  cJSON *o;
  cJSON_ArrayForEach(o, s->objects) {
    cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "attributes"), *tree = NULL;
    if (!a || !a->valuestring || !(a->type & cJSON_IsReference) || !cJSON_IsObject(a))
      continue;
    if (!show) {
      if (!(a->type & FO_AUDIT_PACK_NODE)) { /* shown below: take its children off again */
        a->child = NULL;
        a->type |= FO_AUDIT_PACK_NODE;
      }
      continue;
    }
    if (!fo_audit_pack_is(a))
      continue;
    if (*err == 0 && (*err = fo_audit_pack_open(&tree, a, scratch)) == 0) {
      a->child = tree->child;
      a->type &= ~FO_AUDIT_PACK_NODE;
    }
  }
}

int fo_audit_snapshot_write(const fo_audit_snapshot *s, fo_buf *out) {
  fo_audit_arena *scratch = s->packs ? fo_audit_arena_new() : NULL;
  int err = s->packs && !scratch ? fo_err_oom() : 0;
  if (scratch)
    show_packed(s, scratch, 1, &err);
  if (err == 0)
    err = fo_audit_json_write(out, s->doc, 1);
  if (scratch)
    show_packed(s, scratch, 0, &err);
  fo_audit_arena_free(scratch);
  if (err == 0)
    err = fo_buf_puts(out, "\n");
  return err;
}
