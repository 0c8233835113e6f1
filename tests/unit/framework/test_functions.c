/* Provider functions: counterpart() cases and errors, weights() through the
 * CallFunction handler (arguments msgpack-encoded as Terraform sends them). */
#include <string.h>

#include "fo_functions.h"
#include "fo_resources.h"
#include "fo_rpc_handlers.h"
#include "fw_test.h"

static void expect_counterpart(const char *value, const char *from, const char *to, const char *want) {
  fo_buf out = FO_BUF_INIT;
  long bad = 99;
  if (fo_counterpart(value, from, to, &out, &bad) < 0)
    fail_msg("counterpart(%s): %s", value, fo_err_last());
  assert_string_equal(out.data, want);
  assert_int_equal(bad, -1);
  fo_buf_dispose(&out);
}

static void expect_counterpart_error(const char *value, const char *from, const char *to, long want_arg,
                                     const char *needle) {
  fo_buf out = FO_BUF_INIT;
  long bad = 99;
  assert_int_not_equal(fo_counterpart(value, from, to, &out, &bad), 0);
  assert_int_equal(bad, want_arg);
  if (!strstr(fo_err_last(), needle))
    fail_msg("error '%s' lacks '%s'", fo_err_last(), needle);
  fo_buf_dispose(&out);
}

static void test_counterpart_cases(void **state) {
  (void)state;
  expect_counterpart("us-east-1", "us-east-1", "us-east-2", "us-east-2");
  expect_counterpart("us-east-1a", "us-east-1", "us-east-2", "us-east-2a");
  expect_counterpart("arn:aws:eks:us-east-1:123456789012:cluster/x", "us-east-1", "us-east-2",
                     "arn:aws:eks:us-east-2:123456789012:cluster/x");
  expect_counterpart("eks.us-east-1.amazonaws.com", "us-east-1", "us-east-2", "eks.us-east-2.amazonaws.com");
  expect_counterpart("https://backup.us-east-1.amazonaws.com/", "us-east-1", "us-west-2",
                     "https://backup.us-west-2.amazonaws.com/");
  expect_counterpart("my-bucket-us-east-1", "us-east-1", "us-east-2", "my-bucket-us-east-2");
  /* global ARN (no region field) whose name carries the region */
  expect_counterpart("arn:aws:s3:::logs-us-east-1", "us-east-1", "us-east-2", "arn:aws:s3:::logs-us-east-2");
  /* the other direction, and several occurrences */
  expect_counterpart("arn:aws:backup:us-east-2:1:backup-vault:v-us-east-2", "us-east-2", "us-east-1",
                     "arn:aws:backup:us-east-1:1:backup-vault:v-us-east-1");
  /* same region: unchanged */
  expect_counterpart("us-east-1b", "us-east-1", "us-east-1", "us-east-1b");
}

static void test_counterpart_errors(void **state) {
  (void)state;
  expect_counterpart_error("my-bucket", "us-east-1", "us-east-2", 0, "does not contain the region");
  expect_counterpart_error("us-east-10", "us-east-1", "us-east-2", 0, "does not contain");
  expect_counterpart_error("xus-east-1", "us-east-1", "us-east-2", 0, "does not contain");
  expect_counterpart_error("arn:aws:eks:eu-west-1:1:cluster/us-east-1", "us-east-1", "us-east-2", 0,
                           "is in region \"eu-west-1\"");
  expect_counterpart_error("arn:aws:iam::123456789012:role/x", "us-east-1", "us-east-2", 0, "does not contain");
  expect_counterpart_error("arn:broken", "us-east-1", "us-east-2", 0, "not a valid ARN");
  expect_counterpart_error("us-east-1", "east", "us-east-2", 1, "from_region");
  expect_counterpart_error("us-east-1", "us-east-1", "Ohio", 2, "to_region");
}

/* CallFunction through the handler. */
static Tfplugin6__CallFunction__Response *call(fo_arena *a, const char *name, size_t n, const char *const *types,
                                               const char *const *json_args) {
  Tfplugin6__CallFunction__Request rq = TFPLUGIN6__CALL_FUNCTION__REQUEST__INIT;
  Tfplugin6__DynamicValue *dvs[8];
  rq.name = (char *)name;
  for (size_t i = 0; i < n; i++) {
    fo_cty_type *t = NULL;
    fo_cty_value *v;
    assert_int_equal(fo_cty_type_from_json(&t, types[i], strlen(types[i])), 0);
    v = fw_value(t, json_args[i]);
    dvs[i] = fw_dv(a, v, t);
    fo_cty_value_unref(v);
    fo_cty_type_unref(t);
  }
  rq.arguments = dvs;
  rq.n_arguments = n;
  return (Tfplugin6__CallFunction__Response *)fw_call(fo_rpc_call_function, &rq.base,
                                                      &tfplugin6__call_function__response__descriptor, FO_RPC_OK);
}

