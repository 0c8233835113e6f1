/* fo_audit_config: the YAML config reader (libyaml document API, so every node keeps its line:column). */
#include "fo_audit_config.h"
#include "fo_audit_drill.h"
#include "fo_audit_collector.h"
#include "fo_audit_glob.h"
#include "fo_audit_snapshot.h"
#include "fo_err.h"
#include "fo_file.h"
#include "fo_yaml_depth.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_LIST 10000

typedef struct pctx {
  yaml_document_t *doc;
  const char *name;
  fo_audit_config *cfg;
} pctx;

static int node_err(pctx *p, const yaml_node_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int node_err(pctx *p, const yaml_node_t *n, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return fo_err_set(FO_EINVAL, "%s:%zu:%zu: %s", p->name, n ? n->start_mark.line + 1 : 1,
                    n ? n->start_mark.column + 1 : 1, msg);
}

/* 1 when a scalar holds a NUL ("a\0b"): read as a C string it would mean something shorter. */
static int has_nul(const yaml_node_t *n) {
  return n && n->type == YAML_SCALAR_NODE && memchr(n->data.scalar.value, 0, n->data.scalar.length) != NULL;
}

/* The scalar's text; NULL for other nodes and for a scalar holding a NUL (never read cut short). */
static const char *scalar(const yaml_node_t *n) {
  return n && n->type == YAML_SCALAR_NODE && !has_nul(n) ? (const char *)n->data.scalar.value : NULL;
}

static int want_scalar(pctx *p, const yaml_node_t *n, const char *what, char **out) {
  const char *s = scalar(n);
  if (has_nul(n))
    return node_err(p, n, "'%s' contains a NUL byte", what);
  if (!s)
    return node_err(p, n, "'%s' must be a string", what);
  free(*out);
  if (!(*out = strdup(s)))
    return fo_err_oom();
  return 0;
}

/* A path from the config: relative ones are resolved against the config's directory. */
static int want_path(pctx *p, const yaml_node_t *n, const char *what, char **out) {
  char *s = NULL;
  int err;
  if ((err = want_scalar(p, n, what, &s)) < 0)
    return err;
  if (s[0] != '/' && p->cfg->dir && strcmp(p->cfg->dir, ".") != 0) {
    size_t len = strlen(p->cfg->dir) + strlen(s) + 2;
    char *j = malloc(len);
    if (!j) {
      free(s);
      return fo_err_oom();
    }
    snprintf(j, len, "%s/%s", p->cfg->dir, s);
    free(s);
    s = j;
  }
  free(*out);
  *out = s;
  return 0;
}

void fo_audit_yaml_list_free(char **l, size_t n) {
  for (size_t i = 0; l && i < n; i++)
    free(l[i]);
  free(l);
}

/* Each entry is counted as soon as it is allocated, before it is checked: whoever owns the list frees what
 * it counts, so an entry refused here is not lost. */
static int want_list_max(pctx *p, const yaml_node_t *n, const char *what, size_t max, int nonempty, char ***out,
                         size_t *nout) {
  size_t cnt;
  int err;
  if (!n || n->type != YAML_SEQUENCE_NODE)
    return node_err(p, n, "'%s' must be a list of strings", what);
  cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
  if (cnt > max)
    return node_err(p, n, "'%s' has more than %zu entries", what, max);
  /* the key was given twice: the last one wins, like the scalars */
  fo_audit_yaml_list_free(*out, *nout);
  *nout = 0;
  *out = calloc(cnt ? cnt : 1, sizeof(char *));
  if (!*out)
    return fo_err_oom();
  for (size_t i = 0; i < cnt; i++) {
    yaml_node_t *it = yaml_document_get_node(p->doc, n->data.sequence.items.start[i]);
    if ((err = want_scalar(p, it, what, &(*out)[i])) < 0)
      return err;
    *nout = i + 1;
    if (nonempty && !*(*out)[i])
      return node_err(p, it, "'%s' has an empty entry", what);
  }
  return 0;
}

static int want_list(pctx *p, const yaml_node_t *n, const char *what, char ***out, size_t *nout) {
  return want_list_max(p, n, what, MAX_LIST, 0, out, nout);
}

static int is_true(const char *s) {
  return s && (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on"));
}

static int is_false(const char *s) {
  return s && (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off"));
}

/* A boolean scalar into *out; an empty value (or null) means `dflt`. Anything else is an error rather than
 * "off": a typo must not silently switch a check off. */
static int want_bool(pctx *p, const yaml_node_t *n, const char *what, int dflt, int *out) {
  const char *s = scalar(n);
  if (s && (!*s || !strcmp(s, "~") || !strcmp(s, "null")))
    *out = dflt;
  else if (is_true(s))
    *out = 1;
  else if (is_false(s))
    *out = 0;
  else
    return node_err(p, n, "'%s' must be true or false, not '%s'", what, s ? s : "a collection");
  return 0;
}

int fo_audit_yaml_error(const fo_audit_yaml *n, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return fo_err_set(FO_EINVAL, "%s:%zu:%zu: %s", n->file, n->node ? n->node->start_mark.line + 1 : 1,
                    n->node ? n->node->start_mark.column + 1 : 1, msg);
}

/* The collectors' view of want_scalar / want_path: a parse context over the same document. */
static void yaml_pctx(pctx *p, fo_audit_config *tmp, const fo_audit_yaml *n) {
  memset(tmp, 0, sizeof *tmp);
  tmp->dir = (char *)n->dir;
  p->doc = n->doc;
  p->name = n->file;
  p->cfg = tmp;
}

int fo_audit_yaml_string(const fo_audit_yaml *n, const char *what, char **out) {
  pctx p;
  fo_audit_config tmp;
  yaml_pctx(&p, &tmp, n);
  return want_scalar(&p, n->node, what, out);
}

int fo_audit_yaml_path(const fo_audit_yaml *n, const char *what, char **out) {
  pctx p;
  fo_audit_config tmp;
  yaml_pctx(&p, &tmp, n);
  return want_path(&p, n->node, what, out);
}

int fo_audit_yaml_list(const fo_audit_yaml *n, const char *what, size_t max, int nonempty, char ***out, size_t *nout) {
  pctx p;
  fo_audit_config tmp;
  yaml_pctx(&p, &tmp, n);
  return want_list_max(&p, n->node, what, max, nonempty, out, nout);
}

int fo_audit_date_valid(const char *s) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y, m, d;
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return 0;
  y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  m = (s[5] - '0') * 10 + (s[6] - '0');
  d = (s[8] - '0') * 10 + (s[9] - '0');
  if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
    return 0;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 0;
  return 1;
}

/* Iterate a mapping node's pairs with `k` and `v` bound to each key and value node; `pr` names the cursor
 * (distinct per nesting level). The inner loop runs once per pair, so use `return`, not `break`, inside. */
#define FOR_PAIRS(n, pr, k, v)                                                                                     \
  for (yaml_node_pair_t *pr = (n)->data.mapping.pairs.start; pr < (n)->data.mapping.pairs.top; pr++)               \
    for (yaml_node_t *k = yaml_document_get_node(p->doc, pr->key), *v = yaml_document_get_node(p->doc, pr->value); \
         k && v; k = NULL)

static int want_map(pctx *p, const yaml_node_t *n, const char *what) {
  if (!n || n->type != YAML_MAPPING_NODE)
    return node_err(p, n, "'%s' must be a mapping", what);
  return 0;
}

static int key_str(pctx *p, const yaml_node_t *k, const char **out) {
  if (has_nul(k))
    return node_err(p, k, "a mapping key contains a NUL byte");
  if (!(*out = scalar(k)))
    return node_err(p, k, "mapping keys must be strings");
  return 0;
}

/* A key of sides.<side> owned by a collector: 1 (with *err set) when one owns it, else 0. */
static int collector_key(pctx *p, yaml_node_t *v, const char *key, fo_audit_side_cfg *s, int *err) {
  size_t n;
  const fo_audit_collector *const *cs = fo_audit_collectors(&n);
  for (size_t i = 0; i < n; i++) {
    const fo_audit_collector *c = cs[i];
    fo_audit_source_cfg *sc = NULL;
    fo_audit_yaml node = {p->doc, v, p->name, p->cfg->dir};
    int owns = 0;
    for (const char *const *sk = c->side_keys; sk && *sk && !owns; sk++)
      owns = !strcmp(*sk, key);
    if (!owns || !c->parse_key)
      continue;
    for (size_t j = 0; j < s->nsources; j++)
      if (s->sources[j].collector == c)
        sc = &s->sources[j];
    if (!sc) {
      fo_audit_source_cfg *ns = realloc(s->sources, (s->nsources + 1) * sizeof *ns);
      if (!ns) {
        *err = fo_err_oom();
        return 1;
      }
      s->sources = ns;
      sc = &s->sources[s->nsources++];
      sc->collector = c;
      sc->state = NULL;
    }
    *err = c->parse_key(&sc->state, key, &node);
    return 1;
  }
  return 0;
}

static int parse_side(pctx *p, const yaml_node_t *n, const char *which, fo_audit_side_cfg *s) {
  int err;
  if ((err = want_map(p, n, which)) < 0)
    return err;
  FOR_PAIRS(n, pr_k, k, v) {
    const char *key;
    if ((err = key_str(p, k, &key)) < 0)
      return err;
    if (!strcmp(key, "name"))
      err = want_scalar(p, v, key, &s->name);
    else if (!strcmp(key, "region"))
      err = want_scalar(p, v, key, &s->region);
    else if (!strcmp(key, "account_id"))
      err = want_scalar(p, v, key, &s->account_id);
    else if (collector_key(p, v, key, s, &err))
      ;
    else
      err = node_err(p, k, "unknown key '%s' in sides.%s", key, which);
    if (err < 0)
      return err;
  }
  if (!s->region || !*s->region)
    return node_err(p, n, "sides.%s needs a 'region'", which);
  if (s->account_id) {
    size_t l = strlen(s->account_id);
    if (l != 12 || strspn(s->account_id, "0123456789") != 12)
      return node_err(p, n, "sides.%s.account_id must be 12 digits", which);
  }
  if (!s->name && !(s->name = strdup(which)))
    return fo_err_oom();
  return 0;
}

/* The checks the registered collectors declare: their names and their side checks' names. */
static int known_check(const char *key, fo_buf *list) {
  size_t n;
  const fo_audit_collector *const *cs = fo_audit_collectors(&n);
  int known = 0;
  for (size_t i = 0; i < n; i++) {
    known |= !strcmp(key, cs[i]->name);
    if (list && fo_buf_printf(list, "%s%s", list->len ? ", " : "", cs[i]->name) < 0)
      return -1;
    for (size_t j = 0; j < cs[i]->nsidechecks; j++) {
      known |= !strcmp(key, cs[i]->sidechecks[j].name);
      if (list && fo_buf_printf(list, ", %s", cs[i]->sidechecks[j].name) < 0)
        return -1;
    }
  }
  return known;
}

static int parse_checks(pctx *p, const yaml_node_t *n) {
  fo_audit_config *c = p->cfg;
  size_t cnt;
  int err;
  if ((err = want_map(p, n, "checks")) < 0)
    return err;
  cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
  c->checks = calloc(cnt ? cnt : 1, sizeof *c->checks);
  if (!c->checks)
    return fo_err_oom();
  c->checks_listed = 1;
  FOR_PAIRS(n, pr_k, k, v) {
    const char *key;
    fo_audit_check_cfg *ch = &c->checks[c->nchecks];
    int known = 0;
    if ((err = key_str(p, k, &key)) < 0)
      return err;
    if (!(known = known_check(key, NULL))) {
      fo_buf list = FO_BUF_INIT;
      if (known_check(key, &list) < 0) {
        fo_buf_dispose(&list);
        return fo_err_oom();
      }
      err = node_err(p, k, "unknown check '%s' (known: %s)", key, list.data);
      fo_buf_dispose(&list);
      return err;
    }
    if (!(ch->name = strdup(key)))
      return fo_err_oom();
    ch->enabled = 1;
    c->nchecks++;
    if (v->type == YAML_SCALAR_NODE) {
      /* `dns: false` or an empty value */
      if ((err = want_bool(p, v, key, 1, &ch->enabled)) < 0)
        return err;
      continue;
    }
    if ((err = want_map(p, v, key)) < 0)
      return err;
    FOR_PAIRS(v, pr_k2, k2, v2) {
      const char *key2;
      if ((err = key_str(p, k2, &key2)) < 0)
        return err;
      if (!strcmp(key2, "enabled"))
        err = want_bool(p, v2, "enabled", 1, &ch->enabled);
      else if (!strcmp(key2, "must_match"))
        err = want_list(p, v2, key2, &ch->must_match, &ch->nmust_match);
      else if (!strcmp(key2, "may_differ"))
        err = want_list(p, v2, key2, &ch->may_differ, &ch->nmay_differ);
      else
        err = node_err(p, k2, "unknown key '%s' in checks.%s", key2, key);
      if (err < 0)
        return err;
    }
  }
  return 0;
}

/* The items of a list section, allocated zeroed: *cnt items of `elem` bytes in *out. */
static int alloc_list(pctx *p, const yaml_node_t *n, const char *what, size_t elem, void **out, size_t *cnt) {
  if (!n || n->type != YAML_SEQUENCE_NODE)
    return node_err(p, n, "'%s' must be a list", what);
  *cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
  if (*cnt > MAX_LIST)
    return node_err(p, n, "'%s' has more than %d entries", what, MAX_LIST);
  if (!(*out = calloc(*cnt ? *cnt : 1, elem)))
    return fo_err_oom();
  return 0;
}

/* A normalize regex compiled by PCRE2 under limits: a pattern over them is a config error naming the entry,
 * never a runaway allocation. */
static int compile_regex(pctx *p, fo_audit_norm_rule *r, const yaml_node_t *re_node) {
  pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
  size_t plen = strlen(r->primary), size = 0;
  PCRE2_SIZE off = 0;
  int code = 0;
  if (!cc)
    return fo_err_oom();
  if (plen > FO_AUDIT_REGEX_MAX_LENGTH) {
    pcre2_compile_context_free(cc);
    return node_err(p, re_node, "normalize[%d]: regex is %zu bytes long, more than %d", r->index, plen,
                    FO_AUDIT_REGEX_MAX_LENGTH);
  }
  pcre2_set_max_pattern_length(cc, FO_AUDIT_REGEX_MAX_LENGTH);
  pcre2_set_parens_nest_limit(cc, FO_AUDIT_REGEX_MAX_NEST);
  /* bytes, not UTF-8 characters (as the POSIX engine in the C locale did); (*UTF) in the pattern is refused */
  r->re = pcre2_compile((PCRE2_SPTR)r->primary, plen, PCRE2_NEVER_UTF | PCRE2_NEVER_UCP, &code, &off, cc);
  pcre2_compile_context_free(cc);
  if (r->re && pcre2_pattern_info(r->re, PCRE2_INFO_SIZE, &size) == 0 && size > FO_AUDIT_REGEX_MAX_COMPILED) {
    pcre2_code_free(r->re);
    r->re = NULL;
    code = 0;
  }
  if (!r->re) {
    char buf[160] = "compiles to more than the limit";
    int err;
    if (code != 0)
      pcre2_get_error_message(code, (PCRE2_UCHAR *)buf, sizeof buf);
    err = code != 0 ? node_err(p, re_node, "normalize[%d]: bad regex '%.*s' at offset %zu: %s", r->index, 200,
                               r->primary, (size_t)off, buf)
                    : node_err(p, re_node, "normalize[%d]: regex '%.*s' compiles to more than %u bytes", r->index, 200,
                               r->primary, FO_AUDIT_REGEX_MAX_COMPILED);
    r->is_regex = 0; /* not compiled: nothing to free */
    return err;
  }
  if (!(r->md = pcre2_match_data_create_from_pattern(r->re, NULL)) || !(r->mctx = pcre2_match_context_create(NULL)))
    return fo_err_oom(); /* freed with the config (is_regex is set) */
  pcre2_set_match_limit(r->mctx, FO_AUDIT_REGEX_MATCH_LIMIT);
  pcre2_set_depth_limit(r->mctx, FO_AUDIT_REGEX_DEPTH_LIMIT);
  pcre2_set_heap_limit(r->mctx, FO_AUDIT_REGEX_HEAP_LIMIT);
  return 0;
}

static int parse_normalize(pctx *p, const yaml_node_t *n) {
  fo_audit_config *c = p->cfg;
  size_t cnt = 0; /* set by alloc_list; -O3 cannot see that through its early error returns */
  int err;
  if ((err = alloc_list(p, n, "normalize", sizeof *c->norm, (void **)&c->norm, &cnt)) < 0)
    return err;
  for (size_t i = 0; i < cnt; i++) {
    yaml_node_t *it = yaml_document_get_node(p->doc, n->data.sequence.items.start[i]);
    fo_audit_norm_rule *r = &c->norm[c->nnorm];
    yaml_node_t *re_node = NULL;
    if ((err = want_map(p, it, "normalize entry")) < 0)
      return err;
    r->line = (int)it->start_mark.line + 1;
    c->nnorm++;
    FOR_PAIRS(it, pr_k, k, v) {
      const char *key;
      if ((err = key_str(p, k, &key)) < 0)
        return err;
      if (!strcmp(key, "regex")) {
        r->is_regex = 1;
        re_node = v;
        err = want_scalar(p, v, key, &r->primary);
      } else if (!strcmp(key, "literal")) {
        if (v->type == YAML_MAPPING_NODE) {
          FOR_PAIRS(v, pr_k2, k2, v2) {
            const char *side;
            if ((err = key_str(p, k2, &side)) < 0)
              return err;
            if (!strcmp(side, "primary"))
              err = want_scalar(p, v2, "literal.primary", &r->primary);
            else if (!strcmp(side, "secondary"))
              err = want_scalar(p, v2, "literal.secondary", &r->secondary);
            else
              err = node_err(p, k2, "unknown key '%s' in literal (primary, secondary)", side);
            if (err < 0)
              return err;
          }
          if (!r->primary || !r->secondary)
            return node_err(p, v, "literal needs both 'primary' and 'secondary'");
        } else if ((err = want_scalar(p, v, key, &r->primary)) < 0) {
          return err;
        }
      } else if (!strcmp(key, "replace")) {
        err = want_scalar(p, v, key, &r->replace);
      } else {
        err = node_err(p, k, "unknown key '%s' in normalize entry (regex, literal, replace)", key);
      }
      if (err < 0)
        return err;
    }
    if (!r->primary)
      return node_err(p, it, "normalize entry needs 'regex' or 'literal'");
    if (!r->primary[0] || (r->secondary && !r->secondary[0]))
      return node_err(p, it, "normalize entry has an empty pattern");
    if (!r->replace && !(r->replace = strdup("")))
      return fo_err_oom();
    r->index = (int)i;
    if (r->is_regex) {
      if ((err = compile_regex(p, r, re_node)) < 0)
        return err;
    } else if (!r->secondary && !(r->secondary = strdup(r->primary))) {
      return fo_err_oom();
    }
  }
  return 0;
}

static int parse_step(pctx *p, const yaml_node_t *n, fo_audit_step *out) {
  const char *s = scalar(n);
  for (int i = 0; s && i < FO_AUDIT_STEP_COUNT; i++)
    if (!strcmp(s, fo_audit_step_name((fo_audit_step)i))) {
      *out = (fo_audit_step)i;
      return 0;
    }
  return node_err(p, n,
                  "unknown step '%s' (cluster-versions, addons, configmaps, terraform, backup-plans, "
                  "dns-weights, other)",
                  s ? s : "");
}

static int parse_mappings(pctx *p, const yaml_node_t *n) {
  fo_audit_config *c = p->cfg;
  size_t cnt = 0;
  int err;
  if ((err = alloc_list(p, n, "path_mappings", sizeof *c->mappings, (void **)&c->mappings, &cnt)) < 0)
    return err;
  for (size_t i = 0; i < cnt; i++) {
    yaml_node_t *it = yaml_document_get_node(p->doc, n->data.sequence.items.start[i]);
    fo_audit_mapping *m = &c->mappings[c->nmappings];
    if ((err = want_map(p, it, "path mapping")) < 0)
      return err;
    m->step = FO_AUDIT_STEP_OTHER;
    c->nmappings++;
    FOR_PAIRS(it, pr_k, k, v) {
      const char *key;
      if ((err = key_str(p, k, &key)) < 0)
        return err;
      if (!strcmp(key, "primary"))
        err = want_scalar(p, v, key, &m->primary);
      else if (!strcmp(key, "secondary"))
        err = want_scalar(p, v, key, &m->secondary);
      else if (!strcmp(key, "step"))
        err = parse_step(p, v, &m->step);
      else
        err = node_err(p, k, "unknown key '%s' in path mapping (primary, secondary, step)", key);
      if (err < 0)
        return err;
    }
    if (!m->primary || !m->secondary)
      return node_err(p, it, "path mapping needs 'primary' and 'secondary'");
    if (fo_audit_glob_wildcards(m->primary) != fo_audit_glob_wildcards(m->secondary) ||
        fo_audit_glob_wildcards(m->primary) > FO_AUDIT_GLOB_MAX_WILDCARDS)
      return node_err(p, it, "path mapping '%s' and '%s' must have the same wildcards", m->primary, m->secondary);
  }
  return 0;
}

static int duplicate_key(pctx *p, const yaml_node_t *map, const yaml_node_pair_t *upto, const char *key);

/* `drill: {rto: 30m}`: the recovery time objective `failover-audit drill` measures the timeline against. */
static int parse_drill(pctx *p, const yaml_node_t *n) {
  int err;
  if ((err = want_map(p, n, "drill")) < 0)
    return err;
  FOR_PAIRS(n, pr_k, k, v) {
    const char *key;
    char *text = NULL;
    if ((err = key_str(p, k, &key)) < 0)
      return err;
    if (duplicate_key(p, n, pr_k, key))
      return node_err(p, k, "duplicate key '%s'", key);
    if (strcmp(key, "rto") != 0)
      return node_err(p, k, "unknown key '%s' in drill (rto)", key);
    if ((err = want_scalar(p, v, key, &text)) < 0)
      return err;
    err = fo_audit_drill_duration_parse(&p->cfg->drill_rto_ms, text);
    free(text);
    if (err < 0)
      return node_err(p, v, "drill.rto: %s", fo_err_last());
  }
  return 0;
}

/* `gitlab: {token_env: NAME, token_header: PRIVATE-TOKEN|JOB-TOKEN}`: what --post-mr-note authenticates with. The
 * config names the variable, so the token itself never sits in a file that merge requests change. */
static int parse_gitlab(pctx *p, const yaml_node_t *n) {
  fo_audit_config *c = p->cfg;
  int err;
  if ((err = want_map(p, n, "gitlab")) < 0)
    return err;
  FOR_PAIRS(n, pr_k, k, v) {
    const char *key;
    if ((err = key_str(p, k, &key)) < 0)
      return err;
    if (duplicate_key(p, n, pr_k, key))
      return node_err(p, k, "duplicate key '%s'", key);
    if (!strcmp(key, "token_env")) {
      const char *s;
      if ((err = want_scalar(p, v, key, &c->gitlab_token_env)) < 0)
        return err;
      s = c->gitlab_token_env;
      /* a variable name, not a token pasted by mistake (which would then sit in the repository) */
      if (!*s || (s[0] >= '0' && s[0] <= '9') ||
          s[strspn(s,
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                   "0123456789_")] != '\0' ||
          strlen(s) > 128)
        return node_err(p, v, "gitlab.token_env must be the NAME of an environment variable (letters, digits, _)");
    } else if (!strcmp(key, "token_header")) {
      if ((err = want_scalar(p, v, key, &c->gitlab_token_header)) < 0)
        return err;
      if (strcmp(c->gitlab_token_header, "PRIVATE-TOKEN") != 0 && strcmp(c->gitlab_token_header, "JOB-TOKEN") != 0)
        return node_err(p, v, "gitlab.token_header must be PRIVATE-TOKEN or JOB-TOKEN, not '%s'",
                        c->gitlab_token_header);
    } else {
      return node_err(p, k, "unknown key '%s' in gitlab (token_env, token_header)", key);
    }
  }
  if (!c->gitlab_token_env)
    return node_err(p, n, "gitlab needs token_env: the name of the variable that holds the API token");
  if (!c->gitlab_token_header &&
      !(c->gitlab_token_header = strdup(strcmp(c->gitlab_token_env, "CI_JOB_TOKEN") ? "PRIVATE-TOKEN" : "JOB-TOKEN")))
    return fo_err_oom();
  return 0;
}

static int parse_expected(pctx *p, const yaml_node_t *n) {
  fo_audit_config *c = p->cfg;
  size_t cnt = 0;
  int err;
  if (n->type == YAML_SCALAR_NODE && (!*scalar(n) || !strcmp(scalar(n), "~") || !strcmp(scalar(n), "null")))
    return 0;
  if ((err = alloc_list(p, n, "expected_differences", sizeof *c->expected, (void **)&c->expected, &cnt)) < 0)
    return err;
  for (size_t i = 0; i < cnt; i++) {
    yaml_node_t *it = yaml_document_get_node(p->doc, n->data.sequence.items.start[i]);
    fo_audit_expected *e = &c->expected[c->nexpected];
    yaml_node_t *exp_node = NULL;
    if ((err = want_map(p, it, "expected_differences entry")) < 0)
      return err;
    e->line = (int)it->start_mark.line + 1;
    e->column = (int)it->start_mark.column + 1;
    c->nexpected++;
    FOR_PAIRS(it, pr_k, k, v) {
      const char *key;
      if ((err = key_str(p, k, &key)) < 0)
        return err;
      if (!strcmp(key, "path"))
        err = want_scalar(p, v, key, &e->path);
      else if (!strcmp(key, "rule"))
        err = want_scalar(p, v, key, &e->rule);
      else if (!strcmp(key, "reason"))
        err = want_scalar(p, v, key, &e->reason);
      else if (!strcmp(key, "expires")) {
        exp_node = v;
        err = want_scalar(p, v, key, &e->expires);
      } else
        err = node_err(p, k, "unknown key '%s' in expected_differences entry (path, rule, reason, expires)", key);
      if (err < 0)
        return err;
    }
    if (!e->path)
      return node_err(p, it, "expected_differences entry needs a 'path'");
    if (!e->reason || !e->reason[0])
      return node_err(p, it, "expected_differences entry '%s' needs a 'reason'", e->path);
    if (e->expires && !fo_audit_date_valid(e->expires))
      return node_err(p, exp_node, "'expires' must be a date YYYY-MM-DD, not '%s'", e->expires);
    if (fo_audit_glob_wildcards(e->path) > FO_AUDIT_GLOB_MAX_WILDCARDS)
      return node_err(p, it, "pattern '%s' has more than %d wildcards", e->path, FO_AUDIT_GLOB_MAX_WILDCARDS);
  }
  return 0;
}

/* A key that appeared earlier in the same mapping: YAML forbids it and a second section would be parsed
 * into the first one's storage. */
static int duplicate_key(pctx *p, const yaml_node_t *map, const yaml_node_pair_t *upto, const char *key) {
  for (const yaml_node_pair_t *q = map->data.mapping.pairs.start; q < upto; q++) {
    const char *k = scalar(yaml_document_get_node(p->doc, q->key));
    if (k && !strcmp(k, key))
      return 1;
  }
  return 0;
}

static int parse_root(pctx *p, const yaml_node_t *root) {
  fo_audit_config *c = p->cfg;
  int have_sides = 0;
  int err;

  if (!root)
    return fo_err_set(FO_EINVAL, "%s:1:1: the config is empty", p->name);
  if ((err = want_map(p, root, "the config")) < 0)
    return err;
  FOR_PAIRS(root, pr_k, k, v) {
    const char *key;
    if ((err = key_str(p, k, &key)) < 0)
      return err;
    if (duplicate_key(p, root, pr_k, key))
      return node_err(p, k, "duplicate key '%s'", key);
    if (!strcmp(key, "version")) {
      const char *s = scalar(v);
      if (!s || strcmp(s, "1") != 0)
        err = node_err(p, v, "unsupported config version '%s' (this auditor reads version 1)", s ? s : "");
    } else if (!strcmp(key, "sides")) {
      have_sides = 1;
      if ((err = want_map(p, v, "sides")) < 0)
        return err;
      FOR_PAIRS(v, pr_k2, k2, v2) {
        const char *side;
        if ((err = key_str(p, k2, &side)) < 0)
          return err;
        if (!strcmp(side, "primary"))
          err = parse_side(p, v2, side, &c->sides[0]);
        else if (!strcmp(side, "secondary"))
          err = parse_side(p, v2, side, &c->sides[1]);
        else
          err = node_err(p, k2, "unknown side '%s' (primary, secondary)", side);
        if (err < 0)
          return err;
      }
      if (!c->sides[0].region || !c->sides[1].region)
        err = node_err(p, v, "'sides' needs both 'primary' and 'secondary'");
    } else if (!strcmp(key, "checks")) {
      err = parse_checks(p, v);
    } else if (!strcmp(key, "normalize")) {
      err = parse_normalize(p, v);
    } else if (!strcmp(key, "volatile")) {
      err = want_list(p, v, key, &c->volatile_keys, &c->nvolatile);
    } else if (!strcmp(key, "path_mappings")) {
      err = parse_mappings(p, v);
    } else if (!strcmp(key, "expected_differences")) {
      err = parse_expected(p, v);
    } else if (!strcmp(key, "repo")) {
      err = want_path(p, v, key, &c->repo);
    } else if (!strcmp(key, "gitlab")) {
      err = parse_gitlab(p, v);
    } else if (!strcmp(key, "drill")) {
      err = parse_drill(p, v);
    } else {
      err = node_err(p, k, "unknown key '%s'", key);
    }
    if (err < 0)
      return err;
  }
  if (!have_sides)
    return node_err(p, root, "the config needs 'sides' (primary and secondary)");
  if (!strcmp(c->sides[0].region, c->sides[1].region))
    return node_err(p, root, "primary and secondary have the same region '%s'", c->sides[0].region);
  return 0;
}

static fo_audit_config *config_alloc(const char *name, const char *dir) {
  fo_audit_config *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->path = strdup(name ? name : "<memory>");
  c->dir = strdup(dir ? dir : ".");
  if (!c->path || !c->dir) {
    fo_audit_config_free(c);
    return NULL;
  }
  return c;
}

int fo_audit_config_parse(fo_audit_config **out, const char *data, size_t len, const char *name, const char *dir) {
  yaml_parser_t parser;
  yaml_document_t doc;
  int have_doc = 0;
  fo_audit_config *c = NULL;
  pctx p;
  size_t deep, col;
  int err = 0;

  *out = NULL;
  if (!name)
    name = "<memory>";
  if (len > FO_AUDIT_CONFIG_MAX_BYTES)
    return fo_err_set(FO_EINVAL, "%s: config larger than %u bytes", name, FO_AUDIT_CONFIG_MAX_BYTES);
  if ((deep = fo_yaml_flow_too_deep(data, len, &col)) != 0)
    return fo_err_set(FO_EINVAL, "%s:%zu:%zu: brackets nested deeper than %d levels", name, deep, col,
                      FO_YAML_MAX_FLOW_DEPTH);
  if (!(c = config_alloc(name, dir)))
    return fo_err_oom();
  if (!yaml_parser_initialize(&parser)) {
    fo_audit_config_free(c);
    return fo_err_oom();
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
  if (!yaml_parser_load(&parser, &doc)) {
    err = fo_err_set(FO_EINVAL, "%s:%zu:%zu: %s%s%s", name, parser.problem_mark.line + 1,
                     parser.problem_mark.column + 1, parser.problem ? parser.problem : "syntax error",
                     parser.context ? " " : "", parser.context ? parser.context : "");
    goto done;
  }
  have_doc = 1;
  p.doc = &doc;
  p.name = name;
  p.cfg = c;
  err = parse_root(&p, yaml_document_get_root_node(&doc));

done:
  if (have_doc)
    yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  if (err < 0) {
    fo_audit_config_free(c);
    return err;
  }
  *out = c;
  return 0;
}

int fo_audit_config_load(fo_audit_config **out, const char *path) {
  char *dir = NULL, *slash;
  fo_buf text;
  int err;

  *out = NULL;
  if ((err = fo_file_read(&text, path, FO_AUDIT_CONFIG_MAX_BYTES)) < 0)
    return fo_err_wrap(err == FO_ENOMEM ? err : FO_EINVAL, "config");
  if (!(dir = strdup(path))) {
    fo_buf_dispose(&text);
    return fo_err_oom();
  }
  slash = strrchr(dir, '/');
  if (slash)
    *(slash == dir ? slash + 1 : slash) = '\0';
  else
    strncpy(dir, ".", 2); /* strlen(path) >= 1, so dir has room for ".\0" */
  err = fo_audit_config_parse(out, text.data, text.len, path, dir);
  fo_buf_dispose(&text);
  free(dir);
  return err;
}

int fo_audit_config_default(fo_audit_config **out, const char *primary_region, const char *secondary_region) {
  fo_audit_config *c = config_alloc("<defaults>", ".");
  *out = NULL;
  if (!c)
    return fo_err_oom();
  c->sides[0].name = strdup("primary");
  c->sides[1].name = strdup("secondary");
  c->sides[0].region = strdup(primary_region ? primary_region : "us-east-1");
  c->sides[1].region = strdup(secondary_region ? secondary_region : "us-east-2");
  if (!c->sides[0].name || !c->sides[1].name || !c->sides[0].region || !c->sides[1].region) {
    fo_audit_config_free(c);
    return fo_err_oom();
  }
  *out = c;
  return 0;
}

void fo_audit_config_free(fo_audit_config *c) {
  if (!c)
    return;
  free(c->path);
  free(c->dir);
  free(c->repo);
  free(c->gitlab_token_env);
  free(c->gitlab_token_header);
  for (int i = 0; i < 2; i++) {
    fo_audit_side_cfg *s = &c->sides[i];
    free(s->name);
    free(s->region);
    free(s->account_id);
    for (size_t j = 0; j < s->nsources; j++) {
      const fo_audit_collector *col = s->sources[j].collector;
      if (col->free_cfg)
        col->free_cfg(s->sources[j].state);
    }
    free(s->sources);
  }
  for (size_t i = 0; i < c->nchecks; i++) {
    free(c->checks[i].name);
    fo_audit_yaml_list_free(c->checks[i].must_match, c->checks[i].nmust_match);
    fo_audit_yaml_list_free(c->checks[i].may_differ, c->checks[i].nmay_differ);
  }
  free(c->checks);
  for (size_t i = 0; i < c->nnorm; i++) {
    if (c->norm[i].is_regex) {
      pcre2_code_free(c->norm[i].re);
      pcre2_match_data_free(c->norm[i].md);
      pcre2_match_context_free(c->norm[i].mctx);
    }
    free(c->norm[i].primary);
    free(c->norm[i].secondary);
    free(c->norm[i].replace);
  }
  free(c->norm);
  fo_audit_yaml_list_free(c->volatile_keys, c->nvolatile);
  for (size_t i = 0; i < c->nmappings; i++) {
    free(c->mappings[i].primary);
    free(c->mappings[i].secondary);
  }
  free(c->mappings);
  for (size_t i = 0; i < c->nexpected; i++) {
    free(c->expected[i].path);
    free(c->expected[i].rule);
    free(c->expected[i].reason);
    free(c->expected[i].expires);
  }
  free(c->expected);
  free(c);
}

const fo_audit_check_cfg *fo_audit_config_check(const fo_audit_config *c, const char *check) {
  for (size_t i = 0; c && i < c->nchecks; i++)
    if (!strcmp(c->checks[i].name, check))
      return &c->checks[i];
  return NULL;
}

int fo_audit_config_check_enabled(const fo_audit_config *c, const char *check) {
  const fo_audit_check_cfg *ch = fo_audit_config_check(c, check);
  if (ch)
    return ch->enabled;
  return !c || !c->checks_listed;
}
