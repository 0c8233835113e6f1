/* fo_audit_json: exact JSON for the auditor. yajl (Debian libyajl-dev) parses: its callbacks hand over each
 * number's text and each string's length, and it reads in chunks, so a file is streamed and never held whole.
 * The tree stays cJSON (what the pipeline shares); numbers keep their canonical text, NUL-holding strings
 * their bytes (see the header). */
#include "fo_audit_json.h"
#include "fo_cty.h"
#include "fo_err.h"
#include "fo_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

#define CHUNK ((size_t)256 << 10)
/* What a node or string costs the allocator (glibc: 16-byte granules, 8 bytes of header), for the budget. */
#define ALLOC_COST(n) ((((size_t)(n) + 8 + 15) / 16) * 16)

size_t fo_audit_json_budget(size_t input_len) {
  size_t b = FO_AUDIT_JSON_BUDGET_BASE;
  if (input_len > (FO_AUDIT_JSON_BUDGET_MAX - b) / FO_AUDIT_JSON_BUDGET_RATIO)
    return FO_AUDIT_JSON_BUDGET_MAX;
  return b + input_len * FO_AUDIT_JSON_BUDGET_RATIO;
}

/* ---- numbers and strings --------------------------------------------------------------------------------- */

int fo_audit_json_is_string(const cJSON *v) {
  return cJSON_IsString(v) || (cJSON_IsRaw(v) && v->valuestring && v->valuestring[0] == '"');
}

/* Canonical text of a double (shortest digits, plain decimal), as fo_cty writes numbers. */
static const char *double_text(double d, char *buf) {
  fo_cty_value *v;
  const char *t;
  if (!isfinite(d))
    return strcpy(buf, "null"); /* cJSON writes NaN and infinities as null too */
  if (d == floor(d) && fabs(d) < 1e15) {
    snprintf(buf, FO_AUDIT_JSON_NUMBUF, "%.0f", d == 0 ? 0.0 : d);
    return buf;
  }
  v = fo_cty_number_double(d);
  t = v ? fo_cty_number_text(v) : NULL;
  if (t && strlen(t) < FO_AUDIT_JSON_NUMBUF)
    strcpy(buf, t);
  else
    snprintf(buf, FO_AUDIT_JSON_NUMBUF, "%.17g", d); /* 1e300: plain digits would not fit; still exact */
  fo_cty_value_unref(v);
  return buf;
}

const char *fo_audit_json_number_text(const cJSON *n, char *buf) {
  if (n->valuestring)
    return n->valuestring;
  return double_text(n->valuedouble, buf);
}

static void set_double(cJSON *n, double d) {
  n->valuedouble = d;
  n->valueint = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
}

/* A plain integer of at most 15 digits: already canonical and exact as a double (the common case, fast). */
static int small_int(const char *t, size_t len) {
  size_t i = t[0] == '-';
  if (len == i || len - i > 15 || (t[i] == '0' && len - i > 1) || (i && t[1] == '0'))
    return 0;
  for (; i < len; i++)
    if (t[i] < '0' || t[i] > '9')
      return 0;
  return 1;
}

/* Make `n` (a cJSON_Number node) the number of the text; its valuestring (when needed) from `arena` or malloc. */
static int number_fill(cJSON *n, const char *text, size_t len, fo_audit_arena *arena) {
  fo_cty_value *v = NULL;
  const char *canon;
  char buf[FO_AUDIT_JSON_NUMBUF];
  int err = 0;
  if (small_int(text, len)) {
    memcpy(buf, text, len);
    buf[len] = '\0';
    set_double(n, strtod(buf, NULL));
    return 0;
  }
  if ((err = fo_cty_number_parse(&v, text, len)) < 0 || !(canon = fo_cty_number_text(v)) || canon[0] == '+' ||
      (canon[0] == '-' && canon[1] == 'I')) {
    if (err != FO_ENOMEM)
      err = fo_err_set(FO_EINVAL, "number '%.*s' is not a finite decimal", (int)(len > 40 ? 40 : len), text);
    fo_cty_value_unref(v);
    return err;
  }
  set_double(n, fo_cty_number_as_double(v));
  /* keep the text only when the double does not say the same */
  if (strcmp(double_text(n->valuedouble, buf), canon) != 0) {
    if (arena && (n->valuestring = fo_audit_arena_strndup(arena, canon, strlen(canon))) != NULL)
      n->type |= cJSON_IsReference;
    else if (!arena)
      n->valuestring = strdup(canon);
    if (!n->valuestring)
      err = fo_err_oom();
  }
  fo_cty_value_unref(v);
  return err;
}

