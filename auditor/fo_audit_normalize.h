/* fo_audit_normalize: rewrites one side's values so that what legitimately differs between the regions
 * (region names, AZs, account ids, physical AWS ids, volatile fields) compares equal. Pure: no I/O. */
#ifndef FO_AUDIT_NORMALIZE_H
#define FO_AUDIT_NORMALIZE_H

#include <cjson/cJSON.h>

#include "fo_audit_arena.h"
#include "fo_audit_config.h"

/* Everything normalization needs to know about one side. Borrowed pointers; `cfg` may be NULL. */
typedef struct fo_audit_norm_ctx {
  const char *region;         /* this side's region -> "${region}" (so "us-east-1a" -> "${region}a") */
  const char *peer_region;    /* the other side's region -> "${peer_region}" */
  const char *account;        /* this side's account id -> "${account}"; NULL: every ARN account -> "${account}" */
  const char *peer_account;   /* -> "${peer_account}" */
  const fo_audit_config *cfg; /* extra `normalize` rules and `volatile` keys */
  int side;                   /* 0 primary, 1 secondary: which literal of a per-side rule applies */
} fo_audit_norm_ctx;

/* Normalized copy of `s` (malloc'ed), or NULL on error: out of memory, or a config regex that ran into its
 * match limits (fo_audit_normalize_error() says which, with the message set). Order: the config's rules first
 * (they see the raw text), then account ids in ARNs, known account ids, region names, physical AWS ids. */
char *fo_audit_normalize_text(const fo_audit_norm_ctx *ctx, const char *s);

/* The error code of the last fo_audit_normalize_text that returned NULL (FO_ENOMEM or FO_ELIMIT), message kept. */
int fo_audit_normalize_error(void);

/* Normalize a snapshot object's attributes in place: every string value and object key, and drop volatile
 * fields (the built-in list and the config's; what is volatile for one source only, its collector drops first:
 * fo_audit_collector.drop_volatile). Returns 0, FO_ENOMEM or FO_ELIMIT (a config regex hit its match limits). */
int fo_audit_normalize_attributes(const fo_audit_norm_ctx *ctx, cJSON *attributes);

/* What normalizing one side's snapshot remembers between its objects: per interned key (fo_audit_json's keys
 * repeat in every object) whether it is volatile, whether it names an event time and its normalized text; and
 * the arena (the snapshot's) that rewritten texts go to. The same result as without it, in a fraction of the
 * work (docs/benchmarks.md, issue 14). One memo per side (the normalized keys depend on the side's ctx). */
typedef struct fo_audit_norm_memo fo_audit_norm_memo;
/* NULL when out of memory. `arena` is borrowed and must outlive every tree normalized through the memo. */
fo_audit_norm_memo *fo_audit_norm_memo_new(fo_audit_arena *arena);
void fo_audit_norm_memo_free(fo_audit_norm_memo *m);
/* Rewritten value texts go to `texts` (borrowed; NULL: the memo's arena) from now on: a scratch arena when the
 * tree normalized is a packed object's opened copy, so they go when it is repacked. Keys stay in the memo's. */
void fo_audit_norm_memo_texts(fo_audit_norm_memo *m, fo_audit_arena *texts);
/* fo_audit_normalize_attributes through a memo (NULL: none). */
int fo_audit_normalize_attributes_memo(const fo_audit_norm_ctx *ctx, fo_audit_norm_memo *memo, cJSON *attributes);

/* 1 when `key` is on the built-in volatile list for any depth (timestamps, etags ...). */
int fo_audit_normalize_is_volatile(const char *key);
/* 1 when `key` names when something happened (switched_at, created_at, lastUpdateTime, …; not a schedule or an
 * expiry) and `value` is an RFC 3339 date-time: normalized to "${timestamp}" (each region applies at its own
 * moment). */
int fo_audit_normalize_is_event_time(const char *key, const char *value);

#endif
