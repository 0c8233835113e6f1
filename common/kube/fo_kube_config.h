/* fo_kube_config: reads a kubeconfig (one file or a $KUBECONFIG list, merged as kubectl does) and resolves one
 * context into what a client needs: the server, its CA, and the user's credentials (client certificate, bearer
 * token or token file, or an exec credential plugin). Pure parsing; the plugin is run by fo_kube_exec. */
#ifndef FO_KUBE_CONFIG_H
#define FO_KUBE_CONFIG_H

#include <stddef.h>

#include "fo_buf.h"

#define FO_KUBE_CONFIG_MAX_BYTES (4u << 20)
#define FO_KUBE_CONFIG_MAX_FILES 16

/* An exec credential plugin (users[].user.exec). argv[0] is the command (a relative path holding a '/' is
 * resolved against the kubeconfig's directory, a bare name is looked up in PATH); env entries are
 * "NAME=value" and come on top of the program's own environment. Both arrays end with NULL. */
typedef struct fo_kube_exec_cfg {
  char *api_version; /* client.authentication.k8s.io/v1 (or v1beta1) */
  char **argv;
  char **env;
  char *install_hint; /* shown when the command cannot be run, or NULL */
} fo_kube_exec_cfg;

/* One resolved context. Owned by the caller (fo_kube_config_free); credential buffers are wiped on free (the
 * client registers the token with the log redactor before its first request). */
typedef struct fo_kube_config {
  char *source;          /* the kubeconfig file(s) read, for messages */
  char *context;         /* the context's name */
  char *cluster, *user;  /* the names it refers to */
  char *namespace_name;  /* the context's namespace, or NULL */
  char *server;          /* "https://host:port" without a trailing slash */
  char *tls_server_name; /* the name the server's certificate is checked against, or NULL (the URL's host) */
  int insecure;          /* insecure-skip-tls-verify: true (only when set so) */
  fo_buf ca;             /* PEM of the CA to trust instead of the system store; len 0: the system store */
  fo_buf client_cert;    /* PEM; len 0: none */
  fo_buf client_key;     /* PEM; len 0: none */
  char *token;           /* bearer token (token, or tokenFile's content), or NULL */
  char *token_file;      /* where it came from, or NULL */
  fo_kube_exec_cfg *exec;
} fo_kube_config;

/* Parse the kubeconfig text `data` (YAML or JSON) and resolve `context` (NULL or "": the file's current-context).
 * `name` names the input in messages ("kubeconfig 'name':line:col: ..."), `dir` is the base of relative paths
 * (NULL: the working directory). FO_EINVAL for a malformed file, FO_ENOTFOUND for a context, cluster or user
 * that is not in it, FO_EIO when a file it names cannot be read. */
int fo_kube_config_parse(fo_kube_config **out, const char *data, size_t len, const char *name, const char *dir,
                         const char *context);

/* Read `path`, or when NULL the files of $KUBECONFIG (':'-separated; for each name the first file that has it
 * wins, missing files are skipped as kubectl does) or else ~/.kube/config, and resolve `context` as above. */
int fo_kube_config_load(fo_kube_config **out, const char *path, const char *context);

void fo_kube_config_free(fo_kube_config *c);

#endif
