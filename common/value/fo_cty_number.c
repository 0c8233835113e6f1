/* fo_cty_number: exact cty numbers (int64, non-integer doubles, canonical
 * decimal text) with go-cty's canonical forms: big.Float.Text('f', -1) text,
 * exact comparison and big.Float.String() for set hashing.
 *
 * Why decimal text and not MPFR/GMP values (issue 7, evaluated): the module
 * does no arithmetic, only parse, compare and print, and go-cty's printing
 * (shortest decimal that reads back, Text('f', -1)) has no MPFR or GMP
 * equivalent, so it stays ours either way. What go-cty does in binary, GNU
 * MPFR does for us: a decimal with more than 153 significant digits (beyond
 * what 512 bits keep) is rounded to go-cty's 512-bit value, and String()'s
 * %.10g of a decimal rounds that binary value, not its text (they differ on
 * ties: 123456789.05 is "123456789.1" in go-cty). Checked byte for byte by
 * the go-cty vectors and by test_numbers against go-cty's own output. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>

#include "fo_cty_internal.h"
#include "fo_err.h"

/* Limits for decimal text: a number is rejected when its decimal exponent or
 * digit count is beyond these (cty numbers have 512-bit mantissas, so longer
 * digit strings carry nothing Terraform would keep). */
#define NUM_MAX_EXP    10000
#define NUM_MAX_DIGITS 4096
#define NUM_MAX_TEXT   16384

/* go-cty parses numbers with big.ParseFloat(s, 10, 512, ToNearestEven). A
 * decimal of at most 153 significant digits (floor(511 * log10 2)) comes
 * back unchanged from 512 bits, so only longer ones need MPFR. */
#define NUM_PREC         512
#define NUM_EXACT_DIGITS 153
#define NUM_PREC_DIGITS  156 /* 1 + ceil(512 * log10 2): always reads back */

/* A decimal: value = (neg ? -1 : 1) * 0.d[0]d[1]..d[n-1] * 10^exp, with no
 * leading or trailing zero digits; n == 0 means zero. */
typedef struct dec {
  int neg;
  char *d;
  size_t n;
  long exp;
} dec;

static void dec_dispose(dec *x) {
  free(x->d);
  x->d = NULL;
  x->n = 0;
}

/* Parse plain or exponent decimal text ([+-]digits[.digits][(e|E)[+-]digits],
 * at least one digit) into `x`. */
static int dec_parse(dec *x, const char *s, size_t len) {
  size_t i = 0, nd = 0;
  long point = 0;
  int seen_point = 0, any = 0;
  long e = 0;
  memset(x, 0, sizeof(*x));
  if (len > NUM_MAX_TEXT)
    return fo_err_set(FO_ELIMIT, "number text is too long (%zu bytes)", len);
  if (i < len && (s[i] == '+' || s[i] == '-'))
    x->neg = s[i++] == '-';
  x->d = malloc(len + 1);
  if (!x->d)
    return fo_err_set(FO_ENOMEM, "out of memory parsing a number");
  for (; i < len; i++) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      any = 1;
      if (nd == 0 && c == '0') { /* leading zero: shifts the point left after it */
        if (seen_point)
          point--;
        continue;
      }
      x->d[nd++] = c;
      if (!seen_point)
        point++;
    } else if (c == '.' && !seen_point) {
      seen_point = 1;
    } else {
      break;
    }
  }
  if (!any)
    goto bad;
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    int eneg = 0, edig = 0;
    i++;
    if (i < len && (s[i] == '+' || s[i] == '-'))
      eneg = s[i++] == '-';
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
      edig = 1;
      if (e < 100000000)
        e = e * 10 + (s[i] - '0');
    }
    if (!edig)
      goto bad;
    if (eneg)
      e = -e;
  }
  if (i != len)
    goto bad;
  while (nd > 0 && x->d[nd - 1] == '0')
    nd--;
  x->n = nd;
  x->d[nd] = 0;
  if (nd == 0) {
    x->neg = 0;
    x->exp = 0;
    return 0;
  }
  x->exp = point + e;
  if (x->exp > NUM_MAX_EXP || x->exp < -NUM_MAX_EXP || nd > NUM_MAX_DIGITS) {
    dec_dispose(x);
    return fo_err_set(FO_ELIMIT, "number '%.*s' is out of the supported range", (int)(len > 40 ? 40 : len), s);
  }
  return 0;
