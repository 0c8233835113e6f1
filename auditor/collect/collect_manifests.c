/* collect_manifests: Kubernetes manifests (multi-document YAML files, a file or a directory tree) into
 * snapshot objects keyed k8s/<kind>/<namespace>/<name>, with the whole object as attributes. */
#include "fo_audit_collector.h"
#include "fo_audit_json.h"
#include "fo_audit_k8s.h"
#include "fo_buf.h"
#include "fo_err.h"
#include "fo_file.h"
#include "fo_yaml_depth.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#define MAX_NODES_PER_DOC 200000
#define MAX_DOCS          100000
#define MAX_FILES         100000
#define MAX_DIR_DEPTH     16

/* YAML aliases let a small file expand into a huge tree (billion laughs). Each document may expand to
 * MAX_NODES_PER_DOC nodes, and a whole file to NODES_PER_BYTE per byte of text plus one document's worth, so a
 * file of many just-under-the-limit documents cannot blow up either. Alias-free YAML needs at least a couple of
 * bytes per node, so real manifests never meet these limits. */
#define NODES_PER_BYTE 2

typedef struct conv {
  yaml_document_t *doc;
  size_t nodes;       /* in this document */
  size_t *file_nodes; /* in the whole file */
  size_t file_budget;
  const char *name;
  const fo_audit_collect_ctx *ctx;
  unsigned char *secret; /* per node id: reachable from a Secret's data (NULL: the document has no Secret) */
  size_t steps;          /* merge-key lookups while finding Secrets */
} conv;

/* Merge keys (`<<: *base`, `<<: [*a, *b]`) chain through aliases: each chain is bounded in depth, and the
 * mapping pairs scanned while finding Secrets are bounded per document (many small mappings merging one huge
 * mapping would otherwise scan it once each), so a file of aliased merges cannot run for ever. */
#define MAX_MERGE_DEPTH 32
#define MAX_MERGE_STEPS 20000000

static size_t node_id(const conv *c, const yaml_node_t *n) {
  return (size_t)(n - c->doc->nodes.start) + 1;
}

static int is_merge_key(const yaml_node_t *k) {
  return k && k->type == YAML_SCALAR_NODE && k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
         !strcmp((const char *)k->data.scalar.value, "<<");
}

static int merge_error(const conv *c, const yaml_node_t *v) {
  return fo_err_set(FO_EINVAL, "manifest '%s':%zu:%zu: a merge key '<<' needs a mapping or a list of mappings", c->name,
                    v ? v->start_mark.line + 1 : 0, v ? v->start_mark.column + 1 : 0);
}

/* The value of `key` in a mapping with its merge keys resolved as kubectl does: an explicit key wins (the last
 * of repeated ones), then the merged mappings in order. *out is NULL when absent. */
static int map_lookup(conv *c, const yaml_node_t *map, const char *key, int mdepth, const yaml_node_t **out) {
  *out = NULL;
  if (!map || map->type != YAML_MAPPING_NODE)
    return 0;
  c->steps += (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start) + 1;
  if (mdepth > MAX_MERGE_DEPTH || c->steps > MAX_MERGE_STEPS)
    return fo_err_set(FO_ELIMIT,
                      "manifest '%s':%zu: merge keys nested deeper than %d levels, or more than %d mapping pairs "
                      "to look through (YAML aliases?)",
                      c->name, map->start_mark.line + 1, MAX_MERGE_DEPTH, MAX_MERGE_STEPS);
  for (yaml_node_pair_t *pr = map->data.mapping.pairs.top; pr > map->data.mapping.pairs.start;) {
    const yaml_node_t *k = yaml_document_get_node(c->doc, (--pr)->key);
    if (k && k->type == YAML_SCALAR_NODE && !is_merge_key(k) && !strcmp((const char *)k->data.scalar.value, key)) {
      *out = yaml_document_get_node(c->doc, pr->value);
      return 0;
    }
  }
  for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
    const yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);
    int err;
    if (!is_merge_key(yaml_document_get_node(c->doc, pr->key)) || !v)
      continue;
    if (v->type == YAML_SEQUENCE_NODE) {
      for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
        if ((err = map_lookup(c, yaml_document_get_node(c->doc, *it), key, mdepth + 1, out)) < 0 || *out)
          return err;
    } else if ((err = map_lookup(c, v, key, mdepth + 1, out)) < 0 || *out) {
      return err;
    }
  }
  return 0;
}

