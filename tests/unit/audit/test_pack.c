/* unit.audit.pack: packed trees (fo_audit_pack) come back exactly as they went in, equal bytes mean equal trees,
 * bad bytes are refused, snapshots read from text keep each object's attributes packed, repacking reuses the
 * room it can, and the arena's reset hands everything out again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_audit_arena.h"
#include "fo_audit_json.h"
#include "fo_audit_pack.h"
#include "fo_audit_snapshot.h"
#include "fo_err.h"

static cJSON *parse(const char *text) {
  fo_audit_json_opts o = {.what = "test", .max_depth = 64, .max_bytes = 1 << 20};
  cJSON *v = NULL;
  assert_int_equal(fo_audit_json_parse(&v, text, strlen(text), &o), 0);
  return v;
}

/* Pack `text`'s tree, open it into an arena and check that it writes the same text as the original. */
static void expect_roundtrip(const char *text) {
  cJSON *v = parse(text), *back = NULL;
  fo_audit_arena *a = fo_audit_arena_new();
  fo_buf bytes = FO_BUF_INIT;
  char *want, *got;
  assert_non_null(a);
  assert_int_equal(fo_audit_pack_write(&bytes, v), 0);
  assert_int_equal(fo_audit_pack_read(&back, (const unsigned char *)bytes.data, bytes.len, a), 0);
  want = fo_audit_json_print(v, NULL);
  got = fo_audit_json_print(back, NULL);
  assert_string_equal(got, want);
  assert_true(fo_audit_json_equal(v, back, 64));
  free(want);
  free(got);
  fo_buf_dispose(&bytes);
  fo_audit_json_delete(back); /* frees nothing: all the arena's */
  fo_audit_arena_free(a);
  cJSON_Delete(v);
}

static void test_roundtrip_exact(void **state) {
  (void)state;
  expect_roundtrip("{}");
  expect_roundtrip("[]");
  expect_roundtrip("{\"a\":null,\"b\":true,\"c\":false,\"d\":\"\",\"e\":[],\"f\":{}}");
  /* integers (zigzag varints), the 2^53 edge, doubles, and numbers whose double is not exact (text kept) */
  expect_roundtrip(
      "[0,-0,1,-1,127,128,-129,8000,1000000000000000,9007199254740992,-9007199254740992,"
      "9007199254740993,-9007199254740993,18446744073709551617,1.5,-0.25,0.1,1e300,-1e-300,"
      "0.1000000000000000000001]");
  /* strings with escapes, UTF-8, and a NUL (a Raw literal) */
  expect_roundtrip("{\"s\":\"tab\\there \\\"q\\\" \\\\ \\u0001 caf\xc3\xa9\",\"n\":\"a\\u0000b\",\"k\":[\"\\u0000\"]}");
  /* key order and repeated keys are kept; a key longer than the intern table takes */
  expect_roundtrip(
      "{\"z\":1,\"a\":2,\"z\":3,\"a_key_that_is_much_longer_than_sixty_four_bytes_so_it_is_not_"
      "interned_at_all\":{\"x\":[[[[1]]]]}}");
}

static void test_same_bytes_same_tree(void **state) {
  static const char *texts[] = {"{\"a\":1,\"b\":[1,2]}", "{\"a\":1,\"b\":[1,2]}", "{\"b\":[1,2],\"a\":1}",
                                "{\"a\":1,\"b\":[2,1]}", "{\"a\":1.0,\"b\":[1,2]}"};
  cJSON *nodes[5];
  fo_audit_arena *store = fo_audit_arena_new();
  (void)state;
  assert_non_null(store);
  for (int i = 0; i < 5; i++) {
    cJSON *v = parse(texts[i]);
    fo_buf bytes = FO_BUF_INIT;
    assert_int_equal(fo_audit_pack_write(&bytes, v), 0);
    cJSON_Delete(v->child);
    v->child = NULL;
    assert_int_equal(fo_audit_pack_set(v, (const unsigned char *)bytes.data, bytes.len, store), 0);
    assert_true(fo_audit_pack_is(v));
    assert_true(cJSON_IsObject(v));
    assert_null(v->child);
    fo_buf_dispose(&bytes);
    nodes[i] = v;
  }
  assert_true(fo_audit_pack_same(nodes[0], nodes[1]));
  assert_true(fo_audit_pack_same(nodes[0], nodes[4]));  /* 1.0 reads 1: the same number */
  assert_false(fo_audit_pack_same(nodes[0], nodes[2])); /* other key order: other bytes (the diff decides) */
  assert_false(fo_audit_pack_same(nodes[0], nodes[3]));
  assert_false(fo_audit_pack_same(nodes[0], NULL));
  /* a packed node writes into another pack: refused, not silently "{}" */
  {
    fo_buf bytes = FO_BUF_INIT;
    assert_int_equal(fo_audit_pack_write(&bytes, nodes[0]), FO_EINVAL);
    fo_buf_dispose(&bytes);
  }
  for (int i = 0; i < 5; i++)
    cJSON_Delete(nodes[i]); /* cJSON_IsReference: the bytes are the store's */
  fo_audit_arena_free(store);
}

