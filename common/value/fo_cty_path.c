/* fo_cty_path: building, comparing, printing and walking attribute paths. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fo_cty_internal.h"
#include "fo_cty_path.h"
#include "fo_err.h"

void fo_cty_path_init(fo_cty_path *p) {
  memset(p, 0, sizeof(*p));
}

void fo_cty_path_dispose(fo_cty_path *p) {
  if (!p)
    return;
  for (size_t i = 0; i < p->len; i++)
    free(p->steps[i].name);
  free(p->steps);
  memset(p, 0, sizeof(*p));
}

static int push(fo_cty_path *p, fo_cty_path_step_kind kind, const char *name, int64_t index) {
  fo_cty_path_step *st;
  if (p->len >= FO_CTY_PATH_MAX_STEPS)
    return fo_err_set(FO_ELIMIT, "attribute path is longer than %d steps", FO_CTY_PATH_MAX_STEPS);
  if (p->len == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 8;
    fo_cty_path_step *ns = realloc(p->steps, cap * sizeof(*ns));
    if (!ns)
      return fo_err_set(FO_ENOMEM, "out of memory growing an attribute path");
    p->steps = ns;
    p->cap = cap;
  }
  st = &p->steps[p->len];
  st->kind = kind;
  st->index = index;
  st->name = NULL;
  if (name && !(st->name = strdup(name)))
    return fo_err_set(FO_ENOMEM, "out of memory growing an attribute path");
  p->len++;
  return 0;
}

int fo_cty_path_push_attr(fo_cty_path *p, const char *name) {
  if (!name)
    return fo_err_set(FO_EINVAL, "attribute step needs a name");
  return push(p, FO_CTY_STEP_ATTR, name, 0);
}

int fo_cty_path_push_key(fo_cty_path *p, const char *key) {
  if (!key)
    return fo_err_set(FO_EINVAL, "key step needs a key");
  return push(p, FO_CTY_STEP_KEY, key, 0);
}

int fo_cty_path_push_index(fo_cty_path *p, int64_t index) {
  return push(p, FO_CTY_STEP_INDEX, NULL, index);
}

void fo_cty_path_pop(fo_cty_path *p) {
  if (!p || p->len == 0)
    return;
  p->len--;
  free(p->steps[p->len].name);
  p->steps[p->len].name = NULL;
}

int fo_cty_path_copy(fo_cty_path *out, const fo_cty_path *src) {
  int error;
  fo_cty_path_init(out);
  for (size_t i = 0; i < src->len; i++) {
    const fo_cty_path_step *st = &src->steps[i];
    if ((error = push(out, st->kind, st->name, st->index)) < 0) {
      fo_cty_path_dispose(out);
      return error;
    }
  }
  return 0;
}

static int step_equal(const fo_cty_path_step *a, const fo_cty_path_step *b) {
  if (a->kind != b->kind)
    return 0;
  if (a->kind == FO_CTY_STEP_INDEX)
    return a->index == b->index;
  return strcmp(a->name, b->name) == 0;
}

int fo_cty_path_has_prefix(const fo_cty_path *p, const fo_cty_path *prefix) {
  if (prefix->len > p->len)
    return 0;
  for (size_t i = 0; i < prefix->len; i++)
    if (!step_equal(&p->steps[i], &prefix->steps[i]))
      return 0;
  return 1;
}

int fo_cty_path_equal(const fo_cty_path *a, const fo_cty_path *b) {
  return a->len == b->len && fo_cty_path_has_prefix(a, b);
}

int fo_cty_path_format(const fo_cty_path *p, fo_buf *out) {
  int error = 0;
  for (size_t i = 0; error == 0 && i < p->len; i++) {
    const fo_cty_path_step *st = &p->steps[i];
    switch (st->kind) {
      case FO_CTY_STEP_ATTR:
        if (i && (error = fo_buf_puts(out, ".")) < 0)
          return error;
        error = fo_buf_puts(out, st->name);
        break;
      case FO_CTY_STEP_KEY:
        if ((error = fo_buf_puts(out, "[")) == 0 && (error = fo_cty__json_quote(out, st->name, strlen(st->name))) == 0)
          error = fo_buf_puts(out, "]");
        break;
      case FO_CTY_STEP_INDEX:
        error = fo_buf_printf(out, "[%" PRId64 "]", st->index);
        break;
    }
  }
  return error;
}

const fo_cty_value *fo_cty_path_get(const fo_cty_value *v, const fo_cty_path *p) {
  for (size_t i = 0; v && i < p->len; i++) {
    const fo_cty_path_step *st = &p->steps[i];
    fo_cty_kind k = fo_cty_value_kind(v);
    if (!fo_cty_is_known(v) || fo_cty_is_null(v))
      return NULL;
    switch (st->kind) {
      case FO_CTY_STEP_ATTR:
        v = k == FO_CTY_OBJECT ? fo_cty_get_attr(v, st->name) : NULL;
        break;
      case FO_CTY_STEP_KEY:
        v = k == FO_CTY_MAP ? fo_cty_map_get(v, st->name) : NULL;
        break;
      case FO_CTY_STEP_INDEX:
        if ((k != FO_CTY_LIST && k != FO_CTY_TUPLE) || st->index < 0)
          return NULL;
        v = fo_cty_index(v, (size_t)st->index);
        break;
    }
  }
  return v;
}

int fo_cty__path_errv(const fo_cty_path *p, int code, const char *fmt, va_list ap) {
  fo_buf where = FO_BUF_INIT, msg = FO_BUF_INIT;
  fo_buf_init(&where, 4096);
  fo_buf_init(&msg, 4096);
  if (p->len && p->steps[0].kind == FO_CTY_STEP_ATTR)
    (void)fo_buf_puts(&where, ".");
  (void)fo_cty_path_format(p, &where);
  (void)fo_buf_vprintf(&msg, fmt, ap);
  fo_err_set(code, "at %s: %s", where.len ? where.data : "root", msg.len ? msg.data : "invalid value");
  fo_buf_dispose(&where);
  fo_buf_dispose(&msg);
  return code;
}