/* Everything reachable from n (through aliases too) is secret. */
static int mark_reachable(conv *c, const yaml_node_t *n, int depth) {
  size_t id;
  if (!n)
    return 0;
  if (depth > FO_AUDIT_JSON_MAX_DEPTH + MAX_MERGE_DEPTH)
    return fo_err_set(FO_ELIMIT, "manifest '%s':%zu: nested deeper than %d levels", c->name, n->start_mark.line + 1,
                      FO_AUDIT_JSON_MAX_DEPTH);
  id = node_id(c, n);
  if (c->secret[id])
    return 0;
  c->secret[id] = 1;
  if (n->type == YAML_SEQUENCE_NODE) {
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
      int err = mark_reachable(c, yaml_document_get_node(c->doc, *it), depth + 1);
      if (err < 0)
        return err;
    }
  } else if (n->type == YAML_MAPPING_NODE) {
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
      int err;
      if ((err = mark_reachable(c, yaml_document_get_node(c->doc, pr->key), depth + 1)) < 0 ||
          (err = mark_reachable(c, yaml_document_get_node(c->doc, pr->value), depth + 1)) < 0)
        return err;
    }
  }
  return 0;
}

/* The values of a Secret's data/stringData mapping (merged ones too) are secret; the mapping itself is not, so
 * they are hashed one by one and a finding names the key that differs. */
static int mark_values(conv *c, const yaml_node_t *map, int mdepth) {
  c->steps += (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start) + 1;
  if (mdepth > MAX_MERGE_DEPTH || c->steps > MAX_MERGE_STEPS)
    return fo_err_set(FO_ELIMIT,
                      "manifest '%s':%zu: merge keys nested deeper than %d levels, or more than %d mapping pairs "
                      "to look through (YAML aliases?)",
                      c->name, map->start_mark.line + 1, MAX_MERGE_DEPTH, MAX_MERGE_STEPS);
  for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
    const yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);
    int err = 0;
    if (!is_merge_key(yaml_document_get_node(c->doc, pr->key))) {
      err = mark_reachable(c, v, 0);
    } else if (v && v->type == YAML_MAPPING_NODE) {
      err = mark_values(c, v, mdepth + 1);
    } else if (v && v->type == YAML_SEQUENCE_NODE) {
      for (yaml_node_item_t *it = v->data.sequence.items.start; err == 0 && it < v->data.sequence.items.top; it++) {
        const yaml_node_t *m = yaml_document_get_node(c->doc, *it);
        err = m && m->type == YAML_MAPPING_NODE ? mark_values(c, m, mdepth + 1) : mark_reachable(c, m, 0);
      }
    } else {
      err = mark_reachable(c, v, 0); /* not a valid merge: hidden all the same (fail closed) */
    }
    if (err < 0)
      return err;
  }
  return 0;
}

/* Find every mapping of the document whose kind (merge keys resolved) is Secret and mark what its data,
 * stringData and last-applied annotation reach. Detection fails closed: a node reachable from a Secret's
 * values is hashed wherever else in the document an alias puts it. */
static int find_secrets(conv *c) {
  size_t n = (size_t)(c->doc->nodes.top - c->doc->nodes.start);
  static const char *const fields[] = {"data", "stringData"};
  for (yaml_node_t *m = c->doc->nodes.start; m < c->doc->nodes.top; m++) {
    const yaml_node_t *kind, *v, *meta, *ann;
    int err;
    if (m->type != YAML_MAPPING_NODE)
      continue;
    if ((err = map_lookup(c, m, "kind", 0, &kind)) < 0)
      return err;
    if (!kind || kind->type != YAML_SCALAR_NODE || strcmp((const char *)kind->data.scalar.value, "Secret") != 0)
      continue;
    if (!c->secret && !(c->secret = calloc(n + 1, 1)))
      return fo_err_oom();
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
      if ((err = map_lookup(c, m, fields[i], 0, &v)) < 0)
        return err;
      if (v && (err = v->type == YAML_MAPPING_NODE ? mark_values(c, v, 0) : mark_reachable(c, v, 0)) < 0)
        return err;
    }
    if ((err = map_lookup(c, m, "metadata", 0, &meta)) < 0 || (err = map_lookup(c, meta, "annotations", 0, &ann)) < 0 ||
        (err = map_lookup(c, ann, "kubectl.kubernetes.io/last-applied-configuration", 0, &v)) < 0 ||
        (err = mark_reachable(c, v, 0)) < 0)
      return err;
  }
  return 0;
}

