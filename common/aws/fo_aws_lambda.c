/* Lambda (rest-json, API 2015-03-31). */
#include "fo_aws_lambda.h"
#include "fo_aws_enc.h"
#include "fo_aws_paginate.h"
#include "fo_err.h"

#include <string.h>

int fo_aws_lambda_get_function(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *function) {
  fo_buf p = FO_BUF_INIT;
  int err;
  *out = NULL;
  if (!function || !*function)
    return fo_err_set(FO_EINVAL, "lambda: empty function name");
  if ((err = fo_buf_puts(&p, "/2015-03-31/functions/")) == 0 &&
      (err = fo_aws_uri_encode(&p, function, strlen(function), 0)) == 0)
    err = fo_aws_call_rest_json(out, c, cancel, &fo_aws_svc_lambda, "GetFunction", "GET", p.data, NULL, NULL);
  fo_buf_dispose(&p);
  return err;
}

int fo_aws_lambda_list_event_source_mappings(cJSON **out_array, fo_aws_client *c, const fo_cancel *cancel,
                                             const char *function) {
  fo_buf q = FO_BUF_INIT;
  int err;
  *out_array = NULL;
  if (!function || !*function)
    return fo_err_set(FO_EINVAL, "lambda: empty function name");
  if ((err = fo_aws_query_add(&q, "FunctionName", function)) == 0)
    err = fo_aws_paginate_rest_json(out_array, c, cancel, &fo_aws_svc_lambda, "ListEventSourceMappings",
                                    "/2015-03-31/event-source-mappings/", q.data, "EventSourceMappings", "Marker",
                                    "NextMarker");
  fo_buf_dispose(&q);
  return err;
}

int fo_aws_lambda_update_event_source_mapping(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *uuid,
                                              int enabled) {
  fo_buf p = FO_BUF_INIT;
  cJSON *body = NULL;
  int err;
  *out = NULL;
  if (!uuid || !*uuid)
    return fo_err_set(FO_EINVAL, "lambda: empty event source mapping UUID");
  if (!(body = cJSON_CreateObject()) || !cJSON_AddBoolToObject(body, "Enabled", enabled)) {
    cJSON_Delete(body);
    return fo_err_oom();
  }
  if ((err = fo_buf_puts(&p, "/2015-03-31/event-source-mappings/")) == 0 &&
      (err = fo_aws_uri_encode(&p, uuid, strlen(uuid), 0)) == 0)
    err = fo_aws_call_rest_json(out, c, cancel, &fo_aws_svc_lambda, "UpdateEventSourceMapping", "PUT", p.data, NULL,
                                body);
  cJSON_Delete(body);
  fo_buf_dispose(&p);
  return err;
}
