/* collect_eks: a live EKS cluster of a side through the EKS API: the cluster's Kubernetes and platform
 * versions, its add-ons (version, configuration values) and managed node groups (release version, AMI type,
 * instance types, labels, taints). Scaling sizes are kept beside the compared attributes: under pilot light they
 * differ by design; a pilot-light group running in the secondary while the primary is healthy is a side check. */
#include "fo_audit_collector.h"
#include "fo_audit_glob.h"
#include "fo_audit_live.h"
#include "fo_audit_json.h"
#include "fo_audit_sidecheck.h"
#include "fo_aws_eks.h"
#include "fo_buf.h"
#include "fo_err.h"

#include <stdlib.h>
#include <string.h>

/* sides.<side>.eks_cluster / eks_pilot_light_nodegroups */
typedef struct eks_cfg {
  char *cluster;     /* the cluster name in this side's region */
  char *pilot_light; /* glob over node group names kept at zero in the secondary until a failover */
} eks_cfg;

static const char *const eks_keys[] = {"eks_cluster", "eks_pilot_light_nodegroups", NULL};

static int eks_parse_key(void **state, const char *key, const fo_audit_yaml *node) {
  eks_cfg *c = *state;
  if (!c && !(c = *state = calloc(1, sizeof *c)))
    return fo_err_oom();
  return fo_audit_yaml_string(node, key, !strcmp(key, "eks_cluster") ? &c->cluster : &c->pilot_light);
}

static void eks_free_cfg(void *state) {
  eks_cfg *c = state;
  if (!c)
    return;
  free(c->cluster);
  free(c->pilot_light);
  free(c);
}

static const char *eks_location(const fo_audit_collect_ctx *ctx) {
  const eks_cfg *c = ctx->source_cfg;
  return c ? c->cluster : NULL;
}

static const char *ostr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Copy field `k` of `from` into `to` (null when absent), so an absent field on one side shows as a difference. */
static int copy_field(cJSON *to, const cJSON *from, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, k);
  cJSON *d = v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
  if (!d || !cJSON_AddItemToObject(to, k, d)) {
    cJSON_Delete(d);
    return fo_err_oom();
  }
  return 0;
}

typedef struct sort_item {
  char *text; /* the element's compact JSON */
  cJSON *item;
} sort_item;

static int cmp_item(const void *a, const void *b) {
  return strcmp(((const sort_item *)a)->text, ((const sort_item *)b)->text);
}

/* Sort an array by each element's compact JSON: instance types and taints are sets, the API's order is not. */
static int sort_array(cJSON *arr) {
  int n = cJSON_GetArraySize(arr), err = 0;
  sort_item *v;
  if (!cJSON_IsArray(arr) || n < 2)
    return 0;
  if (!(v = calloc((size_t)n, sizeof *v)))
    return fo_err_oom();
  for (int i = 0; i < n; i++) {
    v[i].item = cJSON_DetachItemFromArray(arr, 0);
    if (!(v[i].text = cJSON_PrintUnformatted(v[i].item)))
      err = fo_err_oom();
  }
  if (err == 0)
    qsort(v, (size_t)n, sizeof *v, cmp_item);
  for (int i = 0; i < n; i++) {
    cJSON_AddItemToArray(arr, v[i].item); /* cannot fail for a detached item */
    cJSON_free(v[i].text);
  }
  free(v);
  return err;
}

static int add_obj(cJSON **o, fo_audit_snapshot *snap, const char *key, const char *kind, const char *name) {
  int err;
  if ((err = fo_audit_snapshot_add_object(o, snap, key, "eks")) < 0)
    return err;
  if (!cJSON_AddStringToObject(*o, "kind", kind) || !cJSON_AddStringToObject(*o, "name", name))
    return fo_err_oom();
  return 0;
}

static int add_cluster(fo_audit_snapshot *snap, const char *cluster, const cJSON *cl) {
  cJSON *o, *a;
  const char *status = ostr(cl, "status");
  int err;
  if ((err = add_obj(&o, snap, "eks/cluster", "eks_cluster", cluster)) < 0)
    return err;
  a = cJSON_GetObjectItemCaseSensitive(o, "attributes");
  if ((err = copy_field(a, cl, "version")) < 0 || (err = copy_field(a, cl, "platformVersion")) < 0)
    return err;
  if (!cJSON_AddStringToObject(o, "status", status ? status : "UNKNOWN"))
    return fo_err_oom();
  return 0;
}

