/* unit.aws.outside: the checks on outside values before they reach a header, URL or path (IMDS token and role,
 * ECS URIs, any credentials), the pure parsers (credential_process output, SSO cache) and profile resolution
 * as a plan (order of roles, loops, labels). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fo_aws_creds.h"
#include "fo_aws_creds_parse.h"
#include "fo_aws_enc.h"
#include "fo_aws_ini.h"
#include "fo_aws_profile.h"
#include "fo_err.h"

static void header_values(void **state) {
  (void)state;
  assert_int_equal(fo_aws_check_header_value("AQAEAF-token_=/+", 64, "t"), 0);
  assert_int_equal(fo_aws_check_header_value("a\r\nX-Injected: 1", 64, "the token"), FO_EINVAL);
  assert_string_equal(fo_err_last(), "the token is not a valid header value: byte 2 is 0x0d");
  assert_int_equal(fo_aws_check_header_value("a\nb", 64, "t"), FO_EINVAL);
  assert_int_equal(fo_aws_check_header_value("\x7f", 64, "t"), FO_EINVAL);
  assert_int_equal(fo_aws_check_header_value("\xc3\xa9", 64, "t"), FO_EINVAL);
  assert_int_equal(fo_aws_check_header_value("", 64, "t"), FO_EINVAL);
  assert_int_equal(fo_aws_check_header_value("12345", 4, "t"), FO_EINVAL);
  assert_string_equal(fo_err_last(), "t is longer than 4 bytes");
}

static void path_segments(void **state) {
  (void)state;
  assert_int_equal(fo_aws_check_path_segment("fo-node_role+=,.@x", 128, "role"), 0);
  assert_int_equal(fo_aws_check_path_segment("../../../etc", 128, "role"), FO_EINVAL);
  assert_string_equal(fo_err_last(), "role is not one path segment: byte 3 is '/' (allowed: A-Z a-z 0-9 +=,.@_-)");
  assert_int_equal(fo_aws_check_path_segment("..", 128, "role"), FO_EINVAL);
  assert_string_equal(fo_err_last(), "role '..' is not a name");
  assert_int_equal(fo_aws_check_path_segment(".", 128, "role"), FO_EINVAL);
  assert_int_equal(fo_aws_check_path_segment("a%2f", 128, "role"), FO_EINVAL);
  assert_int_equal(fo_aws_check_path_segment("a?b", 128, "role"), FO_EINVAL);
  assert_int_equal(fo_aws_check_path_segment("a\tb", 128, "role"), FO_EINVAL);
  assert_string_equal(fo_err_last(), "role is not one path segment: byte 2 is 0x09");
  assert_int_equal(fo_aws_check_path_segment("", 128, "role"), FO_EINVAL);
}

static void urls(void **state) {
  (void)state;
  assert_int_equal(fo_aws_check_url("http://127.0.0.1:8080/creds?x=@y", 1, "u"), 0);
  assert_int_equal(fo_aws_check_url("http://127.0.0.1:80@example.com/creds", 1, "u"), FO_EINVAL);
  assert_string_equal(fo_err_last(), "u has user info ('@') in its host part");
  assert_int_equal(fo_aws_check_url("http://user:pw@localhost/", 1, "u"), FO_EINVAL);
  assert_int_equal(fo_aws_check_url("http://localhost\\@evil/", 1, "u"), FO_EINVAL);
  assert_int_equal(fo_aws_check_url("/v2/creds x", 0, "u"), FO_EINVAL);
  assert_int_equal(fo_aws_check_url("/v2/creds\r\nX: y", 0, "u"), FO_EINVAL);
  assert_int_equal(fo_aws_check_url("/v2/credentials/abc@def", 0, "u"), 0);
  assert_int_equal(fo_aws_check_url("no-scheme", 1, "u"), FO_EINVAL);
}

static void process_output(void **state) {
  fo_aws_credentials *c = NULL;
  const char *ok = "{\"Version\": 1, \"AccessKeyId\": \"AKIA1\", \"SecretAccessKey\": \"s\", \"SessionToken\": \"t\"}";
  const char *crlf =
      "{\"Version\": 1, \"AccessKeyId\": \"AKIA1\", \"SecretAccessKey\": \"s\", \"SessionToken\": \"t\\r\\n\"}";
  (void)state;
  assert_int_equal(fo_aws_creds_process_parse(&c, ok, strlen(ok), "profile:p"), 0);
  assert_string_equal(c->access_key_id, "AKIA1");
  fo_aws_credentials_free(c);
  assert_int_equal(fo_aws_creds_process_parse(&c, crlf, strlen(crlf), "profile:p"), FO_EINVAL);
  assert_null(c);
  assert_non_null(strstr(fo_err_last(), "the session token is not a valid header value"));
  assert_int_equal(fo_aws_creds_process_parse(&c, "{\"Version\": 2}", 14, "profile:p"), FO_EINVAL);
  assert_string_equal(fo_err_last(), "profile:p: credential_process output needs \"Version\": 1");
}

static void sso_cache(void **state) {
  const char *ok = "{\"accessToken\": \"tok\", \"expiresAt\": \"2099-01-01T00:00:00Z\"}";
  const char *bad = "{\"accessToken\": \"t\\r\\nX: 1\", \"expiresAt\": \"2099-01-01T00:00:00Z\"}";
  char *tok = NULL;
  time_t t = 0;
  (void)state;
  assert_int_equal(fo_aws_creds_sso_cache_parse(&tok, &t, ok, strlen(ok), "c.json"), 0);
  assert_string_equal(tok, "tok");
  assert_true(t > 4000000000);
  fo_aws_free_secret(tok);
  assert_int_equal(fo_aws_creds_sso_cache_parse(&tok, &t, bad, strlen(bad), "c.json"), FO_EINVAL);
  assert_null(tok);
  assert_non_null(strstr(fo_err_last(), "sso token cache 'c.json'"));
  assert_non_null(strstr(fo_err_last(), "byte 2 is 0x0d"));
}

static void profile_plans(void **state) {
  const char *cfg =
      "[profile top]\nrole_arn = arn:r1\nsource_profile = mid\nexternal_id = e1\n"
      "[profile mid]\nrole_arn = arn:r2\nsource_profile = base\nduration_seconds = 900\n"
      "[profile base]\naws_access_key_id = AKIAB\naws_secret_access_key = sb\n"
      "[profile loop]\nrole_arn = arn:l\nsource_profile = loop2\n"
      "[profile loop2]\nrole_arn = arn:l2\nsource_profile = loop\n"
      "[profile ec2]\nrole_arn = arn:e\ncredential_source = Ec2InstanceMetadata\n"
      "[profile proc]\ncredential_process = /bin/creds\n";
  fo_aws_ini *ini = NULL;
  fo_aws_profile_plan pl;
  (void)state;
  assert_int_equal(fo_aws_ini_parse(&ini, cfg, strlen(cfg), "config"), 0);
  assert_int_equal(fo_aws_profile_resolve(&pl, ini, NULL, "config", "credentials", "top", 1), 0);
  assert_int_equal(pl.base, FO_AWS_PROFILE_STATIC);
  assert_string_equal(pl.access_key_id, "AKIAB");
  assert_string_equal(pl.base_label, "profile:base");
  assert_int_equal(pl.n_assume, 2);
  /* innermost role first */
  assert_string_equal(pl.assume[0].role_arn, "arn:r2");
  assert_int_equal(pl.assume[0].duration_seconds, 900);
  assert_string_equal(pl.assume[0].label, "profile:mid");
  assert_string_equal(pl.assume[1].role_arn, "arn:r1");
  assert_string_equal(pl.assume[1].external_id, "e1");
  assert_string_equal(pl.label, "profile:top");
  assert_int_equal(fo_aws_profile_resolve(&pl, ini, NULL, "config", "credentials", "loop", 1), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "source_profile chain is longer than 8 (a loop?)"));
  assert_int_equal(fo_aws_profile_resolve(&pl, ini, NULL, "config", "credentials", "ec2", 1), 0);
  assert_int_equal(pl.base, FO_AWS_PROFILE_SOURCE_IMDS);
  assert_int_equal(pl.n_assume, 1);
  assert_int_equal(fo_aws_profile_resolve(&pl, ini, NULL, "config", "credentials", "proc", 1), 0);
  assert_int_equal(pl.base, FO_AWS_PROFILE_PROCESS);
  assert_string_equal(pl.process, "/bin/creds");
  assert_int_equal(fo_aws_profile_resolve(&pl, ini, NULL, "config", "credentials", "nope", 0), FO_ENOTFOUND);
  assert_int_equal(fo_aws_profile_resolve(&pl, ini, NULL, "config", "credentials", "nope", 1), FO_EINVAL);
  assert_string_equal(fo_err_last(), "profile 'nope' not found in 'config' or 'credentials'");
  fo_aws_ini_free(ini);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(header_values),  cmocka_unit_test(path_segments), cmocka_unit_test(urls),
      cmocka_unit_test(process_output), cmocka_unit_test(sso_cache),     cmocka_unit_test(profile_plans),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
