/* unit.audit_report.<group>: the report renderers on in-memory result sets (report_fixture.c): golden files,
 * escaping of special characters, secrets never shown, stable and unique fingerprints, counts, bounds.
 * usage: test_audit_report common|text|markdown|json|junit|codequality */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fo_audit_model.h"
#include "fo_audit_report.h"
#include "fo_buf.h"
#include "fo_err.h"
#include "fo_log.h"
#include "report_fixture.h"

#include <cjson/cJSON.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*render_fn)(const fo_audit_result *r, fo_buf *out);

static int render_text_plain(const fo_audit_result *r, fo_buf *out) {
  return fo_audit_render_text(r, out, 0);
}
static int render_text_color(const fo_audit_result *r, fo_buf *out) {
  return fo_audit_render_text(r, out, 1);
}

static const struct {
  const char *name;
  render_fn fn;
  const char *golden; /* file under FO_GOLDEN_DIR for the drift fixture */
  int shows_values;
} formats[] = {
    {"text", render_text_plain, "drift.txt", 1},
    {"text-color", render_text_color, "drift.color.txt", 1},
    {"markdown", fo_audit_render_markdown, "drift.md", 1},
    {"json", fo_audit_render_json, "drift.json", 1},
    {"junit", fo_audit_render_junit, "drift.xml", 1},
    {"codequality", fo_audit_render_codequality, "drift.codequality.json", 0},
};
#define NFORMATS (sizeof formats / sizeof formats[0])

/* Render fixture `kind` with `fn`; the caller disposes *out. */
static fo_audit_result *render(fixture_kind kind, render_fn fn, fo_buf *out) {
  fo_audit_result *r = report_fixture_new(kind, 0);
  assert_non_null(r);
  fo_buf_init(out, 0);
  if (fn(r, out) < 0)
    fail_msg("render failed: %s", fo_err_last());
  assert_non_null(out->data);
  assert_int_equal(strlen(out->data), out->len); /* no NUL inside a report */
  return r;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *data = NULL;
  long n;
  if (!f)
    return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
      (data = malloc((size_t)n + 1)) && fread(data, 1, (size_t)n, f) == (size_t)n) {
    data[n] = '\0';
    *len = (size_t)n;
  } else {
    free(data);
    data = NULL;
  }
  fclose(f);
  return data;
}

/* Byte-exact comparison with the golden file; on mismatch, say where and how to regenerate. */
static void assert_golden(const char *golden, const fo_buf *out) {
  char path[1024];
  size_t len = 0, i = 0;
  char *want;

  snprintf(path, sizeof path, "%s/%s", FO_GOLDEN_DIR, golden);
  if (!(want = read_file(path, &len)))
    fail_msg("cannot read golden file %s (run tests/audit/reports/update-golden.sh BUILD_DIR)", path);
  while (i < len && i < out->len && want[i] == out->data[i])
    i++;
  if (i != len || i != out->len) {
    free(want);
    fail_msg(
        "%s differs from the rendered report at byte %zu (if the change is intended, run "
        "tests/audit/reports/update-golden.sh BUILD_DIR and review the diff)",
        path, i);
  }
  free(want);
}

static void assert_contains(const char *hay, const char *needle) {
  if (!strstr(hay, needle))
    fail_msg("output lacks '%s'", needle);
}

static void assert_lacks(const char *hay, const char *needle) {
  if (strstr(hay, needle))
    fail_msg("output contains '%s'", needle);
}

/* ---- every format ---------------------------------------------------------------------------------------- */

static void check_format_common(size_t k) {
  static const fixture_kind kinds[] = {FIXTURE_DRIFT, FIXTURE_CLEAN, FIXTURE_UNREADABLE};
  for (size_t i = 0; i < 3; i++) {
    fo_buf out;
    fo_audit_result *r = render(kinds[i], formats[k].fn, &out);
    if (kinds[i] == FIXTURE_DRIFT) {
      assert_golden(formats[k].golden, &out);
      if (formats[k].shows_values)
        assert_contains(out.data, "REDACTED"); /* markdown writes the brackets as entities */
    }
    assert_lacks(out.data, FIXTURE_SENSITIVE_SECRET);
    assert_lacks(out.data, FIXTURE_SENSITIVE_SECRET2);
    assert_lacks(out.data, FIXTURE_LOGGED_SECRET);
    fo_buf_dispose(&out);
    fo_audit_result_free(r);
  }
  /* Bounded output: a too-small buffer is an error, never a crash or a partial success. */
  {
    fo_audit_result *r = report_fixture_new(FIXTURE_DRIFT, 0);
    fo_buf small;
    fo_buf_init(&small, 256);
    assert_true(formats[k].fn(r, &small) < 0);
    fo_buf_dispose(&small);
    fo_audit_result_free(r);
  }
}

