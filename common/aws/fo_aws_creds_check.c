/* Checks on outside values (endpoint answers, environment, cache files) before they reach a header, a URL or a
 * path; see fo_aws_creds_parse.h. */
#include "fo_aws_creds_parse.h"
#include "fo_err.h"

#include <string.h>

int fo_aws_check_header_value(const char *v, size_t max, const char *what) {
  size_t i, n = v ? strlen(v) : 0;
  if (n == 0)
    return fo_err_set(FO_EINVAL, "%s is empty", what);
  if (n > max)
    return fo_err_set(FO_EINVAL, "%s is longer than %zu bytes", what, max);
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    if (c < 0x20 || c > 0x7e)
      return fo_err_set(FO_EINVAL, "%s is not a valid header value: byte %zu is 0x%02x", what, i + 1, c);
  }
  return 0;
}

static int segment_char(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("+=,.@_-", c);
}

int fo_aws_check_path_segment(const char *v, size_t max, const char *what) {
  size_t i, n = v ? strlen(v) : 0;
  if (n == 0)
    return fo_err_set(FO_EINVAL, "%s is empty", what);
  if (n > max)
    return fo_err_set(FO_EINVAL, "%s is longer than %zu bytes", what, max);
  if (strcmp(v, ".") == 0 || strcmp(v, "..") == 0)
    return fo_err_set(FO_EINVAL, "%s '%s' is not a name", what, v);
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    if (!c || !segment_char(c)) {
      if (c > 0x20 && c < 0x7f)
        return fo_err_set(FO_EINVAL, "%s is not one path segment: byte %zu is '%c' (allowed: A-Z a-z 0-9 +=,.@_-)",
                          what, i + 1, c);
      return fo_err_set(FO_EINVAL, "%s is not one path segment: byte %zu is 0x%02x", what, i + 1, c);
    }
  }
  return 0;
}

int fo_aws_check_url(const char *v, int check_authority, const char *what) {
  const char *auth, *end;
  size_t i, n = v ? strlen(v) : 0;
  if (n == 0)
    return fo_err_set(FO_EINVAL, "%s is empty", what);
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    if (c <= 0x20 || c >= 0x7f || c == '\\')
      return fo_err_set(FO_EINVAL, "%s is not a valid URL: byte %zu is 0x%02x", what, i + 1, c);
  }
  if (check_authority) {
    if (!(auth = strstr(v, "://")))
      return fo_err_set(FO_EINVAL, "%s '%s' is not an absolute URL", what, v);
    auth += 3;
    end = auth + strcspn(auth, "/?#");
    if (memchr(auth, '@', (size_t)(end - auth)))
      return fo_err_set(FO_EINVAL, "%s has user info ('@') in its host part", what); /* may be a password */
  }
  return 0;
}
