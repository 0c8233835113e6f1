/* Unit tests for fo_listen: socket directory choice, fresh socket paths,
 * the TCP port probe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fo_err.h"
#include "fo_listen.h"

static void test_dir(void **state) {
  (void)state;
  assert_string_equal(fo_listen_unix_dir("/run/x", "/var/tmp"), "/run/x");
  assert_string_equal(fo_listen_unix_dir("", "/var/tmp"), "/var/tmp");
  assert_string_equal(fo_listen_unix_dir(NULL, NULL), "/tmp");
  assert_string_equal(fo_listen_unix_dir(NULL, ""), "/tmp");
}

static void test_unix_path(void **state) {
  fo_buf a = FO_BUF_INIT, b = FO_BUF_INIT;
  struct stat st;
  char longdir[200];
  (void)state;
  assert_int_equal(fo_listen_unix_path(&a, "/tmp/"), FO_OK);
  assert_int_equal(fo_listen_unix_path(&b, "/tmp"), FO_OK);
  assert_int_equal(strncmp(a.data, "/tmp/plugin", 11), 0);
  assert_int_equal(strlen(a.data), strlen("/tmp/pluginXXXXXX"));
  assert_string_not_equal(a.data, b.data);
  assert_int_equal(stat(a.data, &st), -1); /* reserved then removed: free to bind */
  memset(longdir, 'd', sizeof longdir - 1);
  longdir[0] = '/';
  longdir[sizeof longdir - 1] = '\0';
  fo_buf_clear(&a);
  assert_int_equal(fo_listen_unix_path(&a, longdir), FO_ELIMIT);
  assert_int_equal(fo_listen_unix_path(&a, "/nonexistent-dir-for-test"), FO_EIO);
  assert_non_null(strstr(fo_err_last(), "/nonexistent-dir-for-test"));
  fo_buf_dispose(&a);
  fo_buf_dispose(&b);
}

static void test_tcp_probe(void **state) {
  struct sockaddr_in sin;
  socklen_t len = sizeof sin;
  int fd = socket(AF_INET, SOCK_STREAM, 0), port;
  (void)state;
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
  assert_int_equal(listen(fd, 1), 0);
  assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
  port = ntohs(sin.sin_port);
  assert_int_equal(fo_listen_tcp_port_free(port), 0);
  close(fd);
  assert_int_equal(fo_listen_tcp_port_free(port), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dir),
      cmocka_unit_test(test_unix_path),
      cmocka_unit_test(test_tcp_probe),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
