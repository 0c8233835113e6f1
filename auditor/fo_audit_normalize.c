/* fo_audit_normalize: built-in and configured rewriting of one side's values before the diff. */
#include "fo_audit_normalize.h"
#include "fo_audit_json.h"
#include "fo_buf.h"
#include "fo_err.h"

#include <ctype.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Keys dropped at any depth: they change on every apply or differ per region by construction.
 * Keep in step with docs/snapshot-format.md ("Volatile fields"). */
static const char *const volatile_any[] = {
    "create_date",
    "created_at",
    "created_date",
    "creation_date",
    "creation_time",
    "creationTimestamp",
    "last_modified",
    "last_modified_date",
    "last_modified_time",
    "last_updated",
    "last_update_time",
    "updated_at",
    "etag",
    "version_id",
    "latest_version",
    "resourceVersion",
    "uid",
    "managedFields",
    "generation",
    "selfLink",
    "timeouts",
};

/* Physical AWS id prefixes: "<prefix>-<8 or 17 hex>" becomes "${id:<prefix>}". */
static const char *const id_prefixes[] = {
    "vpc",  "subnet", "sg",  "igw",      "nat",      "rtb", "eni",      "i",          "vol",
    "snap", "ami",    "acl", "eipalloc", "eipassoc", "lt",  "tgw",      "tgw-attach", "tgw-rtb",
    "vpce", "pcx",    "fs",  "fsap",     "dopt",     "sgr", "rtbassoc",
};

/* The first letters of id_prefixes (made once, from the list): replace_ids looks further only at those. */
static unsigned char id_first_letter[256];
static pthread_once_t id_first_once = PTHREAD_ONCE_INIT;

static void id_first_init(void) {
  for (size_t i = 0; i < sizeof id_prefixes / sizeof id_prefixes[0]; i++)
    id_first_letter[(unsigned char)id_prefixes[i][0]] = 1;
}

int fo_audit_normalize_is_volatile(const char *key) {
  for (size_t i = 0; i < sizeof volatile_any / sizeof volatile_any[0]; i++)
    if (!strcmp(key, volatile_any[i]))
      return 1;
  return 0;
}

/* The rewriters below build their result in `b` up to `rest`, then end here: append the rest and hand the
 * text over, or on failure (`err` < 0) free it. Returns the new string or NULL (OOM). */
static char *finish(fo_buf *b, const char *rest, int err) {
  if (err == 0 && fo_buf_puts(b, rest) == 0)
    return fo_buf_detach(b, NULL);
  fo_buf_dispose(b);
  return NULL;
}

/* The rewriters return `in` itself (cast) when they change nothing, a new string when they do, NULL on
 * failure: most values need no rewriting, and a copy per step per value was most of the diff's time. */

/* Replace every occurrence of `from` in `in` by `to`. */
static char *replace_all(const char *in, const char *from, const char *to) {
  fo_buf b = FO_BUF_INIT;
  size_t fl = strlen(from);
  const char *p = in, *q;
  int err = 0;
  if (!fl || !strstr(in, from))
    return (char *)in;
  while (err == 0 && (q = strstr(p, from)) != NULL) {
    if ((err = fo_buf_append(&b, p, (size_t)(q - p))) == 0)
      err = fo_buf_puts(&b, to);
    p = q + fl;
  }
  return finish(&b, p, err);
}

/* The error of the last fo_audit_normalize_text that returned NULL: FO_ENOMEM, or FO_ELIMIT when a regex rule
 * ran into its match limits (the message names the rule). */
static _Thread_local int norm_err;

int fo_audit_normalize_error(void) {
  return norm_err ? norm_err : fo_err_oom();
}

/* Every match of the rule's regex replaced by its `replace` text (literal). A match that runs into PCRE2's
 * match, depth or heap limit (catastrophic backtracking) is an error naming the rule, never a hang. Each match
 * attempt is limited on its own, and the n-th attempt in one value gets at most VALUE_LIMIT / n steps (never
 * less than the floor), so a value with many matches that each backtrack just under the per-attempt limit
 * still ends soon (the sum of the shares grows with the logarithm of the number of matches). */
static pthread_mutex_t regex_lock = PTHREAD_MUTEX_INITIALIZER;

static char *replace_regex_locked(const fo_audit_norm_ctx *ctx, const fo_audit_norm_rule *r, const char *in);