int fo_audit_json_number_from_text(cJSON **out, const char *text, size_t len) {
  cJSON *n = cJSON_CreateNumber(0);
  int err;
  *out = NULL;
  if (!n)
    return fo_err_oom();
  if ((err = number_fill(n, text, len, NULL)) < 0) {
    cJSON_Delete(n);
    return err;
  }
  *out = n;
  return 0;
}

/* JSON string literal of bytes, escaped as cJSON escapes (so hashes of ordinary values do not change). */
static int write_string(fo_buf *b, const char *s, size_t len) {
  size_t run = 0;
  int err;
  if ((err = fo_buf_append(b, "\"", 1)) < 0)
    return err;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    char esc[8];
    const char *e = NULL;
    if (c >= 32 && c != '"' && c != '\\')
      continue;
    switch (c) {
      case '"':
        e = "\\\"";
        break;
      case '\\':
        e = "\\\\";
        break;
      case '\b':
        e = "\\b";
        break;
      case '\f':
        e = "\\f";
        break;
      case '\n':
        e = "\\n";
        break;
      case '\r':
        e = "\\r";
        break;
      case '\t':
        e = "\\t";
        break;
      default:
        snprintf(esc, sizeof esc, "\\u%04x", c);
        e = esc;
    }
    if ((err = fo_buf_append(b, s + run, i - run)) < 0 || (err = fo_buf_puts(b, e)) < 0)
      return err;
    run = i + 1;
  }
  if ((err = fo_buf_append(b, s + run, len - run)) < 0)
    return err;
  return fo_buf_append(b, "\"", 1);
}

/* Make `n` (type 0) the string of the bytes; the text from `arena` (cJSON_IsReference) or malloc. */
static int string_fill(cJSON *n, const char *s, size_t len, fo_audit_arena *arena) {
  fo_buf lit = FO_BUF_INIT;
  int raw = memchr(s, 0, len) != NULL;
  if (raw) {
    if (write_string(&lit, s, len) < 0)
      return fo_err_oom();
    s = lit.data;
    len = lit.len;
  }
  if (arena) {
    n->valuestring = fo_audit_arena_strndup(arena, s, len);
    n->type |= cJSON_IsReference;
  } else if ((n->valuestring = malloc(len + 1)) != NULL) {
    memcpy(n->valuestring, s, len);
    n->valuestring[len] = '\0';
  }
  n->type |= raw ? cJSON_Raw : cJSON_String;
  fo_buf_dispose(&lit);
  return n->valuestring ? 0 : fo_err_oom();
}

cJSON *fo_audit_json_string_from_bytes(const char *s, size_t len) {
  cJSON *n = cJSON_CreateNull();
  if (!n) {
    fo_err_oom();
    return NULL;
  }
  n->type = 0;
  if (string_fill(n, s, len, NULL) < 0) {
    n->type = cJSON_NULL;
    cJSON_Delete(n);
    return NULL;
  }
  return n;
}

void fo_audit_json_delete(cJSON *item) {
  cJSON *next;
  while (item) {
    next = item->next;
    if (!(item->type & cJSON_IsReference) && item->child)
      fo_audit_json_delete(item->child);
    if (!(item->type & cJSON_IsReference) && item->valuestring)
      free(item->valuestring);
    if (!(item->type & cJSON_StringIsConst) && item->string)
      free(item->string);
    if (!(item->type & FO_AUDIT_JSON_IN_ARENA))
      free(item); /* cJSON's default allocator is malloc/free */
    item = next;
  }
}

void fo_audit_json_set_valuestring(cJSON *v, char *s) {
  if (!(v->type & cJSON_IsReference))
    free(v->valuestring);
  v->valuestring = s;
  v->type &= ~cJSON_IsReference;
}

/* ---- interned keys --------------------------------------------------------------------------------------- */

