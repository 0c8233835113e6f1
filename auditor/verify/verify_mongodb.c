/* verify_mongodb: the MongoDB probe through libmongoc: `hello`, then `replSetGetStatus`; the member of the
 * active region must be healthy and PRIMARY, or a SECONDARY within the configured lag behind the primary. The
 * replies are parsed by libbson. */
#include "fo_err.h"
#include "verify_internal.h"

#include <mongoc/mongoc.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init(void) {
  mongoc_init();
}

/* One member of replSetGetStatus's "members". */
typedef struct member {
  char name[256];
  char state[32];
  double health;
  int64_t optime_ms;
  int self;
} member;

static void read_member(const bson_t *doc, member *m) {
  bson_iter_t it;
  memset(m, 0, sizeof *m);
  m->health = -1;
  if (!bson_iter_init(&it, doc))
    return;
  while (bson_iter_next(&it)) {
    const char *k = bson_iter_key(&it);
    if (!strcmp(k, "name") && BSON_ITER_HOLDS_UTF8(&it))
      snprintf(m->name, sizeof m->name, "%s", bson_iter_utf8(&it, NULL));
    else if (!strcmp(k, "stateStr") && BSON_ITER_HOLDS_UTF8(&it))
      snprintf(m->state, sizeof m->state, "%s", bson_iter_utf8(&it, NULL));
    else if (!strcmp(k, "health") && BSON_ITER_HOLDS_NUMBER(&it))
      m->health = bson_iter_as_double(&it);
    else if (!strcmp(k, "optimeDate") && BSON_ITER_HOLDS_DATE_TIME(&it))
      m->optime_ms = bson_iter_date_time(&it);
    else if (!strcmp(k, "self"))
      m->self = bson_iter_as_bool(&it);
  }
}

/* Judge the status reply: 0 when the member passes. */
static int judge(const fo_audit_verify_mongodb *cfg, const bson_t *reply, char *state, size_t state_len) {
  bson_iter_t it, arr;
  member mine, primary, cur;
  int have_mine = 0, have_primary = 0;

  if (!bson_iter_init_find(&it, reply, "members") || !BSON_ITER_HOLDS_ARRAY(&it) || !bson_iter_recurse(&it, &arr))
    return fo_err_set(FO_ERR, "MongoDB: replSetGetStatus has no members");
  while (bson_iter_next(&arr)) {
    const uint8_t *data;
    uint32_t len;
    bson_t sub;
    if (!BSON_ITER_HOLDS_DOCUMENT(&arr))
      continue;
    bson_iter_document(&arr, &len, &data);
    if (!bson_init_static(&sub, data, len))
      continue;
    read_member(&sub, &cur);
    if (!have_primary && !strcmp(cur.state, "PRIMARY")) {
      primary = cur;
      have_primary = 1;
    }
    if (!have_mine && (cfg->member ? !strcmp(cur.name, cfg->member) : cur.self)) {
      mine = cur;
      have_mine = 1;
    }
  }
  if (!have_mine)
    return fo_err_set(FO_ENOTFOUND, "MongoDB: member %s is not in the replica set",
                      cfg->member ? cfg->member : "(self)");
  snprintf(state, state_len, "%s", mine.state);
  if (mine.health != 1)
    return fo_err_set(FO_ERR, "MongoDB: member %s is unhealthy (health %g, %s)", mine.name, mine.health,
                      mine.state[0] ? mine.state : "no state");
  if (!strcmp(mine.state, "PRIMARY"))
    return 0;
  if (strcmp(mine.state, "SECONDARY"))
    return fo_err_set(FO_ERR, "MongoDB: member %s is %s, neither PRIMARY nor SECONDARY", mine.name, mine.state);
  if (!have_primary)
    return fo_err_set(FO_ERR, "MongoDB: member %s is SECONDARY and the replica set has no PRIMARY", mine.name);
  if (primary.optime_ms - mine.optime_ms > cfg->max_lag_ms)
    return fo_err_set(FO_ERR, "MongoDB: member %s is SECONDARY %.1f s behind the primary %s (limit %.1f s)", mine.name,
                      (double)(primary.optime_ms - mine.optime_ms) / 1000, primary.name,
                      (double)cfg->max_lag_ms / 1000);
  return 0;
}

int verify_mongodb_probe(const fo_audit_verify_mongodb *cfg, const char *password, char *state, size_t state_len) {
  bson_error_t error;
  mongoc_uri_t *uri;
  mongoc_client_t *client = NULL;
  bson_t *hello = NULL, *status = NULL, reply = BSON_INITIALIZER;
  int err;

  pthread_once(&init_once, init);
  state[0] = '\0';
  if (!(uri = mongoc_uri_new_with_error(cfg->uri, &error)))
    return fo_err_set(FO_EINVAL, "verify.mongodb.uri is not a MongoDB URI: %s", error.message);
  if (password)
    mongoc_uri_set_password(uri, password);
  if (!mongoc_uri_has_option(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS))
    mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 5000);
  if (!mongoc_uri_has_option(uri, MONGOC_URI_CONNECTTIMEOUTMS))
    mongoc_uri_set_option_as_int32(uri, MONGOC_URI_CONNECTTIMEOUTMS, 5000);
  if (!(client = mongoc_client_new_from_uri(uri))) {
    err = fo_err_set(FO_EINVAL, "verify.mongodb.uri: cannot make a client of it");
    goto done;
  }
  mongoc_client_set_error_api(client, MONGOC_ERROR_API_VERSION_2);
  mongoc_client_set_appname(client, "failover-audit");
  hello = BCON_NEW("hello", BCON_INT32(1));
  status = BCON_NEW("replSetGetStatus", BCON_INT32(1));
  if (!hello || !status) {
    err = fo_err_oom();
    goto done;
  }
  if (!mongoc_client_command_simple(client, "admin", hello, NULL, &reply, &error)) {
    err = fo_err_set(FO_EIO, "MongoDB: hello failed: %s", error.message);
    goto done;
  }
  bson_destroy(&reply);
  if (!mongoc_client_command_simple(client, "admin", status, NULL, &reply, &error)) {
    err = fo_err_set(FO_EIO, "MongoDB: replSetGetStatus failed: %s", error.message);
    goto done;
  }
  err = judge(cfg, &reply, state, state_len);
done:
  bson_destroy(&reply);
  bson_destroy(hello);
  bson_destroy(status);
  mongoc_client_destroy(client);
  mongoc_uri_destroy(uri);
  return err;
}