static int plain_is(const char *s, const char *const *words) {
  for (; *words; words++)
    if (!strcmp(s, *words))
      return 1;
  return 0;
}

static cJSON *scalar_to_json(const yaml_node_t *n) {
  static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
  static const char *const trues[] = {"true", "True", "TRUE", NULL};
  static const char *const falses[] = {"false", "False", "FALSE", NULL};
  const char *s = (const char *)n->data.scalar.value;
  size_t len = n->data.scalar.length;

  /* quoted scalars are strings (all their bytes: "a\0b" is not "a"); libyaml tags every untagged plain scalar
   * !!str, so plain ones are resolved with the YAML core schema here */
  if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return fo_audit_json_string_from_bytes(s, len);
  if (plain_is(s, nulls))
    return cJSON_CreateNull();
  if (plain_is(s, trues))
    return cJSON_CreateTrue();
  if (plain_is(s, falses))
    return cJSON_CreateFalse();
  {
    /* integers and floats of the YAML core schema (no octal/hex: they stay strings, as kubectl keeps them) */
    const char *p = s;
    int digits = 0, dot = 0, exp = 0;
    if (*p == '-' || *p == '+')
      p++;
    for (; *p; p++) {
      if (*p >= '0' && *p <= '9')
        digits++;
      else if (*p == '.' && !dot && !exp)
        dot = 1;
      else if ((*p == 'e' || *p == 'E') && digits && !exp) {
        exp = 1;
        if (p[1] == '-' || p[1] == '+')
          p++;
      } else
        break;
    }
    if (!*p && digits && !(s[0] == '0' && s[1] >= '0' && s[1] <= '9') && strlen(s) < 40) {
      /* exact: canonical decimal text, so 9007199254740993 is not 9007199254740992 (a double would say so) */
      cJSON *num = NULL;
      int err = fo_audit_json_number_from_text(&num, s, len);
      if (err == FO_ENOMEM)
        return NULL;
      if (err == 0)
        return num;
    }
  }
  return fo_audit_json_string_from_bytes(s, len);
}

typedef struct keyed {
  cJSON *item;
  size_t idx;
} keyed;

