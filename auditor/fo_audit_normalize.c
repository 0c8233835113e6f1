/* fo_audit_normalize: built-in and configured rewriting of one side's values before the diff. */
#include "fo_audit_normalize.h"
#include "fo_buf.h"
#include "fo_err.h"

#include <ctype.h>
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

/* Replace every occurrence of `from` in `in` by `to`; returns a new string or NULL (OOM). */
static char *replace_all(const char *in, const char *from, const char *to) {
  fo_buf b = FO_BUF_INIT;
  size_t fl = strlen(from);
  const char *p = in, *q;
  int err = 0;
  if (!fl || !strstr(in, from))
    return strdup(in);
  while (err == 0 && (q = strstr(p, from)) != NULL) {
    if ((err = fo_buf_append(&b, p, (size_t)(q - p))) == 0)
      err = fo_buf_puts(&b, to);
    p = q + fl;
  }
  return finish(&b, p, err);
}

static char *replace_regex(const regex_t *re, const char *in, const char *to) {
  fo_buf b = FO_BUF_INIT;
  const char *p = in;
  regmatch_t m;
  int guard = 0, err = 0;
  while (err == 0 && *p && regexec(re, p, 1, &m, p == in ? 0 : REG_NOTBOL) == 0 && guard++ < 100000) {
    if ((err = fo_buf_append(&b, p, (size_t)m.rm_so)) == 0)
      err = fo_buf_puts(&b, to);
    if (m.rm_eo == m.rm_so) { /* empty match: copy one char to make progress */
      if (err == 0)
        err = fo_buf_append(&b, p + m.rm_eo, 1);
      p += m.rm_eo + 1;
    } else {
      p += m.rm_eo;
    }
  }
  return finish(&b, p, err);
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
    return strdup(in);
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
    return strdup(in);
  for (; *p; p++) {
    if (p != in && is_word((unsigned char)p[-1]))
      continue;
    for (size_t i = 0; i < sizeof id_prefixes / sizeof id_prefixes[0]; i++) {
      size_t pl = strlen(id_prefixes[i]), h = 0;
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
    return strdup(in);
  }
  return finish(&b, copied, 0);
}

/* Run one rewriting step, freeing the previous string. */
#define STEP(expr)     \
  do {                 \
    char *n_ = (expr); \
    free(cur);         \
    if (!(cur = n_))   \
      return NULL;     \
  } while (0)

char *fo_audit_normalize_text(const fo_audit_norm_ctx *ctx, const char *s) {
  char *cur = strdup(s);
  if (!cur)
    return NULL;
  if (ctx->cfg) {
    for (size_t i = 0; i < ctx->cfg->nnorm; i++) {
      const fo_audit_norm_rule *r = &ctx->cfg->norm[i];
      if (r->is_regex)
        STEP(replace_regex(&r->re, cur, r->replace));
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
  STEP(replace_ids(cur));
  return cur;
}

static int config_volatile(const fo_audit_norm_ctx *ctx, const char *key) {
  for (size_t i = 0; ctx->cfg && i < ctx->cfg->nvolatile; i++)
    if (!strcmp(ctx->cfg->volatile_keys[i], key))
      return 1;
  return 0;
}

static int normalize_value(const fo_audit_norm_ctx *ctx, cJSON *v, int depth) {
  cJSON *c, *next;
  if (depth > 128)
    return 0; /* snapshots are depth-bounded when read; this only guards programmatic input */
  if (cJSON_IsString(v)) {
    char *n = fo_audit_normalize_text(ctx, v->valuestring);
    if (!n)
      return fo_err_oom();
    if (strcmp(n, v->valuestring) != 0) {
      free(v->valuestring); /* cJSON's default allocator is malloc/free */
      v->valuestring = n;
    } else {
      free(n);
    }
    return 0;
  }
  if (cJSON_IsObject(v) && cJSON_GetObjectItemCaseSensitive(v, "$sensitive") && !v->child->next)
    return 0; /* a hash placeholder: already normalized when it was made */
  for (c = v->child; c; c = next) {
    next = c->next;
    if (cJSON_IsObject(v) && c->string &&
        (fo_audit_normalize_is_volatile(c->string) || config_volatile(ctx, c->string))) {
      cJSON_Delete(cJSON_DetachItemViaPointer(v, c));
      continue;
    }
    if (cJSON_IsObject(v) && c->string) {
      char *n = fo_audit_normalize_text(ctx, c->string);
      if (!n)
        return fo_err_oom();
      if ((c->type & cJSON_StringIsConst) && !strcmp(n, c->string)) {
        free(n); /* a shared (interned) key that normalization leaves alone stays shared */
      } else {
        if (!(c->type & cJSON_StringIsConst))
          free(c->string);
        c->string = n;
        c->type &= ~cJSON_StringIsConst;
      }
    }
    if (normalize_value(ctx, c, depth + 1) < 0)
      return FO_ENOMEM;
  }
  return 0;
}

int fo_audit_normalize_attributes(const fo_audit_norm_ctx *ctx, const char *source, cJSON *attributes) {
  if (!attributes)
    return 0;
  if (source && !strcmp(source, "terraform_state")) {
    /* the resource's own physical id: differs per region by construction */
    cJSON_DeleteItemFromObjectCaseSensitive(attributes, "id");
  } else if (source && !strcmp(source, "kubernetes_manifests")) {
    cJSON *meta = cJSON_GetObjectItemCaseSensitive(attributes, "metadata");
    cJSON *ann = meta ? cJSON_GetObjectItemCaseSensitive(meta, "annotations") : NULL;
    cJSON_DeleteItemFromObjectCaseSensitive(attributes, "status");
    if (ann) {
      cJSON_DeleteItemFromObjectCaseSensitive(ann, "kubectl.kubernetes.io/last-applied-configuration");
      cJSON_DeleteItemFromObjectCaseSensitive(ann, "deployment.kubernetes.io/revision");
    }
  }
  return normalize_value(ctx, attributes, 0);
}
