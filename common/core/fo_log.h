/* fo_log: leveled logging to stderr, as hclog-style JSON lines (the provider,
 * read by go-plugin) or plain text (the auditor), with secret redaction. */
#ifndef FO_LOG_H
#define FO_LOG_H

typedef enum {
  FO_LOG_TRACE = 0,
  FO_LOG_DEBUG = 1,
  FO_LOG_INFO = 2,
  FO_LOG_WARN = 3,
  FO_LOG_ERROR = 4,
  FO_LOG_OFF = 5
} fo_log_level;

typedef enum { FO_LOG_FORMAT_JSON, FO_LOG_FORMAT_TEXT } fo_log_format;

/* Configure the process-wide logger. `module` becomes "@module" in JSON lines
 * (e.g. "provider.terraform-provider-failover"); it is copied. */
void fo_log_setup(fo_log_level level, fo_log_format format, const char *module);

/* Parse "trace|debug|info|warn|error|off" (any case). Unknown or NULL gives `dflt`. */
fo_log_level fo_log_level_parse(const char *s, fo_log_level dflt);

/* The level from TF_LOG_PROVIDER, else TF_LOG, else `dflt` ("json" and "1"
 * mean trace, as in Terraform). */
fo_log_level fo_log_level_from_env(fo_log_level dflt);

fo_log_level fo_log_get_level(void);
int fo_log_enabled(fo_log_level level);

/* Register a secret (access key, token ...) that must never be printed: every
 * later log line has each occurrence replaced by "[REDACTED]". The string is
 * copied; secrets shorter than 4 bytes are ignored (they would redact noise). */
void fo_log_add_secret(const char *secret);
/* Replace registered secrets in `s` in place with "[REDACTED]" (the result
 * never grows: the marker is cut to the secret's length when shorter).
 * Used for diagnostics and reports as well as log lines. */
void fo_log_redact(char *s);

/* Write one line. Prefer the macros: they skip argument evaluation when the
 * level is off. `kv` are optional extra JSON fields as "key", "value" pairs
 * ending with NULL (fo_log_kv). */
void fo_log_write(fo_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fo_log_kv(fo_log_level level, const char *msg, ...);

#define FO_LOG(lvl, ...)                \
  do {                                  \
    if (fo_log_enabled(lvl))            \
      fo_log_write((lvl), __VA_ARGS__); \
  } while (0)
#define FO_TRACE(...) FO_LOG(FO_LOG_TRACE, __VA_ARGS__)
#define FO_DEBUG(...) FO_LOG(FO_LOG_DEBUG, __VA_ARGS__)
#define FO_INFO(...)  FO_LOG(FO_LOG_INFO, __VA_ARGS__)
#define FO_WARN(...)  FO_LOG(FO_LOG_WARN, __VA_ARGS__)
#define FO_ERROR(...) FO_LOG(FO_LOG_ERROR, __VA_ARGS__)

#endif
