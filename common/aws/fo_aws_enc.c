/* URI encoding, hashing and time formatting for the AWS client. */
#include "fo_aws_enc.h"
#include "fo_err.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

static int is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

int fo_aws_uri_encode(fo_buf *out, const char *s, size_t len, int keep_slash) {
  static const char hexd[] = "0123456789ABCDEF";
  size_t i;
  int err = 0;

  for (i = 0; i < len && err == 0; i++) {
    unsigned char c = (unsigned char)s[i];
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      err = fo_buf_append(out, &s[i], 1);
    } else {
      char enc[3] = {'%', hexd[c >> 4], hexd[c & 15]};
      err = fo_buf_append(out, enc, 3);
    }
  }
  return err;
}

int fo_aws_form_append(fo_buf *b, const char *key, const char *value) {
  int err;
  if (b->len > 0 && (err = fo_buf_append(b, "&", 1)) < 0)
    return err;
  if ((err = fo_aws_uri_encode(b, key, strlen(key), 0)) < 0 || (err = fo_buf_append(b, "=", 1)) < 0)
    return err;
  return fo_aws_uri_encode(b, value ? value : "", value ? strlen(value) : 0, 0);
}

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

int fo_aws_uri_decode(fo_buf *out, const char *s, size_t len) {
  size_t i;
  int err = 0;

  /* Make sure the buffer holds a string even when the input is empty. */
  if ((err = fo_buf_append(out, "", 0)) < 0)
    return err;
  for (i = 0; i < len && err == 0; i++) {
    int hi, lo;
    if (s[i] == '%' && i + 2 < len && (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
      char c = (char)(hi * 16 + lo);
      err = fo_buf_append(out, &c, 1);
      i += 2;
    } else {
      err = fo_buf_append(out, &s[i], 1);
    }
  }
  return err;
}

void fo_aws_hex(char *out, const unsigned char *in, size_t len) {
  static const char hexd[] = "0123456789abcdef";
  size_t i;
  for (i = 0; i < len; i++) {
    out[2 * i] = hexd[in[i] >> 4];
    out[2 * i + 1] = hexd[in[i] & 15];
  }
  out[2 * len] = '\0';
}

void fo_aws_hmac_sha256(unsigned char out[32], const void *key, size_t key_len, const void *msg, size_t msg_len) {
  unsigned int outlen = 32;
  HMAC(EVP_sha256(), key, (int)key_len, msg, msg_len, out, &outlen);
}

void fo_aws_amz_date(char out[17], time_t t) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), without timegm(). */
static long days_from_civil(long y, long m, long d) {
  long era, yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int fo_aws_parse_time(time_t *out, const char *s) {
  int y, mo, d, h, mi, sec, n = 0;
  const char *p;

  if (!s || !*s)
    return fo_err_set(FO_EINVAL, "empty timestamp");
  /* Epoch seconds, possibly with a fraction (EKS/Backup JSON use doubles). */
  if (isdigit((unsigned char)s[0])) {
    char *end = NULL;
    double v = strtod(s, &end);
    if (end && *end == '\0' && v >= 0 && v < 1e11) {
      *out = (time_t)v;
      return 0;
    }
  }
  if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n < 19)
    return fo_err_set(FO_EINVAL, "bad timestamp '%.40s'", s);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
    return fo_err_set(FO_EINVAL, "bad timestamp '%.40s'", s);
  p = s + n;
  if (*p == '.')
    for (p++; isdigit((unsigned char)*p); p++) {
    }
  if (*p == 'Z' || *p == 'z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    int oh = 0, om = 0, k = 0;
    if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2)
      return fo_err_set(FO_EINVAL, "bad timestamp offset in '%.40s'", s);
    long off = (oh * 3600L + om * 60L) * (*p == '+' ? 1 : -1);
    p += 1 + k;
    if (*p)
      return fo_err_set(FO_EINVAL, "bad timestamp '%.40s'", s);
    *out = (time_t)(days_from_civil(y, mo, d) * 86400L + h * 3600L + mi * 60L + sec - off);
    return 0;
  }
  if (*p)
    return fo_err_set(FO_EINVAL, "bad timestamp '%.40s'", s);
  *out = (time_t)(days_from_civil(y, mo, d) * 86400L + h * 3600L + mi * 60L + sec);
  return 0;
}

int fo_aws_parse_http_date(time_t *out, const char *s) {
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  char wd[4], mon[4];
  int d, y, h, mi, sec;
  const char *m;
  if (!s || sscanf(s, "%3s, %d %3s %d %d:%d:%d GMT", wd, &d, mon, &y, &h, &mi, &sec) != 7 ||
      !(m = strstr(months, mon)) || (m - months) % 3 != 0 || strlen(mon) != 3 || d < 1 || d > 31 || h > 23 || mi > 59 ||
      sec > 60 || y < 1970)
    return fo_err_set(FO_EINVAL, "bad HTTP date '%.40s'", s ? s : "");
  *out = (time_t)(days_from_civil(y, (m - months) / 3 + 1, d) * 86400L + h * 3600L + mi * 60L + sec);
  return 0;
}

void fo_aws_wipe(void *p, size_t len) {
  volatile unsigned char *v = p;
  while (len--)
    *v++ = 0;
}

void fo_aws_free_secret(char *s) {
  if (!s)
    return;
  fo_aws_wipe(s, strlen(s));
  free(s);
}
