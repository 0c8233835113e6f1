/* verify_data: the Data group: the restored MariaDB instance is available (RDS DescribeDBInstances) and, with
 * credentials given, answers a write and a read probe; the MongoDB member of the active region is healthy and
 * PRIMARY or within the configured lag. Passwords come from the variables the config names and never reach a
 * message. */
#include "fo_aws_client.h"
#include "fo_aws_json.h"
#include "fo_err.h"
#include "fo_aws_rds.h"
#include "fo_log.h"
#include "verify_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_mariadb(verify_ctx *v, const fo_audit_verify_mariadb *m, const cJSON *inst) {
  verify_check c;
  const char *host = m->host, *password;
  int port = m->port, err = 0;

  verify_check_begin(&c, v, "verify/data/mariadb", FO_AUDIT_STEP_DATA, v->active);
  if (!host)
    host = fo_aws_json_str(inst, "Endpoint/Address");
  if (!port && fo_aws_json_str(inst, "Endpoint/Port"))
    port = atoi(fo_aws_json_str(inst, "Endpoint/Port"));
  if (!port)
    port = 3306;
  password = getenv(m->password_env);
  if (password)
    fo_log_add_secret(password); /* a library's debug line or an error echoing it is redacted too */
  if (!host)
    err = verify_fail(&c, "verify.mariadb-probe-failed", NULL,
                      "no host to probe: give verify.mariadb.host or verify.rds_instance");
  else if (!password)
    err = verify_fail(&c, "verify.mariadb-probe-failed", NULL, "the password variable %s is not set", m->password_env);
  else if (verify_mariadb_probe(m, host, port, password) < 0)
    err = verify_fail(&c, "verify.mariadb-probe-failed", NULL, "%s", fo_err_last());
  return err < 0 ? err : verify_check_end(&c);
}

static int check_mongodb(verify_ctx *v, const fo_audit_verify_mongodb *m) {
  verify_check c;
  char state[64] = "";
  const char *password = m->password_env ? getenv(m->password_env) : NULL;
  int err = 0;
  if (password)
    fo_log_add_secret(password);
  verify_check_begin(&c, v, "verify/data/mongodb", FO_AUDIT_STEP_DATA, v->active);
  if (m->password_env && !password)
    err = verify_fail(&c, "verify.mongodb-unhealthy", NULL, "the password variable %s is not set", m->password_env);
  else if (verify_mongodb_probe(m, password, state, sizeof state) < 0) {
    char val[80];
    snprintf(val, sizeof val, "\"%s\"", state);
    err = verify_fail(&c, "verify.mongodb-unhealthy", state[0] ? val : NULL, "%s", fo_err_last());
  }
  return err < 0 ? err : verify_check_end(&c);
}

int verify_data(verify_ctx *v) {
  const fo_audit_verify_cfg *vc = v->vc[v->active];
  cJSON *inst = NULL;
  int err = 0;

  if (vc->rds_instance) {
    verify_check c;
    char key[256];
    snprintf(key, sizeof key, "verify/data/rds/%s", vc->rds_instance);
    verify_check_begin(&c, v, key, FO_AUDIT_STEP_DATA, v->active);
    err = fo_aws_rds_describe_db_instance(&inst, v->aws[v->active], v->cancel, vc->rds_instance);
    if (err == FO_ENOTFOUND || fo_aws_rds_not_found(err)) {
      err = verify_fail(&c, "verify.rds-unavailable", NULL, "DB instance %s does not exist on the active side",
                        vc->rds_instance);
    } else if (err < 0) {
      err = err == FO_ENOMEM ? err : verify_unreadable(&c, "data");
    } else {
      const char *status = fo_aws_json_str(inst, "DBInstanceStatus");
      if (!status || strcmp(status, "available")) {
        char val[96];
        snprintf(val, sizeof val, "\"%.80s\"", status ? status : "");
        err = verify_fail(&c, "verify.rds-unavailable", val, "DB instance %s is %s, not available", vc->rds_instance,
                          status ? status : "in no status");
      }
    }
    if (err == 0)
      err = verify_check_end(&c);
  }
  if (err == 0 && vc->mariadb && vc->mariadb->user)
    err = check_mariadb(v, vc->mariadb, inst);
  if (err == 0 && vc->mongodb)
    err = check_mongodb(v, vc->mongodb);
  cJSON_Delete(inst);
  return err;
}
