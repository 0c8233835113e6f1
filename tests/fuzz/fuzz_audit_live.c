/* libFuzzer target: the live collectors' readers of AWS responses (EKS cluster / add-on / node group, a Backup
 * plan, a vault's recovery points), then the same snapshot on both sides through every live side check and the
 * differ. The first byte picks the reader; the rest is the JSON document the AWS client would hand over. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fo_audit_collector.h"
#include "fo_audit_diff.h"
#include "fo_audit_live.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const fo_audit_collector *const live[] = {&fo_audit_collector_eks, &fo_audit_collector_backup,
                                                   &fo_audit_collector_route53};
  fo_audit_snapshot *a = NULL, *b = NULL;
  fo_audit_result *r = NULL;
  cJSON *doc;
  int mode;
  if (size < 1)
    return 0;
  mode = data[0] % 5;
  if (!(doc = cJSON_ParseWithLength((const char *)data + 1, size - 1)))
    return 0;
  if (!(r = fo_audit_result_new()) || fo_audit_snapshot_new(&a, "primary", NULL, "us-east-1", NULL) < 0 ||
      fo_audit_snapshot_new(&b, "secondary", NULL, "us-east-2", NULL) < 0)
    goto done;
  for (int side = 0; side < 2; side++) {
    fo_audit_snapshot *s = side ? b : a;
    const char *region = side ? "us-east-2" : "us-east-1";
    int err;
    switch (mode) {
      case 0:
        err = fo_audit_eks_response(s, "cluster", "c", doc, NULL);
        break;
      case 1:
        err = fo_audit_eks_response(s, "addon", "vpc-cni", doc, NULL);
        break;
      case 2:
        err = fo_audit_eks_response(s, "nodegroup", "workers", doc, "w*");
        break;
      case 3:
        err = fo_audit_backup_plan_response(s, "p", doc, region);
        break;
      default:
        err = fo_audit_backup_freshness(s, doc, "v", side, 1700000000, 26);
        break;
    }
    if (err < 0)
      goto done;
    for (size_t i = 0; i < sizeof live / sizeof live[0]; i++)
      if (fo_audit_snapshot_add_source(s, live[i]->name, "ok", "x", NULL) < 0)
        goto done;
  }
  {
    const fo_audit_snapshot *both[2] = {a, b};
    for (size_t i = 0; i < sizeof live / sizeof live[0]; i++)
      for (size_t k = 0; k < live[i]->nsidechecks; k++)
        if (live[i]->sidechecks[k].run(r, both, live[i]->sidechecks[k].name) < 0)
          goto done;
  }
  if (fo_audit_snapshots_normalize(a, b, NULL) == 0)
    fo_audit_diff(r, a, b, NULL);
done:
  cJSON_Delete(doc);
  fo_audit_result_free(r);
  fo_audit_snapshot_free(a);
  fo_audit_snapshot_free(b);
  return 0;
}
