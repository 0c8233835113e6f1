/* fo_audit_config: `.failover-audit.yml`, read with libyaml into a plain struct. Every error names the file
 * and the line:column of the offending node, e.g. ".failover-audit.yml:12:5: unknown key 'regoin'". */
#ifndef FO_AUDIT_CONFIG_H
#define FO_AUDIT_CONFIG_H

#include <stddef.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "fo_audit_model.h"

#include <yaml.h>

#define FO_AUDIT_CONFIG_MAX_BYTES (4u << 20)

/* Limits of a `normalize` regex: anyone who can edit the config in a merge request chooses the pattern, so
 * neither compiling it nor running it may take the CI runner down (glibc's regcomp allocated 23 GB for
 * "((((a{1,255}){1,255}){1,255}){1,255})"; back-references ran for minutes). */
#define FO_AUDIT_REGEX_MAX_LENGTH   1024        /* pattern bytes */
#define FO_AUDIT_REGEX_MAX_NEST     32          /* nested parentheses */
#define FO_AUDIT_REGEX_MAX_COMPILED (64u << 10) /* compiled pattern bytes */
#define FO_AUDIT_REGEX_MATCH_LIMIT  1000000     /* backtracking steps per match attempt */
#define FO_AUDIT_REGEX_VALUE_LIMIT  10000000    /* shared by the successive match attempts in one value */
#define FO_AUDIT_REGEX_MATCH_FLOOR  1000        /* the least a later attempt in a value gets */
#define FO_AUDIT_REGEX_DEPTH_LIMIT  10000       /* backtracking depth */
#define FO_AUDIT_REGEX_HEAP_LIMIT   (16u << 10) /* KiB of backtracking memory */

/* One side: where each source of that region lives. Paths are already resolved against the config's dir. */
typedef struct fo_audit_side_cfg {
  char *name;       /* display name, default "primary" / "secondary" */
  char *region;     /* required, e.g. "us-east-1" */
  char *account_id; /* optional 12-digit account */
  /* each collector's config of this side (it parses its own keys of `sides.<side>`) */
  struct fo_audit_source_cfg *sources;
  size_t nsources;
} fo_audit_side_cfg;

/* One collector's config of one side: what its parse_key built from its keys of `sides.<side>`. */
typedef struct fo_audit_source_cfg {
  const void *collector; /* the fo_audit_collector that owns it */
  void *state;
} fo_audit_source_cfg;

typedef struct fo_audit_check_cfg {
  char *name; /* a collector's name or one of its side checks (see fo_audit_collector.h) */
  int enabled;
  char **must_match; /* when non-empty, only findings whose path matches one of these are reported */
  size_t nmust_match;
  char **may_differ; /* findings whose path matches one of these are dropped (must_match wins) */
  size_t nmay_differ;
} fo_audit_check_cfg;

typedef struct fo_audit_norm_rule {
  int is_regex;
  char *primary;   /* literal text on the primary side (or the regex source) */
  char *secondary; /* literal text on the secondary side (same as primary for a plain literal) */
  char *replace;
  pcre2_code *re;            /* compiled when is_regex (PCRE2, with the limits below) */
  pcre2_match_data *md;      /* scratch for matching it */
  pcre2_match_context *mctx; /* the match, depth and heap limits */
  int line, index;           /* where the entry is: config line, position in the normalize list (0-based) */
} fo_audit_norm_rule;

typedef struct fo_audit_expected {
  char *path;    /* glob over finding full paths */
  char *rule;    /* optional rule id filter */
  char *reason;  /* required */
  char *expires; /* "YYYY-MM-DD" or NULL */
  int line, column;
} fo_audit_expected;

typedef struct fo_audit_mapping {
  char *primary;      /* e.g. "infra/us-east-1/" followed by two stars */
  char *secondary;    /* e.g. the same under us-east-2 */
  fo_audit_step step; /* checklist step for findings on these files */
} fo_audit_mapping;

typedef struct fo_audit_config {
  char *path;                 /* the file read ("<memory>" when parsed from a buffer) */
  char *dir;                  /* base for relative paths */
  char *repo;                 /* repository for `changes`, default: the config's directory */
  fo_audit_side_cfg sides[2]; /* [0] primary, [1] secondary */
  fo_audit_check_cfg *checks;
  size_t nchecks;
  int checks_listed; /* 1 when `checks:` was given: only the listed checks run */
  fo_audit_norm_rule *norm;
  size_t nnorm;
  char **volatile_keys; /* extra attribute names dropped before the diff */
  size_t nvolatile;
  fo_audit_mapping *mappings;
  size_t nmappings;
  fo_audit_expected *expected;
  size_t nexpected;
  /* `gitlab:` (--post-mr-note): the NAME of the variable holding the API token, never the token itself, and
   * the header it goes in ("PRIVATE-TOKEN", or "JOB-TOKEN" for CI_JOB_TOKEN; NULL until resolved) */
  char *gitlab_token_env;
  char *gitlab_token_header;
  long long drill_rto_ms; /* `drill: {rto: 30m}`: the drill's RTO target (0 none; --rto overrides it) */
} fo_audit_config;

/* Read and validate `path`. FO_EINVAL (config error, exit 2) with "file:line:col: ..." or FO_EIO. */
int fo_audit_config_load(fo_audit_config **out, const char *path);
/* Parse from memory; `name` is used in messages and `dir` as the base for relative paths (may be NULL). */
int fo_audit_config_parse(fo_audit_config **out, const char *data, size_t len, const char *name, const char *dir);
void fo_audit_config_free(fo_audit_config *c);

/* A config with no file: both regions given, every check on, no expectations. */
int fo_audit_config_default(fo_audit_config **out, const char *primary_region, const char *secondary_region);

/* 1 when the check runs. */
int fo_audit_config_check_enabled(const fo_audit_config *c, const char *check);
/* The check's settings or NULL when it has none. Borrowed. */
const fo_audit_check_cfg *fo_audit_config_check(const fo_audit_config *c, const char *check);

/* A YAML node handed to a collector's config parser: paths are resolved against `dir`, errors name `file` and the
 * node's line:column. */
typedef struct fo_audit_yaml {
  yaml_document_t *doc;
  yaml_node_t *node;
  const char *file;
  const char *dir;
} fo_audit_yaml;

/* The node as a string (*out replaced, malloc'ed); a path is resolved against the config's directory. `what`
 * names the key in the message. 0, FO_EINVAL ("file:line:col: ...") or FO_ENOMEM. */
int fo_audit_yaml_string(const fo_audit_yaml *n, const char *what, char **out);
int fo_audit_yaml_path(const fo_audit_yaml *n, const char *what, char **out);
/* The node as a list of at most `max` strings (*out and *nout replaced; `nonempty` refuses ""). On an error the
 * entries read so far stay counted in *nout, so fo_audit_yaml_list_free(*out, *nout) frees everything. */
int fo_audit_yaml_list(const fo_audit_yaml *n, const char *what, size_t max, int nonempty, char ***out, size_t *nout);
void fo_audit_yaml_list_free(char **l, size_t n);
/* FO_EINVAL with "file:line:col: <message>" for the node. */
int fo_audit_yaml_error(const fo_audit_yaml *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* 1 when "YYYY-MM-DD" is a valid calendar date. */
int fo_audit_date_valid(const char *s);

#endif
