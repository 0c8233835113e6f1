/* unit.audit.normalize: region/AZ/account/id rewriting, config rules, volatile fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fo_audit_arena.h"
#include "fo_audit_config.h"
#include "fo_audit_json.h"
#include "fo_audit_collector.h"
#include "fo_audit_normalize.h"
#include "fo_err.h"

static void check(const fo_audit_norm_ctx *ctx, const char *in, const char *want) {
  char *got = fo_audit_normalize_text(ctx, in);
  assert_non_null(got);
  assert_string_equal(got, want);
  free(got);
}

static void test_regions_and_azs(void **state) {
  fo_audit_norm_ctx p = {"us-east-1", "us-east-2", NULL, NULL, NULL, 0};
  fo_audit_norm_ctx s = {"us-east-2", "us-east-1", NULL, NULL, NULL, 1};
  (void)state;
  check(&p, "us-east-1a", "${region}a");
  check(&s, "us-east-2a", "${region}a");
  check(&p, "copy to us-east-2", "copy to ${peer_region}");
  check(&s, "copy to us-east-1", "copy to ${peer_region}");
  check(&p, "eu-west-1", "eu-west-1");
}

static void test_arn_accounts(void **state) {
  fo_audit_norm_ctx any = {"us-east-1", "us-east-2", NULL, NULL, NULL, 0};
  fo_audit_norm_ctx known = {"us-east-1", "us-east-2", "111111111111", "222222222222", NULL, 0};
  (void)state;
  check(&any, "arn:aws:iam::123456789012:role/x", "arn:aws:iam::${account}:role/x");
  check(&any, "arn:aws:sqs:us-east-1:123456789012:jobs", "arn:aws:sqs:${region}:${account}:jobs");
  check(&known, "arn:aws:iam::222222222222:root", "arn:aws:iam::${peer_account}:root");
  /* a third account is a real difference: kept */
  check(&known, "arn:aws:iam::333333333333:root", "arn:aws:iam::333333333333:root");
  /* bare account ids of known accounts */
  check(&known, "111111111111.dkr.ecr.us-east-1.amazonaws.com", "${account}.dkr.ecr.${region}.amazonaws.com");
  /* not an ARN account field */
  check(&any, "arn:aws:s3:::bucket-123456789012", "arn:aws:s3:::bucket-123456789012");
}

static void test_physical_ids(void **state) {
  fo_audit_norm_ctx p = {"us-east-1", "us-east-2", NULL, NULL, NULL, 0};
  (void)state;
  check(&p, "vpc-0123456789abcdef0", "${id:vpc}");
  check(&p, "sg-12345678,subnet-0123456789abcdef0", "${id:sg},${id:subnet}");
  check(&p, "i-0123456789abcdef0", "${id:i}");
  check(&p, "multi-12345678", "multi-12345678"); /* not a known prefix at a word start */
  check(&p, "vpc-123", "vpc-123");               /* wrong length */
}

static void test_config_rules(void **state) {
  static const char yml[] =
      "version: 1\nsides:\n  primary: {region: us-east-1}\n  secondary: {region: us-east-2}\n"
      "normalize:\n  - literal: {primary: use1, secondary: use2}\n    replace: \"<r>\"\n"
      "  - regex: \"build-[0-9]+\"\n    replace: build-N\n";
  fo_audit_config *cfg = NULL;
  fo_audit_norm_ctx p = {"us-east-1", "us-east-2", NULL, NULL, NULL, 0};
  fo_audit_norm_ctx s = {"us-east-2", "us-east-1", NULL, NULL, NULL, 1};
  (void)state;
  assert_int_equal(fo_audit_config_parse(&cfg, yml, sizeof yml - 1, "t.yml", NULL), 0);
  p.cfg = s.cfg = cfg;
  check(&p, "api.use1.example.com build-42", "api.<r>.example.com build-N");
  check(&s, "api.use2.example.com build-7", "api.<r>.example.com build-N");
  check(&s, "api.use1.example.com", "api.use1.example.com"); /* the primary's literal is not the secondary's */
  fo_audit_config_free(cfg);
}

