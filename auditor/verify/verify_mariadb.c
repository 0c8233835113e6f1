/* verify_mariadb: the MariaDB probe through libmariadb: connect, write a row into a scratch table and read it
 * back. Errors are the server's (they name the user, never the password). */
#include "fo_err.h"
#include "verify_internal.h"

#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_TABLE "failover_verify_probe"

static int fail(MYSQL *db, const char *what, const char *host, int port) {
  int err = fo_err_set(FO_EIO, "MariaDB at %s:%d: %s failed: %s", host, port, what, mysql_error(db));
  mysql_close(db);
  return err;
}

int verify_mariadb_probe(const fo_audit_verify_mariadb *m, const char *host, int port, const char *password) {
  const char *table = m->table ? m->table : DEFAULT_TABLE;
  unsigned int timeout = 10;
  char sql[512], token[64];
  MYSQL *db = mysql_init(NULL);
  MYSQL_RES *res;
  MYSQL_ROW row;
  int ok;

  if (!db)
    return fo_err_oom();
  mysql_options(db, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_options(db, MYSQL_OPT_READ_TIMEOUT, &timeout);
  mysql_options(db, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
  if (!mysql_real_connect(db, host, m->user, password, m->database, (unsigned)port, NULL, 0))
    return fail(db, "connect", host, port);
  /* a value this run wrote, so the read proves the write landed */
  snprintf(token, sizeof token, "%lld-%ld", (long long)time(NULL), (long)rand());
  snprintf(sql, sizeof sql,
           "CREATE TABLE IF NOT EXISTS %s (id VARCHAR(64) PRIMARY KEY, token VARCHAR(64) NOT NULL, "
           "at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)",
           table);
  if (mysql_query(db, sql))
    return fail(db, "creating the scratch table", host, port);
  snprintf(sql, sizeof sql, "REPLACE INTO %s (id, token) VALUES ('failover-verify', '%s')", table, token);
  if (mysql_query(db, sql))
    return fail(db, "the write probe", host, port);
  snprintf(sql, sizeof sql, "SELECT token FROM %s WHERE id = 'failover-verify'", table);
  if (mysql_query(db, sql) || !(res = mysql_store_result(db)))
    return fail(db, "the read probe", host, port);
  row = mysql_fetch_row(res);
  ok = row && row[0] && !strcmp(row[0], token);
  mysql_free_result(res);
  mysql_close(db);
  if (!ok)
    return fo_err_set(FO_EIO, "MariaDB at %s:%d: the read probe did not return the row just written", host, port);
  return 0;
}
