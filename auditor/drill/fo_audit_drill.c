/* fo_audit_drill: builds a drill's timeline from the step times the DR resources record in their states
 * (started_at/finished_at, the switch's switched_at) and from a verify report's timed checks. */
#include "fo_audit_drill.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fo_err.h"

static const char *const step_names[FO_DRILL_NSTEPS] = {"confirm", "quiesce", "scale", "weights",
                                                        "restore", "verify",  "stable"};
static const char *const step_titles[FO_DRILL_NSTEPS] = {"Confirm (switch)", "Quiesce", "Scale up", "Switch weights",
                                                         "Restore",          "Verify",  "Stable"};

const char *fo_audit_drill_step_name(fo_audit_drill_step s) {
  return s < FO_DRILL_NSTEPS ? step_names[s] : "?";
}

const char *fo_audit_drill_step_title(fo_audit_drill_step s) {
  return s < FO_DRILL_NSTEPS ? step_titles[s] : "?";
}

/* n digits at *p into *v; advances p. */
static int digits(const char **p, int n, int *v) {
  *v = 0;
  for (int i = 0; i < n; i++, (*p)++) {
    if (!isdigit((unsigned char)**p))
      return 0;
    *v = *v * 10 + (**p - '0');
  }
  return 1;
}

int fo_audit_drill_time_parse(long long *ms, const char *s, const char *what) {
  const char *p = s;
  int y, mo, d, h, mi, sec, frac = 0, off = 0;
  struct tm tm = {0};
  time_t t;

  if (!s || !digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' || !digits(&p, 2, &d) ||
      (*p != 'T' && *p != 't' && *p != ' ') || !(p++, digits(&p, 2, &h)) || *p++ != ':' || !digits(&p, 2, &mi) ||
      *p++ != ':' || !digits(&p, 2, &sec))
    goto bad;
  if (*p == '.') {
    int n = 0;
    p++;
    if (!isdigit((unsigned char)*p))
      goto bad;
    for (; isdigit((unsigned char)*p); p++, n++)
      if (n < 3)
        frac = frac * 10 + (*p - '0');
    for (; n < 3; n++)
      frac *= 10;
  }
  if (*p == 'Z' || *p == 'z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    int oh, om, sign = *p++ == '-' ? -1 : 1;
    if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om) || oh > 23 || om > 59)
      goto bad;
    off = sign * (oh * 60 + om);
  } else {
    goto bad;
  }
  if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
    goto bad;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  t = timegm(&tm);
  *ms = ((long long)t - (long long)off * 60) * 1000 + frac;
  return 0;
bad:
  return fo_err_set(FO_EINVAL, "%s: '%.64s' is not an RFC 3339 time (2026-12-03T08:00:00Z)", what, s ? s : "");
}

int fo_audit_drill_duration_parse(long long *ms, const char *s) {
  const char *p = s;
  long long total = 0;
  if (!s || !*s)
    goto bad;
  while (*p) {
    long long n = 0;
    int nd = 0;
    for (; isdigit((unsigned char)*p) && nd < 9; p++, nd++)
      n = n * 10 + (*p - '0');
    if (!nd)
      goto bad;
    switch (*p++) {
      case 'h':
        total += n * 3600000;
        break;
      case 'm':
        total += n * 60000;
        break;
      case 's':
        total += n * 1000;
        break;
      default:
        goto bad;
    }
  }
  if (total <= 0)
    goto bad;
  *ms = total;
  return 0;
bad:
  return fo_err_set(FO_EINVAL, "'%.32s' is not a duration (30m, 1h30m, 90s)", s ? s : "");
}

void fo_audit_drill_init(fo_audit_drill *d, long long rto_ms) {
  memset(d, 0, sizeof *d);
  d->rto_ms = rto_ms;
}

void fo_audit_drill_dispose(fo_audit_drill *d) {
  cJSON_Delete(d->pending);
  d->pending = NULL;
}

