/* Bounded whole-file reads; one implementation for every module that loads a local file. */
#include "fo_file.h"
#include "fo_err.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *fo_file_kind(unsigned int m) {
  if (S_ISDIR(m))
    return "is a directory";
  if (S_ISFIFO(m))
    return "is a FIFO";
  if (S_ISCHR(m))
    return "is a character device";
  if (S_ISBLK(m))
    return "is a block device";
  if (S_ISSOCK(m))
    return "is a socket";
  return "unknown type";
}

/* /dev/null is how users switch a config file off (AWS_CONFIG_FILE=/dev/null, as with the SDKs): it reads as an
 * empty file. Compared by device number so a link to it counts too. */
static int is_dev_null(const struct stat *st) {
  struct stat null_st;
  return S_ISCHR(st->st_mode) && stat("/dev/null", &null_st) == 0 && S_ISCHR(null_st.st_mode) &&
         st->st_rdev == null_st.st_rdev;
}

int fo_file_read(fo_buf *out, const char *path, size_t max) {
  char chunk[4096];
  struct stat st;
  ssize_t n;
  int fd, flags, err = 0;

  fo_buf_init(out, max);
  /* O_NONBLOCK: opening a FIFO (or some devices) for reading blocks until a writer comes, possibly for ever;
   * the type is checked on the open descriptor below, then blocking reads are switched back on. */
  if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0) {
    int e = errno;
    /* a unix socket cannot be opened (ENXIO): name what it is rather than "No such device or address" */
    if (e == ENXIO && stat(path, &st) == 0 && !S_ISREG(st.st_mode))
      return fo_err_set(FO_EIO, "cannot read '%s': not a regular file (%s)", path, fo_file_kind(st.st_mode));
    return fo_err_set(e == ENOENT ? FO_ENOTFOUND : FO_EIO, "cannot read '%s': %s", path, strerror(e));
  }
  if (fstat(fd, &st) != 0) {
    err = fo_err_set(FO_EIO, "cannot read '%s': %s", path, strerror(errno));
    goto done;
  }
  if (is_dev_null(&st)) {
    err = fo_buf_append(out, "", 0);
    goto done;
  }
  if (!S_ISREG(st.st_mode)) {
    err = fo_err_set(FO_EIO, "cannot read '%s': not a regular file (%s)", path, fo_file_kind(st.st_mode));
    goto done;
  }
  if ((flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
    err = fo_err_set(FO_EIO, "cannot read '%s': %s", path, strerror(errno));
    goto done;
  }
  if ((unsigned long long)st.st_size > (unsigned long long)max) {
    err = FO_ELIMIT;
    goto done;
  }
  /* the size can change under us: the buffer's own bound still holds while reading */
  for (;;) {
    n = read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      err = fo_err_set(FO_EIO, "cannot read '%s': %s", path, strerror(errno));
      break;
    }
    if (n == 0 || (err = fo_buf_append(out, chunk, (size_t)n)) < 0)
      break;
  }
  if (err == 0)
    err = fo_buf_append(out, "", 0);
done:
  close(fd);
  memset(chunk, 0, sizeof(chunk));
  if (err < 0) {
    fo_buf_wipe(out);
    fo_buf_init(out, max);
    if (err == FO_ELIMIT)
      err = fo_err_set(FO_ELIMIT, "'%s' is larger than %zu bytes", path, max);
  }
  return err;
}
