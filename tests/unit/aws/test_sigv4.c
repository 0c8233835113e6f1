/* unit.aws.sigv4: every case of the AWS SigV4 test suite (header and query
 * signing: canonical request, string to sign, signature and the final
 * Authorization header / signed query compared byte for byte), plus the S3
 * rules. The suite lives beside the repo: <repo>/../shared/reference/sigv4-test-suite
 * (FO_REPO_DIR from CTest, or FO_SIGV4_SUITE_DIR); it is never copied in. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "fo_aws_enc.h"
#include "fo_aws_sigv4.h"

static char suite_dir[4096];

static char *slurp(const char *dir, const char *name) {
  char path[4200];
  FILE *f;
  long n;
  char *s;
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  if (!(f = fopen(path, "rb")))
    return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  s = calloc(1, (size_t)n + 1);
  if (fread(s, 1, (size_t)n, f) != (size_t)n) {
    free(s);
    s = NULL;
  }
  fclose(f);
  return s;
}

/* A parsed request.txt: "METHOD target HTTP/1.1", headers (continuation lines
 * folded), a blank line, the body. */
typedef struct vec_request {
  char *method, *path, *query;
  fo_aws_header headers[16];
  char *hbuf[32];
  size_t n_headers, n_hbuf;
  char *body;
} vec_request;

static void parse_request(vec_request *r, char *text) {
  char *line = text, *next, *sp, *http, *q;
  memset(r, 0, sizeof(*r));
  next = strchr(line, '\n');
  assert_non_null(next);
  *next++ = '\0';
  sp = strchr(line, ' ');
  assert_non_null(sp);
  *sp = '\0';
  r->method = line;
  http = strstr(sp + 1, " HTTP/");
  assert_non_null(http);
  *http = '\0';
  r->path = sp + 1;
  if ((q = strchr(r->path, '?'))) {
    *q = '\0';
    r->query = q + 1;
  }
  line = next;
  while (line && *line && *line != '\n') {
    next = strchr(line, '\n');
    if (next)
      *next++ = '\0';
    if ((line[0] == ' ' || line[0] == '\t') && r->n_headers > 0) {
      /* folded continuation: append to the previous value */
      fo_aws_header *h = &r->headers[r->n_headers - 1];
      size_t n = strlen(h->value) + strlen(line) + 2;
      char *v = malloc(n);
      snprintf(v, n, "%s\n%s", h->value, line);
      r->hbuf[r->n_hbuf++] = v;
      h->value = v;
    } else {
      char *colon = strchr(line, ':');
      assert_non_null(colon);
      *colon = '\0';
      r->headers[r->n_headers].name = line;
      r->headers[r->n_headers].value = colon + 1;
      r->n_headers++;
    }
    line = next;
  }
  r->body = (line && *line == '\n') ? line + 1 : (line ? line : (char *)"");
}

static void free_request(vec_request *r) {
  size_t i;
  for (i = 0; i < r->n_hbuf; i++)
    free(r->hbuf[i]);
}

