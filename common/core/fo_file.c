/* Bounded whole-file reads; one implementation for every module that loads a local file. */
#include "fo_file.h"
#include "fo_err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int fo_file_read(fo_buf *out, const char *path, size_t max) {
  char chunk[4096];
  struct stat st;
  FILE *f;
  size_t n;
  int err = 0;

  fo_buf_init(out, max);
  if (!(f = fopen(path, "rb")))
    return fo_err_set(errno == ENOENT ? FO_ENOTFOUND : FO_EIO, "cannot read '%s': %s", path, strerror(errno));
  /* A directory opens fine on Linux: refuse everything but regular files and
   * character devices (AWS_CONFIG_FILE=/dev/null is how users switch a file
   * off, as with the SDKs; an endless device stops at `max` below). */
  if (fstat(fileno(f), &st) != 0 || !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))) {
    err = fo_err_set(FO_EIO, "cannot read '%s': not a regular file", path);
    goto done;
  }
  if ((unsigned long long)st.st_size > (unsigned long long)max) {
    err = FO_ELIMIT;
    goto done;
  }
  /* the size can change under us: the buffer's own bound still holds while reading */
  while (err == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    err = fo_buf_append(out, chunk, n);
  if (err == 0 && ferror(f))
    err = fo_err_set(FO_EIO, "cannot read '%s': %s", path, strerror(errno));
  if (err == 0)
    err = fo_buf_append(out, "", 0);
done:
  fclose(f);
  memset(chunk, 0, sizeof(chunk));
  if (err < 0) {
    fo_buf_wipe(out);
    fo_buf_init(out, max);
    if (err == FO_ELIMIT)
      err = fo_err_set(FO_ELIMIT, "'%s' is larger than %zu bytes", path, max);
  }
  return err;
}
