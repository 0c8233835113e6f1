/* libFuzzer target: a ListResourceRecordSets response (XML) read into record
 * sets the way failover_weight_pair reads them, and record names normalized.
 * Any input must give record sets or a clean error, never a crash or leak. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fo_aws_route53_rrset.h"
#include "fo_aws_xml.h"
#include "fo_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cJSON *doc = NULL;
  fo_aws_route53_rrset *list = NULL;
  size_t n = 0;
  char *name;

  if (fo_aws_xml_to_json(&doc, (const char *)data, size, fo_aws_route53_rrset_list_names()) == 0) {
    if (fo_aws_route53_rrsets_parse(&list, &n, doc) == 0) {
      for (size_t i = 0; i < n; i++)
        (void)fo_aws_route53_rrset_find(list, n, list[i].set_identifier);
      fo_aws_route53_rrsets_free(list, n);
    }
    cJSON_Delete(doc);
  }
  /* the name normalizer takes outside text too (octal escapes, case, dots) */
  name = malloc(size + 1);
  if (name) {
    memcpy(name, data, size);
    name[size] = '\0';
    free(fo_aws_route53_fqdn(name));
    free(name);
  }
  fo_err_clear();
  return 0;
}
