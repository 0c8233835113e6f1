/* fo_audit_diff: structural comparison of two snapshots after normalization. */
#include "fo_audit_diff.h"
#include "fo_pair.h"
#include "fo_audit_json.h"
#include "fo_audit_normalize.h"
#include "fo_audit_pack.h"
#include "fo_audit_rules.h"
#include "fo_buf.h"
#include "fo_err.h"
#include "fo_audit_collector.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const identity_keys[] = {
    "name", "id", "key", "rule_name", "sid", "set_identifier", "destination_vault_arn"};

/* ---- value comparison ------------------------------------------------------------------------------------ */

static int is_sensitive(const cJSON *v) {
  return cJSON_IsObject(v) && v->child && !v->child->next && v->child->string &&
         !strcmp(v->child->string, "$sensitive");
}

/* cJSON looks members up by a linear scan, so pairing big objects or identity-keyed arrays through it is
 * quadratic (a 20,000-element list took 20 s). Members are paired here through arrays sorted by key or
 * identity instead: O(n log n). */
typedef struct member {
  const cJSON *item;
  const cJSON *id; /* identity value for keyed arrays; unused for objects */
  size_t idx;      /* position: keeps the sort stable, so the first of repeated keys wins as in cJSON */
} member;

static const char *mkey(const cJSON *c) {
  return c->string ? c->string : "";
}