static void add_name(fo_audit_drill_row *r, const char *name) {
  size_t len = strlen(r->resources);
  if (r->count++ && len + 3 < sizeof r->resources)
    len += (size_t)snprintf(r->resources + len, sizeof r->resources - len, ", ");
  if (len + strlen(name) + 4 < sizeof r->resources)
    snprintf(r->resources + len, sizeof r->resources - len, "%s", name);
  else if (!strstr(r->resources, "..."))
    snprintf(r->resources + len, sizeof r->resources - len, "...");
}

/* One recorded step (finish 0: unfinished) into its row: the earliest start and the latest finish. */
static void add_interval(fo_audit_drill_row *r, long long start, long long finish, const char *name) {
  if (!r->present) {
    r->start_ms = start;
    r->finish_ms = finish;
  } else {
    if (start < r->start_ms)
      r->start_ms = start;
    if (!finish || !r->finish_ms)
      r->finish_ms = 0;
    else if (finish > r->finish_ms)
      r->finish_ms = finish;
  }
  r->present = 1;
  add_name(r, name);
}

static const char *attr_str(const cJSON *attrs, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

int fo_audit_drill_add_snapshot(fo_audit_drill *d, const fo_audit_snapshot *s) {
  static const struct {
    const char *kind;
    fo_audit_drill_step step;
  } kinds[] = {{"failover_quiesce", FO_DRILL_QUIESCE},
               {"failover_pilot_light", FO_DRILL_SCALE},
               {"failover_weight_pair", FO_DRILL_WEIGHTS},
               {"failover_restore", FO_DRILL_RESTORE}};
  const cJSON *o;
  cJSON *pend;

  /* Held until finish: a step belongs to this run only when it finished after the switch (the decision),
   * which may be in another state. */
  if (!d->pending && !(d->pending = cJSON_CreateArray()))
    return fo_err_oom();
  pend = d->pending;
  cJSON_ArrayForEach(o, s->objects) {
    const char *kind = attr_str(o, "kind"), *addr = attr_str(o, "address"), *src = attr_str(o, "source");
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(o, "attributes");
    const char *st, *fin;
    long long a = 0, b = 0;
    int err;
    if (!kind || !addr || !src || strcmp(src, "terraform_state") != 0)
      continue;
    if (!strcmp(kind, "failover_switch")) {
      const char *active = attr_str(attrs, "active");
      if (!(st = attr_str(attrs, "switched_at")))
        continue;
      if ((err = fo_audit_drill_time_parse(&a, st, addr)) < 0)
        return err;
      if (!d->rows[FO_DRILL_CONFIRM].present || a > d->rows[FO_DRILL_CONFIRM].start_ms) {
        d->rows[FO_DRILL_CONFIRM].start_ms = d->rows[FO_DRILL_CONFIRM].finish_ms = a;
        d->rows[FO_DRILL_CONFIRM].present = 1;
        snprintf(d->rows[FO_DRILL_CONFIRM].resources, sizeof d->rows[FO_DRILL_CONFIRM].resources, "%s", addr);
        d->rows[FO_DRILL_CONFIRM].count = 1;
        snprintf(d->direction, sizeof d->direction, "%s",
                 active && !strcmp(active, "secondary") ? "failover"
                 : active && !strcmp(active, "primary") ? "failback"
                                                        : "");
      }
      continue;
    }
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
      cJSON *e;
      if (strcmp(kind, kinds[k].kind) != 0)
        continue;
      if (!(st = attr_str(attrs, "started_at")))
        break; /* never ran (or a state from before the step times) */
      fin = attr_str(attrs, "finished_at");
      if ((err = fo_audit_drill_time_parse(&a, st, addr)) < 0 ||
          (fin && (err = fo_audit_drill_time_parse(&b, fin, addr)) < 0))
        return err;
      if (!(e = cJSON_CreateObject()) || !cJSON_AddItemToArray(pend, e) ||
          !cJSON_AddNumberToObject(e, "step", kinds[k].step) || !cJSON_AddNumberToObject(e, "start", (double)a) ||
          !cJSON_AddNumberToObject(e, "finish", (double)b) || !cJSON_AddStringToObject(e, "name", addr))
        return fo_err_oom();
      if (!d->direction[0] && !strcmp(kind, "failover_weight_pair") && attr_str(attrs, "active"))
        snprintf(d->direction, sizeof d->direction, "%s",
                 !strcmp(attr_str(attrs, "active"), "secondary") ? "failover" : "failback");
      break;
    }
  }
  return 0;
}

