/* Error bodies of the three AWS protocols -> fo_aws_error -> fo_err message. */
#include "fo_aws_error.h"
#include "fo_aws_json.h"
#include "fo_aws_xml.h"
#include "fo_err.h"
#include "fo_log.h"

#include <stdio.h>
#include <string.h>

static _Thread_local fo_aws_error last_error;

static void copy(char *dst, size_t cap, const char *src) {
  snprintf(dst, cap, "%s", src ? src : "");
}

/* "aws.protocol#Code:http://..." or "Code:..." -> "Code" */
static void clean_code(char *code) {
  char *p = strchr(code, ':'), *hash;
  if (p)
    *p = '\0';
  if ((hash = strrchr(code, '#')))
    memmove(code, hash + 1, strlen(hash + 1) + 1);
}

static void from_xml(fo_aws_error *out, const char *body, size_t len) {
  cJSON *doc = NULL, *err;
  const char *v;
  if (fo_aws_xml_to_json(&doc, body, len, NULL) < 0) {
    fo_err_clear();
    return;
  }
  /* query/Route53: <ErrorResponse><Error>..</Error><RequestId/></ErrorResponse>;
   * S3: <Error><Code/>..<RequestId/></Error> */
  err = fo_aws_json_get(doc, "ErrorResponse/Error");
  if (!err)
    err = fo_aws_json_get(doc, "Error");
  if (!err)
    err = fo_aws_json_get(doc, "ErrorResponse/Errors/Error"); /* moto's auth errors */
  if (!err)
    err = fo_aws_json_get(doc, "Response/Errors/Error"); /* EC2 style */
  if (err) {
    if ((v = fo_aws_json_str(err, "Code")))
      copy(out->code, sizeof(out->code), v);
    if ((v = fo_aws_json_str(err, "Message")))
      copy(out->message, sizeof(out->message), v);
    if ((v = fo_aws_json_str(err, "RequestId")))
      copy(out->request_id, sizeof(out->request_id), v);
  }
  if (!out->request_id[0] && (v = fo_aws_json_str(doc, "ErrorResponse/RequestId")))
    copy(out->request_id, sizeof(out->request_id), v);
  if (!out->request_id[0] && (v = fo_aws_json_str(doc, "Response/RequestID")))
    copy(out->request_id, sizeof(out->request_id), v);
  cJSON_Delete(doc);
}

static void from_json(fo_aws_error *out, const char *body, size_t len) {
  cJSON *doc = NULL;
  const char *v;
  if (fo_aws_json_parse(&doc, body, len) < 0) {
    fo_err_clear();
    return;
  }
  if (!out->code[0] && ((v = fo_aws_json_str(doc, "__type")) || (v = fo_aws_json_str(doc, "code")) ||
                        (v = fo_aws_json_str(doc, "Code"))))
    copy(out->code, sizeof(out->code), v);
  if ((v = fo_aws_json_str(doc, "message")) || (v = fo_aws_json_str(doc, "Message")) ||
      (v = fo_aws_json_str(doc, "errorMessage")))
    copy(out->message, sizeof(out->message), v);
  cJSON_Delete(doc);
}

void fo_aws_error_parse(fo_aws_error *out, fo_aws_protocol protocol, long status, const char *body, size_t len,
                        const char *errortype_header, const char *request_id_header) {
  memset(out, 0, sizeof(*out));
  out->status = status;
  if (request_id_header)
    copy(out->request_id, sizeof(out->request_id), request_id_header);
  if (errortype_header && *errortype_header)
    copy(out->code, sizeof(out->code), errortype_header);
  if (body && len > 0) {
    /* Some services answer errors in the other format (moto, gateways): sniff. */
    size_t i = 0;
    while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
      i++;
    if (i < len && body[i] == '<')
      from_xml(out, body + i, len - i);
    else if (i < len && body[i] == '{')
      from_json(out, body + i, len - i);
  }
  (void)protocol;
  clean_code(out->code);
  if (!out->code[0])
    snprintf(out->code, sizeof(out->code), "Http%ld", status);
}

int fo_aws_error_raise(const fo_aws_error *e) {
  char rid[160] = "";
  char msg[1600];
  if (e != &last_error)
    last_error = *e;
  /* callers build diagnostics from these parts too, not only from the message */
  fo_log_redact(last_error.message);
  fo_log_redact(last_error.code);
  if (e->request_id[0])
    snprintf(rid, sizeof(rid), ", request id %s", e->request_id);
  if (e->status > 0)
    snprintf(msg, sizeof(msg), "%s: %s: %s (HTTP %ld%s)", e->operation[0] ? e->operation : "aws", e->code,
             e->message[0] ? e->message : "no message", e->status, rid);
  else
    snprintf(msg, sizeof(msg), "%s: %s: %s", e->operation[0] ? e->operation : "aws", e->code,
             e->message[0] ? e->message : "no message");
  /* Service messages can echo request parts; never let a secret through. */
  fo_log_redact(msg);
  return fo_err_set(FO_EAWS, "%s", msg);
}

const fo_aws_error *fo_aws_last_error(void) {
  return &last_error;
}

void fo_aws_error_clear(void) {
  memset(&last_error, 0, sizeof(last_error));
}

int fo_aws_unreachable(int err) {
  const fo_aws_error *e = err == FO_EAWS ? fo_aws_last_error() : NULL;
  return err == FO_EIO || (e && (e->status >= 500 || e->status == 0));
}