/* A rule's match data and match context are scratch shared by every use of the config: both sides are collected
 * at once (and hash their sensitive values through here), so one match at a time. */
static char *replace_regex(const fo_audit_norm_ctx *ctx, const fo_audit_norm_rule *r, const char *in) {
  char *out;
  pthread_mutex_lock(&regex_lock);
  out = replace_regex_locked(ctx, r, in);
  pthread_mutex_unlock(&regex_lock);
  return out;
}

static char *replace_regex_locked(const fo_audit_norm_ctx *ctx, const fo_audit_norm_rule *r, const char *in) {
  fo_buf b = FO_BUF_INIT;
  size_t len = strlen(in), at = 0, n = 0;
  int err = 0, rc = 0;
  while (err == 0 && at < len) {
    size_t share = FO_AUDIT_REGEX_VALUE_LIMIT / ++n;
    pcre2_set_match_limit(r->mctx, share > FO_AUDIT_REGEX_MATCH_LIMIT   ? FO_AUDIT_REGEX_MATCH_LIMIT
                                   : share < FO_AUDIT_REGEX_MATCH_FLOOR ? FO_AUDIT_REGEX_MATCH_FLOOR
                                                                        : (uint32_t)share);
    if ((rc = pcre2_match(r->re, (PCRE2_SPTR)in, len, at, 0, r->md, r->mctx)) < 0)
      break;
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
    size_t so = ov[0], eo = ov[1];
    if (so < at || eo < so) { /* \K can report a match that ends before it starts: take it as empty */
      eo = so = so < at ? at : so;
    }
    if ((err = fo_buf_append(&b, in + at, so - at)) == 0)
      err = fo_buf_puts(&b, r->replace);
    if (eo == so) { /* empty match: copy one char to make progress */
      if (err == 0 && so < len)
        err = fo_buf_append(&b, in + so, 1);
      at = so + 1;
    } else {
      at = eo;
    }
  }
  if (err == 0 && rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
    char msg[120];
    pcre2_get_error_message(rc, (PCRE2_UCHAR *)msg, sizeof msg);
    fo_buf_dispose(&b);
    norm_err = fo_err_set(FO_ELIMIT, "%s:%d: normalize[%d]: regex '%.*s' stopped on a value of %zu bytes: %s",
                          ctx->cfg && ctx->cfg->path ? ctx->cfg->path : "config", r->line, r->index, 200, r->primary,
                          len, msg);
    return NULL;
  }
  if (err == 0 && n == 1 && rc == PCRE2_ERROR_NOMATCH) {
    fo_buf_dispose(&b); /* no match at all */
    return (char *)in;
  }
  return finish(&b, at < len ? in + at : "", err);
}