static void test_bad_bytes_refused(void **state) {
  cJSON *v = parse("{\"name\":\"x\",\"n\":[1,2.5,9007199254740993],\"o\":{\"k\":null}}"), *back;
  fo_audit_arena *a = fo_audit_arena_new();
  fo_buf bytes = FO_BUF_INIT;
  unsigned char bad_tag[] = {42}, bad_count[] = {8, 0xFF, 0xFF, 0xFF, 0x0F}, nul_string[] = {6, 3, 'a', 0, 'b'};
  (void)state;
  assert_int_equal(fo_audit_pack_write(&bytes, v), 0);
  /* every cut short is refused (and costs nothing outside the arena) */
  for (size_t n = 0; n < bytes.len; n++) {
    assert_int_equal(fo_audit_pack_read(&back, (const unsigned char *)bytes.data, n, a), FO_EINVAL);
    assert_null(back);
  }
  assert_int_equal(fo_buf_append(&bytes, "\0", 1), 0);
  assert_int_equal(fo_audit_pack_read(&back, (const unsigned char *)bytes.data, bytes.len, a), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "bytes after the value"));
  assert_int_equal(fo_audit_pack_read(&back, bad_tag, sizeof bad_tag, a), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "unknown tag"));
  assert_int_equal(fo_audit_pack_read(&back, bad_count, sizeof bad_count, a), FO_EINVAL);
  assert_int_equal(fo_audit_pack_read(&back, nul_string, sizeof nul_string, a), FO_EINVAL);
  assert_int_equal(fo_audit_pack_open(&back, v, a), FO_EINVAL); /* not a packed node */
  fo_buf_dispose(&bytes);
  fo_audit_arena_free(a);
  cJSON_Delete(v);
}

#define HEAD "{\"format\":\"failover-audit-snapshot\",\"version\":1,\"side\":\"primary\",\"sources\":[],"

static void test_snapshot_keeps_attributes_packed(void **state) {
  static const char doc[] = HEAD
      "\"attributes\":{\"top\":1},\"objects\":{"
      "\"terraform/a.b\":{\"source\":\"terraform_state\",\"attributes\":{\"arn\":\"x\","
      "\"big\":9007199254740993,\"tags\":{\"Name\":\"n\"}},\"kind\":\"aws_s3_bucket\"},"
      "\"terraform/c.d\":{\"source\":\"terraform_state\",\"attributes\":{}}}}";
  fo_audit_snapshot *s = NULL, *c = NULL;
  fo_audit_arena *scratch = fo_audit_arena_new();
  cJSON *attrs = NULL, *obj = NULL;
  fo_buf out = FO_BUF_INIT, again = FO_BUF_INIT;
  (void)state;
  assert_int_equal(fo_audit_snapshot_parse(&s, doc, sizeof doc - 1, "snap.json"), 0);
  /* only "attributes" of an object in "objects" is packed; the object's other members stay a tree */
  assert_false(fo_audit_pack_is(cJSON_GetObjectItemCaseSensitive(s->doc, "attributes")));
  obj = cJSON_GetObjectItemCaseSensitive(s->objects, "terraform/a.b");
  assert_true(fo_audit_pack_is(cJSON_GetObjectItemCaseSensitive(obj, "attributes")));
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(obj, "kind")->valuestring, "aws_s3_bucket");
  assert_int_equal(fo_audit_snapshot_attributes(&attrs, obj, scratch), 0);
  assert_string_equal(
      cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(attrs, "tags"), "Name")->valuestring, "n");
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(attrs, "big")->valuestring, "9007199254740993");
  /* written in full, and still packed afterwards (written twice alike) */
  assert_int_equal(fo_audit_snapshot_write(s, &out), 0);
  assert_non_null(strstr(out.data, "\"big\":\t9007199254740993"));
  assert_non_null(strstr(out.data, "\"Name\":\t\"n\""));
  assert_true(fo_audit_pack_is(cJSON_GetObjectItemCaseSensitive(obj, "attributes")));
  assert_int_equal(fo_audit_snapshot_write(s, &again), 0);
  assert_string_equal(out.data, again.data);
  /* a collected snapshot's attributes are the tree itself */
  assert_int_equal(fo_audit_snapshot_new(&c, "primary", NULL, NULL, NULL), 0);
  assert_int_equal(fo_audit_snapshot_add_object(&obj, c, "k", "terraform_state"), 0);
  assert_int_equal(fo_audit_snapshot_attributes(&attrs, obj, scratch), 0);
  assert_ptr_equal(attrs, cJSON_GetObjectItemCaseSensitive(obj, "attributes"));
  fo_audit_snapshot_free(c);
  fo_buf_dispose(&out);
  fo_buf_dispose(&again);
  fo_audit_arena_free(scratch);
  fo_audit_snapshot_free(s);
}

