/* fo_file: bounded whole-file reads of small local files (configs, state, tokens, caches).
 * One reader for the provider and the auditor: regular files only, size checked before and while reading. */
#ifndef FO_FILE_H
#define FO_FILE_H

#include <stddef.h>

#include "fo_buf.h"

/* Read all of `path` (at most `max` bytes) into `out`, which is initialised here; on success out->data is
 * NUL-terminated (an empty file gives "" and len 0). Never blocks on the open: the file is opened with O_NONBLOCK
 * and its type checked first. Only regular files are read; /dev/null (or a link to it) reads as empty, because
 * pointing a config variable at it is how users switch a file off. On failure `out` is wiped and empty. Errors
 * name the path: FO_ENOTFOUND "cannot read 'p': No such file or directory", FO_EIO for other open/read failures
 * and for anything but a regular file ("cannot read 'p': not a regular file (is a FIFO)", "(is a directory)",
 * "(is a character device)", ...), FO_ELIMIT "'p' is larger than N bytes". Buffers are wiped because the file
 * may hold secrets: dispose `out` with fo_buf_wipe. */
int fo_file_read(fo_buf *out, const char *path, size_t max);

/* What a non-regular file is ("is a FIFO", "is a directory", ...) for an error message, from st_mode. Static. */
const char *fo_file_kind(unsigned int st_mode);

#endif
