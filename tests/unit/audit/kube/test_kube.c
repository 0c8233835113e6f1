/* unit.audit.kube: the kubeconfig reader (resolution, merging, paths, errors with line:column), the ExecCredential
 * and LIST page parsers, the exec plugin runner, and the `kubernetes` config section. The API itself is exercised
 * against a real kube-apiserver in tests/kube. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fo_audit_collector.h"
#include "fo_audit_config.h"
#include "fo_audit_k8s.h"
#include "fo_err.h"
#include "fo_kube_client.h"
#include "fo_kube_config.h"
#include "fo_kube_exec.h"

static const char base[] =
    "apiVersion: v1\n"                           /* 1 */
    "current-context: a\n"                       /* 2 */
    "clusters:\n"                                /* 3 */
    "- name: c\n"                                /* 4 */
    "  cluster:\n"                               /* 5 */
    "    server: https://10.0.0.1:6443/\n"       /* 6 */
    "    certificate-authority-data: UEVNLUNB\n" /* 7: "PEM-CA" */
    "contexts:\n"                                /* 8 */
    "- {name: a, context: {cluster: c, user: u, namespace: ns1}}\n"
    "- {name: b, context: {cluster: c, user: e}}\n"
    "- {name: anon, context: {cluster: c}}\n"
    "users:\n"
    "- name: u\n"
    "  user:\n"
    "    token: tok-123456\n"
    "    client-certificate-data: Q0VSVA==\n" /* "CERT" */
    "    client-key-data: S0VZ\n"             /* "KEY" */
    "- name: e\n"
    "  user:\n"
    "    exec:\n"
    "      apiVersion: client.authentication.k8s.io/v1\n"
    "      command: bin/plugin\n"
    "      args: [get-token, --cluster, prod]\n"
    "      env: [{name: AWS_PROFILE, value: prod}]\n";

static fo_kube_config *parse_ok(const char *text, const char *dir, const char *ctx) {
  fo_kube_config *c = NULL;
  int err = fo_kube_config_parse(&c, text, strlen(text), "k.yaml", dir, ctx);
  if (err != 0)
    fail_msg("parse failed: %s", fo_err_last());
  return c;
}

static void expect_error(const char *text, const char *ctx, int code, const char *msg) {
  fo_kube_config *c = NULL;
  assert_int_equal(fo_kube_config_parse(&c, text, strlen(text), "k.yaml", NULL, ctx), code);
  assert_null(c);
  if (!strstr(fo_err_last(), msg))
    fail_msg("error '%s' lacks '%s'", fo_err_last(), msg);
}

static void test_resolve(void **state) {
  fo_kube_config *c;
  (void)state;
  c = parse_ok(base, "/etc/kube", NULL); /* current-context */
  assert_string_equal(c->context, "a");
  assert_string_equal(c->server, "https://10.0.0.1:6443"); /* trailing slash dropped */
  assert_string_equal(c->namespace_name, "ns1");
  assert_int_equal(c->ca.len, 6);
  assert_memory_equal(c->ca.data, "PEM-CA", 6);
  assert_memory_equal(c->client_cert.data, "CERT", 4);
  assert_memory_equal(c->client_key.data, "KEY", 3);
  assert_string_equal(c->token, "tok-123456");
  assert_null(c->exec);
  assert_false(c->insecure);
  fo_kube_config_free(c);

  c = parse_ok(base, "/etc/kube", "b");
  assert_non_null(c->exec);
  assert_string_equal(c->exec->argv[0], "/etc/kube/bin/plugin"); /* relative with '/': the kubeconfig's dir */
  assert_string_equal(c->exec->argv[3], "prod");
  assert_null(c->exec->argv[4]);
  assert_string_equal(c->exec->env[0], "AWS_PROFILE=prod");
  assert_null(c->exec->env[1]);
  assert_null(c->token);
  fo_kube_config_free(c);

  c = parse_ok(base, NULL, "anon"); /* no user: anonymous */
  assert_null(c->user);
  assert_null(c->token);
  assert_int_equal(c->client_cert.len, 0);
  fo_kube_config_free(c);
}