static size_t format_index(const char *name) {
  for (size_t k = 0; k < NFORMATS; k++)
    if (strcmp(formats[k].name, name) == 0)
      return k;
  fail_msg("no format %s", name);
  return 0;
}

/* ---- common ---------------------------------------------------------------------------------------------- */

static void safe_is(const char *in, int keep, const char *want) {
  fo_buf b = FO_BUF_INIT;
  assert_int_equal(fo_audit_report_put_safe(&b, in, keep), 0);
  assert_non_null(b.data);
  assert_string_equal(b.data, want);
  fo_buf_dispose(&b);
}

static void test_put_safe(void **state) {
  (void)state;
  safe_is("plain", 0, "plain");
  safe_is("", 0, "");
  safe_is("a\x1b[31mb", 0, "a\\x1b[31mb");
  safe_is("l1\nl2\tx\r", 0, "l1\\nl2\\tx\\r");
  safe_is("l1\nl2\tx\r", 1, "l1\nl2\tx\\r");
  safe_is("caf\xc3\xa9", 0, "caf\xc3\xa9");
  safe_is("bad \xff\xfe end", 0, "bad \\xff\\xfe end");
  safe_is("c1 \xc2\x85 del \x7f", 0, "c1 \\xc2\\x85 del \\x7f");
  safe_is("trunc \xe2\x82", 0, "trunc \\xe2\\x82");
  safe_is("rlo \xe2\x80\xae gnp.exe", 0, "rlo \\xe2\\x80\\xae gnp.exe"); /* U+202E RIGHT-TO-LEFT OVERRIDE */
  safe_is("nonchar \xef\xbf\xbe", 0, "nonchar \\xef\\xbf\\xbe");         /* U+FFFE, not an XML Char */
  safe_is("overlong \xc0\xaf surrogate \xed\xa0\x80", 0, "overlong \\xc0\\xaf surrogate \\xed\\xa0\\x80");
  safe_is("emoji \xf0\x9f\x9a\x80", 0, "emoji \xf0\x9f\x9a\x80");
}

static void test_utf8(void **state) {
  const char *u = NULL;
  char *owned = NULL;
  (void)state;
  assert_int_equal(fo_audit_report_utf8(&u, &owned, "caf\xc3\xa9 \x01"), 0);
  assert_null(owned); /* valid (controls included): no copy */
  assert_string_equal(u, "caf\xc3\xa9 \x01");
  assert_int_equal(fo_audit_report_utf8(&u, &owned, "a\xff\xfe b\xe2\x82"), 0);
  assert_non_null(owned);
  assert_string_equal(u, "a\xef\xbf\xbd\xef\xbf\xbd b\xef\xbf\xbd\xef\xbf\xbd");
  free(owned);
  assert_int_equal(fo_audit_report_utf8(&u, &owned, NULL), 0);
  assert_null(u);
}

static void test_fingerprint_known(void **state) {
  fo_audit_result *r = fo_audit_result_new();
  fo_audit_finding f = {.rule_id = (char *)"rule.x", .resource = {.key = (char *)"key"}, .path = (char *)"p"};
  fo_audit_report_fp *fps = NULL;
  (void)state;

  assert_non_null(r);
  assert_int_equal(fo_audit_result_add(r, &f, NULL), 0);
  f.primary_value = (char *)"\"changed\"";
  assert_int_equal(fo_audit_result_add(r, &f, NULL), 0);
  fo_audit_result_finish(r);
  assert_int_equal(fo_audit_report_fingerprints(&fps, r), 0);
  /* printf 'failover-audit/v1\nrule.x\nboth\nkey/p\n' | sha256sum, then the same with "2\n" appended */
  assert_string_equal(fps[0], "48fc489154d893977bac480b9fc7a8b53b7704c377c4aedf462ff60d78765a62");
  assert_string_equal(fps[1], "1afb5895305d917e2588e2fa5ee42c45962b2144159cd3044f241254162a5dba");
  free(fps);
  fo_audit_result_free(r);
}

