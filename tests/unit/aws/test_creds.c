/* unit.aws.creds: shared config/credentials file parsing, the profile
 * provider on temporary files (no STS), the chain, the cache (refresh before
 * expiry with a fake clock, one fetch across threads) and secret redaction. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fo_aws_creds.h"
#include "fo_aws_error.h"
#include "fo_aws_ini.h"
#include "fo_err.h"
#include "fo_log.h"

static void ini(void **state) {
  const char *text =
      "# comment\n[default]\naws_access_key_id = AKIADEFAULT\n  aws_secret_access_key=sec ret  \n"
      "; other comment\n[profile   dev]\nregion = us-east-2\ns3 =\n  addressing_style = path\n"
      "role_arn = arn:aws:iam::1:role/x\nREGION = eu-west-1\n\n[plain]\nk=v=w\n";
  fo_aws_ini *f = NULL;
  (void)state;
  assert_int_equal(fo_aws_ini_parse(&f, text, strlen(text), "cfg"), 0);
  assert_string_equal(fo_aws_ini_get(f, "default", "aws_access_key_id"), "AKIADEFAULT");
  assert_string_equal(fo_aws_ini_get(f, "default", "aws_secret_access_key"), "sec ret");
  assert_string_equal(fo_aws_ini_config_get(f, "dev", "region"), "eu-west-1"); /* last wins, any case */
  assert_string_equal(fo_aws_ini_config_get(f, "dev", "role_arn"), "arn:aws:iam::1:role/x");
  assert_null(fo_aws_ini_config_get(f, "dev", "addressing_style")); /* nested block skipped */
  assert_string_equal(fo_aws_ini_get(f, "plain", "k"), "v=w");
  assert_string_equal(fo_aws_ini_config_get(f, "default", "aws_access_key_id"), "AKIADEFAULT");
  assert_true(fo_aws_ini_has_section(f, "profile dev"));
  assert_false(fo_aws_ini_has_section(f, "dev"));
  fo_aws_ini_free(f);

  assert_int_equal(fo_aws_ini_parse(&f, "[default\nk=v\n", 13, "cfg"), FO_EINVAL);
  assert_string_equal(fo_err_last(), "'cfg' line 1: section header without ']'");
  assert_int_equal(fo_aws_ini_parse(&f, "k=v\n", 4, "cfg"), FO_EINVAL);
  assert_string_equal(fo_err_last(), "'cfg' line 1: setting outside a [section]");
  assert_int_equal(fo_aws_ini_parse(&f, "[a]\njunk\n", 9, "cfg"), FO_EINVAL);
  assert_string_equal(fo_err_last(), "'cfg' line 2: expected 'key = value'");
  assert_int_equal(fo_aws_ini_load(&f, "/nonexistent/fo/config"), FO_ENOTFOUND);
}

/* --- profile provider on real temporary files, environment faked --- */
static char tmpdir[256];
static char env_home[300];

static const char *fake_env(const char *name) {
  if (strcmp(name, "HOME") == 0)
    return env_home;
  return NULL;
}

