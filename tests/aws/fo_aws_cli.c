/* fo_aws_cli: a small command-line driver of the fo_aws library for the aws.*
 * integration tests and the benchmark. Results are JSON on stdout; errors
 * are a JSON object {"error": {...}} on stdout plus a message on stderr.
 * Exit codes: 0 ok, 1 the call failed, 2 usage. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "fo_aws_autoscaling.h"
#include "fo_aws_backup.h"
#include "fo_aws_client.h"
#include "fo_aws_eks.h"
#include "fo_aws_json.h"
#include "fo_aws_route53.h"
#include "fo_aws_route53_rrset.h"
#include "fo_aws_s3.h"
#include "fo_aws_sts.h"
#include "fo_cancel.h"
#include "fo_clock.h"
#include "fo_err.h"
#include "fo_log.h"

#define MAX_OVERRIDES 16

typedef struct cli {
  fo_aws_config cfg;
  fo_aws_endpoint_override ov[MAX_OVERRIDES];
  size_t n_ov;
  double fixed_random;
  int use_fixed_random;
  int trace_retries;
  int stats;
  long cancel_after_ms;
  int cancel_on_stdin;
  int fake_sleep;
  fo_clock fake_clock;
  fo_cancel *cancel; /* the token every call of this run takes */
  fo_aws_client *client;
} cli;

/* --cancel-after-ms / --cancel-on-stdin: cancel the run's token from another
 * thread, as the provider does when Terraform stops or drops a call. The stdin form lets a test cancel at a known
 * point (the proxy holds the request, a retry was announced) instead of
 * after a time a loaded machine may not keep. */
