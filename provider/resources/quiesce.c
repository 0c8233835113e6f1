/* failover_quiesce: stops what consumes work in one region before traffic leaves it (Lambda SQS triggers
 * disabled, Auto Scaling processes suspended, in-flight messages drained) and starts it again on failback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_aws_autoscaling.h"
#include "fo_aws_json.h"
#include "fo_aws_lambda.h"
#include "fo_aws_sqs.h"
#include "fo_aws_wait.h"
#include "fo_err.h"
#include "fo_provider.h"
#include "fo_resources.h"
#include "fo_timeouts.h"
#include "fo_validators.h"
#include "quiesce_kube.h"

/* ---- schema ------------------------------------------------------------------ */

static const char *const side_names[] = {"primary", "secondary", NULL};
static const char *const unreachable_values[] = {"warn", "fail", NULL};
/* Every process name Auto Scaling knows (SuspendProcesses rejects others). */
static const char *const asg_processes[] = {"Launch",           "Terminate",   "AddToLoadBalancer", "AlarmNotification",
                                            "AZRebalance",      "HealthCheck", "InstanceRefresh",   "ReplaceUnhealthy",
                                            "ScheduledActions", NULL};
#define DEFAULT_PROCESSES "[\"Launch\",\"AlarmNotification\",\"ScheduledActions\",\"AZRebalance\",\"ReplaceUnhealthy\"]"

#define STRING_LIST "[\"list\",\"string\"]"

