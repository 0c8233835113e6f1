/* unit.aws.parse: XML -> cJSON shapes, bounded JSON, the three protocols'
 * error bodies, timestamps and URI encoding. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo_aws_client.h"
#include "fo_aws_enc.h"
#include "fo_aws_error.h"
#include "fo_aws_json.h"
#include "fo_aws_xml.h"
#include "fo_err.h"

static cJSON *xml(const char *text, const char *const *lists) {
  cJSON *out = NULL;
  assert_int_equal(fo_aws_xml_to_json(&out, text, strlen(text), lists), 0);
  return out;
}

static void xml_shapes(void **state) {
  static const char *const r53[] = {"HostedZone", "ResourceRecord", NULL};
  cJSON *d;
  (void)state;
  d =
      xml("<?xml version=\"1.0\"?><ListHostedZonesResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
          "<HostedZones><HostedZone><Id>/hostedzone/Z1</Id><Name>a.com.</Name></HostedZone></HostedZones>"
          "<IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesResponse>",
          r53);
  /* one item is still a list; numbers and booleans stay text */
  assert_true(cJSON_IsArray(fo_aws_json_get(d, "ListHostedZonesResponse/HostedZones")));
  assert_int_equal(cJSON_GetArraySize(fo_aws_json_list(d, "ListHostedZonesResponse/HostedZones")), 1);
  assert_string_equal(
      fo_aws_json_str(cJSON_GetArrayItem(fo_aws_json_list(d, "ListHostedZonesResponse/HostedZones"), 0), "Id"),
      "/hostedzone/Z1");
  assert_string_equal(fo_aws_json_str(d, "ListHostedZonesResponse/IsTruncated"), "false");
  cJSON_Delete(d);

  /* query protocol lists: member, nested; empty list element is "" */
  d =
      xml("<R><Result><Groups><member><Name>a</Name><Instances><member><Id>i-1</Id></member>"
          "<member><Id>i-2</Id></member></Instances></member><member><Name>b</Name><Instances/></member>"
          "</Groups><Token/></Result></R>",
          NULL);
  {
    cJSON *groups = fo_aws_json_list(d, "R/Result/Groups");
    assert_int_equal(cJSON_GetArraySize(groups), 2);
    assert_int_equal(cJSON_GetArraySize(fo_aws_json_list(cJSON_GetArrayItem(groups, 0), "Instances")), 2);
    assert_null(fo_aws_json_list(cJSON_GetArrayItem(groups, 1), "Instances"));
    assert_string_equal(fo_aws_json_str(d, "R/Result/Token"), "");
  }
  cJSON_Delete(d);

  /* repeated non-list names become arrays; mixed children stay an object */
  d = xml("<a><b>1</b><b>2</b><c>&lt;x&amp;y&gt;</c></a>", NULL);
  assert_int_equal(cJSON_GetArraySize(fo_aws_json_get(d, "a/b")), 2);
  assert_string_equal(fo_aws_json_str(d, "a/c"), "<x&y>");
  cJSON_Delete(d);
}

static void xml_bad(void **state) {
  cJSON *d = NULL;
  char *deep;
  size_t i, n = 0;
  (void)state;
  assert_int_equal(fo_aws_xml_to_json(&d, "<a><b></a>", 10, NULL), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "bad xml response at line 1"));
  assert_int_equal(fo_aws_xml_to_json(&d, "", 0, NULL), FO_EINVAL);
  assert_int_equal(fo_aws_xml_to_json(&d, "not xml", 7, NULL), FO_EINVAL);
  /* external entities are not loaded */
  {
    const char *xxe = "<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>";
    if (fo_aws_xml_to_json(&d, xxe, strlen(xxe), NULL) == 0) {
      assert_null(strstr(fo_aws_json_str(d, "a") ? fo_aws_json_str(d, "a") : "", "root:"));
      cJSON_Delete(d);
    }
  }
  /* depth bound */
  deep = malloc(100 * 7 + 1);
  assert_non_null(deep);
  for (i = 0; i < 100; i++, n += 3)
    memcpy(deep + n, "<a>", 3);
  for (i = 0; i < 100; i++, n += 4)
    memcpy(deep + n, "</a>", 4);
  deep[n] = '\0';
  assert_int_equal(fo_aws_xml_to_json(&d, deep, n, NULL), FO_ELIMIT);
  assert_non_null(strstr(fo_err_last(), "nesting deeper than"));
  free(deep);
  assert_null(d);
}

