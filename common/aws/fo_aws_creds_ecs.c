/* Credentials provider: ECS / EKS Pod Identity container credentials endpoint. */
#include "fo_aws_creds.h"
#include "fo_aws_creds_http.h"
#include "fo_aws_enc.h"
#include "fo_aws_file.h"
#include "fo_err.h"
#include "fo_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The SDKs only send the token to the ECS/EKS link-local agents, to loopback,
 * or over https. */
static int allowed_full_uri(const char *uri) {
  static const char *const ok[] = {"http://127.0.0.1:",
                                   "http://127.0.0.1/",
                                   "http://localhost:",
                                   "http://localhost/",
                                   "http://[::1]:",
                                   "http://[::1]/",
                                   "http://169.254.170.2:",
                                   "http://169.254.170.2/",
                                   "http://169.254.170.23/",
                                   "http://[fd00:ec2::23]/",
                                   NULL};
  size_t i;
  if (strncmp(uri, "https://", 8) == 0)
    return 1;
  for (i = 0; ok[i]; i++)
    if (strncmp(uri, ok[i], strlen(ok[i])) == 0)
      return 1;
  return 0;
}

static int ecs_get(fo_aws_creds_provider *pp, const fo_cancel *cancel, fo_aws_credentials **out) {
  fo_aws_creds_ctx_provider *p = (fo_aws_creds_ctx_provider *)pp;
  const char *rel = fo_aws_creds_env(&p->ctx, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  const char *full = fo_aws_creds_env(&p->ctx, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  const char *tok_file = fo_aws_creds_env(&p->ctx, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  const char *tok_env = fo_aws_creds_env(&p->ctx, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
  char url[1024], *token = NULL;
  fo_aws_header hs[1] = {{"Authorization", NULL}};
  fo_aws_http_response resp;
  int err = 0;

  memset(&resp, 0, sizeof(resp));
  if (rel) {
    snprintf(url, sizeof(url), "http://169.254.170.2%s%s", rel[0] == '/' ? "" : "/", rel);
  } else if (full) {
    if (!allowed_full_uri(full))
      return fo_err_set(FO_EINVAL,
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI '%s' is not https, loopback "
                        "or the container agent",
                        full);
    snprintf(url, sizeof(url), "%s", full);
  } else {
    return fo_err_set(FO_ENOTFOUND, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI are not set");
  }
  if (tok_file) {
    if ((err = fo_aws_file_read_token(&token, tok_file, 16384, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) < 0)
      return err;
  } else if (tok_env && !(token = strdup(tok_env))) {
    return fo_err_oom();
  }
  if (token)
    fo_log_add_secret(token);
  hs[0].value = token;
  /* The agent can be briefly unavailable while a task starts: two attempts. */
  if ((err = fo_aws_creds_http_send(&resp, &p->ctx, cancel, "GET", url, hs, token ? 1 : 0, 5000, 2, 1)) < 0) {
    err = fo_err_wrap(err, "container credentials");
    goto done;
  }
  if (resp.status != 200) {
    err = fo_err_set(FO_EIO, "container credentials: %s answered HTTP %ld", url, resp.status);
    goto done;
  }
  err = fo_aws_creds_from_http_json(out, &resp, "ecs");
done:
  fo_aws_http_response_dispose(&resp);
  fo_aws_free_secret(token);
  return err;
}

static const fo_aws_creds_vtable ecs_vt = {"ecs", ecs_get, fo_aws_creds_ctx_provider_destroy};

int fo_aws_creds_ecs_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx) {
  return fo_aws_creds_ctx_provider_new(out, &ecs_vt, ctx);
}
