/* unit.audit.drill: the drill timeline from fixture states with pinned step times: each row's duration is the
 * recorded one, steps of an earlier apply are left out, the RTO verdict, the verify report's checks, the
 * Mermaid Gantt text, bad times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fo_audit_collector.h"
#include "fo_audit_drill.h"
#include "fo_audit_model.h"
#include "fo_audit_pipeline.h"
#include "fo_err.h"

/* A state v4 with the example's DR resources after the failover at 08:00:00Z; the primary's pilot light kept
 * its times from the initial deployment (07:00), which the timeline leaves out. */
static const char *state_failover =
    "{\"version\":4,\"terraform_version\":\"1.9.0\",\"resources\":["
    "{\"mode\":\"managed\",\"type\":\"failover_switch\",\"name\":\"dr\",\"provider\":\"p\",\"instances\":[{"
    "\"attributes\":{\"active\":\"secondary\",\"switched_at\":\"2026-12-03T08:00:00Z\"}}]},"
    "{\"mode\":\"managed\",\"type\":\"failover_quiesce\",\"name\":\"primary\",\"provider\":\"p\",\"instances\":[{"
    "\"attributes\":{\"started_at\":\"2026-12-03T08:00:01Z\",\"finished_at\":\"2026-12-03T08:00:31Z\"}}]},"
    "{\"mode\":\"managed\",\"type\":\"failover_pilot_light\",\"name\":\"workers\",\"provider\":\"p\",\"instances\":[{"
    "\"attributes\":{\"started_at\":\"2026-12-03T08:00:31Z\",\"finished_at\":\"2026-12-03T08:04:31Z\"}}]},"
    "{\"mode\":\"managed\",\"type\":\"failover_pilot_light\",\"name\":\"queue\",\"provider\":\"p\",\"instances\":[{"
    "\"attributes\":{\"started_at\":\"2026-12-03T08:00:32Z\",\"finished_at\":\"2026-12-03T08:05:01Z\"}}]},"
    "{\"mode\":\"managed\",\"type\":\"failover_pilot_light\",\"name\":\"old\",\"provider\":\"p\",\"instances\":[{"
    "\"attributes\":{\"started_at\":\"2026-12-03T07:00:00Z\",\"finished_at\":\"2026-12-03T07:01:00Z\"}}]},"
    "{\"mode\":\"managed\",\"type\":\"failover_restore\",\"name\":\"mariadb\",\"provider\":\"p\",\"instances\":[{"
    "\"index_key\":0,\"attributes\":{\"started_at\":\"2026-12-03T08:05:01Z\",\"finished_at\":\"2026-12-03T08:15:01Z\"}}"
    "]},"
    "{\"mode\":\"managed\",\"type\":\"failover_weight_pair\",\"name\":\"app\",\"provider\":\"p\",\"instances\":[{"
    "\"attributes\":{\"active\":\"secondary\",\"started_at\":\"2026-12-03T08:15:02.500Z\","
    "\"finished_at\":\"2026-12-03T08:16:02.500Z\"}}]}]}";

static const char *verify_ok =
    "{\"checks\":["
    "{\"key\":\"a\",\"status\":\"passed\",\"started\":\"2026-12-03T08:16:10.000Z\","
    "\"finished\":\"2026-12-03T08:16:40.000Z\"},"
    "{\"key\":\"b\",\"status\":\"passed\",\"started\":\"2026-12-03T08:16:12.000Z\","
    "\"finished\":\"2026-12-03T08:17:02.000Z\"}]}";

static void add_state(fo_audit_drill *d, const char *json, int want) {
  fo_audit_snapshot *s = NULL;
  fo_audit_collect_ctx ctx = {0};
  assert_int_equal(fo_audit_snapshot_new(&s, "drill", NULL, NULL, NULL), 0);
  assert_int_equal(fo_audit_tfstate_parse(&ctx, s, json, strlen(json), "t.tfstate"), 0);
  assert_int_equal(fo_audit_drill_add_snapshot(d, s), want);
  fo_audit_snapshot_free(s);
}

static void add_verify(fo_audit_drill *d, const char *json, int want) {
  cJSON *doc = cJSON_Parse(json);
  assert_non_null(doc);
  assert_int_equal(fo_audit_drill_add_verify(d, doc, "verify.json"), want);
  cJSON_Delete(doc);
}

static char *render(const fo_audit_drill *d, const char *fmt) {
  fo_buf b = FO_BUF_INIT;
  char *s;
  assert_int_equal(fo_audit_drill_render(d, fmt, &b), 0);
  s = strndup(b.data, b.len);
  fo_buf_dispose(&b);
  return s;
}

static long long dur(const fo_audit_drill *d, fo_audit_drill_step s) {
  return d->rows[s].finish_ms - d->rows[s].start_ms;
}

