/* Bounded reads of small local files holding secrets. */
#include "fo_aws_file.h"
#include "fo_aws_enc.h"
#include "fo_err.h"

#include <errno.h>
#include <stdio.h>

int fo_aws_file_read(fo_buf *out, const char *path, size_t max)
{
  char chunk[4096];
  size_t n;
  FILE *f;
  int err = 0;

  fo_buf_init(out, max);
  if (!(f = fopen(path, "rb"))) {
    if (errno == ENOENT)
      return fo_err_set(FO_ENOTFOUND, "'%s' does not exist", path);
    return fo_err_set(FO_EIO, "cannot read '%s'", path);
  }
  while (err == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    err = fo_buf_append(out, chunk, n);
  if (err == 0 && ferror(f))
    err = fo_err_set(FO_EIO, "cannot read '%s'", path);
  fclose(f);
  fo_aws_wipe(chunk, sizeof(chunk));
  if (err == 0)
    err = fo_buf_append(out, "", 0);
  if (err < 0) {
    fo_buf_wipe(out);
    return err == FO_ELIMIT ? fo_err_set(FO_ELIMIT, "'%s' is larger than %zu bytes", path, max) : err;
  }
  return 0;
}

int fo_aws_file_read_token(char **out, const char *path, size_t max, const char *what)
{
  fo_buf b;
  int err;
  *out = NULL;
  if ((err = fo_aws_file_read(&b, path, max)) < 0)
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