static void write_file(const char *rel, const char *text) {
  char p[512];
  FILE *f;
  snprintf(p, sizeof(p), "%s/%s", tmpdir, rel);
  f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void profile(void **state) {
  fo_aws_creds_ctx ctx = {NULL, NULL, fake_env, NULL};
  fo_aws_creds_provider *p = NULL;
  fo_aws_credentials *c = NULL;
  char d[300];
  (void)state;
  snprintf(tmpdir, sizeof(tmpdir), "/tmp/fo-unit-creds-XXXXXX");
  assert_non_null(mkdtemp(tmpdir));
  snprintf(env_home, sizeof(env_home), "%s", tmpdir);
  snprintf(d, sizeof(d), "%s/.aws", tmpdir);
  assert_int_equal(mkdir(d, 0700), 0);

  /* no files: not configured, the chain moves on */
  assert_int_equal(fo_aws_creds_profile_new(&p, &ctx, NULL, NULL, NULL), 0);
  assert_int_equal(fo_aws_creds_get(p, NULL, &c), FO_ENOTFOUND);

  write_file(".aws/credentials",
             "[default]\naws_access_key_id=AKIAUNITDEFAULT1\naws_secret_access_key=unitSecretDefault0001\n"
             "[half]\naws_access_key_id=AKIAHALF\n");
  write_file(".aws/config",
             "[profile role]\nrole_arn=arn:aws:iam::1:role/r\n"
             "[profile badsrc]\nrole_arn=arn:aws:iam::1:role/r\ncredential_source=Nowhere\n");
  assert_int_equal(fo_aws_creds_get(p, NULL, &c), 0);
  assert_string_equal(c->access_key_id, "AKIAUNITDEFAULT1");
  assert_string_equal(c->source, "profile:default");
  assert_null(c->session_token);
  fo_aws_credentials_free(c);
  fo_aws_creds_provider_free(p);

  assert_int_equal(fo_aws_creds_profile_new(&p, &ctx, "half", NULL, NULL), 0);
  assert_int_equal(fo_aws_creds_get(p, NULL, &c), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "profile 'half' has only one of"));
  fo_aws_creds_provider_free(p);
  assert_int_equal(fo_aws_creds_profile_new(&p, &ctx, "role", NULL, NULL), 0);
  assert_int_equal(fo_aws_creds_get(p, NULL, &c), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "has role_arn but no source_profile"));
  fo_aws_creds_provider_free(p);
  assert_int_equal(fo_aws_creds_profile_new(&p, &ctx, "badsrc", NULL, NULL), 0);
  assert_int_equal(fo_aws_creds_get(p, NULL, &c), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "unknown credential_source 'Nowhere'"));
  fo_aws_creds_provider_free(p);
  assert_int_equal(fo_aws_creds_profile_new(&p, &ctx, "absent", NULL, NULL), 0);
  assert_int_equal(fo_aws_creds_get(p, NULL, &c), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "profile 'absent' not found"));
  fo_aws_creds_provider_free(p);

  snprintf(d, sizeof(d), "rm -rf '%s'", tmpdir);
  assert_int_equal(system(d), 0);
}

/* --- a fake provider: counts fetches, hands out expiring credentials --- */
typedef struct fake_provider {
  fo_aws_creds_provider base;
  pthread_mutex_t lock;
  int fetches;
  int fail;
  time_t expires;
} fake_provider;

static time_t fake_now;
static time_t get_now(void *ud) {
  (void)ud;
  return fake_now;
}
static int64_t no_mono(void *ud) {
  (void)ud;
  return 0;
}
/* Only the wall clock matters to the cache (expiry); nothing sleeps. */
static const fo_clock fake_clock = {no_mono, get_now, NULL, NULL};

static int fake_get(fo_aws_creds_provider *pp, const fo_cancel *cancel, fo_aws_credentials **out) {
  (void)cancel;
  fake_provider *p = (fake_provider *)pp;
  char ak[32];
  int n;
  pthread_mutex_lock(&p->lock);
  n = ++p->fetches;
  pthread_mutex_unlock(&p->lock);
  usleep(2000); /* give racing threads a window */
  if (p->fail)
    return fo_err_set(FO_EIO, "fake provider down");
  snprintf(ak, sizeof(ak), "ASIAFAKE%08d", n);
  return fo_aws_credentials_new(out, ak, "fakeSecretFoFoFoFo", "fakeToken0001", p->expires, "fake");
}

static void fake_destroy(fo_aws_creds_provider *p) {
  pthread_mutex_destroy(&((fake_provider *)p)->lock);
  free(p);
}

static const fo_aws_creds_vtable fake_vt = {"fake", fake_get, fake_destroy};