/* Object keys repeat (every resource has "arn", "tags", ...): a parsed key is stored once for the process and
 * shared by every node (cJSON_StringIsConst: cJSON never frees it; whoever renames a key clears the flag).
 * Bounded, so hostile inputs (and fuzzers running millions of inputs) cannot grow it without end: short keys
 * only, at most INTERN_MAX of them; other keys are allocated per node as cJSON does. Under a lock: both sides
 * are collected at once, each on its own thread. */
#define INTERN_MAX_LEN 64
#define INTERN_MAX     65536
#define INTERN_SLOTS   (INTERN_MAX * 2)

static char **intern_slots;
static size_t intern_count;

static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *intern_locked(const unsigned char *s, size_t len);

static const char *intern(const unsigned char *s, size_t len) {
  const char *k;
  if (len > INTERN_MAX_LEN)
    return NULL;
  pthread_mutex_lock(&intern_lock);
  k = intern_locked(s, len);
  pthread_mutex_unlock(&intern_lock);
  return k;
}

const char *fo_audit_json_intern(const char *s, size_t len) {
  return intern((const unsigned char *)s, len);
}

static const char *intern_locked(const unsigned char *s, size_t len) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  size_t i;
  if (len > INTERN_MAX_LEN)
    return NULL;
  if (!intern_slots && !(intern_slots = calloc(INTERN_SLOTS, sizeof *intern_slots)))
    return NULL;
  for (i = 0; i < len; i++)
    h = (h ^ s[i]) * 1099511628211ull;
  for (i = (size_t)h & (INTERN_SLOTS - 1);; i = (i + 1) & (INTERN_SLOTS - 1)) {
    char *k = intern_slots[i];
    if (!k)
      break;
    if (strnlen(k, len + 1) == len && !memcmp(k, s, len))
      return k;
  }
  if (intern_count >= INTERN_MAX || !(intern_slots[i] = malloc(len + 1)))
    return NULL;
  memcpy(intern_slots[i], s, len);
  intern_slots[i][len] = '\0';
  intern_count++;
  return intern_slots[i];
}

/* ---- parsing --------------------------------------------------------------------------------------------- */

#define MAX_STACK 1024
/* A parse's own direct-mapped cache in front of the process's intern table: a key seen before in this parse
 * costs a hash and a compare, no lock (both sides are parsed at once). */
#define KEY_CACHE 256

typedef struct pstate {
  const fo_audit_json_opts *o;
  yajl_handle h;
  cJSON *root;
  cJSON *stack[MAX_STACK];
  int depth;
  char *key;     /* pending key of the innermost object */
  int key_const; /* it is interned: not ours to free */
  size_t used, budget;
  int err; /* set by a callback that stopped the parse */
  /* line tracking for opts->lines_of */
  const unsigned char *chunk;
  size_t chunk_len, counted, line;
  int in_lines;   /* inside the top-level member named lines_of (an array) */
  int lines_done; /* only the first such member counts, as cJSON's lookups find the first */
  size_t lines_cap;
  const char *key_cache[KEY_CACHE];
  fo_audit_arena *arena; /* where nodes and strings go now: o->arena, or the collapse's scratch */
  int collapse_depth;    /* the stack depth of the value being collapsed, 0 when none */
} pstate;

/* The interned key for these bytes: from the parse's cache, else from the table (then cached). NULL when the
 * key is not interned (too long, table full, OOM). */
static const char *intern_cached(pstate *p, const unsigned char *s, size_t len) {
  size_t h = len;
  const char *k;
  for (size_t i = 0; i < len && i < 16; i++)
    h = h * 31 + s[i];
  if (len > 16)
    h = h * 31 + s[len - 1];
  h &= KEY_CACHE - 1;
  k = p->key_cache[h];
  if (k && !strncmp(k, (const char *)s, len) && k[len] == '\0') /* s holds no NUL (cb_key checked) */
    return k;
  if ((k = intern(s, len)) != NULL)
    p->key_cache[h] = k;
  return k;
}

static int stop(pstate *p, int err) {
  p->err = err;
  return 0;
}

/* Count the newlines of the current chunk up to `at`. */
static void count_lines(pstate *p, size_t at) {
  const unsigned char *q;
  if (at > p->chunk_len)
    at = p->chunk_len;
  while (p->counted < at && (q = memchr(p->chunk + p->counted, '\n', at - p->counted)) != NULL) {
    p->line++;
    p->counted = (size_t)(q - p->chunk) + 1;
  }
  if (p->counted < at)
    p->counted = at;
}