static void test_errors(void **state) {
  (void)state;
  expect_error(base, "nope", FO_ENOTFOUND, "no context named 'nope'");
  expect_error("clusters: []\n", NULL, FO_ENOTFOUND, "no context given and no current-context");
  expect_error("current-context: a\ncontexts: [{name: a, context: {cluster: x}}]\n", NULL, FO_ENOTFOUND,
               "no cluster named 'x'");
  expect_error(
      "current-context: a\ncontexts: [{name: a, context: {cluster: c}}]\n"
      "clusters:\n- name: c\n  cluster: {server: ftp://h}\n",
      NULL, FO_EINVAL, "k.yaml':5:21: cluster 'c': server 'ftp://h' must be an http:// or https:// URL");
  expect_error(
      "current-context: a\ncontexts: [{name: a, context: {cluster: c}}]\n"
      "clusters:\n- name: c\n  cluster:\n    server: https://h\n    certificate-authority-data: '@@@@'\n",
      NULL, FO_EINVAL, "k.yaml':7:33: 'certificate-authority-data' is not valid base64");
  expect_error(
      "current-context: a\ncontexts: [{name: a, context: {cluster: c}}]\nclusters:\n- name: c\n"
      "  cluster: {server: 'https://h', certificate-authority-data: UEVN, insecure-skip-tls-verify: true}\n",
      NULL, FO_EINVAL, "a certificate authority and insecure-skip-tls-verify together");
  expect_error(
      "current-context: a\ncontexts: [{name: a, context: {cluster: c}}]\nclusters:\n- name: c\n"
      "  cluster: {server: 'https://h', insecure-skip-tls-verify: yes}\n",
      NULL, FO_EINVAL, "'insecure-skip-tls-verify' must be true or false");
  expect_error(
      "current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n"
      "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
      "users: [{name: u, user: {client-certificate-data: Q0VSVA==}}]\n",
      NULL, FO_EINVAL, "a client certificate needs its key");
  expect_error(
      "current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n"
      "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
      "users: [{name: u, user: {auth-provider: {name: gcp}}}]\n",
      NULL, FO_EINVAL, "auth-provider is not supported");
  expect_error(
      "current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n"
      "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
      "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: x}}}]\n",
      NULL, FO_EINVAL, "apiVersion 'client.authentication.k8s.io/v1alpha1' is not supported");
  expect_error(
      "current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n"
      "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
      "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: x,"
      " interactiveMode: Always}}}]\n",
      NULL, FO_EINVAL, "needs a terminal");
  expect_error(
      "current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n"
      "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
      "users: [{name: u, user: {tokenFile: /nonexistent/token}}]\n",
      NULL, FO_ENOTFOUND, "k.yaml':4: tokenFile: cannot read '/nonexistent/token'");
  expect_error("- a\n- b\n", NULL, FO_EINVAL, "k.yaml':1:1: the top level must be a mapping");
  expect_error("clusters: [\n", NULL, FO_EINVAL, "k.yaml':2:1:");
  {
    fo_kube_config *c = NULL;
    assert_int_equal(fo_kube_config_parse(&c, "a: \"x\0y\"\n", 9, "k.yaml", NULL, NULL), FO_EINVAL);
    assert_non_null(strstr(fo_err_last(), "binary file"));
  }
}

/* Files named in the kubeconfig (CA, client certificate, token file) are relative to its directory; the token
 * file wins over `token` and loses its trailing newline. */
