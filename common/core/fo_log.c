/* Logger: one mutex-guarded line writer. JSON lines follow hclog's format
 * (go-plugin parses "@level", "@message", "@timestamp" as strings; a
 * non-string there would panic Terraform, so they are always strings). */
#include "fo_log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define FO_LOG_LINE 8192

static pthread_mutex_t fo_log_mu = PTHREAD_MUTEX_INITIALIZER;
static fo_log_level fo_log_lvl = FO_LOG_WARN;
static fo_log_format fo_log_fmt = FO_LOG_FORMAT_TEXT;
static char fo_log_module[128] = "failover";
/* Grows without a cap: a secret that could not be registered would print.
 * Credentials refresh at most every few minutes, so this stays small. */
static char **fo_log_secrets;
static size_t fo_log_nsecrets, fo_log_capsecrets;

static const char *const fo_log_names[] = {"trace", "debug", "info", "warn", "error", "off"};

void fo_log_setup(fo_log_level level, fo_log_format format, const char *module) {
  pthread_mutex_lock(&fo_log_mu);
  fo_log_lvl = level;
  fo_log_fmt = format;
  if (module)
    snprintf(fo_log_module, sizeof fo_log_module, "%s", module);
  pthread_mutex_unlock(&fo_log_mu);
}

fo_log_level fo_log_level_parse(const char *s, fo_log_level dflt) {
  if (!s || !*s)
    return dflt;
  for (int i = 0; i <= FO_LOG_OFF; i++)
    if (strcasecmp(s, fo_log_names[i]) == 0)
      return (fo_log_level)i;
  if (strcasecmp(s, "warning") == 0)
    return FO_LOG_WARN;
  if (strcasecmp(s, "json") == 0 || strcmp(s, "1") == 0)
    return FO_LOG_TRACE;
  return dflt;
}

fo_log_level fo_log_level_from_env(fo_log_level dflt) {
  const char *p = getenv("TF_LOG_PROVIDER");
  if (p && *p)
    return fo_log_level_parse(p, dflt);
  return fo_log_level_parse(getenv("TF_LOG"), dflt);
}

fo_log_level fo_log_get_level(void) {
  return fo_log_lvl;
}

int fo_log_enabled(fo_log_level level) {
  return level != FO_LOG_OFF && level >= fo_log_lvl;
}

void fo_log_add_secret(const char *secret) {
  if (!secret || strlen(secret) < 4)
    return;
  pthread_mutex_lock(&fo_log_mu);
  for (size_t i = 0; i < fo_log_nsecrets; i++)
    if (strcmp(fo_log_secrets[i], secret) == 0)
      goto out;
  if (fo_log_nsecrets == fo_log_capsecrets) {
    size_t cap = fo_log_capsecrets ? fo_log_capsecrets * 2 : 16;
    char **p = realloc(fo_log_secrets, cap * sizeof *p);
    if (!p)
      goto out;
    fo_log_secrets = p;
    fo_log_capsecrets = cap;
  }
  {
    char *copy = strdup(secret);
    if (copy)
      fo_log_secrets[fo_log_nsecrets++] = copy;
  }
out:
  pthread_mutex_unlock(&fo_log_mu);
}

/* Caller holds the mutex. */
static void fo_log_redact_locked(char *s) {
  static const char marker[] = "[REDACTED]";
  for (size_t i = 0; i < fo_log_nsecrets; i++) {
    const char *sec = fo_log_secrets[i];
    size_t sl = strlen(sec);
    char *hit;
    while ((hit = strstr(s, sec)) != NULL) {
      size_t ml = sl < sizeof marker - 1 ? sl : sizeof marker - 1;
      memcpy(hit, marker, ml);
      memmove(hit + ml, hit + sl, strlen(hit + sl) + 1);
    }
  }
}

void fo_log_redact(char *s) {
  if (!s)
    return;
  pthread_mutex_lock(&fo_log_mu);
  fo_log_redact_locked(s);
  pthread_mutex_unlock(&fo_log_mu);
}

static void fo_log_json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
      case '"':
        fputs("\\\"", f);
        break;
      case '\\':
        fputs("\\\\", f);
        break;
      case '\n':
        fputs("\\n", f);
        break;
      case '\r':
        fputs("\\r", f);
        break;
      case '\t':
        fputs("\\t", f);
        break;
      default:
        if (*p < 0x20)
          fprintf(f, "\\u%04x", *p);
        else
          fputc(*p, f);
    }
  }
  fputc('"', f);
}

/* hclog's timestamp layout: 2006-01-02T15:04:05.000000Z07:00 */
static void fo_log_timestamp(char *out, size_t n) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
           tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000);
}

/* Caller holds the mutex. Writes the key/value pairs of fo_log_kv in the
 * line's format, each value redacted. */
static void fo_log_emit_kv(va_list *kv) {
  const char *k;
  while ((k = va_arg(*kv, const char *)) != NULL) {
    const char *v = va_arg(*kv, const char *);
    char vb[FO_LOG_LINE];
    snprintf(vb, sizeof vb, "%s", v ? v : "");
    fo_log_redact_locked(vb);
    if (fo_log_fmt == FO_LOG_FORMAT_JSON) {
      fputc(',', stderr);
      fo_log_json_str(stderr, k);
      fputc(':', stderr);
      fo_log_json_str(stderr, vb);
    } else {
      fprintf(stderr, " %s=%s", k, vb);
    }
  }
}

static void fo_log_emit(fo_log_level level, char *msg, va_list *kv) {
  char ts[96]; /* sized for the worst case snprintf can prove, not the real 27 */
  fo_log_timestamp(ts, sizeof ts);
  pthread_mutex_lock(&fo_log_mu);
  fo_log_redact_locked(msg);
  if (fo_log_fmt == FO_LOG_FORMAT_JSON) {
    fputs("{\"@level\":", stderr);
    fo_log_json_str(stderr, fo_log_names[level]);
    fputs(",\"@message\":", stderr);
    fo_log_json_str(stderr, msg);
    fputs(",\"@module\":", stderr);
    fo_log_json_str(stderr, fo_log_module);
    fputs(",\"@timestamp\":", stderr);
    fo_log_json_str(stderr, ts);
    if (kv)
      fo_log_emit_kv(kv);
    fputs("}\n", stderr);
  } else {
    char up[8];
    const char *n = fo_log_names[level];
    size_t i;
    for (i = 0; n[i] && i < sizeof up - 1; i++)
      up[i] = (char)(n[i] - 'a' + 'A');
    up[i] = '\0';
    fprintf(stderr, "[%s] %s: %s", up, fo_log_module, msg);
    if (kv)
      fo_log_emit_kv(kv);
    fputc('\n', stderr);
  }
  fflush(stderr);
  pthread_mutex_unlock(&fo_log_mu);
}

void fo_log_write(fo_log_level level, const char *fmt, ...) {
  char msg[FO_LOG_LINE];
  va_list ap;
  if (!fo_log_enabled(level))
    return;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fo_log_emit(level, msg, NULL);
}

void fo_log_kv(fo_log_level level, const char *message, ...) {
  char msg[FO_LOG_LINE];
  va_list ap;
  if (!fo_log_enabled(level))
    return;
  snprintf(msg, sizeof msg, "%s", message);
  va_start(ap, message);
  fo_log_emit(level, msg, &ap);
  va_end(ap);
}