static const fo_attr q_attrs[] = {
    {.name = "id",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "The side quiesced: quiesce-primary or quiesce-secondary.",
     .markdown = "The side quiesced: `quiesce-primary` or `quiesce-secondary`."},
    {.name = "region",
     .type = "\"string\"",
     .flags = FO_ATTR_REQUIRED | FO_ATTR_REQUIRES_REPLACE,
     .description = "Which side is stopped and started again: primary or secondary.",
     .markdown = "Which side's region (and AWS client) is stopped and started again: `\"primary\"` or "
                 "`\"secondary\"`.",
     .validators = {{fo_validate_one_of, side_names}}},
    {.name = "stopped",
     .type = "\"bool\"",
     .flags = FO_ATTR_REQUIRED,
     .description = "true stops the targets (failover away from this region); false starts them again (failback).",
     .markdown = "`true` stops the targets (failover away from this region); `false` starts them again "
                 "(failback). Typically `var.active != \"primary\"` for the primary's quiesce, so one variable "
                 "drives the whole failover."},
    {.name = "lambda_event_source_mappings",
     .type = STRING_LIST,
     .flags = FO_ATTR_OPTIONAL,
     .description = "Event source mapping UUIDs, or Lambda function names whose SQS mappings are meant, to disable "
                    "on stop and enable on start.",
     .markdown = "Event source mapping UUIDs, or Lambda function names (or ARNs) whose SQS event source mappings "
                 "are meant, to disable on stop (`Enabled = false`) and enable on start."},
    {.name = "autoscaling_groups",
     .type = STRING_LIST,
     .flags = FO_ATTR_OPTIONAL,
     .description = "Auto Scaling groups (e.g. queue servers) whose processes are suspended on stop and resumed on "
                    "start.",
     .markdown = "Auto Scaling groups (e.g. queue servers) whose `autoscaling_processes` are suspended on stop "
                 "(`SuspendProcesses`) and resumed on start (`ResumeProcesses`)."},
    {.name = "autoscaling_processes",
     .type = STRING_LIST,
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = DEFAULT_PROCESSES,
     .description = "Auto Scaling processes to suspend (default Launch, AlarmNotification, ScheduledActions, "
                    "AZRebalance, ReplaceUnhealthy).",
     .markdown = "Auto Scaling processes to suspend. Default `[\"Launch\", \"AlarmNotification\", "
                 "\"ScheduledActions\", \"AZRebalance\", \"ReplaceUnhealthy\"]`: no new instance starts (no "
                 "scale-out from alarms or schedules, no rebalancing or replacement) while the running ones "
                 "keep `Terminate` and `HealthCheck`, so the group can still shrink."},
    {.name = "drain_queues",
     .type = STRING_LIST,
     .flags = FO_ATTR_OPTIONAL,
     .description = "SQS queue URLs whose in-flight messages (ApproximateNumberOfMessagesNotVisible) must reach 0 "
                    "after the stop, within timeouts.",
     .markdown = "SQS queue URLs whose in-flight messages (`ApproximateNumberOfMessagesNotVisible`) must reach 0 "
                 "after the consumers are stopped, waited for within `timeouts` with progress lines. Only on stop."},
    {.name = "unreachable",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "\"warn\"",
     .description = "When the region being stopped does not answer: warn (record it and let the failover go on, "
                    "default) or fail.",
     .markdown = "When the region being stopped does not answer (no connection, timeouts or 5xx after the "
                 "client's retries): `\"warn\"` (default) records `status = \"pending_unreachable\"` and the "
                 "reason, warns and succeeds so the failover continues; the next apply finishes the stop. "
                 "`\"fail\"` fails naming the region. Starting again in an unreachable region always fails.",
     .validators = {{fo_validate_one_of, unreachable_values}}},
    {.name = "call_timeout",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED,
     .default_json = "\"10s\"",
     .description = "Deadline of each attempt of each call to this region, connect included (default 10s).",
     .markdown = "Deadline of each attempt of each call to this region, connect included (default `\"10s\"`), "
                 "with the provider's `max_retries`: a region that is down costs at most this times the attempts, "
                 "never a long wait on the failover path.",
     .validators = {{fo_validate_duration, NULL}}},
    {.name = "status",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "stopped, started, pending_unreachable (the region did not answer) or pending_drain (messages "
                    "still in flight at the timeout).",
     .markdown = "`\"stopped\"`, `\"started\"`, `\"pending_unreachable\"` (the region did not answer; the next "
                 "plan shows the stop again) or `\"pending_drain\"` (messages still in flight at the timeout)."},
    {.name = "unreachable_reason",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "Why the region was recorded unreachable (null when it answered)."},
    {.name = "results",
     .type = "[\"map\",\"string\"]",
     .flags = FO_ATTR_COMPUTED,
     .description = "Per target (lambda/UUID, autoscaling/NAME, sqs/URL): what was done or found.",
     .markdown = "Per target, keyed `lambda/<UUID>`, `autoscaling/<name>`, `sqs/<queue URL>` and "
                 "`kubernetes/<namespace>/<kind>/<name>`: the mapping's state as answered (`Disabled`, `Enabling`, "
                 "...), `suspended`/`resumed`, `drained`, `scaled to 0 (was 3)`/`scaled to 3`, or `pending` when "
                 "the region did not answer before it was reached."},
    {.name = "kubernetes_replicas",
     .type = "[\"map\",\"number\"]",
     .flags = FO_ATTR_COMPUTED,
     .description = "Per workload of the kubernetes block (namespace/kind/name): its replicas before the stop, "
                    "restored on start.",
     .markdown = "Per workload of the `kubernetes` block (`<namespace>/<kind>/<name>`): its `spec.replicas` "
                 "before the stop scaled it to 0, which the start restores. A stop of a workload already at 0 "
                 "keeps the count remembered before, so a repeated or pending stop never forgets it."},
    {.name = "started_at",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "When this step started (RFC 3339)."},
    {.name = "finished_at",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED,
     .description = "When this step finished (RFC 3339), pending or not."},
};

#define TIMEOUT_ATTR(op)                                                                                             \
  {                                                                                                                  \
    .name = op, .type = "\"string\"", .flags = FO_ATTR_OPTIONAL,                                                     \
    .description = "How long the drain of in-flight messages may wait, e.g. \"15m\" (default 10m).", .validators = { \
      {fo_validate_duration, NULL}                                                                                   \
    }                                                                                                                \
  }
static const fo_attr timeout_attrs[] = {TIMEOUT_ATTR("create"), TIMEOUT_ATTR("update")};
static const fo_block timeouts_block = {
    .attrs = timeout_attrs, .n_attrs = FO_COUNT(timeout_attrs), .description = "Operation timeouts."};

static const fo_block_type q_blocks[] = {
    {.type_name = "timeouts", .nesting = FO_NEST_SINGLE, .block = &timeouts_block, .min_items = 0, .max_items = 0},
    {.type_name = "kubernetes", .nesting = FO_NEST_SINGLE, .block = &fo_qk_block, .min_items = 0, .max_items = 0},
};

