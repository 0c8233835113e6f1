/* counterpart(value, from_region, to_region): the name of the same thing in
 * the other region: region names, AZ names, ARNs, endpoints and names that
 * contain the region. */
#include <string.h>

#include "fo_err.h"
#include "fo_functions.h"
#include "fo_validators.h"

#define COUNTERPART_MAX_LEN 4096

static int is_alnum_lower(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Appends `value` with every whole occurrence of `from` replaced by `to`. An
 * occurrence is whole when not preceded by [a-z0-9] and not followed by a
 * digit (so "us-east-1a" matches us-east-1, "us-east-10" does not). */
static int replace_all(const char *value, size_t len, const char *from, const char *to, fo_buf *out, size_t *count) {
  size_t flen = strlen(from), i = 0;
  int error;
  *count = 0;
  while (i < len) {
    if (len - i >= flen && memcmp(value + i, from, flen) == 0 && (i == 0 || !is_alnum_lower(value[i - 1])) &&
        !(i + flen < len && value[i + flen] >= '0' && value[i + flen] <= '9')) {
      if ((error = fo_buf_puts(out, to)) < 0)
        return error;
      i += flen;
      (*count)++;
      continue;
    }
    if ((error = fo_buf_append(out, value + i, 1)) < 0)
      return error;
    i++;
  }
  return FO_OK;
}

int fo_counterpart(const char *value, const char *from_region, const char *to_region, fo_buf *out, long *bad_arg) {
  size_t len = strlen(value), count = 0;
  int error;

  *bad_arg = -1;
  if (!fo_is_region_name(from_region)) {
    *bad_arg = 1;
    return fo_err_set(FO_EINVAL, "from_region \"%s\" is not an AWS region name such as \"us-east-1\"", from_region);
  }
  if (!fo_is_region_name(to_region)) {
    *bad_arg = 2;
    return fo_err_set(FO_EINVAL, "to_region \"%s\" is not an AWS region name such as \"us-east-2\"", to_region);
  }
  if (len > COUNTERPART_MAX_LEN) {
    *bad_arg = 0;
    return fo_err_set(FO_EINVAL, "value is %zu bytes long; at most %d are accepted", len, COUNTERPART_MAX_LEN);
  }
  if (strncmp(value, "arn:", 4) == 0) {
    /* arn:partition:service:region:account:resource — the region field must be
     * from_region, or empty for global services whose names carry the region. */
    const char *p = value;
    const char *region = NULL, *region_end = NULL;
    for (int field = 0; field < 3 && p; field++) { /* skip arn, partition, service */
      p = strchr(p, ':');
      if (p)
        p++;
    }
    if (p) {
      region = p;
      region_end = strchr(p, ':');
    }
    if (!region || !region_end) {
      *bad_arg = 0;
      return fo_err_set(FO_EINVAL, "\"%s\" is not a valid ARN (arn:partition:service:region:account:resource)", value);
    }
    if (region_end != region &&
        ((size_t)(region_end - region) != strlen(from_region) || memcmp(region, from_region, strlen(from_region)))) {
      *bad_arg = 0;
      return fo_err_set(FO_EINVAL, "the ARN \"%s\" is in region \"%.*s\", not in from_region \"%s\"", value,
                        (int)(region_end - region), region, from_region);
    }
  }
  if ((error = replace_all(value, len, from_region, to_region, out, &count)) < 0)
    return error;
  if (count == 0) {
    *bad_arg = 0;
    return fo_err_set(FO_EINVAL, "\"%s\" does not contain the region \"%s\", so it has no counterpart in \"%s\"", value,
                      from_region, to_region);
  }
  return FO_OK;
}

static int counterpart_call(const fo_cty_value *const *args, size_t n_args, fo_cty_value **out, fo_func_error *err) {
  fo_buf b = FO_BUF_INIT;
  long bad = -1;
  int error;
  if (n_args != 3)
    return fo_func_fail(err, -1, "counterpart takes 3 arguments, got %zu", n_args);
  error = fo_counterpart(fo_cty_as_string(args[0], NULL), fo_cty_as_string(args[1], NULL),
                         fo_cty_as_string(args[2], NULL), &b, &bad);
  if (error < 0) {
    fo_buf_dispose(&b);
    return fo_func_fail(err, bad, "%s", fo_err_last());
  }
  *out = fo_cty_string(b.data ? b.data : "", b.len);
  fo_buf_dispose(&b);
  return *out ? FO_OK : fo_func_fail(err, -1, "%s", fo_err_last());
}

static const fo_func_param counterpart_params[] = {
    {.name = "value",
     .type = "\"string\"",
     .description = "A region name, AZ name, ARN, endpoint hostname or name that contains from_region."},
    {.name = "from_region", .type = "\"string\"", .description = "The region that occurs in value."},
    {.name = "to_region", .type = "\"string\"", .description = "The region to translate value to."},
};

const fo_function fo_counterpart_function = {
    .name = "counterpart",
    .summary = "The same name, ARN or endpoint in the other region",
    .description =
        "Replaces every whole occurrence of `from_region` in `value` by `to_region`: "
        "`us-east-1` → `us-east-2`, AZ `us-east-1a` → `us-east-2a`, "
        "`arn:aws:eks:us-east-1:123456789012:cluster/x` → `arn:aws:eks:us-east-2:123456789012:cluster/x`, "
        "`eks.us-east-1.amazonaws.com` → `eks.us-east-2.amazonaws.com`, `my-bucket-us-east-1` → "
        "`my-bucket-us-east-2`. It is an error when `value` does not contain `from_region`, or is an ARN "
        "in a different region, so a standby never silently points at the primary.",
    .params = counterpart_params,
    .n_params = FO_COUNT(counterpart_params),
    .return_type = "\"string\"",
    .call = counterpart_call,
};
