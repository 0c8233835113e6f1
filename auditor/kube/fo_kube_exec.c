/* fo_kube_exec: the exec credential plugin runner: the kubeconfig's argv and environment run through
 * common/core/fo_spawn (as credential_process is), ExecCredential JSON read back. */
#include "fo_kube_exec.h"
#include "fo_err.h"
#include "fo_log.h"
#include "fo_spawn.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIMEOUT_MAX_S 3600L
#define MAX_ENV       4096

extern char **environ;

static long timeout_ms(void) {
  const char *v = getenv("FO_KUBE_EXEC_TIMEOUT");
  char *end = NULL;
  long n;
  if (!v)
    return FO_KUBE_EXEC_TIMEOUT_MS;
  errno = 0;
  n = strtol(v, &end, 10);
  if (errno || end == v || *end || n < 1 || n > TIMEOUT_MAX_S)
    return FO_KUBE_EXEC_TIMEOUT_MS;
  return n * 1000;
}

static int env_name_is(const char *entry, const char *const *names) {
  for (; *names; names++) {
    const char *eq = strchr(*names, '=');
    size_t n = eq ? (size_t)(eq - *names) : strlen(*names);
    if (!strncmp(entry, *names, n) && entry[n] == '=')
      return 1;
  }
  return 0;
}

/* The plugin's environment: ours, minus what the kubeconfig or KUBERNETES_EXEC_INFO set, plus those. The strings
 * are borrowed; only the array is allocated. */
static int build_env(char ***out, const fo_kube_exec_cfg *e, char *info) {
  size_t n = 0, k = 0, extra = 0;
  char **v;
  for (; environ && environ[n]; n++)
    ;
  for (; e->env && e->env[extra]; extra++)
    ;
  if (n + extra > MAX_ENV)
    return fo_err_set(FO_ELIMIT, "exec plugin: more than %d environment variables", MAX_ENV);
  if (!(v = calloc(n + extra + 2, sizeof *v)))
    return fo_err_oom();
  for (size_t i = 0; i < n; i++) {
    const char *own[] = {"KUBERNETES_EXEC_INFO", NULL};
    if (!env_name_is(environ[i], own) && !(e->env && env_name_is(environ[i], (const char *const *)e->env)))
      v[k++] = environ[i];
  }
  for (size_t i = 0; i < extra; i++)
    v[k++] = e->env[i];
  v[k++] = info;
  *out = v;
  return 0;
}

int fo_kube_exec_run(fo_kube_exec_result *out, const fo_kube_exec_cfg *e, const char *what, const fo_cancel *cancel) {
  static const char info_fmt[] =
      "KUBERNETES_EXEC_INFO={\"apiVersion\":\"%s\",\"kind\":\"ExecCredential\","
      "\"spec\":{\"interactive\":false}}";
  fo_buf b = FO_BUF_INIT, info = FO_BUF_INIT;
  fo_spawn_result r;
  char **envp = NULL;
  int err;

  memset(out, 0, sizeof *out);
  if ((err = fo_buf_printf(&info, info_fmt, e->api_version)) < 0 || (err = build_env(&envp, e, info.data)) < 0)
    goto done;
  FO_DEBUG("%s: running exec plugin '%s'", what, e->argv[0]);
  {
    fo_spawn_opts o = {e->argv[0], e->argv, envp, 1, timeout_ms(), FO_KUBE_EXEC_OUTPUT_MAX, cancel};
    err = fo_spawn_run(&b, &r, &o);
    if (err == FO_EIO && r.spawn_errno) {
      err = fo_err_set(FO_EIO, "%s: cannot run exec plugin '%s': %s%s%s", what, e->argv[0], strerror(r.spawn_errno),
                       e->install_hint ? ": " : "", e->install_hint ? e->install_hint : "");
      goto done;
    }
    if (err == FO_ETIMEOUT) {
      err = fo_err_set(FO_ETIMEOUT, "%s: exec plugin '%s' timed out after %ld s (killed with its process group)", what,
                       e->argv[0], o.timeout_ms / 1000);
      goto done;
    }
  }
  if (err < 0) {
    err = fo_err_wrap(err, "%s: exec plugin '%s'", what, e->argv[0]);
    goto done;
  }
  if (r.exit_status != 0) {
    int code = r.exit_status;
    err = fo_err_set(FO_EIO, "%s: exec plugin '%s' failed (exit status %d%s)%s%s", what, e->argv[0], code,
                     code == 127 ? ": command not found" : "", code == 127 && e->install_hint ? ": " : "",
                     code == 127 && e->install_hint ? e->install_hint : "");
    goto done;
  }
  if ((err = fo_kube_exec_parse(out, b.data ? b.data : "", b.len, e->api_version, what)) == 0 && out->token)
    fo_log_add_secret(out->token);
done:
  free(envp);
  fo_buf_dispose(&info);
  fo_buf_wipe(&b);
  return err;
}

