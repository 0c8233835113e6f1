/* verify_config: the `verify` key of sides.<side> (fo_audit_verify.h), parsed from its YAML node. Every error names
 * the file and the line:column of the offending node. */
#include "verify_internal.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAMES 100

/* The child node `n` as a fo_audit_yaml of the same document. */
static fo_audit_yaml sub(const fo_audit_yaml *parent, yaml_node_t *n) {
  fo_audit_yaml y = *parent;
  y.node = n;
  return y;
}

/* verify.<what>: a list of non-empty names. */
static int want_list(const fo_audit_yaml *y, const char *what, char ***out, size_t *nout, size_t max) {
  char key[64];
  snprintf(key, sizeof key, "verify.%s", what);
  return fo_audit_yaml_list(y, key, max, 1, out, nout);
}

/* A number in [lo, hi] (seconds may be fractional: tests sample the backlog 1 s apart) times `scale`. */
static int want_number(const fo_audit_yaml *y, const char *what, double lo, double hi, double scale, long *out) {
  char *txt = NULL, *end;
  double v;
  int err = fo_audit_yaml_string(y, what, &txt);
  if (err < 0)
    return err;
  v = strtod(txt, &end);
  if (end == txt || *end || !(v >= lo && v <= hi))
    err = fo_audit_yaml_error(y, "verify.%s must be a number from %g to %g, not '%s'", what, lo, hi, txt);
  else
    *out = (long)(v * scale);
  free(txt);
  return err;
}

/* A variable name: the config names where a secret is, never the secret. */
static int want_env_name(const fo_audit_yaml *y, const char *what, char **out) {
  int err = fo_audit_yaml_string(y, what, out);
  if (err < 0)
    return err;
  for (const char *p = *out; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
      return fo_audit_yaml_error(y, "verify.%s must name an environment variable (letters, digits, _)", what);
  return **out ? 0 : fo_audit_yaml_error(y, "verify.%s is empty", what);
}

/* Iterate the pairs of a mapping node: fn(ud, key, value node). */
typedef int (*pair_fn)(void *ud, const char *key, const fo_audit_yaml *v);
static int each_pair(const fo_audit_yaml *y, const char *what, pair_fn fn, void *ud) {
  yaml_node_t *n = y->node;
  if (n->type != YAML_MAPPING_NODE)
    return fo_audit_yaml_error(y, "%s must be a mapping", what);
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(y->doc, p->key);
    fo_audit_yaml v = sub(y, yaml_document_get_node(y->doc, p->value));
    int err;
    if (!k || k->type != YAML_SCALAR_NODE || !v.node)
      return fo_audit_yaml_error(y, "%s: keys must be strings", what);
    if ((err = fn(ud, (const char *)k->data.scalar.value, &v)) < 0)
      return err;
  }
  return 0;
}

static int mariadb_pair(void *ud, const char *key, const fo_audit_yaml *v) {
  fo_audit_verify_mariadb *m = ud;
  long port;
  int err;
  if (!strcmp(key, "host"))
    return fo_audit_yaml_string(v, "mariadb.host", &m->host);
  if (!strcmp(key, "user"))
    return fo_audit_yaml_string(v, "mariadb.user", &m->user);
  if (!strcmp(key, "database"))
    return fo_audit_yaml_string(v, "mariadb.database", &m->database);
  if (!strcmp(key, "password_env"))
    return want_env_name(v, "mariadb.password_env", &m->password_env);
  if (!strcmp(key, "port")) {
    if ((err = want_number(v, "mariadb.port", 1, 65535, 1, &port)) == 0)
      m->port = (int)port;
    return err;
  }
  if (!strcmp(key, "table")) {
    if ((err = fo_audit_yaml_string(v, "mariadb.table", &m->table)) < 0)
      return err;
    /* it goes into SQL text: a plain identifier only */
    for (const char *p = m->table; *p; p++)
      if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
        return fo_audit_yaml_error(v, "verify.mariadb.table must be a plain identifier (letters, digits, _)");
    return *m->table ? 0 : fo_audit_yaml_error(v, "verify.mariadb.table is empty");
  }
  return fo_audit_yaml_error(
      v, "unknown key 'verify.mariadb.%s' (known: host, port, user, password_env, database, table)", key);
}

static int mongodb_pair(void *ud, const char *key, const fo_audit_yaml *v) {
  fo_audit_verify_mongodb *m = ud;
  if (!strcmp(key, "uri"))
    return fo_audit_yaml_string(v, "mongodb.uri", &m->uri);
  if (!strcmp(key, "member"))
    return fo_audit_yaml_string(v, "mongodb.member", &m->member);
  if (!strcmp(key, "password_env"))
    return want_env_name(v, "mongodb.password_env", &m->password_env);
  if (!strcmp(key, "max_lag_seconds"))
    return want_number(v, "mongodb.max_lag_seconds", 0, 86400, 1000, &m->max_lag_ms);
  return fo_audit_yaml_error(v, "unknown key 'verify.mongodb.%s' (known: uri, member, max_lag_seconds, password_env)",
                             key);
}