static void expect_weights(size_t n, const char *const *args, int64_t primary, int64_t secondary) {
  static const char *const types[] = {"\"string\"", "\"number\"", "\"number\"", "\"number\""};
  fo_arena a = FO_ARENA_INIT;
  Tfplugin6__CallFunction__Response *rs = call(&a, "weights", n, types, args);
  fo_cty_type *t = NULL;
  fo_cty_value *v;
  int64_t p = -1, s = -1;
  const char *rt = fo_registry_function(fo_provider_registry(), "weights")->return_type;
  if (rs->error)
    fail_msg("weights error: %s", rs->error->text);
  assert_int_equal(fo_cty_type_from_json(&t, rt, strlen(rt)), 0);
  v = fw_decode(t, rs->result);
  assert_int_equal(fo_cty_number_as_int64(fo_cty_get_attr(v, "primary"), &p), 0);
  assert_int_equal(fo_cty_number_as_int64(fo_cty_get_attr(v, "secondary"), &s), 0);
  assert_int_equal(p, primary);
  assert_int_equal(s, secondary);
  fo_cty_value_unref(v);
  fo_cty_type_unref(t);
  protobuf_c_message_free_unpacked(&rs->base, NULL);
  fo_arena_dispose(&a);
}

static void expect_function_error(const char *name, size_t n, const char *const *types, const char *const *args,
                                  long want_arg, const char *needle) {
  fo_arena a = FO_ARENA_INIT;
  Tfplugin6__CallFunction__Response *rs = call(&a, name, n, types, args);
  assert_null(rs->result);
  assert_non_null(rs->error);
  if (!strstr(rs->error->text, needle))
    fail_msg("error '%s' lacks '%s'", rs->error->text, needle);
  if (want_arg < 0) {
    assert_int_equal(rs->error->_function_argument_case, TFPLUGIN6__FUNCTION_ERROR___FUNCTION_ARGUMENT__NOT_SET);
  } else {
    assert_int_equal(rs->error->_function_argument_case,
                     TFPLUGIN6__FUNCTION_ERROR___FUNCTION_ARGUMENT_FUNCTION_ARGUMENT);
    assert_int_equal(rs->error->function_argument, want_arg);
  }
  protobuf_c_message_free_unpacked(&rs->base, NULL);
  fo_arena_dispose(&a);
}

static void test_weights(void **state) {
  static const char *const p[] = {"\"primary\""};
  static const char *const s[] = {"\"secondary\""};
  static const char *const s100[] = {"\"secondary\"", "100", "0"};
  static const char *const p_only_active[] = {"\"primary\"", "200"};
  (void)state;
  expect_weights(1, p, 255, 0);
  expect_weights(1, s, 0, 255);
  expect_weights(3, s100, 0, 100);
  expect_weights(2, p_only_active, 200, 0);
}

static void test_function_errors(void **state) {
  static const char *const wt[] = {"\"string\"", "\"number\"", "\"number\"", "\"number\""};
  static const char *const bad_side[] = {"\"tertiary\""};
  static const char *const bad_weight[] = {"\"primary\"", "255", "256"};
  static const char *const frac_weight[] = {"\"primary\"", "1.5"};
  static const char *const too_many[] = {"\"primary\"", "1", "2", "3"};
  static const char *const ct[] = {"\"string\"", "\"string\"", "\"string\""};
  static const char *const no_region[] = {"\"my-bucket\"", "\"us-east-1\"", "\"us-east-2\""};
  static const char *const bad_to[] = {"\"us-east-1\"", "\"us-east-1\"", "\"ohio\""};
  (void)state;
  expect_function_error("weights", 1, wt, bad_side, 0, "\"primary\" or \"secondary\"");
  expect_function_error("weights", 3, wt, bad_weight, 2, "0 to 255");
  expect_function_error("weights", 2, wt, frac_weight, 1, "1.5");
  expect_function_error("weights", 4, wt, too_many, 3, "at most two weights");
  expect_function_error("counterpart", 3, ct, no_region, 0, "does not contain the region");
  expect_function_error("counterpart", 3, ct, bad_to, 2, "to_region");
  expect_function_error("counterpart", 1, ct, no_region, -1, "takes 3 arguments");
  expect_function_error("nope", 0, ct, no_region, -1, "no function named 'nope'");
}

