/* Unit tests for fo_file_read: contents, missing files, the size bound, empty files, and everything that is not a
 * regular file (directories, FIFOs, devices, links to them), which must fail at once, never block. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fo_err.h"
#include "fo_file.h"

/* A fresh temporary directory per test, removed (with the one file a test writes) afterwards. */
typedef struct fixture {
  char dir[256];
  char file[288];
  char fifo[288];
  char link[288];
} fixture;

static int setup(void **state) {
  fixture *fx = calloc(1, sizeof *fx);
  if (!fx)
    return -1;
  snprintf(fx->dir, sizeof fx->dir, "%s/fo_test_file.XXXXXX",
           (getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp"));
  if (!mkdtemp(fx->dir)) {
    free(fx);
    return -1;
  }
  snprintf(fx->file, sizeof fx->file, "%s/f", fx->dir);
  snprintf(fx->fifo, sizeof fx->fifo, "%s/fifo", fx->dir);
  snprintf(fx->link, sizeof fx->link, "%s/link", fx->dir);
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  unlink(fx->file);
  unlink(fx->fifo);
  unlink(fx->link);
  rmdir(fx->dir);
  free(fx);
  return 0;
}

static void write_file(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

static void test_reads_whole_file(void **state) {
  fixture *fx = *state;
  fo_buf b;
  char big[10000];
  for (size_t i = 0; i < sizeof big; i++)
    big[i] = (char)('a' + i % 26);
  write_file(fx->file, big, sizeof big); /* more than one 4 KiB read chunk */
  assert_int_equal(fo_file_read(&b, fx->file, sizeof big), 0);
  assert_int_equal(b.len, sizeof big);
  assert_memory_equal(b.data, big, sizeof big);
  assert_int_equal(b.data[b.len], '\0');
  fo_buf_wipe(&b);
}

static void test_missing_is_notfound(void **state) {
  fixture *fx = *state;
  fo_buf b;
  assert_int_equal(fo_file_read(&b, fx->file, 100), FO_ENOTFOUND);
  assert_null(b.data);
  assert_non_null(strstr(fo_err_last(), "cannot read '"));
  assert_non_null(strstr(fo_err_last(), fx->file));
  assert_non_null(strstr(fo_err_last(), "No such file or directory"));
}

static void test_over_limit(void **state) {
  fixture *fx = *state;
  fo_buf b;
  char want[640];
  write_file(fx->file, "0123456789", 10);
  assert_int_equal(fo_file_read(&b, fx->file, 9), FO_ELIMIT);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  snprintf(want, sizeof want, "'%s' is larger than 9 bytes", fx->file);
  assert_string_equal(fo_err_last(), want);
  /* exactly at the limit is fine */
  assert_int_equal(fo_file_read(&b, fx->file, 10), 0);
  assert_int_equal(b.len, 10);
  fo_buf_wipe(&b);
}

static void test_directory_rejected(void **state) {
  fixture *fx = *state;
  fo_buf b;
  char want[640];
  assert_int_equal(fo_file_read(&b, fx->dir, 1000), FO_EIO);
  assert_null(b.data);
  snprintf(want, sizeof want, "cannot read '%s': not a regular file (is a directory)", fx->dir);
  assert_string_equal(fo_err_last(), want);
}

static void test_empty_file(void **state) {
  fixture *fx = *state;
  fo_buf b;
  write_file(fx->file, "", 0);
  /* empty is not an error here: callers word "the file is empty" in their own terms */
  assert_int_equal(fo_file_read(&b, fx->file, 100), 0);
  assert_int_equal(b.len, 0);
  assert_non_null(b.data);
  assert_string_equal(b.data, "");
  fo_buf_wipe(&b);
}

/* /dev/null reads as an empty file: it is how a user switches a config file off. Every other character device
 * is refused before a byte is read (/dev/zero used to read a whole `max` of zeros). */
static void test_char_devices(void **state) {
  fixture *fx = *state;
  fo_buf b;
  assert_int_equal(fo_file_read(&b, "/dev/null", 100), 0);
  assert_int_equal(b.len, 0);
  assert_string_equal(b.data, "");
  fo_buf_wipe(&b);
  assert_int_equal(symlink("/dev/null", fx->link), 0);
  assert_int_equal(fo_file_read(&b, fx->link, 100), 0);
  assert_int_equal(b.len, 0);
  fo_buf_wipe(&b);
  assert_int_equal(fo_file_read(&b, "/dev/zero", 10000), FO_EIO);
  assert_null(b.data);
  assert_string_equal(fo_err_last(), "cannot read '/dev/zero': not a regular file (is a character device)");
}

/* A FIFO with no writer: opening it for reading blocks for ever unless the open does not wait. The test itself
 * would hang on a regression; ctest's timeout turns that into a failure. */
static void test_fifo_rejected(void **state) {
  fixture *fx = *state;
  fo_buf b;
  char want[640];
  assert_int_equal(mkfifo(fx->fifo, 0600), 0);
  assert_int_equal(fo_file_read(&b, fx->fifo, 100), FO_EIO);
  assert_null(b.data);
  snprintf(want, sizeof want, "cannot read '%s': not a regular file (is a FIFO)", fx->fifo);
  assert_string_equal(fo_err_last(), want);
  /* through a symlink: the type of what the link points at counts */
  assert_int_equal(symlink(fx->fifo, fx->link), 0);
  assert_int_equal(fo_file_read(&b, fx->link, 100), FO_EIO);
  snprintf(want, sizeof want, "cannot read '%s': not a regular file (is a FIFO)", fx->link);
  assert_string_equal(fo_err_last(), want);
}

/* A symlink to a regular file is read like the file. */
static void test_symlink_to_file(void **state) {
  fixture *fx = *state;
  fo_buf b;
  write_file(fx->file, "abc", 3);
  assert_int_equal(symlink(fx->file, fx->link), 0);
  assert_int_equal(fo_file_read(&b, fx->link, 100), 0);
  assert_string_equal(b.data, "abc");
  fo_buf_wipe(&b);
}

static void test_open_failure_is_eio(void **state) {
  fixture *fx = *state;
  fo_buf b;
  char below[640];
  /* a path through a regular file fails with ENOTDIR: an I/O error, not "not found" */
  write_file(fx->file, "x", 1);
  snprintf(below, sizeof below, "%s/below", fx->file);
  assert_int_equal(fo_file_read(&b, below, 100), FO_EIO);
  assert_null(b.data);
  assert_non_null(strstr(fo_err_last(), below));
  assert_non_null(strstr(fo_err_last(), "Not a directory"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_reads_whole_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_is_notfound, setup, teardown),
      cmocka_unit_test_setup_teardown(test_over_limit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_directory_rejected, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_open_failure_is_eio, setup, teardown),
      cmocka_unit_test_setup_teardown(test_char_devices, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fifo_rejected, setup, teardown),
      cmocka_unit_test_setup_teardown(test_symlink_to_file, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