static void test_snapshot_errors_inside_attributes(void **state) {
  static const char bad[] = HEAD "\"objects\":{\"a\":{\"source\":\"s\",\"attributes\":{\"x\":[1,}}}}";
  char deep[400];
  fo_audit_snapshot *s = NULL;
  size_t n = 0;
  (void)state;
  assert_int_equal(fo_audit_snapshot_parse(&s, bad, sizeof bad - 1, "snap.json"), FO_EINVAL);
  assert_null(s);
  assert_non_null(strstr(fo_err_last(), "snapshot 'snap.json': invalid JSON near byte"));
  n += (size_t)snprintf(deep, sizeof deep, "%s\"objects\":{\"a\":{\"source\":\"s\",\"attributes\":{\"x\":", HEAD);
  for (int i = 0; i < 70; i++)
    deep[n++] = '[';
  for (int i = 0; i < 70; i++)
    deep[n++] = ']';
  n += (size_t)snprintf(deep + n, sizeof deep - n, "}}}}");
  assert_int_equal(fo_audit_snapshot_parse(&s, deep, n, "deep.json"), FO_ELIMIT);
  assert_non_null(strstr(fo_err_last(), "snapshot 'deep.json': nested deeper than 64 levels"));
}

static void test_arena_reset(void **state) {
  fo_audit_arena *a = fo_audit_arena_new();
  char *p;
  (void)state;
  assert_non_null(a);
  for (int i = 0; i < 1000; i++)
    assert_non_null(fo_audit_arena_alloc(a, 1000)); /* several blocks */
  assert_int_equal(fo_audit_arena_used(a), 1000 * 1000);
  fo_audit_arena_reset(a);
  assert_int_equal(fo_audit_arena_used(a), 0);
  assert_non_null(p = fo_audit_arena_strndup(a, "again", 5));
  assert_string_equal(p, "again");
  fo_audit_arena_reset(a);
  fo_audit_arena_reset(a);
  fo_audit_arena_free(a); /* every block once (ASan) */
}

/* Repacking puts bytes that fit over the old ones (normalizing a snapshot needs no second copy of it). */
static void test_repack_in_place(void **state) {
  cJSON *node = cJSON_CreateObject(), *back = NULL;
  fo_audit_arena *store = fo_audit_arena_new(), *a = fo_audit_arena_new();
  static const char *texts[] = {"{\"arn\":\"arn:aws:s3:us-east-1:111111111111:b\"}", "{\"arn\":\"${account}\"}",
                                "{\"arn\":\"a much longer text than any before it, so it needs room of its own\"}"};
  const char *at[3];
  (void)state;
  for (int i = 0; i < 3; i++) {
    cJSON *v = parse(texts[i]);
    fo_buf bytes = FO_BUF_INIT;
    char *want, *got;
    assert_int_equal(fo_audit_pack_write(&bytes, v), 0);
    assert_int_equal(fo_audit_pack_set(node, (const unsigned char *)bytes.data, bytes.len, store), 0);
    at[i] = node->valuestring;
    fo_audit_arena_reset(a);
    assert_int_equal(fo_audit_pack_open(&back, node, a), 0);
    want = fo_audit_json_print(v, NULL);
    got = fo_audit_json_print(back, NULL);
    assert_string_equal(got, want);
    free(want);
    free(got);
    fo_buf_dispose(&bytes);
    cJSON_Delete(v);
  }
  assert_ptr_equal(at[1], at[0]);     /* shorter: in place */
  assert_ptr_not_equal(at[2], at[1]); /* longer: new room from the store */
  cJSON_Delete(node);
  fo_audit_arena_free(a);
  fo_audit_arena_free(store);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_roundtrip_exact),
      cmocka_unit_test(test_same_bytes_same_tree),
      cmocka_unit_test(test_bad_bytes_refused),
      cmocka_unit_test(test_snapshot_keeps_attributes_packed),
      cmocka_unit_test(test_snapshot_errors_inside_attributes),
      cmocka_unit_test(test_arena_reset),
      cmocka_unit_test(test_repack_in_place),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
