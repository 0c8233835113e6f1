/* Credentials provider: credential_process (run a command in its own process group, read its JSON, kill the
 * group when it takes longer than the timeout). */
#include "fo_aws_creds.h"
#include "fo_aws_creds_parse.h"
#include "fo_aws_creds_sts.h"
#include "fo_aws_enc.h"
#include "fo_aws_json.h"
#include "fo_buf.h"
#include "fo_err.h"
#include "fo_spawn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROCESS_OUTPUT_MAX (64 * 1024)
/* As the AWS SDKs: a credential_process gets one minute. */
#define PROCESS_TIMEOUT_DEFAULT_MS 60000L
#define PROCESS_TIMEOUT_MAX_S      3600L

typedef struct process_provider {
  fo_aws_creds_provider base;
  fo_aws_creds_ctx ctx;
  char *command;
  char source[64];
} process_provider;

/* FO_AWS_CREDENTIAL_PROCESS_TIMEOUT: whole seconds (1..3600), for tests and slow helpers; else one minute. */
static long process_timeout_ms(const fo_aws_creds_ctx *ctx) {
  const char *v = fo_aws_creds_env(ctx, "FO_AWS_CREDENTIAL_PROCESS_TIMEOUT");
  char *end = NULL;
  long n;
  if (!v)
    return PROCESS_TIMEOUT_DEFAULT_MS;
  errno = 0;
  n = strtol(v, &end, 10);
  if (errno || end == v || *end || n < 1 || n > PROCESS_TIMEOUT_MAX_S)
    return PROCESS_TIMEOUT_DEFAULT_MS;
  return n * 1000;
}

static int process_get(fo_aws_creds_provider *pp, const fo_cancel *cancel, fo_aws_credentials **out) {
  process_provider *p = (process_provider *)pp;
  char sh[] = "sh", dash_c[] = "-c";
  char *argv[] = {sh, dash_c, p->command, NULL};
  fo_spawn_opts o = {"/bin/sh", argv, NULL, 0, process_timeout_ms(&p->ctx), PROCESS_OUTPUT_MAX, cancel};
  fo_spawn_result r;
  fo_buf b = FO_BUF_INIT;
  int err = fo_spawn_run(&b, &r, &o);

  if (err == FO_EIO && r.spawn_errno) {
    err = fo_err_set(FO_EIO, "%s: cannot run credential_process '%s': %s", p->source, p->command,
                     strerror(r.spawn_errno));
  } else if (err == FO_ETIMEOUT) {
    err = fo_err_set(FO_ETIMEOUT, "%s: credential_process '%s' timed out after %ld s (killed with its process group)",
                     p->source, p->command, o.timeout_ms / 1000);
  } else if (err < 0) {
    err = fo_err_wrap(err, "%s: credential_process output", p->source);
  } else if (r.exit_status != 0) {
    err =
        fo_err_set(FO_EIO, "%s: credential_process '%s' failed (exit status %d)", p->source, p->command, r.exit_status);
  } else {
    err = fo_aws_creds_process_parse(out, b.data ? b.data : "", b.len, p->source);
  }
  fo_buf_wipe(&b);
  return err;
}

int fo_aws_creds_process_parse(fo_aws_credentials **out, const char *data, size_t len, const char *source) {
  cJSON *doc = NULL, *ver;
  int err;

  *out = NULL;
  if ((err = fo_aws_json_parse(&doc, data, len)) < 0)
    return fo_err_wrap(err, "%s: credential_process output", source);
  ver = cJSON_GetObjectItemCaseSensitive(doc, "Version");
  if (!cJSON_IsNumber(ver) || ver->valuedouble != 1)
    err = fo_err_set(FO_EINVAL, "%s: credential_process output needs \"Version\": 1", source);
  else
    err = fo_aws_creds_from_json(out, doc, source);
  fo_aws_json_delete_wiped(doc);
  return err;
}

static void process_destroy(fo_aws_creds_provider *pp) {
  process_provider *p = (process_provider *)pp;
  free(p->command);
  free(p);
}

static const fo_aws_creds_vtable process_vt = {"process", process_get, process_destroy};

int fo_aws_creds_process_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx, const char *command,
                             const char *source) {
  process_provider *p;
  *out = NULL;
  if (!command || !*command)
    return fo_err_set(FO_EINVAL, "empty credential_process");
  if (!(p = calloc(1, sizeof(*p))) || !(p->command = strdup(command))) {
    free(p);
    return fo_err_oom();
  }
  p->base.vt = &process_vt;
  if (ctx)
    p->ctx = *ctx;
  snprintf(p->source, sizeof(p->source), "%s", source ? source : "process");
  *out = &p->base;
  return 0;
}
