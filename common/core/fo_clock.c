/* fo_clock: the system clock and a virtual clock for tests; see fo_clock.h. */
#include "fo_clock.h"

#include "fo_err.h"

static int64_t sys_mono(void *ud) {
  (void)ud;
  return fo_cancel_mono_ms();
}

static time_t sys_wall(void *ud) {
  (void)ud;
  return time(NULL);
}

static int sys_sleep(void *ud, long ms, const fo_cancel *cancel) {
  (void)ud;
  return fo_cancel_sleep_ms(cancel, ms);
}

static const fo_clock system_clock = {sys_mono, sys_wall, sys_sleep, NULL};

const fo_clock *fo_clock_system(void) {
  return &system_clock;
}

int64_t fo_clock_mono_ms(const fo_clock *c) {
  c = c ? c : &system_clock;
  return c->mono_ms(c->ud);
}

time_t fo_clock_wall(const fo_clock *c) {
  c = c ? c : &system_clock;
  return c->wall(c->ud);
}

int fo_clock_sleep_ms(const fo_clock *c, long ms, const fo_cancel *cancel) {
  c = c ? c : &system_clock;
  return c->sleep_ms(c->ud, ms, cancel);
}

void fo_clock_rfc3339(const fo_clock *c, char out[21]) {
  time_t t = fo_clock_wall(c);
  struct tm tm;
  if (!gmtime_r(&t, &tm) || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    out[0] = '\0';
}

static int64_t virt_mono(void *ud) {
  return ((fo_clock_virtual *)ud)->mono_ms;
}

static time_t virt_wall(void *ud) {
  fo_clock_virtual *v = ud;
  return v->wall + (time_t)((v->mono_ms - FO_CLOCK_VIRTUAL_MONO0) / 1000);
}

static int virt_sleep(void *ud, long ms, const fo_cancel *cancel) {
  fo_clock_virtual *v = ud;
  if (fo_cancel_is_cancelled(cancel))
    return fo_err_set(FO_ECANCELED, "cancelled: %s", fo_cancel_reason(cancel));
  if (ms < 0)
    ms = 0;
  v->mono_ms += ms;
  v->slept_ms += ms;
  v->sleeps++;
  return FO_OK;
}

void fo_clock_virtual_init(fo_clock_virtual *v, time_t wall_start) {
  *v = (fo_clock_virtual){
      .clock = {virt_mono, virt_wall, virt_sleep, NULL}, .mono_ms = FO_CLOCK_VIRTUAL_MONO0, .wall = wall_start};
  v->clock.ud = v;
}
