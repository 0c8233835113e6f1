/* fo_aws_file: one-value secret files (web identity and container tokens); whole files are read with
 * fo_file_read from fo_core. */
#ifndef FO_AWS_FILE_H
#define FO_AWS_FILE_H

#include <stddef.h>

/* Read a one-value file (a token): trailing newlines and spaces removed, not
 * empty. The string is the caller's; free with fo_aws_free_secret. */
int fo_aws_file_read_token(char **out, const char *path, size_t max, const char *what);

#endif