static int cmp_member_key(const void *pa, const void *pb) {
  const member *a = pa, *b = pb;
  int c = strcmp(mkey(a->item), mkey(b->item));
  return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

/* Identities are strings or numbers: numbers sort first, by exact value; strings by bytes. */
static int cmp_id(const cJSON *a, const cJSON *b) {
  return fo_audit_json_cmp_scalar(a, b);
}

static int cmp_member_id(const void *pa, const void *pb) {
  const member *a = pa, *b = pb;
  int c = cmp_id(a->id, b->id);
  return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

/* The children of `v` (object or array) in *out, sorted by key (idkey NULL) or by the identity field
 * `idkey`; repeated keys are dropped after the first. *out is NULL when `v` has no children. */
static int sorted_members(member **out, size_t *n, const cJSON *v, const char *idkey) {
  size_t cnt = 0, k = 0;
  member *m;
  const cJSON *c;
  *out = NULL;
  *n = 0;
  for (c = v ? v->child : NULL; c; c = c->next)
    cnt++;
  if (!cnt)
    return 0;
  if (!(m = malloc(cnt * sizeof *m)))
    return fo_err_oom();
  for (c = v->child; c; c = c->next, k++) {
    m[k].item = c;
    m[k].id = idkey ? cJSON_GetObjectItemCaseSensitive(c, idkey) : NULL;
    m[k].idx = k;
  }
  qsort(m, cnt, sizeof *m, idkey ? cmp_member_id : cmp_member_key);
  k = 0;
  for (size_t i = 0; i < cnt; i++)
    if (i == 0 || (idkey ? cmp_id(m[i].id, m[k - 1].id) : strcmp(mkey(m[i].item), mkey(m[k - 1].item))) != 0)
      m[k++] = m[i];
  *out = m;
  *n = k;
  return 0;
}

/* The identity field of an array of objects; *out NULL when it has none. Fails only on OOM. */
static int identity_key(const char **out, const cJSON *arr) {
  const cJSON *e;
  size_t cnt = 0;
  *out = NULL;
  if (!cJSON_IsArray(arr) || !arr->child)
    return 0;
  cJSON_ArrayForEach(e, arr) {
    if (!cJSON_IsObject(e))
      return 0;
    cnt++;
  }
  for (size_t k = 0; k < sizeof identity_keys / sizeof identity_keys[0]; k++) {
    member *m = NULL;
    size_t n = 0;
    int ok = 1, err;
    cJSON_ArrayForEach(e, arr) {
      const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, identity_keys[k]);
      if (!cJSON_IsString(id) && !cJSON_IsNumber(id)) {
        ok = 0;
        break;
      }
    }
    if (!ok)
      continue;
    /* identities must be unique, else they do not identify */
    if ((err = sorted_members(&m, &n, arr, identity_keys[k])) < 0)
      return err;
    free(m);
    if (n == cnt) {
      *out = identity_keys[k];
      return 0;
    }
  }
  return 0;
}

const char *fo_audit_diff_identity_key(const cJSON *arr) {
  const char *k = NULL;
  return identity_key(&k, arr) < 0 ? NULL : k;
}

static int simple_key(const char *k) {
  if (!*k)
    return 0;
  for (; *k; k++)
    if (!isalnum((unsigned char)*k) && *k != '_' && *k != '-')
      return 0;
  return 1;
}

/* Append one object key to a path: `.key` or `["odd.key"]`. */
static int path_key(fo_buf *b, const char *k) {
  if (simple_key(k)) { /* no printf: this runs for every member compared */
    int err = b->len ? fo_buf_append(b, ".", 1) : 0;
    return err < 0 ? err : fo_buf_puts(b, k);
  }
  {
    cJSON *s = cJSON_CreateString(k);
    char *q = s ? cJSON_PrintUnformatted(s) : NULL;
    int err = q ? fo_buf_printf(b, "[%s]", q) : fo_err_oom();
    cJSON_free(q);
    cJSON_Delete(s);
    return err;
  }
}

static int id_text(fo_buf *b, const cJSON *id) {
  char nb[FO_AUDIT_JSON_NUMBUF];
  if (cJSON_IsNumber(id)) /* exact: ids 9007199254740993 and ...992 are two elements, not one */
    return fo_buf_puts(b, fo_audit_json_number_text(id, nb));
  return fo_buf_puts(b, id->valuestring);
}

typedef struct walk {
  fo_buf path;
  fo_audit_diff_cb cb;
  void *ud;
} walk;

/* Absent, null, {} and [] all mean "nothing set": Terraform and kubectl switch between them freely. */
static int null_or_absent(const cJSON *v) {
  return !v || cJSON_IsNull(v) || ((cJSON_IsObject(v) || cJSON_IsArray(v)) && !v->child);
}

/* Deep equality like cJSON_Compare (case-sensitive keys, same types), but objects are paired in order when
 * both sides list their keys alike (the usual case) and through sorted arrays otherwise, not by cJSON's
 * linear lookups. Returns 1 equal, 0 different, FO_ENOMEM. Deeper than the read limits counts as different. */
static int json_equal(const cJSON *a, const cJSON *b, int depth) {
  const cJSON *x, *y;
  if ((a->type & 0xFF) != (b->type & 0xFF) || depth > FO_AUDIT_JSON_MAX_DEPTH * 2)
    return 0;
  if (cJSON_IsNumber(a)) /* exactly, by canonical decimal text: no tolerance, no double rounding */
    return fo_audit_json_equal(a, b, 0);
  if (cJSON_IsString(a) || cJSON_IsRaw(a)) /* a NUL-holding string is a Raw literal of all its bytes */
    return !strcmp(a->valuestring ? a->valuestring : "", b->valuestring ? b->valuestring : "");
  if (!cJSON_IsArray(a) && !cJSON_IsObject(a))
    return 1; /* true, false, null */
  for (x = a->child, y = b->child; x && y; x = x->next, y = y->next) {
    int eq;
    if (cJSON_IsObject(a) && strcmp(mkey(x), mkey(y)) != 0)
      break;
    if ((eq = json_equal(x, y, depth + 1)) <= 0)
      return eq;
  }
  if (!x && !y)
    return 1;
  if (cJSON_IsArray(a))
    return 0;
  {
    /* keys in another order (or of different sets): compare through the sorted members */
    member *ma = NULL, *mb = NULL;
    size_t na = 0, nb = 0;
    int eq = 0;
    if ((eq = sorted_members(&ma, &na, a, NULL)) == 0 && (eq = sorted_members(&mb, &nb, b, NULL)) == 0) {
      eq = na == nb;
      for (size_t i = 0; i < na && eq == 1; i++)
        eq = strcmp(mkey(ma[i].item), mkey(mb[i].item)) ? 0 : json_equal(ma[i].item, mb[i].item, depth + 1);
    }
    free(ma);
    free(mb);
    return eq;
  }
}

static int values_equal(const cJSON *a, const cJSON *b) {
  if (null_or_absent(a) && null_or_absent(b))
    return 1;
  if (!a || !b)
    return 0;
  return json_equal(a, b, 0);
}

static int diff_rec(walk *w, const cJSON *a, const cJSON *b, int depth);

/* Pair the members of two objects (by key) or of two identity-keyed arrays (by `idkey`) and recurse into
 * each pair; a member on one side only is paired with NULL. */
static int diff_members(walk *w, const cJSON *a, const cJSON *b, const char *idkey, int depth) {
  member *ma = NULL, *mb = NULL;
  size_t na = 0, nb = 0, i = 0, j = 0, mark = w->path.len;
  int err;

  if ((err = sorted_members(&ma, &na, a, idkey)) < 0 || (err = sorted_members(&mb, &nb, b, idkey)) < 0)
    goto done;
  while (i < na || j < nb) {
    int c = i >= na   ? 1
            : j >= nb ? -1
            : idkey   ? cmp_id(ma[i].id, mb[j].id)
                      : strcmp(mkey(ma[i].item), mkey(mb[j].item));
    const member *m = c <= 0 ? &ma[i] : &mb[j];
    if (idkey) {
      if ((err = fo_buf_printf(&w->path, "[%s=", idkey)) < 0 || (err = id_text(&w->path, m->id)) < 0 ||
          (err = fo_buf_puts(&w->path, "]")) < 0)
        goto done;
    } else if ((err = path_key(&w->path, mkey(m->item))) < 0) {
      goto done;
    }
    if ((err = diff_rec(w, c <= 0 ? ma[i].item : NULL, c >= 0 ? mb[j].item : NULL, depth + 1)) < 0)
      goto done;
    w->path.len = mark;
    w->path.data[mark] = '\0';
    i += c <= 0;
    j += c >= 0;
  }
done:
  free(ma);
  free(mb);
  return err;
}

static int diff_rec(walk *w, const cJSON *a, const cJSON *b, int depth) {
  int eq;

  if (is_sensitive(a) || is_sensitive(b)) {
    if ((eq = values_equal(a, b)) != 0)
      return eq < 0 ? eq : 0;
    return w->cb(w->ud, w->path.data ? w->path.data : "", a, b, 1);
  }
  if (depth < FO_AUDIT_JSON_MAX_DEPTH * 2 && cJSON_IsObject(a) && cJSON_IsObject(b))
    return diff_members(w, a, b, NULL, depth);
  if (depth < FO_AUDIT_JSON_MAX_DEPTH * 2 && cJSON_IsArray(a) && cJSON_IsArray(b)) {
    const char *ka = NULL, *kb = NULL;
    int err;
    if ((eq = values_equal(a, b)) != 0)
      return eq < 0 ? eq : 0;
    if ((err = identity_key(&ka, a)) < 0 || (err = identity_key(&kb, b)) < 0)
      return err;
    /* keyed by identity: pair elements by their id, report the ones on one side only */
    if (ka && kb && !strcmp(ka, kb))
      return diff_members(w, a, b, ka, depth);
  }
  if ((eq = values_equal(a, b)) != 0)
    return eq < 0 ? eq : 0;
  return w->cb(w->ud, w->path.data ? w->path.data : "", a, b, 0);
}

int fo_audit_diff_values(const cJSON *pv, const cJSON *sv, fo_audit_diff_cb cb, void *ud) {
  walk w;
  int err;
  fo_buf_init(&w.path, 1 << 20);
  w.cb = cb;
  w.ud = ud;
  if ((err = fo_buf_puts(&w.path, "")) < 0)
    return err;
  err = diff_rec(&w, pv, sv, 0);
  fo_buf_dispose(&w.path);
  return err;
}

/* 1 when a sensitive hash placeholder is inside v. */
static int has_sensitive(const cJSON *v, int depth) {
  const cJSON *c;
  if (is_sensitive(v))
    return 1;
  if (depth > FO_AUDIT_JSON_MAX_DEPTH * 2)
    return 0;
  for (c = v->child; c; c = c->next)
    if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && has_sensitive(c, depth + 1))
      return 1;
  return 0;
}

