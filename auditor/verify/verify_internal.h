/* verify_internal: what the verify checks share (one file per checklist group: verify_network, verify_messaging,
 * verify_data, verify_observability; verify_run drives them): the run's context and how a check reports. */
#ifndef FO_AUDIT_VERIFY_INTERNAL_H
#define FO_AUDIT_VERIFY_INTERNAL_H

#include "fo_audit_verify.h"

struct fo_aws_client;

typedef struct verify_ctx {
  fo_audit_result *r;
  const fo_audit_config *cfg;
  int active;                       /* 0 primary, 1 secondary: the now-active side */
  const fo_audit_verify_cfg *vc[2]; /* each side's verify config (NULL when none) */
  struct fo_aws_client *aws[2];
  const char *kube_context[2]; /* the run's kubeconfig context per side, or NULL */
  const fo_cancel *cancel;
  const fo_clock *clock;
} verify_ctx;

/* One check of the run: a timed subject `key` in `step`; findings name the same key. */
typedef struct verify_check {
  verify_ctx *v;
  const char *key; /* "verify/network/target-group/web" */
  fo_audit_step step;
  int side; /* the side it looks at (0, 1) */
  long long started_ms;
  const char *path; /* what inside the check a finding is about (a target, an alarm); NULL: the whole check */
} verify_check;

void verify_check_begin(verify_check *c, verify_ctx *v, const char *key, fo_audit_step step, int side);
/* Record the check as a subject with its start and finish. 0 or FO_ENOMEM. */
int verify_check_end(verify_check *c);

/* A failed check: a side-check finding of `rule_id` on the check's key; `value` (may be NULL) is shown as the
 * side's value (JSON text). 0 or FO_ENOMEM. */
int verify_fail(verify_check *c, const char *rule_id, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The check's source could not be read (AWS refused or unreachable): recorded unreadable (exit 3), with the
 * message of fo_err_last(). */
int verify_unreadable(verify_check *c, const char *source);

/* 1 when the last AWS error is "the thing does not exist" with one of these codes. */
int verify_aws_code_is(const char *code);

/* The groups (each returns 0, or FO_ENOMEM / FO_ECANCELED only). */
int verify_network(verify_ctx *v);
int verify_applications(verify_ctx *v);
int verify_messaging(verify_ctx *v);
int verify_integrity(verify_ctx *v);
int verify_data(verify_ctx *v);
int verify_observability(verify_ctx *v);

/* Resolve `name` (A records, following CNAMEs) through the nameserver "ip[:port]": the CNAME chain's names and
 * the addresses into `names`/`addrs` (JSON arrays of strings). FO_EINVAL for a bad resolver, FO_ENOTFOUND with
 * the reason when the name does not resolve. */
int verify_dns_resolve(const char *resolver, const char *name, cJSON *names, cJSON *addrs);

/* Probes (verify_mariadb.c, verify_mongodb.c): 0 when the probe passed; else a negative code with a message
 * fit for a report (never a password). */
int verify_mariadb_probe(const fo_audit_verify_mariadb *m, const char *host, int port, const char *password);
int verify_mongodb_probe(const fo_audit_verify_mongodb *m, const char *password, char *state, size_t state_len);

/* The collector's config callbacks (verify_config.c). */
int fo_audit_verify_parse_key(void **state, const char *key, const fo_audit_yaml *node);
void fo_audit_verify_free_cfg(void *state);

#endif