bad:
  dec_dispose(x);
  return fo_err_set(FO_EINVAL, "'%.*s' is not a number", (int)(len > 40 ? 40 : len), s);
}

/* `x` as "[-]0.<digits>e<exp>" for mpfr_strtofr; caller frees. */
static char *dec_sci(const dec *x) {
  size_t cap = x->n + 32;
  char *t = malloc(cap);
  if (t)
    snprintf(t, cap, "%s0.%.*se%ld", x->neg ? "-" : "", (int)x->n, x->d, x->exp);
  return t;
}

/* Replace `x` by MPFR's decimal digits of `v`: `n` digits rounded to nearest
 * (ties to even), trailing zeros dropped. */
static int dec_from_mpfr(dec *x, mpfr_t v, size_t n) {
  mpfr_exp_t e = 0;
  char *str = mpfr_get_str(NULL, &e, 10, n, v, MPFR_RNDN), *d;
  size_t len;
  if (!str)
    return fo_err_set(FO_ENOMEM, "out of memory formatting a number");
  d = str + (str[0] == '-');
  len = strlen(d);
  while (len > 0 && d[len - 1] == '0')
    len--;
  if (len > x->n) { /* more digits than before: only when rounding carried */
    char *nd = realloc(x->d, len + 1);
    if (!nd) {
      mpfr_free_str(str);
      return fo_err_set(FO_ENOMEM, "out of memory formatting a number");
    }
    x->d = nd;
  }
  memcpy(x->d, d, len);
  x->d[len] = 0;
  x->n = len;
  x->exp = len ? (long)e : 0;
  if (!len)
    x->neg = 0;
  mpfr_free_str(str);
  return 0;
}

/* 1 when `n` digits of `v` read back as `v` at NUM_PREC bits. */
static int mpfr_digits_read_back(mpfr_t v, size_t n) {
  mpfr_exp_t e = 0;
  char *str = mpfr_get_str(NULL, &e, 10, n, v, MPFR_RNDN), *t;
  size_t cap;
  mpfr_t back;
  int same = 0;
  if (!str)
    return 0;
  cap = strlen(str) + 32;
  if ((t = malloc(cap))) {
    snprintf(t, cap, "%s0.%se%ld", str[0] == '-' ? "-" : "", str + (str[0] == '-'), (long)e);
    mpfr_init2(back, NUM_PREC);
    mpfr_strtofr(back, t, NULL, 10, MPFR_RNDN);
    same = mpfr_equal_p(back, v);
    mpfr_clear(back);
    free(t);
  }
  mpfr_free_str(str);
  return same;
}

/* go-cty's value of a decimal: round `x` to 512 bits, then to the shortest
 * decimal that reads back as that value (Text('f', -1)). `digits` 0; else
 * `digits` significant digits of the 512-bit value (String()'s %.10g). */
static int dec_round_512(dec *x, size_t digits) {
  char *sci;
  mpfr_t v;
  int err;
  if (x->n == 0 || (digits == 0 && x->n <= NUM_EXACT_DIGITS))
    return 0;
  if (!(sci = dec_sci(x)))
    return fo_err_set(FO_ENOMEM, "out of memory parsing a number");
  mpfr_init2(v, NUM_PREC);
  mpfr_strtofr(v, sci, NULL, 10, MPFR_RNDN);
  free(sci);
  if (digits == 0) {
    /* reading back is monotonic in the digit count: search for the least */
    size_t lo = 1, hi = NUM_PREC_DIGITS;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (mpfr_digits_read_back(v, mid))
        hi = mid;
      else
        lo = mid + 1;
    }
    digits = lo;
  }
  err = dec_from_mpfr(x, v, digits);
  mpfr_clear(v);
  return err;
}