/* Replace each placeholder inside v by the string "(sensitive)". */
static int redact_sensitive(cJSON *v, int depth) {
  cJSON *c, *next;
  for (c = v->child; c && depth <= FO_AUDIT_JSON_MAX_DEPTH * 2; c = next) {
    next = c->next;
    if (is_sensitive(c)) {
      cJSON *r = cJSON_CreateString("(sensitive)");
      /* ReplaceItemViaPointer does not carry the member's key over */
      if (!r || (c->string && !(r->string = strdup(c->string))) || !cJSON_ReplaceItemViaPointer(v, c, r)) {
        cJSON_Delete(r);
        return FO_ENOMEM;
      }
    } else if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && redact_sensitive(c, depth + 1) < 0) {
      return FO_ENOMEM;
    }
  }
  return 0;
}

char *fo_audit_value_text(const cJSON *v) {
  char *t;
  size_t l;
  if (!v)
    return NULL;
  if (is_sensitive(v))
    return strdup("\"(sensitive)\""); /* cJSON_free is free with the default hooks */
  if ((cJSON_IsObject(v) || cJSON_IsArray(v)) && has_sensitive(v, 0)) {
    /* An unsalted SHA-256 of a short secret is as good as the secret (a dictionary finds it), so the hashes
     * inside a larger value never reach a report either. */
    cJSON *copy = cJSON_Duplicate(v, 1);
    t = copy && redact_sensitive(copy, 0) == 0 ? fo_audit_json_print(copy, &l) : NULL;
    cJSON_Delete(copy);
    if (!t)
      return NULL;
  } else if (!(t = fo_audit_json_print(v, &l))) { /* exact numbers, strings with their NULs escaped */
    return NULL;
  }
  if (l > FO_AUDIT_VALUE_MAX) {
    size_t cut = FO_AUDIT_VALUE_MAX - 3;
    while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80) /* do not split a UTF-8 sequence */
      cut--;
    memcpy(t + cut, "...", 4);
  }
  return t;
}