/* The documented regex syntax keeps working under PCRE2 (classes, anchors, alternation, empty matches), and a
 * pattern that backtracks catastrophically stops at the match limit with an error naming the rule. */
static void test_regex_engine(void **state) {
  static const char yml[] =
      "version: 1\nsides:\n  primary: {region: us-east-1}\n  secondary: {region: us-east-2}\n"
      "normalize:\n  - regex: \"ami-[0-9a-f]+\"\n    replace: \"<ami>\"\n"
      "  - regex: \"^v[[:digit:]]+(\\\\.[0-9]+)?$\"\n    replace: \"<v>\"\n"
      "  - regex: \"(blue|green)-stack\"\n    replace: \"<color>-stack\"\n"
      "  - regex: \"z*\"\n    replace: \"\"\n"
      "  - regex: \"(x+x+)+[yz]\"\n    replace: \"\"\n";
  static const char many[] =
      "version: 1\nsides:\n  primary: {region: us-east-1}\n  secondary: {region: us-east-2}\n"
      "normalize:\n  - regex: \"(x+x+)+y|x\"\n";
  fo_audit_config *cfg = NULL, *mcfg = NULL;
  fo_audit_norm_ctx p = {"us-east-1", "us-east-2", NULL, NULL, NULL, 0};
  fo_audit_norm_ctx q = {"us-east-1", "us-east-2", NULL, NULL, NULL, 0};
  cJSON *attrs;
  char *long_x = malloc(20001);
  (void)state;
  assert_int_equal(fo_audit_config_parse(&cfg, yml, sizeof yml - 1, "t.yml", NULL), 0);
  assert_int_equal(fo_audit_config_parse(&mcfg, many, sizeof many - 1, "m.yml", NULL), 0);
  p.cfg = cfg;
  q.cfg = mcfg;
  check(&q, "xxyaxx", "a"); /* short values: every match replaced */
  check(&p, "image ami-0abc123 and ami-ffff", "image <ami> and <ami>");
  check(&p, "v12.3", "<v>");
  check(&p, "xv12.3", "xv12.3");
  check(&p, "blue-stack green-stack red-stack", "<color>-stack <color>-stack red-stack");
  check(&p, "zzazz", "a");
  assert_non_null(long_x);
  memset(long_x, 'x', 20000);
  long_x[20000] = '\0';
  assert_null(fo_audit_normalize_text(&p, long_x));
  assert_int_equal(fo_audit_normalize_error(), FO_ELIMIT);
  if (!strstr(fo_err_last(),
              "t.yml:14: normalize[4]: regex '(x+x+)+[yz]' stopped on a value of 20000 bytes: match limit"))
    fail_msg("message: %s", fo_err_last());
  /* many matches in one value, each backtracking just under the per-attempt limit (runs of 16 x: about 2^16
   * steps before `|x` matches), share one budget: an error instead of hours */
  for (int i = 0; i < 20000; i++)
    long_x[i] = i % 17 == 16 ? 'a' : 'x';
  assert_null(fo_audit_normalize_text(&q, long_x));
  assert_int_equal(fo_audit_normalize_error(), FO_ELIMIT);
  assert_non_null(strstr(fo_err_last(), "normalize[0]: regex '(x+x+)+y|x' stopped on a value of 20000 bytes"));
  memset(long_x, 'x', 20000);
  /* the same through a snapshot's attributes: the error comes back, not "out of memory" */
  attrs = cJSON_CreateObject();
  assert_non_null(cJSON_AddStringToObject(attrs, "k", long_x));
  assert_int_equal(fo_audit_normalize_attributes(&p, attrs), FO_ELIMIT);
  assert_non_null(strstr(fo_err_last(), "match limit"));
  cJSON_Delete(attrs);
  free(long_x);
  fo_audit_config_free(cfg);
  fo_audit_config_free(mcfg);
}