static void test_fingerprints_stable_and_unique(void **state) {
  fo_audit_result *a = report_fixture_new(FIXTURE_DRIFT, 0);
  fo_audit_result *b = report_fixture_new(FIXTURE_DRIFT, 42); /* every non-sensitive value changed */
  fo_audit_report_fp *fa = NULL, *fb = NULL;
  (void)state;

  assert_non_null(a);
  assert_non_null(b);
  assert_int_equal(a->nfindings, 13);
  assert_int_equal(b->nfindings, a->nfindings);
  assert_int_equal(fo_audit_report_fingerprints(&fa, a), 0);
  assert_int_equal(fo_audit_report_fingerprints(&fb, b), 0);
  for (size_t i = 0; i < a->nfindings; i++) {
    assert_string_not_equal(
        a->findings[i].primary_value ? a->findings[i].primary_value : "-",
        a->findings[i].sensitive || !a->findings[i].primary_value ? "" : b->findings[i].primary_value);
    assert_string_equal(fa[i], fb[i]);
    assert_string_equal(a->findings[i].id, b->findings[i].id);
    for (size_t k = 0; k < i; k++)
      assert_string_not_equal(fa[i], fa[k]);
  }
  free(fa);
  free(fb);
  fo_audit_result_free(a);
  fo_audit_result_free(b);
}

static void test_value_redaction(void **state) {
  fo_audit_finding f = {.primary_value = (char *)"\"" FIXTURE_SENSITIVE_SECRET "\"", .sensitive = 1};
  char *v = NULL;
  (void)state;

  assert_int_equal(fo_audit_report_value(&v, &f, FO_AUDIT_SIDE_PRIMARY), 0);
  assert_string_equal(v, FO_AUDIT_REPORT_SENSITIVE);
  free(v);
  assert_int_equal(fo_audit_report_value(&v, &f, FO_AUDIT_SIDE_SECONDARY), 0);
  assert_null(v); /* absent stays absent, even when sensitive */
  fo_log_add_secret(FIXTURE_LOGGED_SECRET);
  f.sensitive = 0;
  f.primary_value = (char *)"{\"key\":\"" FIXTURE_LOGGED_SECRET "\"}";
  assert_int_equal(fo_audit_report_value(&v, &f, FO_AUDIT_SIDE_PRIMARY), 0);
  assert_string_equal(v, "{\"key\":\"[REDACTED]\"}");
  free(v);
}

static void test_summary_line(void **state) {
  static const struct {
    fixture_kind kind;
    const char *want;
  } cases[] = {
      {FIXTURE_DRIFT,
       "FAIL: 11 failing (8 unexpected, 1 expired expected, 2 side-check), 1 expected, 1 stale "
       "entry; 12 objects compared"},
      {FIXTURE_CLEAN,
       "PASS: 0 failing (0 unexpected, 0 expired expected, 0 side-check), 0 expected, 0 stale "
       "entries; 12 objects compared"},
      {FIXTURE_UNREADABLE,
       "ERROR: 0 failing (0 unexpected, 0 expired expected, 0 side-check), 0 expected, 0 stale "
       "entries; 12 objects compared; 1 source unreadable"},
  };
  (void)state;
  for (size_t i = 0; i < 3; i++) {
    fo_audit_result *r = report_fixture_new(cases[i].kind, 0);
    fo_buf b = FO_BUF_INIT;
    assert_int_equal(fo_audit_report_summary_line(&b, r), 0);
    assert_string_equal(b.data, cases[i].want);
    fo_buf_dispose(&b);
    fo_audit_result_free(r);
  }
}

static void assert_valid_utf8(const char *s) {
  const char *u = NULL;
  char *owned = NULL;
  assert_int_equal(fo_audit_report_utf8(&u, &owned, s), 0);
  if (owned) {
    free(owned);
    fail_msg("output is not valid UTF-8");
  }
}

