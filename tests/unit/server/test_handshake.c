/* Unit tests for fo_handshake: cookie, version negotiation, port range,
 * the handshake line and the reattach JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fo_err.h"
#include "fo_handshake.h"

static const int v6[] = {6};
static const int v56[] = {5, 6};

static void test_cookie(void **state) {
  (void)state;
  assert_true(fo_handshake_cookie_ok(FO_HANDSHAKE_COOKIE_VALUE));
  assert_false(fo_handshake_cookie_ok(NULL));
  assert_false(fo_handshake_cookie_ok(""));
  assert_false(fo_handshake_cookie_ok("d602bf8f"));
  assert_false(fo_handshake_cookie_ok(FO_HANDSHAKE_COOKIE_VALUE "x"));
  assert_non_null(strstr(fo_handshake_not_a_program, "not meant to be executed directly"));
}

static void test_negotiate(void **state) {
  int bad = -1;
  (void)state;
  assert_int_equal(fo_handshake_negotiate("5,6", v6, 1, &bad), 6);
  assert_int_equal(bad, 0);
  assert_int_equal(fo_handshake_negotiate("6,5", v6, 1, &bad), 6);
  assert_int_equal(fo_handshake_negotiate("6", v6, 1, &bad), 6);
  /* unset / empty: the lowest supported version (go-plugin's fallback) */
  assert_int_equal(fo_handshake_negotiate(NULL, v56, 2, &bad), 5);
  assert_int_equal(fo_handshake_negotiate("", v56, 2, &bad), 5);
  assert_int_equal(bad, 0);
  /* no common version: lowest, so the client reports the mismatch */
  assert_int_equal(fo_handshake_negotiate("4,7", v6, 1, &bad), 6);
  /* highest common */
  assert_int_equal(fo_handshake_negotiate("5,6,7", v56, 2, &bad), 6);
  assert_int_equal(fo_handshake_negotiate("5", v56, 2, &bad), 5);
  /* junk entries are skipped and counted */
  assert_int_equal(fo_handshake_negotiate("x,6,-1,,99999999999", v6, 1, &bad), 6);
  assert_int_equal(bad, 4);
  assert_int_equal(fo_handshake_negotiate(" 6", v6, 1, &bad), 6);
  assert_int_equal(bad, 1);
  assert_int_equal(fo_handshake_negotiate("6,", v6, 1, NULL), 6);
}

static void test_port_range(void **state) {
  int lo = -1, hi = -1;
  (void)state;
  assert_int_equal(fo_handshake_port_range(&lo, &hi, NULL, NULL), FO_OK);
  assert_int_equal(lo, 0);
  assert_int_equal(hi, 0);
  assert_int_equal(fo_handshake_port_range(&lo, &hi, "10000", "25000"), FO_OK);
  assert_int_equal(lo, 10000);
  assert_int_equal(hi, 25000);
  assert_int_equal(fo_handshake_port_range(&lo, &hi, "12345", ""), FO_OK);
  assert_int_equal(lo, 12345);
  assert_int_equal(hi, 12345);
  assert_int_equal(fo_handshake_port_range(&lo, &hi, NULL, "80"), FO_OK);
  assert_int_equal(lo, 80);
  assert_int_equal(hi, 80);
  assert_int_equal(fo_handshake_port_range(&lo, &hi, "65535", "65535"), FO_OK);
  assert_int_equal(fo_handshake_port_range(&lo, &hi, "2", "1"), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "PLUGIN_MIN_PORT"));
  assert_int_equal(fo_handshake_port_range(&lo, &hi, "65536", NULL), FO_EINVAL);
  assert_int_equal(fo_handshake_port_range(&lo, &hi, "1", "abc"), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "PLUGIN_MAX_PORT"));
  assert_int_equal(fo_handshake_port_range(&lo, &hi, "-1", "5"), FO_EINVAL);
  assert_int_equal(fo_handshake_port_range(&lo, &hi, "1 ", "5"), FO_EINVAL);
}

static void test_line(void **state) {
  fo_buf b = FO_BUF_INIT;
  (void)state;
  assert_int_equal(fo_handshake_line(&b, 6, "unix", "/tmp/plugin123", "MIIBxyz"), FO_OK);
  assert_string_equal(b.data, "1|6|unix|/tmp/plugin123|grpc|MIIBxyz\n");
  fo_buf_clear(&b);
  assert_int_equal(fo_handshake_line(&b, 6, "tcp", "127.0.0.1:10001", NULL), FO_OK);
  assert_string_equal(b.data, "1|6|tcp|127.0.0.1:10001|grpc|\n");
  fo_buf_clear(&b);
  assert_int_equal(fo_handshake_line(&b, 6, "unix", "/tmp/a|b", NULL), FO_EINVAL);
  assert_int_equal(fo_handshake_line(&b, 6, "unix", "/tmp/a\nb", NULL), FO_EINVAL);
  fo_buf_dispose(&b);
}

static void test_reattach(void **state) {
  static const char *const addrs[] = {"registry.terraform.io/failover/failover",
                                      "registry.opentofu.org/failover/failover"};
  fo_buf b = FO_BUF_INIT;
  (void)state;
  assert_int_equal(fo_handshake_reattach_json(&b, addrs, 2, 6, 4242, "unix", "/tmp/p\"q"), FO_OK);
  assert_string_equal(b.data,
                      "{\"registry.terraform.io/failover/failover\":{\"Protocol\":\"grpc\",\"ProtocolVersion\":6,"
                      "\"Pid\":4242,\"Test\":true,\"Addr\":{\"Network\":\"unix\",\"String\":\"/tmp/p\\\"q\"}},"
                      "\"registry.opentofu.org/failover/failover\":{\"Protocol\":\"grpc\",\"ProtocolVersion\":6,"
                      "\"Pid\":4242,\"Test\":true,\"Addr\":{\"Network\":\"unix\",\"String\":\"/tmp/p\\\"q\"}}}");
  fo_buf_dispose(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cookie), cmocka_unit_test(test_negotiate), cmocka_unit_test(test_port_range),
      cmocka_unit_test(test_line),   cmocka_unit_test(test_reattach),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
