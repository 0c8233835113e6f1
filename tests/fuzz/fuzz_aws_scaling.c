/* libFuzzer target: the pilot light's readers of AWS answers: a DescribeNodegroup
 * "nodegroup" object (scaling facts, backing group) from JSON, and the
 * AutoScalingGroup objects of a DescribeAutoScalingGroups XML answer (sizes,
 * instances' lifecycle and health). The first byte picks the reader. */
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "fo_aws_autoscaling_scaling.h"
#include "fo_aws_eks_scaling.h"
#include "fo_aws_json.h"
#include "fo_aws_xml.h"
#include "fo_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data + 1;
  size_t len = size > 0 ? size - 1 : 0;
  cJSON *doc = NULL, *g;
  fo_aws_eks_scaling sc;
  fo_aws_asg_capacity cap;

  if (size == 0)
    return 0;
  if (data[0] % 2 == 0) {
    if (fo_aws_json_parse(&doc, text, len) == 0) {
      (void)fo_aws_eks_scaling_of(&sc, cJSON_GetObjectItemCaseSensitive(doc, "nodegroup"));
      (void)fo_aws_eks_scaling_of(&sc, doc);
      cJSON_Delete(doc);
    }
  } else if (fo_aws_xml_to_json(&doc, text, len, NULL) == 0) {
    cJSON_ArrayForEach(g, fo_aws_json_list(doc, "AutoScalingGroups"))(void) fo_aws_asg_capacity_of(&cap, g);
    (void)fo_aws_asg_capacity_of(&cap, doc);
    cJSON_Delete(doc);
  }
  fo_err_clear();
  return 0;
}