/* Arbitrary bytes in every outside string: every format must stay well-formed. A fixed-seed xorshift keeps
 * the test reproducible. */
static uint32_t rnd_state = 0x2545f491u;

static uint32_t rnd(void) {
  rnd_state ^= rnd_state << 13;
  rnd_state ^= rnd_state >> 17;
  rnd_state ^= rnd_state << 5;
  return rnd_state;
}

static void rnd_string(char *buf, size_t cap) {
  static const char specials[] = "<&>\"'|*_`[]\\#@!~%$:\n\r\t\x1b\x7f";
  size_t n = rnd() % (cap - 1);
  for (size_t i = 0; i < n; i++) {
    uint32_t k = rnd() % 4;
    buf[i] = k == 0   ? specials[rnd() % (sizeof specials - 1)]
             : k == 1 ? (char)(1 + rnd() % 255)
                      : (char)('a' + rnd() % 26);
  }
  buf[n] = '\0';
}

static void test_random_values_stay_well_formed(void **state) {
  (void)state;
  for (int iter = 0; iter < 300; iter++) {
    char key[40], path[40], pv[80], sv[80], msg[40], reason[40];
    fo_audit_finding f = {.rule_id = (char *)"configmap.data-differs",
                          .check = key,
                          .resource = {.key = key},
                          .path = path,
                          .primary_value = pv,
                          .secondary_value = sv,
                          .message = msg,
                          .classification = (fo_audit_class)(rnd() % 5),
                          .side = (fo_audit_side)(rnd() % 3),
                          .step = (fo_audit_step)(rnd() % FO_AUDIT_STEP_COUNT),
                          .fix_hint = msg,
                          .primary_loc = {path, 3},
                          .expected_pattern = reason,
                          .expected_reason = reason};
    fo_audit_result *r = fo_audit_result_new();
    fo_buf out = FO_BUF_INIT;
    cJSON *doc;
    xmlDocPtr xdoc;

    rnd_string(key, sizeof key);
    rnd_string(path, sizeof path);
    rnd_string(pv, sizeof pv);
    rnd_string(sv, sizeof sv);
    rnd_string(msg, sizeof msg);
    rnd_string(reason, sizeof reason);
    assert_non_null(r);
    assert_int_equal(fo_audit_result_add(r, &f, NULL), 0);
    assert_int_equal(fo_audit_result_add_subject(r, path, key, f.step), 0);
    assert_int_equal(fo_audit_result_add_source(r, key, FO_AUDIT_SIDE_PRIMARY, FO_AUDIT_SOURCE_UNREADABLE, path, msg),
                     0);
    fo_audit_result_finish(r);

    assert_int_equal(fo_audit_render_json(r, &out), 0);
    assert_non_null(doc = cJSON_Parse(out.data));
    cJSON_Delete(doc);
    assert_valid_utf8(out.data);
    fo_buf_clear(&out);
    assert_int_equal(fo_audit_render_codequality(r, &out), 0);
    assert_non_null(doc = cJSON_Parse(out.data));
    cJSON_Delete(doc);
    assert_valid_utf8(out.data);
    fo_buf_clear(&out);
    assert_int_equal(fo_audit_render_junit(r, &out), 0);
    xdoc = xmlReadMemory(out.data, (int)out.len, "junit.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!xdoc)
      fail_msg("junit output is not well-formed XML for iteration %d", iter);
    xmlFreeDoc(xdoc);
    fo_buf_clear(&out);
    assert_int_equal(fo_audit_render_text(r, &out, 0), 0);
    assert_null(strchr(out.data, '\033'));
    assert_null(strchr(out.data, '\r'));
    fo_buf_clear(&out);
    assert_int_equal(fo_audit_render_markdown(r, &out), 0);
    /* no raw HTML or table break from outside text: every '<' starts one of the renderer's own tags */
    for (const char *p = out.data; (p = strchr(p, '<')); p++) {
      static const char *const own[] = {"<!--",   "<details>", "</details>", "<summary>", "</summary>",
                                        "<code>", "</code>",   "<em>",       "</em>",     "<br>"};
      int ok = 0;
      for (size_t k = 0; k < sizeof own / sizeof own[0]; k++)
        ok |= strncmp(p, own[k], strlen(own[k])) == 0;
      if (!ok)
        fail_msg("raw '<' in markdown at iteration %d: %.20s", iter, p);
    }
    fo_buf_dispose(&out);
    fo_audit_result_free(r);
  }
}

/* ---- text ------------------------------------------------------------------------------------------------ */

static const char *last_line(const fo_buf *b) {
  const char *end = b->data + b->len - 1; /* the final '\n' */
  const char *p = end;
  while (p > b->data && p[-1] != '\n')
    p--;
  return p;
}

static void test_text(void **state) {
  fo_buf plain, color;
  fo_audit_result *r1, *r2;
  const char *prev = NULL;
  (void)state;

  check_format_common(format_index("text"));
  check_format_common(format_index("text-color"));
  r1 = render(FIXTURE_DRIFT, render_text_plain, &plain);
  r2 = render(FIXTURE_DRIFT, render_text_color, &color);
  assert_null(strchr(plain.data, '\033')); /* no colour unless asked */
  assert_contains(color.data, "\033[31mDRIFT");
  assert_contains(plain.data, "\"\\x1b[31mred\\x1b[0m\""); /* a value cannot drive the terminal */
  assert_contains(color.data, "\"\\x1b[31mred\\x1b[0m\"");
  assert_contains(plain.data, "(sensitive)");
  assert_int_equal(plain.data[plain.len - 1], '\n');
  assert_true(strncmp(last_line(&plain), "FAIL: 11 failing", 16) == 0);
  for (int s = 0; s < FO_AUDIT_STEP_COUNT; s++) { /* grouped by the checklist, in its order */
    const char *h = strstr(plain.data, fo_audit_step_title((fo_audit_step)s));
    assert_non_null(h);
    assert_true(prev == NULL || h > prev);
    prev = h;
  }
  fo_buf_dispose(&plain);
  fo_buf_dispose(&color);
  fo_audit_result_free(r1);
  fo_audit_result_free(r2);

  r1 = render(FIXTURE_CLEAN, render_text_plain, &plain);
  assert_true(strncmp(last_line(&plain), "PASS:", 5) == 0);
  fo_buf_dispose(&plain);
  fo_audit_result_free(r1);
  r1 = render(FIXTURE_UNREADABLE, render_text_plain, &plain);
  assert_true(strncmp(last_line(&plain), "ERROR:", 6) == 0);
  assert_contains(plain.data, "UNREADABLE terraform_state (secondary) states/us-east-2.tfstate: cannot read");
  fo_buf_dispose(&plain);
  fo_audit_result_free(r1);
}

/* ---- markdown -------------------------------------------------------------------------------------------- */

static size_t count(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
    n++;
  return n;
}

static void test_markdown(void **state) {
  fixture_kind kinds[] = {FIXTURE_DRIFT, FIXTURE_CLEAN, FIXTURE_UNREADABLE};
  fo_buf out;
  fo_audit_result *r;
  (void)state;

  check_format_common(format_index("markdown"));
  for (size_t i = 0; i < 3; i++) {
    r = render(kinds[i], fo_audit_render_markdown, &out);
    assert_true(strncmp(out.data, "<!-- failover-audit:report v1 -->\n", 34) == 0);
    fo_buf_dispose(&out);
    fo_audit_result_free(r);
  }
  r = render(FIXTURE_DRIFT, fo_audit_render_markdown, &out);
  assert_int_equal(count(out.data, "\n<details>\n"), 13);
  assert_int_equal(count(out.data, "</details>"), 13);
  /* value "<b>hi</b> & \"bye\" | *x* _y_ @ops #1\nline2": nothing is left for markdown or HTML to act on */
  assert_lacks(out.data, "<b>");
  assert_contains(out.data,
                  "&lt;b&gt;hi&lt;/b&gt; &amp; &#92;&quot;bye&#92;&quot; &#124; &#42;x&#42; "
                  "&#95;y&#95; &#64;ops &#35;1&#92;nline2");
  /* the raw newline becomes <br> so the table row stays one line */
  assert_contains(out.data, "<code>&quot;plain<br>raw newline &lt;&amp;&gt;&#92;&quot;&#124;&#42;&#95;&quot;</code>");
  for (const char *p = out.data; (p = strstr(p, "\n| Value | ")); p++) {
    const char *eol = strchr(p + 1, '\n');
    assert_non_null(eol);
    assert_true(eol - p > 2 && strncmp(eol - 2, " |", 2) == 0);
  }
  fo_buf_dispose(&out);
  fo_audit_result_free(r);
}

/* A badly drifted estate still gives a note GitLab accepts (at most 1,000,000 characters). */
static void test_markdown_bounded(void **state) {
  fo_audit_result *r = fo_audit_result_new();
  static char big[3001];
  char key[64];
  fo_buf out = FO_BUF_INIT;
  (void)state;

  assert_non_null(r);
  memset(big, '|', sizeof big - 1); /* each becomes "&#124;": the worst growth */
  for (int i = 0; i < 400; i++) {
    fo_audit_finding f = {.rule_id = (char *)"configmap.data-differs",
                          .resource = {.key = key},
                          .path = (char *)"data.x",
                          .primary_value = big,
                          .secondary_value = big,
                          .step = FO_AUDIT_STEP_CONFIGMAPS};
    snprintf(key, sizeof key, "k8s/ConfigMap/default/cm-%03d", i);
    assert_int_equal(fo_audit_result_add(r, &f, NULL), 0);
  }
  fo_audit_result_finish(r);
  assert_int_equal(fo_audit_render_markdown(r, &out), 0);
  assert_true(out.len < 1000000);
  assert_contains(out.data, "truncated, 3000 bytes in all");
  assert_contains(out.data, "more findings are not shown here");
  assert_int_equal(count(out.data, "\n<details>\n"), count(out.data, "</details>"));
  fo_buf_dispose(&out);
  fo_audit_result_free(r);
}

/* ---- json ------------------------------------------------------------------------------------------------ */

static cJSON *finding_at(cJSON *findings, const char *path) {
  cJSON *f;
  cJSON_ArrayForEach(f, findings) {
    const char *p = cJSON_GetStringValue(cJSON_GetObjectItem(f, "path"));
    if (p && strcmp(p, path) == 0)
      return f;
  }
  fail_msg("no finding at %s", path);
  return NULL;
}

static void test_json(void **state) {
  fo_buf out;
  fo_audit_result *r;
  fo_audit_report_fp *fps = NULL;
  cJSON *doc, *findings, *f;
  size_t i = 0;
  (void)state;

  check_format_common(format_index("json"));
  r = render(FIXTURE_DRIFT, fo_audit_render_json, &out);
  assert_non_null(doc = cJSON_Parse(out.data));
  assert_int_equal(cJSON_GetObjectItem(doc, "schema_version")->valueint, 1);
  assert_int_equal(cJSON_GetObjectItem(doc, "exit_code")->valueint, 1);
  assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "status")), "fail");
  findings = cJSON_GetObjectItem(doc, "findings");
  assert_int_equal(cJSON_GetArraySize(findings), (int)r->nfindings);
  assert_int_equal(fo_audit_report_fingerprints(&fps, r), 0);
  cJSON_ArrayForEach(f, findings) {
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(f, "id")), r->findings[i].id);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(f, "fingerprint")), fps[i]);
    assert_non_null(cJSON_GetObjectItem(f, "sync_step"));
    assert_non_null(cJSON_GetObjectItem(f, "expected_difference"));
    i++;
  }
  f = finding_at(findings, "password");
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(f, "sensitive")));
  assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "primary"), "value")),
                      "(sensitive)");
  f = finding_at(findings, "data.GREETING"); /* values are JSON: specials come back exactly */
  assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "primary"), "value")),
                      "<b>hi</b> & \"bye\" | *x* _y_ @ops #1\nline2");
  assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "secondary"), "value")),
                      "plain\nraw newline <&>\"|*_");
  f = finding_at(findings, "data.BANNER"); /* bytes that are not UTF-8 become U+FFFD, controls stay */
  assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "secondary"), "value")),
                      "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd");
  assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "primary"), "value")),
                      "\x1b[31mred\x1b[0m");
  assert_valid_utf8(out.data);
  f = finding_at(findings, "addon_version");
  assert_string_equal(
      cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "expected_difference"), "reason")),
      "coredns rolled out region by region (CHG-1234)");
  assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "sync_step"), "id")), "addons");
  f = finding_at(findings, ""); /* first whole-resource finding: the expired ConfigMap */
  assert_false(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "secondary"), "present")));
  cJSON_Delete(doc);
  free(fps);
  fo_buf_dispose(&out);
  fo_audit_result_free(r);
}

