/* fo_kube_config: the kubeconfig reader (libyaml document API, so every error names line:column). Names are
 * looked up across the files in order and the first file that has one wins, as kubectl merges $KUBECONFIG. */
#include "fo_kube_config.h"
#include "fo_err.h"
#include "fo_file.h"
#include "fo_yaml_depth.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_LIST      10000
#define MAX_EXEC_ARGS 1000
#define MAX_PEM_BYTES (1u << 20)
#define MAX_TOKEN     (64u << 10)

typedef struct kfile {
  yaml_document_t doc;
  int loaded;
  char *name; /* for messages */
  char *dir;  /* base of its relative paths, or NULL */
} kfile;

typedef struct kset {
  kfile files[FO_KUBE_CONFIG_MAX_FILES];
  size_t n;
} kset;

static int node_err(const kfile *f, const yaml_node_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int node_err(const kfile *f, const yaml_node_t *n, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return fo_err_set(FO_EINVAL, "kubeconfig '%s':%zu:%zu: %s", f->name, n ? n->start_mark.line + 1 : 1,
                    n ? n->start_mark.column + 1 : 1, msg);
}

static yaml_node_t *node(kfile *f, int id) {
  return yaml_document_get_node(&f->doc, id);
}

/* The scalar's text; NULL for other nodes and for a scalar holding a NUL (never read cut short). */
static const char *scalar(const yaml_node_t *n) {
  if (!n || n->type != YAML_SCALAR_NODE || memchr(n->data.scalar.value, 0, n->data.scalar.length))
    return NULL;
  return (const char *)n->data.scalar.value;
}

/* A null value (`key:` or `key: null`) reads as absent, as in kubectl. */
static int is_null(const yaml_node_t *n) {
  const char *s = scalar(n);
  return n && n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && s &&
         (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL"));
}

/* The value of `key` in mapping `map` (the last of repeated keys), or NULL when absent or null. */
static yaml_node_t *map_get(kfile *f, const yaml_node_t *map, const char *key) {
  yaml_node_t *v = NULL;
  if (!map || map->type != YAML_MAPPING_NODE)
    return NULL;
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    const char *k = scalar(node(f, p->key));
    if (k && !strcmp(k, key))
      v = node(f, p->value);
  }
  return is_null(v) ? NULL : v;
}

/* *out = a copy of the string at map[key], or NULL when absent. */
static int get_str(kfile *f, const yaml_node_t *map, const char *key, char **out) {
  yaml_node_t *v = map_get(f, map, key);
  const char *s = scalar(v);
  *out = NULL;
  if (!v)
    return 0;
  if (!s)
    return node_err(f, v, "'%s' must be a string", key);
  if (!(*out = strdup(s)))
    return fo_err_oom();
  return 0;
}

static int get_bool(kfile *f, const yaml_node_t *map, const char *key, int *out) {
  yaml_node_t *v = map_get(f, map, key);
  const char *s = scalar(v);
  *out = 0;
  if (!v)
    return 0;
  if (s && (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")))
    *out = 1;
  else if (!s || (strcmp(s, "false") && strcmp(s, "False") && strcmp(s, "FALSE")))
    return node_err(f, v, "'%s' must be true or false", key);
  return 0;
}

/* A path of the kubeconfig: relative ones are relative to the file that names them, as kubectl resolves them. */
static int resolve_path(const kfile *f, const char *p, char **out) {
  fo_buf b = FO_BUF_INIT;
  int err;
  *out = NULL;
  if (p[0] == '/' || !f->dir)
    err = fo_buf_puts(&b, p);
  else
    err = fo_buf_printf(&b, "%s/%s", f->dir, p);
  if (err < 0) {
    fo_buf_dispose(&b);
    return err;
  }
  *out = fo_buf_detach(&b, NULL);
  return 0;
}

/* Decode standard base64 (whitespace ignored, padding required as kubectl's encoder writes it) into `out`. */
static int b64_decode(fo_buf *out, kfile *f, const yaml_node_t *n, const char *what) {
  const char *s = scalar(n);
  size_t len, k = 0, pad = 0;
  unsigned char *clean = NULL, *bin = NULL;
  int m, err = 0;

  if (!s)
    return node_err(f, n, "'%s' must be a string", what);
  len = strlen(s);
  if (len > MAX_PEM_BYTES * 2)
    return node_err(f, n, "'%s' is longer than %u bytes", what, MAX_PEM_BYTES * 2);
  if (!(clean = malloc(len + 1)) || !(bin = malloc(len / 4 * 3 + 3))) {
    err = fo_err_oom();
    goto done;
  }
  for (size_t i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
      clean[k++] = (unsigned char)s[i];
  if (k % 4 != 0) {
    err = node_err(f, n, "'%s' is not valid base64 (length %zu is not a multiple of 4)", what, k);
    goto done;
  }
  while (pad < 2 && k > pad && clean[k - 1 - pad] == '=')
    pad++;
  for (size_t i = 0; i + pad < k; i++) /* EVP_DecodeBlock takes '=' anywhere; only the end may pad */
    if (clean[i] == '=') {
      err = node_err(f, n, "'%s' is not valid base64 ('=' inside)", what);
      goto done;
    }
  m = k ? EVP_DecodeBlock(bin, clean, (int)k) : 0;
  if (m < 0 || (size_t)m < pad) {
    err = node_err(f, n, "'%s' is not valid base64", what);
    goto done;
  }
  fo_buf_init(out, MAX_PEM_BYTES);
  err = fo_buf_append(out, bin, (size_t)m - pad);
  if (err == 0 && out->len == 0)
    err = node_err(f, n, "'%s' is empty", what);
done:
  if (bin) {
    memset(bin, 0, len / 4 * 3 + 3);
    free(bin);
  }
  if (clean) {
    memset(clean, 0, len + 1);
    free(clean);
  }
  return err;
}

/* A PEM from `<field>-data` (base64, wins as in kubectl) or the file `<field>`: into out. */
static int get_pem(kfile *f, const yaml_node_t *map, const char *field, fo_buf *out) {
  char data_key[64];
  yaml_node_t *data, *file;
  char *path = NULL;
  int err;
  snprintf(data_key, sizeof data_key, "%s-data", field);
  data = map_get(f, map, data_key);
  file = map_get(f, map, field);
  if (data)
    return b64_decode(out, f, data, data_key);
  if (!file)
    return 0;
  if (!scalar(file) || !*scalar(file))
    return node_err(f, file, "'%s' must be a file name", field);
  if ((err = resolve_path(f, scalar(file), &path)) < 0)
    return err;
  fo_buf_wipe(out);
  if ((err = fo_file_read(out, path, MAX_PEM_BYTES)) < 0)
    err = fo_err_wrap(err, "kubeconfig '%s':%zu: %s", f->name, file->start_mark.line + 1, field);
  else if (out->len == 0)
    err = node_err(f, file, "'%s' names an empty file '%s'", field, path);
  free(path);
  return err;
}

/* The entry `name` of the list `list` ("clusters", "users", "contexts"): its `inner` mapping ("cluster", ...),
 * from the first file that has it. *fi is that file. FO_ENOTFOUND when no file has it. */
static int find_named(kset *ks, const char *list, const char *inner, const char *name, kfile **fi, yaml_node_t **out) {
  *out = NULL;
  for (size_t i = 0; i < ks->n; i++) {
    kfile *f = &ks->files[i];
    yaml_node_t *root = yaml_document_get_root_node(&f->doc), *seq = map_get(f, root, list);
    if (!seq)
      continue;
    if (seq->type != YAML_SEQUENCE_NODE)
      return node_err(f, seq, "'%s' must be a list", list);
    for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
      yaml_node_t *e = node(f, *it), *v;
      const char *n;
      if (!e || e->type != YAML_MAPPING_NODE)
        return node_err(f, e, "entries of '%s' must be mappings", list);
      n = scalar(map_get(f, e, "name"));
      if (!n || strcmp(n, name) != 0)
        continue;
      v = map_get(f, e, inner);
      if (v && v->type != YAML_MAPPING_NODE)
        return node_err(f, v, "'%s' of %s '%s' must be a mapping", inner, list, name);
      *fi = f;
      *out = v; /* NULL: the entry has no mapping, every field is empty */
      return 0;
    }
  }
  return fo_err_set(FO_ENOTFOUND, "kubeconfig '%s': no %.*s named '%s'", ks->files[0].name, (int)strlen(list) - 1, list,
                    name);
}

static int string_list(kfile *f, yaml_node_t *seq, const char *what, char ***out, size_t *n, size_t extra) {
  size_t cnt;
  if (seq->type != YAML_SEQUENCE_NODE)
    return node_err(f, seq, "'%s' must be a list", what);
  cnt = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
  if (cnt > MAX_EXEC_ARGS)
    return node_err(f, seq, "'%s' has more than %d entries", what, MAX_EXEC_ARGS);
  if (!(*out = calloc(cnt + extra + 1, sizeof **out)))
    return fo_err_oom();
  *n = cnt;
  return 0;
}

static void strv_free(char **v) {
  for (size_t i = 0; v && v[i]; i++)
    free(v[i]);
  free(v);
}

static void exec_free(fo_kube_exec_cfg *e) {
  if (!e)
    return;
  free(e->api_version);
  strv_free(e->argv);
  for (size_t i = 0; e->env && e->env[i]; i++) /* plugin env often carries credentials (AWS_PROFILE, keys) */
    memset(e->env[i], 0, strlen(e->env[i]));
  strv_free(e->env);
  free(e->install_hint);
  free(e);
}

static int parse_exec(kfile *f, yaml_node_t *ex, fo_kube_exec_cfg **out) {
  fo_kube_exec_cfg *e;
  yaml_node_t *args, *env;
  char *cmd = NULL, *mode = NULL;
  size_t n = 0;
  int err;

  if (ex->type != YAML_MAPPING_NODE)
    return node_err(f, ex, "'exec' must be a mapping");
  if (!(e = calloc(1, sizeof *e)))
    return fo_err_oom();
  if ((err = get_str(f, ex, "apiVersion", &e->api_version)) < 0 || (err = get_str(f, ex, "command", &cmd)) < 0 ||
      (err = get_str(f, ex, "installHint", &e->install_hint)) < 0 ||
      (err = get_str(f, ex, "interactiveMode", &mode)) < 0)
    goto done;
  if (!e->api_version) {
    err = node_err(f, ex, "exec plugin: 'apiVersion' is required");
    goto done;
  }
  if (strcmp(e->api_version, "client.authentication.k8s.io/v1") != 0 &&
      strcmp(e->api_version, "client.authentication.k8s.io/v1beta1") != 0) {
    err = node_err(f, map_get(f, ex, "apiVersion"),
                   "exec plugin: apiVersion '%s' is not supported (client.authentication.k8s.io/v1 or v1beta1)",
                   e->api_version);
    goto done;
  }
  if (!cmd || !*cmd) {
    err = node_err(f, ex, "exec plugin: 'command' is required");
    goto done;
  }
  if (mode && !strcmp(mode, "Always")) {
    err = node_err(f, map_get(f, ex, "interactiveMode"),
                   "exec plugin: interactiveMode 'Always' needs a terminal, and failover runs without one");
    goto done;
  }
  /* as client-go: a command with a '/' but not absolute is relative to the kubeconfig, a bare name uses PATH */
  if (cmd[0] != '/' && strchr(cmd, '/')) {
    char *abs = NULL;
    if ((err = resolve_path(f, cmd, &abs)) < 0)
      goto done;
    free(cmd);
    cmd = abs;
  }
  args = map_get(f, ex, "args");
  if (args) {
    if ((err = string_list(f, args, "args", &e->argv, &n, 1)) < 0)
      goto done;
  } else if (!(e->argv = calloc(2, sizeof *e->argv))) {
    err = fo_err_oom();
    goto done;
  }
  e->argv[0] = cmd;
  cmd = NULL;
  for (size_t i = 0; i < n; i++) {
    yaml_node_t *a = node(f, args->data.sequence.items.start[i]);
    if (!scalar(a)) {
      err = node_err(f, a, "exec plugin: 'args' entries must be strings");
      goto done;
    }
    if (!(e->argv[i + 1] = strdup(scalar(a)))) {
      err = fo_err_oom();
      goto done;
    }
  }
  env = map_get(f, ex, "env");
  n = 0;
  if (env && (err = string_list(f, env, "env", &e->env, &n, 0)) < 0)
    goto done;
  if (!env && !(e->env = calloc(1, sizeof *e->env))) {
    err = fo_err_oom();
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    yaml_node_t *ev = node(f, env->data.sequence.items.start[i]);
    const char *name = scalar(map_get(f, ev, "name")), *val = scalar(map_get(f, ev, "value"));
    fo_buf b = FO_BUF_INIT;
    if (!ev || ev->type != YAML_MAPPING_NODE || !name || !*name || strchr(name, '=')) {
      err = node_err(f, ev, "exec plugin: 'env' entries need a 'name' (without '=') and a 'value'");
      goto done;
    }
    if ((err = fo_buf_printf(&b, "%s=%s", name, val ? val : "")) < 0) {
      fo_buf_wipe(&b);
      goto done;
    }
    e->env[i] = fo_buf_detach(&b, NULL);
  }
done:
  free(cmd);
  free(mode);
  if (err < 0)
    exec_free(e);
  else
    *out = e;
  return err;
}

static int parse_cluster(fo_kube_config *c, kfile *f, yaml_node_t *cl) {
  yaml_node_t *srv = map_get(f, cl, "server");
  size_t l;
  int err;
  if ((err = get_str(f, cl, "server", &c->server)) < 0 ||
      (err = get_str(f, cl, "tls-server-name", &c->tls_server_name)) < 0 ||
      (err = get_bool(f, cl, "insecure-skip-tls-verify", &c->insecure)) < 0 ||
      (err = get_pem(f, cl, "certificate-authority", &c->ca)) < 0)
    return err;
  if (map_get(f, cl, "proxy-url"))
    return node_err(f, map_get(f, cl, "proxy-url"), "cluster '%s': 'proxy-url' is not supported", c->cluster);
  if (!c->server || !*c->server)
    return node_err(f, srv ? srv : cl, "cluster '%s' has no 'server'", c->cluster);
  if (strncmp(c->server, "https://", 8) != 0 && strncmp(c->server, "http://", 7) != 0)
    return node_err(f, srv, "cluster '%s': server '%s' must be an http:// or https:// URL", c->cluster, c->server);
  if (strpbrk(c->server, " \t\r\n?#"))
    return node_err(f, srv, "cluster '%s': server '%s' holds a space, '?' or '#'", c->cluster, c->server);
  for (l = strlen(c->server); l > 0 && c->server[l - 1] == '/'; l--)
    c->server[l - 1] = '\0';
  /* as client-go: trusting a CA and skipping verification at once is a mistake, not a choice */
  if (c->insecure && c->ca.len)
    return node_err(f, cl, "cluster '%s': a certificate authority and insecure-skip-tls-verify together", c->cluster);
  return 0;
}

static int parse_user(fo_kube_config *c, kfile *f, yaml_node_t *u) {
  yaml_node_t *ex, *tf;
  int err;
  if (map_get(f, u, "auth-provider"))
    return node_err(f, map_get(f, u, "auth-provider"),
                    "user '%s': auth-provider is not supported (removed from kubectl; use an exec plugin)", c->user);
  if (map_get(f, u, "username") || map_get(f, u, "password"))
    return node_err(f, u, "user '%s': basic authentication (username/password) is not supported", c->user);
  if ((err = get_pem(f, u, "client-certificate", &c->client_cert)) < 0 ||
      (err = get_pem(f, u, "client-key", &c->client_key)) < 0 || (err = get_str(f, u, "token", &c->token)) < 0)
    return err;
  if (!c->client_cert.len != !c->client_key.len)
    return node_err(f, u, "user '%s': a client certificate needs its key (and a key its certificate)", c->user);
  if ((tf = map_get(f, u, "tokenFile")) != NULL) {
    fo_buf b;
    size_t l;
    if (!scalar(tf) || !*scalar(tf))
      return node_err(f, tf, "'tokenFile' must be a file name");
    if ((err = resolve_path(f, scalar(tf), &c->token_file)) < 0)
      return err;
    if ((err = fo_file_read(&b, c->token_file, MAX_TOKEN)) < 0)
      return fo_err_wrap(err, "kubeconfig '%s':%zu: tokenFile", f->name, tf->start_mark.line + 1);
    for (l = b.len; l > 0 && (b.data[l - 1] == '\n' || b.data[l - 1] == '\r' || b.data[l - 1] == ' '); l--)
      b.data[l - 1] = '\0';
    if (c->token) { /* the file wins, as in client-go (it is re-read when rotated) */
      memset(c->token, 0, strlen(c->token));
      free(c->token);
    }
    c->token = fo_buf_detach(&b, NULL);
    if (!c->token || !*c->token)
      return node_err(f, tf, "tokenFile '%s' is empty", c->token_file);
  }
  if (c->token && strpbrk(c->token, "\r\n"))
    return node_err(f, u, "user '%s': the token holds a line break", c->user);
  if ((ex = map_get(f, u, "exec")) != NULL && (err = parse_exec(f, ex, &c->exec)) < 0)
    return err;
  return 0;
}

static int load_text(kfile *f, const char *data, size_t len) {
  yaml_parser_t parser;
  size_t deep, col;
  yaml_node_t *root;
  if (len > FO_KUBE_CONFIG_MAX_BYTES)
    return fo_err_set(FO_ELIMIT, "kubeconfig '%s' is larger than %u bytes", f->name, FO_KUBE_CONFIG_MAX_BYTES);
  if (memchr(data, '\0', len))
    return fo_err_set(FO_EINVAL, "kubeconfig '%s': binary file (contains NUL bytes)", f->name);
  if ((deep = fo_yaml_flow_too_deep(data, len, &col)) != 0)
    return fo_err_set(FO_ELIMIT, "kubeconfig '%s':%zu:%zu: brackets nested deeper than %d levels", f->name, deep, col,
                      FO_YAML_MAX_FLOW_DEPTH);
  if (!yaml_parser_initialize(&parser))
    return fo_err_oom();
  yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
  if (!yaml_parser_load(&parser, &f->doc)) {
    int err = fo_err_set(FO_EINVAL, "kubeconfig '%s':%zu:%zu: %s%s%s", f->name, parser.problem_mark.line + 1,
                         parser.problem_mark.column + 1, parser.problem ? parser.problem : "syntax error",
                         parser.context ? " " : "", parser.context ? parser.context : "");
    yaml_parser_delete(&parser);
    return err;
  }
  yaml_parser_delete(&parser);
  f->loaded = 1;
  root = yaml_document_get_root_node(&f->doc);
  if (root && root->type != YAML_MAPPING_NODE)
    return node_err(f, root, "the top level must be a mapping");
  /* aliases could make a small file expand into huge lists: kubeconfigs have none worth that risk */
  for (yaml_node_t *n = f->doc.nodes.start; n < f->doc.nodes.top; n++)
    if ((n->type == YAML_SEQUENCE_NODE && n->data.sequence.items.top - n->data.sequence.items.start > MAX_LIST) ||
        (n->type == YAML_MAPPING_NODE && n->data.mapping.pairs.top - n->data.mapping.pairs.start > MAX_LIST))
      return node_err(f, n, "more than %d entries", MAX_LIST);
  return 0;
}

static void kset_dispose(kset *ks) {
  for (size_t i = 0; i < ks->n; i++) {
    if (ks->files[i].loaded)
      yaml_document_delete(&ks->files[i].doc);
    free(ks->files[i].name);
    free(ks->files[i].dir);
  }
  ks->n = 0;
}

static int kset_add(kset *ks, const char *data, size_t len, const char *name, const char *dir) {
  kfile *f;
  if (ks->n >= FO_KUBE_CONFIG_MAX_FILES)
    return fo_err_set(FO_ELIMIT, "more than %d kubeconfig files", FO_KUBE_CONFIG_MAX_FILES);
  f = &ks->files[ks->n++];
  memset(f, 0, sizeof *f);
  if (!(f->name = strdup(name)) || (dir && !(f->dir = strdup(dir))))
    return fo_err_oom();
  return load_text(f, data, len);
}

/* Resolve `context` over the loaded files into a new fo_kube_config. */
static int resolve(fo_kube_config **out, kset *ks, const char *context) {
  fo_kube_config *c;
  kfile *fctx = NULL, *fcl = NULL, *fu = NULL;
  yaml_node_t *ctx = NULL, *cl = NULL, *u = NULL;
  fo_buf src = FO_BUF_INIT;
  int err = 0;

  *out = NULL;
  if (!(c = calloc(1, sizeof *c)))
    return fo_err_oom();
  for (size_t i = 0; i < ks->n && (err = fo_buf_printf(&src, "%s%s", i ? ":" : "", ks->files[i].name)) == 0; i++)
    ;
  if (!(c->source = fo_buf_detach(&src, NULL))) {
    err = fo_err_oom();
    goto done;
  }
  if (!context || !*context) {
    for (size_t i = 0; i < ks->n && !context; i++) {
      const char *cc =
          scalar(map_get(&ks->files[i], yaml_document_get_root_node(&ks->files[i].doc), "current-context"));
      if (cc && *cc)
        context = cc;
    }
    if (!context) {
      err = fo_err_set(FO_ENOTFOUND, "kubeconfig '%s': no context given and no current-context", c->source);
      goto done;
    }
  }
  if (!(c->context = strdup(context))) {
    err = fo_err_oom();
    goto done;
  }
  if ((err = find_named(ks, "contexts", "context", context, &fctx, &ctx)) < 0)
    goto done;
  if (!ctx || (err = get_str(fctx, ctx, "cluster", &c->cluster)) < 0 ||
      (err = get_str(fctx, ctx, "user", &c->user)) < 0 ||
      (err = get_str(fctx, ctx, "namespace", &c->namespace_name)) < 0)
    goto done;
  if (!c->cluster || !*c->cluster) {
    err = node_err(fctx, ctx, "context '%s' names no cluster", context);
    goto done;
  }
  if ((err = find_named(ks, "clusters", "cluster", c->cluster, &fcl, &cl)) < 0)
    goto done;
  if (!cl) {
    err = fo_err_set(FO_EINVAL, "kubeconfig '%s': cluster '%s' has no 'server'", fcl->name, c->cluster);
    goto done;
  }
  if ((err = parse_cluster(c, fcl, cl)) < 0)
    goto done;
  if (c->user && *c->user) { /* no user: anonymous requests, as kubectl sends them */
    if ((err = find_named(ks, "users", "user", c->user, &fu, &u)) < 0 || (u && (err = parse_user(c, fu, u)) < 0))
      goto done;
  }
done:
  if (err < 0) {
    fo_kube_config_free(c);
    return err;
  }
  *out = c;
  return 0;
}

int fo_kube_config_parse(fo_kube_config **out, const char *data, size_t len, const char *name, const char *dir,
                         const char *context) {
  kset ks;
  int err;
  *out = NULL;
  ks.n = 0;
  if ((err = kset_add(&ks, data, len, name, dir)) == 0)
    err = resolve(out, &ks, context);
  kset_dispose(&ks);
  return err;
}

static int add_file(kset *ks, const char *path, int skip_missing) {
  fo_buf text;
  char *dir = NULL, *slash;
  int err = fo_file_read(&text, path, FO_KUBE_CONFIG_MAX_BYTES);
  if (err == FO_ENOTFOUND && skip_missing)
    return 0;
  if (err < 0)
    return fo_err_wrap(err, "kubeconfig");
  if ((slash = strrchr(path, '/')) != NULL) {
    if (!(dir = strndup(path, slash == path ? 1 : (size_t)(slash - path)))) {
      fo_buf_wipe(&text);
      return fo_err_oom();
    }
  }
  err = kset_add(ks, text.data ? text.data : "", text.len, path, dir);
  free(dir);
  fo_buf_wipe(&text); /* kubeconfigs hold keys and tokens */
  return err;
}

int fo_kube_config_load(fo_kube_config **out, const char *path, const char *context) {
  const char *env = getenv("KUBECONFIG");
  kset ks;
  int err = 0;

  *out = NULL;
  ks.n = 0;
  if (path && *path) {
    err = add_file(&ks, path, 0);
  } else if (env && *env) {
    char *list = strdup(env), *save = NULL;
    if (!list)
      return fo_err_oom();
    for (char *p = strtok_r(list, ":", &save); p && err == 0; p = strtok_r(NULL, ":", &save))
      if (*p)
        err = add_file(&ks, p, 1);
    free(list);
    if (err == 0 && ks.n == 0)
      err = fo_err_set(FO_ENOTFOUND, "kubeconfig: none of the files in KUBECONFIG='%s' exists", env);
  } else {
    const char *home = getenv("HOME");
    fo_buf p = FO_BUF_INIT;
    if (!home || !*home)
      return fo_err_set(FO_ENOTFOUND, "kubeconfig: no 'kubeconfig' configured, KUBECONFIG and HOME are not set");
    if ((err = fo_buf_printf(&p, "%s/.kube/config", home)) == 0)
      err = add_file(&ks, p.data, 0);
    fo_buf_dispose(&p);
  }
  if (err == 0)
    err = resolve(out, &ks, context);
  kset_dispose(&ks);
  return err;
}

void fo_kube_config_free(fo_kube_config *c) {
  if (!c)
    return;
  free(c->source);
  free(c->context);
  free(c->cluster);
  free(c->user);
  free(c->namespace_name);
  free(c->server);
  free(c->tls_server_name);
  fo_buf_dispose(&c->ca);
  fo_buf_wipe(&c->client_cert);
  fo_buf_wipe(&c->client_key);
  if (c->token) {
    memset(c->token, 0, strlen(c->token));
    free(c->token);
  }
  free(c->token_file);
  exec_free(c->exec);
  free(c);
}
