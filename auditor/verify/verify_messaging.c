/* verify_messaging: the Messaging group (queues consumed without a growing backlog; Lambda functions Active and
 * their event source mappings Enabled on the active side) and the Integrity group (the stopped side's consumers
 * are stopped: mappings Disabled, queue servers at 0). */
#include "fo_aws_autoscaling.h"
#include "fo_aws_json.h"
#include "fo_aws_lambda.h"
#include "fo_aws_sqs.h"
#include "fo_err.h"
#include "verify_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QUEUES 100

/* The queue's name: the last path segment of its URL. */
static const char *queue_name(const char *url) {
  const char *s = strrchr(url, '/');
  return s && s[1] ? s + 1 : url;
}

/* The depth of one queue, or -1 after recording the problem (missing queue: finding; unreadable: source). */
static int sample(verify_check *c, const char *url, long *depth) {
  const char *const names[] = {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"};
  cJSON *attrs = NULL;
  int err = fo_aws_sqs_get_queue_attributes(&attrs, c->v->aws[c->side], c->v->cancel, url, names, 2);
  *depth = -1;
  if (err == FO_EAWS &&
      (verify_aws_code_is("AWS.SimpleQueueService.NonExistentQueue") || verify_aws_code_is("QueueDoesNotExist")))
    return verify_fail(c, "verify.queue-missing", NULL, "queue %s does not exist", url);
  if (err < 0)
    return err == FO_ENOMEM ? err : verify_unreadable(c, "messaging");
  *depth = fo_aws_sqs_attribute_count(attrs, "ApproximateNumberOfMessages");
  cJSON_Delete(attrs);
  if (*depth >= 0)
    return 0;
  /* never a silent pass: an answer without the depth is a source that cannot be read */
  fo_err_set(FO_EAWS, "sqs GetQueueAttributes of %s: no ApproximateNumberOfMessages in the answer", url);
  return verify_unreadable(c, "messaging");
}

static int check_backlog(verify_ctx *v, const fo_audit_verify_cfg *vc) {
  verify_check cs[MAX_QUEUES];
  char keys[MAX_QUEUES][256];
  long first[MAX_QUEUES], second;
  size_t n = vc->nqueues < MAX_QUEUES ? vc->nqueues : MAX_QUEUES;
  int err = 0, sampled = 0;

  for (size_t i = 0; i < n; i++) {
    snprintf(keys[i], sizeof keys[i], "verify/messaging/queue/%s", queue_name(vc->queues[i]));
    verify_check_begin(&cs[i], v, keys[i], FO_AUDIT_STEP_MESSAGING, v->active);
    if ((err = sample(&cs[i], vc->queues[i], &first[i])) < 0)
      return err;
    sampled |= first[i] >= 0;
  }
  if (sampled) {
    /* the tests wait for this line before they add messages */
    fprintf(stderr, "failover-audit: verify: first queue depth sample taken; the second in %.1f s\n",
            (double)vc->backlog_interval_ms / 1000);
    if ((err = fo_clock_sleep_ms(v->clock, vc->backlog_interval_ms, v->cancel)) < 0)
      return fo_err_set(err, "verify: cancelled while sampling the queues");
  }
  for (size_t i = 0; i < n; i++) {
    if (first[i] >= 0) {
      if ((err = sample(&cs[i], vc->queues[i], &second)) < 0)
        return err;
      if (second > first[i]) {
        char val[64];
        snprintf(val, sizeof val, "[%ld,%ld]", first[i], second);
        if ((err = verify_fail(&cs[i], "verify.queue-backlog-growing", val,
                               "queue %s grew from %ld to %ld messages in %.1f s: it is not being consumed",
                               queue_name(vc->queues[i]), first[i], second, (double)vc->backlog_interval_ms / 1000)) <
            0)
          return err;
      }
    }
    if ((err = verify_check_end(&cs[i])) < 0)
      return err;
  }
  return 0;
}

/* The mappings of `fn` on the check's side: each must be in `want` ("Enabled" / "Disabled"). */
static int check_mappings(verify_check *c, const char *fn, const char *want, const char *rule) {
  cJSON *maps = NULL;
  const cJSON *m;
  int err = fo_aws_lambda_list_event_source_mappings(&maps, c->v->aws[c->side], c->v->cancel, fn);
  if (err < 0)
    return err == FO_ENOMEM ? err : verify_unreadable(c, !strcmp(want, "Enabled") ? "messaging" : "integrity");
  cJSON_ArrayForEach(m, maps) {
    const char *state = fo_aws_json_str(m, "State"), *src = fo_aws_json_str(m, "EventSourceArn");
    if (state && !strcmp(state, want))
      continue;
    c->path = fo_aws_json_str(m, "UUID");
    if ((err = verify_fail(c, rule, NULL, "%s's trigger from %s is %s on the %s side, not %s", fn, src ? src : "?",
                           state ? state : "in no state", c->side == c->v->active ? "active" : "stopped", want)) < 0)
      break;
  }
  cJSON_Delete(maps);
  return err;
}

static int check_function(verify_ctx *v, const char *fn) {
  verify_check c;
  char key[256];
  cJSON *doc = NULL;
  const char *state;
  int err;

  snprintf(key, sizeof key, "verify/messaging/lambda/%s", fn);
  verify_check_begin(&c, v, key, FO_AUDIT_STEP_MESSAGING, v->active);
  err = fo_aws_lambda_get_function(&doc, v->aws[v->active], v->cancel, fn);
  if (err == FO_EAWS && verify_aws_code_is("ResourceNotFoundException")) {
    err = verify_fail(&c, "verify.lambda-not-active", NULL, "function %s does not exist on the active side", fn);
  } else if (err < 0) {
    err = err == FO_ENOMEM ? err : verify_unreadable(&c, "messaging");
  } else {
    state = fo_aws_json_str(doc, "Configuration/State");
    if (state && strcmp(state, "Active"))
      err = verify_fail(&c, "verify.lambda-not-active", NULL, "function %s is %s, not Active", fn, state);
    if (err == 0)
      err = check_mappings(&c, fn, "Enabled", "verify.trigger-not-enabled");
  }
  cJSON_Delete(doc);
  return err < 0 ? err : verify_check_end(&c);
}

int verify_messaging(verify_ctx *v) {
  const fo_audit_verify_cfg *vc = v->vc[v->active];
  int err = 0;
  if (vc->nqueues && (err = check_backlog(v, vc)) < 0)
    return err;
  for (size_t i = 0; i < vc->nlambda_functions && err == 0; i++)
    err = check_function(v, vc->lambda_functions[i]);
  return err;
}

/* The stopped side's queue servers: no capacity, no instance left. */
static int check_asgs(verify_ctx *v, int side, const fo_audit_verify_cfg *vc) {
  verify_check c;
  cJSON *groups = NULL;
  const cJSON *g;
  int err;

  verify_check_begin(&c, v, "verify/integrity/queue-servers", FO_AUDIT_STEP_INTEGRITY, side);
  err = fo_aws_autoscaling_describe_groups(&groups, v->aws[side], v->cancel, (const char *const *)vc->queue_server_asgs,
                                           vc->nqueue_server_asgs);
  if (err < 0)
    return err == FO_ENOMEM ? err : verify_unreadable(&c, "integrity");
  cJSON_ArrayForEach(g, groups) {
    const char *name = fo_aws_json_str(g, "AutoScalingGroupName"), *desired = fo_aws_json_str(g, "DesiredCapacity");
    int instances = cJSON_GetArraySize(fo_aws_json_list(g, "Instances"));
    if ((!desired || atol(desired) == 0) && instances == 0)
      continue;
    c.path = name;
    if ((err = verify_fail(&c, "verify.queue-servers-running", desired,
                           "queue servers %s on the stopped side: desired capacity %s, %d instance(s) left",
                           name ? name : "?", desired ? desired : "?", instances)) < 0)
      break;
  }
  cJSON_Delete(groups);
  return err < 0 ? err : verify_check_end(&c);
}

int verify_integrity(verify_ctx *v) {
  int other = !v->active, err = 0;
  const fo_audit_verify_cfg *vc = v->vc[other];
  if (!vc || !v->aws[other])
    return 0;
  for (size_t i = 0; i < vc->nlambda_functions && err == 0; i++) {
    verify_check c;
    char key[256];
    cJSON *doc = NULL;
    snprintf(key, sizeof key, "verify/integrity/lambda/%s", vc->lambda_functions[i]);
    verify_check_begin(&c, v, key, FO_AUDIT_STEP_INTEGRITY, other);
    /* a function that does not exist on the stopped side consumes nothing */
    err = fo_aws_lambda_get_function(&doc, v->aws[other], v->cancel, vc->lambda_functions[i]);
    cJSON_Delete(doc);
    if (err == FO_EAWS && verify_aws_code_is("ResourceNotFoundException"))
      err = 0;
    else if (err < 0)
      err = err == FO_ENOMEM ? err : verify_unreadable(&c, "integrity");
    else
      err = check_mappings(&c, vc->lambda_functions[i], "Disabled", "verify.trigger-still-enabled");
    if (err == 0)
      err = verify_check_end(&c);
  }
  if (err == 0 && vc->nqueue_server_asgs)
    err = check_asgs(v, other, vc);
  return err;
}
