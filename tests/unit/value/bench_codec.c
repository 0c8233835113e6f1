/* bench_codec: time msgpack and JSON decode/encode of a representative
 * resource state (not a test: CTest label `bench`). Prints ns per operation. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fo_cty.h"
#include "fo_cty_codec.h"
#include "fo_err.h"

static const char *type_json =
    "[\"object\",{\"id\":\"string\",\"zone_id\":\"string\",\"name\":\"string\",\"primary_weight\":\"number\","
    "\"secondary_weight\":\"number\",\"ttl\":\"number\",\"health_check_ids\":[\"set\",\"string\"],"
    "\"tags\":[\"map\",\"string\"],\"failed_over\":\"bool\",\"ratio\":\"number\",\"records\":[\"list\",[\"object\","
    "{\"region\":\"string\",\"set_identifier\":\"string\",\"weight\":\"number\",\"values\":[\"list\",\"string\"]}]],"
    "\"timeouts\":[\"object\",{\"create\":\"string\",\"update\":\"string\"}]}]";

static const char *state_json =
    "{\"id\":\"Z123/app.example.com\",\"zone_id\":\"Z1234567890ABC\",\"name\":\"app.example.com\","
    "\"primary_weight\":255,\"secondary_weight\":0,\"ttl\":60,\"health_check_ids\":[\"hc-2\",\"hc-1\",\"hc-3\"],"
    "\"tags\":{\"env\":\"prod\",\"team\":\"sre\",\"dr\":\"pilot-light\"},\"failed_over\":false,\"ratio\":0.1,"
    "\"records\":[{\"region\":\"us-east-1\",\"set_identifier\":\"primary\",\"weight\":255,\"values\":[\"a.elb."
    "amazonaws.com\"]},"
    "{\"region\":\"us-east-2\",\"set_identifier\":\"secondary\",\"weight\":0,\"values\":[\"b.elb.amazonaws.com\"]}],"
    "\"timeouts\":{\"create\":\"10m\",\"update\":null}}";

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(void) {
  fo_cty_type *t = NULL;
  fo_cty_value *v = NULL;
  fo_buf mp = FO_BUF_INIT, js = FO_BUF_INIT;
  const int n = 20000;
  double t0;
  if (fo_cty_type_from_json(&t, type_json, strlen(type_json)) < 0 ||
      fo_cty_json_decode(&v, t, state_json, strlen(state_json), 0) < 0 || fo_cty_msgpack_encode(v, t, &mp) < 0 ||
      fo_cty_json_encode(v, t, &js) < 0) {
    fprintf(stderr, "bench setup failed: %s\n", fo_err_last());
    return 1;
  }
  printf("state: %zu bytes msgpack, %zu bytes JSON\n", mp.len, js.len);

  t0 = now_ns();
  for (int i = 0; i < n; i++) {
    fo_cty_value *x = NULL;
    if (fo_cty_msgpack_decode(&x, t, (const uint8_t *)mp.data, mp.len) < 0)
      return 1;
    fo_cty_value_unref(x);
  }
  printf("msgpack decode: %.0f ns/op\n", (now_ns() - t0) / n);

  t0 = now_ns();
  for (int i = 0; i < n; i++) {
    fo_buf b = FO_BUF_INIT;
    if (fo_cty_msgpack_encode(v, t, &b) < 0)
      return 1;
    fo_buf_dispose(&b);
  }
  printf("msgpack encode: %.0f ns/op\n", (now_ns() - t0) / n);

  t0 = now_ns();
  for (int i = 0; i < n; i++) {
    fo_cty_value *x = NULL;
    if (fo_cty_json_decode(&x, t, js.data, js.len, 0) < 0)
      return 1;
    fo_cty_value_unref(x);
  }
  printf("json decode: %.0f ns/op\n", (now_ns() - t0) / n);

  t0 = now_ns();
  for (int i = 0; i < n; i++) {
    fo_buf b = FO_BUF_INIT;
    if (fo_cty_json_encode(v, t, &b) < 0)
      return 1;
    fo_buf_dispose(&b);
  }
  printf("json encode: %.0f ns/op\n", (now_ns() - t0) / n);

  fo_buf_dispose(&mp);
  fo_buf_dispose(&js);
  fo_cty_value_unref(v);
  fo_cty_type_unref(t);
  return 0;
}
