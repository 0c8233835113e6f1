/* libFuzzer target: the AWS XML response parser (rest-xml / query bodies ->
 * cJSON) and the XML error-body parser. Any input must give a result or a
 * clean error, never a crash, leak or unbounded work. */
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "fo_aws_error.h"
#include "fo_aws_json.h"
#include "fo_aws_xml.h"
#include "fo_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const lists[] = {"HostedZone", "ResourceRecordSet", "ResourceRecord", NULL};
  cJSON *doc = NULL;
  fo_aws_error e;

  if (fo_aws_xml_to_json(&doc, (const char *)data, size, lists) == 0) {
    /* walk what came out the way callers do */
    (void)fo_aws_json_list(doc, "ListHostedZonesResponse/HostedZones");
    (void)fo_aws_json_str(doc, "ErrorResponse/Error/Code");
    cJSON_Delete(doc);
  }
  fo_aws_error_parse(&e, FO_AWS_PROTO_QUERY, 400, (const char *)data, size, NULL, NULL);
  fo_err_clear();
  return 0;
}