static const char *json_str(cJSON *o, const char *k) {
  cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Compare, printing both texts on mismatch so the failure is readable. */
static void expect_text(const char *what, const char *casename, const char *want, const char *got) {
  if (!want || !got || strcmp(want, got) != 0) {
    print_error("%s: %s differs\n--- want\n%s\n--- got\n%s\n", casename, what, want ? want : "(none)",
                got ? got : "(none)");
    fail();
  }
}

/* The line starting with `prefix` in a signed-request file (value after ':'). */
static char *find_line(char *text, const char *prefix) {
  char *p = text;
  while (p && *p) {
    char *nl = strchr(p, '\n');
    if (strncmp(p, prefix, strlen(prefix)) == 0) {
      if (nl)
        *nl = '\0';
      return p + strlen(prefix);
    }
    p = nl ? nl + 1 : NULL;
  }
  return NULL;
}

static void run_case(void **state) {
  const char *name = *state;
  char dir[4400];
  char *ctx_text, *req_text, *want;
  cJSON *ctx, *creds, *v;
  vec_request req;
  fo_aws_sigv4_request sr;
  fo_aws_sigv4_params pp;
  fo_aws_sigv4_result res;
  time_t ts;
  int sign_body, normalize;

  snprintf(dir, sizeof(dir), "%s/%s", suite_dir, name);
  ctx_text = slurp(dir, "context.json");
  req_text = slurp(dir, "request.txt");
  assert_non_null(ctx_text);
  assert_non_null(req_text);
  ctx = cJSON_Parse(ctx_text);
  assert_non_null(ctx);
  creds = cJSON_GetObjectItemCaseSensitive(ctx, "credentials");
  assert_int_equal(fo_aws_parse_time(&ts, json_str(ctx, "timestamp")), 0);
  sign_body = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ctx, "sign_body"));
  normalize = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ctx, "normalize"));

  parse_request(&req, req_text);
  memset(&sr, 0, sizeof(sr));
  sr.method = req.method;
  sr.path = req.path;
  sr.query = req.query;
  sr.headers = req.headers;
  sr.n_headers = req.n_headers;
  sr.body = req.body;
  sr.body_len = strlen(req.body);

  memset(&pp, 0, sizeof(pp));
  pp.access_key_id = json_str(creds, "access_key_id");
  pp.secret_access_key = json_str(creds, "secret_access_key");
  pp.session_token = json_str(creds, "token");
  pp.region = json_str(ctx, "region");
  pp.service = json_str(ctx, "service");
  pp.date = ts;
  pp.normalize_path = normalize;
  pp.double_encode = 1;
  pp.content_sha256_header = sign_body;
  pp.omit_session_token = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ctx, "omit_session_token"));
  v = cJSON_GetObjectItemCaseSensitive(ctx, "expiration_in_seconds");
  pp.expires = cJSON_IsNumber(v) ? (long)v->valuedouble : 3600;

  /* Header signing. */
  assert_int_equal(fo_aws_sigv4_sign_headers(&res, &sr, &pp), 0);
  want = slurp(dir, "header-canonical-request.txt");
  expect_text("header canonical request", name, want, res.canonical_request);
  free(want);
  want = slurp(dir, "header-string-to-sign.txt");
  expect_text("header string to sign", name, want, res.string_to_sign);
  free(want);
  want = slurp(dir, "header-signature.txt");
  expect_text("header signature", name, want, res.signature);
  free(want);
  want = slurp(dir, "header-signed-request.txt");
  expect_text("authorization header", name, find_line(want, "Authorization:"), res.authorization);
  free(want);
  fo_aws_sigv4_result_dispose(&res);

  /* Query signing (presigning). Body signing does not add a header here. */
  pp.content_sha256_header = 0;
  assert_int_equal(fo_aws_sigv4_presign_query(&res, &sr, &pp), 0);
  want = slurp(dir, "query-canonical-request.txt");
  expect_text("query canonical request", name, want, res.canonical_request);
  free(want);
  want = slurp(dir, "query-string-to-sign.txt");
  expect_text("query string to sign", name, want, res.string_to_sign);
  free(want);
  want = slurp(dir, "query-signature.txt");
  expect_text("query signature", name, want, res.signature);
  free(want);
  want = slurp(dir, "query-signed-request.txt");
  {
    /* request line: "METHOD path?query HTTP/1.1" -> compare the query */
    char *q = strchr(want, '?'), *http = strstr(want, " HTTP/1.1");
    assert_non_null(q);
    assert_non_null(http);
    *http = '\0';
    expect_text("signed query", name, q + 1, res.query);
  }
  free(want);
  fo_aws_sigv4_result_dispose(&res);

  free_request(&req);
  cJSON_Delete(ctx);
  free(ctx_text);
  free(req_text);
}

