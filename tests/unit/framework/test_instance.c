/* The provider instance, cancellation tokens, partial state and private state,
 * through the RPC handlers with a test-only resource and data source
 * registered in the test (the registry is a table the rpc layer is handed). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fo_provider.h"
#include "fo_resources.h"
#include "fo_rpc_handlers.h"
#include "fo_rpc_service.h"
#include "fw_test.h"

/* ---- a test resource: a two-step create that can fail half-way --------------- */

static const fo_attr thing_attrs[] = {
    {.name = "id",
     .type = "\"string\"",
     .flags = FO_ATTR_COMPUTED | FO_ATTR_USE_STATE_FOR_UNKNOWN,
     .description = "id"},
    {.name = "name", .type = "\"string\"", .flags = FO_ATTR_REQUIRED, .description = "name"},
    {.name = "complete", .type = "\"bool\"", .flags = FO_ATTR_COMPUTED, .description = "both steps done"},
};
static const fo_schema thing_schema = {.block = {.attrs = thing_attrs, .n_attrs = FO_COUNT(thing_attrs)}};

/* What the callbacks saw as private state, last call first. */
static char seen_private[128];

static void private_step(fo_call *c, const char *step) {
  snprintf(seen_private, sizeof(seen_private), "%.*s", (int)c->private_in_len, (const char *)c->private_in);
  assert_non_null(c->private_out);
  /* private_out starts as a copy of private_in: append this step */
  assert_int_equal(c->private_out->len, c->private_in_len);
  assert_int_equal(fo_buf_printf(c->private_out, "%s%s", c->private_out->len ? "|" : "", step), 0);
}

static int thing_create(fo_call *c, const fo_cty_value *planned, const fo_cty_value *config, fo_cty_value **out) {
  fo_cty_value *v = fo_cty_value_ref(planned);
  const char *name = fw_str(config, "name");
  private_step(c, "create");
  if (fo_object_set_string(&v, "id", "thing-1") < 0)
    return FO_ENOMEM;
  if (strcmp(name, "half") == 0) {
    /* step 1 made an object, step 2 was refused: hand back what exists */
    if (fo_object_set(&v, "complete", fo_cty_bool(0)) < 0)
      return FO_ENOMEM;
    *out = v;
    fo_diags_error(c->diags, NULL, "Step 2 refused", "the selection of thing-1 was refused");
    return FO_EINVAL;
  }
  if (strcmp(name, "broken") == 0) {
    /* a partial state that does not conform: the framework must not send it */
    fo_cty_value_unref(v);
    *out = fo_cty_string_z("not an object");
    return FO_EINVAL;
  }
  if (fo_object_set(&v, "complete", fo_cty_bool(1)) < 0)
    return FO_ENOMEM;
  *out = v;
  return FO_OK;
}

static int thing_modify_plan(fo_call *c, const fo_cty_value *prior, const fo_cty_value *config,
                             fo_cty_value **planned) {
  const fo_cty_value *done;
  (void)config;
  private_step(c, "plan");
  if (fo_cty_is_null(prior))
    return FO_OK;
  done = fo_cty_get_attr(prior, "complete");
  if (done && fo_cty_is_known(done) && !fo_cty_is_null(done) && !fo_cty_as_bool(done))
    return fo_object_set(planned, "complete", fo_cty_bool(1)); /* the repair */
  return FO_OK;
}

static int thing_read(fo_call *c, const fo_cty_value *state, fo_cty_value **out) {
  private_step(c, "read");
  *out = fo_cty_value_ref(state);
  return FO_OK;
}

static int thing_update(fo_call *c, const fo_cty_value *prior, const fo_cty_value *planned, const fo_cty_value *config,
                        fo_cty_value **out) {
  (void)prior;
  (void)config;
  private_step(c, "update");
  *out = fo_cty_value_ref(planned);
  return fo_object_set(out, "complete", fo_cty_bool(1));
}

static int thing_destroy(fo_call *c, const fo_cty_value *prior) {
  (void)c;
  (void)prior;
  return FO_OK;
}

static const fo_resource thing = {
    .type_name = "fotest_thing",
    .schema = &thing_schema,
    .modify_plan = thing_modify_plan,
    .create = thing_create,
    .read = thing_read,
    .update = thing_update,
    .destroy = thing_destroy,
};