static fake_provider *fake_new(time_t expires) {
  fake_provider *p = calloc(1, sizeof(*p));
  p->base.vt = &fake_vt;
  p->expires = expires;
  pthread_mutex_init(&p->lock, NULL);
  return p;
}

static void cache_refresh(void **state) {
  fo_aws_creds_ctx ctx = {NULL, NULL, NULL, &fake_clock};
  fake_provider *fake = fake_new(10000);
  fo_aws_creds_provider *cache = NULL;
  fo_aws_credentials *c = NULL;
  (void)state;
  fake_now = 1000;
  assert_int_equal(fo_aws_creds_cache_new(&cache, &ctx, &fake->base, 300), 0);
  assert_int_equal(fo_aws_creds_get(cache, NULL, &c), 0);
  assert_string_equal(c->access_key_id, "ASIAFAKE00000001");
  fo_aws_credentials_free(c);
  fake_now = 9699; /* 301 s before expiry: cached */
  assert_int_equal(fo_aws_creds_get(cache, NULL, &c), 0);
  assert_string_equal(c->access_key_id, "ASIAFAKE00000001");
  fo_aws_credentials_free(c);
  assert_int_equal(fake->fetches, 1);
  fake_now = 9701; /* inside the refresh window: fetched again */
  fake->expires = 20000;
  assert_int_equal(fo_aws_creds_get(cache, NULL, &c), 0);
  assert_string_equal(c->access_key_id, "ASIAFAKE00000002");
  fo_aws_credentials_free(c);
  /* refresh fails while the old ones are still valid: keep them */
  fake_now = 19800;
  fake->fail = 1;
  assert_int_equal(fo_aws_creds_get(cache, NULL, &c), 0);
  assert_string_equal(c->access_key_id, "ASIAFAKE00000002");
  fo_aws_credentials_free(c);
  /* expired and the refresh fails: error */
  fake_now = 20001;
  assert_int_equal(fo_aws_creds_get(cache, NULL, &c), FO_EIO);
  assert_null(c);
  fo_aws_creds_provider_free(cache);
}

static void *hammer(void *arg) {
  fo_aws_creds_provider *cache = arg;
  int i;
  for (i = 0; i < 50; i++) {
    fo_aws_credentials *c = NULL;
    if (fo_aws_creds_get(cache, NULL, &c) < 0 || strcmp(c->access_key_id, "ASIAFAKE00000001") != 0)
      return (void *)1;
    fo_aws_credentials_free(c);
  }
  return NULL;
}

static void cache_threads(void **state) {
  fo_aws_creds_ctx ctx = {NULL, NULL, NULL, &fake_clock};
  fake_provider *fake = fake_new(0); /* never expire */
  fo_aws_creds_provider *cache = NULL;
  pthread_t t[8];
  int i;
  (void)state;
  assert_int_equal(fo_aws_creds_cache_new(&cache, &ctx, &fake->base, 300), 0);
  for (i = 0; i < 8; i++)
    pthread_create(&t[i], NULL, hammer, cache);
  for (i = 0; i < 8; i++) {
    void *r = NULL;
    pthread_join(t[i], &r);
    assert_null(r);
  }
  assert_int_equal(fake->fetches, 1);
  fo_aws_creds_provider_free(cache);
}

/* --- a gated provider: its fetch holds until the test opens the gate --- */
typedef struct gated_provider {
  fo_aws_creds_provider base;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int fetches, in_fetch, open;
} gated_provider;