/* ---- snapshot normalization ------------------------------------------------------------------------------ */

static const char *hdr(const fo_audit_snapshot *s, const char *f) {
  return fo_audit_snapshot_get(s, f);
}

/* 1 when `o` is the object in which its collector lists the groups of a side (Terraform's "meta/modules"). */
static int is_group_object(const cJSON *o) {
  const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "source");
  const fo_audit_collector *c = fo_audit_collector_find(cJSON_IsString(src) ? src->valuestring : NULL);
  return c && c->groups && o->string && !strcmp(o->string, c->groups->object_key);
}

/* `n`'s member name becomes `nk` (malloc'ed, now the node's). */
static void replace_key(cJSON *n, char *nk) {
  if (!(n->type & cJSON_StringIsConst))
    free(n->string);
  n->string = nk;
  n->type &= ~cJSON_StringIsConst;
}

/* A group object's members are group names (module addresses): identities, normalized as keys. */
static int normalize_group_names(const fo_audit_norm_ctx *ctx, cJSON *attrs) {
  cJSON *m;
  cJSON_ArrayForEach(m, attrs) {
    char *nk = fo_audit_normalize_text(ctx, m->string);
    if (!nk)
      return fo_audit_normalize_error();
    replace_key(m, nk);
  }
  return 0;
}

/* An object's identity is normalized too, so app-us-east-1 pairs with app-us-east-2; the raw one is kept. */
static int normalize_identity(const fo_audit_norm_ctx *ctx, cJSON *o) {
  char *nk = fo_audit_normalize_text(ctx, o->string);
  if (!nk)
    return fo_audit_normalize_error();
  if (!strcmp(nk, o->string)) {
    free(nk);
    return 0;
  }
  if (!cJSON_GetObjectItemCaseSensitive(o, "raw_key") && !cJSON_AddStringToObject(o, "raw_key", o->string)) {
    free(nk);
    return fo_err_oom();
  }
  replace_key(o, nk);
  return 0;
}

/* One side: each object's attributes (group objects: their group names) and identity. Packed attributes are
 * opened into a scratch arena, normalized there and packed again (mostly in place), one object at a time, so
 * only one object is ever a tree. */
static int normalize_side(fo_audit_snapshot *snap, const fo_audit_norm_ctx *ctx) {
  fo_audit_norm_memo *memo = fo_audit_norm_memo_new(snap->arena);
  fo_audit_arena *scratch = fo_audit_arena_new();
  fo_buf bytes;
  cJSON *o;
  int err = 0;
  fo_buf_init(&bytes, FO_AUDIT_SNAPSHOT_MAX_BYTES);
  if (!memo || !scratch) {
    err = fo_err_oom();
    goto done;
  }
  cJSON_ArrayForEach(o, snap->objects) {
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "source");
    const fo_audit_collector *c = fo_audit_collector_find(cJSON_IsString(src) ? src->valuestring : NULL);
    cJSON *node = cJSON_GetObjectItemCaseSensitive(o, "attributes"), *attrs = NULL;
    int packed = fo_audit_pack_is(node);
    fo_audit_arena_reset(scratch);
    fo_audit_norm_memo_texts(memo, packed ? scratch : NULL); /* a tree that stays keeps its texts in the arena */
    if ((err = fo_audit_snapshot_attributes(&attrs, o, scratch)) < 0)
      goto done;
    if (is_group_object(o)) {
      err = normalize_group_names(ctx, attrs);
    } else {
      if (c && c->drop_volatile && attrs)
        c->drop_volatile(attrs);
      if ((err = fo_audit_normalize_attributes_memo(ctx, memo, attrs)) == 0)
        err = normalize_identity(ctx, o);
    }
    if (packed) {
      bytes.len = 0;
      if (err == 0 && (err = fo_audit_pack_write(&bytes, attrs)) == 0)
        err = fo_audit_pack_set(node, (const unsigned char *)bytes.data, bytes.len, snap->packs);
      fo_audit_json_delete(attrs); /* what normalizing malloc'ed in the opened copy (renamed group names) */
    }
    if (err < 0)
      goto done;
  }