static int cmp_keyed(const void *pa, const void *pb) {
  const keyed *a = pa, *b = pb;
  int c = strcmp(a->item->string, b->item->string);
  return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

/* A repeated key: the last one wins, as in kubectl. Found by sorting, since looking each key up as it is added
 * is quadratic in the mapping's size (cJSON's lookup is a linear scan). */
static int drop_repeated_keys(cJSON *o) {
  size_t n = 0, k = 0;
  keyed *v;
  cJSON *c;
  for (c = o->child; c; c = c->next)
    n++;
  if (n < 2)
    return 0;
  if (!(v = malloc(n * sizeof *v)))
    return fo_err_oom();
  for (c = o->child; c; c = c->next, k++) {
    v[k].item = c;
    v[k].idx = k;
  }
  qsort(v, n, sizeof *v, cmp_keyed);
  for (size_t i = 0; i + 1 < n; i++)
    if (!strcmp(v[i].item->string, v[i + 1].item->string))
      cJSON_Delete(cJSON_DetachItemViaPointer(o, v[i].item));
  free(v);
  return 0;
}

static int to_json(conv *c, const yaml_node_t *n, int depth, cJSON **out);

/* A child of `parent` (converted from node `v`, a member of node `owner`): hashed here when it is reachable
 * from a Secret's values and its owner is not (then the owner is hashed as a whole one level up). */
static int hide_if_secret(conv *c, const yaml_node_t *owner, const yaml_node_t *v, cJSON *parent, cJSON *child) {
  if (!c->secret || !v || c->secret[node_id(c, v)] == 0 || c->secret[node_id(c, owner)])
    return 0;
  return fo_audit_mark_sensitive_value(c->ctx, parent, child);
}

/* The pairs of mapping `map` into o, for node `owner`: merged mappings first, lowest priority first, then the
 * explicit pairs, so that after drop_repeated_keys (the last one wins) explicit keys beat merged ones and an
 * earlier merged mapping beats a later one, as in kubectl. */
static int add_pairs(conv *c, cJSON *o, const yaml_node_t *owner, const yaml_node_t *map, int depth, int mdepth) {
  int err;
  if (mdepth > MAX_MERGE_DEPTH)
    return fo_err_set(FO_ELIMIT, "manifest '%s':%zu: merge keys nested deeper than %d levels", c->name,
                      map->start_mark.line + 1, MAX_MERGE_DEPTH);
  if (++c->nodes > MAX_NODES_PER_DOC) /* a merge costs a node: chains of aliased merges are bombs too */
    return fo_err_set(FO_ELIMIT, "manifest '%s':%zu: a document expands to more than %d nodes (YAML aliases?)", c->name,
                      map->start_mark.line + 1, MAX_NODES_PER_DOC);
  for (yaml_node_pair_t *pr = map->data.mapping.pairs.top; pr > map->data.mapping.pairs.start;) {
    const yaml_node_t *v;
    --pr;
    if (!is_merge_key(yaml_document_get_node(c->doc, pr->key)))
      continue;
    if (!(v = yaml_document_get_node(c->doc, pr->value)))
      return merge_error(c, v);
    if (v->type == YAML_MAPPING_NODE) {
      if ((err = add_pairs(c, o, owner, v, depth, mdepth + 1)) < 0)
        return err;
    } else if (v->type == YAML_SEQUENCE_NODE) {
      for (yaml_node_item_t *it = v->data.sequence.items.top; it > v->data.sequence.items.start;) {
        const yaml_node_t *m = yaml_document_get_node(c->doc, *--it);
        if (!m || m->type != YAML_MAPPING_NODE)
          return merge_error(c, m ? m : v);
        if ((err = add_pairs(c, o, owner, m, depth, mdepth + 1)) < 0)
          return err;
      }
    } else {
      return merge_error(c, v);
    }
  }
  for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
    const yaml_node_t *k = yaml_document_get_node(c->doc, pr->key), *v = yaml_document_get_node(c->doc, pr->value);
    cJSON *child;
    if (is_merge_key(k))
      continue;
    if (!k || k->type != YAML_SCALAR_NODE)
      return fo_err_set(FO_EINVAL, "manifest '%s':%zu:%zu: mapping keys must be strings", c->name,
                        k ? k->start_mark.line + 1 : 0, k ? k->start_mark.column + 1 : 0);
    if (memchr(k->data.scalar.value, 0, k->data.scalar.length)) /* a C-string key would lose its tail */
      return fo_err_set(FO_EINVAL, "manifest '%s':%zu:%zu: a mapping key holds a NUL character", c->name,
                        k->start_mark.line + 1, k->start_mark.column + 1);
    /* a secret as a key of a non-secret mapping would show in every path: refuse rather than print it */
    if (c->secret && c->secret[node_id(c, k)] && !c->secret[node_id(c, owner)])
      return fo_err_set(FO_EINVAL, "manifest '%s':%zu:%zu: a Secret's value is used as a mapping key", c->name,
                        k->start_mark.line + 1, k->start_mark.column + 1);
    if ((err = to_json(c, v, depth + 1, &child)) < 0)
      return err;
    if (!cJSON_AddItemToObject(o, (const char *)k->data.scalar.value, child)) {
      cJSON_Delete(child);
      return fo_err_oom();
    }
    if ((err = hide_if_secret(c, owner, v, o, child)) < 0)
      return err;
  }
  return 0;
}