/* S3: no normalisation, no second encoding, x-amz-content-sha256 signed. */
static void s3_rules(void **state) {
  char *uri = NULL;
  fo_aws_header hs[] = {{"Host", "bucket.s3.us-east-1.amazonaws.com"}};
  fo_aws_sigv4_request sr = {"GET", "/a//b/../c%20d", NULL, hs, 1, NULL, 0, FO_AWS_UNSIGNED_PAYLOAD};
  fo_aws_sigv4_params pp;
  fo_aws_sigv4_result res;
  (void)state;

  assert_int_equal(fo_aws_sigv4_canonical_uri(&uri, "/a//b/../c%20d", 0, 0), 0);
  assert_string_equal(uri, "/a//b/../c%20d");
  free(uri);
  assert_int_equal(fo_aws_sigv4_canonical_uri(&uri, "/a//b/../c%20d", 1, 1), 0);
  assert_string_equal(uri, "/a/c%2520d");
  free(uri);
  assert_int_equal(fo_aws_sigv4_canonical_uri(&uri, "", 1, 1), 0);
  assert_string_equal(uri, "/");
  free(uri);

  memset(&pp, 0, sizeof(pp));
  pp.access_key_id = "AKIDEXAMPLE";
  pp.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  pp.session_token = "TOKEN1234";
  pp.region = "us-east-1";
  pp.service = "s3";
  pp.date = 1440938160;
  pp.content_sha256_header = 1;
  assert_int_equal(fo_aws_sigv4_sign_headers(&res, &sr, &pp), 0);
  assert_non_null(strstr(res.canonical_request, "\n/a//b/../c%20d\n"));
  assert_non_null(strstr(res.canonical_request, "x-amz-content-sha256:UNSIGNED-PAYLOAD\n"));
  assert_non_null(strstr(res.canonical_request, "x-amz-security-token:TOKEN1234\n"));
  assert_non_null(
      strstr(res.authorization, "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"));
  assert_string_equal(res.payload_hash, "UNSIGNED-PAYLOAD");
  fo_aws_sigv4_result_dispose(&res);

  /* S3 presigned GET ends with UNSIGNED-PAYLOAD and carries the token. */
  pp.expires = 900;
  assert_int_equal(fo_aws_sigv4_presign_query(&res, &sr, &pp), 0);
  assert_non_null(strstr(res.query, "X-Amz-Expires=900&X-Amz-Security-Token=TOKEN1234&X-Amz-Signature="));
  assert_non_null(strstr(res.canonical_request, "\nhost\nUNSIGNED-PAYLOAD"));
  fo_aws_sigv4_result_dispose(&res);
}

static void bad_input(void **state) {
  fo_aws_sigv4_request sr = {0};
  fo_aws_sigv4_params pp = {0};
  fo_aws_sigv4_result res;
  (void)state;
  assert_true(fo_aws_sigv4_sign_headers(&res, &sr, &pp) < 0);
  assert_null(res.authorization);
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  const char *env = getenv("FO_SIGV4_SUITE_DIR");
  const char *repo = getenv("FO_REPO_DIR");
  struct CMUnitTest *tests;
  char *names[512];
  size_t n = 0, i;
  DIR *d;
  struct dirent *de;
  int rc;

  if (argc > 1)
    snprintf(suite_dir, sizeof(suite_dir), "%s", argv[1]);
  else if (env && *env)
    snprintf(suite_dir, sizeof(suite_dir), "%s", env);
  else if (repo && *repo)
    snprintf(suite_dir, sizeof(suite_dir), "%s/../shared/reference/sigv4-test-suite", repo);
  else {
    fprintf(stderr, "test_sigv4: set FO_REPO_DIR (the repo) or FO_SIGV4_SUITE_DIR\n");
    return 1;
  }
  if (!(d = opendir(suite_dir))) {
    fprintf(stderr,
            "test_sigv4: the SigV4 test suite is missing: cannot open '%s' "
            "(expected <repo>/../shared/reference/sigv4-test-suite)\n",
            suite_dir);
    return 1;
  }
  while ((de = readdir(d)) && n < 500) {
    char p[4400];
    struct stat st;
    if (de->d_name[0] == '.')
      continue;
    snprintf(p, sizeof(p), "%s/%s/context.json", suite_dir, de->d_name);
    if (stat(p, &st) == 0)
      names[n++] = strdup(de->d_name);
  }
  closedir(d);
  if (n == 0) {
    fprintf(stderr, "test_sigv4: no cases in '%s'\n", suite_dir);
    return 1;
  }
  qsort(names, n, sizeof(names[0]), cmp_names);
  tests = calloc(n + 2, sizeof(*tests));
  for (i = 0; i < n; i++) {
    tests[i].name = names[i];
    tests[i].test_func = run_case;
    tests[i].initial_state = names[i];
  }
  tests[n].name = "s3_rules";
  tests[n].test_func = s3_rules;
  tests[n + 1].name = "bad_input";
  tests[n + 1].test_func = bad_input;
  rc = _cmocka_run_group_tests("sigv4", tests, n + 2, NULL, NULL);
  for (i = 0; i < n; i++)
    free(names[i]);
  free(tests);
  return rc;
}