/* ---- a test data source that blocks in its read: a call in flight ------------- */

static const fo_attr wait_attrs[] = {
    {.name = "region", .type = "\"string\"", .flags = FO_ATTR_COMPUTED, .description = "the client's region"},
};
static const fo_schema wait_schema = {.block = {.attrs = wait_attrs, .n_attrs = FO_COUNT(wait_attrs)}};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int entered, go;

static int wait_read(fo_call *c, const fo_cty_value *config, fo_cty_value **out) {
  fo_aws_client *aws = fo_call_aws(c, FO_SIDE_PRIMARY);
  fo_cty_value *v;
  if (!aws)
    return FO_EINVAL;
  v = fo_cty_value_ref(config);
  pthread_mutex_lock(&mu);
  entered = 1;
  pthread_cond_broadcast(&cv);
  while (!go)
    pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  /* the provider was reconfigured meanwhile: this call's client is still alive */
  if (fo_object_set_string(&v, "region", fo_aws_client_region(aws)) < 0)
    return FO_ENOMEM;
  *out = v;
  return FO_OK;
}

static const fo_data_source waiter = {.type_name = "fotest_wait", .schema = &wait_schema, .read = wait_read};

static const fo_resource *const test_resources[] = {&thing, &fo_switch_resource};
static const fo_data_source *const test_data_sources[] = {&waiter, &fo_regions_data_source};
static const fo_registry test_registry = {
    .resources = test_resources,
    .n_resources = 2,
    .data_sources = test_data_sources,
    .n_data_sources = 2,
};

static fo_cty_type *T;

static int setup(void **state) {
  (void)state;
  (void)fw_ctx();
  fo_rpc_set_registry(&test_registry);
  T = fo_schema_block_type(&thing_schema.block);
  return T ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  fo_cty_type_unref(T);
  fo_rpc_provider_install(NULL);
  fo_rpc_set_registry(fo_provider_registry());
  return 0;
}

static void configure(const char *json) {
  Tfplugin6__ConfigureProvider__Request cq = TFPLUGIN6__CONFIGURE_PROVIDER__REQUEST__INIT;
  Tfplugin6__ConfigureProvider__Response *cr;
  fo_cty_type *pt = fo_schema_block_type(&fo_provider_schema()->block);
  fo_cty_value *v = fw_value(pt, json);
  fo_arena a = FO_ARENA_INIT;
  cq.config = fw_dv(&a, v, pt);
  cr = (Tfplugin6__ConfigureProvider__Response *)fw_call(
      fo_rpc_configure_provider, &cq.base, &tfplugin6__configure_provider__response__descriptor, FO_RPC_OK);
  if (cr->n_diagnostics)
    fail_msg("configure: %s: %s", cr->diagnostics[0]->summary, cr->diagnostics[0]->detail);
  protobuf_c_message_free_unpacked(&cr->base, NULL);
  fo_cty_value_unref(v);
  fo_cty_type_unref(pt);
  fo_arena_dispose(&a);
}

/* ReadDataSource fotest_wait: the region its call's primary client has. */
static void *read_waiter(void *arg) {
  Tfplugin6__ReadDataSource__Request dq = TFPLUGIN6__READ_DATA_SOURCE__REQUEST__INIT;
  Tfplugin6__ReadDataSource__Response *dr;
  fo_cty_type *dt = fo_schema_block_type(&wait_schema.block);
  fo_cty_value *cfg = fw_value(dt, "{}"), *out;
  fo_arena a = FO_ARENA_INIT;
  char *region = arg;
  dq.type_name = (char *)"fotest_wait";
  dq.config = fw_dv(&a, cfg, dt);
  dr = (Tfplugin6__ReadDataSource__Response *)fw_call(fo_rpc_read_data_source, &dq.base,
                                                      &tfplugin6__read_data_source__response__descriptor, FO_RPC_OK);
  if (dr->n_diagnostics)
    fail_msg("read: %s: %s", dr->diagnostics[0]->summary, dr->diagnostics[0]->detail);
  out = fw_decode(dt, dr->state);
  snprintf(region, 64, "%s", fw_str(out, "region"));
  fo_cty_value_unref(out);
  fo_cty_value_unref(cfg);
  protobuf_c_message_free_unpacked(&dr->base, NULL);
  fo_cty_type_unref(dt);
  fo_arena_dispose(&a);
  return NULL;
}

