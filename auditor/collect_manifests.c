/* collect_manifests: Kubernetes manifests (multi-document YAML files, a file or a directory tree) into
 * snapshot objects keyed k8s/<kind>/<namespace>/<name>, with the whole object as attributes. */
#include "fo_audit_collector.h"
#include "fo_audit_json.h"
#include "fo_buf.h"
#include "fo_err.h"
#include "fo_file.h"

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
} conv;

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
      }
      break;
    case YAML_MAPPING_NODE:
      if (!(o = cJSON_CreateObject()))
        break;
      for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        const yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
        cJSON *child;
        if (!k || k->type != YAML_SCALAR_NODE) {
          cJSON_Delete(o);
          return fo_err_set(FO_EINVAL, "manifest '%s':%zu:%zu: mapping keys must be strings", c->name,
                            k ? k->start_mark.line + 1 : 0, k ? k->start_mark.column + 1 : 0);
        }
        if (memchr(k->data.scalar.value, 0, k->data.scalar.length)) { /* a C-string key would lose its tail */
          cJSON_Delete(o);
          return fo_err_set(FO_EINVAL, "manifest '%s':%zu:%zu: a mapping key holds a NUL character", c->name,
                            k->start_mark.line + 1, k->start_mark.column + 1);
        }
        if ((err = to_json(c, yaml_document_get_node(c->doc, pr->value), depth + 1, &child)) < 0) {
          cJSON_Delete(o);
          return err;
        }
        cJSON_AddItemToObject(o, (const char *)k->data.scalar.value, child);
      }
      if ((err = drop_repeated_keys(o)) < 0) {
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

static const char *const cluster_scoped[] = {"Namespace",
                                             "ClusterRole",
                                             "ClusterRoleBinding",
                                             "CustomResourceDefinition",
                                             "StorageClass",
                                             "PersistentVolume",
                                             "PriorityClass",
                                             "IngressClass",
                                             "MutatingWebhookConfiguration",
                                             "ValidatingWebhookConfiguration",
                                             "APIService",
                                             NULL};

/* A Secret's values (data, stringData, and the last-applied annotation that repeats them) are hidden like
 * Terraform's sensitive values: compared by hash, never stored or printed. */
static int hide_secret(const fo_audit_collect_ctx *ctx, cJSON *obj) {
  static const char *const fields[] = {"data", "stringData"};
  cJSON *ann = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(obj, "metadata"), "annotations");
  cJSON *last = cJSON_GetObjectItemCaseSensitive(ann, "kubectl.kubernetes.io/last-applied-configuration");
  int err;
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    cJSON *d = cJSON_GetObjectItemCaseSensitive(obj, fields[i]), *c, *next;
    if (!cJSON_IsObject(d)) {
      if (d && (err = fo_audit_mark_sensitive(ctx, obj, d)) < 0)
        return err;
      continue;
    }
    for (c = d->child; c; c = next) {
      next = c->next;
      if ((err = fo_audit_mark_sensitive(ctx, d, c)) < 0)
        return err;
    }
  }
  return last ? fo_audit_mark_sensitive(ctx, ann, last) : 0;
}

static int add_object(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, cJSON *obj, const char *file,
                      size_t line) {
  cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
  cJSON *kind = cJSON_GetObjectItemCaseSensitive(obj, "kind");
  cJSON *name = cJSON_GetObjectItemCaseSensitive(meta, "name");
  cJSON *nsn = cJSON_GetObjectItemCaseSensitive(meta, "namespace");
  const char *ns = cJSON_IsString(nsn) ? nsn->valuestring : "default";
  fo_buf key = FO_BUF_INIT;
  cJSON *o;
  int err;

  if (!cJSON_IsString(kind) || !cJSON_IsString(name)) {
    cJSON_Delete(obj); /* not a Kubernetes object (kustomization fragments, values files): skipped */
    return 0;
  }
  if (plain_is(kind->valuestring, cluster_scoped))
    ns = "";
  if (!strcmp(kind->valuestring, "Secret") && (err = hide_secret(ctx, obj)) < 0) {
    cJSON_Delete(obj);
    return err;
  }
  if ((err = fo_buf_printf(&key, "k8s/%s/%s/%s", kind->valuestring, ns, name->valuestring)) < 0 ||
      (err = fo_audit_snapshot_add_object(&o, snap, key.data, "kubernetes_manifests")) < 0) {
    cJSON_Delete(obj);
    fo_buf_dispose(&key);
    return err;
  }
  fo_buf_dispose(&key);
  if (!cJSON_AddStringToObject(o, "kind", kind->valuestring) || !cJSON_AddStringToObject(o, "namespace", ns) ||
      !cJSON_AddStringToObject(o, "name", name->valuestring) || !cJSON_AddStringToObject(o, "file", file) ||
      !cJSON_AddNumberToObject(o, "line", (double)line)) {
    cJSON_Delete(obj);
    return fo_err_oom();
  }
  cJSON_ReplaceItemInObjectCaseSensitive(o, "attributes", obj);
  return 0;
}

int fo_audit_manifests_parse(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const char *data, size_t len,
                             const char *name) {
  yaml_parser_t parser;
  int err = 0;
  size_t ndocs = 0, file_nodes = 0, deep, col;

  if (memchr(data, '\0', len))
    return fo_err_set(FO_EINVAL, "manifest '%s': binary file (contains NUL bytes)", name);
  if ((deep = fo_audit_yaml_flow_too_deep(data, len, &col)) != 0)
    return fo_err_set(FO_ELIMIT, "manifest '%s':%zu:%zu: brackets nested deeper than %d levels", name, deep, col,
                      FO_AUDIT_YAML_MAX_FLOW_DEPTH);
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
    if (root->type == YAML_MAPPING_NODE) {
      size_t line = root->start_mark.line + 1;
      if ((err = to_json(&c, root, 0, &obj)) == 0) {
        /* a List (kubectl get -o yaml) holds its objects under items */
        cJSON *kind = cJSON_GetObjectItemCaseSensitive(obj, "kind");
        cJSON *items = cJSON_GetObjectItemCaseSensitive(obj, "items");
        if (cJSON_IsString(kind) && !strcmp(kind->valuestring, "List") && cJSON_IsArray(items)) {
          cJSON *it;
          while (err == 0 && (it = cJSON_DetachItemFromArray(items, 0)) != NULL)
            err = add_object(ctx, snap, it, name, line);
          cJSON_Delete(obj);
        } else {
          err = add_object(ctx, snap, obj, name, line);
        }
      }
    }
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
  if (!S_ISDIR(st.st_mode))
    return 0;
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
    while ((de = readdir(d)) != NULL) {
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

static const char *manifests_location(const fo_audit_collect_ctx *ctx) {
  return ctx->cfg->sides[ctx->side].manifests;
}

static int manifests_collect(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap) {
  size_t nfiles = 0;
  return collect_path(ctx, snap, ctx->cfg->sides[ctx->side].manifests, 0, &nfiles, NULL);
}

const fo_audit_collector fo_audit_collector_manifests = {
    "kubernetes_manifests",
    "kubernetes_manifests",
    manifests_location,
    manifests_collect,
};
