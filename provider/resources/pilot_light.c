/* failover_pilot_light: an EKS managed node group or an Auto Scaling group held
 * at its standby size and scaled to its active size on activation (schema, plan, CRUD). */
#include <stdio.h>
#include <string.h>

#include "fo_aws_autoscaling.h"
#include "fo_aws_autoscaling_scaling.h"
#include "fo_aws_eks.h"
#include "fo_aws_eks_scaling.h"
#include "fo_aws_json.h"
#include "fo_aws_wait.h"
#include "fo_clock.h"
#include "fo_err.h"
#include "fo_provider.h"
#include "fo_resources.h"
#include "fo_timeouts.h"
#include "fo_validators.h"

/* ---- schema ------------------------------------------------------------------ */

static const char *const modes[] = {"standby", "active", NULL};
static const char *const side_names[] = {"primary", "secondary", NULL};
static const char *const on_destroy_values[] = {"standby", "leave", NULL};
static const char *const unreachable_values[] = {"warn", "fail", NULL};
static const int64_t size_range[2] = {0, 100000};
static const int64_t percent_range[2] = {1, 1000};
static const size_t name_len[2] = {1, 255};

static const fo_attr target_attrs[] = {
    {.name = "cluster_name",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_REQUIRES_REPLACE,
     .description = "EKS cluster of the managed node group (with node_group_name).",
     .markdown = "EKS cluster of the managed node group (together with `node_group_name`).",
     .validators = {{fo_validate_length, name_len}}},
    {.name = "node_group_name",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_REQUIRES_REPLACE,
     .description = "Name of the EKS managed node group (with cluster_name).",
     .markdown = "Name of the EKS managed node group (together with `cluster_name`).",
     .validators = {{fo_validate_length, name_len}}},
    {.name = "autoscaling_group_name",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_REQUIRES_REPLACE,
     .description = "Name of an EC2 Auto Scaling group (instead of a node group).",
     .markdown = "Name of an EC2 Auto Scaling group (instead of a node group), e.g. queue servers.",
     .validators = {{fo_validate_length, name_len}}},
};

static const fo_block target_block = {
    .attrs = target_attrs,
    .n_attrs = FO_COUNT(target_attrs),
    .description =
        "What is scaled: an EKS managed node group (cluster_name and node_group_name) or an Auto Scaling "
        "group (autoscaling_group_name), exactly one of the two.",
    .markdown =
        "What is scaled: an EKS managed node group (`cluster_name` and `node_group_name`) or an EC2 Auto "
        "Scaling group (`autoscaling_group_name`), exactly one of the two. A change replaces the resource.",
};

#define TARGET_REQUIRED \
  { .type_name = "target", .nesting = FO_NEST_SINGLE, .block = &target_block, .min_items = 1, .max_items = 1 }

static const fo_attr standby_attrs[] = {
    {.name = "min",
     .type = "\"number\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "Minimum size in standby.",
     .validators = {{fo_validate_int_range, size_range}}},
    {.name = "desired",
     .type = "\"number\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "Desired size in standby.",
     .validators = {{fo_validate_int_range, size_range}}},
    {.name = "max",
     .type = "\"number\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "Maximum size in standby.",
     .validators = {{fo_validate_int_range, size_range}}},
};

static const fo_block standby_block = {
    .attrs = standby_attrs,
    .n_attrs = FO_COUNT(standby_attrs),
    .description = "Sizes while mode is standby (default min 0, desired 0, max 1); min <= desired <= max.",
    .markdown =
        "Sizes while `mode` is `\"standby\"` (default `min = 0`, `desired = 0`, `max = 1`); "
        "`min <= desired <= max`. In standby any size above these is drift and is planned back.",
};

static const fo_attr active_attrs[] = {
    {.name = "min",
     .type = "\"number\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "Minimum size while active.",
     .validators = {{fo_validate_int_range, size_range}}},
    {.name = "desired",
     .type = "\"number\"",
     .flags = FO_ATTR_OPTIONAL,
     .description = "Desired size while active (a floor: an autoscaler may grow it); or use active_percent_of.",
     .markdown = "Desired size while active. It is a floor: an autoscaler (cluster-autoscaler, Karpenter, KEDA) "
                 "may grow the group up to `max` and that is not drift. Set either this or `active_percent_of`.",
     .validators = {{fo_validate_int_range, size_range}}},
    {.name = "max",
     .type = "\"number\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "Maximum size while active.",
     .validators = {{fo_validate_int_range, size_range}}},
};

static const fo_block active_block = {
    .attrs = active_attrs,
    .n_attrs = FO_COUNT(active_attrs),
    .description = "Sizes while mode is active; min <= desired <= max.",
    .markdown = "Sizes while `mode` is `\"active\"`; `min <= desired <= max`.",
};

static const fo_attr percent_attrs[] = {
    {.name = "percent",
     .type = "\"number\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "Active desired size as a percentage (1..1000) of the reference target's desired size, rounded up.",
     .markdown = "Active desired size as a percentage (1..1000) of the reference target's desired size, rounded up "
                 "and kept within `active.min`..`active.max`.",
     .validators = {{fo_validate_int_range, percent_range}}},
};

static const fo_block_type percent_blocks[] = {TARGET_REQUIRED};

static const fo_block percent_block = {
    .attrs = percent_attrs,
    .n_attrs = FO_COUNT(percent_attrs),
    .blocks = percent_blocks,
    .n_blocks = FO_COUNT(percent_blocks),
    .description = "Size the active desired count from a reference target in the other region, read at plan time.",
    .markdown =
        "Size the active desired count from a reference target in the **other** region (the side that is "
        "not `region`), read at plan time and on refresh, as ARC Region switch scales by the departing "
        "region's capacity. When the reference cannot be read (its region is down), the last value read "
        "(`reference_desired_size`) is used, with a warning.",
};

