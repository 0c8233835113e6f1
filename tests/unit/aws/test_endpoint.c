/* unit.aws.endpoint: standard endpoints, Route53 global signing, overrides
 * from configuration and AWS_ENDPOINT_URL[_<SERVICE>] in SDK precedence. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fo_aws_endpoint.h"
#include "fo_err.h"

static const char *const *fake_env_vars;

static const char *fake_env(const char *name) {
  size_t i;
  for (i = 0; fake_env_vars && fake_env_vars[i]; i += 2)
    if (strcmp(fake_env_vars[i], name) == 0)
      return fake_env_vars[i + 1];
  return NULL;
}

static void standard(void **state) {
  fo_aws_endpoint ep;
  (void)state;
  fake_env_vars = NULL;
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_eks, "us-east-2", NULL, 0, fake_env), 0);
  assert_string_equal(ep.url, "https://eks.us-east-2.amazonaws.com");
  assert_string_equal(ep.signing_region, "us-east-2");
  assert_int_equal(ep.overridden, 0);
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_sts, "us-east-1", NULL, 0, fake_env), 0);
  assert_string_equal(ep.url, "https://sts.us-east-1.amazonaws.com");
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_elbv2, "eu-west-1", NULL, 0, fake_env), 0);
  assert_string_equal(ep.url, "https://elasticloadbalancing.eu-west-1.amazonaws.com");
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_backup, "cn-north-1", NULL, 0, fake_env), 0);
  assert_string_equal(ep.url, "https://backup.cn-north-1.amazonaws.com.cn");
}

static void route53_global(void **state) {
  fo_aws_endpoint ep;
  (void)state;
  fake_env_vars = NULL;
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_route53, "us-east-2", NULL, 0, fake_env), 0);
  assert_string_equal(ep.url, "https://route53.amazonaws.com");
  assert_string_equal(ep.signing_region, "us-east-1");
  /* no region at all is fine for a global service */
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_route53, NULL, NULL, 0, fake_env), 0);
  assert_string_equal(ep.signing_region, "us-east-1");
  /* overridden: still signed for us-east-1 */
  {
    static const char *const vars[] = {"AWS_ENDPOINT_URL", "http://127.0.0.1:5000/", NULL};
    fake_env_vars = vars;
    assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_route53, "us-east-2", NULL, 0, fake_env), 0);
    assert_string_equal(ep.url, "http://127.0.0.1:5000");
    assert_string_equal(ep.signing_region, "us-east-1");
  }
}

static void precedence(void **state) {
  static const char *const vars[] = {"AWS_ENDPOINT_URL",
                                     "http://global:1",
                                     "AWS_ENDPOINT_URL_ROUTE_53",
                                     "http://r53:2",
                                     "AWS_ENDPOINT_URL_AUTO_SCALING",
                                     "http://asg:3",
                                     NULL};
  static const char *const ignore[] = {"AWS_ENDPOINT_URL", "http://global:1", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                                       "true", NULL};
  fo_aws_endpoint_override ov[] = {{"eks", "https://eks.internal:8443/base/"}, {"route53", "http://cfg:4"}};
  fo_aws_endpoint ep;
  (void)state;
  fake_env_vars = vars;
  /* config beats environment */
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_route53, "us-east-1", ov, 2, fake_env), 0);
  assert_string_equal(ep.url, "http://cfg:4");
  assert_int_equal(ep.overridden, 1);
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_eks, "us-east-1", ov, 2, fake_env), 0);
  assert_string_equal(ep.url, "https://eks.internal:8443/base");
  /* service variable beats the global one */
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_route53, "us-east-1", NULL, 0, fake_env), 0);
  assert_string_equal(ep.url, "http://r53:2");
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_autoscaling, "us-east-1", NULL, 0, fake_env), 0);
  assert_string_equal(ep.url, "http://asg:3");
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_sts, "us-east-1", NULL, 0, fake_env), 0);
  assert_string_equal(ep.url, "http://global:1");
  /* AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns the variables off */
  fake_env_vars = ignore;
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_sts, "us-east-1", NULL, 0, fake_env), 0);
  assert_string_equal(ep.url, "https://sts.us-east-1.amazonaws.com");
}

static void errors(void **state) {
  static const char *const vars[] = {"AWS_ENDPOINT_URL_EKS", "ftp://nope", NULL};
  fo_aws_endpoint ep;
  (void)state;
  fake_env_vars = NULL;
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_eks, NULL, NULL, 0, fake_env), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "no region set for service 'eks'"));
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_eks, "us-east-1/../x", NULL, 0, fake_env), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "bad region"));
  fake_env_vars = vars;
  assert_int_equal(fo_aws_endpoint_resolve(&ep, &fo_aws_svc_eks, "us-east-1", NULL, 0, fake_env), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "AWS_ENDPOINT_URL_EKS"));
  assert_ptr_equal(fo_aws_service_find("Route53"), &fo_aws_svc_route53);
  assert_null(fo_aws_service_find("nope"));
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(standard), cmocka_unit_test(route53_global),
                                     cmocka_unit_test(precedence), cmocka_unit_test(errors)};
  return cmocka_run_group_tests_name("endpoint", tests, NULL, NULL);
}
