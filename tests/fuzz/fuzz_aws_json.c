/* libFuzzer target: the AWS client's text inputs besides XML: JSON response
 * bodies (rest-json, ECS/IMDS credentials, credential_process output), JSON
 * error bodies with X-Amzn-ErrorType, and the shared config/credentials file
 * parser, and the date headers (Date, Retry-After) and timestamps. The first
 * byte picks the parser (0xff: dates, so older seeds keep their meaning). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fo_aws_creds.h"
#include "fo_aws_creds_sts.h"
#include "fo_aws_enc.h"
#include "fo_aws_error.h"
#include "fo_aws_ini.h"
#include "fo_aws_json.h"
#include "fo_aws_retry.h"
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
  if (data[0] == 0xff) {
    /* header values arrive NUL-terminated and cut at their field size */
    char v[256];
    time_t t;
    fo_aws_retry_policy p;
    memcpy(v, text, len < sizeof(v) - 1 ? len : sizeof(v) - 1);
    v[len < sizeof(v) - 1 ? len : sizeof(v) - 1] = '\0';
    (void)fo_aws_parse_time(&t, v);
    (void)fo_aws_parse_http_date(&t, v);
    fo_aws_retry_init(&p, 3, 0, 0);
    (void)fo_aws_retry_delay_ms(&p, 1, v, 1700000000);
    fo_aws_retry_dispose(&p);
    fo_err_clear();
    return 0;
  }
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