static int add_addon(fo_audit_snapshot *snap, const char *name, const cJSON *ad) {
  fo_buf key = FO_BUF_INIT;
  cJSON *o;
  int err;
  if ((err = fo_buf_printf(&key, "eks/addon/%s", name)) == 0 &&
      (err = add_obj(&o, snap, key.data, "eks_addon", name)) == 0 &&
      (err = copy_field(cJSON_GetObjectItemCaseSensitive(o, "attributes"), ad, "addonVersion")) == 0)
    err = copy_field(cJSON_GetObjectItemCaseSensitive(o, "attributes"), ad, "configurationValues");
  fo_buf_dispose(&key);
  return err;
}

static int add_nodegroup(fo_audit_snapshot *snap, const char *name, const cJSON *ng, const char *pilot_light) {
  static const char *const fields[] = {"releaseVersion", "amiType", "instanceTypes",
                                       "capacityType",   "labels",  "taints"};
  const cJSON *sc = cJSON_GetObjectItemCaseSensitive(ng, "scalingConfig");
  const char *status = ostr(ng, "status");
  fo_buf key = FO_BUF_INIT;
  cJSON *o, *a, *dst;
  int err;
  if ((err = fo_buf_printf(&key, "eks/nodegroup/%s", name)) < 0 ||
      (err = add_obj(&o, snap, key.data, "eks_nodegroup", name)) < 0)
    goto done;
  a = cJSON_GetObjectItemCaseSensitive(o, "attributes");
  for (size_t i = 0; i < sizeof fields / sizeof fields[0] && err == 0; i++)
    err = copy_field(a, ng, fields[i]);
  if (err == 0)
    err = sort_array(cJSON_GetObjectItemCaseSensitive(a, "instanceTypes"));
  if (err == 0)
    err = sort_array(cJSON_GetObjectItemCaseSensitive(a, "taints"));
  /* beside the attributes: not compared (pilot light), read by the side check */
  if (err == 0 && (!(dst = cJSON_IsObject(sc) ? cJSON_Duplicate(sc, 1) : cJSON_CreateObject()) ||
                   !cJSON_AddItemToObject(o, "scaling", dst) ||
                   !cJSON_AddStringToObject(o, "status", status ? status : "UNKNOWN") ||
                   !cJSON_AddBoolToObject(o, "pilot_light", pilot_light && fo_audit_glob_match(pilot_light, name))))
    err = fo_err_oom();
done:
  fo_buf_dispose(&key);
  return err;
}

int fo_audit_eks_response(fo_audit_snapshot *snap, const char *what, const char *name, const cJSON *doc,
                          const char *pilot_light) {
  if (!strcmp(what, "cluster"))
    return add_cluster(snap, name, doc);
  if (!strcmp(what, "addon"))
    return add_addon(snap, name, doc);
  return add_nodegroup(snap, name, doc, pilot_light);
}

static int read_cluster(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const char *cluster) {
  cJSON *cl = NULL;
  int err;
  if ((err = fo_aws_eks_describe_cluster(&cl, ctx->aws, ctx->cancel, cluster)) == 0)
    err = add_cluster(snap, cluster, cl);
  cJSON_Delete(cl);
  return err;
}

static int read_addons(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const char *cluster) {
  cJSON *names = NULL, *n;
  int err;
  if ((err = fo_aws_eks_list_addons(&names, ctx->aws, ctx->cancel, cluster)) < 0)
    return err;
  cJSON_ArrayForEach(n, names) {
    cJSON *ad = NULL;
    if (!cJSON_IsString(n))
      continue;
    if ((err = fo_aws_eks_describe_addon(&ad, ctx->aws, ctx->cancel, cluster, n->valuestring)) == 0)
      err = add_addon(snap, n->valuestring, ad);
    cJSON_Delete(ad);
    if (err < 0)
      break;
  }
  cJSON_Delete(names);
  return err;
}