static void *canceller(void *arg) {
  cli *cl = arg;
  if (cl->cancel_on_stdin) {
    int ch;
    while ((ch = getchar()) != EOF && ch != '\n') {
    }
  } else {
    struct timespec ts = {cl->cancel_after_ms / 1000, (cl->cancel_after_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
  }
  fo_cancel_trigger(cl->cancel, "cancelled by fo_aws_cli");
  return NULL;
}

/* --fake-sleep: the client's clock records each backoff instead of sleeping,
 * so tests check the delays the engine really waited without a clock. */
static int64_t real_mono(void *ud) {
  (void)ud;
  return fo_clock_mono_ms(NULL);
}

static time_t real_wall(void *ud) {
  (void)ud;
  return fo_clock_wall(NULL);
}

static int fake_sleep(void *ud, long ms, const fo_cancel *cancel) {
  (void)ud;
  fprintf(stderr, "sleep: %ld\n", ms);
  if (fo_cancel_is_cancelled(cancel))
    return fo_err_set(FO_ECANCELED, "cancelled: %s", fo_cancel_reason(cancel));
  return 0;
}

static double fixed_random(void *ud) {
  return ((cli *)ud)->fixed_random;
}

static void trace_retry(void *ud, const fo_aws_retry_event *ev) {
  static const char *const cls[] = {"none", "throttle", "transient", "server", "timeout"};
  if (!((cli *)ud)->trace_retries)
    return;
  fprintf(stderr,
          "retry: {\"operation\":\"%s\",\"attempt\":%d,\"status\":%ld,\"code\":\"%s\",\"class\":\"%s\","
          "\"delay_ms\":%ld,\"cap_ms\":%ld}\n",
          ev->operation, ev->attempt, ev->status, ev->code, cls[ev->cls], ev->delay_ms, ev->cap_ms);
}

static void usage(void) {
  fprintf(stderr,
          "usage: fo_aws_cli [options] <command> [args]\n"
          "options: --region R --profile P --endpoint-url URL --endpoint svc=URL\n"
          "         --access-key K --secret-key S --session-token T --assume-role ARN\n"
          "         --config-file F --credentials-file F\n"
          "         --max-attempts N --retry-base-ms MS --retry-max-ms MS --timeout-ms MS\n"
          "         --fixed-random X --trace-retries --stats --cancel-after-ms MS\n"
          "         --cancel-on-stdin --fake-sleep -v|--verbose\n"
          "commands: whoami | creds | route53-list-zones | route53-list-rrsets ZONE\n"
          "  route53-change ZONE ACTION NAME TYPE TTL SETID WEIGHT VALUE | route53-get-change ID | route53-wait ID\n"
          "  eks-describe-cluster C | eks-list-nodegroups C | eks-describe-nodegroup C NG\n"
          "  eks-update-nodegroup C NG MIN MAX DESIRED | eks-list-addons C | eks-describe-addon C A\n"
          "  backup-create-plan JSON | backup-get-plan ID | backup-delete-plan ID | backup-list-plans\n"
          "  backup-list-points VAULT [RESOURCE_ARN] | backup-describe-point VAULT ARN\n"
          "  backup-newest VAULT [RESOURCE_ARN|''] [copies]\n"
          "  asg-describe [NAME...] | asg-update NAME MIN MAX DESIRED\n"
          "  s3-get BUCKET KEY [MAX] | s3-presign BUCKET KEY\n"
          "  bench OP N THREADS   (OP: whoami | route53-list-zones)\n"
          "  pair OP_A OP_B       two calls at once on one client, each with its own token;\n"
          "                       stdin lines 'cancel a' / 'cancel b' cancel one; ends at EOF\n");
}

static int print_json(cJSON *v) {
  char *s = cJSON_PrintUnformatted(v);
  if (!s)
    return 1;
  printf("%s\n", s);
  free(s);
  return 0;
}

static void print_error(int err) {
  const fo_aws_error *e = fo_aws_last_error();
  cJSON *o = cJSON_CreateObject(), *in = cJSON_AddObjectToObject(o, "error");
  char msg[2048];
  snprintf(msg, sizeof(msg), "%s", fo_err_last());
  fo_log_redact(msg);
  cJSON_AddNumberToObject(in, "rc", err);
  cJSON_AddStringToObject(in, "message", msg);
  cJSON_AddStringToObject(in, "code", e->code);
  cJSON_AddNumberToObject(in, "status", (double)e->status);
  cJSON_AddStringToObject(in, "request_id", e->request_id);
  cJSON_AddNumberToObject(in, "attempts", e->attempts);
  print_json(o);
  cJSON_Delete(o);
  fprintf(stderr, "error: %s\n", msg);
}

static long num(const char *s) {
  char *end = NULL;
  long v;
  errno = 0;
  v = strtol(s, &end, 10);
  if (errno || !end || *end) {
    fprintf(stderr, "fo_aws_cli: bad number '%s'\n", s);
    exit(2);
  }
  return v;
}

typedef struct bench_ctx {
  fo_aws_client *client;
  const char *op;
  long n;
  long errors;
} bench_ctx;

static int one_call(fo_aws_client *c, const fo_cancel *cancel, const char *op) {
  cJSON *out = NULL;
  int err;
  if (strcmp(op, "whoami") == 0)
    err = fo_aws_sts_get_caller_identity(&out, c, cancel);
  else
    err = fo_aws_route53_list_hosted_zones(&out, c, cancel);
  cJSON_Delete(out);
  return err;
}

static void *bench_thread(void *arg) {
  bench_ctx *b = arg;
  long i;
  for (i = 0; i < b->n; i++)
    if (one_call(b->client, NULL, b->op) < 0)
      b->errors++;
  return NULL;
}

static int run_bench(fo_aws_client *c, const char *op, long n, long threads) {
  pthread_t tids[64];
  bench_ctx ctx[64];
  struct timespec t0, t1;
  struct rusage ru0, ru1;
  long i, errors = 0;
  double secs, cpu;
  cJSON *o;

  if (threads < 1 || threads > 64 || n < 1)
    return 2;
  if (one_call(c, NULL, op) < 0) { /* warm up: credentials, connections */
    print_error(-1);
    return 1;
  }
  getrusage(RUSAGE_SELF, &ru0);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (i = 0; i < threads; i++) {
    ctx[i].client = c;
    ctx[i].op = op;
    ctx[i].n = n / threads + (i < n % threads ? 1 : 0);
    ctx[i].errors = 0;
    pthread_create(&tids[i], NULL, bench_thread, &ctx[i]);
  }
  for (i = 0; i < threads; i++) {
    pthread_join(tids[i], NULL);
    errors += ctx[i].errors;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  getrusage(RUSAGE_SELF, &ru1);
  cpu = (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec + ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
        (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec + ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
  secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "client", "fo_aws (C)");
  cJSON_AddStringToObject(o, "op", op);
  cJSON_AddNumberToObject(o, "requests", (double)n);
  cJSON_AddNumberToObject(o, "threads", (double)threads);
  cJSON_AddNumberToObject(o, "errors", (double)errors);
  cJSON_AddNumberToObject(o, "seconds", secs);
  cJSON_AddNumberToObject(o, "rps", (double)n / secs);
  cJSON_AddNumberToObject(o, "client_cpu_seconds", cpu);
  cJSON_AddNumberToObject(o, "client_cpu_us_per_request", cpu * 1e6 / (double)n);
  print_json(o);
  cJSON_Delete(o);
  return errors ? 1 : 0;
}

/* pair: two calls at once on one client, each under its own token, so a
 * test can cancel one while both are in flight (held by the fault proxy or
 * in a backoff) and see that the other goes on. Each call prints
 * "done: {...}" on stderr when it ends; stdout gets both results. */
typedef struct pair_call {
  fo_aws_client *client;
  const char *name, *op;
  fo_cancel *cancel;
  int rc;
  char message[512];
} pair_call;

static void *pair_thread(void *arg) {
  pair_call *p = arg;
  p->rc = one_call(p->client, p->cancel, p->op);
  snprintf(p->message, sizeof(p->message), "%s", p->rc < 0 ? fo_err_last() : "");
  fo_log_redact(p->message);
  {
    cJSON *o = cJSON_CreateObject();
    char *s;
    cJSON_AddStringToObject(o, "call", p->name);
    cJSON_AddNumberToObject(o, "rc", p->rc);
    cJSON_AddStringToObject(o, "message", p->message);
    s = cJSON_PrintUnformatted(o);
    fprintf(stderr, "done: %s\n", s ? s : "{}");
    fflush(stderr);
    free(s);
    cJSON_Delete(o);
  }
  return NULL;
}

static void *pair_stdin(void *arg) {
  pair_call *calls = arg;
  char line[64];
  while (fgets(line, sizeof(line), stdin)) {
    if (strncmp(line, "cancel a", 8) == 0)
      fo_cancel_trigger(calls[0].cancel, "cancelled by fo_aws_cli");
    else if (strncmp(line, "cancel b", 8) == 0)
      fo_cancel_trigger(calls[1].cancel, "cancelled by fo_aws_cli");
  }
  return NULL;
}

static int run_pair(fo_aws_client *c, const char *op_a, const char *op_b) {
  pair_call calls[2] = {{c, "a", op_a, NULL, 0, ""}, {c, "b", op_b, NULL, 0, ""}};
  pthread_t t[2], in;
  cJSON *o;
  int i;
  if (fo_cancel_new(&calls[0].cancel, NULL) < 0 || fo_cancel_new(&calls[1].cancel, NULL) < 0) {
    fo_cancel_free(calls[0].cancel);
    return 1;
  }
  pthread_create(&in, NULL, pair_stdin, calls);
  for (i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, pair_thread, &calls[i]);
  for (i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  o = cJSON_CreateObject();
  for (i = 0; i < 2; i++) {
    cJSON *r = cJSON_AddObjectToObject(o, calls[i].name);
    cJSON_AddNumberToObject(r, "rc", calls[i].rc);
    cJSON_AddStringToObject(r, "message", calls[i].message);
  }
  print_json(o);
  fflush(stdout);
  cJSON_Delete(o);
  pthread_join(in, NULL); /* stdin is read to its end: the caller closes it */
  fo_cancel_free(calls[0].cancel);
  fo_cancel_free(calls[1].cancel);
  return calls[0].rc < 0 || calls[1].rc < 0 ? 1 : 0;
}

/* {"Id", "Status"} of a Route53 change, when the call that gave them succeeded. */
static int change_info(cJSON **out, int err, const char *id, const char *status) {
  if (err < 0)
    return err;
  if (!(*out = cJSON_CreateObject()) || !cJSON_AddStringToObject(*out, "Id", id ? id : "") ||
      !cJSON_AddStringToObject(*out, "Status", status))
    return fo_err_oom();
  return 0;
}

static int run(fo_aws_client *c, const fo_cancel *cancel, int argc, char **argv) {
  const char *cmd = argv[0];
  cJSON *out = NULL;
  char id[128], st[64];
  int err;

#define NEED(k)           \
  do {                    \
    if (argc < (k) + 1) { \
      usage();            \
      return 2;           \
    }                     \
  } while (0)
  if (strcmp(cmd, "whoami") == 0) {
    err = fo_aws_sts_get_caller_identity(&out, c, cancel);
  } else if (strcmp(cmd, "creds") == 0) {
    fo_aws_credentials *cr = NULL;
    if ((err = fo_aws_client_credentials(&cr, c, cancel)) == 0) {
      out = cJSON_CreateObject();
      cJSON_AddStringToObject(out, "source", cr->source);
      cJSON_AddStringToObject(out, "access_key_id", cr->access_key_id);
      cJSON_AddBoolToObject(out, "session_token", cr->session_token != NULL);
      cJSON_AddNumberToObject(out, "expiration", (double)cr->expiration);
      fo_aws_credentials_free(cr);
    }
  } else if (strcmp(cmd, "route53-list-zones") == 0) {
    err = fo_aws_route53_list_hosted_zones(&out, c, cancel);
  } else if (strcmp(cmd, "route53-list-rrsets") == 0) {
    NEED(1);
    err = fo_aws_route53_list_resource_record_sets(&out, c, cancel, argv[1], NULL, NULL);
  } else if (strcmp(cmd, "route53-change") == 0) {
    fo_aws_route53_rrset r;
    fo_aws_route53_rrset_change ch;
    char *vals[1];
    NEED(8);
    memset(&r, 0, sizeof(r));
    /* a view of argv: rrset fields are not const because read results own them; nothing here is freed */
    r.name = argv[3];
    r.type = argv[4];
    r.ttl = num(argv[5]);
    r.set_identifier = *argv[6] ? argv[6] : NULL;
    r.weight = num(argv[7]);
    vals[0] = argv[8];
    r.values = vals;
    r.n_values = 1;
    ch.action = argv[2];
    ch.rrset = &r;
    err = change_info(
        &out,
        fo_aws_route53_rrset_change_batch(c, cancel, argv[1], &ch, 1, "fo_aws_cli", id, sizeof(id), st, sizeof(st)), id,
        st);
  } else if (strcmp(cmd, "route53-get-change") == 0) {
    NEED(1);
    err = change_info(&out, fo_aws_route53_change_status(c, cancel, argv[1], st, sizeof(st)),
                      fo_aws_route53_bare_id(argv[1]), st);
  } else if (strcmp(cmd, "route53-wait") == 0) {
    NEED(1);
    err = change_info(&out, fo_aws_route53_wait_insync(c, cancel, NULL, argv[1], 60000, st, sizeof(st)),
                      fo_aws_route53_bare_id(argv[1]), st);
  } else if (strcmp(cmd, "eks-describe-cluster") == 0) {
    NEED(1);
    err = fo_aws_eks_describe_cluster(&out, c, cancel, argv[1]);
  } else if (strcmp(cmd, "eks-list-nodegroups") == 0) {
    NEED(1);
    err = fo_aws_eks_list_nodegroups(&out, c, cancel, argv[1]);
  } else if (strcmp(cmd, "eks-describe-nodegroup") == 0) {
    NEED(2);
    err = fo_aws_eks_describe_nodegroup(&out, c, cancel, argv[1], argv[2]);
  } else if (strcmp(cmd, "eks-update-nodegroup") == 0) {
    NEED(5);
    err = fo_aws_eks_update_nodegroup_scaling(&out, c, cancel, argv[1], argv[2], num(argv[3]), num(argv[4]),
                                              num(argv[5]));
  } else if (strcmp(cmd, "eks-list-addons") == 0) {
    NEED(1);
    err = fo_aws_eks_list_addons(&out, c, cancel, argv[1]);
  } else if (strcmp(cmd, "eks-describe-addon") == 0) {
    NEED(2);
    err = fo_aws_eks_describe_addon(&out, c, cancel, argv[1], argv[2]);
  } else if (strcmp(cmd, "backup-create-plan") == 0) {
    cJSON *plan;
    NEED(1);
    if (!(plan = cJSON_Parse(argv[1]))) {
      fprintf(stderr, "fo_aws_cli: plan is not JSON\n");
      return 2;
    }
    err = fo_aws_backup_create_backup_plan(&out, c, cancel, plan, argc > 2 ? argv[2] : NULL);
    cJSON_Delete(plan);
  } else if (strcmp(cmd, "backup-get-plan") == 0) {
    NEED(1);
    err = fo_aws_backup_get_backup_plan(&out, c, cancel, argv[1]);
  } else if (strcmp(cmd, "backup-delete-plan") == 0) {
    NEED(1);
    err = fo_aws_backup_delete_backup_plan(&out, c, cancel, argv[1]);
  } else if (strcmp(cmd, "backup-list-plans") == 0) {
    err = fo_aws_backup_list_backup_plans(&out, c, cancel);
  } else if (strcmp(cmd, "backup-list-points") == 0) {
    NEED(1);
    err = fo_aws_backup_list_recovery_points(&out, c, cancel, argv[1], argc > 2 ? argv[2] : NULL);
  } else if (strcmp(cmd, "backup-describe-point") == 0) {
    NEED(2);
    err = fo_aws_backup_describe_recovery_point(&out, c, cancel, argv[1], argv[2]);
  } else if (strcmp(cmd, "backup-newest") == 0) {
    cJSON *all = NULL;
    NEED(1);
    if ((err = fo_aws_backup_list_recovery_points(&all, c, cancel, argv[1], NULL)) == 0) {
      const cJSON *best = fo_aws_backup_newest_completed(all, argc > 2 && *argv[2] ? argv[2] : NULL,
                                                         argc > 3 && strcmp(argv[3], "copies") == 0);
      out = best ? cJSON_Duplicate(best, 1) : cJSON_CreateNull();
      if (!out)
        err = fo_err_oom();
    }
    cJSON_Delete(all);
  } else if (strcmp(cmd, "asg-describe") == 0) {
    err = fo_aws_autoscaling_describe_groups(&out, c, cancel, (const char *const *)argv + 1, (size_t)argc - 1);
  } else if (strcmp(cmd, "asg-update") == 0) {
    NEED(4);
    err = fo_aws_autoscaling_update_group(c, cancel, argv[1], num(argv[2]), num(argv[3]), num(argv[4]));
    if (err == 0)
      out = cJSON_CreateObject();
  } else if (strcmp(cmd, "s3-get") == 0) {
    fo_buf b = FO_BUF_INIT;
    NEED(2);
    if ((err = fo_aws_s3_get_object(&b, c, cancel, argv[1], argv[2], argc > 3 ? (size_t)num(argv[3]) : 0)) == 0) {
      fwrite(b.data ? b.data : "", 1, b.len, stdout);
      fo_buf_dispose(&b);
      return 0;
    }
    fo_buf_dispose(&b);
  } else if (strcmp(cmd, "s3-presign") == 0) {
    char *url = NULL;
    NEED(2);
    if ((err = fo_aws_s3_presign_get(&url, c, cancel, argv[1], argv[2], 300)) == 0) {
      printf("%s\n", url);
      free(url);
      return 0;
    }
  } else if (strcmp(cmd, "bench") == 0) {
    NEED(3);
    return run_bench(c, argv[1], num(argv[2]), num(argv[3]));
  } else if (strcmp(cmd, "pair") == 0) {
    NEED(2);
    return run_pair(c, argv[1], argv[2]);
  } else {
    usage();
    return 2;
  }
#undef NEED
  if (err < 0) {
    print_error(err);
    return 1;
  }
  print_json(out);
  cJSON_Delete(out);
  return 0;
}

int main(int argc, char **argv) {
  cli cl;
  fo_aws_client *c = NULL;
  fo_log_level lvl = fo_log_level_from_env(FO_LOG_WARN);
  int i, rc;

  memset(&cl, 0, sizeof(cl));
  for (i = 1; i < argc && argv[i][0] == '-'; i++) {
    const char *o = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name) (strcmp(o, name) == 0 && v && (i++, 1))
    if (OPT("--region"))
      cl.cfg.region = v;
    else if (OPT("--profile"))
      cl.cfg.profile = v;
    else if (OPT("--access-key"))
      cl.cfg.access_key_id = v;
    else if (OPT("--secret-key"))
      cl.cfg.secret_access_key = v;
    else if (OPT("--session-token"))
      cl.cfg.session_token = v;
    else if (OPT("--assume-role"))
      cl.cfg.assume_role_arn = v;
    else if (OPT("--config-file"))
      cl.cfg.shared_config_file = v;
    else if (OPT("--credentials-file"))
      cl.cfg.shared_credentials_file = v;
    else if (OPT("--max-attempts"))
      cl.cfg.max_attempts = (int)num(v);
    else if (OPT("--retry-base-ms"))
      cl.cfg.retry_base_ms = num(v);
    else if (OPT("--retry-max-ms"))
      cl.cfg.retry_max_backoff_ms = num(v);
    else if (OPT("--timeout-ms"))
      cl.cfg.timeout_ms = num(v);
    else if (OPT("--cancel-after-ms"))
      cl.cancel_after_ms = num(v);
    else if (OPT("--fixed-random")) {
      cl.fixed_random = strtod(v, NULL);
      cl.use_fixed_random = 1;
    } else if (OPT("--endpoint-url")) {
      static const char *const all[] = {"sts", "route53", "eks", "backup", "autoscaling", "s3", "elbv2"};
      size_t k;
      for (k = 0; k < sizeof(all) / sizeof(all[0]) && cl.n_ov < MAX_OVERRIDES; k++) {
        cl.ov[cl.n_ov].service = all[k];
        cl.ov[cl.n_ov++].url = v;
      }
    } else if (OPT("--endpoint")) {
      char *eq = strchr(argv[i], '=');
      if (!eq || cl.n_ov >= MAX_OVERRIDES) {
        usage();
        return 2;
      }
      *eq = '\0';
      cl.ov[cl.n_ov].service = argv[i];
      cl.ov[cl.n_ov++].url = eq + 1;
    } else if (strcmp(o, "--trace-retries") == 0)
      cl.trace_retries = 1;
    else if (strcmp(o, "--stats") == 0)
      cl.stats = 1;
    else if (strcmp(o, "--cancel-on-stdin") == 0)
      cl.cancel_on_stdin = 1;
    else if (strcmp(o, "--fake-sleep") == 0)
      cl.fake_sleep = 1;
    else if (strcmp(o, "-v") == 0 || strcmp(o, "--verbose") == 0)
      lvl = FO_LOG_DEBUG;
    else {
      usage();
      return 2;
    }
#undef OPT
  }
  if (i >= argc) {
    usage();
    return 2;
  }
  fo_log_setup(lvl, FO_LOG_FORMAT_TEXT, "fo_aws_cli");
  cl.cfg.endpoints = cl.ov;
  cl.cfg.n_endpoints = cl.n_ov;
  cl.cfg.random = cl.use_fixed_random ? fixed_random : NULL;
  cl.cfg.on_retry = trace_retry;
  cl.fake_clock = (fo_clock){real_mono, real_wall, fake_sleep, &cl};
  cl.cfg.clock = cl.fake_sleep ? &cl.fake_clock : NULL;
  cl.cfg.hook_ud = &cl;
  if (fo_cancel_new(&cl.cancel, NULL) < 0) {
    print_error(-1);
    return 1;
  }
  if (fo_aws_client_new(&c, &cl.cfg) < 0) {
    print_error(-1);
    return 1;
  }
  cl.client = c;
  if (cl.cancel_after_ms > 0 || cl.cancel_on_stdin) {
    pthread_t t;
    pthread_create(&t, NULL, canceller, &cl);
    pthread_detach(t);
  }
  rc = run(c, cl.cancel, argc - i, argv + i);
  if (cl.stats) {
    long calls = 0, attempts = 0;
    fo_aws_client_stats(c, &calls, &attempts);
    fprintf(stderr, "stats: {\"calls\":%ld,\"attempts\":%ld}\n", calls, attempts);
  }
  fo_aws_client_free(c);
  fo_cancel_free(cl.cancel);
  return rc;
}