static void test_reconfigure_keeps_clients_of_running_calls(void **state) {
  char first[64] = "", second[64] = "";
  fo_provider *held;
  pthread_t th;
  (void)state;
  configure("{\"primary_region\":\"eu-west-1\",\"secondary_region\":\"eu-central-1\"}");
  /* a fake in-flight call holding its own reference */
  held = fo_rpc_provider_acquire();
  assert_non_null(held);

  /* a real one: blocked in its callback with the eu-west-1 client */
  entered = go = 0;
  assert_int_equal(pthread_create(&th, NULL, read_waiter, first), 0);
  pthread_mutex_lock(&mu);
  while (!entered)
    pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);

  configure("{\"primary_region\":\"ap-southeast-2\",\"secondary_region\":\"ap-northeast-1\"}");
  configure("{\"primary_region\":\"sa-east-1\",\"secondary_region\":\"us-west-2\"}");
  /* the held instance and its clients are still whole */
  assert_string_equal(fo_provider_region(held, FO_SIDE_PRIMARY), "eu-west-1");
  assert_string_equal(fo_aws_client_region(fo_provider_aws(held, FO_SIDE_SECONDARY)), "eu-central-1");

  pthread_mutex_lock(&mu);
  go = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  pthread_join(th, NULL);
  assert_string_equal(first, "eu-west-1");
  /* still usable after the running call ended; the last unref frees it (ASan/valgrind watch) */
  assert_string_equal(fo_aws_client_region(fo_provider_aws(held, FO_SIDE_PRIMARY)), "eu-west-1");
  fo_provider_unref(held);

  /* a call that starts now gets the current instance */
  entered = 0;
  go = 1;
  read_waiter(second);
  assert_string_equal(second, "sa-east-1");
}

static void test_unconfigured_call_gets_no_client(void **state) {
  Tfplugin6__ReadDataSource__Request dq = TFPLUGIN6__READ_DATA_SOURCE__REQUEST__INIT;
  Tfplugin6__ReadDataSource__Response *dr;
  fo_cty_type *dt = fo_schema_block_type(&wait_schema.block);
  fo_cty_value *cfg = fw_value(dt, "{}");
  fo_arena a = FO_ARENA_INIT;
  (void)state;
  fo_rpc_provider_install(NULL);
  dq.type_name = (char *)"fotest_wait";
  dq.config = fw_dv(&a, cfg, dt);
  dr = (Tfplugin6__ReadDataSource__Response *)fw_call(fo_rpc_read_data_source, &dq.base,
                                                      &tfplugin6__read_data_source__response__descriptor, FO_RPC_OK);
  assert_true(fw_find_diag(dr->diagnostics, dr->n_diagnostics, NULL, "not configured") >= 0);
  assert_null(dr->state);
  protobuf_c_message_free_unpacked(&dr->base, NULL);
  fo_cty_value_unref(cfg);
  fo_cty_type_unref(dt);
  fo_arena_dispose(&a);
}

/* ---- partial state and private state ------------------------------------------ */

typedef struct wire_private {
  uint8_t data[128];
  size_t len;
} wire_private;

static void keep_private(wire_private *w, const ProtobufCBinaryData *b) {
  assert_true(b->len < sizeof(w->data));
  memcpy(w->data, b->data, b->len);
  w->len = b->len;
}

