/* test_helpers: small helpers shared by the value unit tests (hex, building
 * types from JSON, formatting values) so each test reads as data. */
#ifndef FO_TEST_VALUE_HELPERS_H
#define FO_TEST_VALUE_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fo_cty.h"
#include "fo_cty_codec.h"
#include "fo_err.h"

/* Type from cty type JSON; fails the test on error. */
static inline fo_cty_type *T(const char *json) {
  fo_cty_type *t = NULL;
  int rc = fo_cty_type_from_json(&t, json, strlen(json));
  if (rc != 0)
    fprintf(stderr, "type %s: %s\n", json, fo_err_last());
  assert_int_equal(rc, 0);
  return t;
}

/* Lowercase hex of a buffer, spaces stripped from expectations. */
static inline char *hex_of(const void *p, size_t n) {
  static const char digits[] = "0123456789abcdef";
  char *s = malloc(n * 2 + 1);
  for (size_t i = 0; i < n; i++) {
    s[2 * i] = digits[((const uint8_t *)p)[i] >> 4];
    s[2 * i + 1] = digits[((const uint8_t *)p)[i] & 15];
  }
  s[n * 2] = 0;
  return s;
}

static inline size_t unhex(const char *hex, uint8_t *out, size_t cap) {
  size_t n = 0;
  int hi = -1;
  for (; *hex; hex++) {
    int d;
    if (*hex == ' ')
      continue;
    d = *hex >= 'a' ? *hex - 'a' + 10 : *hex >= 'A' ? *hex - 'A' + 10 : *hex - '0';
    if (hi < 0)
      hi = d;
    else {
      assert_true(n < cap);
      out[n++] = (uint8_t)(hi << 4 | d);
      hi = -1;
    }
  }
  return n;
}

static inline void strip_spaces(char *s) {
  char *w = s;
  for (; *s; s++)
    if (*s != ' ')
      *w++ = *s;
  *w = 0;
}

/* Assert the msgpack encoding of v with t equals `hex` (spaces ignored). */
static inline void assert_msgpack(const fo_cty_value *v, const fo_cty_type *t, const char *hex) {
  fo_buf b = FO_BUF_INIT;
  char *got, want[4096];
  int rc = fo_cty_msgpack_encode(v, t, &b);
  if (rc)
    fprintf(stderr, "encode: %s\n", fo_err_last());
  assert_int_equal(rc, 0);
  got = hex_of(b.data, b.len);
  snprintf(want, sizeof(want), "%s", hex);
  strip_spaces(want);
  assert_string_equal(got, want);
  free(got);
  fo_buf_dispose(&b);
}

/* Decode hex msgpack with t; returns the value (caller unrefs) or NULL with fo_err. */
static inline fo_cty_value *from_msgpack(const fo_cty_type *t, const char *hex) {
  uint8_t bytes[4096];
  size_t n = unhex(hex, bytes, sizeof(bytes));
  fo_cty_value *v = NULL;
  if (fo_cty_msgpack_decode(&v, t, bytes, n) != 0)
    return NULL;
  return v;
}

/* The human rendering of v (static buffer, for assert_string_equal). */
static inline const char *fmt(const fo_cty_value *v) {
  static char out[8192];
  fo_buf b = FO_BUF_INIT;
  assert_int_equal(fo_cty_value_format(v, &b), 0);
  snprintf(out, sizeof(out), "%s", b.data ? b.data : "");
  fo_buf_dispose(&b);
  return out;
}

#endif
