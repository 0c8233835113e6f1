/* fo_audit_registry: the list of collectors, in collection order. A new source adds its one line here; nothing
 * else outside its own file changes (the config, the differ, the classifier and the reports are generic). */
#include "fo_audit_collector.h"
#include "fo_audit_verify.h"
#include "fo_err.h"

#include <string.h>

#define MAX_EXTRA 8

static const fo_audit_collector *const builtin[] = {
    &fo_audit_collector_tfstate, &fo_audit_collector_manifests, &fo_audit_collector_kube,
    &fo_audit_collector_repo,    &fo_audit_collector_aws,       &fo_audit_collector_eks,
    &fo_audit_collector_backup,  &fo_audit_collector_route53,   &fo_audit_collector_verify,
};
#define NBUILTIN (sizeof builtin / sizeof builtin[0])

/* The built-in collectors followed by the ones tests register. */
static const fo_audit_collector *all[NBUILTIN + MAX_EXTRA];
static size_t nall;

static void init(void) {
  if (nall == 0) {
    memcpy(all, builtin, sizeof builtin);
    nall = NBUILTIN;
  }
}

const fo_audit_collector *const *fo_audit_collectors(size_t *n) {
  init();
  *n = nall;
  return all;
}

const fo_audit_collector *fo_audit_collector_find(const char *name) {
  init();
  for (size_t i = 0; name && i < nall; i++)
    if (!strcmp(all[i]->name, name))
      return all[i];
  return NULL;
}

int fo_audit_collector_register(const fo_audit_collector *c) {
  init();
  if (fo_audit_collector_find(c->name))
    return fo_err_set(FO_EINVAL, "collector '%s' is already registered", c->name);
  if (nall >= NBUILTIN + MAX_EXTRA)
    return fo_err_set(FO_EINVAL, "too many collectors (at most %d extra)", MAX_EXTRA);
  all[nall++] = c;
  return 0;
}

void fo_audit_collector_reset(void) {
  memcpy(all, builtin, sizeof builtin);
  nall = NBUILTIN;
}