static Tfplugin6__PlanResourceChange__Response *plan(fo_arena *a, const fo_cty_value *prior, const fo_cty_value *config,
                                                     const wire_private *priv) {
  Tfplugin6__PlanResourceChange__Request rq = TFPLUGIN6__PLAN_RESOURCE_CHANGE__REQUEST__INIT;
  fo_cty_value *proposed;
  Tfplugin6__PlanResourceChange__Response *rs;
  /* what Terraform proposes: config, with computed attributes from prior */
  if (fo_cty_is_null(prior)) {
    proposed = fo_cty_value_ref(config);
  } else {
    proposed = fo_cty_object_with(prior, "name", fo_cty_value_ref(fo_cty_get_attr(config, "name")));
  }
  rq.type_name = (char *)"fotest_thing";
  rq.prior_state = fw_dv(a, prior, T);
  rq.config = fw_dv(a, config, T);
  rq.proposed_new_state = fw_dv(a, proposed, T);
  rq.prior_private.data = (uint8_t *)priv->data;
  rq.prior_private.len = priv->len;
  rs = (Tfplugin6__PlanResourceChange__Response *)fw_call(
      fo_rpc_plan_resource_change, &rq.base, &tfplugin6__plan_resource_change__response__descriptor, FO_RPC_OK);
  fo_cty_value_unref(proposed);
  return rs;
}

static Tfplugin6__ApplyResourceChange__Response *apply_on(fo_rpc_ctx *ctx, fo_arena *a, const fo_cty_value *prior,
                                                          const Tfplugin6__DynamicValue *planned,
                                                          const fo_cty_value *config, const wire_private *priv) {
  Tfplugin6__ApplyResourceChange__Request rq = TFPLUGIN6__APPLY_RESOURCE_CHANGE__REQUEST__INIT;
  rq.type_name = (char *)"fotest_thing";
  rq.prior_state = fw_dv(a, prior, T);
  rq.planned_state = (Tfplugin6__DynamicValue *)planned;
  rq.config = fw_dv(a, config, T);
  rq.planned_private.data = (uint8_t *)priv->data;
  rq.planned_private.len = priv->len;
  return (Tfplugin6__ApplyResourceChange__Response *)fw_call_ctx(
      ctx, fo_rpc_apply_resource_change, &rq.base, &tfplugin6__apply_resource_change__response__descriptor, FO_RPC_OK);
}

static void test_failed_create_keeps_partial_object_and_plans_repair(void **state) {
  fo_arena a = FO_ARENA_INIT;
  fo_cty_value *config = fw_value(T, "{\"name\":\"half\"}"), *null = fo_cty_null(T), *partial, *planned;
  Tfplugin6__PlanResourceChange__Response *pr;
  Tfplugin6__ApplyResourceChange__Response *ar;
  wire_private none = {{0}, 0};
  (void)state;

  pr = plan(&a, null, config, &none);
  assert_int_equal(pr->n_diagnostics, 0);
  ar = apply_on(fw_ctx(), &a, null, pr->planned_state, config, &none);
  /* the error AND the object that exists */
  assert_true(fw_find_diag(ar->diagnostics, ar->n_diagnostics, NULL, "refused") >= 0);
  assert_int_equal(ar->diagnostics[0]->severity, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR);
  assert_non_null(ar->new_state);
  partial = fw_decode(T, ar->new_state);
  assert_false(fo_cty_is_null(partial));
  assert_string_equal(fw_str(partial, "id"), "thing-1");
  assert_false(fo_cty_as_bool(fo_cty_get_attr(partial, "complete")));
  protobuf_c_message_free_unpacked(&pr->base, NULL);
  protobuf_c_message_free_unpacked(&ar->base, NULL);

  /* the next plan from that state repairs it in place: an update, not a create */
  pr = plan(&a, partial, config, &none);
  assert_int_equal(pr->n_diagnostics, 0);
  assert_int_equal(pr->n_requires_replace, 0);
  planned = fw_decode(T, pr->planned_state);
  assert_string_equal(fw_str(planned, "id"), "thing-1");
  assert_true(fo_cty_as_bool(fo_cty_get_attr(planned, "complete")));
  ar = apply_on(fw_ctx(), &a, partial, pr->planned_state, config, &none);
  assert_int_equal(ar->n_diagnostics, 0);
  fo_cty_value_unref(planned);
  planned = fw_decode(T, ar->new_state);
  assert_true(fo_cty_as_bool(fo_cty_get_attr(planned, "complete")));

  protobuf_c_message_free_unpacked(&pr->base, NULL);
  protobuf_c_message_free_unpacked(&ar->base, NULL);
  fo_cty_value_unref(planned);
  fo_cty_value_unref(partial);
  fo_cty_value_unref(config);
  fo_cty_value_unref(null);
  fo_arena_dispose(&a);
}