static void test_files(void **state) {
  const char *tmpdir = getenv("TMPDIR");
  char path[256];
  fo_kube_config *c;
  FILE *f;
  (void)state;
  snprintf(path, sizeof path, "%s/fo-kube-unit.XXXXXX", tmpdir && *tmpdir && strlen(tmpdir) < 200 ? tmpdir : "/tmp");
  assert_non_null(mkdtemp(path));
  {
    char p[300];
    snprintf(p, sizeof p, "%s/ca.crt", path);
    assert_non_null(f = fopen(p, "w"));
    fputs("CA-PEM\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/token", path);
    assert_non_null(f = fopen(p, "w"));
    fputs("file-token-abc\n", f);
    fclose(f);
  }
  c = parse_ok(
      "current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n"
      "clusters: [{name: c, cluster: {server: 'https://h', certificate-authority: ca.crt}}]\n"
      "users: [{name: u, user: {token: inline-token, tokenFile: token}}]\n",
      path, NULL);
  assert_int_equal(c->ca.len, 7);
  assert_memory_equal(c->ca.data, "CA-PEM\n", 7);
  assert_string_equal(c->token, "file-token-abc");
  fo_kube_config_free(c);

  /* KUBECONFIG: a list, missing files skipped, the first file that names a thing wins */
  {
    char a[300], b[300], env[1024];
    snprintf(a, sizeof a, "%s/a.yaml", path);
    snprintf(b, sizeof b, "%s/b.yaml", path);
    assert_non_null(f = fopen(a, "w"));
    fputs(
        "current-context: first\ncontexts: [{name: first, context: {cluster: c}}]\n"
        "clusters: [{name: c, cluster: {server: 'https://from-a'}}]\n",
        f);
    fclose(f);
    assert_non_null(f = fopen(b, "w"));
    fputs(
        "current-context: second\ncontexts: [{name: second, context: {cluster: c}}]\n"
        "clusters: [{name: c, cluster: {server: 'https://from-b'}}, {name: d, cluster: {server: 'https://d'}}]\n",
        f);
    fclose(f);
    snprintf(env, sizeof env, "%s/missing.yaml:%s:%s", path, a, b);
    setenv("KUBECONFIG", env, 1);
    assert_int_equal(fo_kube_config_load(&c, NULL, NULL), 0);
    assert_string_equal(c->context, "first");
    assert_string_equal(c->server, "https://from-a");
    fo_kube_config_free(c);
    assert_int_equal(fo_kube_config_load(&c, NULL, "second"), 0);
    assert_string_equal(c->server, "https://from-a"); /* cluster c: a.yaml came first */
    fo_kube_config_free(c);
    assert_int_equal(fo_kube_config_load(&c, b, NULL), 0); /* an explicit path wins over KUBECONFIG */
    assert_string_equal(c->server, "https://from-b");
    fo_kube_config_free(c);
    unsetenv("KUBECONFIG");
    unlink(a);
    unlink(b);
  }
  {
    char p[300];
    snprintf(p, sizeof p, "%s/ca.crt", path);
    unlink(p);
    snprintf(p, sizeof p, "%s/token", path);
    unlink(p);
  }
  assert_int_equal(rmdir(path), 0);
}

static void test_exec_parse(void **state) {
  static const char v1[] = "client.authentication.k8s.io/v1";
  fo_kube_exec_result r;
  const char *ok =
      "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
      "\"status\":{\"token\":\"t-1\",\"expirationTimestamp\":\"2026-01-01T00:00:00Z\"}}";
  const char *cert =
      "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
      "\"status\":{\"clientCertificateData\":\"C\",\"clientKeyData\":\"K\"}}";
  const char *empty = "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\",\"status\":{}}";
  (void)state;
  assert_int_equal(fo_kube_exec_parse(&r, ok, strlen(ok), v1, "k"), 0);
  assert_string_equal(r.token, "t-1");
  fo_kube_exec_result_dispose(&r);
  assert_int_equal(fo_kube_exec_parse(&r, cert, strlen(cert), v1, "k"), 0);
  assert_null(r.token);
  assert_string_equal(r.cert.data, "C");
  assert_string_equal(r.key.data, "K");
  fo_kube_exec_result_dispose(&r);
  assert_int_equal(fo_kube_exec_parse(&r, ok, strlen(ok), "client.authentication.k8s.io/v1beta1", "k"), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "the kubeconfig asks for 'client.authentication.k8s.io/v1beta1'"));
  assert_int_equal(fo_kube_exec_parse(&r, empty, strlen(empty), v1, "k"), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "neither status.token nor a client certificate"));
  assert_int_equal(fo_kube_exec_parse(&r, "not json", 8, v1, "k"), FO_EINVAL);
}

