/* One-value secret files: fo_file_read plus trimming and the emptiness check. */
#include "fo_aws_file.h"
#include "fo_err.h"
#include "fo_file.h"

int fo_aws_file_read_token(char **out, const char *path, size_t max, const char *what) {
  fo_buf b;
  int err;
  *out = NULL;
  if ((err = fo_file_read(&b, path, max)) < 0)
    return fo_err_wrap(err == FO_ENOTFOUND ? FO_EIO : err, "%s", what);
  while (b.len > 0 && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r' || b.data[b.len - 1] == ' '))
    b.data[--b.len] = '\0';
  if (b.len == 0) {
    fo_buf_wipe(&b);
    return fo_err_set(FO_EINVAL, "%s '%s' is empty", what, path);
  }
  *out = fo_buf_detach(&b, NULL);
  return 0;
}