static int gated_get(fo_aws_creds_provider *pp, const fo_cancel *cancel, fo_aws_credentials **out) {
  (void)cancel;
  gated_provider *p = (gated_provider *)pp;
  struct timespec until;
  char ak[32];
  int n;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 30; /* a safety net only: a cache that blocks fails the test, not hangs it */
  pthread_mutex_lock(&p->lock);
  n = ++p->fetches;
  p->in_fetch = 1;
  pthread_cond_broadcast(&p->cond);
  while (n > 1 && !p->open && pthread_cond_timedwait(&p->cond, &p->lock, &until) == 0) {
  }
  p->in_fetch = 0;
  pthread_mutex_unlock(&p->lock);
  snprintf(ak, sizeof(ak), "ASIAGATE%08d", n);
  return fo_aws_credentials_new(out, ak, "gateSecretFoFoFoFo", "gateToken0001", (time_t)10000 * n, "gated");
}

static void gated_destroy(fo_aws_creds_provider *pp) {
  gated_provider *p = (gated_provider *)pp;
  pthread_mutex_destroy(&p->lock);
  pthread_cond_destroy(&p->cond);
  free(p);
}

static const fo_aws_creds_vtable gated_vt = {"gated", gated_get, gated_destroy};

static void *refresher(void *arg) {
  fo_aws_credentials *c = NULL;
  if (fo_aws_creds_get(arg, NULL, &c) < 0)
    return (void *)1;
  fo_aws_credentials_free(c);
  return NULL;
}

/* While one thread refreshes (inside the window before expiry), another
 * gets the still-valid credentials at once instead of waiting for STS. */
static void cache_refresh_nonblocking(void **state) {
  fo_aws_creds_ctx ctx = {NULL, NULL, NULL, &fake_clock};
  gated_provider *g = calloc(1, sizeof(*g));
  fo_aws_creds_provider *cache = NULL;
  fo_aws_credentials *c = NULL;
  pthread_t t;
  void *r = NULL;
  int in_fetch;
  (void)state;
  g->base.vt = &gated_vt;
  pthread_mutex_init(&g->lock, NULL);
  pthread_cond_init(&g->cond, NULL);
  assert_int_equal(fo_aws_creds_cache_new(&cache, &ctx, &g->base, 300), 0);
  fake_now = 1000;
  assert_int_equal(fo_aws_creds_get(cache, NULL, &c), 0); /* fetch 1: the gate is only for later fetches */
  fo_aws_credentials_free(c);
  fake_now = 9800; /* inside the refresh window, still valid */
  pthread_create(&t, NULL, refresher, cache);
  pthread_mutex_lock(&g->lock);
  while (g->fetches < 2)
    pthread_cond_wait(&g->cond, &g->lock); /* the refresher is inside fetch 2 */
  pthread_mutex_unlock(&g->lock);
  assert_int_equal(fo_aws_creds_get(cache, NULL, &c), 0);
  pthread_mutex_lock(&g->lock);
  in_fetch = g->in_fetch;
  g->open = 1;
  pthread_cond_broadcast(&g->cond);
  pthread_mutex_unlock(&g->lock);
  assert_int_equal(in_fetch, 1);                             /* we did not wait for it */
  assert_string_equal(c->access_key_id, "ASIAGATE00000001"); /* the current ones */
  fo_aws_credentials_free(c);
  pthread_join(t, &r);
  assert_null(r);
  assert_int_equal(g->fetches, 2);
  assert_int_equal(fo_aws_creds_get(cache, NULL, &c), 0);
  assert_string_equal(c->access_key_id, "ASIAGATE00000002"); /* the refreshed ones */
  fo_aws_credentials_free(c);
  fo_aws_creds_provider_free(cache);
}

static const char *no_env(const char *name) {
  (void)name;
  return NULL;
}