static void test_nonconforming_partial_state_is_not_sent(void **state) {
  fo_arena a = FO_ARENA_INIT;
  fo_cty_value *config = fw_value(T, "{\"name\":\"broken\"}"), *null = fo_cty_null(T), *out;
  Tfplugin6__PlanResourceChange__Response *pr;
  Tfplugin6__ApplyResourceChange__Response *ar;
  wire_private none = {{0}, 0};
  (void)state;
  pr = plan(&a, null, config, &none);
  ar = apply_on(fw_ctx(), &a, null, pr->planned_state, config, &none);
  /* prior state (none) kept, plus a diagnostic about the bad partial state */
  assert_true(fw_find_diag(ar->diagnostics, ar->n_diagnostics, NULL, "does not conform") >= 0);
  out = fw_decode(T, ar->new_state);
  assert_true(fo_cty_is_null(out));
  fo_cty_value_unref(out);
  protobuf_c_message_free_unpacked(&pr->base, NULL);
  protobuf_c_message_free_unpacked(&ar->base, NULL);
  fo_cty_value_unref(config);
  fo_cty_value_unref(null);
  fo_arena_dispose(&a);
}

static void test_private_state_round_trips(void **state) {
  Tfplugin6__ReadResource__Request rq = TFPLUGIN6__READ_RESOURCE__REQUEST__INIT;
  Tfplugin6__ReadResource__Response *rr;
  Tfplugin6__PlanResourceChange__Response *pr;
  Tfplugin6__ApplyResourceChange__Response *ar;
  fo_arena a = FO_ARENA_INIT;
  fo_cty_value *config = fw_value(T, "{\"name\":\"a\"}"), *config2 = fw_value(T, "{\"name\":\"b\"}");
  fo_cty_value *null = fo_cty_null(T), *st;
  wire_private priv = {{0}, 0};
  (void)state;

  /* create: plan (no private), apply writes its own */
  pr = plan(&a, null, config, &priv);
  keep_private(&priv, &pr->planned_private);
  assert_memory_equal(priv.data, "plan", 4);
  ar = apply_on(fw_ctx(), &a, null, pr->planned_state, config, &priv);
  assert_int_equal(ar->n_diagnostics, 0);
  assert_string_equal(seen_private, "plan");
  keep_private(&priv, &ar->private_);
  st = fw_decode(T, ar->new_state);
  protobuf_c_message_free_unpacked(&pr->base, NULL);
  protobuf_c_message_free_unpacked(&ar->base, NULL);

  /* read: sees what apply wrote, may extend it */
  rq.type_name = (char *)"fotest_thing";
  rq.current_state = fw_dv(&a, st, T);
  rq.private_.data = priv.data;
  rq.private_.len = priv.len;
  rr = (Tfplugin6__ReadResource__Response *)fw_call(fo_rpc_read_resource, &rq.base,
                                                    &tfplugin6__read_resource__response__descriptor, FO_RPC_OK);
  assert_int_equal(rr->n_diagnostics, 0);
  assert_string_equal(seen_private, "plan|create");
  keep_private(&priv, &rr->private_);
  protobuf_c_message_free_unpacked(&rr->base, NULL);

  /* plan an update from it, then apply: each step sees the previous one's bytes */
  pr = plan(&a, st, config2, &priv);
  assert_string_equal(seen_private, "plan|create|read");
  keep_private(&priv, &pr->planned_private);
  ar = apply_on(fw_ctx(), &a, st, pr->planned_state, config2, &priv);
  assert_int_equal(ar->n_diagnostics, 0);
  assert_string_equal(seen_private, "plan|create|read|plan");
  assert_int_equal(ar->private_.len, strlen("plan|create|read|plan|update"));
  assert_memory_equal(ar->private_.data, "plan|create|read|plan|update", ar->private_.len);

  protobuf_c_message_free_unpacked(&pr->base, NULL);
  protobuf_c_message_free_unpacked(&ar->base, NULL);
  fo_cty_value_unref(st);
  fo_cty_value_unref(config);
  fo_cty_value_unref(config2);
  fo_cty_value_unref(null);
  fo_arena_dispose(&a);
}

