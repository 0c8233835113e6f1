/* Credentials provider: credential_process (run a command, read its JSON). */
#include "fo_aws_creds.h"
#include "fo_aws_creds_sts.h"
#include "fo_aws_enc.h"
#include "fo_aws_json.h"
#include "fo_buf.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define PROCESS_OUTPUT_MAX (64 * 1024)

typedef struct process_provider {
  fo_aws_creds_provider base;
  fo_aws_creds_ctx ctx;
  char *command;
  char source[64];
} process_provider;

static int process_get(fo_aws_creds_provider *pp, const fo_cancel *cancel, fo_aws_credentials **out) {
  (void)cancel; /* the command runs to its end */
  process_provider *p = (process_provider *)pp;
  fo_buf b = FO_BUF_INIT;
  cJSON *doc = NULL, *ver;
  char chunk[4096];
  size_t n;
  FILE *f;
  int status, err = 0;

  fo_buf_init(&b, PROCESS_OUTPUT_MAX);
  fflush(NULL);
  if (!(f = popen(p->command, "r")))
    return fo_err_set(FO_EIO, "%s: cannot run credential_process '%s'", p->source, p->command);
  while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && err == 0)
    err = fo_buf_append(&b, chunk, n);
  status = pclose(f);
  fo_aws_wipe(chunk, sizeof(chunk));
  if (err < 0) {
    err = fo_err_wrap(err, "%s: credential_process output", p->source);
    goto done;
  }
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    err = fo_err_set(FO_EIO, "%s: credential_process '%s' failed (exit status %d)", p->source, p->command,
                     status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    goto done;
  }
  if ((err = fo_aws_json_parse(&doc, b.data ? b.data : "", b.len)) < 0) {
    err = fo_err_wrap(err, "%s: credential_process output", p->source);
    goto done;
  }
  ver = cJSON_GetObjectItemCaseSensitive(doc, "Version");
  if (!cJSON_IsNumber(ver) || ver->valuedouble != 1) {
    err = fo_err_set(FO_EINVAL, "%s: credential_process output needs \"Version\": 1", p->source);
    goto done;
  }
  err = fo_aws_creds_from_json(out, doc, p->source);
done:
  fo_aws_json_delete_wiped(doc);
  fo_buf_wipe(&b);
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