static const fo_schema q_schema = {
    .version = 0,
    .block =
        {
            .attrs = q_attrs,
            .n_attrs = FO_COUNT(q_attrs),
            .blocks = q_blocks,
            .n_blocks = FO_COUNT(q_blocks),
            .description = "Stops what consumes work in one region before traffic moves away from it and starts it "
                           "again on failback.",
            .markdown = "Stops what consumes work in one region before traffic moves away from it (Lambda SQS "
                        "triggers disabled, Auto Scaling processes suspended, in-flight SQS messages drained) and "
                        "starts it again on failback. When the region does not answer (the outage itself) it "
                        "records that, warns and lets the failover continue; the next apply finishes the stop.",
        },
};

/* ---- values ------------------------------------------------------------------ */

#define DEFAULT_TIMEOUT_S      (10 * 60)
#define DEFAULT_CALL_TIMEOUT_S 10
#define POLL_INTERVAL_MS       1000
#define POLL_MAX_MS            10000
#define PROGRESS_EVERY_MS      10000
#define MAX_ITEMS              100
#define MAX_RESULTS            400

static const fo_cty_value *known_attr(const fo_cty_value *obj, const char *name) {
  const fo_cty_value *v;
  if (!obj || !fo_cty_is_known(obj) || fo_cty_is_null(obj))
    return NULL;
  v = fo_cty_get_attr(obj, name);
  return v && fo_cty_is_known(v) && !fo_cty_is_null(v) ? v : NULL;
}

static const char *str_of(const fo_cty_value *obj, const char *name) {
  const fo_cty_value *v = known_attr(obj, name);
  return v ? fo_cty_as_string(v, NULL) : NULL;
}

static int str_is(const fo_cty_value *obj, const char *name, const char *want) {
  const char *s = str_of(obj, name);
  return s && strcmp(s, want) == 0;
}

static fo_side side_of(const fo_cty_value *obj) {
  fo_side side = FO_SIDE_PRIMARY;
  const char *s = str_of(obj, "region");
  if (s)
    fo_side_parse(s, &side);
  return side;
}

/* Strings of a known list attribute into `out` (borrowed), at most `max`; returns the count. */
static size_t list_of(const fo_cty_value *obj, const char *name, const char **out, size_t max) {
  const fo_cty_value *l = known_attr(obj, name);
  size_t n = 0;
  if (!l || !fo_cty_is_wholly_known(l))
    return 0;
  for (size_t i = 0; i < fo_cty_length(l) && n < max; i++) {
    const fo_cty_value *e = fo_cty_index(l, i);
    if (e && fo_cty_is_known(e) && !fo_cty_is_null(e))
      out[n++] = fo_cty_as_string(e, NULL);
  }
  return n;
}

/* A mapping UUID (8-4-4-4-12 hex) rather than a function name. */
/* A region that does not answer: what fo_aws_unreachable says, or a call that overran `call_timeout`. */
static int is_unreachable(int err) {
  return err == FO_ETIMEOUT || fo_aws_unreachable(err);
}

static int looks_like_uuid(const char *s) {
  size_t i;
  if (strlen(s) != 36)
    return 0;
  for (i = 0; i < 36; i++) {
    int dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]))
      return 0;
  }
  return 1;
}

/* ---- validation ------------------------------------------------------------------ */

static void elem_error(fo_call *c, const char *attr, size_t i, const char *summary, const char *detail) {
  fo_cty_path p = FO_CTY_PATH_INIT;
  if (fo_cty_path_push_attr(&p, attr) == 0 && fo_cty_path_push_index(&p, (int64_t)i) == 0)
    fo_diags_error(c->diags, &p, summary, "%s", detail);
  else
    fo_diags_error(c->diags, NULL, summary, "%s", detail);
  fo_cty_path_dispose(&p);
}