static void json(void **state) {
  cJSON *d = NULL;
  (void)state;
  assert_int_equal(fo_aws_json_parse(&d, " \n", 2), 0); /* empty body: {} */
  assert_true(cJSON_IsObject(d));
  cJSON_Delete(d);
  assert_int_equal(fo_aws_json_parse(&d, "{\"a\":{\"b\":\"c\"}}xx", 15), 0); /* length bounded */
  assert_string_equal(fo_aws_json_str(d, "a/b"), "c");
  assert_null(fo_aws_json_str(d, "a/b/c"));
  assert_null(fo_aws_json_str(d, "a"));
  cJSON_Delete(d);
  assert_int_equal(fo_aws_json_parse(&d, "{\"a\":", 5), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "bad json response at byte"));
}

static void errors(void **state) {
  fo_aws_error e;
  const char *q =
      "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>"
      "</Error><RequestId>rid-1</RequestId></ErrorResponse>";
  const char *s3 =
      "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>gone</Message>"
      "<RequestId>rid-2</RequestId></Error>";
  const char *js = "{\"__type\":\"com.amazonaws.eks#ResourceNotFoundException\",\"message\":\"No cluster\"}";
  (void)state;
  fo_aws_error_parse(&e, FO_AWS_PROTO_QUERY, 400, q, strlen(q), NULL, NULL);
  assert_string_equal(e.code, "Throttling");
  assert_string_equal(e.message, "Rate exceeded");
  assert_string_equal(e.request_id, "rid-1");
  fo_aws_error_parse(&e, FO_AWS_PROTO_REST_XML, 404, s3, strlen(s3), NULL, "hdr-rid");
  assert_string_equal(e.code, "NoSuchKey");
  assert_string_equal(e.request_id, "rid-2");
  fo_aws_error_parse(&e, FO_AWS_PROTO_REST_JSON, 404, js, strlen(js), NULL, "rid-3");
  assert_string_equal(e.code, "ResourceNotFoundException");
  assert_string_equal(e.message, "No cluster");
  assert_string_equal(e.request_id, "rid-3");
  /* the header wins, with its URL suffix cut */
  fo_aws_error_parse(&e, FO_AWS_PROTO_REST_JSON, 400, "{\"message\":\"slow\"}", 18,
                     "ThrottlingException:http://internal.amazon.com/coral/", NULL);
  assert_string_equal(e.code, "ThrottlingException");
  assert_string_equal(e.message, "slow");
  /* garbage: still a code */
  fo_aws_error_parse(&e, FO_AWS_PROTO_REST_XML, 502, "<html>bad gateway", 17, NULL, NULL);
  assert_string_equal(e.code, "Http502");
  /* one clear message */
  snprintf(e.operation, sizeof(e.operation), "route53 GetChange");
  fo_aws_error_parse(&e, FO_AWS_PROTO_REST_XML, 404, s3, strlen(s3), NULL, NULL);
  snprintf(e.operation, sizeof(e.operation), "s3 GetObject");
  assert_int_equal(fo_aws_error_raise(&e), FO_EAWS);
  assert_string_equal(fo_err_last(), "s3 GetObject: NoSuchKey: gone (HTTP 404, request id rid-2)");
  assert_string_equal(fo_aws_last_error()->code, "NoSuchKey");
}