static size_t line_now(pstate *p) {
  count_lines(p, yajl_get_bytes_consumed(p->h));
  return p->line;
}

static int charge(pstate *p, size_t cost) {
  p->used += cost;
  if (p->used > p->budget)
    return stop(p, fo_err_set(FO_ELIMIT,
                              "%s: needs more than %zu MiB of memory once parsed (budget: 64 MiB + %d bytes per byte "
                              "of input, at most %zu MiB; too many small values?)",
                              p->o->what, p->budget >> 20, FO_AUDIT_JSON_BUDGET_RATIO, FO_AUDIT_JSON_BUDGET_MAX >> 20));
  return 1;
}

/* Attach a new node to the current container (or make it the root). */
static int attach(pstate *p, cJSON *n) {
  cJSON *parent = p->depth ? p->stack[p->depth - 1] : NULL;
  if (!n)
    return stop(p, fo_err_oom());
  if (!parent) {
    p->root = n;
    return 1;
  }
  if (cJSON_IsObject(parent)) {
    n->string = p->key;
    if (p->key_const)
      n->type |= cJSON_StringIsConst;
    p->key = NULL;
    p->key_const = 0;
  }
  if (!parent->child) {
    parent->child = n;
    n->prev = n;
  } else {
    cJSON *last = parent->child->prev;
    last->next = n;
    n->prev = last;
    parent->child->prev = n;
  }
  return 1;
}

/* A new node of `type`: from the arena when the caller gave one, else as cJSON makes them. NULL on OOM. */
static cJSON *node(pstate *p, int type) {
  cJSON *n;
  if (!p->arena) {
    if ((n = cJSON_CreateNull()) != NULL)
      n->type = type;
    return n;
  }
  if ((n = fo_audit_arena_alloc(p->arena, sizeof *n)) != NULL) {
    memset(n, 0, sizeof *n);
    n->type = type | FO_AUDIT_JSON_IN_ARENA;
  }
  return n;
}

static int scalar(pstate *p, cJSON *n, size_t extra) {
  if (!attach(p, n))
    return 0;
  return charge(p, ALLOC_COST(sizeof(cJSON)) + (extra ? ALLOC_COST(extra) : 0));
}

static int cb_null(void *ctx) {
  return scalar(ctx, node(ctx, cJSON_NULL), 0);
}

static int cb_bool(void *ctx, int b) {
  return scalar(ctx, node(ctx, b ? cJSON_True : cJSON_False), 0);
}

static int cb_number(void *ctx, const char *s, size_t len) {
  pstate *p = ctx;
  cJSON *n = node(p, cJSON_Number);
  int err = n ? number_fill(n, s, len, p->arena) : fo_err_oom();
  if (err < 0) {
    fo_audit_json_delete(n);
    return stop(p, err == FO_ENOMEM ? err : fo_err_set(FO_EINVAL, "%s: %s", p->o->what, fo_err_last()));
  }
  return scalar(p, n, n->valuestring ? strlen(n->valuestring) + 1 : 0);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len) {
  pstate *p = ctx;
  cJSON *n = node(p, 0);
  if (n && string_fill(n, (const char *)s, len, p->arena) < 0) {
    n->type &= FO_AUDIT_JSON_IN_ARENA;
    fo_audit_json_delete(n);
    n = NULL;
  }
  return scalar(p, n, n ? strlen(n->valuestring) + 1 : 0);
}

static int cb_key(void *ctx, const unsigned char *s, size_t len) {
  pstate *p = ctx;
  if (memchr(s, 0, len))
    return stop(p, fo_err_set(FO_EINVAL, "%s: an object key holds a NUL character (\\u0000) near line %zu", p->o->what,
                              line_now(p)));
  if (!p->key_const)
    free(p->key);
  if ((p->key = (char *)intern_cached(p, s, len)) != NULL) {
    p->key_const = 1;
  } else if (p->arena) {
    if (!(p->key = fo_audit_arena_strndup(p->arena, (const char *)s, len)))
      return stop(p, fo_err_oom());
    p->key_const = 1; /* the arena's, as an interned key is the process's */
    return charge(p, ALLOC_COST(len + 1));
  } else {
    p->key_const = 0;
    if (!(p->key = malloc(len + 1)))
      return stop(p, fo_err_oom());
    memcpy(p->key, s, len);
    p->key[len] = '\0';
  }
  if (p->o->lines_of && p->depth == 1)
    p->in_lines = !p->lines_done && !strcmp(p->key, p->o->lines_of);
  return p->key_const ? 1 : charge(p, ALLOC_COST(len + 1));
}