static void test_durations_are_the_recorded_times(void **st) {
  fo_audit_drill d;
  (void)st;
  fo_audit_drill_init(&d, 30 * 60000LL);
  add_state(&d, state_failover, 0);
  add_verify(&d, verify_ok, 0);
  fo_audit_drill_finish(&d);
  assert_string_equal(d.direction, "failover");
  assert_int_equal(dur(&d, FO_DRILL_CONFIRM), 0);
  assert_int_equal(dur(&d, FO_DRILL_QUIESCE), 30000);
  /* two pilot lights: the earliest start to the latest finish; the 07:00 one is from an earlier apply */
  assert_int_equal(dur(&d, FO_DRILL_SCALE), 4 * 60000 + 30000);
  assert_int_equal(d.rows[FO_DRILL_SCALE].count, 2);
  assert_int_equal(d.ignored, 1);
  assert_int_equal(dur(&d, FO_DRILL_RESTORE), 10 * 60000);
  assert_int_equal(dur(&d, FO_DRILL_WEIGHTS), 60000);
  assert_int_equal(dur(&d, FO_DRILL_VERIFY), 52000);
  assert_true(d.verified);
  assert_true(d.rows[FO_DRILL_STABLE].present);
  /* 08:00:00 (the switch) to 08:17:02 (the last check): 17m02s, within 30m */
  assert_int_equal(fo_audit_drill_total_ms(&d), 17 * 60000 + 2000);
  assert_true(fo_audit_drill_within_rto(&d));
  {
    char *t = render(&d, "text");
    assert_non_null(strstr(t, "Failover drill 2026-12-03 (UTC)"));
    assert_non_null(strstr(t, "Scale up          08:00:31  08:05:01   4m30s"));
    assert_non_null(strstr(t, "Total: 17m02s from the first step to verified; RTO 30m00s: within."));
    free(t);
  }
}

static void test_rto_exceeded(void **st) {
  fo_audit_drill d;
  (void)st;
  fo_audit_drill_init(&d, 15 * 60000LL);
  add_state(&d, state_failover, 0);
  add_verify(&d, verify_ok, 0);
  fo_audit_drill_finish(&d);
  assert_false(fo_audit_drill_within_rto(&d));
  {
    char *t = render(&d, "text");
    assert_non_null(strstr(t, "RTO 15m00s: EXCEEDED."));
    free(t);
  }
}

static void test_failed_check_or_unfinished_step_fails(void **st) {
  fo_audit_drill d;
  static const char *failed =
      "{\"checks\":[{\"status\":\"failed\",\"started\":\"2026-12-03T08:16:10Z\","
      "\"finished\":\"2026-12-03T08:16:11Z\"}]}";
  static const char *unfinished =
      "{\"version\":4,\"resources\":[{\"mode\":\"managed\",\"type\":\"failover_weight_pair\",\"name\":\"app\","
      "\"provider\":\"p\",\"instances\":[{\"attributes\":{\"active\":\"primary\","
      "\"started_at\":\"2026-12-03T09:00:00Z\",\"finished_at\":null}}]}]}";
  (void)st;
  fo_audit_drill_init(&d, 0);
  add_state(&d, state_failover, 0);
  add_verify(&d, failed, 0);
  fo_audit_drill_finish(&d);
  assert_true(d.rows[FO_DRILL_VERIFY].failed);
  assert_false(d.verified);
  assert_false(d.rows[FO_DRILL_STABLE].present);
  assert_false(fo_audit_drill_within_rto(&d));

  fo_audit_drill_init(&d, 0);
  add_state(&d, unfinished, 0);
  fo_audit_drill_finish(&d);
  assert_string_equal(d.direction, "failback");
  assert_true(d.unfinished);
  assert_false(fo_audit_drill_within_rto(&d));
}

static void test_gantt(void **st) {
  fo_audit_drill d;
  char *m;
  (void)st;
  fo_audit_drill_init(&d, 30 * 60000LL);
  add_state(&d, state_failover, 0);
  add_verify(&d, verify_ok, 0);
  fo_audit_drill_finish(&d);
  m = render(&d, "markdown");
  assert_non_null(strstr(m,
                         "| Scale up | 08:00:31 | 08:05:01 | 4m30s | failover_pilot_light.workers, "
                         "failover_pilot_light.queue |\n"));
  assert_non_null(strstr(m,
                         "```mermaid\ngantt\n    title Failover drill, RTO 30m00s\n"
                         "    dateFormat YYYY-MM-DD HH:mm:ss\n    axisFormat %H:%M:%S\n    section failover\n"
                         "    Confirm (switch) :milestone, confirm, 2026-12-03 08:00:00, 0s\n"
                         "    Quiesce :quiesce, 2026-12-03 08:00:01, 30s\n"
                         "    Scale up :scale, 2026-12-03 08:00:31, 270s\n"
                         "    Switch weights :weights, 2026-12-03 08:15:02, 60s\n"
                         "    Restore :restore, 2026-12-03 08:05:01, 600s\n"
                         "    Verify :verify, 2026-12-03 08:16:10, 52s\n"
                         "    Stable :milestone, stable, 2026-12-03 08:17:02, 0s\n```\n"));
  free(m);
  m = render(&d, "json");
  {
    cJSON *j = cJSON_Parse(m);
    assert_non_null(j);
    assert_int_equal((long long)cJSON_GetObjectItem(j, "total_ms")->valuedouble, 17 * 60000 + 2000);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "within_rto")));
    assert_int_equal((long long)cJSON_GetObjectItem(
                         cJSON_GetArrayItem(cJSON_GetObjectItem(j, "steps"), FO_DRILL_WEIGHTS), "duration_ms")
                         ->valuedouble,
                     60000);
    cJSON_Delete(j);
  }
  free(m);
}