/* Each element of a known list: non-empty and passing `ok` (NULL: any). */
static void validate_list(fo_call *c, const fo_cty_value *config, const char *attr, int (*ok)(const char *),
                          const char *summary, const char *detail) {
  const fo_cty_value *l = known_attr(config, attr);
  char msg[600];
  if (!l)
    return;
  if (fo_cty_length(l) > MAX_ITEMS) {
    fo_diags_attr_error(c->diags, attr, "Too many targets", "at most %d entries, got %zu.", MAX_ITEMS,
                        fo_cty_length(l));
    return;
  }
  for (size_t i = 0; i < fo_cty_length(l); i++) {
    const fo_cty_value *e = fo_cty_index(l, i);
    const char *s;
    if (!e || !fo_cty_is_known(e))
      continue;
    s = fo_cty_is_null(e) ? NULL : fo_cty_as_string(e, NULL);
    if (!s || !*s) {
      elem_error(c, attr, i, "Empty entry", "Entries must be non-empty strings.");
    } else if (ok && !ok(s)) {
      snprintf(msg, sizeof(msg), "\"%.200s\": %s", s, detail);
      elem_error(c, attr, i, summary, msg);
    }
  }
}

static int is_process(const char *s) {
  for (size_t i = 0; asg_processes[i]; i++)
    if (strcmp(s, asg_processes[i]) == 0)
      return 1;
  return 0;
}

static int is_queue_url(const char *s) {
  return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

static void q_validate(fo_call *c, const fo_cty_value *config) {
  static const char *const targets[] = {"lambda_event_source_mappings", "autoscaling_groups", "drain_queues"};
  int any = 0, unknown = 0;
  for (size_t i = 0; i < FO_COUNT(targets); i++) {
    const fo_cty_value *v = fo_cty_get_attr(config, targets[i]);
    if (v && !fo_cty_is_known(v))
      unknown = 1;
    else if (v && !fo_cty_is_null(v) && fo_cty_length(v) > 0)
      any = 1;
  }
  any |= fo_qk_validate(c, config);
  if (!any && !unknown)
    fo_diags_error(c->diags, NULL, "Nothing to quiesce",
                   "Set at least one of lambda_event_source_mappings, autoscaling_groups, drain_queues or "
                   "kubernetes.workloads.");
  validate_list(c, config, "lambda_event_source_mappings", NULL, NULL, NULL);
  validate_list(c, config, "autoscaling_groups", NULL, NULL, NULL);
  validate_list(c, config, "autoscaling_processes", is_process, "Unknown Auto Scaling process",
                "not a process name; want Launch, Terminate, AddToLoadBalancer, AlarmNotification, AZRebalance, "
                "HealthCheck, InstanceRefresh, ReplaceUnhealthy or ScheduledActions.");
  validate_list(c, config, "drain_queues", is_queue_url, "Not a queue URL",
                "want the queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME), as GetQueueUrl returns it.");
}

/* ---- plan ------------------------------------------------------------------------ */

static const char *const outputs[] = {"status",     "unreachable_reason", "results",
                                      "started_at", "finished_at",        "kubernetes_replicas"};

static int q_modify_plan(fo_call *c, const fo_cty_value *prior, const fo_cty_value *config, fo_cty_value **planned) {
  char id[64];
  int error, pending;
  (void)c;
  (void)config;
  if (fo_cty_is_null(*planned))
    return FO_OK; /* destroy */
  snprintf(id, sizeof(id), "quiesce-%s", fo_side_name(side_of(*planned)));
  if ((error = fo_object_set_string(planned, "id", id)) < 0)
    return error;
  /* A stop that did not finish (region down, messages still in flight) is a change: the next apply finishes it,
   * before any start. */
  pending = !fo_cty_is_null(prior) && str_of(prior, "status") && strncmp(str_of(prior, "status"), "pending_", 8) == 0;
  if (!pending)
    return FO_OK;
  for (size_t i = 0; i < FO_COUNT(outputs); i++)
    if ((error = fo_object_set(planned, outputs[i], fo_object_unknown_attr(*planned, outputs[i]))) < 0)
      return error;
  return FO_OK;
}

/* ---- apply ---------------------------------------------------------------------- */

typedef struct q_results {
  const char *keys[MAX_RESULTS];
  char *key_store[MAX_RESULTS];
  fo_cty_value *vals[MAX_RESULTS];
  size_t n;
} q_results;

static void results_dispose(q_results *r) {
  for (size_t i = 0; i < r->n; i++) {
    free(r->key_store[i]);
    fo_cty_value_unref(r->vals[i]);
  }
  r->n = 0;
}

/* Set (or replace) the result of `kind`/`name`. */
static int result_set(q_results *r, const char *kind, const char *name, const char *value) {
  char key[600];
  fo_cty_value *v;
  snprintf(key, sizeof(key), "%s/%s", kind, name);
  if (!(v = fo_cty_string(value, strlen(value))))
    return fo_err_oom();
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(r->keys[i], key) == 0) {
      fo_cty_value_unref(r->vals[i]);
      r->vals[i] = v;
      return FO_OK;
    }
  if (r->n == MAX_RESULTS) {
    fo_cty_value_unref(v);
    return fo_err_set(FO_ELIMIT, "at most %d quiesce results", MAX_RESULTS);
  }
  if (!(r->key_store[r->n] = strdup(key))) {
    fo_cty_value_unref(v);
    return fo_err_oom();
  }
  r->keys[r->n] = r->key_store[r->n];
  r->vals[r->n++] = v;
  return FO_OK;
}