done:
  fo_buf_dispose(&bytes);
  fo_audit_arena_free(scratch);
  fo_audit_norm_memo_free(memo);
  return err;
}

typedef struct side_job {
  fo_audit_snapshot *snap;
  fo_audit_norm_ctx ctx;
  int err;
  char msg[512]; /* the thread's error message (fo_err is per thread) */
} side_job;

static void *normalize_side_thread(void *arg) {
  side_job *j = arg;
  if ((j->err = normalize_side(j->snap, &j->ctx)) < 0)
    snprintf(j->msg, sizeof j->msg, "%s", fo_err_last());
  return NULL;
}

int fo_audit_snapshots_normalize(fo_audit_snapshot *p, fo_audit_snapshot *s, const fo_audit_config *cfg) {
  fo_audit_snapshot *snaps[2] = {p, s};
  side_job jobs[2];
  memset(jobs, 0, sizeof jobs);
  /* each side's context from both headers first: the threads then touch their own side's objects only */
  for (int side = 0; side < 2; side++) {
    fo_audit_norm_ctx *ctx = &jobs[side].ctx;
    const char *cr = cfg ? cfg->sides[side].region : NULL, *pcr = cfg ? cfg->sides[!side].region : NULL;
    jobs[side].snap = snaps[side];
    ctx->region = hdr(snaps[side], "region") ? hdr(snaps[side], "region") : cr;
    ctx->peer_region = hdr(snaps[!side], "region") ? hdr(snaps[!side], "region") : pcr;
    ctx->account =
        hdr(snaps[side], "account_id") ? hdr(snaps[side], "account_id") : (cfg ? cfg->sides[side].account_id : NULL);
    ctx->peer_account =
        hdr(snaps[!side], "account_id") ? hdr(snaps[!side], "account_id") : (cfg ? cfg->sides[!side].account_id : NULL);
    ctx->cfg = cfg;
    ctx->side = side;
  }
  /* both sides at once (they share nothing but the config's regex scratch, which has its own lock); the
   * collector registry's lazy init first, before a second thread looks */
  (void)fo_audit_collectors(&(size_t){0});
  fo_pair_run(normalize_side_thread, &jobs[0], &jobs[1]);
  for (int side = 0; side < 2; side++)
    if (jobs[side].err < 0)
      return fo_err_set(jobs[side].err, "%s", jobs[side].msg);
  return 0;
}

/* ---- snapshot comparison --------------------------------------------------------------------------------- */

typedef struct entry {
  const char *key;
  const cJSON *obj;
} entry;

static int cmp_entry(const void *a, const void *b) {
  return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

static const char *ostr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int oline(const cJSON *o) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "line");
  return cJSON_IsNumber(v) && v->valuedouble > 0 && v->valuedouble < 1e9 ? (int)v->valuedouble : 0;
}

typedef struct pair_ctx {
  fo_audit_result *r;
  const fo_audit_collector *c; /* the objects' collector (NULL: unknown source) */
  const char *key;
  const char *source;
  const cJSON *po, *so; /* the objects (either may be NULL) */
} pair_ctx;