static int verify_pair(void *ud, const char *key, const fo_audit_yaml *v) {
  fo_audit_verify_cfg *c = ud;
  if (!strcmp(key, "dns_name"))
    return fo_audit_yaml_string(v, "dns_name", &c->dns_name);
  if (!strcmp(key, "resolver"))
    return fo_audit_yaml_string(v, "resolver", &c->resolver);
  if (!strcmp(key, "load_balancers"))
    return want_list(v, key, &c->load_balancers, &c->nload_balancers, 20);
  if (!strcmp(key, "queues"))
    return want_list(v, key, &c->queues, &c->nqueues, MAX_NAMES);
  if (!strcmp(key, "backlog_interval_seconds"))
    return want_number(v, key, 0.1, 3600, 1000, &c->backlog_interval_ms);
  if (!strcmp(key, "lambda_functions"))
    return want_list(v, key, &c->lambda_functions, &c->nlambda_functions, MAX_NAMES);
  if (!strcmp(key, "queue_server_asgs"))
    return want_list(v, key, &c->queue_server_asgs, &c->nqueue_server_asgs, MAX_NAMES);
  if (!strcmp(key, "alarms"))
    return want_list(v, key, &c->alarms, &c->nalarms, MAX_NAMES);
  if (!strcmp(key, "rds_instance"))
    return fo_audit_yaml_string(v, key, &c->rds_instance);
  if (!strcmp(key, "kube_context"))
    return fo_audit_yaml_string(v, key, &c->kube_context);
  if (!strcmp(key, "kubeconfig"))
    return fo_audit_yaml_path(v, key, &c->kubeconfig);
  if (!strcmp(key, "namespaces"))
    return want_list(v, key, &c->namespaces, &c->nnamespaces, MAX_NAMES);
  if (!strcmp(key, "mariadb")) {
    if (!c->mariadb && !(c->mariadb = calloc(1, sizeof *c->mariadb)))
      return fo_err_oom();
    return each_pair(v, "verify.mariadb", mariadb_pair, c->mariadb);
  }
  if (!strcmp(key, "mongodb")) {
    if (!c->mongodb && !(c->mongodb = calloc(1, sizeof *c->mongodb)))
      return fo_err_oom();
    c->mongodb->max_lag_ms = 10000;
    return each_pair(v, "verify.mongodb", mongodb_pair, c->mongodb);
  }
  return fo_audit_yaml_error(v,
                             "unknown key 'verify.%s' (known: dns_name, resolver, load_balancers, queues, "
                             "backlog_interval_seconds, lambda_functions, queue_server_asgs, alarms, rds_instance, "
                             "mariadb, mongodb, namespaces, kube_context, kubeconfig)",
                             key);
}

void fo_audit_verify_free_cfg(void *state) {
  fo_audit_verify_cfg *c = state;
  if (!c)
    return;
  free(c->dns_name);
  free(c->resolver);
  fo_audit_yaml_list_free(c->load_balancers, c->nload_balancers);
  fo_audit_yaml_list_free(c->queues, c->nqueues);
  fo_audit_yaml_list_free(c->lambda_functions, c->nlambda_functions);
  fo_audit_yaml_list_free(c->queue_server_asgs, c->nqueue_server_asgs);
  fo_audit_yaml_list_free(c->alarms, c->nalarms);
  free(c->rds_instance);
  free(c->kube_context);
  free(c->kubeconfig);
  fo_audit_yaml_list_free(c->namespaces, c->nnamespaces);
  if (c->mariadb) {
    free(c->mariadb->host);
    free(c->mariadb->user);
    free(c->mariadb->password_env);
    free(c->mariadb->database);
    free(c->mariadb->table);
    free(c->mariadb);
  }
  if (c->mongodb) {
    free(c->mongodb->uri);
    free(c->mongodb->member);
    free(c->mongodb->password_env);
    free(c->mongodb);
  }
  free(c);
}

int fo_audit_verify_parse_key(void **state, const char *key, const fo_audit_yaml *node) {
  fo_audit_verify_cfg *c = *state;
  int err;
  (void)key;
  if (c) /* the key given twice: the last one wins, like every other key */
    fo_audit_verify_free_cfg(c);
  if (!(c = *state = calloc(1, sizeof *c)))
    return fo_err_oom();
  c->backlog_interval_ms = 30000;
  c->line = (int)node->node->start_mark.line + 1;
  if ((err = each_pair(node, "verify", verify_pair, c)) < 0)
    return err;
  if (c->mariadb && c->mariadb->user && !c->mariadb->password_env)
    return fo_audit_yaml_error(node,
                               "verify.mariadb.user needs verify.mariadb.password_env (the variable holding "
                               "the password)");
  if (c->mongodb && !c->mongodb->uri)
    return fo_audit_yaml_error(node, "verify.mongodb needs a uri");
  if (c->dns_name && !c->nload_balancers)
    return fo_audit_yaml_error(node, "verify.dns_name needs verify.load_balancers (what the name must resolve to)");
  if (c->resolver && !c->dns_name)
    return fo_audit_yaml_error(node, "verify.resolver needs verify.dns_name (the name to resolve)");
  return 0;
}
