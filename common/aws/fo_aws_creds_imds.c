/* Credentials provider: EC2 instance metadata, IMDSv2 (session token first). */
#include "fo_aws_creds.h"
#include "fo_aws_creds_http.h"
#include "fo_aws_enc.h"
#include "fo_err.h"
#include "fo_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* IMDS answers within milliseconds on EC2; elsewhere nothing listens, so a
 * short timeout and one attempt keep the chain fast off EC2 (as the SDKs). */
static int imds_call(const fo_aws_creds_ctx_provider *p, const char *method, const char *url, const fo_aws_header *hs,
                     fo_aws_http_response *resp, int secret) {
  return fo_aws_creds_http_send(resp, &p->ctx, NULL, method, url, hs, 1, 2000, 1, secret);
}

static int imds_get(fo_aws_creds_provider *pp, const fo_cancel *cancel, fo_aws_credentials **out) {
  (void)cancel; /* not passed to imds_call yet: IMDS calls time out after 2 s */
  fo_aws_creds_ctx_provider *p = (fo_aws_creds_ctx_provider *)pp;
  const char *disabled = fo_aws_creds_env(&p->ctx, "AWS_EC2_METADATA_DISABLED");
  const char *base = fo_aws_creds_env(&p->ctx, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
  char url[1024], role[256], *token = NULL;
  fo_aws_header hs[1];
  fo_aws_http_response resp;
  size_t blen, n;
  int err;

  memset(&resp, 0, sizeof(resp));
  if (disabled && strcasecmp(disabled, "true") == 0)
    return fo_err_set(FO_ENOTFOUND, "instance metadata is disabled (AWS_EC2_METADATA_DISABLED)");
  if (!base)
    base = "http://169.254.169.254";
  blen = strlen(base);
  while (blen > 0 && base[blen - 1] == '/')
    blen--;

  /* 1. session token */
  snprintf(url, sizeof(url), "%.*s/latest/api/token", (int)blen, base);
  hs[0].name = "X-aws-ec2-metadata-token-ttl-seconds";
  hs[0].value = "21600";
  if ((err = imds_call(p, "PUT", url, hs, &resp, 1)) < 0) {
    /* nothing listening: not on EC2 */
    if (err != FO_ECANCELED)
      err = fo_err_set(FO_ENOTFOUND, "no instance metadata service at %.*s", (int)blen, base);
    goto done;
  }
  if (resp.status != 200 || resp.body.len == 0) {
    err = fo_err_set(FO_EIO, "instance metadata: token request answered HTTP %ld", resp.status);
    goto done;
  }
  token = fo_buf_detach(&resp.body, NULL);
  fo_log_add_secret(token);
  fo_aws_http_response_dispose(&resp);
  hs[0].name = "X-aws-ec2-metadata-token";
  hs[0].value = token;

  /* 2. role name */
  snprintf(url, sizeof(url), "%.*s/latest/meta-data/iam/security-credentials/", (int)blen, base);
  if ((err = imds_call(p, "GET", url, hs, &resp, 0)) < 0)
    goto done;
  if (resp.status == 404) {
    err = fo_err_set(FO_ENOTFOUND, "instance has no IAM role");
    goto done;
  }
  if (resp.status != 200 || resp.body.len == 0) {
    err = fo_err_set(FO_EIO, "instance metadata: role request answered HTTP %ld", resp.status);
    goto done;
  }
  n = strcspn(resp.body.data, "\r\n");
  if (n == 0 || n >= sizeof(role)) {
    err = fo_err_set(FO_EINVAL, "instance metadata: bad role name");
    goto done;
  }
  snprintf(role, sizeof(role), "%.*s", (int)n, resp.body.data);
  fo_aws_http_response_dispose(&resp);

  /* 3. the role's credentials */
  snprintf(url, sizeof(url), "%.*s/latest/meta-data/iam/security-credentials/%s", (int)blen, base, role);
  if ((err = imds_call(p, "GET", url, hs, &resp, 1)) < 0)
    goto done;
  if (resp.status != 200) {
    err = fo_err_set(FO_EIO, "instance metadata: credentials for role '%s' answered HTTP %ld", role, resp.status);
    goto done;
  }
  err = fo_aws_creds_from_http_json(out, &resp, "imds");
done:
  fo_aws_http_response_dispose(&resp);
  fo_aws_free_secret(token);
  return err;
}

static const fo_aws_creds_vtable imds_vt = {"imds", imds_get, fo_aws_creds_ctx_provider_destroy};

int fo_aws_creds_imds_new(fo_aws_creds_provider **out, const fo_aws_creds_ctx *ctx) {
  return fo_aws_creds_ctx_provider_new(out, &imds_vt, ctx);
}