static int emit(pair_ctx *pc, const char *rule_id, const char *path, const cJSON *pv, const cJSON *sv, int sensitive,
                fo_audit_side side, const char *message) {
  const cJSON *any = pc->po ? pc->po : pc->so;
  fo_audit_finding f;
  const fo_audit_rule *rule = fo_audit_finding_from_rule(&f, rule_id);
  int err;

  f.side = side;
  f.check = (char *)pc->source;
  f.resource.key = (char *)pc->key;
  f.resource.kind = (char *)ostr(any, "kind");
  f.resource.ns = (char *)ostr(any, "namespace");
  f.resource.name = (char *)ostr(any, "name");
  f.resource.address = (char *)ostr(any, "address");
  f.path = (char *)path;
  f.sensitive = sensitive;
  f.message = (char *)message;
  f.step = rule && rule->step != FO_AUDIT_STEP_TERRAFORM && rule->step != FO_AUDIT_STEP_OTHER
               ? rule->step
               : fo_audit_collector_step(pc->c, ostr(any, "kind"));
  if (pc->po) {
    f.primary_loc.file = (char *)ostr(pc->po, "file");
    f.primary_loc.line = oline(pc->po);
  }
  if (pc->so) {
    f.secondary_loc.file = (char *)ostr(pc->so, "file");
    f.secondary_loc.line = oline(pc->so);
  }
  if (sensitive) {
    static char placeholder[] = "\"(sensitive)\"";
    f.primary_value = pv ? placeholder : NULL;
    f.secondary_value = sv ? placeholder : NULL;
    return fo_audit_result_add(pc->r, &f, NULL);
  }
  f.primary_value = fo_audit_value_text(pv);
  f.secondary_value = fo_audit_value_text(sv);
  if ((pv && !f.primary_value) || (sv && !f.secondary_value))
    err = fo_err_oom();
  else
    err = fo_audit_result_add(pc->r, &f, NULL);
  cJSON_free(f.primary_value);
  cJSON_free(f.secondary_value);
  return err;
}

/* The message of a match for a difference present on both sides, or on one only. */
static const char *match_message(const fo_audit_rule_match *m, int in_primary, int in_secondary) {
  const char *msg = !in_secondary ? m->message_primary : !in_primary ? m->message_secondary : m->message;
  return msg ? msg : m->message ? m->message : "differs between the sides";
}

/* A source without a match for a difference still reports it (under a generic rule id), never drops it. */
static int emit_matched(pair_ctx *pc, fo_audit_diff_event on, const char *path, const cJSON *pv, const cJSON *sv,
                        int sensitive, fo_audit_side side) {
  const char *kind = ostr(pc->po ? pc->po : pc->so, "kind");
  const fo_audit_rule_match *m = fo_audit_collector_match(pc->c, on, pc->key, kind, path, sensitive);
  int in_p = on == FO_AUDIT_ON_MISSING ? pc->po != NULL : pv != NULL;
  int in_s = on == FO_AUDIT_ON_MISSING ? pc->so != NULL : sv != NULL;
  if (!m)
    return emit(pc, on == FO_AUDIT_ON_MISSING ? "source.object-missing" : "source.object-differs", path, pv, sv,
                sensitive, side,
                !in_s   ? "only in primary"
                : !in_p ? "only in secondary"
                        : "differs between the sides");
  return emit(pc, m->rule_id, path, pv, sv, sensitive, side, match_message(m, in_p, in_s));
}

static int attr_cb(void *ud, const char *path, const cJSON *pv, const cJSON *sv, int sensitive) {
  return emit_matched(ud, FO_AUDIT_ON_DIFFERS, path, pv, sv, sensitive, FO_AUDIT_SIDE_BOTH);
}

static int collect_entries(entry **out, size_t *n, const fo_audit_snapshot *s) {
  size_t cnt = (size_t)cJSON_GetArraySize(s->objects), i = 0;
  const cJSON *o;
  entry *e = calloc(cnt ? cnt : 1, sizeof *e);
  if (!e)
    return fo_err_oom();
  cJSON_ArrayForEach(o, s->objects) {
    if (i < cnt) {
      e[i].key = o->string;
      e[i].obj = o;
      i++;
    }
  }
  qsort(e, i, sizeof *e, cmp_entry);
  *out = e;
  *n = i;
  return 0;
}

static int source_ok(const fo_audit_snapshot *s, const char *src) {
  const char *st = fo_audit_snapshot_source_status(s, src);
  return st && !strcmp(st, "ok");
}

static int group_missing(const cJSON *mine, const cJSON *other, const char *group) {
  return group && *group && cJSON_GetObjectItemCaseSensitive(mine, group) &&
         !cJSON_GetObjectItemCaseSensitive(other, group);
}

/* A group collector's group names on each side ([0] primary, [1] secondary; NULL when that side has none),
 * opened once for the whole diff: every object missing on one side looks its group up in them. */
typedef struct group_sets {
  const fo_audit_collector *c;
  const cJSON *side[2];
} group_sets;