/* ---- junit ----------------------------------------------------------------------------------------------- */

static double xpath_number(xmlDocPtr doc, const char *expr) {
  xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
  xmlXPathObjectPtr obj = ctx ? xmlXPathEvalExpression(BAD_CAST expr, ctx) : NULL;
  double v = obj ? xmlXPathCastToNumber(obj) : -1;
  xmlXPathFreeObject(obj);
  xmlXPathFreeContext(ctx);
  return v;
}

static void test_junit(void **state) {
  fo_buf out;
  fo_audit_result *r;
  xmlDocPtr doc;
  (void)state;

  check_format_common(format_index("junit"));
  r = render(FIXTURE_DRIFT, fo_audit_render_junit, &out);
  doc = xmlReadMemory(out.data, (int)out.len, "junit.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
  assert_non_null(doc); /* well-formed despite control characters and bad UTF-8 in values */
  assert_true(xpath_number(doc, "count(//testcase)") == 17);
  assert_true(xpath_number(doc, "number(/testsuites/@tests)") == 17);
  assert_true(xpath_number(doc, "count(//testcase/failure)") == 8);
  assert_true(xpath_number(doc, "number(/testsuites/@failures)") == 8);
  assert_true(xpath_number(doc, "count(//testcase/skipped)") == 3);
  assert_true(xpath_number(doc, "count(/testsuites/testsuite)") == 8); /* sources + 7 steps */
  /* one testcase per resource: both ConfigMap data findings are in one failure */
  assert_true(xpath_number(doc, "count(//testcase[@name='k8s/ConfigMap/default/app-config'])") == 1);
  assert_true(xpath_number(doc, "count(//testcase[@name='k8s/ConfigMap/default/app-config']/failure)") == 1);
  assert_true(xpath_number(doc, "count(//testcase[@name='terraform/module.eks.aws_eks_addon.coredns']/skipped)") == 1);
  assert_true(xpath_number(doc, "count(//testcase[@name='terraform/aws_s3_bucket.assets']/*)") == 0);
  assert_contains(out.data, "\\x1b[31mred");
  assert_contains(out.data, "&lt;b&gt;hi&lt;/b&gt; &amp;");
  xmlFreeDoc(doc);
  fo_buf_dispose(&out);
  fo_audit_result_free(r);

  r = render(FIXTURE_UNREADABLE, fo_audit_render_junit, &out);
  assert_non_null(doc = xmlReadMemory(out.data, (int)out.len, "junit.xml", NULL, XML_PARSE_NONET));
  assert_true(xpath_number(doc, "number(/testsuites/@errors)") == 1);
  assert_true(xpath_number(doc, "count(//testcase[@name='terraform_state (secondary)']/error)") == 1);
  xmlFreeDoc(doc);
  fo_buf_dispose(&out);
  fo_audit_result_free(r);
}

/* ---- codequality ----------------------------------------------------------------------------------------- */

static cJSON *issue_of(cJSON *arr, const char *check, int nth) {
  cJSON *it;
  cJSON_ArrayForEach(it, arr) {
    if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(it, "check_name")), check) == 0 && nth-- == 0)
      return it;
  }
  fail_msg("no issue %s", check);
  return NULL;
}