/* The runner: args, env and KUBERNETES_EXEC_INFO reach the plugin; a failing or hanging plugin is an error. */
static void test_exec_run(void **state) {
  fo_kube_exec_cfg e;
  fo_kube_exec_result r;
  char *argv[] = {(char *)"/bin/sh", (char *)"-c", NULL, NULL};
  char *env[] = {(char *)"FO_X=42", NULL};
  (void)state;
  memset(&e, 0, sizeof e);
  e.api_version = (char *)"client.authentication.k8s.io/v1";
  e.argv = argv;
  e.env = env;
  argv[2] = (char *)"case \"$KUBERNETES_EXEC_INFO\" in *ExecCredential*) ;; *) exit 9;; esac; "
                    "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                    "\"status\":{\"token\":\"tok-%s\"}}' \"$FO_X\"";
  assert_int_equal(fo_kube_exec_run(&r, &e, "kubernetes (context t)", NULL), 0);
  assert_string_equal(r.token, "tok-42");
  fo_kube_exec_result_dispose(&r);
  argv[2] = (char *)"exit 4";
  assert_int_equal(fo_kube_exec_run(&r, &e, "kubernetes (context t)", NULL), FO_EIO);
  assert_non_null(strstr(fo_err_last(), "kubernetes (context t): exec plugin '/bin/sh' failed (exit status 4)"));
  argv[2] = (char *)"sleep 30";
  setenv("FO_KUBE_EXEC_TIMEOUT", "1", 1);
  assert_int_equal(fo_kube_exec_run(&r, &e, "kubernetes (context t)", NULL), FO_ETIMEOUT);
  assert_non_null(strstr(fo_err_last(), "timed out after 1 s"));
  unsetenv("FO_KUBE_EXEC_TIMEOUT");
  /* cancelled (here by a deadline): the plugin's group is killed at once, not after the timeout */
  {
    fo_cancel *cancel = NULL;
    assert_int_equal(fo_cancel_new(&cancel, NULL), 0);
    fo_cancel_set_deadline(cancel, fo_cancel_mono_ms() + 200);
    assert_int_equal(fo_kube_exec_run(&r, &e, "kubernetes (context t)", cancel), FO_ECANCELED);
    assert_non_null(strstr(fo_err_last(), "cancelled: deadline exceeded"));
    fo_cancel_free(cancel);
  }
  argv[0] = (char *)"/nonexistent/plugin";
  assert_int_equal(fo_kube_exec_run(&r, &e, "kubernetes (context t)", NULL), FO_EIO);
  assert_non_null(strstr(fo_err_last(), "cannot run exec plugin '/nonexistent/plugin'"));
}

static void test_list_parse(void **state) {
  const char *page = "{\"kind\":\"ConfigMapList\",\"metadata\":{\"continue\":\"abc\"},\"items\":[{\"metadata\":{}}]}";
  const char *last = "{\"kind\":\"SecretList\",\"metadata\":{\"continue\":\"\"},\"items\":null}";
  cJSON *items = NULL;
  char *cont = NULL;
  (void)state;
  assert_int_equal(fo_kube_list_parse(&items, &cont, page, strlen(page), "p", fo_audit_k8s_parse_page), 0);
  assert_int_equal(cJSON_GetArraySize(items), 1);
  assert_string_equal(cont, "abc");
  cJSON_Delete(items);
  free(cont);
  assert_int_equal(fo_kube_list_parse(&items, &cont, last, strlen(last), "p", fo_audit_k8s_parse_page), 0);
  assert_int_equal(cJSON_GetArraySize(items), 0);
  assert_null(cont);
  cJSON_Delete(items);
  assert_int_equal(fo_kube_list_parse(&items, &cont, "{\"items\":[1]}", 13, "page 2", fo_audit_k8s_parse_page),
                   FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "page 2: an entry of \"items\" is not an object"));
  assert_int_equal(fo_kube_list_parse(&items, &cont, "{\"items\":{}}", 12, "p", fo_audit_k8s_parse_page), FO_EINVAL);
  assert_int_equal(fo_kube_list_parse(&items, &cont, "<html>", 6, "p", NULL), FO_EINVAL);
  assert_null(items);
  assert_null(cont);
}

/* A cancelled run sends no request: the listing stops with FO_ECANCELED naming the source. */
static void test_list_cancelled(void **state) {
  static const char kc[] =
      "current-context: a\ncontexts: [{name: a, context: {cluster: c}}]\n"
      "clusters: [{name: c, cluster: {server: 'https://192.0.2.1:6443'}}]\n";
  static const fo_kube_resource cms = {"api/v1", "configmaps", "ConfigMap", "v1"};
  fo_kube_config *c = parse_ok(kc, NULL, NULL);
  fo_kube_client *client = NULL;
  fo_cancel *cancel = NULL;
  size_t pages = 9;
  (void)state;
  assert_int_equal(fo_cancel_new(&cancel, NULL), 0);
  fo_cancel_trigger(cancel, "stopped by the test");
  assert_int_equal(fo_kube_client_new(&client, c, cancel), 0);
  assert_string_equal(fo_kube_client_name(client), "kubernetes (context a)");
  assert_int_equal(fo_kube_list(client, &cms, "ns", 0, NULL, NULL, &pages), FO_ECANCELED);
  assert_non_null(strstr(fo_err_last(), "kubernetes (context a): cancelled: stopped by the test"));
  fo_kube_client_free(client);
  fo_cancel_free(cancel);
  fo_kube_config_free(c);
}

