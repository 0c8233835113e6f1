/* fo_rpc_utf8: the validator follows Go's rules, the fixer replaces each bad
 * byte, and the response walk reaches strings at any depth (repeated
 * messages, oneof members such as attribute path keys). */
#include <string.h>

#include "fo_rpc_utf8.h"
#include "fw_test.h"

static int valid(const char *s) {
  return fo_rpc_utf8_valid(s, strlen(s));
}

static void test_validator(void **state) {
  (void)state;
  assert_true(valid(""));
  assert_true(valid("plain ascii"));
  assert_true(valid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80")); /* 2, 3 and 4 byte forms */
  assert_true(valid("\xEF\xBF\xBD"));
  assert_false(valid("\xff\xfe"));
  assert_false(valid("\xC0\xAF"));         /* overlong '/' */
  assert_false(valid("\xE0\x80\xAF"));     /* overlong, 3 bytes */
  assert_false(valid("\xED\xA0\x80"));     /* a UTF-16 surrogate */
  assert_false(valid("\xF4\x90\x80\x80")); /* above U+10FFFF */
  assert_false(valid("ab\xE2\x82"));       /* cut short */
  assert_false(valid("\x80"));             /* a lone continuation byte */
}

static void test_fixer(void **state) {
  fo_arena a = FO_ARENA_INIT;
  (void)state;
  assert_string_equal(fo_rpc_utf8_fix(&a, "ok \xC3\xA9"), "ok \xC3\xA9");
  assert_string_equal(fo_rpc_utf8_fix(&a,
                                      "a\xff\xfe"
                                      "b"),
                      "a\xEF\xBF\xBD\xEF\xBF\xBD"
                      "b");
  assert_string_equal(fo_rpc_utf8_fix(&a, "x\xE2\x82"), "x\xEF\xBF\xBD\xEF\xBF\xBD");
  fo_arena_dispose(&a);
}

static void test_walk_reaches_nested_strings(void **state) {
  Tfplugin6__ValidateResourceConfig__Response rs = TFPLUGIN6__VALIDATE_RESOURCE_CONFIG__RESPONSE__INIT;
  Tfplugin6__Diagnostic diag = TFPLUGIN6__DIAGNOSTIC__INIT, *diags[1] = {&diag};
  Tfplugin6__AttributePath path = TFPLUGIN6__ATTRIBUTE_PATH__INIT;
  Tfplugin6__AttributePath__Step s0 = TFPLUGIN6__ATTRIBUTE_PATH__STEP__INIT, s1 = TFPLUGIN6__ATTRIBUTE_PATH__STEP__INIT;
  Tfplugin6__AttributePath__Step *steps[2] = {&s0, &s1};
  fo_arena a = FO_ARENA_INIT;
  (void)state;
  s0.selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME;
  s0.attribute_name = (char *)"tags";
  s1.selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_STRING;
  s1.element_key_string = (char *)"k\xff";
  path.steps = steps;
  path.n_steps = 2;
  diag.summary = (char *)"Bad \xfe";
  diag.detail = (char *)"fine";
  diag.attribute = &path;
  rs.diagnostics = diags;
  rs.n_diagnostics = 1;
  assert_int_equal(fo_rpc_utf8_sanitize(&rs.base, &a), 2);
  assert_string_equal(diag.summary, "Bad \xEF\xBF\xBD");
  assert_string_equal(diag.detail, "fine");
  assert_string_equal(s0.attribute_name, "tags");
  assert_string_equal(s1.element_key_string, "k\xEF\xBF\xBD");
  assert_int_equal(fo_rpc_utf8_sanitize(&rs.base, &a), 0); /* now clean */
  fo_arena_dispose(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_validator),
      cmocka_unit_test(test_fixer),
      cmocka_unit_test(test_walk_reaches_nested_strings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