static int read_nodegroups(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap, const eks_cfg *c) {
  cJSON *names = NULL, *n;
  int err;
  if ((err = fo_aws_eks_list_nodegroups(&names, ctx->aws, ctx->cancel, c->cluster)) < 0)
    return err;
  cJSON_ArrayForEach(n, names) {
    cJSON *ng = NULL;
    if (!cJSON_IsString(n))
      continue;
    if ((err = fo_aws_eks_describe_nodegroup(&ng, ctx->aws, ctx->cancel, c->cluster, n->valuestring)) == 0)
      err = add_nodegroup(snap, n->valuestring, ng, c->pilot_light);
    cJSON_Delete(ng);
    if (err < 0)
      break;
  }
  cJSON_Delete(names);
  return err;
}

static int eks_collect(const fo_audit_collect_ctx *ctx, fo_audit_snapshot *snap) {
  const eks_cfg *c = ctx->source_cfg;
  int err;
  if (!ctx->aws)
    return fo_err_set(FO_EINVAL, "eks: no AWS client for this side");
  if ((err = read_cluster(ctx, snap, c->cluster)) < 0 || (err = read_addons(ctx, snap, c->cluster)) < 0 ||
      (err = read_nodegroups(ctx, snap, c)) < 0)
    return err;
  return 0;
}

/* ---- side check: a pilot-light group running in the secondary while the primary is healthy ------------- */

static double desired(const cJSON *o) {
  const cJSON *d = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "scaling"), "desiredSize");
  return cJSON_IsNumber(d) ? d->valuedouble : 0;
}

/* The primary is healthy when its cluster is ACTIVE and some node group is ACTIVE with nodes wanted. */
static int primary_healthy(const fo_audit_snapshot *p) {
  const cJSON *o, *cl = cJSON_GetObjectItemCaseSensitive(p->objects, "eks/cluster");
  const char *st = ostr(cl, "status");
  if (!st || strcmp(st, "ACTIVE") != 0)
    return 0;
  cJSON_ArrayForEach(o, p->objects) {
    const char *kind = ostr(o, "kind"), *ns = ostr(o, "status");
    if (kind && !strcmp(kind, "eks_nodegroup") && ns && !strcmp(ns, "ACTIVE") && desired(o) > 0)
      return 1;
  }
  return 0;
}

static int run_pilot_light(fo_audit_result *r, const fo_audit_snapshot *snaps[2], const char *check) {
  const cJSON *o;
  if (!snaps[0] || !snaps[1] || !primary_healthy(snaps[0]))
    return 0;
  cJSON_ArrayForEach(o, snaps[1]->objects) {
    const char *kind = ostr(o, "kind");
    char val[64], msg[200];
    int err;
    if (!kind || strcmp(kind, "eks_nodegroup") != 0 ||
        !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "pilot_light")) || desired(o) <= 0)
      continue;
    snprintf(val, sizeof val, "%.0f", desired(o));
    snprintf(msg, sizeof msg,
             "pilot-light node group is running in the secondary (desiredSize %.0f) while the primary is healthy",
             desired(o));
    if ((err = fo_audit_sidecheck_add(r, "eks.pilot-light-active", check, o->string, o, "scaling.desiredSize",
                                      FO_AUDIT_SIDE_SECONDARY, val, msg)) < 0)
      return err;
  }
  return 0;
}

static const fo_audit_sidecheck eks_sidechecks[] = {{"eks_pilot_light", run_pilot_light}};

#define MM   FO_AUDIT_RULE_MUST_MATCH
#define SC   FO_AUDIT_RULE_SIDE_CHECK
#define ERR  FO_AUDIT_SEV_ERROR
#define WARN FO_AUDIT_SEV_WARNING

/* docs/audit-rules.md, "EKS (live)". The two version rules are the Terraform state collector's too, with the
 * same ids: the same drift whichever source saw it, so expected_differences entries keep working. */