/* Plain decimal text as big.Float.Text('f', -1) prints it. */
static int dec_text(const dec *x, char **out) {
  size_t cap, k = 0;
  char *t;
  long i;
  *out = NULL;
  if (x->n == 0) {
    *out = strdup("0");
    return *out ? 0 : fo_err_set(FO_ENOMEM, "out of memory formatting a number");
  }
  cap = x->n + (size_t)labs(x->exp) + 4;
  t = malloc(cap);
  if (!t)
    return fo_err_set(FO_ENOMEM, "out of memory formatting a number");
  if (x->neg)
    t[k++] = '-';
  if (x->exp <= 0) {
    t[k++] = '0';
    t[k++] = '.';
    for (i = 0; i < -x->exp; i++)
      t[k++] = '0';
    memcpy(t + k, x->d, x->n);
    k += x->n;
  } else if ((size_t)x->exp >= x->n) {
    memcpy(t + k, x->d, x->n);
    k += x->n;
    for (i = (long)x->n; i < x->exp; i++)
      t[k++] = '0';
  } else {
    memcpy(t + k, x->d, (size_t)x->exp);
    k += (size_t)x->exp;
    t[k++] = '.';
    memcpy(t + k, x->d + x->exp, x->n - (size_t)x->exp);
    k += x->n - (size_t)x->exp;
  }
  t[k] = 0;
  *out = t;
  return 0;
}

/* Exact decimal expansion of a finite double (glibc prints exactly). */
static int dec_from_double_exact(dec *x, double d) {
  char buf[800];
  int n = snprintf(buf, sizeof(buf), "%.766e", d);
  if (n < 0 || (size_t)n >= sizeof(buf))
    return fo_err_set(FO_ERR, "cannot format a double");
  return dec_parse(x, buf, (size_t)n);
}

/* Shortest decimal that reads back as `d` (what Go's Text('f', -1) uses for
 * a 53-bit float). */
static int dec_from_double_shortest(dec *x, double d) {
  char buf[40];
  int n = 0;
  for (int p = 1; p <= 17; p++) {
    n = snprintf(buf, sizeof(buf), "%.*e", p - 1, d);
    if (strtod(buf, NULL) == d)
      break;
  }
  return dec_parse(x, buf, (size_t)n);
}

static int dec_from_value(dec *x, const fo_cty_value *v) {
  switch (v->u.num.kind) {
    case FO_NUM_INT: {
      char buf[32];
      int n = snprintf(buf, sizeof(buf), "%" PRId64, v->u.num.i);
      return dec_parse(x, buf, (size_t)n);
    }
    case FO_NUM_DOUBLE:
      return dec_from_double_exact(x, v->u.num.d);
    default:
      return dec_parse(x, v->u.num.text, strlen(v->u.num.text));
  }
}

/* int64 value of an integral decimal, or 0 when it does not fit. */
static int dec_to_int64(const dec *x, int64_t *out) {
  uint64_t acc = 0, limit;
  if (x->n == 0) {
    *out = 0;
    return 1;
  }
  if (x->exp < (long)x->n || x->exp > 19)
    return 0;
  limit = x->neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for (long i = 0; i < x->exp; i++) {
    unsigned dig = i < (long)x->n ? (unsigned)(x->d[i] - '0') : 0;
    if (acc > (limit - dig) / 10)
      return 0;
    acc = acc * 10 + dig;
  }
  if (x->neg)
    *out = acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc;
  else
    *out = (int64_t)acc;
  return 1;
}

static int dec_equal(const dec *a, const dec *b) {
  return a->neg == b->neg && a->n == b->n && a->exp == b->exp && memcmp(a->d, b->d, a->n) == 0;
}

