/* STS AssumeRole / AssumeRoleWithWebIdentity for credential providers. */
#include "fo_aws_creds_sts.h"
#include "fo_aws_enc.h"
#include "fo_aws_engine.h"
#include "fo_aws_json.h"
#include "fo_aws_xml.h"
#include "fo_buf.h"
#include "fo_err.h"

#include <stdio.h>
#include <string.h>

int fo_aws_creds_from_json(fo_aws_credentials **out, const void *obj, const char *label) {
  const cJSON *o = obj;
  const char *ak = fo_aws_json_str(o, "AccessKeyId");
  const char *sk = fo_aws_json_str(o, "SecretAccessKey");
  const char *tok = fo_aws_json_str(o, "SessionToken");
  const char *exp = fo_aws_json_str(o, "Expiration");
  time_t t = 0;
  int err;
  if (!tok)
    tok = fo_aws_json_str(o, "Token");
  if (!ak || !sk)
    return fo_err_set(FO_EINVAL, "%s: response has no AccessKeyId/SecretAccessKey", label);
  if (exp && (err = fo_aws_parse_time(&t, exp)) < 0)
    return fo_err_wrap(err, "%s: Expiration", label);
  return fo_aws_credentials_new(out, ak, sk, tok, t, label);
}

int fo_aws_creds_sts_assume(fo_aws_credentials **out, const fo_aws_creds_ctx *ctx, const fo_cancel *cancel,
                            const fo_aws_credentials *source, const char *web_identity_token, const char *role_arn,
                            const char *session_name, const char *external_id, long duration_seconds,
                            const char *label) {
  const char *action = source ? "AssumeRole" : "AssumeRoleWithWebIdentity";
  static const fo_aws_header form_ct[] = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  fo_buf body = FO_BUF_INIT;
  fo_aws_http_response resp;
  fo_aws_request req;
  cJSON *doc = NULL;
  char path[160], dur[32];
  int err;

  *out = NULL;
  if (!ctx || !ctx->engine)
    return fo_err_set(FO_EINVAL, "%s: no AWS engine to call STS with", label);
  memset(&resp, 0, sizeof(resp));
  if ((err = fo_aws_form_append(&body, "Action", action)) < 0 ||
      (err = fo_aws_form_append(&body, "Version", fo_aws_svc_sts.api_version)) < 0 ||
      (err = fo_aws_form_append(&body, "RoleArn", role_arn)) < 0 ||
      (err = fo_aws_form_append(&body, "RoleSessionName", session_name && *session_name ? session_name : "failover")) <
          0)
    goto done;
  if (duration_seconds > 0) {
    snprintf(dur, sizeof(dur), "%ld", duration_seconds);
    if ((err = fo_aws_form_append(&body, "DurationSeconds", dur)) < 0)
      goto done;
  }
  if (external_id && *external_id && (err = fo_aws_form_append(&body, "ExternalId", external_id)) < 0)
    goto done;
  if (!source && (err = fo_aws_form_append(&body, "WebIdentityToken", web_identity_token)) < 0)
    goto done;

  memset(&req, 0, sizeof(req));
  req.svc = &fo_aws_svc_sts;
  req.operation = action;
  req.region = ctx->region && *ctx->region ? ctx->region : "us-east-1";
  req.method = "POST";
  req.path = "/";
  req.headers = form_ct;
  req.n_headers = 1;
  req.body = body.data;
  req.body_len = body.len;
  req.creds = source;
  req.secret_request_body = !source;
  req.secret_response_body = 1;
  if ((err = fo_aws_engine_send(ctx->engine, cancel, &req, &resp)) < 0) {
    err = fo_err_wrap(err, "%s", label);
    goto done;
  }
  if ((err = fo_aws_xml_to_json(&doc, resp.body.data, resp.body.len, NULL)) < 0) {
    err = fo_err_wrap(err, "%s: STS %s", label, action);
    goto done;
  }
  snprintf(path, sizeof(path), "%sResponse/%sResult/Credentials", action, action);
  err = fo_aws_creds_from_json(out, fo_aws_json_get(doc, path), label);
done:
  fo_aws_json_delete_wiped(doc);
  fo_aws_http_response_dispose(&resp);
  fo_buf_wipe(&body);
  return err;
}
