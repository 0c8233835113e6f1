/* unit.audit.diff: structural diff keyed by identity, never by array position when an identity exists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_audit_diff.h"
#include "fo_buf.h"

/* Collects "path|pv|sv|sensitive" lines. */
static int collect(void *ud, const char *path, const cJSON *pv, const cJSON *sv, int sensitive) {
  fo_buf *b = ud;
  char *a = pv ? cJSON_PrintUnformatted(pv) : NULL, *c = sv ? cJSON_PrintUnformatted(sv) : NULL;
  fo_buf_printf(b, "%s|%s|%s|%d\n", path, a ? a : "-", c ? c : "-", sensitive);
  cJSON_free(a);
  cJSON_free(c);
  return 0;
}

static void diff(const char *a, const char *b, const char *want) {
  cJSON *ja = cJSON_Parse(a), *jb = cJSON_Parse(b);
  fo_buf out = FO_BUF_INIT;
  assert_non_null(ja);
  assert_non_null(jb);
  fo_buf_puts(&out, "");
  assert_int_equal(fo_audit_diff_values(ja, jb, collect, &out), 0);
  assert_string_equal(out.data, want);
  fo_buf_dispose(&out);
  cJSON_Delete(ja);
  cJSON_Delete(jb);
}

static void test_objects(void **state) {
  (void)state;
  diff("{\"a\":1,\"b\":{\"c\":\"x\"}}", "{\"a\":1,\"b\":{\"c\":\"y\"}}", "b.c|\"x\"|\"y\"|0\n");
  diff("{\"a\":1}", "{\"b\":2}", "a|1|-|0\nb|-|2|0\n");
  diff("{\"odd.key\":1}", "{\"odd.key\":2}", "[\"odd.key\"]|1|2|0\n");
  /* absent, null, {} and [] are all "nothing set" */
  diff("{\"a\":null,\"b\":[],\"c\":{}}", "{}", "");
  diff("{\"n\":1.0}", "{\"n\":1}", "");
}

static void test_identity_arrays(void **state) {
  (void)state;
  /* reordered elements with a `name` identity: no difference */
  diff("{\"c\":[{\"name\":\"a\",\"v\":1},{\"name\":\"b\",\"v\":2}]}",
       "{\"c\":[{\"name\":\"b\",\"v\":2},{\"name\":\"a\",\"v\":1}]}", "");
  /* a change inside one element is reported at that element, not at an index */
  diff("{\"c\":[{\"name\":\"a\",\"v\":1},{\"name\":\"b\",\"v\":2}]}",
       "{\"c\":[{\"name\":\"b\",\"v\":3},{\"name\":\"a\",\"v\":1}]}", "c[name=b].v|2|3|0\n");
  /* elements on one side only */
  diff("{\"c\":[{\"id\":1}]}", "{\"c\":[{\"id\":2}]}", "c[id=1]|{\"id\":1}|-|0\nc[id=2]|-|{\"id\":2}|0\n");
  /* no identity: the array is one value */
  diff("{\"c\":[1,2]}", "{\"c\":[2,1]}", "c|[1,2]|[2,1]|0\n");
}

static void test_identity_key_choice(void **state) {
  cJSON *dup = cJSON_Parse("[{\"name\":\"a\",\"id\":1},{\"name\":\"a\",\"id\":2}]");
  cJSON *mixed = cJSON_Parse("[{\"name\":\"a\"},3]");
  (void)state;
  /* names are not unique, ids are */
  assert_string_equal(fo_audit_diff_identity_key(dup), "id");
  assert_null(fo_audit_diff_identity_key(mixed));
  cJSON_Delete(dup);
  cJSON_Delete(mixed);
}

static void test_sensitive(void **state) {
  (void)state;
  diff("{\"p\":{\"$sensitive\":\"sha256:aa\"}}", "{\"p\":{\"$sensitive\":\"sha256:bb\"}}",
       "p|{\"$sensitive\":\"sha256:aa\"}|{\"$sensitive\":\"sha256:bb\"}|1\n");
  diff("{\"p\":{\"$sensitive\":\"sha256:aa\"}}", "{\"p\":{\"$sensitive\":\"sha256:aa\"}}", "");
}