static const char *loc_path(cJSON *issue) {
  return cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(issue, "location"), "path"));
}

static int loc_line(cJSON *issue) {
  return cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(issue, "location"), "lines"), "begin")->valueint;
}

static void test_codequality(void **state) {
  fo_buf out;
  fo_audit_result *r;
  cJSON *arr, *it;
  (void)state;

  check_format_common(format_index("codequality"));
  r = render(FIXTURE_DRIFT, fo_audit_render_codequality, &out);
  assert_non_null(arr = cJSON_Parse(out.data));
  assert_true(cJSON_IsArray(arr));
  assert_int_equal(cJSON_GetArraySize(arr), 13);
  cJSON_ArrayForEach(it, arr) {
    assert_true(cJSON_IsString(cJSON_GetObjectItem(it, "description")));
    assert_true(cJSON_IsString(cJSON_GetObjectItem(it, "check_name")));
    assert_int_equal(strlen(cJSON_GetStringValue(cJSON_GetObjectItem(it, "fingerprint"))), 64);
    assert_true(loc_line(it) >= 1);
  }
  assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(issue_of(arr, "eks.version-differs", 0), "severity")),
                      "critical");
  assert_string_equal(
      cJSON_GetStringValue(cJSON_GetObjectItem(issue_of(arr, "state.terraform-version-differs", 0), "severity")),
      "major");
  assert_string_equal(
      cJSON_GetStringValue(cJSON_GetObjectItem(issue_of(arr, "eks.addon-version-differs", 0), "severity")), "info");
  it = issue_of(arr, "config.expected-difference-stale", 0);
  assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(it, "severity")), "minor");
  assert_string_equal(loc_path(it), ".failover-audit.yml");
  assert_int_equal(loc_line(it), 40);
  /* a side check on the secondary points at the secondary's file */
  assert_string_equal(loc_path(issue_of(arr, "backup.copy-lifecycle-missing", 0)), "infra/us-east-1/backup.tf");
  assert_string_equal(loc_path(issue_of(arr, "backup.copy-lifecycle-missing", 1)), "infra/us-east-2/backup.tf");
  /* no file known: the config file, line 1 */
  it = issue_of(arr, "state.sensitive-differs", 0);
  assert_string_equal(loc_path(it), ".failover-audit.yml");
  assert_int_equal(loc_line(it), 1);
  cJSON_Delete(arr);
  fo_buf_dispose(&out);
  fo_audit_result_free(r);

  r = render(FIXTURE_UNREADABLE, fo_audit_render_codequality, &out);
  assert_non_null(arr = cJSON_Parse(out.data));
  assert_int_equal(cJSON_GetArraySize(arr), 1);
  assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "severity")), "blocker");
  cJSON_Delete(arr);
  fo_buf_dispose(&out);
  fo_audit_result_free(r);
}