static int open_container(pstate *p, cJSON *n) {
  if (p->depth >= p->o->max_depth || p->depth >= MAX_STACK) {
    fo_audit_json_delete(n);
    return stop(p, fo_err_set(FO_ELIMIT, "%s: nested deeper than %d levels", p->o->what, p->o->max_depth));
  }
  if (cJSON_IsObject(n) && p->in_lines && p->depth == 2 && cJSON_IsArray(p->stack[1])) {
    size_t *nl = p->o->nlines;
    if (*nl == p->lines_cap) {
      size_t cap = p->lines_cap ? p->lines_cap * 2 : 256;
      int *l = realloc(*p->o->lines, cap * sizeof *l);
      if (!l) {
        fo_audit_json_delete(n);
        return stop(p, fo_err_oom());
      }
      *p->o->lines = l;
      p->lines_cap = cap;
    }
    (*p->o->lines)[(*nl)++] = (int)(line_now(p) > INT_MAX ? INT_MAX : line_now(p));
  }
  if (!scalar(p, n, 0))
    return 0;
  p->stack[p->depth++] = n;
  return 1;
}

/* 1 when the object opening now is a value to collapse (opts->collapse): member `member` of an object in the
 * top-level object's member `under`. */
static int collapse_starts(const pstate *p) {
  const fo_audit_json_collapse *c = p->o->collapse;
  return c && p->o->arena && p->depth == 3 && !p->collapse_depth && p->key && !strcmp(p->key, c->member) &&
         cJSON_IsObject(p->stack[0]) && cJSON_IsObject(p->stack[1]) && p->stack[1]->string &&
         !strcmp(p->stack[1]->string, c->under) && cJSON_IsObject(p->stack[2]);
}

static int cb_start_map(void *ctx) {
  pstate *p = ctx;
  if (collapse_starts(p)) {
    /* the value's own node stays (in the document's arena); what is inside it goes to the scratch */
    if (!open_container(p, node(p, cJSON_Object)))
      return 0;
    p->collapse_depth = p->depth;
    p->arena = p->o->collapse->scratch;
    return 1;
  }
  return open_container(ctx, node(ctx, cJSON_Object));
}

/* The collapsed value closes: hand it over, then drop its children (the scratch's, and what was malloc'ed). */
static int collapse_end(pstate *p) {
  const fo_audit_json_collapse *c = p->o->collapse;
  cJSON *v = p->stack[p->collapse_depth - 1], *children = v->child;
  int err = c->done(c->ud, v);
  if (v->child == children)
    v->child = NULL;
  fo_audit_json_delete(children);
  fo_audit_arena_reset(c->scratch);
  p->arena = p->o->arena;
  p->collapse_depth = 0;
  return err < 0 ? stop(p, err) : 1;
}

static int cb_start_array(void *ctx) {
  return open_container(ctx, node(ctx, cJSON_Array));
}

static int cb_end(void *ctx) {
  pstate *p = ctx;
  if (p->collapse_depth && p->depth == p->collapse_depth && !collapse_end(p))
    return 0;
  p->depth--;
  if (p->depth == 1 && p->in_lines) {
    p->in_lines = 0;
    p->lines_done = 1;
  }
  return 1;
}

static const yajl_callbacks callbacks = {
    cb_null, cb_bool, NULL, NULL, cb_number, cb_string, cb_start_map, cb_key, cb_end, cb_start_array, cb_end,
};

static int pstate_init(pstate *p, const fo_audit_json_opts *o, size_t input_len) {
  memset(p, 0, sizeof *p);
  p->o = o;
  p->arena = o->arena;
  p->line = 1;
  p->budget = fo_audit_json_budget(input_len);
  if (o->lines) {
    *o->lines = NULL;
    *o->nlines = 0;
  }
  if (!(p->h = yajl_alloc(&callbacks, NULL, p)))
    return fo_err_oom();
  yajl_config(p->h, yajl_dont_validate_strings, 1); /* as before: bytes are kept as they are */
  return 0;
}