static void test_counterpart_call(void **state) {
  static const char *const ct[] = {"\"string\"", "\"string\"", "\"string\""};
  static const char *const args[] = {"\"arn:aws:eks:us-east-1:123456789012:cluster/x\"", "\"us-east-1\"",
                                     "\"us-east-2\""};
  fo_arena a = FO_ARENA_INIT;
  Tfplugin6__CallFunction__Response *rs = call(&a, "counterpart", 3, ct, args);
  fo_cty_type *t = fo_cty_type_string();
  fo_cty_value *v;
  (void)state;
  assert_null(rs->error);
  v = fw_decode(t, rs->result);
  assert_string_equal(fo_cty_as_string(v, NULL), "arn:aws:eks:us-east-2:123456789012:cluster/x");
  fo_cty_value_unref(v);
  fo_cty_type_unref(t);
  protobuf_c_message_free_unpacked(&rs->base, NULL);
  fo_arena_dispose(&a);
}

/* A long argument quoted in a FunctionError is cut to fit, never inside a
 * character: Terraform drops a response with invalid UTF-8 altogether. */
static void test_long_argument_error_stays_utf8(void **state) {
  static const char *const ct[] = {"\"string\"", "\"string\"", "\"string\""};
  char value[2 + 1 + 2 * 400 + 2];
  const char *args[3] = {value, "\"us-east-1\"", "\"us-east-2\""};
  fo_arena a = FO_ARENA_INIT;
  Tfplugin6__CallFunction__Response *rs;
  fo_cty_value *text;
  size_t n = 0;
  (void)state;
  value[n++] = '"';
  value[n++] = 'a'; /* odd offset: the cut would fall inside a 2-byte character */
  for (int i = 0; i < 400; i++) {
    value[n++] = (char)0xC3;
    value[n++] = (char)0xBC; /* u with diaeresis */
  }
  value[n++] = '"';
  value[n] = '\0';
  rs = call(&a, "counterpart", 3, ct, args);
  assert_non_null(rs->error);
  assert_int_equal(rs->error->function_argument, 0);
  text = fo_cty_string_z(rs->error->text); /* NULL for invalid UTF-8 */
  assert_non_null(text);
  fo_cty_value_unref(text);
  protobuf_c_message_free_unpacked(&rs->base, NULL);
  fo_arena_dispose(&a);
}

static void test_trim_utf8(void **state) {
  char cut2[] = "ab\xC3", cut3[] = "a\xE2\x82", whole[] = "a\xE2\x82\xAC", ascii[] = "abc", empty[] = "";
  char lone[] = "\x80\x80";
  (void)state;
  fo_text_trim_utf8(cut2);
  assert_string_equal(cut2, "ab");
  fo_text_trim_utf8(cut3);
  assert_string_equal(cut3, "a");
  fo_text_trim_utf8(whole);
  assert_string_equal(whole, "a\xE2\x82\xAC");
  fo_text_trim_utf8(ascii);
  assert_string_equal(ascii, "abc");
  fo_text_trim_utf8(empty);
  assert_string_equal(empty, "");
  fo_text_trim_utf8(lone); /* not ours to repair: left as is */
  assert_int_equal(strlen(lone), 2);
}

static void test_bad_argument_msgpack(void **state) {
  Tfplugin6__CallFunction__Request rq = TFPLUGIN6__CALL_FUNCTION__REQUEST__INIT;
  Tfplugin6__DynamicValue dv = TFPLUGIN6__DYNAMIC_VALUE__INIT, *dvs[1] = {&dv};
  Tfplugin6__CallFunction__Response *rs;
  (void)state;
  dv.msgpack.data = (uint8_t *)"\x92\x01\x02"; /* an array where a string is expected */
  dv.msgpack.len = 3;
  rq.name = (char *)"weights";
  rq.arguments = dvs;
  rq.n_arguments = 1;
  rs = (Tfplugin6__CallFunction__Response *)fw_call(fo_rpc_call_function, &rq.base,
                                                    &tfplugin6__call_function__response__descriptor, FO_RPC_OK);
  assert_non_null(rs->error);
  assert_int_equal(rs->error->function_argument, 0);
  assert_non_null(strstr(rs->error->text, "arguments[0]"));
  protobuf_c_message_free_unpacked(&rs->base, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_counterpart_cases),
      cmocka_unit_test(test_counterpart_errors),
      cmocka_unit_test(test_weights),
      cmocka_unit_test(test_function_errors),
      cmocka_unit_test(test_counterpart_call),
      cmocka_unit_test(test_bad_argument_msgpack),
      cmocka_unit_test(test_long_argument_error_stays_utf8),
      cmocka_unit_test(test_trim_utf8),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