/* The scale subresource: only Deployments and StatefulSets (refused before any request), and a cancelled run
 * sends neither the GET nor the PATCH. */
static void test_scale_refused(void **state) {
  static const char kc[] =
      "current-context: a\ncontexts: [{name: a, context: {cluster: c}}]\n"
      "clusters: [{name: c, cluster: {server: 'https://192.0.2.1:6443'}}]\n";
  fo_kube_config *c = parse_ok(kc, NULL, NULL);
  fo_kube_client *client = NULL;
  fo_cancel *cancel = NULL;
  long n = 7;
  (void)state;
  assert_int_equal(fo_cancel_new(&cancel, NULL), 0);
  assert_int_equal(fo_kube_client_new(&client, c, cancel), 0);
  assert_int_equal(fo_kube_scale_get(client, "pods", "ns", "web", &n), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "cannot scale 'pods' (deployments or statefulsets)"));
  assert_int_equal(n, 0);
  assert_int_equal(fo_kube_scale_set(client, "deployments", "ns", "web", -1), FO_EINVAL);
  fo_cancel_trigger(cancel, "stopped by the test");
  assert_int_equal(fo_kube_scale_get(client, "deployments", "ns", "web", &n), FO_ECANCELED);
  assert_int_equal(fo_kube_scale_set(client, "statefulsets", "ns", "db", 2), FO_ECANCELED);
  assert_non_null(strstr(fo_err_last(), "kubernetes (context a): cancelled: stopped by the test"));
  fo_kube_client_free(client);
  fo_cancel_free(cancel);
  fo_kube_config_free(c);
}

static void expect_cfg_error(const char *kube, const char *msg) {
  char yml[1024];
  fo_audit_config *cfg = NULL;
  snprintf(yml, sizeof yml,
           "sides:\n  primary:\n    region: us-east-1\n    kubernetes: %s\n"
           "  secondary:\n    region: us-east-2\n",
           kube);
  assert_int_equal(fo_audit_config_parse(&cfg, yml, strlen(yml), "c.yml", NULL), FO_EINVAL);
  if (!strstr(fo_err_last(), msg))
    fail_msg("error '%s' lacks '%s'", fo_err_last(), msg);
}

static void test_config_section(void **state) {
  static const char yml[] =
      "sides:\n  primary:\n    region: us-east-1\n"
      "    kubernetes: {context: ctx-a, kubeconfig: kc, namespaces: [app, web], page_size: 3}\n"
      "  secondary:\n    region: us-east-2\n";
  fo_audit_config *cfg = NULL;
  fo_audit_collect_ctx ctx;
  (void)state;
  assert_int_equal(fo_audit_config_parse(&cfg, yml, sizeof yml - 1, "d/c.yml", "d"), 0);
  fo_audit_collect_ctx_for(&ctx, cfg, 0, NULL, &fo_audit_collector_kube, NULL);
  assert_string_equal(fo_audit_collector_kube.location(&ctx), "kubernetes context ctx-a in d/kc, namespaces app,web");
  fo_audit_collect_ctx_for(&ctx, cfg, 1, NULL, &fo_audit_collector_kube, NULL);
  assert_null(fo_audit_collector_kube.location(&ctx));
  fo_audit_config_free(cfg);
  expect_cfg_error("{context: a}", "c.yml:4:17: 'kubernetes' needs 'namespaces'");
  expect_cfg_error("{namespaces: [Bad_NS]}", "'Bad_NS' is not a namespace name");
  expect_cfg_error("{namespaces: [a, a]}", "namespace 'a' is listed twice");
  expect_cfg_error("{namespaces: []}", "needs 1 to 1000 namespaces");
  expect_cfg_error("{namespaces: [a], page_size: 0}", "'kubernetes.page_size' must be a whole number from 1 to");
  expect_cfg_error("{namespaces: [a], replicas: maybe}", "'kubernetes.replicas' must be 'ignore' or 'compare'");
  expect_cfg_error("{namespaces: [a], contxt: x}", "unknown key 'contxt' in kubernetes");
  expect_cfg_error("prod", "'kubernetes' must be a mapping");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_resolve),        cmocka_unit_test(test_errors),
      cmocka_unit_test(test_files),          cmocka_unit_test(test_exec_parse),
      cmocka_unit_test(test_exec_run),       cmocka_unit_test(test_list_parse),
      cmocka_unit_test(test_list_cancelled), cmocka_unit_test(test_scale_refused),
      cmocka_unit_test(test_config_section),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