static int to_json(conv *c, const yaml_node_t *n, int depth, cJSON **out) {
  cJSON *o = NULL;
  int err;
  *out = NULL;
  if (!n)
    return fo_err_set(FO_EINVAL, "manifest '%s': dangling YAML node", c->name);
  if (depth > FO_AUDIT_JSON_MAX_DEPTH)
    return fo_err_set(FO_ELIMIT, "manifest '%s':%zu: nested deeper than %d levels", c->name, n->start_mark.line + 1,
                      FO_AUDIT_JSON_MAX_DEPTH);
  if (++c->nodes > MAX_NODES_PER_DOC) /* also stops alias expansion bombs */
    return fo_err_set(FO_ELIMIT, "manifest '%s':%zu: a document expands to more than %d nodes (YAML aliases?)", c->name,
                      n->start_mark.line + 1, MAX_NODES_PER_DOC);
  if (++*c->file_nodes > c->file_budget)
    return fo_err_set(FO_ELIMIT, "manifest '%s':%zu: expands to more nodes than its size allows (YAML aliases?)",
                      c->name, n->start_mark.line + 1);
  switch (n->type) {
    case YAML_SCALAR_NODE:
      o = scalar_to_json(n);
      break;
    case YAML_SEQUENCE_NODE:
      if (!(o = cJSON_CreateArray()))
        break;
      for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        cJSON *child;
        if ((err = to_json(c, yaml_document_get_node(c->doc, *it), depth + 1, &child)) < 0) {
          cJSON_Delete(o);
          return err;
        }
        cJSON_AddItemToArray(o, child);
        if ((err = hide_if_secret(c, n, yaml_document_get_node(c->doc, *it), o, child)) < 0) {
          cJSON_Delete(o);
          return err;
        }
      }
      break;
    case YAML_MAPPING_NODE:
      if (!(o = cJSON_CreateObject()))
        break;
      if ((err = add_pairs(c, o, n, n, depth, 0)) < 0 || (err = drop_repeated_keys(o)) < 0) {
        cJSON_Delete(o);
        return err;
      }
      break;
    default:
      break;
  }
  if (!o)
    return fo_err_oom();
  *out = o;
  return 0;
}

int fo_audit_manifests_parse(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const char *data, size_t len,
                             const char *name) {
  yaml_parser_t parser;
  int err = 0;
  size_t ndocs = 0, file_nodes = 0, deep, col;

  if (memchr(data, '\0', len))
    return fo_err_set(FO_EINVAL, "manifest '%s': binary file (contains NUL bytes)", name);
  if ((deep = fo_yaml_flow_too_deep(data, len, &col)) != 0)
    return fo_err_set(FO_ELIMIT, "manifest '%s':%zu:%zu: brackets nested deeper than %d levels", name, deep, col,
                      FO_YAML_MAX_FLOW_DEPTH);
  if (!yaml_parser_initialize(&parser))
    return fo_err_oom();
  yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
  for (;;) {
    yaml_document_t doc;
    yaml_node_t *root;
    conv c;
    cJSON *obj = NULL;
    if (!yaml_parser_load(&parser, &doc)) {
      err = fo_err_set(FO_EINVAL, "manifest '%s':%zu:%zu: %s%s%s", name, parser.problem_mark.line + 1,
                       parser.problem_mark.column + 1, parser.problem ? parser.problem : "syntax error",
                       parser.context ? " " : "", parser.context ? parser.context : "");
      break;
    }
    root = yaml_document_get_root_node(&doc);
    if (!root) {
      yaml_document_delete(&doc);
      break; /* end of stream */
    }
    if (++ndocs > MAX_DOCS) {
      yaml_document_delete(&doc);
      err = fo_err_set(FO_ELIMIT, "manifest '%s': more than %d documents", name, MAX_DOCS);
      break;
    }
    c.doc = &doc;
    c.nodes = 0;
    c.file_nodes = &file_nodes;
    c.file_budget = len * NODES_PER_BYTE + MAX_NODES_PER_DOC;
    c.name = name;
    c.ctx = ctx;
    c.secret = NULL;
    c.steps = 0;
    if (root->type == YAML_MAPPING_NODE) {
      size_t line = root->start_mark.line + 1;
      if ((err = find_secrets(&c)) == 0 && c.secret && c.secret[node_id(&c, root)])
        err = fo_err_set(FO_EINVAL, "manifest '%s':%zu: a Secret's data refers back to its own document", name, line);
      if (err == 0 && (err = to_json(&c, root, 0, &obj)) == 0) {
        /* a List (kubectl get -o yaml) holds its objects under items */
        cJSON *kind = cJSON_GetObjectItemCaseSensitive(obj, "kind");
        cJSON *items = cJSON_GetObjectItemCaseSensitive(obj, "items");
        if (cJSON_IsString(kind) && !strcmp(kind->valuestring, "List") && cJSON_IsArray(items)) {
          cJSON *it;
          while (err == 0 && (it = cJSON_DetachItemFromArray(items, 0)) != NULL)
            err = fo_audit_k8s_add_object(ctx, snap, it, "kubernetes_manifests", name, line);
          cJSON_Delete(obj);
        } else {
          err = fo_audit_k8s_add_object(ctx, snap, obj, "kubernetes_manifests", name, line);
        }
      }
    }
    free(c.secret);
    yaml_document_delete(&doc);
    if (err < 0)
      break;
  }
  yaml_parser_delete(&parser);
  return err;
}