int fo_audit_drill_add_verify(fo_audit_drill *d, const cJSON *report, const char *name) {
  const cJSON *checks = cJSON_GetObjectItemCaseSensitive(report, "checks"), *c;
  fo_audit_drill_row *r = &d->rows[FO_DRILL_VERIFY];
  int n = 0, err;

  if (!cJSON_IsArray(checks) || !cJSON_GetArraySize(checks))
    return fo_err_set(FO_EINVAL, "%s: no timed \"checks\" (not a report of failover-audit verify --format json)", name);
  d->verified = 1;
  cJSON_ArrayForEach(c, checks) {
    const char *st = attr_str(c, "started"), *fin = attr_str(c, "finished"), *status = attr_str(c, "status");
    long long a, b;
    char what[64];
    snprintf(what, sizeof what, "%s: checks[%d]", name, n++);
    if ((err = fo_audit_drill_time_parse(&a, st, what)) < 0 || (err = fo_audit_drill_time_parse(&b, fin, what)) < 0)
      return err;
    if (!r->present || a < r->start_ms)
      r->start_ms = a;
    if (!r->present || b > r->finish_ms)
      r->finish_ms = b;
    r->present = 1;
    if (!status || strcmp(status, "passed") != 0) {
      r->failed = 1;
      d->verified = 0;
    }
  }
  snprintf(r->resources, sizeof r->resources, "%d check%s (%s)", n, n == 1 ? "" : "s", name);
  r->count = (size_t)n;
  return 0;
}

void fo_audit_drill_finish(fo_audit_drill *d) {
  const fo_audit_drill_row *confirm = &d->rows[FO_DRILL_CONFIRM];
  const cJSON *e;
  long long last = 0;

  /* A step that finished before the switch's decision belongs to an earlier apply (the initial deployment,
   * the previous drill): its resource did not change in this run. */
  cJSON_ArrayForEach(e, d->pending) {
    long long a = (long long)cJSON_GetObjectItemCaseSensitive(e, "start")->valuedouble;
    long long b = (long long)cJSON_GetObjectItemCaseSensitive(e, "finish")->valuedouble;
    int step = (int)cJSON_GetObjectItemCaseSensitive(e, "step")->valuedouble;
    if (confirm->present && b && b < confirm->start_ms) {
      d->ignored++;
      continue;
    }
    add_interval(&d->rows[step], a, b, cJSON_GetObjectItemCaseSensitive(e, "name")->valuestring);
  }
  fo_audit_drill_dispose(d);
  for (int s = 0; s < FO_DRILL_STABLE; s++) {
    const fo_audit_drill_row *r = &d->rows[s];
    if (!r->present)
      continue;
    if (!d->first_ms || r->start_ms < d->first_ms)
      d->first_ms = r->start_ms;
    if (!r->finish_ms)
      d->unfinished = 1;
    else if (r->finish_ms > last)
      last = r->finish_ms;
  }
  d->end_ms = last;
  if (d->verified && d->rows[FO_DRILL_VERIFY].present) {
    fo_audit_drill_row *st = &d->rows[FO_DRILL_STABLE];
    st->present = 1;
    st->start_ms = st->finish_ms = d->rows[FO_DRILL_VERIFY].finish_ms;
    snprintf(st->resources, sizeof st->resources, "every check passed");
    d->end_ms = st->finish_ms;
  }
}

long long fo_audit_drill_total_ms(const fo_audit_drill *d) {
  return d->first_ms && d->end_ms > d->first_ms ? d->end_ms - d->first_ms : 0;
}

int fo_audit_drill_within_rto(const fo_audit_drill *d) {
  /* nothing recorded proves nothing: a gate on the drill must not pass on an empty state */
  if (!d->first_ms || d->unfinished || d->rows[FO_DRILL_VERIFY].failed)
    return 0;
  return !d->rto_ms || fo_audit_drill_total_ms(d) <= d->rto_ms;
}