static void times(void **state) {
  time_t t;
  (void)state;
  assert_int_equal(fo_aws_parse_time(&t, "2015-08-30T12:36:00Z"), 0);
  assert_int_equal((long)t, 1440938160L);
  assert_int_equal(fo_aws_parse_time(&t, "2015-08-30T12:36:00.123Z"), 0);
  assert_int_equal((long)t, 1440938160L);
  assert_int_equal(fo_aws_parse_time(&t, "2015-08-30T14:36:00+02:00"), 0);
  assert_int_equal((long)t, 1440938160L);
  assert_int_equal(fo_aws_parse_time(&t, "1440938160.5"), 0);
  assert_int_equal((long)t, 1440938160L);
  assert_int_equal(fo_aws_parse_time(&t, "2099-01-01T00:00:00Z"), 0);
  assert_int_equal((long long)t, 4070908800LL);
  assert_int_equal(fo_aws_parse_time(&t, "yesterday"), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "'yesterday'"));
  assert_int_equal(fo_aws_parse_time(&t, "2015-13-30T12:36:00Z"), FO_EINVAL);
  assert_int_equal(fo_aws_parse_time(&t, "2015-08-30T12:36:00Zjunk"), FO_EINVAL);
  assert_int_equal(fo_aws_parse_http_date(&t, "Sun, 30 Aug 2015 12:36:00 GMT"), 0);
  assert_int_equal((long)t, 1440938160L);
  assert_int_equal(fo_aws_parse_http_date(&t, "Sun, 30 Foo 2015 12:36:00 GMT"), FO_EINVAL);
  assert_int_equal(fo_aws_parse_http_date(&t, "yesterday"), FO_EINVAL);
  /* strptime/timegm and curl_getdate do the work; the checks around them stay strict */
  assert_int_equal(fo_aws_parse_time(&t, "2015-08-30T04:36:00-08:00"), 0);
  assert_int_equal((long)t, 1440938160L);
  assert_int_equal(fo_aws_parse_time(&t, "2015-08-30T18:06:00+05:30"), 0);
  assert_int_equal((long)t, 1440938160L);
  assert_int_equal(fo_aws_parse_time(&t, "2024-02-29T00:00:00Z"), 0);
  assert_int_equal((long)t, 1709164800L);
  assert_int_equal(fo_aws_parse_time(&t, "2015-02-31T00:00:00Z"), FO_EINVAL); /* no silent 3 March */
  assert_int_equal(fo_aws_parse_time(&t, " 2015-08-30T12:36:00Z"), FO_EINVAL);
  assert_int_equal(fo_aws_parse_time(&t, "2015-8-30T12:36:00Z"), FO_EINVAL);
  assert_int_equal(fo_aws_parse_time(&t, "2015-08-30T12:36:00+0200"), FO_EINVAL);
  assert_int_equal(fo_aws_parse_time(&t, "2015-08-30T12:36:00"), 0); /* no zone: UTC, as before */
  assert_int_equal((long)t, 1440938160L);
  assert_int_equal(fo_aws_parse_http_date(&t, "Sunday, 30-Aug-15 12:36:00 GMT"), 0); /* RFC 850 */
  assert_int_equal((long)t, 1440938160L);
  assert_int_equal(fo_aws_parse_http_date(&t, "Sun Aug 30 12:36:00 2015"), 0); /* asctime */
  assert_int_equal((long)t, 1440938160L);
  assert_int_equal(fo_aws_parse_http_date(&t, ""), FO_EINVAL);
  assert_int_equal(fo_aws_parse_http_date(&t, NULL), FO_EINVAL);
}

static void encoding(void **state) {
  fo_buf b = FO_BUF_INIT;
  char tok[37];
  (void)state;
  assert_int_equal(fo_aws_uri_encode(&b, "a b/c~d+e=é", strlen("a b/c~d+e=é"), 1), 0);
  assert_string_equal(b.data, "a%20b/c~d%2Be%3D%C3%A9");
  fo_buf_clear(&b);
  assert_int_equal(fo_aws_uri_encode(&b, "a/b", 3, 0), 0);
  assert_string_equal(b.data, "a%2Fb");
  fo_buf_clear(&b);
  assert_int_equal(fo_aws_uri_decode(&b, "a%20b%zz%4", 10), 0);
  assert_string_equal(b.data, "a b%zz%4");
  fo_buf_clear(&b);
  assert_int_equal(fo_aws_form_append(&b, "Action", "GetCallerIdentity"), 0);
  assert_int_equal(fo_aws_form_append(&b, "X.member.1", "a b&c"), 0);
  assert_string_equal(b.data, "Action=GetCallerIdentity&X.member.1=a%20b%26c");
  fo_buf_dispose(&b);
  fo_aws_idempotency_token(tok);
  assert_int_equal(strlen(tok), 36);
  assert_int_equal(tok[14], '4');
  assert_true(tok[8] == '-' && tok[13] == '-' && tok[18] == '-' && tok[23] == '-');
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(xml_shapes), cmocka_unit_test(xml_bad),
                                     cmocka_unit_test(json),       cmocka_unit_test(errors),
                                     cmocka_unit_test(times),      cmocka_unit_test(encoding)};
  return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
