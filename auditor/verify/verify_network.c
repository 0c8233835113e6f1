/* verify_network: the Network group: the name resolves (through the configured resolver) to the active side's
 * load balancers, which are active, and every target of every target group behind them is healthy. */
#include "fo_aws_elbv2.h"
#include "fo_aws_json.h"
#include "fo_err.h"
#include "verify_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static int contains(const cJSON *arr, const char *s) {
  const cJSON *it;
  cJSON_ArrayForEach(it, arr) if (cJSON_IsString(it) && !strcasecmp(it->valuestring, s)) return 1;
  return 0;
}

/* The name's answer must lead to a load balancer of the active side: its DNS name in the CNAME chain, or one of
 * its addresses among the answer's (an alias record answers with the balancer's addresses directly). */
static int check_dns(verify_ctx *v, const fo_audit_verify_cfg *vc, const cJSON *lbs) {
  verify_check c;
  char key[320];
  cJSON *names = cJSON_CreateArray(), *addrs = cJSON_CreateArray();
  const cJSON *lb;
  int err = 0, matched = 0;

  snprintf(key, sizeof key, "verify/network/dns/%s", vc->dns_name);
  verify_check_begin(&c, v, key, FO_AUDIT_STEP_NETWORK, v->active);
  if (!names || !addrs) {
    err = fo_err_oom();
    goto done;
  }
  if ((err = verify_dns_resolve(vc->resolver, vc->dns_name, names, addrs)) < 0) {
    err = err == FO_ENOMEM ? err : verify_fail(&c, "verify.dns-unresolved", NULL, "%s", fo_err_last());
    goto done;
  }
  cJSON_ArrayForEach(lb, lbs) {
    const char *dns = fo_aws_json_str(lb, "DNSName");
    cJSON *ln, *la;
    if (!dns)
      continue;
    if (contains(names, dns)) {
      matched = 1;
      break;
    }
    if (!(ln = cJSON_CreateArray()) || !(la = cJSON_CreateArray())) {
      cJSON_Delete(ln);
      err = fo_err_oom();
      goto done;
    }
    if (verify_dns_resolve(vc->resolver, dns, ln, la) == 0) {
      const cJSON *a;
      cJSON_ArrayForEach(a, la) matched |= contains(addrs, a->valuestring);
    }
    cJSON_Delete(ln);
    cJSON_Delete(la);
    if (matched)
      break;
  }
  if (!matched) {
    char *val = cJSON_PrintUnformatted(addrs);
    err = verify_fail(&c, "verify.dns-wrong-target", val,
                      "%s resolves (through %s) to none of the active side's load balancers", vc->dns_name,
                      vc->resolver ? vc->resolver : "the system resolver");
    cJSON_free(val);
  }
done:
  cJSON_Delete(names);
  cJSON_Delete(addrs);
  if (err == 0)
    err = verify_check_end(&c);
  return err;
}

static int check_targets(verify_ctx *v, const cJSON *tg) {
  const char *name = fo_aws_json_str(tg, "TargetGroupName"), *arn = fo_aws_json_str(tg, "TargetGroupArn");
  verify_check c;
  char key[320];
  cJSON *health = NULL;
  const cJSON *t;
  int err, n = 0;

  snprintf(key, sizeof key, "verify/network/target-group/%s", name ? name : "?");
  verify_check_begin(&c, v, key, FO_AUDIT_STEP_NETWORK, v->active);
  if ((err = fo_aws_elbv2_describe_target_health(&health, v->aws[v->active], v->cancel, arn)) < 0) {
    err = err == FO_ENOMEM ? err : verify_unreadable(&c, "network");
    goto done;
  }
  cJSON_ArrayForEach(t, health) {
    const char *id = fo_aws_json_str(t, "Target/Id"), *state = fo_aws_json_str(t, "TargetHealth/State");
    const char *reason = fo_aws_json_str(t, "TargetHealth/Reason");
    n++;
    if (state && !strcmp(state, "healthy"))
      continue;
    c.path = id;
    if ((err = verify_fail(&c, "verify.target-unhealthy", NULL, "target %s of %s is %s%s%s", id ? id : "?",
                           name ? name : "?", state ? state : "in no state", reason ? ": " : "",
                           reason ? reason : "")) < 0)
      goto done;
  }
  if (n == 0)
    err = verify_fail(&c, "verify.target-group-empty", NULL, "target group %s has no targets", name ? name : "?");
done:
  cJSON_Delete(health);
  if (err == 0)
    err = verify_check_end(&c);
  return err;
}

int verify_network(verify_ctx *v) {
  const fo_audit_verify_cfg *vc = v->vc[v->active];
  cJSON *lbs = NULL;
  const cJSON *lb;
  verify_check c;
  int err = 0;

  if (!vc->nload_balancers)
    return 0;
  verify_check_begin(&c, v, "verify/network/load-balancers", FO_AUDIT_STEP_NETWORK, v->active);
  err = fo_aws_elbv2_describe_load_balancers(&lbs, v->aws[v->active], v->cancel,
                                             (const char *const *)vc->load_balancers, vc->nload_balancers);
  if (err < 0) {
    if (err == FO_EAWS && verify_aws_code_is("LoadBalancerNotFound"))
      err = verify_fail(&c, "verify.lb-missing", NULL, "%s", fo_err_last());
    else if (err != FO_ENOMEM)
      err = verify_unreadable(&c, "network");
    if (err == 0)
      err = verify_check_end(&c);
    return err;
  }
  cJSON_ArrayForEach(lb, lbs) {
    const char *name = fo_aws_json_str(lb, "LoadBalancerName"), *state = fo_aws_json_str(lb, "State/Code");
    c.path = name;
    if (state && strcmp(state, "active") &&
        (err = verify_fail(&c, "verify.lb-missing", NULL, "load balancer %s is %s, not active", name ? name : "?",
                           state)) < 0)
      goto done;
  }
  if ((err = verify_check_end(&c)) < 0)
    goto done;
  if (vc->dns_name && (err = check_dns(v, vc, lbs)) < 0)
    goto done;
  cJSON_ArrayForEach(lb, lbs) {
    cJSON *tgs = NULL;
    const cJSON *tg;
    verify_check g;
    verify_check_begin(&g, v, "verify/network/target-groups", FO_AUDIT_STEP_NETWORK, v->active);
    if ((err = fo_aws_elbv2_describe_target_groups(&tgs, v->aws[v->active], v->cancel,
                                                   fo_aws_json_str(lb, "LoadBalancerArn"))) < 0) {
      if (err != FO_ENOMEM)
        err = verify_unreadable(&g, "network");
      cJSON_Delete(tgs);
      if (err < 0)
        goto done;
      continue;
    }
    cJSON_ArrayForEach(tg, tgs) if ((err = check_targets(v, tg)) < 0) break;
    cJSON_Delete(tgs);
    if (err < 0)
      goto done;
  }
done:
  cJSON_Delete(lbs);
  return err;
}