/* ---- cancellation ---------------------------------------------------------------- */

static void test_cancel_one_call_stop_all(void **state) {
  Tfplugin6__StopProvider__Request sq = TFPLUGIN6__STOP_PROVIDER__REQUEST__INIT;
  Tfplugin6__StopProvider__Response *sr;
  Tfplugin6__PlanResourceChange__Response *pr;
  Tfplugin6__ApplyResourceChange__Response *ar;
  fo_rpc_ctx *server = fo_rpc_ctx_new_detached(); /* stands for the server's root */
  fo_rpc_ctx *a = fo_rpc_ctx_new_detached_in(server), *b = fo_rpc_ctx_new_detached_in(server), *c, *later;
  fo_cty_value *config = fw_value(T, "{\"name\":\"a\"}"), *null = fo_cty_null(T), *out;
  wire_private none = {{0}, 0};
  fo_arena ar_a = FO_ARENA_INIT;
  (void)state;
  assert_non_null(server);
  assert_non_null(a);
  assert_non_null(b);

  /* the client drops call a: only a is cancelled */
  fo_rpc_ctx_cancel(a, "the client cancelled the call");
  assert_true(fo_rpc_cancelled(a));
  assert_false(fo_rpc_cancelled(b));
  assert_false(fo_rpc_cancelled(server));
  assert_string_equal(fo_cancel_reason(fo_rpc_cancel(a)), "the client cancelled the call");

  /* an apply on the cancelled call stops, one on the other call runs */
  pr = plan(&ar_a, null, config, &none);
  ar = apply_on(a, &ar_a, null, pr->planned_state, config, &none);
  assert_true(fw_find_diag(ar->diagnostics, ar->n_diagnostics, NULL, "Cancelled") >= 0);
  protobuf_c_message_free_unpacked(&ar->base, NULL);
  ar = apply_on(b, &ar_a, null, pr->planned_state, config, &none);
  assert_int_equal(ar->n_diagnostics, 0);
  out = fw_decode(T, ar->new_state);
  assert_false(fo_cty_is_null(out));
  fo_cty_value_unref(out);
  protobuf_c_message_free_unpacked(&ar->base, NULL);

  /* StopProvider (on its own call) cancels every call, and sticks */
  c = fo_rpc_ctx_new_detached_in(server);
  sr = (Tfplugin6__StopProvider__Response *)fw_call_ctx(c, fo_rpc_stop_provider, &sq.base,
                                                        &tfplugin6__stop_provider__response__descriptor, FO_RPC_OK);
  protobuf_c_message_free_unpacked(&sr->base, NULL);
  assert_true(fo_rpc_cancelled(b));
  assert_true(fo_rpc_cancelled(c));
  later = fo_rpc_ctx_new_detached_in(server);
  assert_true(fo_rpc_cancelled(later));
  assert_string_equal(fo_cancel_reason(fo_rpc_cancel(later)), "stopped by StopProvider");
  /* and a call's token reaches the callbacks */
  ar = apply_on(later, &ar_a, null, pr->planned_state, config, &none);
  assert_true(fw_find_diag(ar->diagnostics, ar->n_diagnostics, NULL, "Cancelled") >= 0);
  protobuf_c_message_free_unpacked(&ar->base, NULL);

  protobuf_c_message_free_unpacked(&pr->base, NULL);
  fo_rpc_ctx_free_detached(later);
  fo_rpc_ctx_free_detached(c);
  fo_rpc_ctx_free_detached(b);
  fo_rpc_ctx_free_detached(a);
  fo_rpc_ctx_free_detached(server);
  fo_cty_value_unref(config);
  fo_cty_value_unref(null);
  fo_arena_dispose(&ar_a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reconfigure_keeps_clients_of_running_calls),
      cmocka_unit_test(test_unconfigured_call_gets_no_client),
      cmocka_unit_test(test_failed_create_keeps_partial_object_and_plans_repair),
      cmocka_unit_test(test_nonconforming_partial_state_is_not_sent),
      cmocka_unit_test(test_private_state_round_trips),
      cmocka_unit_test(test_cancel_one_call_stop_all),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