/* The group sets of every collector that has groups, opened into `arena` (when packed); *n of them. */
static int open_group_sets(group_sets *out, size_t *n, const fo_audit_collector *const *collectors, size_t ncollectors,
                           const fo_audit_snapshot *p, const fo_audit_snapshot *s, fo_audit_arena *arena) {
  *n = 0;
  for (size_t k = 0; k < ncollectors; k++) {
    group_sets *g = &out[*n];
    if (!collectors[k]->groups)
      continue;
    g->c = collectors[k];
    for (int side = 0; side < 2; side++) {
      const cJSON *o = cJSON_GetObjectItemCaseSensitive((side ? s : p)->objects, g->c->groups->object_key);
      cJSON *a = NULL;
      int err = o ? fo_audit_snapshot_attributes(&a, o, arena) : 0;
      if (err < 0)
        return err;
      g->side[side] = a;
    }
    (*n)++;
  }
  return 0;
}

static const group_sets *find_group_sets(const group_sets *gs, size_t n, const fo_audit_collector *c) {
  for (size_t k = 0; k < n; k++)
    if (gs[k].c == c)
      return &gs[k];
  return NULL;
}

/* A collector's groups on one side only: one finding per group instead of one per object inside it. */
static int diff_groups(fo_audit_result *r, const group_sets *gs) {
  const fo_audit_collector *c = gs->c;
  const fo_audit_group_rule *g = c->groups;
  const cJSON *pg = gs->side[0], *sg = gs->side[1], *m;
  int err;
  for (int side = 0; side < 2; side++) {
    cJSON_ArrayForEach(m, (side ? sg : pg)) {
      pair_ctx pc;
      fo_buf key = FO_BUF_INIT;
      if (cJSON_GetObjectItemCaseSensitive(side ? pg : sg, m->string))
        continue;
      if ((err = fo_buf_printf(&key, "%s%s", g->key_prefix, m->string)) < 0)
        return err;
      memset(&pc, 0, sizeof pc);
      pc.r = r;
      pc.c = c;
      pc.key = key.data;
      pc.source = c->name;
      err = emit(&pc, g->rule_id, "", NULL, NULL, 0, side ? FO_AUDIT_SIDE_PRIMARY : FO_AUDIT_SIDE_SECONDARY,
                 side ? g->message_secondary : g->message_primary);
      fo_buf_dispose(&key);
      if (err < 0)
        return err;
    }
  }
  return 0;
}

/* Record every source of both snapshots in the result; a source not ok on both sides is unreadable. */
static int record_sources(fo_audit_result *r, const fo_audit_snapshot *p, const fo_audit_snapshot *s,
                          const fo_audit_config *cfg) {
  const fo_audit_snapshot *snaps[2] = {p, s};
  for (int side = 0; side < 2; side++) {
    const cJSON *it;
    cJSON_ArrayForEach(it, snaps[side]->sources) {
      const char *name = ostr(it, "name"), *st = ostr(it, "status");
      const char *loc = ostr(it, "location"), *msg = ostr(it, "message");
      int err;
      char buf[256];
      if (cfg && !fo_audit_config_check_enabled(cfg, name))
        continue;
      if (!strcmp(st, "ok") && !fo_audit_snapshot_source_status(snaps[!side], name)) {
        snprintf(buf, sizeof buf, "not collected on the %s side, so it cannot be compared",
                 side ? "primary" : "secondary");
        if ((err = fo_audit_result_add_source(r, name, side ? FO_AUDIT_SIDE_SECONDARY : FO_AUDIT_SIDE_PRIMARY,
                                              FO_AUDIT_SOURCE_UNREADABLE, loc, buf)) < 0)
          return err;
        continue;
      }
      if ((err = fo_audit_result_add_source(r, name, side ? FO_AUDIT_SIDE_SECONDARY : FO_AUDIT_SIDE_PRIMARY,
                                            !strcmp(st, "ok") ? FO_AUDIT_SOURCE_OK : FO_AUDIT_SOURCE_UNREADABLE, loc,
                                            !strcmp(st, "ok") ? NULL : (msg ? msg : "unreadable"))) < 0)
        return err;
    }
  }
  return 0;
}

/* Both objects' attributes compared. Packed ones holding the same bytes are the same tree: nothing differs, and
 * nothing is opened (most objects, once normalized); the others are opened into `scratch`. */