static void wipe_json(cJSON *v) {
  for (cJSON *c = v ? v->child : NULL; c; c = c->next)
    wipe_json(c);
  if (v && v->valuestring)
    memset(v->valuestring, 0, strlen(v->valuestring));
}

static int copy_pem(fo_buf *out, const cJSON *v) {
  fo_buf_init(out, FO_KUBE_EXEC_OUTPUT_MAX);
  return fo_buf_puts(out, v->valuestring);
}

int fo_kube_exec_parse(fo_kube_exec_result *out, const char *data, size_t len, const char *api_version,
                       const char *what) {
  cJSON *doc = NULL, *st, *tok, *cert, *key;
  const cJSON *av, *kind;
  int err = 0;

  memset(out, 0, sizeof *out);
  if (len > FO_KUBE_EXEC_OUTPUT_MAX)
    return fo_err_set(FO_ELIMIT, "%s: exec plugin output is larger than %u bytes", what, FO_KUBE_EXEC_OUTPUT_MAX);
  if (!(doc = cJSON_ParseWithLength(data, len)) || !cJSON_IsObject(doc)) {
    err = fo_err_set(FO_EINVAL, "%s: exec plugin output is not an ExecCredential JSON object", what);
    goto done;
  }
  av = cJSON_GetObjectItemCaseSensitive(doc, "apiVersion");
  kind = cJSON_GetObjectItemCaseSensitive(doc, "kind");
  if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "ExecCredential") != 0) {
    err = fo_err_set(FO_EINVAL, "%s: exec plugin output has no \"kind\": \"ExecCredential\"", what);
    goto done;
  }
  if (!cJSON_IsString(av) || strcmp(av->valuestring, api_version) != 0) {
    err = fo_err_set(FO_EINVAL, "%s: exec plugin output has apiVersion '%.80s', the kubeconfig asks for '%s'", what,
                     cJSON_IsString(av) ? av->valuestring : "", api_version);
    goto done;
  }
  st = cJSON_GetObjectItemCaseSensitive(doc, "status");
  tok = cJSON_GetObjectItemCaseSensitive(st, "token");
  cert = cJSON_GetObjectItemCaseSensitive(st, "clientCertificateData");
  key = cJSON_GetObjectItemCaseSensitive(st, "clientKeyData");
  if ((tok && !cJSON_IsString(tok)) || (cert && !cJSON_IsString(cert)) || (key && !cJSON_IsString(key))) {
    err = fo_err_set(FO_EINVAL, "%s: exec plugin output: status fields must be strings", what);
    goto done;
  }
  if (cJSON_IsString(tok) && *tok->valuestring) {
    if (strpbrk(tok->valuestring, "\r\n")) {
      err = fo_err_set(FO_EINVAL, "%s: exec plugin output: the token holds a line break", what);
      goto done;
    }
    if (!(out->token = strdup(tok->valuestring))) {
      err = fo_err_oom();
      goto done;
    }
  }
  if (!cert != !key || (cert && (!*cert->valuestring || !*key->valuestring))) {
    err = fo_err_set(FO_EINVAL, "%s: exec plugin output: clientCertificateData and clientKeyData go together", what);
    goto done;
  }
  if (cert && ((err = copy_pem(&out->cert, cert)) < 0 || (err = copy_pem(&out->key, key)) < 0))
    goto done;
  if (!out->token && !out->cert.len)
    err = fo_err_set(FO_EINVAL, "%s: exec plugin output has neither status.token nor a client certificate", what);
done:
  wipe_json(doc);
  cJSON_Delete(doc);
  if (err < 0)
    fo_kube_exec_result_dispose(out);
  return err;
}

void fo_kube_exec_result_dispose(fo_kube_exec_result *r) {
  if (!r)
    return;
  if (r->token) {
    memset(r->token, 0, strlen(r->token));
    free(r->token);
    r->token = NULL;
  }
  fo_buf_wipe(&r->cert);
  fo_buf_wipe(&r->key);
}