/* 1 and *out set when the non-integral decimal is exactly a double. */
static int dec_to_exact_double(const dec *x, const char *text, double *out) {
  dec back;
  int same;
  double d;
  /* A non-integral dyadic decimal always ends in 5 (it is m / 2^k). */
  if (x->n == 0 || x->d[x->n - 1] != '5' || x->n > 767)
    return 0;
  d = strtod(text, NULL);
  if (!isfinite(d) || dec_from_double_exact(&back, d) < 0)
    return 0;
  same = dec_equal(x, &back);
  dec_dispose(&back);
  if (same)
    *out = d;
  return same;
}

static fo_cty_value *number_alloc(void) {
  return fo_cty__value_alloc(fo_cty_type_number(), FO_V_KNOWN);
}

fo_cty_value *fo_cty_number_int(int64_t i) {
  char buf[32];
  fo_cty_value *v = number_alloc();
  if (!v)
    return NULL;
  snprintf(buf, sizeof(buf), "%" PRId64, i);
  v->u.num.kind = FO_NUM_INT;
  v->u.num.i = i;
  v->u.num.d = (double)i;
  v->u.num.text = strdup(buf);
  if (!v->u.num.text) {
    fo_cty_value_unref(v);
    fo_err_set(FO_ENOMEM, "out of memory allocating a number");
    return NULL;
  }
  return v;
}

/* A number from a parsed decimal (consumed). */
static fo_cty_value *number_from_dec(dec *x) {
  fo_cty_value *v = NULL;
  char *text = NULL;
  int64_t i;
  double d;
  if (dec_to_int64(x, &i)) {
    dec_dispose(x);
    return fo_cty_number_int(i);
  }
  if (dec_text(x, &text) < 0)
    goto done;
  v = number_alloc();
  if (!v)
    goto done;
  v->u.num.text = text;
  text = NULL;
  if (x->exp < (long)x->n && dec_to_exact_double(x, v->u.num.text, &d)) {
    v->u.num.kind = FO_NUM_DOUBLE;
    v->u.num.d = d;
  } else {
    v->u.num.kind = FO_NUM_DEC;
    v->u.num.d = strtod(v->u.num.text, NULL);
  }
done:
  free(text);
  dec_dispose(x);
  return v;
}