int main(int argc, char **argv) {
  const struct CMUnitTest common[] = {
      cmocka_unit_test(test_put_safe),
      cmocka_unit_test(test_utf8),
      cmocka_unit_test(test_fingerprint_known),
      cmocka_unit_test(test_fingerprints_stable_and_unique),
      cmocka_unit_test(test_value_redaction),
      cmocka_unit_test(test_summary_line),
      cmocka_unit_test(test_random_values_stay_well_formed),
  };
  const struct CMUnitTest text[] = {cmocka_unit_test(test_text)};
  const struct CMUnitTest markdown[] = {cmocka_unit_test(test_markdown), cmocka_unit_test(test_markdown_bounded)};
  const struct CMUnitTest json[] = {cmocka_unit_test(test_json)};
  const struct CMUnitTest junit[] = {cmocka_unit_test(test_junit)};
  const struct CMUnitTest codequality[] = {cmocka_unit_test(test_codequality)};
  const char *g = argc > 1 ? argv[1] : "";
  int rc;

  if (strcmp(g, "common") == 0)
    rc = cmocka_run_group_tests_name("audit_report.common", common, NULL, NULL);
  else if (strcmp(g, "text") == 0)
    rc = cmocka_run_group_tests_name("audit_report.text", text, NULL, NULL);
  else if (strcmp(g, "markdown") == 0)
    rc = cmocka_run_group_tests_name("audit_report.markdown", markdown, NULL, NULL);
  else if (strcmp(g, "json") == 0)
    rc = cmocka_run_group_tests_name("audit_report.json", json, NULL, NULL);
  else if (strcmp(g, "junit") == 0)
    rc = cmocka_run_group_tests_name("audit_report.junit", junit, NULL, NULL);
  else if (strcmp(g, "codequality") == 0)
    rc = cmocka_run_group_tests_name("audit_report.codequality", codequality, NULL, NULL);
  else {
    fprintf(stderr, "usage: test_audit_report common|text|markdown|json|junit|codequality\n");
    return 2;
  }
  xmlCleanupParser();
  return rc;
}