static void test_volatile_fields(void **state) {
  fo_audit_norm_ctx p = {"us-east-1", "us-east-2", NULL, NULL, NULL, 0};
  cJSON *a = cJSON_Parse(
      "{\"id\":\"x\",\"creation_date\":\"t\",\"nested\":{\"etag\":\"e\",\"keep\":\"us-east-1\"},"
      "\"tags\":{\"us-east-1-key\":\"v\"}}");
  char *txt;
  (void)state;
  assert_non_null(a);
  /* what is volatile for one source only, its collector drops before the generic pass */
  fo_audit_collector_tfstate.drop_volatile(a);
  assert_int_equal(fo_audit_normalize_attributes(&p, a), 0);
  txt = cJSON_PrintUnformatted(a);
  assert_string_equal(txt, "{\"nested\":{\"keep\":\"${region}\"},\"tags\":{\"${region}-key\":\"v\"}}");
  cJSON_free(txt);
  cJSON_Delete(a);
  a = cJSON_Parse(
      "{\"metadata\":{\"uid\":\"u\",\"name\":\"n\",\"annotations\":{"
      "\"kubectl.kubernetes.io/last-applied-configuration\":\"{}\"}},\"status\":{\"x\":1}}");
  fo_audit_collector_manifests.drop_volatile(a);
  assert_int_equal(fo_audit_normalize_attributes(&p, a), 0);
  txt = cJSON_PrintUnformatted(a);
  assert_string_equal(txt, "{\"metadata\":{\"name\":\"n\",\"annotations\":{}}}");
  cJSON_free(txt);
  cJSON_Delete(a);
}

/* A Terraform region and an OpenTofu region: the registry host of the same provider and the moments each side
 * applied (switched_at, …) are not drift; schedules and expiries still are. */
static void test_terraform_vs_tofu(void **state) {
  fo_audit_norm_ctx p = {"us-east-1", "us-east-2", NULL, NULL, NULL, 0};
  (void)state;
  check(&p, "provider[\"registry.terraform.io/hashicorp/aws\"]", "provider[\"registry.terraform.io/hashicorp/aws\"]");
  check(&p, "provider[\"registry.opentofu.org/hashicorp/aws\"]", "provider[\"registry.terraform.io/hashicorp/aws\"]");
  check(&p, "example.com/hashicorp/aws", "example.com/hashicorp/aws");
  assert_true(fo_audit_normalize_is_event_time("switched_at", "2026-11-25T10:00:00Z"));
  assert_true(fo_audit_normalize_is_event_time("restarted_at", "2026-11-25t10:00:00.123+02:00"));
  assert_true(fo_audit_normalize_is_event_time("lastTransitionTime", "2026-11-25T10:00:00Z"));
  assert_true(fo_audit_normalize_is_event_time("last_failover", "2026-11-25 10:00:00-05:00"));
  assert_true(fo_audit_normalize_is_event_time("appended_at", "2026-11-25T10:00:00Z"));
  assert_false(fo_audit_normalize_is_event_time("switched_at", "primary"));
  assert_false(fo_audit_normalize_is_event_time("switched_at", "2026-11-25"));
  assert_false(fo_audit_normalize_is_event_time("switched_at", "2026-11-25T10:00:00"));
  assert_false(fo_audit_normalize_is_event_time("switched_at", "2026-11-25T10:00:00Zx"));
  assert_false(fo_audit_normalize_is_event_time("description", "2026-11-25T10:00:00Z"));
  assert_false(fo_audit_normalize_is_event_time("start_time", "2026-11-25T10:00:00Z"));
  assert_false(fo_audit_normalize_is_event_time("expires_at", "2026-11-25T10:00:00Z"));
  assert_false(fo_audit_normalize_is_event_time("not_after_date", "2026-11-25T10:00:00Z"));
  assert_false(fo_audit_normalize_is_event_time("validUntilTime", "2026-11-25T10:00:00Z"));
}

