#include "fo_validators.h"

#include <string.h>

#include "fo_err.h"

static const char *str_of(const fo_cty_value *v) {
  if (fo_cty_value_kind(v) != FO_CTY_STRING)
    return NULL;
  return fo_cty_as_string(v, NULL);
}

void fo_validate_one_of(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d) {
  const char *const *allowed = arg;
  const char *s = str_of(v);
  fo_buf list = FO_BUF_INIT;
  if (!s)
    return;
  for (size_t i = 0; allowed[i]; i++)
    if (strcmp(s, allowed[i]) == 0)
      return;
  for (size_t i = 0; allowed[i]; i++)
    fo_buf_printf(&list, "%s\"%s\"", i ? ", " : "", allowed[i]);
  fo_diags_error(d, path, "Invalid value", "'%s' is not allowed here; expected one of %s", s,
                 list.data ? list.data : "(none)");
  fo_buf_dispose(&list);
}

void fo_validate_length(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d) {
  const size_t *lim = arg;
  size_t len = 0;
  if (fo_cty_value_kind(v) != FO_CTY_STRING)
    return;
  fo_cty_as_string(v, &len);
  if (len < lim[0])
    fo_diags_error(d, path, "Value too short", "must be at least %zu characters long, got %zu", lim[0], len);
  else if (lim[1] && len > lim[1])
    fo_diags_error(d, path, "Value too long", "must be at most %zu characters long, got %zu", lim[1], len);
}

void fo_validate_int_range(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d) {
  const int64_t *lim = arg;
  int64_t i = 0;
  if (fo_cty_value_kind(v) != FO_CTY_NUMBER)
    return;
  if (fo_cty_number_as_int64(v, &i) < 0 || i < lim[0] || i > lim[1])
    fo_diags_error(d, path, "Value out of range", "must be a whole number from %lld to %lld, got %s", (long long)lim[0],
                   (long long)lim[1], fo_cty_number_text(v));
}

static int is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

int fo_is_url(const char *s) {
  const char *p;
  size_t host = 0;
  if (strncmp(s, "https://", 8) == 0)
    p = s + 8;
  else if (strncmp(s, "http://", 7) == 0)
    p = s + 7;
  else
    return 0;
  if (*p == '[') { /* IPv6 literal */
    const char *end = strchr(p, ']');
    if (!end || end == p + 1)
      return 0;
    host = (size_t)(end - p);
    p = end + 1;
  } else {
    while (is_host_char(*p)) {
      p++;
      host++;
    }
  }
  if (!host)
    return 0;
  if (*p == ':') {
    size_t digits = 0;
    p++;
    while (*p >= '0' && *p <= '9') {
      p++;
      digits++;
    }
    if (!digits || digits > 5)
      return 0;
  }
  if (*p && *p != '/')
    return 0;
  for (; *p; p++)
    if ((unsigned char)*p <= ' ' || *p == 0x7f)
      return 0;
  return 1;
}

void fo_validate_url(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d) {
  const char *s = str_of(v);
  (void)arg;
  if (s && !fo_is_url(s))
    fo_diags_error(d, path, "Invalid URL",
                   "'%s' is not an http:// or https:// URL with a host (e.g. https://route53.amazonaws.com)", s);
}

/* <2 letters>[-gov|-iso|-isob|-isoe|-isof]-<direction>-<1..2 digits> */
int fo_is_region_name(const char *s) {
  static const char *const dirs[] = {"north",     "south",     "east",      "west",      "central",
                                     "northeast", "northwest", "southeast", "southwest", NULL};
  static const char *const parts[] = {"-gov", "-isob", "-isoe", "-isof", "-iso", NULL};
  const char *p = s, *num;
  size_t i, digits = 0;
  if (!(p[0] >= 'a' && p[0] <= 'z' && p[1] >= 'a' && p[1] <= 'z'))
    return 0;
  p += 2;
  for (i = 0; parts[i]; i++) {
    size_t n = strlen(parts[i]);
    if (strncmp(p, parts[i], n) == 0 && p[n] == '-') {
      p += n;
      break;
    }
  }
  if (*p++ != '-')
    return 0;
  for (i = 0; dirs[i]; i++) {
    size_t n = strlen(dirs[i]);
    if (strncmp(p, dirs[i], n) == 0 && p[n] == '-') {
      p += n + 1;
      break;
    }
  }
  if (!dirs[i])
    return 0;
  num = p;
  while (*p >= '0' && *p <= '9') {
    p++;
    digits++;
  }
  return *p == '\0' && digits >= 1 && digits <= 2 && *num != '0';
}

void fo_validate_region(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d) {
  const char *s = str_of(v);
  (void)arg;
  if (s && !fo_is_region_name(s))
    fo_diags_error(d, path, "Invalid AWS region", "'%s' is not an AWS region name such as \"us-east-1\"", s);
}

void fo_validate_role_arn(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d) {
  const char *s = str_of(v), *p;
  int ok = 0;
  (void)arg;
  if (!s)
    return;
  if (strncmp(s, "arn:", 4) == 0) {
    p = strchr(s + 4, ':'); /* after the partition */
    if (p && p > s + 4 && strncmp(p, ":iam::", 6) == 0) {
      size_t digits = 0;
      p += 6;
      while (p[digits] >= '0' && p[digits] <= '9')
        digits++;
      ok = digits == 12 && strncmp(p + 12, ":role/", 6) == 0 && p[18] != '\0';
    }
  }
  if (!ok)
    fo_diags_error(d, path, "Invalid role ARN",
                   "'%s' is not an IAM role ARN such as \"arn:aws:iam::123456789012:role/failover\"", s);
}

int fo_parse_duration(const char *s, int64_t *seconds_out) {
  int64_t total = 0;
  const char *p = s;
  if (!*p)
    return fo_err_set(FO_EINVAL, "empty duration");
  while (*p) {
    int64_t n = 0, mult;
    size_t digits = 0;
    while (*p >= '0' && *p <= '9') {
      if (n > 1000000000)
        return fo_err_set(FO_EINVAL, "duration '%s' is too long", s);
      n = n * 10 + (*p - '0');
      p++;
      digits++;
    }
    if (!digits)
      return fo_err_set(FO_EINVAL, "duration '%s' needs a number before each unit", s);
    if (*p == 'h')
      mult = 3600;
    else if (*p == 'm')
      mult = 60;
    else if (*p == 's')
      mult = 1;
    else
      return fo_err_set(FO_EINVAL, "duration '%s' needs a unit (h, m or s) after %lld", s, (long long)n);
    p++;
    total += n * mult;
    if (total > (int64_t)100000 * 3600)
      return fo_err_set(FO_EINVAL, "duration '%s' is too long", s);
  }
  *seconds_out = total;
  return FO_OK;
}

void fo_validate_duration(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d) {
  const char *s = str_of(v);
  int64_t secs;
  (void)arg;
  if (s && fo_parse_duration(s, &secs) < 0)
    fo_diags_error(d, path, "Invalid duration", "%s; write it like \"30m\", \"1h30m\" or \"90s\"", fo_err_last());
}
