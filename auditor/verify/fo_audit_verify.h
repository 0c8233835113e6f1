/* fo_audit_verify: `failover-audit verify`, the verification checklist after a failover: the now-active side is
 * checked live (network, messaging, data, integrity, observability), each check a rule (docs/audit-rules.md). */
#ifndef FO_AUDIT_VERIFY_H
#define FO_AUDIT_VERIFY_H

#include <stddef.h>

#include "fo_audit_collector.h"
#include "fo_audit_model.h"

/* `sides.<side>.verify` of the config: what that side runs when it is the active one (and what the other side
 * checks of it when it is the stopped one). */
typedef struct fo_audit_verify_mariadb {
  char *host;         /* NULL: the RDS instance's endpoint */
  int port;           /* 0: the instance's port, else 3306 */
  char *user;         /* NULL: no probe */
  char *password_env; /* the name of the variable holding the password (never the password) */
  char *database;
  char *table; /* scratch table of the write probe, default failover_verify_probe */
} fo_audit_verify_mariadb;

typedef struct fo_audit_verify_mongodb {
  char *uri;          /* mongodb://host:port/?directConnection=true */
  char *member;       /* "host:port" of the member in this region, as replSetGetStatus names it */
  long max_lag_ms;    /* a SECONDARY within this lag behind the primary passes; default 10 s */
  char *password_env; /* optional: the password for the URI's user, from this variable */
} fo_audit_verify_mongodb;

typedef struct fo_audit_verify_cfg {
  char *dns_name;
  char *resolver; /* "ip[:port]": the nameserver the name is resolved through */
  char **load_balancers;
  size_t nload_balancers;
  char **queues; /* queue URLs */
  size_t nqueues;
  long backlog_interval_ms; /* between the two depth samples; default 30 s */
  char **lambda_functions;
  size_t nlambda_functions;
  char **queue_server_asgs;
  size_t nqueue_server_asgs;
  char **alarms;
  size_t nalarms;
  char *kube_context; /* Applications: the context of the side's cluster (default: the run's, else current) */
  char *kubeconfig;   /* default: $KUBECONFIG, else ~/.kube/config */
  char **namespaces;  /* where Deployments and pods are checked; none: no Applications check */
  size_t nnamespaces;
  char *rds_instance;
  fo_audit_verify_mariadb *mariadb; /* NULL when not configured */
  fo_audit_verify_mongodb *mongodb;
  int line; /* where `verify:` is in the config */
} fo_audit_verify_cfg;

/* Owns the `verify` key of a side and the verify rules; reads nothing into snapshots. */
extern const fo_audit_collector fo_audit_collector_verify;

/* The side's verify config, or NULL. */
const fo_audit_verify_cfg *fo_audit_verify_side_cfg(const fo_audit_config *cfg, int side);

/* Run the checklist with `active` (0 primary, 1 secondary) as the now-active side into a new result (command
 * "verify"). The AWS clients of both sides are built from the config unless env sets them. A check that cannot
 * read its source records it unreadable (exit 3); failed checks are findings (exit 1). */
int fo_audit_verify_run(fo_audit_result **out, const fo_audit_config *cfg, int active, const fo_audit_env *env);

#endif
