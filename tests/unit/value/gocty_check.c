/* gocty_check: checks the C cty codecs against vectors written by go-cty
 * (tests/tools/ctyvectors): decode go-cty's msgpack, re-encode it and compare
 * bytes; JSON likewise. Usage: gocty_check <vectors.txt>; exit 1 on mismatch. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_buf.h"
#include "fo_cty.h"
#include "fo_cty_codec.h"
#include "fo_err.h"

static char *hex_of(const void *p, size_t n) {
  static const char digits[] = "0123456789abcdef";
  char *s = malloc(n * 2 + 1);
  for (size_t i = 0; s && i < n; i++) {
    s[2 * i] = digits[((const uint8_t *)p)[i] >> 4];
    s[2 * i + 1] = digits[((const uint8_t *)p)[i] & 15];
  }
  if (s)
    s[n * 2] = 0;
  return s;
}

static uint8_t *unhex(const char *h, size_t *n) {
  size_t len = strlen(h);
  uint8_t *out = malloc(len / 2 + 1);
  for (size_t i = 0; out && i + 1 < len + 1 && i / 2 < len / 2; i += 2) {
    unsigned v;
    if (sscanf(h + i, "%2x", &v) != 1) {
      free(out);
      return NULL;
    }
    out[i / 2] = (uint8_t)v;
  }
  *n = len / 2;
  return out;
}

/* One vector; returns the number of failed checks. */
static int check(const char *name, const char *tjson, const char *mphex, const char *json, const char *rehex) {
  fo_cty_type *t = NULL;
  fo_cty_value *v = NULL, *vj = NULL;
  fo_buf b = FO_BUF_INIT;
  uint8_t *bytes = NULL;
  size_t n = 0;
  char *got = NULL;
  int fails = 0;
  const char *want_re = strcmp(rehex, "=") == 0 ? mphex : rehex;

  if (fo_cty_type_from_json(&t, tjson, strlen(tjson)) < 0) {
    printf("FAIL %s: type %s: %s\n", name, tjson, fo_err_last());
    return 1;
  }
  bytes = unhex(mphex, &n);
  if (!bytes || fo_cty_msgpack_decode(&v, t, bytes, n) < 0) {
    printf("FAIL %s: msgpack decode: %s\n", name, fo_err_last());
    fails++;
    goto done;
  }
  if (fo_cty_msgpack_encode(v, t, &b) < 0) {
    printf("FAIL %s: msgpack encode: %s\n", name, fo_err_last());
    fails++;
    goto done;
  }
  got = hex_of(b.data, b.len);
  if (strcmp(got, want_re) != 0) {
    printf("FAIL %s: msgpack re-encode differs\n  go-cty: %s\n  ours:   %s\n", name, want_re, got);
    fails++;
  }
  if (strcmp(json, "-") != 0) {
    fo_buf_clear(&b);
    if (fo_cty_json_encode(v, t, &b) < 0) {
      printf("FAIL %s: json encode: %s\n", name, fo_err_last());
      fails++;
    } else if (strcmp(b.data, json) != 0) {
      printf("FAIL %s: json encode differs\n  go-cty: %s\n  ours:   %s\n", name, json, b.data);
      fails++;
    }
    fo_buf_clear(&b);
    if (fo_cty_json_decode(&vj, t, json, strlen(json), 0) < 0) {
      printf("FAIL %s: json decode: %s\n", name, fo_err_last());
      fails++;
    } else if (fo_cty_json_encode(vj, t, &b) < 0 || strcmp(b.data, json) != 0) {
      printf("FAIL %s: json round trip differs\n  go-cty: %s\n  ours:   %s\n", name, json, b.data ? b.data : "");
      fails++;
    }
  } else {
    fo_buf_clear(&b);
    if (fo_cty_is_wholly_known(v) && fo_cty_json_encode(v, t, &b) == 0) {
      printf("FAIL %s: go-cty cannot JSON-encode this value but we did: %s\n", name, b.data);
      fails++;
    }
  }
done:
  free(got);
  free(bytes);
  fo_buf_dispose(&b);
  fo_cty_value_unref(v);
  fo_cty_value_unref(vj);
  fo_cty_type_unref(t);
  return fails;
}

int main(int argc, char **argv) {
  FILE *f;
  char *line = NULL;
  size_t cap = 0;
  int fails = 0, cases = 0;
  if (argc != 2) {
    fprintf(stderr, "usage: gocty_check <vectors.txt>\n");
    return 2;
  }
  f = fopen(argv[1], "r");
  if (!f) {
    fprintf(stderr, "gocty_check: cannot open '%s'\n", argv[1]);
    return 2;
  }
  while (getline(&line, &cap, f) > 0) {
    char *fields[5], *p = line;
    int nf = 0;
    line[strcspn(line, "\n")] = 0;
    if (line[0] == '#' || line[0] == 0)
      continue;
    while (nf < 5 && p) { /* tab-separated fields */
      char *tab = strchr(p, '\t');
      fields[nf++] = p;
      if (tab)
        *tab = 0;
      p = tab ? tab + 1 : NULL;
    }
    if (p)
      nf = 6; /* extra fields */
    if (nf != 5) {
      printf("FAIL malformed vector line: %.60s\n", line);
      fails++;
      continue;
    }
    cases++;
    fails += check(fields[0], fields[1], fields[2], fields[3], fields[4]);
  }
  free(line);
  fclose(f);
  printf("%d vectors, %d failed checks\n", cases, fails);
  if (cases < 10) {
    printf("FAIL too few vectors in '%s'\n", argv[1]);
    return 1;
  }
  return fails ? 1 : 0;
}
