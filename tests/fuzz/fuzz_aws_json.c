/* libFuzzer target: the AWS client's text inputs besides XML: JSON response
 * bodies (rest-json, ECS/IMDS credentials, credential_process output), JSON
 * error bodies with X-Amzn-ErrorType, and the shared config/credentials file
 * parser. The first byte picks the parser. */
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "fo_aws_creds.h"
#include "fo_aws_creds_sts.h"
#include "fo_aws_error.h"
#include "fo_aws_ini.h"
#include "fo_aws_json.h"
#include "fo_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data + 1;
  size_t len = size > 0 ? size - 1 : 0;
  cJSON *doc = NULL;
  fo_aws_credentials *c = NULL;
  fo_aws_ini *ini = NULL;
  fo_aws_error e;

  if (size == 0)
    return 0;
  switch (data[0] % 3) {
    case 0:
      if (fo_aws_json_parse(&doc, text, len) == 0) {
        if (fo_aws_creds_from_json(&c, doc, "fuzz") == 0)
          fo_aws_credentials_free(c);
        (void)fo_aws_json_str(doc, "cluster/status");
        fo_aws_json_delete_wiped(doc);
      }
      break;
    case 1:
      fo_aws_error_parse(&e, FO_AWS_PROTO_REST_JSON, 400, text, len, "ThrottlingException:http://x", NULL);
      break;
    default:
      if (fo_aws_ini_parse(&ini, text, len, "fuzz") == 0) {
        (void)fo_aws_ini_config_get(ini, "default", "region");
        (void)fo_aws_ini_get(ini, "default", "aws_access_key_id");
        fo_aws_ini_free(ini);
      }
  }
  fo_err_clear();
  return 0;
}
