/* fo_aws_file: bounded reads of small local files that may hold secrets
 * (web identity and container tokens, shared config/credentials files). */
#ifndef FO_AWS_FILE_H
#define FO_AWS_FILE_H

#include <stddef.h>

#include "fo_buf.h"

/* Read `path` (at most `max` bytes) into `out` (initialised here; wipe it
 * with fo_buf_wipe). FO_ENOTFOUND when the file does not exist, FO_EIO when
 * it cannot be read, FO_ELIMIT when larger than `max`; messages name the path. */
int fo_aws_file_read(fo_buf *out, const char *path, size_t max);

/* Read a one-value file (a token): trailing newlines and spaces removed, not
 * empty. The string is the caller's; free with fo_aws_free_secret. */
int fo_aws_file_read_token(char **out, const char *path, size_t max, const char *what);

#endif