typedef struct q_run {
  fo_call *c;
  fo_aws_client *aws;
  const fo_cty_value *planned;
  q_results res;
  long timeout_ms;
  fo_qk_run kube;
} q_run;

static int kube_result(void *ud, const char *kind, const char *name, const char *value) {
  return result_set(&((q_run *)ud)->res, kind, name, value);
}

static int has_result(void *ud, const char *kind, const char *name) {
  const q_results *res = &((q_run *)ud)->res;
  size_t l = strlen(kind);
  for (size_t k = 0; k < res->n; k++)
    if (strncmp(res->keys[k], kind, l) == 0 && res->keys[k][l] == '/' && strcmp(res->keys[k] + l + 1, name) == 0)
      return 1;
  return 0;
}

/* The mapping UUIDs of one entry: itself when a UUID, else the function's SQS mappings. */
static int mappings_of(q_run *r, const char *entry, cJSON **out_uuids) {
  cJSON *list = NULL, *uuids = cJSON_CreateArray(), *m;
  int err;
  *out_uuids = NULL;
  if (!uuids)
    return fo_err_oom();
  if (looks_like_uuid(entry)) {
    cJSON_AddItemToArray(uuids, cJSON_CreateString(entry));
    *out_uuids = uuids;
    return FO_OK;
  }
  if ((err = fo_aws_lambda_list_event_source_mappings(&list, r->aws, r->c->cancel, entry)) < 0) {
    cJSON_Delete(uuids);
    return err;
  }
  cJSON_ArrayForEach(m, list) {
    const char *src = fo_aws_json_str(m, "EventSourceArn"), *uuid = fo_aws_json_str(m, "UUID");
    if (uuid && src && strncmp(src, "arn:aws:sqs:", 12) == 0)
      cJSON_AddItemToArray(uuids, cJSON_CreateString(uuid));
  }
  cJSON_Delete(list);
  if (cJSON_GetArraySize(uuids) == 0) {
    cJSON_Delete(uuids);
    return fo_err_set(FO_ENOTFOUND, "Lambda function %s has no SQS event source mapping in %s", entry,
                      fo_aws_client_region(r->aws));
  }
  *out_uuids = uuids;
  return FO_OK;
}

static int do_mappings(q_run *r, int enable) {
  const char *entries[MAX_ITEMS];
  size_t n = list_of(r->planned, "lambda_event_source_mappings", entries, MAX_ITEMS);
  int err = FO_OK;
  for (size_t i = 0; i < n && err >= 0; i++) {
    cJSON *uuids = NULL, *u;
    if ((err = mappings_of(r, entries[i], &uuids)) < 0)
      break;
    cJSON_ArrayForEach(u, uuids) {
      cJSON *m = NULL;
      const char *state;
      if ((err = fo_aws_lambda_update_event_source_mapping(&m, r->aws, r->c->cancel, u->valuestring, enable)) < 0)
        break;
      state = fo_aws_json_str(m, "State");
      err = result_set(&r->res, "lambda", u->valuestring, state ? state : (enable ? "Enabling" : "Disabling"));
      cJSON_Delete(m);
      if (err < 0)
        break;
    }
    cJSON_Delete(uuids);
  }
  return err;
}