static const fo_attr pl_attrs[] = {
    {.name = "id",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "The target: cluster/nodegroup or the Auto Scaling group name.",
     .markdown = "The target: `cluster/nodegroup` or the Auto Scaling group name."},
    {.name = "region",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED | FO_ATTR_REQUIRES_REPLACE,
     .default_json = "\"secondary\"",
     .description = "Which side's AWS client acts on the target: primary or secondary (default secondary).",
     .markdown = "Which side's region (and AWS client) the target lives in: `\"primary\"` or `\"secondary\"` "
                 "(default `\"secondary\"`, where a pilot light usually burns).",
     .validators = {{fo_validate_one_of, side_names}}},
    {.name = "mode",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "standby or active: which sizes the target is held at.",
     .markdown = "`\"standby\"` or `\"active\"`: which sizes the target is held at. Typically derived from the "
                 "`failover_switch` (or weight pair) active side, so one variable drives the whole failover.",
     .validators = {{fo_validate_one_of, modes}}},
    {.name = "wait_for_capacity",
     .type = "\"bool\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "true",
     .description = "Wait until the desired number of nodes/instances is InService and healthy (default true).",
     .markdown = "After the scaling update succeeds, wait until the desired number of nodes/instances is running "
                 "and healthy (EKS: update `Successful`, node group `ACTIVE` and the backing Auto Scaling group's "
                 "instances `InService`/`Healthy`; Auto Scaling: instances `InService`/`Healthy`), bounded by "
                 "`timeouts`. Default `true`."},
    {.name = "autoscaler_node_template_tags",
     .type = "\"bool\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "false",
     .description = "Keep cluster-autoscaler node-template tags on the node group's Auto Scaling group in sync with "
                    "its labels and taints (node groups only; default false).",
     .markdown = "Keep the cluster-autoscaler node-template tags (`k8s.io/cluster-autoscaler/node-template/label/*`, "
                 "`.../taint/*`) on the node group's Auto Scaling group in sync with the node group's labels and "
                 "taints, so scale-up from zero works. Node group targets only; default `false`."},
    {.name = "on_destroy",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "\"standby\"",
     .description = "What destroy does: standby (return the target to its standby sizes, default) or leave.",
     .markdown = "What destroy does: `\"standby\"` (return the target to its standby sizes; default) or `\"leave\"` "
                 "(change nothing). The node group or group itself is never deleted.",
     .validators = {{fo_validate_one_of, on_destroy_values}}},
    {.name = "unreachable",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "\"warn\"",
     .description = "When the target's region does not answer during a scale-down: warn (record the intent, default) "
                    "or fail.",
     .markdown = "When the target's regional API does not answer (5xx after retries, no connection) during a "
                 "scale-down or a refresh: `\"warn\"` (default) warns, records the intent "
                 "(`pending_scale_down = true`) and plans the scale-down again; `\"fail\"` fails. A scale-up in an "
                 "unreachable region always fails.",
     .validators = {{fo_validate_one_of, unreachable_values}}},
    {.name = "min_size",
     .type = "\"number\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "The target's minimum size (planned from the mode's sizes; refreshed from AWS)."},
    {.name = "desired_size",
     .type = "\"number\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "The target's desired size (planned from the mode's sizes; while active a larger size set by an "
                    "autoscaler is kept)."},
    {.name = "max_size",
     .type = "\"number\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "The target's maximum size (planned from the mode's sizes; refreshed from AWS)."},
    {.name = "capacity_ready",
     .type = "\"bool\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "Whether the desired number of nodes/instances was InService and healthy when last seen."},
    {.name = "reference_desired_size",
     .type = "\"number\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "The reference target's desired size last read for active_percent_of (null without it)."},
    {.name = "node_template_tags",
     .type = "[\"map\",\"string\"]",
     .flags = FO_ATTR_COMPUTED,
     .description = "The cluster-autoscaler node-template tags on the node group's Auto Scaling group (null unless "
                    "autoscaler_node_template_tags)."},
    {.name = "pending_scale_down",
     .type = "\"bool\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "True when a scale-down was skipped because the region did not answer; the next plan repeats it."},
    {.name = "started_at",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "When the last scaling step started (RFC 3339, UTC); kept while the sizes do not change."},
    {.name = "finished_at",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "When that step finished: the capacity ready (or the sizes set without wait_for_capacity, or the "
                    "scale-down skipped in an unreachable region); null when it did not finish."},
};

/* fo_timeouts_block_type cannot be copied into a static initializer, so the
 * same block (read by fo_timeouts_seconds) is spelled out for the three waits. */
#define TIMEOUT_ATTR(op, what)                                                                             \
  {                                                                                                        \
    .name = op, .type = "\"string\"", .flags = FO_ATTR_OPTIONAL,                                           \
    .description = "How long " what " may wait for capacity, e.g. \"30m\" (default 20m).", .validators = { \
      {fo_validate_duration, NULL}                                                                         \
    }                                                                                                      \
  }
static const fo_attr timeout_attrs[] = {
    TIMEOUT_ATTR("create", "create"),
    TIMEOUT_ATTR("delete", "destroy (return to standby)"),
    TIMEOUT_ATTR("update", "an update (activation, scale-down)"),
};
static const fo_block timeouts_block = {
    .attrs = timeout_attrs, .n_attrs = FO_COUNT(timeout_attrs), .description = "Operation timeouts."};

/* An optional SINGLE block has min_items = max_items = 0 (Terraform requires them equal). */
static const fo_block_type pl_blocks[] = {
    TARGET_REQUIRED,
    {.type_name = "standby", .nesting = FO_NEST_SINGLE, .block = &standby_block, .min_items = 0, .max_items = 0},
    {.type_name = "active", .nesting = FO_NEST_SINGLE, .block = &active_block, .min_items = 1, .max_items = 1},
    {.type_name = "active_percent_of",
     .nesting = FO_NEST_SINGLE,
     .block = &percent_block,
     .min_items = 0,
     .max_items = 0},
    {.type_name = "timeouts", .nesting = FO_NEST_SINGLE, .block = &timeouts_block, .min_items = 0, .max_items = 0},
};

static const fo_schema pl_schema = {
    .version = 0,
    .block =
        {
            .attrs = pl_attrs,
            .n_attrs = FO_COUNT(pl_attrs),
            .blocks = pl_blocks,
            .n_blocks = FO_COUNT(pl_blocks),
            .description = "Holds an EKS managed node group or an Auto Scaling group at its standby size and scales it "
                           "to its active size on activation, waiting for capacity.",
            .markdown = "Holds an EKS managed node group or an EC2 Auto Scaling group at its standby size and scales "
                        "it to its active size on activation, waiting until the capacity is really there. It manages "
                        "scaling only: it never creates or deletes the node group or the group.",
        },
};

/* ---- values ------------------------------------------------------------------ */

#define DEFAULT_TIMEOUT_S (20 * 60)
#define TAG_PREFIX        "k8s.io/cluster-autoscaler/node-template/"
#define TAG_PREFIX_LABEL  TAG_PREFIX "label/"
#define TAG_PREFIX_TAINT  TAG_PREFIX "taint/"
#define POLL_INTERVAL_MS  1000
#define POLL_MAX_MS       15000
#define PROGRESS_EVERY_MS 10000
#define MAX_TAGS          64 /* labels + taints of one node group we mirror */

typedef struct pl_sizes {
  int64_t min, desired, max; /* desired -1: not given */
} pl_sizes;

typedef struct pl_target {
  const char *cluster, *nodegroup, *asg; /* borrowed from a value */
} pl_target;

/* The object at `name`, NULL when obj or it is null or unknown. */
static const fo_cty_value *sub(const fo_cty_value *obj, const char *name) {
  const fo_cty_value *v;
  if (!obj || !fo_cty_is_known(obj) || fo_cty_is_null(obj))
    return NULL;
  v = fo_cty_get_attr(obj, name);
  return v && fo_cty_is_known(v) && !fo_cty_is_null(v) ? v : NULL;
}

/* 1: known (out NULL when null); 0: unknown. */
static int get_str(const fo_cty_value *obj, const char *name, const char **out) {
  const fo_cty_value *v = obj && fo_cty_is_known(obj) && !fo_cty_is_null(obj) ? fo_cty_get_attr(obj, name) : NULL;
  *out = NULL;
  if (v && !fo_cty_is_known(v))
    return 0;
  if (obj && !fo_cty_is_known(obj))
    return 0;
  if (v && !fo_cty_is_null(v))
    *out = fo_cty_as_string(v, NULL);
  return 1;
}

/* 1: known (*out -1 when null); 0: unknown. */
static int get_int(const fo_cty_value *obj, const char *name, int64_t *out) {
  const fo_cty_value *v = obj && fo_cty_is_known(obj) && !fo_cty_is_null(obj) ? fo_cty_get_attr(obj, name) : NULL;
  *out = -1;
  if ((v && !fo_cty_is_known(v)) || (obj && !fo_cty_is_known(obj)))
    return 0;
  if (v && !fo_cty_is_null(v) && fo_cty_number_as_int64(v, out) < 0)
    *out = -1;
  return 1;
}

static int get_bool(const fo_cty_value *obj, const char *name, int dflt) {
  const fo_cty_value *v = sub(obj, name);
  return v ? fo_cty_as_bool(v) : dflt;
}

static int str_is(const fo_cty_value *obj, const char *name, const char *want) {
  const char *s;
  return get_str(obj, name, &s) && s && strcmp(s, want) == 0;
}

/* 1 when the target block is wholly known and names one kind; 0 otherwise. */
static int target_of(const fo_cty_value *block, pl_target *t) {
  memset(t, 0, sizeof(*t));
  if (!block || !fo_cty_is_wholly_known(block) || fo_cty_is_null(block))
    return 0;
  get_str(block, "cluster_name", &t->cluster);
  get_str(block, "node_group_name", &t->nodegroup);
  get_str(block, "autoscaling_group_name", &t->asg);
  if (t->asg && !t->cluster && !t->nodegroup)
    return 1;
  return !t->asg && t->cluster && t->nodegroup;
}

static int target_equal(const pl_target *a, const pl_target *b) {
#define SAME(x) ((!a->x && !b->x) || (a->x && b->x && strcmp(a->x, b->x) == 0))
  return SAME(cluster) && SAME(nodegroup) && SAME(asg);
#undef SAME
}

static void target_describe(const pl_target *t, char *out, size_t len) {
  if (t->asg)
    snprintf(out, len, "Auto Scaling group %s", t->asg);
  else
    snprintf(out, len, "node group %s/%s", t->cluster ? t->cluster : "?", t->nodegroup ? t->nodegroup : "?");
}

static fo_side side_of(const fo_cty_value *obj) {
  const char *s;
  fo_side side = FO_SIDE_SECONDARY;
  if (get_str(obj, "region", &s) && s)
    fo_side_parse(s, &side);
  return side;
}

static fo_cty_value *num_or_null(int64_t v) {
  if (v >= 0)
    return fo_cty_number_int(v);
  fo_cty_type *t = fo_cty_type_number();
  fo_cty_value *n = fo_cty_null(t);
  fo_cty_type_unref(t);
  return n;
}

/* ---- live facts ------------------------------------------------------------------ */

typedef struct pl_live {
  pl_sizes sizes;
  char status[32]; /* node group status ("" for groups) */
  char asg[256];   /* the group itself, or the node group's backing group ("" when none) */
  long ready, instances;
  cJSON *ng; /* node group object (labels, taints); NULL for groups */
} pl_live;

static void live_dispose(pl_live *l) {
  cJSON_Delete(l->ng);
  l->ng = NULL;
}

static int asg_facts(fo_aws_client *aws, const fo_cancel *cancel, const char *name, fo_aws_asg_capacity *cap) {
  cJSON *g = NULL;
  int err = fo_aws_autoscaling_describe_group(&g, aws, cancel, name);
  if (err < 0)
    return err;
  if (!g)
    return fo_err_set(FO_ENOTFOUND, "Auto Scaling group %s does not exist", name);
  err = fo_aws_asg_capacity_of(cap, g);
  cJSON_Delete(g);
  return err;
}

static int node_group_missing(int err) {
  const fo_aws_error *e = err == FO_EAWS ? fo_aws_last_error() : NULL;
  return e && strcmp(e->code, "ResourceNotFoundException") == 0;
}

/* Sizes, status and readiness of the target now. FO_ENOTFOUND when it does not exist. */
static int live_read(fo_aws_client *aws, const fo_cancel *cancel, const pl_target *t, int with_capacity, pl_live *out) {
  fo_aws_asg_capacity cap;
  int err;
  memset(out, 0, sizeof(*out));
  if (t->asg) {
    if ((err = asg_facts(aws, cancel, t->asg, &cap)) < 0)
      return err;
    out->sizes = (pl_sizes){cap.min_size, cap.desired, cap.max_size};
    snprintf(out->asg, sizeof(out->asg), "%s", t->asg);
    out->ready = cap.ready;
    out->instances = cap.instances;
    return FO_OK;
  }
  fo_aws_eks_scaling sc;
  if ((err = fo_aws_eks_describe_nodegroup(&out->ng, aws, cancel, t->cluster, t->nodegroup)) < 0) {
    if (node_group_missing(err))
      err = fo_err_set(FO_ENOTFOUND, "node group %s/%s does not exist", t->cluster, t->nodegroup);
    return err;
  }
  if ((err = fo_aws_eks_scaling_of(&sc, out->ng)) < 0) {
    live_dispose(out);
    return err;
  }
  out->sizes = (pl_sizes){sc.min_size, sc.desired_size, sc.max_size};
  snprintf(out->status, sizeof(out->status), "%s", sc.status);
  if (sc.asg)
    snprintf(out->asg, sizeof(out->asg), "%s", sc.asg);
  out->ready = -1;
  if (with_capacity && out->asg[0]) {
    err = asg_facts(aws, cancel, out->asg, &cap);
    if (err == FO_ENOTFOUND) /* a group we cannot see: judge the node group by its status */
      return FO_OK;
    if (err < 0) {
      live_dispose(out);
      return err;
    }
    out->ready = cap.ready;
    out->instances = cap.instances;
  }
  return FO_OK;
}

/* Capacity is there: the node group ACTIVE (when one) and at least `want` ready
 * instances (a node group without a backing group we can see counts on its status alone). */
static int live_ready(const pl_live *l, int64_t want) {
  if (l->status[0] && strcmp(l->status, "ACTIVE") != 0)
    return 0;
  return l->ready < 0 || l->ready >= want;
}

/* The desired node-template tags of a node group object (labels and taints). */
static int wanted_tags(const cJSON *ng, fo_cty_value **out) {
  const cJSON *labels = cJSON_GetObjectItemCaseSensitive(ng, "labels"), *taints, *it;
  const char *keys[MAX_TAGS];
  char keybuf[MAX_TAGS][300];
  fo_cty_value *vals[MAX_TAGS];
  fo_cty_type *st;
  size_t n = 0;
  int err = FO_OK;

  cJSON_ArrayForEach(it, labels) {
    if (!cJSON_IsString(it) || n >= MAX_TAGS)
      continue;
    snprintf(keybuf[n], sizeof(keybuf[n]), TAG_PREFIX_LABEL "%s", it->string);
    keys[n] = keybuf[n];
    vals[n++] = fo_cty_string_z(it->valuestring);
  }
  taints = cJSON_GetObjectItemCaseSensitive(ng, "taints");
  cJSON_ArrayForEach(it, taints) {
    const char *k = fo_aws_json_str(it, "key"), *v = fo_aws_json_str(it, "value"), *e = fo_aws_json_str(it, "effect");
    const char *ca = "NoSchedule";
    char val[300];
    if (!k || n >= MAX_TAGS)
      continue;
    /* EKS says NO_SCHEDULE, Kubernetes (and cluster-autoscaler) NoSchedule. */
    if (e && strcmp(e, "NO_EXECUTE") == 0)
      ca = "NoExecute";
    else if (e && strcmp(e, "PREFER_NO_SCHEDULE") == 0)
      ca = "PreferNoSchedule";
    snprintf(keybuf[n], sizeof(keybuf[n]), TAG_PREFIX_TAINT "%s", k);
    snprintf(val, sizeof(val), "%s:%s", v ? v : "", ca);
    keys[n] = keybuf[n];
    vals[n++] = fo_cty_string_z(val);
  }
  for (size_t i = 0; i < n; i++)
    if (!vals[i])
      err = fo_err_oom();
  st = fo_cty_type_string();
  if (err == FO_OK) {
    *out = fo_cty_map(st, n, keys, vals);
    if (!*out)
      err = fo_err_oom();
  } else {
    for (size_t i = 0; i < n; i++)
      fo_cty_value_unref(vals[i]);
  }
  fo_cty_type_unref(st);
  return err;
}

/* The node-template tags the group carries now (keys under TAG_PREFIX only). */
static int actual_tags(fo_aws_client *aws, const fo_cancel *cancel, const char *asg, fo_cty_value **out) {
  cJSON *arr = NULL, *it;
  const char *keys[MAX_TAGS];
  fo_cty_value *vals[MAX_TAGS];
  fo_cty_type *st;
  size_t n = 0;
  int err;
  if ((err = fo_aws_autoscaling_describe_tags(&arr, aws, cancel, asg)) < 0)
    return err;
  cJSON_ArrayForEach(it, arr) {
    const char *k = fo_aws_json_str(it, "Key"), *v = fo_aws_json_str(it, "Value");
    if (!k || strncmp(k, TAG_PREFIX, strlen(TAG_PREFIX)) != 0 || n >= MAX_TAGS)
      continue;
    keys[n] = k;
    vals[n++] = fo_cty_string_z(v ? v : "");
  }
  st = fo_cty_type_string();
  *out = fo_cty_map(st, n, keys, vals); /* keys copied; cJSON freed below */
  fo_cty_type_unref(st);
  cJSON_Delete(arr);
  return *out ? FO_OK : fo_err_oom();
}

/* Make the group's node-template tags equal `want` (a map). */
static int sync_tags(fo_aws_client *aws, const fo_cancel *cancel, const char *asg, const fo_cty_value *want) {
  fo_cty_value *have = NULL;
  fo_aws_asg_tag put[MAX_TAGS];
  const char *del[MAX_TAGS];
  size_t np = 0, nd = 0, i;
  int err;
  if ((err = actual_tags(aws, cancel, asg, &have)) < 0)
    return err;
  for (i = 0; i < fo_cty_length(want) && np < MAX_TAGS; i++) {
    const char *k = fo_cty_map_key(want, i), *v = fo_cty_as_string(fo_cty_index(want, i), NULL);
    const fo_cty_value *h = fo_cty_map_get(have, k);
    if (!h || strcmp(fo_cty_as_string(h, NULL), v) != 0)
      put[np++] = (fo_aws_asg_tag){k, v};
  }
  for (i = 0; i < fo_cty_length(have) && nd < MAX_TAGS; i++)
    if (!fo_cty_map_get(want, fo_cty_map_key(have, i)))
      del[nd++] = fo_cty_map_key(have, i);
  if (np)
    err = fo_aws_autoscaling_put_tags(aws, cancel, asg, put, np);
  if (err >= 0 && nd)
    err = fo_aws_autoscaling_delete_tags(aws, cancel, asg, del, nd);
  fo_cty_value_unref(have);
  return err;
}

/* ---- validation ------------------------------------------------------------------ */

static void diag_at(fo_call *c, const char *a, const char *b, const char *c3, const char *summary, const char *detail) {
  fo_cty_path p = FO_CTY_PATH_INIT;
  if (fo_cty_path_push_attr(&p, a) == 0 && (!b || fo_cty_path_push_attr(&p, b) == 0) &&
      (!c3 || fo_cty_path_push_attr(&p, c3) == 0))
    fo_diags_error(c->diags, &p, summary, "%s", detail);
  else
    fo_diags_error(c->diags, NULL, summary, "%s", detail);
  fo_cty_path_dispose(&p);
}

/* Exactly one target kind in a target block at `outer`[.target]. */
static void validate_target(fo_call *c, const fo_cty_value *block, const char *outer) {
  const char *cl = NULL, *ng = NULL, *asg = NULL;
  const char *a = outer ? outer : "target", *b = outer ? "target" : NULL;
  int kc = get_str(block, "cluster_name", &cl), kn = get_str(block, "node_group_name", &ng),
      ka = get_str(block, "autoscaling_group_name", &asg);
  if (!block || fo_cty_is_null(block) || !fo_cty_is_known(block))
    return;
  if (ka && asg && ((kc && cl) || (kn && ng)))
    diag_at(c, a, b, "autoscaling_group_name", "Two kinds of target",
            "a target is either an EKS node group (cluster_name and node_group_name) or an Auto Scaling group "
            "(autoscaling_group_name), not both");
  else if (ka && !asg && kc && kn && !cl && !ng)
    diag_at(c, a, b, NULL, "No target",
            "set cluster_name and node_group_name (an EKS managed node group) or autoscaling_group_name");
  else if (ka && !asg && kc && kn && (!cl || !ng))
    diag_at(c, a, b, cl ? "node_group_name" : "cluster_name", "Incomplete node group target",
            "an EKS node group target needs both cluster_name and node_group_name");
}

static void validate_sizes(fo_call *c, const fo_cty_value *block, const char *name) {
  int64_t mn, ds, mx;
  char detail[200];
  if (!block || fo_cty_is_null(block) || !fo_cty_is_known(block))
    return;
  if (!get_int(block, "min", &mn) || !get_int(block, "desired", &ds) || !get_int(block, "max", &mx))
    return;
  if (mn >= 0 && mx >= 0 && mn > mx) {
    snprintf(detail, sizeof(detail), "%s.min (%lld) is larger than %s.max (%lld); min <= desired <= max", name,
             (long long)mn, name, (long long)mx);
    diag_at(c, name, "min", NULL, "Invalid sizes", detail);
  } else if (ds >= 0 && mn >= 0 && ds < mn) {
    snprintf(detail, sizeof(detail), "%s.desired (%lld) is smaller than %s.min (%lld); min <= desired <= max", name,
             (long long)ds, name, (long long)mn);
    diag_at(c, name, "desired", NULL, "Invalid sizes", detail);
  } else if (ds >= 0 && mx >= 0 && ds > mx) {
    snprintf(detail, sizeof(detail), "%s.desired (%lld) is larger than %s.max (%lld); min <= desired <= max", name,
             (long long)ds, name, (long long)mx);
    diag_at(c, name, "desired", NULL, "Invalid sizes", detail);
  }
}

static void pl_validate(fo_call *c, const fo_cty_value *config) {
  const fo_cty_value *active = fo_cty_get_attr(config, "active"), *apo = fo_cty_get_attr(config, "active_percent_of");
  const fo_cty_value *tags;
  const char *ng = NULL, *asg = NULL;
  int64_t ds;

  validate_target(c, fo_cty_get_attr(config, "target"), NULL);
  if (apo && fo_cty_is_known(apo) && !fo_cty_is_null(apo))
    validate_target(c, fo_cty_get_attr(apo, "target"), "active_percent_of");
  validate_sizes(c, fo_cty_get_attr(config, "standby"), "standby");
  validate_sizes(c, active, "active");
  if (active && fo_cty_is_known(active) && !fo_cty_is_null(active) && get_int(active, "desired", &ds) && apo &&
      fo_cty_is_known(apo)) {
    if (ds >= 0 && !fo_cty_is_null(apo))
      diag_at(c, "active", "desired", NULL, "Conflicting active sizes",
              "set either active.desired or an active_percent_of block, not both");
    else if (ds < 0 && fo_cty_is_null(apo))
      diag_at(c, "active", "desired", NULL, "Missing active desired size",
              "set active.desired, or an active_percent_of block to size it from the other region's target");
  }
  tags = fo_cty_get_attr(config, "autoscaler_node_template_tags");
  if (tags && fo_cty_is_known(tags) && !fo_cty_is_null(tags) && fo_cty_as_bool(tags)) {
    const fo_cty_value *t = fo_cty_get_attr(config, "target");
    if (get_str(t, "autoscaling_group_name", &asg) && asg && get_str(t, "node_group_name", &ng) && !ng)
      fo_diags_attr_error(c->diags, "autoscaler_node_template_tags", "Node-template tags need a node group",
                          "autoscaler_node_template_tags follows an EKS node group's labels and taints; the target "
                          "is an Auto Scaling group (tag it yourself or set this to false)");
  }
}

/* ---- plan ---------------------------------------------------------------------- */

/* The sizes `obj` (config or planned) asks for in its mode before the floor rule;
 * `ref` the reference desired size (-1: none). 1 known, 0 something unknown. */
static int wanted_sizes(fo_call *c, const fo_cty_value *obj, int64_t ref, pl_sizes *out, int warn) {
  const char *mode;
  const fo_cty_value *blk;
  int64_t pct;
  if (!get_str(obj, "mode", &mode) || !mode)
    return 0;
  if (strcmp(mode, "standby") == 0) {
    blk = fo_cty_get_attr(obj, "standby");
    if (!blk || fo_cty_is_null(blk)) {
      *out = (pl_sizes){0, 0, 1};
      return 1;
    }
    return fo_cty_is_wholly_known(blk) && get_int(blk, "min", &out->min) && get_int(blk, "desired", &out->desired) &&
           get_int(blk, "max", &out->max);
  }
  blk = fo_cty_get_attr(obj, "active");
  if (!blk || !fo_cty_is_wholly_known(blk) || fo_cty_is_null(blk))
    return 0;
  get_int(blk, "min", &out->min);
  get_int(blk, "desired", &out->desired);
  get_int(blk, "max", &out->max);
  if (out->desired >= 0)
    return 1;
  if (!get_int(sub(obj, "active_percent_of"), "percent", &pct) || pct < 0 || ref < 0)
    return 0;
  out->desired = (ref * pct + 99) / 100; /* rounded up */
  if (out->desired < out->min)
    out->desired = out->min;
  if (out->desired > out->max) {
    if (warn)
      fo_diags_warning(c->diags, NULL, "Active size capped at active.max",
                       "%lld%% of the reference's desired size %lld is %lld, above active.max %lld; %lld is used",
                       (long long)pct, (long long)ref, (long long)((ref * pct + 99) / 100), (long long)out->max,
                       (long long)out->max);
    out->desired = out->max;
  }
  return 1;
}

/* Floor rule: while active, a desired size an autoscaler grew (up to max) stays. */
static void apply_floor(const fo_cty_value *obj, const fo_cty_value *prior, pl_sizes *s) {
  int64_t pd;
  if (!str_is(obj, "mode", "active") || !prior || fo_cty_is_null(prior))
    return;
  if (get_int(prior, "desired_size", &pd) && pd > s->desired)
    s->desired = pd < s->max ? pd : s->max;
}

/* The reference target's desired size (other side). */
static int read_reference(fo_call *c, fo_side side, const pl_target *t, int64_t *out) {
  fo_aws_client *aws = fo_call_aws(c, side == FO_SIDE_PRIMARY ? FO_SIDE_SECONDARY : FO_SIDE_PRIMARY);
  pl_live l;
  int err;
  if (!aws)
    return FO_EINVAL;
  if ((err = live_read(aws, c->cancel, t, 0, &l)) < 0)
    return err;
  *out = l.sizes.desired;
  live_dispose(&l);
  return FO_OK;
}

static int plan_reference(fo_call *c, const fo_cty_value *prior, const fo_cty_value *config, fo_cty_value **planned,
                          int64_t *ref) {
  const fo_cty_value *apo = fo_cty_get_attr(config, "active_percent_of");
  pl_target t, pt;
  int64_t prior_ref = -1;
  char what[300];
  int err;
  *ref = -1;
  if (!apo || (fo_cty_is_known(apo) && fo_cty_is_null(apo)))
    return fo_object_set(planned, "reference_desired_size", fo_object_null_attr(*planned, "reference_desired_size"));
  if (!target_of(sub(apo, "target"), &t))
    return fo_object_set(planned, "reference_desired_size", fo_object_unknown_attr(*planned, "reference_desired_size"));
  if (prior && !fo_cty_is_null(prior)) {
    get_int(prior, "reference_desired_size", &prior_ref);
    /* Refresh read it moments ago: planning twice (plan, apply) gives the same value. */
    if (prior_ref >= 0 && target_of(sub(sub(prior, "active_percent_of"), "target"), &pt) && target_equal(&t, &pt)) {
      *ref = prior_ref;
      return fo_object_set(planned, "reference_desired_size", fo_cty_number_int(prior_ref));
    }
  }
  if ((err = read_reference(c, side_of(*planned), &t, ref)) < 0) {
    if (fo_diags_has_error(c->diags))
      return err;
    target_describe(&t, what, sizeof(what));
    if (fo_aws_unreachable(err) && prior_ref >= 0) {
      fo_diags_warning(c->diags, NULL, "Reference target unreachable",
                       "cannot read the %s in the other region (%s); using its last known desired size %lld", what,
                       fo_err_last(), (long long)prior_ref);
      *ref = prior_ref;
    } else {
      diag_at(c, "active_percent_of", "target", NULL, "Cannot read the reference target", fo_err_last());
      return err;
    }
  }
  return fo_object_set(planned, "reference_desired_size", fo_cty_number_int(*ref));
}

static int plan_tags(fo_call *c, const fo_cty_value *prior, fo_cty_value **planned) {
  pl_target t;
  pl_live l;
  fo_aws_client *aws;
  fo_cty_value *want = NULL;
  const fo_cty_value *en = fo_cty_get_attr(*planned, "autoscaler_node_template_tags");
  int err;
  if (!en || !fo_cty_is_known(en))
    return fo_object_set(planned, "node_template_tags", fo_object_unknown_attr(*planned, "node_template_tags"));
  if (fo_cty_is_null(en) || !fo_cty_as_bool(en))
    return fo_object_set(planned, "node_template_tags", fo_object_null_attr(*planned, "node_template_tags"));
  if (!target_of(sub(*planned, "target"), &t) || !t.nodegroup)
    return fo_object_set(planned, "node_template_tags", fo_object_unknown_attr(*planned, "node_template_tags"));
  if (!(aws = fo_call_aws(c, side_of(*planned))))
    return FO_EINVAL;
  if ((err = live_read(aws, c->cancel, &t, 0, &l)) < 0) {
    if (!fo_aws_unreachable(err))
      return err;
    fo_diags_warning(c->diags, NULL, "Node group unreachable",
                     "cannot read node group %s/%s for its node-template tags (%s); keeping the known tags", t.cluster,
                     t.nodegroup, fo_err_last());
    if (prior && !fo_cty_is_null(prior))
      return fo_object_set(planned, "node_template_tags",
                           fo_cty_value_ref(fo_cty_get_attr(prior, "node_template_tags")));
    return fo_object_set(planned, "node_template_tags", fo_object_unknown_attr(*planned, "node_template_tags"));
  }
  err = wanted_tags(l.ng, &want);
  live_dispose(&l);
  return err < 0 ? err : fo_object_set(planned, "node_template_tags", want);
}

static int plan_times(const fo_cty_value *prior, fo_cty_value **planned, int changed) {
  static const char *const names[] = {"started_at", "finished_at"};
  int error = FO_OK, create = fo_cty_is_null(prior);
  /* A step that started and did not finish (a capacity wait that timed out) finishes in the next apply. */
  int unfinished = !create && fo_cty_is_null(fo_cty_get_attr(prior, "finished_at")) &&
                   !fo_cty_is_null(fo_cty_get_attr(prior, "started_at"));
  for (size_t i = 0; i < 2 && error >= 0; i++)
    error =
        fo_object_set(planned, names[i],
                      changed || create || (i == 1 && unfinished) ? fo_object_unknown_attr(*planned, names[i])
                                                                  : fo_cty_value_ref(fo_cty_get_attr(prior, names[i])));
  return error;
}

static int pl_modify_plan(fo_call *c, const fo_cty_value *prior, const fo_cty_value *config, fo_cty_value **planned) {
  int create = fo_cty_is_null(prior), known, warn, scale_down = 0, changed, error;
  int64_t ref, pd = -1, pending_prior = 0;
  pl_sizes s = {-1, -1, -1};
  pl_target t;
  char id[600];
  const char *prior_mode = NULL;

  if (fo_cty_is_null(*planned))
    return FO_OK; /* destroy */
  if (target_of(sub(*planned, "target"), &t)) {
    if (t.asg)
      snprintf(id, sizeof(id), "%s", t.asg);
    else
      snprintf(id, sizeof(id), "%s/%s", t.cluster, t.nodegroup);
    if ((error = fo_object_set_string(planned, "id", id)) < 0)
      return error;
  }
  if ((error = plan_reference(c, prior, config, planned, &ref)) < 0)
    return error;
  known = wanted_sizes(c, *planned, ref, &s, 1);
  if (known) {
    apply_floor(*planned, prior, &s);
    if ((error = fo_object_set(planned, "min_size", fo_cty_number_int(s.min))) < 0 ||
        (error = fo_object_set(planned, "desired_size", fo_cty_number_int(s.desired))) < 0 ||
        (error = fo_object_set(planned, "max_size", fo_cty_number_int(s.max))) < 0)
      return error;
  } else if ((error = fo_object_set(planned, "min_size", fo_object_unknown_attr(*planned, "min_size"))) < 0 ||
             (error = fo_object_set(planned, "desired_size", fo_object_unknown_attr(*planned, "desired_size"))) < 0 ||
             (error = fo_object_set(planned, "max_size", fo_object_unknown_attr(*planned, "max_size"))) < 0) {
    return error;
  }

  if (!create) {
    get_str(prior, "mode", &prior_mode);
    pending_prior = get_bool(prior, "pending_scale_down", 0);
    get_int(prior, "desired_size", &pd);
    scale_down = pending_prior ||
                 (str_is(*planned, "mode", "standby") && prior_mode && strcmp(prior_mode, "active") == 0) || !known ||
                 (pd >= 0 && s.desired < pd);
  }
  warn = str_is(*planned, "unreachable", "warn");
  /* A scale-down in a region that may be down: whether it happens is known after apply. */
  if ((error = fo_object_set(
           planned, "pending_scale_down",
           scale_down && warn ? fo_object_unknown_attr(*planned, "pending_scale_down") : fo_cty_bool(0))) < 0)
    return error;
  changed = create || !known || scale_down;
  if (!changed) {
    int64_t pm, px;
    get_int(prior, "min_size", &pm);
    get_int(prior, "max_size", &px);
    changed = pm != s.min || pd != s.desired || px != s.max;
  }
  if (scale_down && warn)
    error = fo_object_set(planned, "capacity_ready", fo_object_unknown_attr(*planned, "capacity_ready"));
  else if (get_bool(*planned, "wait_for_capacity", 1) && sub(*planned, "wait_for_capacity"))
    error = fo_object_set(planned, "capacity_ready", fo_cty_bool(1));
  else if (changed || create)
    error = fo_object_set(planned, "capacity_ready", fo_object_unknown_attr(*planned, "capacity_ready"));
  else
    error = fo_object_set(planned, "capacity_ready", fo_cty_value_ref(fo_cty_get_attr(prior, "capacity_ready")));
  if (error < 0)
    return error;
  /* The step's times: new ones only when the step runs, so a plan without a change stays empty. */
  if ((error = plan_times(prior, planned, changed)) < 0)
    return error;
  return plan_tags(c, prior, planned);
}

/* ---- waiting ---------------------------------------------------------------------- */

typedef struct pl_wait {
  fo_aws_client *aws;
  const fo_cancel *cancel;
  pl_target t;
  const char *update_id; /* EKS update to follow, or NULL */
  int update_done;
  int64_t desired;
} pl_wait;

static int pl_poll(void *ud, int *done, char *status, size_t status_len) {
  pl_wait *w = ud;
  pl_live l;
  int err;
  *done = 0;
  if (w->update_id && !w->update_done) {
    cJSON *u = NULL;
    const char *st;
    if ((err = fo_aws_eks_describe_update(&u, w->aws, w->cancel, w->t.cluster, w->t.nodegroup, w->update_id)) < 0)
      return err;
    st = fo_aws_json_str(u, "status");
    if (st && strcmp(st, "Successful") == 0) {
      w->update_done = 1;
    } else if (st && (strcmp(st, "Failed") == 0 || strcmp(st, "Cancelled") == 0)) {
      char *errs = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(u, "errors"));
      err = fo_err_set(FO_EAWS, "EKS update %s of node group %s/%s is %s: %s", w->update_id, w->t.cluster,
                       w->t.nodegroup, st, errs ? errs : "(no details)");
      cJSON_free(errs);
      cJSON_Delete(u);
      return err;
    } else {
      snprintf(status, status_len, "update %s", st ? st : "(no status)");
      cJSON_Delete(u);
      return FO_OK;
    }
    cJSON_Delete(u);
  }
  if ((err = live_read(w->aws, w->cancel, &w->t, 1, &l)) < 0)
    return err;
  if (l.status[0] && strcmp(l.status, "ACTIVE") != 0)
    snprintf(status, status_len, "node group %s", l.status);
  else if (l.ready >= 0)
    snprintf(status, status_len, "%ld/%lld %s ready", l.ready, (long long)w->desired, w->t.asg ? "instances" : "nodes");
  else
    snprintf(status, status_len, "node group %s", l.status);
  *done = (!l.status[0] || strcmp(l.status, "ACTIVE") == 0) && (l.ready < 0 || l.ready >= w->desired);
  live_dispose(&l);
  return FO_OK;
}

static int wait_capacity(fo_call *c, fo_aws_client *aws, const pl_target *t, const char *update_id, int64_t desired,
                         int64_t timeout_s, char *what, size_t what_len) {
  pl_wait w = {aws, c->cancel, *t, update_id, 0, desired};
  char target[300];
  target_describe(t, target, sizeof(target));
  snprintf(what, what_len, "%s to have %lld %s ready", target, (long long)desired, t->asg ? "instances" : "nodes");
  fo_aws_wait_opts o = {.what = what,
                        .interval_ms = POLL_INTERVAL_MS,
                        .max_interval_ms = POLL_MAX_MS,
                        .timeout_ms = (long)(timeout_s * 1000),
                        .progress_every_ms = PROGRESS_EVERY_MS,
                        .clock = c->clock,
                        .cancel = c->cancel};
  return fo_aws_wait(&o, pl_poll, &w);
}

/* ---- apply ---------------------------------------------------------------------- */

/* Set the sizes when they differ from `live`; *update_id gets the EKS update id. */
static int set_sizes(fo_aws_client *aws, const fo_cancel *cancel, const pl_target *t, const pl_live *live,
                     const pl_sizes *s, char *update_id, size_t len) {
  cJSON *u = NULL;
  int err;
  update_id[0] = '\0';
  if (live->sizes.min == s->min && live->sizes.desired == s->desired && live->sizes.max == s->max)
    return FO_OK;
  if (t->asg)
    return fo_aws_autoscaling_update_group(aws, cancel, t->asg, (long)s->min, (long)s->max, (long)s->desired);
  if ((err = fo_aws_eks_update_nodegroup_scaling(&u, aws, cancel, t->cluster, t->nodegroup, (long)s->min, (long)s->max,
                                                 (long)s->desired)) < 0)
    return err;
  if (fo_aws_json_str(u, "id"))
    snprintf(update_id, len, "%s", fo_aws_json_str(u, "id"));
  cJSON_Delete(u);
  return FO_OK;
}

/* The call's clock as RFC 3339 (tests pin it). */
static fo_cty_value *now_rfc3339(const fo_call *c) {
  char ts[32];
  fo_clock_rfc3339(c->clock, ts);
  return fo_cty_string_z(ts);
}

/* Fill what is still unknown in `state` with `v` (consumed). */
static int fill(fo_cty_value **state, const char *name, fo_cty_value *v) {
  const fo_cty_value *cur = fo_cty_get_attr(*state, name);
  if (cur && fo_cty_is_known(cur)) {
    fo_cty_value_unref(v);
    return FO_OK;
  }
  return fo_object_set(state, name, v);
}

static int skip_unreachable(fo_call *c, fo_cty_value **state, const pl_target *t, const char *doing) {
  char what[300];
  const fo_cty_value *tags = fo_cty_get_attr(*state, "node_template_tags");
  int error;
  target_describe(t, what, sizeof(what));
  fo_diags_warning(c->diags, NULL, "Scale-down skipped: region unreachable",
                   "%s %s: the region's API did not answer (%s). The intent is recorded in the state "
                   "(pending_scale_down = true) and the next plan shows the scale-down again; traffic should already "
                   "have moved away from this region.",
                   doing, what, fo_err_last());
  if ((error = fo_object_set(state, "pending_scale_down", fo_cty_bool(1))) < 0 ||
      (error = fill(state, "capacity_ready", fo_cty_bool(0))) < 0 ||
      (error = fill(state, "finished_at", now_rfc3339(c))) < 0)
    return error;
  if (tags && !fo_cty_is_known(tags))
    return fo_object_set(state, "node_template_tags", fo_object_null_attr(*state, "node_template_tags"));
  return FO_OK;
}

static int pl_apply(fo_call *c, const fo_cty_value *prior, const fo_cty_value *planned, const char *op,
                    fo_cty_value **out) {
  fo_cty_value *state = fo_cty_value_ref(planned);
  fo_aws_client *aws;
  pl_target t;
  pl_live live = {0};
  pl_sizes s;
  char update_id[128], what[400];
  int64_t ref = -1, timeout_s = fo_timeouts_seconds(planned, op, DEFAULT_TIMEOUT_S);
  const fo_cty_value *pending = fo_cty_get_attr(planned, "pending_scale_down");
  int may_skip = pending && !fo_cty_is_known(pending), error, wait, sizes_set = 0;

  *out = NULL;
  if ((error = fill(&state, "started_at", now_rfc3339(c))) < 0)
    goto fail;
  if (!target_of(sub(planned, "target"), &t)) {
    error = fo_err_set(FO_EINVAL, "the target block is incomplete");
    goto fail;
  }
  if (!(aws = fo_call_aws(c, side_of(planned)))) {
    error = FO_EINVAL;
    goto fail;
  }
  if (!fo_cty_is_known(fo_cty_get_attr(state, "reference_desired_size"))) {
    pl_target rt;
    if (target_of(sub(sub(planned, "active_percent_of"), "target"), &rt) &&
        (error = read_reference(c, side_of(planned), &rt, &ref)) < 0)
      goto fail;
    if ((error = fo_object_set(&state, "reference_desired_size", num_or_null(ref))) < 0)
      goto fail;
  }
  get_int(state, "reference_desired_size", &ref);
  if (!wanted_sizes(c, state, ref, &s, 0)) {
    error = fo_err_set(FO_EINVAL, "the sizes for this mode are not known");
    goto fail;
  }
  if ((error = live_read(aws, c->cancel, &t, 0, &live)) < 0) {
    if (may_skip && fo_aws_unreachable(error)) {
      error = skip_unreachable(c, &state, &t, "reading");
      goto done;
    }
    goto fail;
  }
  if (!fo_cty_is_known(fo_cty_get_attr(state, "desired_size"))) {
    apply_floor(state, prior, &s);
  } else {
    get_int(state, "desired_size", &s.desired); /* the plan's floor decision */
  }
  if ((error = fill(&state, "min_size", fo_cty_number_int(s.min))) < 0 ||
      (error = fill(&state, "desired_size", fo_cty_number_int(s.desired))) < 0 ||
      (error = fill(&state, "max_size", fo_cty_number_int(s.max))) < 0)
    goto fail;
  if ((error = set_sizes(aws, c->cancel, &t, &live, &s, update_id, sizeof(update_id))) < 0) {
    if (may_skip && fo_aws_unreachable(error)) {
      error = skip_unreachable(c, &state, &t, "scaling down");
      goto done;
    }
    goto fail;
  }
  sizes_set = 1;
  if ((error = fill(&state, "pending_scale_down", fo_cty_bool(0))) < 0)
    goto partial;
  if (get_bool(state, "autoscaler_node_template_tags", 0) && t.nodegroup) {
    const fo_cty_value *want = fo_cty_get_attr(state, "node_template_tags");
    fo_cty_value *computed = NULL;
    if (!live.asg[0]) {
      error = fo_err_set(FO_EINVAL,
                         "node group %s/%s names no Auto Scaling group in its resources; cannot put the "
                         "node-template tags",
                         t.cluster, t.nodegroup);
      goto partial;
    }
    if (!fo_cty_is_known(want)) {
      if ((error = wanted_tags(live.ng, &computed)) < 0 ||
          (error = fo_object_set(&state, "node_template_tags", computed)) < 0)
        goto partial;
      want = fo_cty_get_attr(state, "node_template_tags");
    }
    if ((error = sync_tags(aws, c->cancel, live.asg, want)) < 0)
      goto partial;
  }
  wait = get_bool(state, "wait_for_capacity", 1);
  if (wait) {
    if ((error = wait_capacity(c, aws, &t, update_id[0] ? update_id : NULL, s.desired, timeout_s, what, sizeof(what))) <
        0) {
      fo_object_set(&state, "capacity_ready", fo_cty_bool(0));
      if (error == FO_ETIMEOUT)
        fo_diags_error(c->diags, NULL, "Capacity not ready before the timeout",
                       "%s. The sizes were set (min %lld, desired %lld, max %lld) and are saved in the state with "
                       "capacity_ready = false, so the next apply waits again. Check the group's scaling activity "
                       "(instance quotas, capacity in the zones, launch template), or raise timeouts.%s.",
                       fo_err_last(), (long long)s.min, (long long)s.desired, (long long)s.max, op);
      goto partial;
    }
    error = fo_object_set(&state, "capacity_ready", fo_cty_bool(1));
  } else {
    pl_live now;
    live_dispose(&live);
    if ((error = live_read(aws, c->cancel, &t, 1, &now)) >= 0) {
      error = fill(&state, "capacity_ready", fo_cty_bool(live_ready(&now, s.desired)));
      live_dispose(&now);
    }
  }
  if (error < 0 || (error = fill(&state, "finished_at", now_rfc3339(c))) < 0)
    goto partial;
done:
  live_dispose(&live);
  if (error < 0) {
    fo_cty_value_unref(state);
    return error;
  }
  *out = state;
  return FO_OK;
partial:
  /* The sizes were set: save them (with what is still unknown made concrete) so
   * the next plan knows what exists, and report the error. */
  live_dispose(&live);
  if (sizes_set) {
    if (fill(&state, "capacity_ready", fo_cty_bool(0)) >= 0 &&
        fill(&state, "pending_scale_down", fo_cty_bool(0)) >= 0 &&
        fill(&state, "node_template_tags", fo_object_null_attr(state, "node_template_tags")) >= 0 &&
        fill(&state, "finished_at", fo_object_null_attr(state, "finished_at")) >= 0)
      *out = state;
    else
      fo_cty_value_unref(state);
    return error;
  }
fail:
  live_dispose(&live);
  fo_cty_value_unref(state);
  return error;
}

static int pl_create(fo_call *c, const fo_cty_value *planned, const fo_cty_value *config, fo_cty_value **out) {
  (void)config;
  return pl_apply(c, NULL, planned, "create", out);
}

static int pl_update(fo_call *c, const fo_cty_value *prior, const fo_cty_value *planned, const fo_cty_value *config,
                     fo_cty_value **out) {
  (void)config;
  return pl_apply(c, prior, planned, "update", out);
}

/* ---- read ---------------------------------------------------------------------- */

static int pl_read(fo_call *c, const fo_cty_value *state, fo_cty_value **out) {
  fo_aws_client *aws;
  fo_cty_value *next;
  pl_target t, rt;
  pl_live l;
  char what[300];
  int64_t want;
  int error;

  *out = NULL;
  if (!target_of(sub(state, "target"), &t))
    return fo_err_set(FO_EINVAL, "the state has no complete target block");
  if (!(aws = fo_call_aws(c, side_of(state))))
    return FO_EINVAL;
  if ((error = live_read(aws, c->cancel, &t, 1, &l)) < 0) {
    if (error == FO_ENOTFOUND)
      return FO_OK; /* gone: Terraform plans it again */
    if (fo_aws_unreachable(error) && !str_is(state, "unreachable", "fail")) {
      target_describe(&t, what, sizeof(what));
      fo_diags_warning(c->diags, NULL, "Refresh skipped: region unreachable",
                       "cannot read %s (%s); the state is kept as it was", what, fo_err_last());
      *out = fo_cty_value_ref(state);
      return FO_OK;
    }
    return error;
  }
  /* Ready against what the configuration asks for (the floor), so instances an
   * autoscaler added and that are still starting are not a reason to plan. */
  {
    pl_sizes w;
    int64_t ref;
    get_int(state, "reference_desired_size", &ref);
    want = wanted_sizes(c, state, ref, &w, 0) && w.desired < l.sizes.desired ? w.desired : l.sizes.desired;
  }
  next = fo_cty_value_ref(state);
  if ((error = fo_object_set(&next, "min_size", fo_cty_number_int(l.sizes.min))) < 0 ||
      (error = fo_object_set(&next, "desired_size", fo_cty_number_int(l.sizes.desired))) < 0 ||
      (error = fo_object_set(&next, "max_size", fo_cty_number_int(l.sizes.max))) < 0 ||
      (error = fo_object_set(&next, "capacity_ready", fo_cty_bool(live_ready(&l, want)))) < 0)
    goto done;
  if (get_bool(state, "autoscaler_node_template_tags", 0) && l.asg[0]) {
    fo_cty_value *tags = NULL;
    if ((error = actual_tags(aws, c->cancel, l.asg, &tags)) < 0 ||
        (error = fo_object_set(&next, "node_template_tags", tags)) < 0)
      goto done;
  }
  if (target_of(sub(sub(state, "active_percent_of"), "target"), &rt)) {
    int64_t ref;
    int e2 = read_reference(c, side_of(state), &rt, &ref);
    if (e2 >= 0)
      error = fo_object_set(&next, "reference_desired_size", fo_cty_number_int(ref));
    else if (!fo_aws_unreachable(e2))
      error = e2;
  }
done:
  live_dispose(&l);
  if (error < 0) {
    fo_cty_value_unref(next);
    return error;
  }
  *out = next;
  return FO_OK;
}

/* ---- destroy ---------------------------------------------------------------------- */

static int pl_destroy(fo_call *c, const fo_cty_value *prior) {
  fo_aws_client *aws;
  pl_target t;
  pl_live live;
  pl_sizes s = {0, 0, 1};
  const fo_cty_value *sb = sub(prior, "standby");
  char update_id[128], what[400];
  int error;

  if (str_is(prior, "on_destroy", "leave") || !target_of(sub(prior, "target"), &t))
    return FO_OK;
  if (sb) {
    get_int(sb, "min", &s.min);
    get_int(sb, "desired", &s.desired);
    get_int(sb, "max", &s.max);
  }
  if (!(aws = fo_call_aws(c, side_of(prior))))
    return FO_EINVAL;
  if ((error = live_read(aws, c->cancel, &t, 0, &live)) >= 0) {
    error = set_sizes(aws, c->cancel, &t, &live, &s, update_id, sizeof(update_id));
    live_dispose(&live);
  }
  if (error == FO_ENOTFOUND)
    return FO_OK;
  if (error < 0 && fo_aws_unreachable(error) && !str_is(prior, "unreachable", "fail")) {
    target_describe(&t, what, sizeof(what));
    fo_diags_warning(c->diags, NULL, "Return to standby skipped: region unreachable",
                     "%s was not returned to its standby sizes (min %lld, desired %lld, max %lld): %s. It leaves the "
                     "state; scale it down by hand once the region answers.",
                     what, (long long)s.min, (long long)s.desired, (long long)s.max, fo_err_last());
    return FO_OK;
  }
  if (error < 0 || !get_bool(prior, "wait_for_capacity", 1))
    return error;
  return wait_capacity(c, aws, &t, update_id[0] ? update_id : NULL, s.desired,
                       fo_timeouts_seconds(prior, "delete", DEFAULT_TIMEOUT_S), what, sizeof(what));
}

/* ---- import ---------------------------------------------------------------------- */

static int set_target(fo_cty_value **state, const pl_target *t) {
  fo_cty_value *blk = fo_schema_empty_value(&target_block), *v;
  int error;
  if (!blk)
    return fo_err_oom();
  if ((t->cluster && (error = fo_object_set_string(&blk, "cluster_name", t->cluster)) < 0) ||
      (t->nodegroup && (error = fo_object_set_string(&blk, "node_group_name", t->nodegroup)) < 0) ||
      (t->asg && (error = fo_object_set_string(&blk, "autoscaling_group_name", t->asg)) < 0)) {
    fo_cty_value_unref(blk);
    return error;
  }
  v = blk;
  return fo_object_set(state, "target", v);
}

static int pl_import(fo_call *c, const char *id, fo_cty_value **out) {
  char buf[600], *slash;
  const char *rest = id;
  fo_side side = FO_SIDE_SECONDARY;
  pl_target t = {0};
  pl_live l;
  fo_aws_client *aws;
  fo_cty_value *state;
  int error;

  *out = NULL;
  if (strncmp(id, "primary:", 8) == 0) {
    side = FO_SIDE_PRIMARY;
    rest = id + 8;
  } else if (strncmp(id, "secondary:", 10) == 0) {
    rest = id + 10;
  }
  if (!*rest || strlen(rest) >= sizeof(buf)) {
    fo_diags_error(c->diags, NULL, "Invalid import ID",
                   "import a failover_pilot_light by \"cluster/nodegroup\" or an Auto Scaling group name, optionally "
                   "prefixed with \"primary:\" or \"secondary:\" (default secondary)");
    return FO_EINVAL;
  }
  snprintf(buf, sizeof(buf), "%s", rest);
  if ((slash = strchr(buf, '/'))) {
    *slash = '\0';
    t.cluster = buf;
    t.nodegroup = slash + 1;
    if (!*t.cluster || !*t.nodegroup || strchr(t.nodegroup, '/')) {
      fo_diags_error(c->diags, NULL, "Invalid import ID",
                     "'%s' is not \"cluster/nodegroup\" (both parts non-empty, one slash)",
                     strlen(rest) <= 100 ? rest : "(a long ID)");
      return FO_EINVAL;
    }
  } else {
    t.asg = buf;
  }
  if (!(aws = fo_call_aws(c, side)))
    return FO_EINVAL;
  if ((error = live_read(aws, c->cancel, &t, 1, &l)) < 0)
    return error;
  if (!(state = fo_schema_empty_value(&pl_schema.block))) {
    live_dispose(&l);
    return fo_err_oom();
  }
  if ((error = fo_object_set_string(&state, "id", rest)) < 0 || (error = set_target(&state, &t)) < 0 ||
      (error = fo_object_set_string(&state, "region", fo_side_name(side))) < 0 ||
      (error = fo_object_set_string(&state, "mode", l.sizes.desired > 0 ? "active" : "standby")) < 0 ||
      (error = fo_object_set(&state, "wait_for_capacity", fo_cty_bool(1))) < 0 ||
      (error = fo_object_set(&state, "autoscaler_node_template_tags", fo_cty_bool(0))) < 0 ||
      (error = fo_object_set_string(&state, "on_destroy", "standby")) < 0 ||
      (error = fo_object_set_string(&state, "unreachable", "warn")) < 0 ||
      (error = fo_object_set(&state, "min_size", fo_cty_number_int(l.sizes.min))) < 0 ||
      (error = fo_object_set(&state, "desired_size", fo_cty_number_int(l.sizes.desired))) < 0 ||
      (error = fo_object_set(&state, "max_size", fo_cty_number_int(l.sizes.max))) < 0 ||
      (error = fo_object_set(&state, "capacity_ready", fo_cty_bool(live_ready(&l, l.sizes.desired)))) < 0 ||
      (error = fo_object_set(&state, "pending_scale_down", fo_cty_bool(0))) < 0) {
    live_dispose(&l);
    fo_cty_value_unref(state);
    return error;
  }
  live_dispose(&l);
  *out = state;
  return FO_OK;
}

const fo_resource fo_pilot_light_resource = {
    .type_name = "failover_pilot_light",
    .schema = &pl_schema,
    .validate = pl_validate,
    .modify_plan = pl_modify_plan,
    .create = pl_create,
    .read = pl_read,
    .update = pl_update,
    .destroy = pl_destroy,
    .import = pl_import,
};
