/* Parser for ~/.aws/config and ~/.aws/credentials. */
#include "fo_aws_ini.h"
#include "fo_aws_enc.h"
#include "fo_file.h"
#include "fo_buf.h"
#include "fo_err.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct ini_entry {
  char *section, *key, *value;
} ini_entry;

struct fo_aws_ini {
  ini_entry *e;
  size_t n, cap;
  char **sections;
  size_t n_sections;
};

static char *dup_trim(const char *s, size_t len) {
  char *r;
  while (len > 0 && isspace((unsigned char)*s)) {
    s++;
    len--;
  }
  while (len > 0 && isspace((unsigned char)s[len - 1]))
    len--;
  if (!(r = malloc(len + 1)))
    return NULL;
  memcpy(r, s, len);
  r[len] = '\0';
  return r;
}

void fo_aws_ini_free(fo_aws_ini *ini) {
  size_t i;
  if (!ini)
    return;
  for (i = 0; i < ini->n; i++) {
    free(ini->e[i].section);
    free(ini->e[i].key);
    fo_aws_free_secret(ini->e[i].value);
  }
  for (i = 0; i < ini->n_sections; i++)
    free(ini->sections[i]);
  free(ini->sections);
  free(ini->e);
  free(ini);
}

int fo_aws_ini_parse(fo_aws_ini **out, const char *text, size_t len, const char *name) {
  fo_aws_ini *ini;
  const char *p = text, *end = text + len;
  char *section = NULL;
  int lineno = 0, err = 0, in_nested = 0;

  *out = NULL;
  if (len > FO_AWS_INI_MAX_BYTES)
    return fo_err_set(FO_ELIMIT, "'%s' is larger than %u bytes", name, FO_AWS_INI_MAX_BYTES);
  if (!(ini = calloc(1, sizeof(*ini))))
    return fo_err_oom();
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    const char *s = p, *line = p;
    size_t k = n;
    lineno++;
    p += n + (nl ? 1 : 0);
    while (k > 0 && (*s == ' ' || *s == '\t' || *s == '\r')) {
      s++;
      k--;
    }
    if (k == 0 || *s == '#' || *s == ';')
      continue;
    if (*s == '[') {
      const char *close = memchr(s, ']', k);
      char **grown;
      if (!close) {
        err = fo_err_set(FO_EINVAL, "'%s' line %d: section header without ']'", name, lineno);
        goto done;
      }
      free(section);
      if (!(section = dup_trim(s + 1, (size_t)(close - s - 1)))) {
        err = fo_err_oom();
        goto done;
      }
      /* "[profile   x]" is "profile x" */
      if (strncmp(section, "profile", 7) == 0 && isspace((unsigned char)section[7])) {
        char *q = section + 7;
        while (isspace((unsigned char)*q))
          q++;
        memmove(section + 8, q, strlen(q) + 1);
        section[7] = ' ';
      }
      if (ini->n_sections >= FO_AWS_INI_MAX_ENTRIES) {
        err = fo_err_set(FO_ELIMIT, "'%s': too many sections", name);
        goto done;
      }
      if (!(grown = realloc(ini->sections, (ini->n_sections + 1) * sizeof(char *))) ||
          !(grown[ini->n_sections] = strdup(section))) {
        if (grown)
          ini->sections = grown;
        err = fo_err_oom();
        goto done;
      }
      ini->sections = grown;
      ini->n_sections++;
      in_nested = 0;
      continue;
    }
    if (s != line && in_nested)
      continue; /* indented sub-property of a nested block ("s3 =\n  addressing_style = path") */
    {
      const char *eq = memchr(s, '=', k);
      ini_entry *ent;
      if (!eq) {
        err = fo_err_set(FO_EINVAL, "'%s' line %d: expected 'key = value'", name, lineno);
        goto done;
      }
      if (!section) {
        err = fo_err_set(FO_EINVAL, "'%s' line %d: setting outside a [section]", name, lineno);
        goto done;
      }
      if (ini->n >= FO_AWS_INI_MAX_ENTRIES) {
        err = fo_err_set(FO_ELIMIT, "'%s': more than %d settings", name, FO_AWS_INI_MAX_ENTRIES);
        goto done;
      }
      if (ini->n == ini->cap) {
        size_t cap = ini->cap ? ini->cap * 2 : 32;
        ini_entry *g = realloc(ini->e, cap * sizeof(*g));
        if (!g) {
          err = fo_err_oom();
          goto done;
        }
        ini->e = g;
        ini->cap = cap;
      }
      ent = &ini->e[ini->n];
      ent->section = strdup(section);
      ent->key = dup_trim(s, (size_t)(eq - s));
      ent->value = dup_trim(eq + 1, (size_t)(s + k - eq - 1));
      if (!ent->section || !ent->key || !ent->value) {
        free(ent->section);
        free(ent->key);
        free(ent->value);
        err = fo_err_oom();
        goto done;
      }
      ini->n++;
      in_nested = ent->value[0] == '\0';
    }
  }
done:
  free(section);
  if (err < 0) {
    fo_aws_ini_free(ini);
    return err;
  }
  *out = ini;
  return 0;
}

int fo_aws_ini_load(fo_aws_ini **out, const char *path) {
  fo_buf b;
  int err;
  *out = NULL;
  if ((err = fo_file_read(&b, path, FO_AWS_INI_MAX_BYTES)) < 0)
    return err;
  err = fo_aws_ini_parse(out, b.data, b.len, path);
  fo_buf_wipe(&b);
  return err;
}

const char *fo_aws_ini_get(const fo_aws_ini *ini, const char *section, const char *key) {
  size_t i;
  const char *v = NULL;
  if (!ini)
    return NULL;
  /* the last assignment wins, as in the SDKs */
  for (i = 0; i < ini->n; i++)
    if (strcmp(ini->e[i].section, section) == 0 && strcasecmp(ini->e[i].key, key) == 0)
      v = ini->e[i].value;
  return v;
}

int fo_aws_ini_has_section(const fo_aws_ini *ini, const char *section) {
  size_t i;
  for (i = 0; ini && i < ini->n_sections; i++)
    if (strcmp(ini->sections[i], section) == 0)
      return 1;
  return 0;
}

const char *fo_aws_ini_config_get(const fo_aws_ini *config, const char *profile, const char *key) {
  char sec[300];
  const char *v;
  snprintf(sec, sizeof(sec), "profile %s", profile);
  if ((v = fo_aws_ini_get(config, sec, key)))
    return v;
  if (strcmp(profile, "default") == 0)
    return fo_aws_ini_get(config, "default", key);
  return NULL;
}