static const fo_audit_rule eks_rules[] = {
    {"eks.version-differs", MM, ERR, FO_AUDIT_STEP_CLUSTER_VERSIONS, "EKS cluster version differs",
     "upgrade the secondary cluster to the primary's Kubernetes version before the next failover test"},
    {"eks.addon-version-differs", MM, ERR, FO_AUDIT_STEP_ADDONS, "EKS add-on version differs",
     "set the same addon_version for the add-on in both regions"},
    {"eks.platform-version-differs", MM, WARN, FO_AUDIT_STEP_CLUSTER_VERSIONS, "EKS platform version differs",
     "EKS rolls platform versions per region; check that both clusters reached the same eks.N"},
    {"eks.addon-missing", MM, ERR, FO_AUDIT_STEP_ADDONS, "EKS add-on installed on one side only",
     "install the add-on in the other region's cluster (same version and configuration)"},
    {"eks.addon-config-differs", MM, ERR, FO_AUDIT_STEP_ADDONS, "EKS add-on configuration values differ",
     "set the same configuration_values for the add-on in both regions"},
    {"eks.nodegroup-missing", MM, ERR, FO_AUDIT_STEP_CLUSTER_VERSIONS, "EKS managed node group on one side only",
     "create the node group in the other region (at zero nodes under pilot light)"},
    {"eks.nodegroup-release-differs", MM, ERR, FO_AUDIT_STEP_CLUSTER_VERSIONS,
     "EKS node group release version or AMI type differs",
     "update the lagging node group to the same AMI release (update-nodegroup-version)"},
    {"eks.nodegroup-differs", MM, ERR, FO_AUDIT_STEP_CLUSTER_VERSIONS,
     "EKS node group instance types, labels or taints differ",
     "give the node group the same instance types, labels and taints in both regions"},
    {"eks.pilot-light-active", SC, ERR, FO_AUDIT_STEP_CLUSTER_VERSIONS,
     "Pilot-light node group running in the secondary while the primary is healthy",
     "scale the secondary's pilot-light node group back to zero (or finish the failover that started it)"},
};

static const fo_audit_rule_match eks_matches[] = {
    {FO_AUDIT_ON_MISSING, "eks/addon/*", NULL, NULL, 0, "eks.addon-missing", NULL, "add-on only in primary",
     "add-on only in secondary"},
    {FO_AUDIT_ON_MISSING, NULL, NULL, NULL, 0, "eks.nodegroup-missing", NULL, "node group only in primary",
     "node group only in secondary"},
    {FO_AUDIT_ON_DIFFERS, "eks/cluster", NULL, "version", 0, "eks.version-differs", "EKS Kubernetes version differs",
     NULL, NULL},
    {FO_AUDIT_ON_DIFFERS, "eks/cluster", NULL, NULL, 0, "eks.platform-version-differs", "EKS platform version differs",
     NULL, NULL},
    {FO_AUDIT_ON_DIFFERS, "eks/addon/*", NULL, "addonVersion", 0, "eks.addon-version-differs",
     "EKS add-on version differs", NULL, NULL},
    {FO_AUDIT_ON_DIFFERS, "eks/addon/*", NULL, NULL, 0, "eks.addon-config-differs",
     "EKS add-on configuration values differ", NULL, NULL},
    {FO_AUDIT_ON_DIFFERS, "eks/nodegroup/*", NULL, "releaseVersion", 0, "eks.nodegroup-release-differs",
     "node group release version differs", NULL, NULL},
    {FO_AUDIT_ON_DIFFERS, "eks/nodegroup/*", NULL, "amiType", 0, "eks.nodegroup-release-differs",
     "node group AMI type differs", NULL, NULL},
    {FO_AUDIT_ON_DIFFERS, NULL, NULL, NULL, 0, "eks.nodegroup-differs", "node group differs between the sides", NULL,
     NULL},
};

static const fo_audit_step_match eks_steps[] = {
    {"eks_addon", FO_AUDIT_STEP_ADDONS},
    {NULL, FO_AUDIT_STEP_CLUSTER_VERSIONS},
};

const fo_audit_collector fo_audit_collector_eks = {
    .name = "eks",
    .side_keys = eks_keys,
    .parse_key = eks_parse_key,
    .free_cfg = eks_free_cfg,
    .location = eks_location,
    .collect = eks_collect,
    .rules = eks_rules,
    .nrules = sizeof eks_rules / sizeof eks_rules[0],
    .matches = eks_matches,
    .nmatches = sizeof eks_matches / sizeof eks_matches[0],
    .steps = eks_steps,
    .sidechecks = eks_sidechecks,
    .nsidechecks = 1,
    .live = fo_audit_live_aws,
};