static int has_yaml_ext(const char *n) {
  size_t l = strlen(n);
  return (l > 5 && !strcmp(n + l - 5, ".yaml")) || (l > 4 && !strcmp(n + l - 4, ".yml"));
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directories being walked, innermost first: a symlink back to one of them (a loop) is skipped, since
 * everything under it is already being read; following it would read the same files again up to the depth
 * limit and then fail. */
typedef struct dir_frame {
  dev_t dev;
  ino_t ino;
  const struct dir_frame *up;
} dir_frame;

static int collect_path(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const char *path, int depth,
                        size_t *nfiles, const dir_frame *up) {
  struct stat st;
  dir_frame here;
  int err = 0;

  if (stat(path, &st) != 0)
    return fo_err_set(FO_EIO, "cannot read manifests '%s': %s", path, strerror(errno));
  if (S_ISREG(st.st_mode)) {
    fo_buf text;
    if (++*nfiles > MAX_FILES)
      return fo_err_set(FO_ELIMIT, "manifests: more than %d files", MAX_FILES);
    if ((err = fo_file_read(&text, path, 64u << 20)) < 0)
      return err;
    err = fo_audit_manifests_parse(ctx, snap, text.data, text.len, path);
    fo_buf_dispose(&text);
    return err;
  }
  if (!S_ISDIR(st.st_mode)) /* a FIFO, a device (/dev/zero), a socket: never skipped in silence (fail closed) */
    return fo_err_set(FO_EIO, "cannot read manifest '%s': not a regular file or a directory", path);
  for (const dir_frame *f = up; f; f = f->up)
    if (f->dev == st.st_dev && f->ino == st.st_ino)
      return 0;
  if (depth > MAX_DIR_DEPTH)
    return fo_err_set(FO_ELIMIT, "manifests '%s': directories nested deeper than %d", path, MAX_DIR_DEPTH);
  here.dev = st.st_dev;
  here.ino = st.st_ino;
  here.up = up;
  {
    DIR *d = opendir(path);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    if (!d)
      return fo_err_set(FO_EIO, "cannot read manifests '%s': %s", path, strerror(errno));
    /* sorted, so snapshots are reproducible */
    /* readdir ends with NULL on an error too: errno tells them apart, so a listing is never cut short in
     * silence */
    for (errno = 0; (de = readdir(d)) != NULL; errno = 0) {
      fo_buf child = FO_BUF_INIT;
      struct stat cst;
      if (de->d_name[0] == '.')
        continue;
      if (fo_buf_printf(&child, "%s/%s", path, de->d_name) < 0) {
        err = FO_ENOMEM;
        break;
      }
      if (stat(child.data, &cst) != 0) {
        if (has_yaml_ext(de->d_name)) { /* a dangling link: a manifest that cannot be read (fail closed) */
          err = fo_err_set(FO_EIO, "cannot read manifest '%s': %s", child.data, strerror(errno));
          fo_buf_dispose(&child);
          break;
        }
        fo_buf_dispose(&child);
        continue;
      }
      if (!S_ISDIR(cst.st_mode) && !has_yaml_ext(de->d_name)) {
        fo_buf_dispose(&child);
        continue;
      }
      if (n == cap) {
        char **nn = realloc(names, (cap ? cap * 2 : 32) * sizeof *names);
        if (!nn) {
          fo_buf_dispose(&child);
          err = fo_err_oom();
          break;
        }
        names = nn;
        cap = cap ? cap * 2 : 32;
      }
      names[n++] = fo_buf_detach(&child, NULL);
    }
    if (!de && errno != 0 && err == 0)
      err = fo_err_set(FO_EIO, "cannot read manifests '%s': %s", path, strerror(errno));
    closedir(d);
    if (n > 1)
      qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
      if (err == 0)
        err = collect_path(ctx, snap, names[i], depth + 1, nfiles, &here);
      free(names[i]);
    }
    free(names);
  }
  return err;
}