static int diff_attributes(pair_ctx *pc, fo_audit_arena *scratch) {
  cJSON *pa = NULL, *sa = NULL;
  int err;
  if (fo_audit_pack_same(cJSON_GetObjectItemCaseSensitive(pc->po, "attributes"),
                         cJSON_GetObjectItemCaseSensitive(pc->so, "attributes")))
    return 0;
  if ((err = fo_audit_snapshot_attributes(&pa, pc->po, scratch)) < 0 ||
      (err = fo_audit_snapshot_attributes(&sa, pc->so, scratch)) < 0)
    return err;
  return fo_audit_diff_values(pa, sa, attr_cb, pc);
}

int fo_audit_diff(fo_audit_result *r, const fo_audit_snapshot *p, const fo_audit_snapshot *s,
                  const fo_audit_config *cfg) {
  entry *pe = NULL, *se = NULL;
  size_t np = 0, ns = 0, i = 0, j = 0, ncollectors;
  const fo_audit_collector *const *collectors = fo_audit_collectors(&ncollectors);
  fo_audit_arena *scratch = NULL; /* the pair's opened attributes, reset for each pair */
  fo_audit_arena *groups = NULL;  /* the group sets, for the whole diff */
  group_sets *gs = NULL;
  size_t ngs = 0;
  int err;

  if ((err = record_sources(r, p, s, cfg)) < 0)
    return err;
  if (!(scratch = fo_audit_arena_new()) || !(groups = fo_audit_arena_new()) ||
      !(gs = calloc(ncollectors ? ncollectors : 1, sizeof *gs))) {
    err = fo_err_oom();
    goto done;
  }
  if ((err = collect_entries(&pe, &np, p)) < 0 || (err = collect_entries(&se, &ns, s)) < 0 ||
      (err = open_group_sets(gs, &ngs, collectors, ncollectors, p, s, groups)) < 0)
    goto done;
  for (size_t k = 0; k < ngs; k++) {
    const char *name = gs[k].c->name;
    if (source_ok(p, name) && source_ok(s, name) && fo_audit_config_check_enabled(cfg, name) &&
        (err = diff_groups(r, &gs[k])) < 0)
      goto done;
  }
  while (i < np || j < ns) {
    int c = i >= np ? 1 : j >= ns ? -1 : strcmp(pe[i].key, se[j].key);
    const cJSON *po = c <= 0 ? pe[i].obj : NULL, *so = c >= 0 ? se[j].obj : NULL;
    const cJSON *any = po ? po : so;
    const char *key = po ? pe[i].key : se[j].key;
    const char *source = ostr(any, "source"), *kind = ostr(any, "kind");
    const fo_audit_collector *col = fo_audit_collector_find(source);
    pair_ctx pc;

    /* duplicated identities (the same object in two files): the first one counts */
    if (c <= 0) {
      while (i + 1 < np && !strcmp(pe[i + 1].key, pe[i].key))
        i++;
      i++;
    }
    if (c >= 0) {
      while (j + 1 < ns && !strcmp(se[j + 1].key, se[j].key))
        j++;
      j++;
    }
    if ((col && col->groups && !strcmp(key, col->groups->object_key)) || !source_ok(p, source) ||
        !source_ok(s, source) || !fo_audit_config_check_enabled(cfg, source))
      continue;
    memset(&pc, 0, sizeof pc);
    pc.r = r;
    pc.c = col;
    pc.key = key;
    pc.source = source;
    pc.po = po;
    pc.so = so;
    if ((err = fo_audit_result_add_subject(r, key, source, fo_audit_collector_step(col, kind))) < 0)
      goto done;
    fo_audit_arena_reset(scratch);
    if (!po || !so) {
      const group_sets *g = col ? find_group_sets(gs, ngs, col) : NULL;
      if (g && group_missing(g->side[po ? 0 : 1], g->side[po ? 1 : 0], ostr(any, col->groups->member_field)))
        continue; /* reported once for its group */
      if ((err = emit_matched(&pc, FO_AUDIT_ON_MISSING, "", NULL, NULL, 0,
                              po ? FO_AUDIT_SIDE_SECONDARY : FO_AUDIT_SIDE_PRIMARY)) < 0)
        goto done;
      continue;
    }
    if ((err = diff_attributes(&pc, scratch)) < 0)
      goto done;
  }
done:
  fo_audit_arena_free(scratch);
  fo_audit_arena_free(groups);
  free(gs);
  free(pe);
  free(se);
  return err;
}