static int do_groups(q_run *r, int suspend) {
  const char *groups[MAX_ITEMS], *procs[MAX_ITEMS];
  size_t n = list_of(r->planned, "autoscaling_groups", groups, MAX_ITEMS);
  size_t np = list_of(r->planned, "autoscaling_processes", procs, MAX_ITEMS);
  int err = FO_OK;
  if (n && np == 0)
    return FO_OK; /* an empty process list: nothing to suspend (n 0 would mean all processes to AWS) */
  for (size_t i = 0; i < n && err >= 0; i++)
    if ((err = fo_aws_autoscaling_set_processes(r->aws, r->c->cancel, groups[i], suspend, procs, np)) >= 0)
      err = result_set(&r->res, "autoscaling", groups[i], suspend ? "suspended" : "resumed");
  return err;
}

typedef struct q_drain {
  q_run *r;
  const char *url;
  int poll_failed; /* the poll's own error, not the wait's timeout */
} q_drain;

static int drain_poll(void *ud, int *done, char *status, size_t status_len) {
  q_drain *d = ud;
  static const char *const names[] = {"ApproximateNumberOfMessagesNotVisible"};
  cJSON *attrs = NULL;
  long n;
  int err;
  *done = 0;
  if ((err = fo_aws_sqs_get_queue_attributes(&attrs, d->r->aws, d->r->c->cancel, d->url, names, 1)) < 0) {
    d->poll_failed = 1;
    return err;
  }
  n = fo_aws_sqs_attribute_count(attrs, names[0]);
  cJSON_Delete(attrs);
  if (n < 0) {
    d->poll_failed = 1;
    return fo_err_set(FO_EAWS, "queue %s: no ApproximateNumberOfMessagesNotVisible in the answer", d->url);
  }
  snprintf(status, status_len, "%ld message%s in flight", n, n == 1 ? "" : "s");
  *done = n == 0;
  return FO_OK;
}

/* FO_OK; FO_ETIMEOUT with *timed_out (messages still in flight); or a call's error. */
static int do_drain(q_run *r, int *timed_out) {
  const char *urls[MAX_ITEMS];
  size_t n = list_of(r->planned, "drain_queues", urls, MAX_ITEMS);
  char what[700];
  int err = FO_OK;
  *timed_out = 0;
  for (size_t i = 0; i < n && err >= 0; i++) {
    q_drain d = {r, urls[i], 0};
    snprintf(what, sizeof(what), "in-flight messages of %s to reach 0", urls[i]);
    fo_aws_wait_opts o = {.what = what,
                          .interval_ms = POLL_INTERVAL_MS,
                          .max_interval_ms = POLL_MAX_MS,
                          .timeout_ms = r->timeout_ms,
                          .progress_every_ms = PROGRESS_EVERY_MS,
                          .clock = r->c->clock,
                          .cancel = r->c->cancel};
    if ((err = fo_aws_wait(&o, drain_poll, &d)) >= 0)
      err = result_set(&r->res, "sqs", urls[i], "drained");
    else if (err == FO_ETIMEOUT && !d.poll_failed) {
      *timed_out = 1;
      result_set(&r->res, "sqs", urls[i], "in flight at the timeout");
    }
  }
  return err;
}

/* Every target not reached yet gets "pending". */
static int mark_pending(q_run *r) {
  static const struct {
    const char *attr, *kind;
  } lists[] = {
      {"lambda_event_source_mappings", "lambda"}, {"autoscaling_groups", "autoscaling"}, {"drain_queues", "sqs"}};
  for (size_t l = 0; l < FO_COUNT(lists); l++) {
    const char *items[MAX_ITEMS];
    size_t n = list_of(r->planned, lists[l].attr, items, MAX_ITEMS);
    for (size_t i = 0; i < n; i++) {
      char key[600];
      int seen = 0, err;
      snprintf(key, sizeof(key), "%s/", lists[l].kind);
      for (size_t k = 0; k < r->res.n && !seen; k++)
        seen = strncmp(r->res.keys[k], key, strlen(key)) == 0 && strcmp(r->res.keys[k] + strlen(key), items[i]) == 0;
      /* a function name resolves to mapping UUIDs: it is reached once any mapping result exists */
      if (!seen && l == 0 && !looks_like_uuid(items[i]))
        for (size_t k = 0; k < r->res.n && !seen; k++)
          seen = strncmp(r->res.keys[k], "lambda/", 7) == 0;
      if (!seen && (err = result_set(&r->res, lists[l].kind, items[i], "pending")) < 0)
        return err;
    }
  }
  return fo_qk_mark_pending(&r->kube, has_result);
}