static void pstate_fail(pstate *p) {
  fo_audit_json_delete(p->root);
  p->root = NULL;
  if (p->o->lines) {
    free(*p->o->lines);
    *p->o->lines = NULL;
    *p->o->nlines = 0;
  }
}

/* The first non-blank byte must open an object or an array: anything else is refused before reading on. */
static int check_start(pstate *p, const unsigned char *d, size_t len, size_t base, int *started) {
  for (size_t i = 0; i < len && !*started; i++) {
    unsigned char c = d[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
      continue;
    if (c != '{' && c != '[')
      return fo_err_set(FO_EINVAL, "%s: not JSON (byte %zu is 0x%02x; a JSON document starts with '{' or '[')",
                        p->o->what, base + i, c);
    *started = 1;
  }
  return 0;
}

/* Feed one chunk; base is its offset in the input. */
static int feed(pstate *p, const unsigned char *d, size_t len, size_t base, int final) {
  yajl_status st;
  p->chunk = d;
  p->chunk_len = len;
  p->counted = 0;
  st = final ? yajl_complete_parse(p->h) : yajl_parse(p->h, d, len);
  if (!final && st == yajl_status_ok)
    count_lines(p, len); /* finish this chunk's line count */
  else if (!final)
    line_now(p);
  if (st == yajl_status_ok)
    return 0;
  if (st == yajl_status_client_canceled)
    return p->err ? p->err : fo_err_set(FO_EINVAL, "%s: invalid JSON", p->o->what);
  if (final)
    return fo_err_set(FO_EINVAL, "%s: invalid JSON near byte %zu (truncated?)", p->o->what, base);
  return fo_err_set(FO_EINVAL, "%s: invalid JSON near byte %zu (line %zu)", p->o->what,
                    base + yajl_get_bytes_consumed(p->h), p->line);
}

static int finish(pstate *p, cJSON **out, int err, size_t total) {
  if (err == 0 && (err = feed(p, NULL, 0, total, 1)) == 0 && !p->root)
    err = fo_err_set(FO_EINVAL, "%s: the file is empty", p->o->what);
  if (!p->key_const)
    free(p->key);
  p->key = NULL;
  yajl_free(p->h);
  if (err < 0) {
    pstate_fail(p);
    return err;
  }
  *out = p->root;
  return 0;
}

int fo_audit_json_parse(cJSON **out, const char *data, size_t len, const fo_audit_json_opts *o) {
  pstate p;
  int err, started = 0;
  *out = NULL;
  if ((err = pstate_init(&p, o, len)) < 0)
    return err;
  err = check_start(&p, (const unsigned char *)data, len, 0, &started);
  if (err == 0 && !started)
    err = fo_err_set(FO_EINVAL, "%s: the file is empty", o->what);
  if (err == 0)
    err = feed(&p, (const unsigned char *)data, len, 0, 0);
  return finish(&p, out, err, len);
}

int fo_audit_json_load(cJSON **out, const char *path, const fo_audit_json_opts *o) {
  pstate p;
  struct stat st;
  unsigned char *buf = NULL;
  size_t total = 0;
  int fd, err = 0, started = 0;
  *out = NULL;
  /* O_NONBLOCK: a FIFO must not block the open; it is refused below as not a regular file */
  if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
    return fo_err_set(errno == ENOENT ? FO_ENOTFOUND : FO_EIO, "cannot read '%s': %s", path, strerror(errno));
  if (fstat(fd, &st) < 0) {
    err = fo_err_set(FO_EIO, "cannot read '%s': %s", path, strerror(errno));
    close(fd);
    return err;
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return fo_err_set(FO_EIO, "cannot read '%s': not a regular file (%s)", path, fo_file_kind(st.st_mode));
  }
  if ((size_t)st.st_size > o->max_bytes) {
    close(fd);
    return fo_err_set(FO_ELIMIT, "'%s' is larger than %zu bytes", path, o->max_bytes);
  }
  if ((err = pstate_init(&p, o, (size_t)st.st_size)) < 0) {
    close(fd);
    return err;
  }
  if (!(buf = malloc(CHUNK)))
    err = fo_err_oom();
  while (err == 0) {
    ssize_t n = read(fd, buf, CHUNK);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      err = fo_err_set(FO_EIO, "cannot read '%s': %s", path, strerror(errno));
      break;
    }
    if (n == 0)
      break;
    if (total + (size_t)n > o->max_bytes) {
      err = fo_err_set(FO_ELIMIT, "'%s' is larger than %zu bytes", path, o->max_bytes);
      break;
    }
    if ((err = check_start(&p, buf, (size_t)n, total, &started)) == 0 && started)
      err = feed(&p, buf, (size_t)n, total, 0);
    total += (size_t)n;
  }
  close(fd);
  if (buf) {
    memset(buf, 0, CHUNK); /* the text may hold secrets */
    free(buf);
  }
  if (err == 0 && !started)
    err = fo_err_set(FO_EINVAL, "%s: the file is empty", o->what);
  return finish(&p, out, err, total);
}

