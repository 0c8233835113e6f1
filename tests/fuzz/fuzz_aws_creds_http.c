/* libFuzzer target: the credential endpoints' answers. First byte picks: the ECS/IMDS credentials JSON
 * (fo_aws_creds_from_http_json, as the providers call it on a 200 body), or an IMDS token / role name / ECS URI
 * through the checks that guard headers, URL paths and hosts. No socket is opened. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fo_aws_creds.h"
#include "fo_aws_creds_http.h"
#include "fo_aws_creds_parse.h"
#include "fo_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fo_aws_http_response resp;
  fo_aws_credentials *c = NULL;
  char *text;

  if (size == 0)
    return 0;
  /* the body as the HTTP layer hands it over: NUL-terminated, length known */
  if (!(text = malloc(size)))
    return 0;
  memcpy(text, data + 1, size - 1);
  text[size - 1] = '\0';
  switch (data[0] % 4) {
    case 0:
      memset(&resp, 0, sizeof(resp));
      resp.status = 200;
      resp.body.data = text;
      resp.body.len = size - 1;
      if (fo_aws_creds_from_http_json(&c, &resp, data[0] & 4 ? "imds" : "ecs") == 0)
        fo_aws_credentials_free(c);
      break;
    case 1:
      (void)fo_aws_check_header_value(text, 1024, "token");
      break;
    case 2:
      (void)fo_aws_check_path_segment(text, 128, "role");
      break;
    default:
      (void)fo_aws_check_url(text, data[0] & 4, "uri");
  }
  free(text);
  fo_err_clear();
  return 0;
}
