/* URI encoding, hashing and time formatting for the AWS client. Dates are
 * parsed by the C library (strptime, timegm) and libcurl (curl_getdate). */
#define _XOPEN_SOURCE 700 /* strptime */
#include "fo_aws_enc.h"
#include "fo_err.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
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

/* Struct tm fields as strptime filled them, checked the way strptime does not:
 * it accepts out-of-range days such as 31 February only to normalise them. */
static int tm_valid(const struct tm *tm) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return tm->tm_mon >= 0 && tm->tm_mon < 12 && tm->tm_mday >= 1 && tm->tm_mday <= mdays[tm->tm_mon] &&
         tm->tm_hour <= 23 && tm->tm_min <= 59 && tm->tm_sec <= 60;
}

int fo_aws_parse_time(time_t *out, const char *s) {
  struct tm tm;
  const char *p;
  long off = 0;
  time_t t;

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
  /* strptime skips leading blanks and takes short fields; AWS timestamps
   * have neither, so the fixed shape is checked first. */
  memset(&tm, 0, sizeof(tm));
  if (strlen(s) < 19 || !isdigit((unsigned char)s[0]) || s[4] != '-' || s[10] != 'T' ||
      !(p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) || p != s + 19 || !tm_valid(&tm))
    return fo_err_set(FO_EINVAL, "bad timestamp '%.40s'", s);
  if (*p == '.')
    for (p++; isdigit((unsigned char)*p); p++) {
    }
  if (*p == 'Z' || *p == 'z') {
    p++;
  } else if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) && p[3] == ':' &&
             isdigit((unsigned char)p[4]) && isdigit((unsigned char)p[5])) {
    off =
        (((p[1] - '0') * 10 + (p[2] - '0')) * 3600L + ((p[4] - '0') * 10 + (p[5] - '0')) * 60L) * (*p == '+' ? 1 : -1);
    p += 6;
  } else if (*p) {
    return fo_err_set(FO_EINVAL, "bad timestamp offset in '%.40s'", s);
  }
  if (*p)
    return fo_err_set(FO_EINVAL, "bad timestamp '%.40s'", s);
  if ((t = timegm(&tm)) == (time_t)-1)
    return fo_err_set(FO_EINVAL, "bad timestamp '%.40s'", s);
  *out = t - off;
  return 0;
}

int fo_aws_parse_http_date(time_t *out, const char *s) {
  /* curl_getdate reads the three HTTP date forms (RFC 1123, RFC 850, asctime) */
  time_t t = s && *s ? curl_getdate(s, NULL) : -1;
  if (t < 0)
    return fo_err_set(FO_EINVAL, "bad HTTP date '%.40s'", s ? s : "");
  *out = t;
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