/* The stop: consumers off first (no new work taken), then the groups and the Kubernetes workloads, then the
 * drain of what is in flight. */
static int stop(q_run *r, int *timed_out) {
  int err;
  *timed_out = 0;
  if ((err = do_mappings(r, 0)) < 0 || (err = do_groups(r, 1)) < 0 || (err = fo_qk_stop(&r->kube)) < 0)
    return err;
  return do_drain(r, timed_out);
}

static int start(q_run *r) {
  int err;
  if ((err = do_groups(r, 0)) < 0 || (err = fo_qk_start(&r->kube)) < 0)
    return err;
  return do_mappings(r, 1);
}

static int finish_state(q_run *r, fo_cty_value **state, const char *status, const char *reason) {
  char ts[21];
  fo_cty_type *t = fo_cty_type_string();
  fo_cty_value *map, *replicas;
  int err;
  if (!t)
    return fo_err_oom();
  if (!(replicas = fo_qk_replicas(&r->kube))) {
    fo_cty_type_unref(t);
    return fo_err_oom();
  }
  if ((err = fo_object_set(state, "kubernetes_replicas", replicas)) < 0) {
    fo_cty_type_unref(t);
    return err;
  }
  map = fo_cty_map(t, r->res.n, r->res.keys, r->res.vals);
  fo_cty_type_unref(t);
  /* the map took the values */
  for (size_t i = 0; i < r->res.n; i++)
    r->res.vals[i] = NULL;
  if (!map)
    return fo_err_oom();
  fo_clock_rfc3339(r->c->clock, ts);
  if ((err = fo_object_set(state, "results", map)) < 0 || (err = fo_object_set_string(state, "status", status)) < 0 ||
      (err = fo_object_set_string(state, "finished_at", ts)) < 0)
    return err;
  return reason ? fo_object_set_string(state, "unreachable_reason", reason)
                : fo_object_set(state, "unreachable_reason", fo_object_null_attr(*state, "unreachable_reason"));
}