static int is_hex(int c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
static int is_word(int c) {
  return isalnum(c) || c == '_';
}

/* Account ids in ARNs: arn:<partition>:<service>:<region>:<account>:... */
static char *replace_arn_accounts(const fo_audit_norm_ctx *ctx, const char *in) {
  fo_buf b = FO_BUF_INIT;
  const char *p = in, *q;
  int err = 0;
  if (!strstr(in, "arn:"))
    return (char *)in;
  while ((q = strstr(p, "arn:")) != NULL) {
    const char *f = q;
    int colons = 0;
    while (*f && colons < 4) {
      if (*f == ':')
        colons++;
      f++;
    }
    if (colons == 4 && strspn(f, "0123456789") == 12 && (f[12] == ':' || f[12] == '/' || f[12] == '\0')) {
      const char *tok = "${account}";
      if (ctx->peer_account && !strncmp(f, ctx->peer_account, 12))
        tok = "${peer_account}";
      else if (ctx->account && strncmp(f, ctx->account, 12) != 0)
        tok = NULL; /* a third account: keep it, it is a real difference */
      if (tok) {
        if ((err = fo_buf_append(&b, p, (size_t)(f - p))) < 0 || (err = fo_buf_puts(&b, tok)) < 0)
          break;
        p = f + 12;
        continue;
      }
    }
    if ((err = fo_buf_append(&b, p, (size_t)(q - p) + 4)) < 0)
      break;
    p = q + 4;
  }
  return finish(&b, p, err);
}

static char *replace_ids(const char *in) {
  fo_buf b = FO_BUF_INIT;
  const char *p = in, *copied = in;
  int err;
  if (!strchr(in, '-'))
    return (char *)in;
  pthread_once(&id_first_once, id_first_init);
  for (; *p; p++) {
    if (p != in && is_word((unsigned char)p[-1]))
      continue;
    if (!id_first_letter[(unsigned char)*p]) /* most positions end here */
      continue;
    for (size_t i = 0; i < sizeof id_prefixes / sizeof id_prefixes[0]; i++) {
      size_t pl, h = 0;
      if (*p != id_prefixes[i][0])
        continue;
      pl = strlen(id_prefixes[i]);
      if (strncmp(p, id_prefixes[i], pl) != 0 || p[pl] != '-')
        continue;
      while (is_hex((unsigned char)p[pl + 1 + h]))
        h++;
      if ((h != 8 && h != 17) || is_word((unsigned char)p[pl + 1 + h]) || p[pl + 1 + h] == '-')
        continue;
      if ((err = fo_buf_append(&b, copied, (size_t)(p - copied))) < 0 ||
          (err = fo_buf_printf(&b, "${id:%s}", id_prefixes[i])) < 0)
        return finish(&b, "", err);
      p += pl + h; /* loop's p++ steps past the last hex digit */
      copied = p + 1;
      break;
    }
  }
  if (copied == in) {
    fo_buf_dispose(&b);
    return (char *)in;
  }
  return finish(&b, copied, 0);
}

/* Run one rewriting step: a new string replaces (and frees) the previous one unless that is `s` itself. */
#define STEP(expr)             \
  do {                         \
    char *n_ = (expr);         \
    if (n_ != cur && cur != s) \
      free(cur);               \
    if (!(cur = n_))           \
      return NULL;             \
  } while (0)

/* `s` itself when nothing changes it, else a new string; NULL on failure (fo_audit_normalize_error). */
static char *normalize_text(const fo_audit_norm_ctx *ctx, const char *s) {
  char *cur = (char *)s;
  norm_err = 0;
  if (ctx->cfg) {
    for (size_t i = 0; i < ctx->cfg->nnorm; i++) {
      const fo_audit_norm_rule *r = &ctx->cfg->norm[i];
      if (r->is_regex)
        STEP(replace_regex(ctx, r, cur));
      else
        STEP(replace_all(cur, ctx->side ? r->secondary : r->primary, r->replace));
    }
  }
  STEP(replace_arn_accounts(ctx, cur));
  if (ctx->account)
    STEP(replace_all(cur, ctx->account, "${account}"));
  if (ctx->peer_account)
    STEP(replace_all(cur, ctx->peer_account, "${peer_account}"));
  if (ctx->region && *ctx->region)
    STEP(replace_all(cur, ctx->region, "${region}"));
  if (ctx->peer_region && *ctx->peer_region)
    STEP(replace_all(cur, ctx->peer_region, "${peer_region}"));
  /* OpenTofu's registry serves the same providers as Terraform's: registry.opentofu.org/hashicorp/aws in a
   * region applied with tofu is registry.terraform.io/hashicorp/aws in one applied with terraform (the
   * latter is kept, so paths in reports and expected_differences stay the ones users know) */
  STEP(replace_all(cur, "registry.opentofu.org/", "registry.terraform.io/"));
  STEP(replace_ids(cur));
  return cur;
}

char *fo_audit_normalize_text(const fo_audit_norm_ctx *ctx, const char *s) {
  char *n = normalize_text(ctx, s);
  return n == s ? strdup(s) : n;
}

/* A full RFC 3339 date-time: YYYY-MM-DD(T|t| )HH:MM:SS[.frac](Z|z|+HH:MM|-HH:MM). */
static int is_rfc3339(const char *s) {
  static const char shape[] = "dddd-dd-ddTdd:dd:dd";
  size_t i;
  for (i = 0; shape[i]; i++) {
    if (shape[i] == 'd'   ? !isdigit((unsigned char)s[i])
        : shape[i] == 'T' ? (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
                          : s[i] != shape[i])
      return 0;
  }
  if (s[i] == '.') {
    if (!isdigit((unsigned char)s[++i]))
      return 0;
    while (isdigit((unsigned char)s[i]))
      i++;
  }
  if ((s[i] == 'Z' || s[i] == 'z') && !s[i + 1])
    return 1;
  return (s[i] == '+' || s[i] == '-') && isdigit((unsigned char)s[i + 1]) && isdigit((unsigned char)s[i + 2]) &&
         s[i + 3] == ':' && isdigit((unsigned char)s[i + 4]) && isdigit((unsigned char)s[i + 5]) && !s[i + 6];
}

static int ends_with(const char *s, const char *suffix) {
  size_t l = strlen(s), n = strlen(suffix);
  return l > n && !strcmp(s + l - n, suffix);
}

/* An attribute that records when something happened (switched_at, created_at, lastUpdateTime, …): its value is
 * the moment each side's apply ran, never the same in two regions. Names that say when something will or may
 * happen (start_time of a schedule, expires_at, not_after) are configuration and stay compared: event_key and
 * fo_audit_normalize_is_event_time below. */

static int config_volatile(const fo_audit_norm_ctx *ctx, const char *key) {
  for (size_t i = 0; ctx->cfg && i < ctx->cfg->nvolatile; i++)
    if (!strcmp(ctx->cfg->volatile_keys[i], key))
      return 1;
  return 0;
}

/* ---- the memo ------------------------------------------------------------------------------------------- */

#define MEMO_SLOTS 4096 /* power of two; keys beyond 3/4 of it are worked out each time, as without a memo */

typedef struct key_info {
  const char *key;  /* an interned key (fo_audit_json): its address is its identity */
  const char *norm; /* its normalized text: `key` itself when unchanged, else in the memo's arena */
  int vol;          /* volatile (built-in list or the config's) */
  int event;        /* names when something happened (fo_audit_normalize_is_event_time without the value) */
} key_info;

struct fo_audit_norm_memo {
  fo_audit_arena *arena;
  fo_audit_arena *texts; /* rewritten value texts (NULL: arena) */
  size_t count;
  key_info slots[MEMO_SLOTS];
};

fo_audit_norm_memo *fo_audit_norm_memo_new(fo_audit_arena *arena) {
  fo_audit_norm_memo *m = calloc(1, sizeof *m);
  if (m)
    m->arena = arena;
  return m;
}

void fo_audit_norm_memo_free(fo_audit_norm_memo *m) {
  free(m);
}

void fo_audit_norm_memo_texts(fo_audit_norm_memo *m, fo_audit_arena *texts) {
  m->texts = texts;
}

/* The key half of fo_audit_normalize_is_event_time. */
static int event_key(const char *key) {
  static const char *const suffixes[] = {"_at", "At", "_time", "Time", "_timestamp", "Timestamp", "_date", "Date"};
  static const char *const future[] = {"expir",    "Expir",    "start_",  "_start",  "Start", "end_",   "_end",
                                       "End",      "until",    "Until",   "after",   "After", "before", "Before",
                                       "deadline", "Deadline", "schedul", "Schedul", "valid", "Valid"};
  int named = !strncmp(key, "last_", 5) || (!strncmp(key, "last", 4) && isupper((unsigned char)key[4]));
  for (size_t i = 0; !named && i < sizeof suffixes / sizeof suffixes[0]; i++)
    named = ends_with(key, suffixes[i]);
  if (!named)
    return 0;
  for (size_t i = 0; i < sizeof future / sizeof future[0]; i++)
    if (strstr(key, future[i]))
      return 0;
  return 1;
}

int fo_audit_normalize_is_event_time(const char *key, const char *value) {
  return event_key(key) && is_rfc3339(value);
}

/* What a member's key means here: from the memo for an interned key, else worked out now (inf->norm is then
 * malloc'ed when it differs from the key; the caller takes it). 0 or the error of normalize_text. */
static int key_info_of(const fo_audit_norm_ctx *ctx, fo_audit_norm_memo *memo, const cJSON *c, key_info *inf,
                       int *memoized) {
  key_info *slot = NULL;
  char *n;
  *memoized = 0;
  if (memo && (c->type & cJSON_StringIsConst)) {
    size_t i = ((uintptr_t)c->string >> 3) * 2654435761u & (MEMO_SLOTS - 1);
    for (;; i = (i + 1) & (MEMO_SLOTS - 1)) {
      if (memo->slots[i].key == c->string) {
        *inf = memo->slots[i];
        *memoized = 1;
        return 0;
      }
      if (!memo->slots[i].key)
        break;
    }
    if (memo->count < MEMO_SLOTS / 4 * 3)
      slot = &memo->slots[i];
  }
  inf->key = c->string;
  inf->vol = fo_audit_normalize_is_volatile(c->string) || config_volatile(ctx, c->string);
  inf->event = !inf->vol && event_key(c->string);
  inf->norm = c->string;
  if (inf->vol)
    n = (char *)c->string;
  else if (!(n = normalize_text(ctx, c->string)))
    return fo_audit_normalize_error();
  if (n != c->string && !strcmp(n, c->string)) {
    free(n); /* rewritten to the same text (an ARN of this account's own shape) */
    n = c->string;
  }
  inf->norm = n;
  if (slot) {
    if (n != c->string) { /* the memo's copy is shared by every node with this key: the arena keeps it */
      inf->norm = fo_audit_arena_strndup(memo->arena, n, strlen(n));
      free(n);
      if (!inf->norm)
        return fo_err_oom();
    }
    *slot = *inf;
    memo->count++;
    *memoized = 1;
  }
  return 0;
}

/* Give string node `v` the rewritten text `n` (malloc'ed, taken): into the arena when there is one. */
static int set_text(fo_audit_norm_memo *memo, cJSON *v, char *n) {
  char *a;
  if (!memo) {
    fo_audit_json_set_valuestring(v, n); /* a snapshot's old text may be its arena's */
    return 0;
  }
  a = fo_audit_arena_strndup(memo->texts ? memo->texts : memo->arena, n, strlen(n));
  free(n);
  if (!a)
    return fo_err_oom();
  fo_audit_json_set_valuestring(v, NULL);
  v->valuestring = a;
  v->type |= cJSON_IsReference;
  return 0;
}

static int normalize_value(const fo_audit_norm_ctx *ctx, fo_audit_norm_memo *memo, cJSON *v, int depth) {
  static char timestamp[] = "${timestamp}"; /* shared, never freed (cJSON_IsReference) */
  cJSON *c, *next;
  if (depth > 128)
    return 0; /* snapshots are depth-bounded when read; this only guards programmatic input */
  if (cJSON_IsString(v)) {
    char *n = normalize_text(ctx, v->valuestring);
    if (!n)
      return fo_audit_normalize_error();
    if (n != v->valuestring && !strcmp(n, v->valuestring))
      free(n); /* rewritten to the same text: keep the original (no churn in the heap) */
    else if (n != v->valuestring)
      return set_text(memo, v, n);
    return 0;
  }
  if (cJSON_IsObject(v) && v->child && !v->child->next && v->child->string && !strcmp(v->child->string, "$sensitive"))
    return 0; /* a hash placeholder: already normalized when it was made */
  for (c = v->child; c; c = next) {
    next = c->next;
    if (cJSON_IsObject(v) && c->string) {
      key_info inf;
      int memoized, err;
      if ((err = key_info_of(ctx, memo, c, &inf, &memoized)) < 0)
        return err;
      if (inf.vol) {
        fo_audit_json_delete(cJSON_DetachItemViaPointer(v, c)); /* maybe an arena tree */
        continue;
      }
      if (inf.event && cJSON_IsString(c) && is_rfc3339(c->valuestring)) {
        fo_audit_json_set_valuestring(c, timestamp);
        c->type |= cJSON_IsReference;
      }
      if (inf.norm != c->string) { /* unchanged keys, shared (interned) ones included, stay as they are */
        if (!(c->type & cJSON_StringIsConst))
          free(c->string);
        c->string = (char *)inf.norm;
        if (memoized)
          c->type |= cJSON_StringIsConst; /* the memo's arena copy */
        else
          c->type &= ~cJSON_StringIsConst;
      }
    }
    int err = normalize_value(ctx, memo, c, depth + 1);
    if (err < 0)
      return err;
  }
  return 0;
}

int fo_audit_normalize_attributes_memo(const fo_audit_norm_ctx *ctx, fo_audit_norm_memo *memo, cJSON *attributes) {
  if (!attributes)
    return 0;
  return normalize_value(ctx, memo, attributes, 0);
}

int fo_audit_normalize_attributes(const fo_audit_norm_ctx *ctx, cJSON *attributes) {
  return fo_audit_normalize_attributes_memo(ctx, NULL, attributes);
}