static void chain(void **state) {
  fo_aws_creds_ctx ctx = {NULL, NULL, no_env, NULL};
  fo_aws_creds_provider *list[3], *ch = NULL;
  fo_aws_credentials *c = NULL;
  (void)state;
  assert_int_equal(fo_aws_creds_env_new(&list[0], &ctx), 0);
  assert_int_equal(fo_aws_creds_ecs_new(&list[1], &ctx), 0);
  assert_int_equal(fo_aws_creds_chain_new(&ch, list, 2), 0);
  assert_int_equal(fo_aws_creds_get(ch, NULL, &c), FO_ENOTFOUND);
  assert_non_null(strstr(fo_err_last(), "no AWS credentials found (env: AWS_ACCESS_KEY_ID is not set; ecs: "));
  fo_aws_creds_provider_free(ch);
  /* first configured provider wins */
  assert_int_equal(fo_aws_creds_env_new(&list[0], &ctx), 0);
  assert_int_equal(fo_aws_creds_static_new(&list[1], "AKIASTATICUNIT01", "staticSecretUnit01", NULL), 0);
  assert_int_equal(fo_aws_creds_static_new(&list[2], "AKIASTATICUNIT02", "staticSecretUnit02", NULL), 0);
  assert_int_equal(fo_aws_creds_chain_new(&ch, list, 3), 0);
  assert_int_equal(fo_aws_creds_get(ch, NULL, &c), 0);
  assert_string_equal(c->access_key_id, "AKIASTATICUNIT01");
  fo_aws_credentials_free(c);
  fo_aws_creds_provider_free(ch);
  assert_int_equal(fo_aws_credentials_new(&c, "", "x", NULL, 0, "t"), FO_EINVAL);
}

static void redaction(void **state) {
  fo_aws_credentials *c = NULL;
  char line[256];
  (void)state;
  assert_int_equal(fo_aws_credentials_new(&c, "AKIAREDACTME0001", "redactSecret0001xyz", "redactToken0001xyz", 0, "t"),
                   0);
  fo_aws_credentials_free(c);
  snprintf(line, sizeof(line), "key=AKIAREDACTME0001 secret=redactSecret0001xyz tok=redactToken0001xyz");
  fo_log_redact(line);
  assert_null(strstr(line, "AKIAREDACTME0001"));
  assert_null(strstr(line, "redactSecret0001xyz"));
  assert_null(strstr(line, "redactToken0001xyz"));
  assert_non_null(strstr(line, "[REDACTED]"));
}

/* A service message echoing a secret: the parts callers build diagnostics
 * from (fo_aws_last_error) are redacted, not only the fo_err message. */
static void error_redaction(void **state) {
  fo_aws_credentials *c = NULL;
  fo_aws_error e;
  (void)state;
  assert_int_equal(fo_aws_credentials_new(&c, "AKIAERRECHO00001", "errEchoSecret0001xyz", NULL, 0, "t"), 0);
  fo_aws_credentials_free(c);
  memset(&e, 0, sizeof(e));
  snprintf(e.code, sizeof(e.code), "InvalidClientTokenId");
  snprintf(e.message, sizeof(e.message), "key AKIAERRECHO00001 with errEchoSecret0001xyz is not valid");
  snprintf(e.operation, sizeof(e.operation), "sts GetCallerIdentity");
  e.status = 403;
  assert_int_equal(fo_aws_error_raise(&e), FO_EAWS);
  assert_null(strstr(fo_err_last(), "AKIAERRECHO00001"));
  assert_null(strstr(fo_aws_last_error()->message, "AKIAERRECHO00001"));
  assert_null(strstr(fo_aws_last_error()->message, "errEchoSecret0001xyz"));
  assert_non_null(strstr(fo_aws_last_error()->message, "[REDACTED]"));
  assert_string_equal(fo_aws_last_error()->code, "InvalidClientTokenId");
  assert_int_equal(fo_aws_last_error()->status, 403);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(ini),
                                     cmocka_unit_test(profile),
                                     cmocka_unit_test(cache_refresh),
                                     cmocka_unit_test(cache_threads),
                                     cmocka_unit_test(cache_refresh_nonblocking),
                                     cmocka_unit_test(chain),
                                     cmocka_unit_test(redaction),
                                     cmocka_unit_test(error_redaction)};
  return cmocka_run_group_tests_name("creds", tests, NULL, NULL);
}