static void test_value_text_cut(void **state) {
  char big[FO_AUDIT_VALUE_MAX * 2];
  cJSON *s;
  char *t;
  (void)state;
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  s = cJSON_CreateString(big);
  t = fo_audit_value_text(s);
  assert_int_equal(strlen(t), FO_AUDIT_VALUE_MAX);
  assert_string_equal(t + FO_AUDIT_VALUE_MAX - 3, "...");
  cJSON_free(t);
  cJSON_Delete(s);
}

/* Big objects and identity-keyed arrays are paired through sorted arrays (cJSON's lookups are linear, which
 * made a 20,000-element list take 20 s): one changed member among 50,000, keys listed in another order. */
/* Regression: the hashes of sensitive values inside a larger value (a list without identity) were printed;
 * an unsalted SHA-256 of a short secret gives the secret away. */
static void test_value_text_hides_hashes(void **state) {
  cJSON *v = cJSON_Parse("[{\"pw\":{\"$sensitive\":\"sha256:4ddb\"},\"n\":1}]");
  cJSON *m = cJSON_Parse("{\"$sensitive\":\"sha256:4ddb\"}");
  char *t = fo_audit_value_text(v), *u = fo_audit_value_text(m);
  (void)state;
  assert_string_equal(t, "[{\"pw\":\"(sensitive)\",\"n\":1}]");
  assert_string_equal(u, "\"(sensitive)\"");
  /* the value itself is left alone */
  assert_non_null(
      strstr(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(v, 0), "pw")->child->valuestring, "sha256"));
  cJSON_free(t);
  cJSON_free(u);
  cJSON_Delete(v);
  cJSON_Delete(m);
}

static void test_large_members(void **state) {
  cJSON *pa = cJSON_CreateObject(), *sa = cJSON_CreateObject();
  cJSON *pl = cJSON_AddArrayToObject(pa, "l"), *sl = cJSON_AddArrayToObject(sa, "l");
  cJSON *po = cJSON_AddObjectToObject(pa, "o"), *so = cJSON_AddObjectToObject(sa, "o");
  fo_buf out = FO_BUF_INIT;
  char k[32];
  (void)state;
  for (int i = 0; i < 50000; i++) {
    int j = 49999 - i; /* the secondary lists everything in reverse */
    cJSON *e = cJSON_CreateObject();
    snprintf(k, sizeof k, "n%d", i);
    cJSON_AddStringToObject(e, "name", k);
    cJSON_AddNumberToObject(e, "v", i);
    cJSON_AddItemToArray(pl, e);
    cJSON_AddNumberToObject(po, k, i);
    e = cJSON_CreateObject();
    snprintf(k, sizeof k, "n%d", j);
    cJSON_AddStringToObject(e, "name", k);
    cJSON_AddNumberToObject(e, "v", j == 777 ? -1 : j);
    cJSON_AddItemToArray(sl, e);
    cJSON_AddNumberToObject(so, k, j == 4242 ? -1 : j);
  }
  fo_buf_puts(&out, "");
  assert_int_equal(fo_audit_diff_values(pa, sa, collect, &out), 0);
  assert_string_equal(out.data, "l[name=n777].v|777|-1|0\no.n4242|4242|-1|0\n");
  fo_buf_dispose(&out);
  cJSON_Delete(pa);
  cJSON_Delete(sa);
}

static void test_repeated_keys(void **state) {
  (void)state;
  /* a repeated key: the first one counts (as cJSON's lookup), in any order of the other keys */
  diff("{\"a\":1,\"b\":2,\"a\":3}", "{\"b\":2,\"a\":1}", "");
  diff("{\"c\":[{\"x\":{\"a\":1,\"b\":2}}]}", "{\"c\":[{\"x\":{\"b\":2,\"a\":1}}]}", "");
  diff("{\"c\":[{\"x\":{\"a\":1,\"b\":2}}]}", "{\"c\":[{\"x\":{\"b\":2,\"c\":1}}]}",
       "c|[{\"x\":{\"a\":1,\"b\":2}}]|[{\"x\":{\"b\":2,\"c\":1}}]|0\n");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_objects),
      cmocka_unit_test(test_identity_arrays),
      cmocka_unit_test(test_identity_key_choice),
      cmocka_unit_test(test_sensitive),
      cmocka_unit_test(test_value_text_cut),
      cmocka_unit_test(test_large_members),
      cmocka_unit_test(test_value_text_hides_hashes),
      cmocka_unit_test(test_repeated_keys),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