static int q_apply(fo_call *c, const fo_cty_value *prior, const fo_cty_value *planned, const char *op,
                   fo_cty_value **out) {
  fo_cty_value *state = fo_cty_value_ref(planned);
  fo_side side = side_of(planned);
  const char *region = fo_provider_region(c->provider, side), *cts = str_of(planned, "call_timeout");
  int64_t call_s = DEFAULT_CALL_TIMEOUT_S;
  int stopped = 1, pending = 0, timed_out = 0, error;
  const fo_cty_value *sv = known_attr(planned, "stopped");
  q_run r = {.c = c, .planned = planned};
  r.kube.c = c;
  r.kube.planned = planned;
  r.kube.prior = prior;
  r.kube.result = kube_result;
  r.kube.ud = &r;
  char ts[21], reason[512];

  *out = NULL;
  if (sv)
    stopped = fo_cty_as_bool(sv);
  if (cts && fo_parse_duration(cts, &call_s) < 0)
    call_s = DEFAULT_CALL_TIMEOUT_S;
  r.timeout_ms = (long)fo_timeouts_seconds(planned, op, DEFAULT_TIMEOUT_S) * 1000;
  if (prior && !fo_cty_is_null(prior) && str_of(prior, "status") &&
      strncmp(str_of(prior, "status"), "pending_", 8) == 0)
    pending = 1;
  r.kube.call_timeout_ms = (long)(call_s > 0 ? call_s : 1) * 1000;
  if ((error = fo_provider_aws_short(c->provider, side, (long)(call_s > 0 ? call_s : 1) * 1000, &r.aws)) < 0)
    goto fail;
  fo_clock_rfc3339(c->clock, ts);
  if ((error = fo_object_set_string(&state, "started_at", ts)) < 0)
    goto fail;

  if (stopped || pending) {
    /* A failback after a stop that did not finish completes the stop first (drain included), so the consumers
     * never run while the other side has taken over half of the work. */
    error = stop(&r, &timed_out);
    if (error < 0 && is_unreachable(error) && !timed_out) {
      snprintf(reason, sizeof(reason), "%s", fo_err_last());
      if (!stopped || !str_is(planned, "unreachable", "warn")) {
        fo_diags_error(c->diags, NULL,
                       stopped ? "Quiesce failed: region unreachable" : "Start failed: region unreachable",
                       "The %s region (%s) did not answer while %s its consumers: %s.%s", fo_side_name(side), region,
                       stopped ? "stopping" : "finishing the pending stop of", reason,
                       stopped ? " With unreachable = \"warn\" the failover would go on and the next apply would "
                                 "finish the stop."
                               : " Starting again needs the region; retry when it answers.");
        goto fail;
      }
      if ((error = mark_pending(&r)) < 0 || (error = finish_state(&r, &state, "pending_unreachable", reason)) < 0)
        goto fail;
      fo_diags_warning(c->diags, NULL, "Quiesce pending: region unreachable",
                       "The %s region (%s) did not answer (%s). The stop is recorded as pending "
                       "(status = \"pending_unreachable\") and the failover goes on; the next apply finishes the stop "
                       "when the region answers, before any failback.",
                       fo_side_name(side), region, reason);
      goto done;
    }
    if (error < 0 && timed_out) {
      fo_diags_error(c->diags, NULL, "Messages still in flight at the timeout",
                     "%s. The consumers are stopped; the state records status = \"pending_drain\" so the next apply "
                     "waits again. Raise timeouts.%s or check the queue's consumers.",
                     fo_err_last(), op);
      if (mark_pending(&r) >= 0 && finish_state(&r, &state, "pending_drain", NULL) >= 0) {
        fo_aws_client_free(r.aws);
        results_dispose(&r.res);
        fo_qk_dispose(&r.kube);
        *out = state;
        return FO_ETIMEOUT;
      }
      goto fail;
    }
    if (error < 0)
      goto fail;
  }
  if (!stopped && (error = start(&r)) < 0) {
    if (is_unreachable(error))
      fo_diags_error(c->diags, NULL, "Start failed: region unreachable",
                     "The %s region (%s) did not answer while starting its consumers again: %s.", fo_side_name(side),
                     region, fo_err_last());
    goto fail;
  }
  if ((error = finish_state(&r, &state, stopped ? "stopped" : "started", NULL)) < 0)
    goto fail;
done:
  fo_aws_client_free(r.aws);
  results_dispose(&r.res);
  fo_qk_dispose(&r.kube);
  *out = state;
  return FO_OK;
fail:
  fo_aws_client_free(r.aws);
  results_dispose(&r.res);
  fo_qk_dispose(&r.kube);
  fo_cty_value_unref(state);
  return error;
}

static int q_create(fo_call *c, const fo_cty_value *planned, const fo_cty_value *config, fo_cty_value **out) {
  (void)config;
  return q_apply(c, NULL, planned, "create", out);
}

static int q_update(fo_call *c, const fo_cty_value *prior, const fo_cty_value *planned, const fo_cty_value *config,
                    fo_cty_value **out) {
  (void)config;
  return q_apply(c, prior, planned, "update", out);
}

/* Refresh reads nothing: the region may be down and nothing on the failover path may wait on it
 * (`failover-audit verify` checks the live state). */
static int q_read(fo_call *c, const fo_cty_value *state, fo_cty_value **out) {
  (void)c;
  *out = fo_cty_value_ref(state);
  return FO_OK;
}

/* Destroy forgets the resource and changes nothing: set stopped = false first to start the consumers again. */
static int q_destroy(fo_call *c, const fo_cty_value *prior) {
  (void)c;
  (void)prior;
  return FO_OK;
}

const fo_resource fo_quiesce_resource = {
    .type_name = "failover_quiesce",
    .schema = &q_schema,
    .validate = q_validate,
    .modify_plan = q_modify_plan,
    .create = q_create,
    .read = q_read,
    .update = q_update,
    .destroy = q_destroy,
};