int fo_audit_json_parse_value(cJSON **out, const char *text, size_t len, const fo_audit_json_opts *o) {
  fo_buf b = FO_BUF_INIT;
  cJSON *arr = NULL;
  int err;
  *out = NULL;
  /* the reader takes documents ('{' or '['): wrap the value in a list */
  if ((err = fo_buf_append(&b, "[", 1)) < 0 || (err = fo_buf_append(&b, text, len)) < 0 ||
      (err = fo_buf_append(&b, "]", 1)) < 0 || (err = fo_audit_json_parse(&arr, b.data, b.len, o)) < 0)
    goto done;
  if (!arr->child || arr->child->next) {
    err = fo_err_set(FO_EINVAL, "%s: not one JSON value", o->what);
    goto done;
  }
  *out = cJSON_DetachItemViaPointer(arr, arr->child);
done:
  cJSON_Delete(arr);
  fo_buf_dispose(&b);
  return err;
}

/* ---- comparison ------------------------------------------------------------------------------------------ */

static const char *mkey(const cJSON *c) {
  return c->string ? c->string : "";
}

typedef struct kv {
  const cJSON *item;
  size_t idx;
} kv;

static int cmp_kv(const void *pa, const void *pb) {
  const kv *a = pa, *b = pb;
  int c = strcmp(mkey(a->item), mkey(b->item));
  return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

/* Members sorted by key, first of repeated keys kept. */
static kv *sorted(const cJSON *o, size_t *n) {
  size_t cnt = 0, k = 0;
  const cJSON *c;
  kv *m;
  for (c = o->child; c; c = c->next)
    cnt++;
  *n = 0;
  if (!(m = malloc((cnt ? cnt : 1) * sizeof *m)))
    return NULL;
  for (c = o->child; c; c = c->next, k++) {
    m[k].item = c;
    m[k].idx = k;
  }
  qsort(m, cnt, sizeof *m, cmp_kv);
  k = 0;
  for (size_t i = 0; i < cnt; i++)
    if (i == 0 || strcmp(mkey(m[i].item), mkey(m[k - 1].item)) != 0)
      m[k++] = m[i];
  *n = k;
  return m;
}

static int equal_rec(const cJSON *a, const cJSON *b, int depth, int max_depth) {
  const cJSON *x, *y;
  if ((a->type & 0xFF) != (b->type & 0xFF) || depth > max_depth)
    return 0;
  if (cJSON_IsNumber(a)) {
    char ba[FO_AUDIT_JSON_NUMBUF], bb[FO_AUDIT_JSON_NUMBUF];
    if (!a->valuestring && !b->valuestring)
      return a->valuedouble == b->valuedouble;
    return !strcmp(fo_audit_json_number_text(a, ba), fo_audit_json_number_text(b, bb));
  }
  if (cJSON_IsString(a) || cJSON_IsRaw(a))
    return !strcmp(a->valuestring ? a->valuestring : "", b->valuestring ? b->valuestring : "");
  if (!cJSON_IsArray(a) && !cJSON_IsObject(a))
    return 1; /* true, false, null */
  for (x = a->child, y = b->child; x && y; x = x->next, y = y->next) {
    if (cJSON_IsObject(a) && strcmp(mkey(x), mkey(y)) != 0)
      break;
    if (!equal_rec(x, y, depth + 1, max_depth))
      return 0;
  }
  if (!x && !y)
    return 1;
  if (cJSON_IsArray(a))
    return 0;
  {
    /* keys in another order: compare as key sets */
    size_t na = 0, nb = 0;
    kv *ma = sorted(a, &na), *mb = sorted(b, &nb);
    int eq = ma && mb && na == nb;
    for (size_t i = 0; eq && i < na; i++)
      eq = !strcmp(mkey(ma[i].item), mkey(mb[i].item)) && equal_rec(ma[i].item, mb[i].item, depth + 1, max_depth);
    free(ma);
    free(mb);
    return eq;
  }
}

int fo_audit_json_equal(const cJSON *a, const cJSON *b, int max_depth) {
  if (!a || !b)
    return a == b;
  return equal_rec(a, b, 0, max_depth);
}

int fo_audit_json_cmp_scalar(const cJSON *a, const cJSON *b) {
  if (cJSON_IsNumber(a) != cJSON_IsNumber(b))
    return cJSON_IsNumber(a) ? -1 : 1;
  if (cJSON_IsNumber(a)) {
    char ba[FO_AUDIT_JSON_NUMBUF], bb[FO_AUDIT_JSON_NUMBUF];
    if (a->valuedouble != b->valuedouble)
      return a->valuedouble < b->valuedouble ? -1 : 1;
    if (!a->valuestring && !b->valuestring)
      return 0;
    return strcmp(fo_audit_json_number_text(a, ba), fo_audit_json_number_text(b, bb));
  }
  if (cJSON_IsRaw(a) != cJSON_IsRaw(b)) /* NUL-holding strings after plain ones */
    return cJSON_IsRaw(a) ? 1 : -1;
  return strcmp(a->valuestring ? a->valuestring : "", b->valuestring ? b->valuestring : "");
}

/* ---- writing --------------------------------------------------------------------------------------------- */

static int indent(fo_buf *b, int n) {
  int err = 0;
  for (int i = 0; i < n && err == 0; i++)
    err = fo_buf_append(b, "\t", 1);
  return err;
}

static int write_rec(fo_buf *b, const cJSON *v, int pretty, int depth) {
  char nb[FO_AUDIT_JSON_NUMBUF];
  const cJSON *c;
  int err = 0;
  switch (v->type & 0xFF) {
    case cJSON_NULL:
      return fo_buf_puts(b, "null");
    case cJSON_True:
      return fo_buf_puts(b, "true");
    case cJSON_False:
      return fo_buf_puts(b, "false");
    case cJSON_Number:
      return fo_buf_puts(b, fo_audit_json_number_text(v, nb));
    case cJSON_String:
      return v->valuestring ? write_string(b, v->valuestring, strlen(v->valuestring)) : fo_buf_puts(b, "\"\"");
    case cJSON_Raw:
      return fo_buf_puts(b, v->valuestring ? v->valuestring : "null");
    case cJSON_Array:
      if ((err = fo_buf_append(b, "[", 1)) < 0)
        return err;
      for (c = v->child; c && err == 0; c = c->next)
        if ((err = write_rec(b, c, pretty, depth + 1)) == 0 && c->next)
          err = fo_buf_puts(b, pretty ? ", " : ",");
      return err < 0 ? err : fo_buf_append(b, "]", 1);
    case cJSON_Object:
      if ((err = fo_buf_puts(b, pretty ? "{\n" : "{")) < 0)
        return err;
      for (c = v->child; c && err == 0; c = c->next) {
        if ((pretty && (err = indent(b, depth + 1)) < 0) || (err = write_string(b, mkey(c), strlen(mkey(c)))) < 0 ||
            (err = fo_buf_puts(b, pretty ? ":\t" : ":")) < 0 || (err = write_rec(b, c, pretty, depth + 1)) < 0)
          return err;
        if (c->next && (err = fo_buf_append(b, ",", 1)) < 0)
          return err;
        if (pretty)
          err = fo_buf_append(b, "\n", 1);
      }
      if (err == 0 && pretty)
        err = indent(b, depth);
      return err < 0 ? err : fo_buf_append(b, "}", 1);
    default:
      return fo_buf_puts(b, "null");
  }
}

int fo_audit_json_write(fo_buf *out, const cJSON *v, int pretty) {
  return write_rec(out, v, pretty, 0);
}

char *fo_audit_json_print(const cJSON *v, size_t *len) {
  fo_buf b = FO_BUF_INIT;
  if (fo_audit_json_write(&b, v, 0) < 0) {
    fo_buf_dispose(&b);
    return NULL;
  }
  return fo_buf_detach(&b, len);
}