/* ---- the collector: config, rules, steps ------------------------------------------------------------------ */

static const char *const manifests_keys[] = {"manifests", NULL};

/* sides.<side>.manifests: a YAML file or a directory tree; the state is the path itself */
static int manifests_parse_key(void **state, const char *key, const fo_audit_yaml *node) {
  return fo_audit_yaml_path(node, key, (char **)state);
}

static const char *manifests_location(const fo_audit_collect_ctx *ctx) {
  return ctx->source_cfg;
}

static int manifests_collect(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap) {
  size_t nfiles = 0;
  return collect_path(ctx, snap, ctx->source_cfg, 0, &nfiles, NULL);
}

#define MM  FO_AUDIT_RULE_MUST_MATCH
#define ERR FO_AUDIT_SEV_ERROR

/* docs/audit-rules.md, "Kubernetes manifests" */
static const fo_audit_rule manifests_rules[] = {
    {"configmap.missing", MM, ERR, FO_AUDIT_STEP_CONFIGMAPS, "ConfigMap present on one side only",
     "add the ConfigMap to the other region's overlay"},
    {"configmap.data-differs", MM, ERR, FO_AUDIT_STEP_CONFIGMAPS, "ConfigMap data key differs",
     "copy the key's value to the other region's overlay"},
    {"k8s.object-missing", MM, ERR, FO_AUDIT_STEP_OTHER, "Kubernetes object present on one side only",
     "add the object to the other region's overlay"},
    {"k8s.object-differs", MM, ERR, FO_AUDIT_STEP_OTHER, "Kubernetes object field differs",
     "apply the same change to the other region's overlay"},
};

static const fo_audit_rule_match manifests_matches[] = {
    {FO_AUDIT_ON_MISSING, NULL, "ConfigMap", NULL, 0, "configmap.missing", NULL, "only in primary",
     "only in secondary"},
    {FO_AUDIT_ON_MISSING, NULL, NULL, NULL, 0, "k8s.object-missing", NULL, "only in primary", "only in secondary"},
    {FO_AUDIT_ON_DIFFERS, NULL, "ConfigMap", "data**", 0, "configmap.data-differs", "ConfigMap value differs",
     "ConfigMap key only in primary", "ConfigMap key only in secondary"},
    {FO_AUDIT_ON_DIFFERS, NULL, "ConfigMap", "binaryData**", 0, "configmap.data-differs", "ConfigMap value differs",
     "ConfigMap key only in primary", "ConfigMap key only in secondary"},
    {FO_AUDIT_ON_DIFFERS, NULL, NULL, NULL, 0, "k8s.object-differs", "field differs between the sides", NULL, NULL},
};

static const fo_audit_step_match manifests_steps[] = {
    {"ConfigMap", FO_AUDIT_STEP_CONFIGMAPS},
    {NULL, FO_AUDIT_STEP_OTHER},
};

const fo_audit_collector fo_audit_collector_manifests = {
    .name = "kubernetes_manifests",
    .side_keys = manifests_keys,
    .parse_key = manifests_parse_key,
    .free_cfg = free,
    .location = manifests_location,
    .collect = manifests_collect,
    .drop_volatile = fo_audit_k8s_drop_volatile,
    .rules = manifests_rules,
    .nrules = sizeof manifests_rules / sizeof manifests_rules[0],
    .matches = manifests_matches,
    .nmatches = sizeof manifests_matches / sizeof manifests_matches[0],
    .steps = manifests_steps,
};