fo_cty_value *fo_cty_number_double(double d) {
  dec x;
  fo_cty_value *v;
  if (isnan(d)) {
    fo_err_set(FO_EINVAL, "NaN is not a number");
    return NULL;
  }
  if (isinf(d)) {
    v = number_alloc();
    if (!v)
      return NULL;
    v->u.num.kind = FO_NUM_DOUBLE;
    v->u.num.d = d;
    v->u.num.text = strdup(d > 0 ? "+Inf" : "-Inf");
    if (!v->u.num.text) {
      fo_cty_value_unref(v);
      fo_err_set(FO_ENOMEM, "out of memory allocating a number");
      return NULL;
    }
    return v;
  }
  if (d == 0)
    return fo_cty_number_int(0);
  if (d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
    return fo_cty_number_int((int64_t)d);
  if (d != floor(d)) {
    /* Non-integral: exact double, text is the shortest form (Go's 53-bit Text). */
    v = number_alloc();
    if (!v || dec_from_double_shortest(&x, d) < 0) {
      fo_cty_value_unref(v);
      return NULL;
    }
    v->u.num.kind = FO_NUM_DOUBLE;
    v->u.num.d = d;
    if (dec_text(&x, &v->u.num.text) < 0) {
      dec_dispose(&x);
      fo_cty_value_unref(v);
      return NULL;
    }
    dec_dispose(&x);
    return v;
  }
  /* Integral beyond int64: go-cty writes the shortest digits in plain form
   * (so 1e300 becomes 1 followed by 300 zeros). */
  if (dec_from_double_shortest(&x, d) < 0)
    return NULL;
  return number_from_dec(&x);
}

fo_cty_value *fo_cty__number_uint(uint64_t u) {
  char buf[32];
  dec x;
  if (u <= INT64_MAX)
    return fo_cty_number_int((int64_t)u);
  snprintf(buf, sizeof(buf), "%" PRIu64, u);
  if (dec_parse(&x, buf, strlen(buf)) < 0)
    return NULL;
  return number_from_dec(&x);
}

int fo_cty_number_parse(fo_cty_value **out, const char *text, size_t len) {
  dec x;
  int error;
  *out = NULL;
  if (!text)
    return fo_err_set(FO_EINVAL, "no number text");
  /* Go's big.ParseFloat also reads infinities. */
  if ((len == 3 || len == 4) &&
      (strncmp(text + (len == 4), "Inf", 3) == 0 || strncmp(text + (len == 4), "inf", 3) == 0) &&
      (len == 3 || text[0] == '+' || text[0] == '-')) {
    *out = fo_cty_number_double(text[0] == '-' ? -INFINITY : INFINITY);
    return *out ? 0 : FO_ENOMEM;
  }
  if ((error = dec_parse(&x, text, len)) < 0 || (error = dec_round_512(&x, 0)) < 0) {
    dec_dispose(&x);
    return error;
  }
  *out = number_from_dec(&x);
  return *out ? 0 : fo_err_set(FO_ENOMEM, "out of memory allocating a number");
}

int fo_cty_number_as_int64(const fo_cty_value *v, int64_t *out) {
  if (!v || v->state != FO_V_KNOWN || v->type->kind != FO_CTY_NUMBER || v->u.num.kind != FO_NUM_INT)
    return fo_err_set(FO_EINVAL, "number is not an integer that fits 64 bits");
  *out = v->u.num.i;
  return 0;
}

double fo_cty_number_as_double(const fo_cty_value *v) {
  if (!v || v->state != FO_V_KNOWN || v->type->kind != FO_CTY_NUMBER)
    return 0;
  return v->u.num.d;
}

const char *fo_cty_number_text(const fo_cty_value *v) {
  if (!v || v->state != FO_V_KNOWN || v->type->kind != FO_CTY_NUMBER)
    return NULL;
  return v->u.num.text;
}

static int dec_cmp(const dec *a, const dec *b) {
  int sign, c;
  size_t m;
  if (a->n == 0 || b->n == 0) {
    if (a->n == 0 && b->n == 0)
      return 0;
    if (a->n == 0)
      return b->neg ? 1 : -1;
    return a->neg ? -1 : 1;
  }
  if (a->neg != b->neg)
    return a->neg ? -1 : 1;
  sign = a->neg ? -1 : 1;
  if (a->exp != b->exp)
    return a->exp < b->exp ? -sign : sign;
  m = a->n < b->n ? a->n : b->n;
  c = memcmp(a->d, b->d, m);
  if (c == 0 && a->n != b->n)
    c = a->n < b->n ? -1 : 1;
  return c < 0 ? -sign : c > 0 ? sign : 0;
}

int fo_cty__number_cmp(const fo_cty_value *a, const fo_cty_value *b) {
  dec x, y;
  int c;
  const int ak = a->u.num.kind, bk = b->u.num.kind;
  if (ak == FO_NUM_INT && bk == FO_NUM_INT)
    return a->u.num.i < b->u.num.i ? -1 : a->u.num.i > b->u.num.i;
  if (ak == FO_NUM_DOUBLE && isinf(a->u.num.d)) {
    if (bk == FO_NUM_DOUBLE && b->u.num.d == a->u.num.d)
      return 0;
    return a->u.num.d > 0 ? 1 : -1;
  }
  if (bk == FO_NUM_DOUBLE && isinf(b->u.num.d))
    return b->u.num.d > 0 ? -1 : 1;
  if (ak == FO_NUM_DOUBLE && bk == FO_NUM_DOUBLE)
    return a->u.num.d < b->u.num.d ? -1 : a->u.num.d > b->u.num.d;
  if (dec_from_value(&x, a) < 0)
    return 0;
  if (dec_from_value(&y, b) < 0) {
    dec_dispose(&x);
    return 0;
  }
  c = dec_cmp(&x, &y);
  dec_dispose(&x);
  dec_dispose(&y);
  return c;
}

/* Round to `prec` significant digits, half to even on exact ties, as Go's
 * math/big decimal.round does; trailing zeros are trimmed. */
static void dec_round(dec *x, size_t prec) {
  int up;
  if (x->n <= prec)
    return;
  if (x->d[prec] == '5' && prec + 1 == x->n)
    up = prec > 0 && ((x->d[prec - 1] - '0') & 1);
  else
    up = x->d[prec] >= '5';
  x->n = prec;
  if (up) {
    size_t i = prec;
    while (i > 0 && x->d[i - 1] == '9')
      i--;
    if (i == 0) {
      x->d[0] = '1';
      x->n = 1;
      x->exp++;
    } else {
      x->d[i - 1]++;
      x->n = i;
    }
  }
  while (x->n > 0 && x->d[x->n - 1] == '0')
    x->n--;
  if (x->n == 0)
    x->exp = 0;
}

int fo_cty__number_gtext(const fo_cty_value *v, fo_buf *out) {
  dec x;
  int error;
  size_t prec = 10, eprec, i;
  long exp;
  if (v->u.num.kind == FO_NUM_DOUBLE && isinf(v->u.num.d))
    return fo_buf_puts(out, v->u.num.d > 0 ? "+Inf" : "-Inf");
  if ((error = dec_from_value(&x, v)) < 0)
    return error;
  /* Go rounds the binary value: exact for int64 and doubles (their decimal
   * expansion is exact, so rounding it is the same), 512 bits for the rest. */
  if (v->u.num.kind == FO_NUM_DEC) {
    if ((error = dec_round_512(&x, prec)) < 0)
      goto done;
  } else {
    dec_round(&x, prec);
  }
  if (x.neg && (error = fo_buf_puts(out, "-")) < 0)
    goto done;
  eprec = prec;
  if (eprec > x.n && (long)x.n >= x.exp)
    eprec = x.n;
  exp = x.exp - 1;
  if (exp < -4 || exp >= (long)eprec) {
    /* %e form: d.ddde+XX */
    long e = x.n ? exp : 0;
    if (prec > x.n)
      prec = x.n;
    if ((error = fo_buf_append(out, x.n ? x.d : "0", 1)) < 0)
      goto done;
    if (prec > 1) {
      if ((error = fo_buf_puts(out, ".")) < 0)
        goto done;
      for (i = 1; i < prec; i++)
        if ((error = fo_buf_append(out, i < x.n ? &x.d[i] : "0", 1)) < 0)
          goto done;
    }
    error = fo_buf_printf(out, "e%c%s%ld", e < 0 ? '-' : '+', labs(e) < 10 ? "0" : "", labs(e));
    goto done;
  }
  /* %f form with max(prec - exp, 0) fractional digits */
  if ((long)prec > x.exp)
    prec = x.n;
  {
    long frac = (long)prec - x.exp > 0 ? (long)prec - x.exp : 0;
    if (x.exp > 0) {
      for (long k = 0; k < x.exp; k++)
        if ((error = fo_buf_append(out, k < (long)x.n ? &x.d[k] : "0", 1)) < 0)
          goto done;
    } else if ((error = fo_buf_puts(out, "0")) < 0) {
      goto done;
    }
    if (frac > 0) {
      if ((error = fo_buf_puts(out, ".")) < 0)
        goto done;
      for (long k = 1; k <= frac; k++) {
        long at = x.exp + k - 1;
        if ((error = fo_buf_append(out, at >= 0 && at < (long)x.n ? &x.d[at] : "0", 1)) < 0)
          goto done;
      }
    }
  }
done:
  dec_dispose(&x);
  return error;
}
