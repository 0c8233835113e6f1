/* SQS (query protocol, API 2012-11-05). */
#include "fo_aws_sqs.h"
#include "fo_aws_json.h"
#include "fo_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One {"Name", "Value"} pair into `out`. */
static int add_pair(cJSON *out, const cJSON *pair) {
  const char *name = fo_aws_json_str(pair, "Name"), *value = fo_aws_json_str(pair, "Value");
  if (!name)
    return 0;
  cJSON_DeleteItemFromObjectCaseSensitive(out, name);
  return cJSON_AddStringToObject(out, name, value ? value : "") ? 0 : fo_err_oom();
}

int fo_aws_sqs_get_queue_attributes(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *queue_url,
                                    const char *const *names, size_t n) {
  fo_aws_param ps[FO_AWS_SQS_MAX_ATTRIBUTES + 1];
  char keys[FO_AWS_SQS_MAX_ATTRIBUTES][32];
  cJSON *doc = NULL, *res = NULL, *item;
  int err;

  *out = NULL;
  if (!queue_url || !*queue_url)
    return fo_err_set(FO_EINVAL, "sqs: empty queue URL");
  if (n > FO_AWS_SQS_MAX_ATTRIBUTES)
    return fo_err_set(FO_ELIMIT, "sqs: at most %d attribute names per call", FO_AWS_SQS_MAX_ATTRIBUTES);
  ps[0].name = "QueueUrl";
  ps[0].value = queue_url;
  for (size_t i = 0; i < n; i++) {
    snprintf(keys[i], sizeof keys[i], "AttributeName.%zu", i + 1);
    ps[i + 1].name = keys[i];
    ps[i + 1].value = names[i];
  }
  if (n == 0) {
    ps[1].name = "AttributeName.1";
    ps[1].value = "All";
  }
  if ((err = fo_aws_call_query(&doc, c, cancel, &fo_aws_svc_sqs, "GetQueueAttributes", ps, n ? n + 1 : 2, NULL)) < 0)
    return err;
  if (!(res = cJSON_CreateObject())) {
    cJSON_Delete(doc);
    return fo_err_oom();
  }
  /* repeated <Attribute> elements: an array, one alone: an object (not listed as a list name: the converter
   * would make the whole result the list, and the client keeps only an object result) */
  item = fo_aws_json_list(doc, "Attribute");
  if (item && cJSON_IsArray(item)) {
    const cJSON *pair;
    cJSON_ArrayForEach(pair, item) if ((err = add_pair(res, pair)) < 0) break;
  } else if ((item = fo_aws_json_get(doc, "Attribute")) && cJSON_IsObject(item)) {
    err = add_pair(res, item);
  }
  cJSON_Delete(doc);
  if (err < 0) {
    cJSON_Delete(res);
    return err;
  }
  *out = res;
  return 0;
}

long fo_aws_sqs_attribute_count(const cJSON *attrs, const char *name) {
  const char *v = fo_aws_json_str(attrs, name);
  char *end;
  long n;
  if (!v || !*v)
    return -1;
  n = strtol(v, &end, 10);
  return *end || n < 0 ? -1 : n;
}