static void test_times_and_durations(void **st) {
  long long ms;
  fo_audit_drill d;
  (void)st;
  assert_int_equal(fo_audit_drill_time_parse(&ms, "2026-12-03T08:00:00Z", "x"), 0);
  assert_int_equal(ms, 1796284800000LL);
  assert_int_equal(fo_audit_drill_time_parse(&ms, "2026-12-03T09:00:00.25+01:00", "x"), 0);
  assert_int_equal(ms, 1796284800250LL);
  assert_int_equal(fo_audit_drill_time_parse(&ms, "2026-12-03T08:00:00", "x"), FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "not an RFC 3339 time"));
  assert_int_equal(fo_audit_drill_time_parse(&ms, "2026-13-03T08:00:00Z", "x"), FO_EINVAL);
  assert_int_equal(fo_audit_drill_duration_parse(&ms, "1h30m"), 0);
  assert_int_equal(ms, 90 * 60000LL);
  assert_int_equal(fo_audit_drill_duration_parse(&ms, "90"), FO_EINVAL);
  assert_int_equal(fo_audit_drill_duration_parse(&ms, "0s"), FO_EINVAL);
  /* a bad recorded time names the resource */
  fo_audit_drill_init(&d, 0);
  add_state(&d,
            "{\"version\":4,\"resources\":[{\"mode\":\"managed\",\"type\":\"failover_restore\",\"name\":\"r\","
            "\"provider\":\"p\",\"instances\":[{\"attributes\":{\"started_at\":\"yesterday\"}}]}]}",
            FO_EINVAL);
  assert_non_null(strstr(fo_err_last(), "failover_restore.r"));
  fo_audit_drill_dispose(&d);
  /* a state without any recorded step proves nothing: not within */
  fo_audit_drill_init(&d, 60000);
  add_state(&d, "{\"version\":4,\"resources\":[]}", 0);
  fo_audit_drill_finish(&d);
  assert_false(fo_audit_drill_within_rto(&d));
  /* a JSON that is not a verify report */
  fo_audit_drill_init(&d, 0);
  add_verify(&d, "{\"findings\":[]}", FO_EINVAL);
  fo_audit_drill_dispose(&d);
}

/* The format contract with verify: the JSON report `verify` writes (its timed checks) is what the drill reads. */
static void test_reads_the_verify_json_renderer(void **st) {
  fo_audit_result *r = fo_audit_result_new();
  fo_audit_drill d;
  fo_buf b = FO_BUF_INIT;
  cJSON *doc;
  (void)st;
  assert_non_null(r);
  /* 08:16:10.250 to 08:16:40.000 and 08:16:12.000 to 08:17:02.125 */
  assert_int_equal(fo_audit_result_add_timed_subject(r, "verify/dns/app", "verify", FO_AUDIT_STEP_NETWORK,
                                                     1796285770250LL, 1796285800000LL),
                   0);
  assert_int_equal(fo_audit_result_add_timed_subject(r, "verify/sqs/orders", "verify", FO_AUDIT_STEP_MESSAGING,
                                                     1796285772000LL, 1796285822125LL),
                   0);
  fo_audit_result_finish(r);
  assert_int_equal(fo_audit_pipeline_report(r, "json", &b, 0), 0);
  doc = cJSON_ParseWithLength(b.data, b.len);
  assert_non_null(doc);
  fo_audit_drill_init(&d, 0);
  add_state(&d, state_failover, 0);
  assert_int_equal(fo_audit_drill_add_verify(&d, doc, "verify.json"), 0);
  fo_audit_drill_finish(&d);
  assert_true(d.verified);
  assert_int_equal(d.rows[FO_DRILL_VERIFY].start_ms, 1796285770250LL);
  assert_int_equal(d.rows[FO_DRILL_VERIFY].finish_ms, 1796285822125LL);
  assert_int_equal(d.rows[FO_DRILL_STABLE].start_ms, 1796285822125LL);
  cJSON_Delete(doc);
  fo_buf_dispose(&b);
  fo_audit_result_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_durations_are_the_recorded_times),
      cmocka_unit_test(test_rto_exceeded),
      cmocka_unit_test(test_failed_check_or_unfinished_step_fails),
      cmocka_unit_test(test_gantt),
      cmocka_unit_test(test_times_and_durations),
      cmocka_unit_test(test_reads_the_verify_json_renderer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