/* The memo and the arena change how much work normalization does, never its result: the same document read into
 * malloc'ed nodes and normalized without a memo, and read into an arena and normalized through one, print the
 * same; deleting volatile members from the arena tree and freeing it are clean (ASan, valgrind). */
static void test_memo_and_arena(void **state) {
  static const char doc[] =
      "[{\"us-east-1-bucket\": \"arn:aws:s3:us-east-1:111111111111:b\", \"created_at\": \"x\", "
      "\"switched_at\": \"2026-11-25T10:00:00Z\", \"tags\": {\"Region\": \"us-east-1\", \"etag\": [1, 2]}, "
      "\"n\": 1.5, \"big\": 9007199254740993, \"nul\": \"a\\u0000b\", \"id\": \"vpc-0123abcd\"},"
      " {\"us-east-1-bucket\": \"arn:aws:s3:us-east-1:111111111111:b\", \"created_at\": \"y\", "
      "\"switched_at\": \"2026-11-26T10:00:00Z\", \"tags\": {\"Region\": \"us-east-1\", \"etag\": 3}},"
      " {\"us-east-1-bucket\": \"other\", \"switched_at\": \"soon\"}]";
  fo_audit_norm_ctx ctx = {"us-east-1", "us-east-2", "111111111111", "222222222222", NULL, 0};
  fo_audit_json_opts plain = {.what = "plain", .max_depth = 64, .max_bytes = 1 << 20};
  fo_audit_json_opts in_arena = plain;
  cJSON *a = NULL, *b = NULL;
  fo_audit_norm_memo *memo;
  char *ta, *tb;
  (void)state;
  assert_non_null(in_arena.arena = fo_audit_arena_new());
  assert_int_equal(fo_audit_json_parse(&a, doc, sizeof doc - 1, &plain), 0);
  assert_int_equal(fo_audit_json_parse(&b, doc, sizeof doc - 1, &in_arena), 0);
  assert_true(b->type & FO_AUDIT_JSON_IN_ARENA);
  assert_non_null(memo = fo_audit_norm_memo_new(in_arena.arena));
  for (cJSON *x = a->child; x; x = x->next)
    assert_int_equal(fo_audit_normalize_attributes(&ctx, x), 0);
  for (cJSON *x = b->child; x; x = x->next)
    assert_int_equal(fo_audit_normalize_attributes_memo(&ctx, memo, x), 0);
  assert_non_null(ta = fo_audit_json_print(a, NULL));
  assert_non_null(tb = fo_audit_json_print(b, NULL));
  assert_string_equal(ta, tb);
  assert_non_null(strstr(ta, "\"${region}-bucket\":\"arn:aws:s3:${region}:${account}:b\""));
  assert_non_null(strstr(ta, "\"switched_at\":\"${timestamp}\""));
  assert_non_null(strstr(ta, "\"switched_at\":\"soon\""));
  assert_non_null(strstr(ta, "\"id\":\"${id:vpc}\""));
  assert_null(strstr(ta, "created_at"));
  assert_null(strstr(ta, "etag"));
  free(ta);
  free(tb);
  fo_audit_norm_memo_free(memo);
  cJSON_Delete(a);
  fo_audit_json_delete(b);
  fo_audit_arena_free(in_arena.arena);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_regions_and_azs), cmocka_unit_test(test_arn_accounts),
      cmocka_unit_test(test_physical_ids),    cmocka_unit_test(test_config_rules),
      cmocka_unit_test(test_volatile_fields), cmocka_unit_test(test_terraform_vs_tofu),
      cmocka_unit_test(test_regex_engine),    cmocka_unit_test(test_memo_and_arena),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
