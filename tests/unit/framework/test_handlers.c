/* Handler round trips: schema, metadata, functions, provider config,
 * data source, malformed input, and the method table. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fo_provider_config.h"
#include "fo_resources.h"
#include "fo_rpc_service.h"
#include "fo_resource.h"
#include "fo_rpc_handlers.h"
#include "fo_rpc_utf8.h"
#include "fw_test.h"

static const Tfplugin6__Schema *find_schema(Tfplugin6__GetProviderSchema__Response *rs, const char *name) {
  for (size_t i = 0; i < rs->n_resource_schemas; i++)
    if (strcmp(rs->resource_schemas[i]->key, name) == 0)
      return rs->resource_schemas[i]->value;
  return NULL;
}

static void test_get_provider_schema(void **state) {
  Tfplugin6__GetProviderSchema__Request rq = TFPLUGIN6__GET_PROVIDER_SCHEMA__REQUEST__INIT;
  Tfplugin6__GetProviderSchema__Response *rs;
  const Tfplugin6__Schema *sw;
  int have_weights = 0, have_counterpart = 0, have_assume_role = 0;
  (void)state;
  rs = (Tfplugin6__GetProviderSchema__Response *)fw_call(
      fo_rpc_get_provider_schema, &rq.base, &tfplugin6__get_provider_schema__response__descriptor, FO_RPC_OK);
  assert_int_equal(rs->n_diagnostics, 0);
  assert_non_null(rs->provider);
  assert_non_null(rs->provider->block);
  assert_true(rs->provider->block->n_attributes >= 4);
  for (size_t i = 0; i < rs->provider->block->n_block_types; i++)
    if (strcmp(rs->provider->block->block_types[i]->type_name, "assume_role") == 0)
      have_assume_role = 1;
  assert_true(have_assume_role);
  sw = find_schema(rs, "failover_switch");
  assert_non_null(sw);
  assert_non_null(sw->block);
  assert_int_equal(sw->block->n_attributes, 6);
  assert_true(strlen(sw->block->description) > 10);
  {
    /* Other data sources join over time: failover_regions must be among them. */
    int have_regions = 0;
    for (size_t i = 0; i < rs->n_data_source_schemas; i++)
      have_regions |= strcmp(rs->data_source_schemas[i]->key, "failover_regions") == 0;
    assert_true(have_regions);
  }
  for (size_t i = 0; i < rs->n_functions; i++) {
    const Tfplugin6__Function *f = rs->functions[i]->value;
    assert_non_null(f->return_);
    assert_true(f->return_->type.len > 0);
    if (strcmp(rs->functions[i]->key, "weights") == 0) {
      have_weights = 1;
      assert_int_equal(f->n_parameters, 1);
      assert_non_null(f->variadic_parameter);
    }
    if (strcmp(rs->functions[i]->key, "counterpart") == 0) {
      have_counterpart = 1;
      assert_int_equal(f->n_parameters, 3);
      assert_null(f->variadic_parameter);
    }
  }
  assert_true(have_weights && have_counterpart);
  assert_non_null(rs->server_capabilities);
  assert_true(rs->server_capabilities->get_provider_schema_optional);
  assert_false(rs->server_capabilities->plan_destroy);
  protobuf_c_message_free_unpacked(&rs->base, NULL);
}

/* The packed schema answer is built once per registry: a second call gets the
 * same bytes, and another registry gets its own answer, not the cached one. */
static void test_schema_answer_cached_per_registry(void **state) {
  const fo_registry *full = fo_rpc_registry();
  fo_registry one = *full;
  fo_buf a = FO_BUF_INIT, b = FO_BUF_INIT, c = FO_BUF_INIT, d = FO_BUF_INIT;
  (void)state;
  assert_int_equal(fo_rpc_get_provider_schema(fw_ctx(), NULL, 0, &a), FO_RPC_OK);
  assert_int_equal(fo_rpc_get_provider_schema(fw_ctx(), NULL, 0, &b), FO_RPC_OK);
  assert_true(a.len > 1000);
  assert_int_equal(a.len, b.len);
  assert_memory_equal(a.data, b.data, a.len);
  one.n_resources = 1;
  one.n_data_sources = 0;
  one.n_functions = 0;
  fo_rpc_set_registry(&one);
  assert_int_equal(fo_rpc_get_provider_schema(fw_ctx(), NULL, 0, &c), FO_RPC_OK);
  fo_rpc_set_registry(full);
  assert_true(c.len < a.len);
  assert_int_equal(fo_rpc_get_provider_schema(fw_ctx(), NULL, 0, &d), FO_RPC_OK);
  assert_int_equal(d.len, a.len);
  assert_memory_equal(d.data, a.data, a.len);
  fo_buf_dispose(&a);
  fo_buf_dispose(&b);
  fo_buf_dispose(&c);
  fo_buf_dispose(&d);
}

static void test_metadata_and_functions(void **state) {
  Tfplugin6__GetMetadata__Request mq = TFPLUGIN6__GET_METADATA__REQUEST__INIT;
  Tfplugin6__GetFunctions__Request fq = TFPLUGIN6__GET_FUNCTIONS__REQUEST__INIT;
  Tfplugin6__GetMetadata__Response *m;
  Tfplugin6__GetFunctions__Response *f;
  (void)state;
  m = (Tfplugin6__GetMetadata__Response *)fw_call(fo_rpc_get_metadata, &mq.base,
                                                  &tfplugin6__get_metadata__response__descriptor, FO_RPC_OK);
  /* Every registered resource is listed, failover_switch among them. */
  assert_int_equal(m->n_resources, fo_provider_registry()->n_resources);
  for (size_t i = 0; i < m->n_resources; i++)
    assert_non_null(fo_registry_resource(fo_provider_registry(), m->resources[i]->type_name));
  assert_non_null(fo_registry_resource(fo_provider_registry(), "failover_switch"));
  assert_int_equal(m->n_functions, 2);
  protobuf_c_message_free_unpacked(&m->base, NULL);
  f = (Tfplugin6__GetFunctions__Response *)fw_call(fo_rpc_get_functions, &fq.base,
                                                   &tfplugin6__get_functions__response__descriptor, FO_RPC_OK);
  assert_int_equal(f->n_functions, 2);
  protobuf_c_message_free_unpacked(&f->base, NULL);
}

static void test_malformed_protobuf_is_invalid_argument(void **state) {
  static const uint8_t junk[] = {0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01}; /* length past the end */
  size_t n;
  const fo_rpc_method *m = fo_provider_methods(fo_provider_registry(), &n);
  (void)state;
  for (size_t i = 0; i < n; i++) {
    fo_buf resp = FO_BUF_INIT;
    int status = m[i].fn(fw_ctx(), junk, sizeof(junk), &resp);
    if (status != FO_RPC_INVALID_ARGUMENT)
      fail_msg("%s: status %d for malformed protobuf", m[i].path, status);
    assert_non_null(strstr(fo_err_last(), "malformed"));
    assert_int_equal(resp.len, 0);
    fo_buf_dispose(&resp);
  }
}

static void test_method_table(void **state) {
  static const char *const want[] = {"GetMetadata",
                                     "GetProviderSchema",
                                     "ValidateProviderConfig",
                                     "ValidateResourceConfig",
                                     "ValidateDataResourceConfig",
                                     "UpgradeResourceState",
                                     "ConfigureProvider",
                                     "ReadResource",
                                     "PlanResourceChange",
                                     "ApplyResourceChange",
                                     "ImportResourceState",
                                     "ReadDataSource",
                                     "GetFunctions",
                                     "CallFunction",
                                     "StopProvider"};
  size_t n;
  const fo_rpc_method *m = fo_provider_methods(fo_provider_registry(), &n);
  (void)state;
  assert_int_equal(n, FO_COUNT(want));
  for (size_t i = 0; i < FO_COUNT(want); i++) {
    char path[128];
    int found = 0;
    snprintf(path, sizeof(path), "/tfplugin6.Provider/%s", want[i]);
    for (size_t k = 0; k < n; k++)
      found |= strcmp(m[k].path, path) == 0 && m[k].fn != NULL;
    if (!found)
      fail_msg("%s missing from the method table", path);
  }
}

static void test_bad_msgpack_names_the_field(void **state) {
  Tfplugin6__PlanResourceChange__Request rq = TFPLUGIN6__PLAN_RESOURCE_CHANGE__REQUEST__INIT;
  Tfplugin6__PlanResourceChange__Response *rs;
  Tfplugin6__DynamicValue nil = TFPLUGIN6__DYNAMIC_VALUE__INIT, bad = TFPLUGIN6__DYNAMIC_VALUE__INIT;
  /* {"active": 1, ...}: a number where a string is expected */
  static const uint8_t msg[] = {0x86, 0xa6, 'a', 'c', 't',  'i',  'v', 'e',  0x01, 0xa2, 'i', 'd', 0xc0, 0xa6, 'r',
                                'e',  'a',  's', 'o', 'n',  0xa1, 'r', 0xab, 's',  'w',  'i', 't', 'c',  'h',  'e',
                                'd',  '_',  'a', 't', 0xc0, 0xa8, 'p', 'r',  'e',  'v',  'i', 'o', 'u',  's',  0xc0,
                                0xaa, 'g',  'e', 'n', 'e',  'r',  'a', 't',  'i',  'o',  'n', 0xc0};
  (void)state;
  nil.msgpack.data = (uint8_t *)"\xc0";
  nil.msgpack.len = 1;
  bad.msgpack.data = (uint8_t *)msg;
  bad.msgpack.len = sizeof(msg);
  rq.type_name = (char *)"failover_switch";
  rq.prior_state = &nil;
  rq.config = &bad;
  rq.proposed_new_state = &bad;
  rs = (Tfplugin6__PlanResourceChange__Response *)fw_call(
      fo_rpc_plan_resource_change, &rq.base, &tfplugin6__plan_resource_change__response__descriptor, FO_RPC_OK);
  assert_int_equal(rs->n_diagnostics, 1);
  if (!strstr(rs->diagnostics[0]->detail, "proposed_new_state: ") || !strstr(rs->diagnostics[0]->detail, "active"))
    fail_msg("detail: %s", rs->diagnostics[0]->detail);
  assert_null(rs->planned_state);
  protobuf_c_message_free_unpacked(&rs->base, NULL);

  /* truncated msgpack */
  bad.msgpack.len = 5;
  rs = (Tfplugin6__PlanResourceChange__Response *)fw_call(
      fo_rpc_plan_resource_change, &rq.base, &tfplugin6__plan_resource_change__response__descriptor, FO_RPC_OK);
  assert_int_equal(rs->n_diagnostics, 1);
  assert_int_equal(rs->diagnostics[0]->severity, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR);
  protobuf_c_message_free_unpacked(&rs->base, NULL);
}

/* Issue 8 item 11: a value of the wrong type carrying bytes that are not UTF-8
 * is quoted in the diagnostic; the response must still be valid UTF-8 (proto3
 * strings), or Go's protobuf refuses it and the user sees a transport error. */
static void test_invalid_utf8_never_reaches_the_wire(void **state) {
  Tfplugin6__ValidateResourceConfig__Request rq = TFPLUGIN6__VALIDATE_RESOURCE_CONFIG__REQUEST__INIT;
  Tfplugin6__ValidateResourceConfig__Response *rs;
  Tfplugin6__DynamicValue bad = TFPLUGIN6__DYNAMIC_VALUE__INIT;
  /* {"generation": "1\xff\xfe", the rest null}: a string where a number is expected */
  static const uint8_t msg[] = {0x86, 0xaa, 'g', 'e',  'n',  'e',  'r',  'a', 't',  'i',  'o', 'n', 0xa3, '1',  0xff,
                                0xfe, 0xa6, 'a', 'c',  't',  'i',  'v',  'e', 0xc0, 0xa2, 'i', 'd', 0xc0, 0xa6, 'r',
                                'e',  'a',  's', 'o',  'n',  0xc0, 0xab, 's', 'w',  'i',  't', 'c', 'h',  'e',  'd',
                                '_',  'a',  't', 0xc0, 0xa8, 'p',  'r',  'e', 'v',  'i',  'o', 'u', 's',  0xc0};
  (void)state;
  bad.msgpack.data = (uint8_t *)msg;
  bad.msgpack.len = sizeof(msg);
  rq.type_name = (char *)"failover_switch";
  rq.config = &bad;
  rs = (Tfplugin6__ValidateResourceConfig__Response *)fw_call(
      fo_rpc_validate_resource_config, &rq.base, &tfplugin6__validate_resource_config__response__descriptor, FO_RPC_OK);
  assert_int_equal(rs->n_diagnostics, 1);
  /* the value is quoted, its bad bytes each replaced by U+FFFD */
  assert_non_null(strstr(rs->diagnostics[0]->detail, "'1\xEF\xBF\xBD\xEF\xBF\xBD'"));
  assert_true(fo_rpc_utf8_valid(rs->diagnostics[0]->summary, strlen(rs->diagnostics[0]->summary)));
  assert_true(fo_rpc_utf8_valid(rs->diagnostics[0]->detail, strlen(rs->diagnostics[0]->detail)));
  protobuf_c_message_free_unpacked(&rs->base, NULL);
}

static void test_unknown_resource_type(void **state) {
  Tfplugin6__ReadResource__Request rq = TFPLUGIN6__READ_RESOURCE__REQUEST__INIT;
  Tfplugin6__ReadResource__Response *rs;
  (void)state;
  rq.type_name = (char *)"failover_nope";
  rs = (Tfplugin6__ReadResource__Response *)fw_call(fo_rpc_read_resource, &rq.base,
                                                    &tfplugin6__read_resource__response__descriptor, FO_RPC_OK);
  assert_true(fw_find_diag(rs->diagnostics, rs->n_diagnostics, NULL, "'failover_nope'") >= 0);
  protobuf_c_message_free_unpacked(&rs->base, NULL);
}

static void test_provider_config_and_data_source(void **state) {
  fo_cty_type *pt = fo_schema_block_type(&fo_provider_schema()->block), *dt;
  const fo_data_source *ds = fo_registry_data_source(fo_provider_registry(), "failover_regions");
  fo_arena a = FO_ARENA_INIT;
  fo_cty_value *bad = fw_value(pt, "{\"primary_region\":\"us-east-1\",\"endpoints\":{\"eks\":\"nope\"}}");
  fo_cty_value *good = fw_value(pt, "{\"primary_region\":\"eu-west-1\",\"secondary_region\":\"eu-central-1\"}");
  fo_cty_value *cfg, *out;
  Tfplugin6__ValidateProviderConfig__Request vq = TFPLUGIN6__VALIDATE_PROVIDER_CONFIG__REQUEST__INIT;
  Tfplugin6__ValidateProviderConfig__Response *vr;
  Tfplugin6__ConfigureProvider__Request cq = TFPLUGIN6__CONFIGURE_PROVIDER__REQUEST__INIT;
  Tfplugin6__ConfigureProvider__Response *cr;
  Tfplugin6__ReadDataSource__Request dq = TFPLUGIN6__READ_DATA_SOURCE__REQUEST__INIT;
  Tfplugin6__ReadDataSource__Response *dr;
  (void)state;
  vq.config = fw_dv(&a, bad, pt);
  vr = (Tfplugin6__ValidateProviderConfig__Response *)fw_call(
      fo_rpc_validate_provider_config, &vq.base, &tfplugin6__validate_provider_config__response__descriptor, FO_RPC_OK);
  assert_int_equal(vr->n_diagnostics, 1);
  assert_true(fw_find_diag(vr->diagnostics, vr->n_diagnostics, "endpoints.eks", "'nope'") >= 0);
  protobuf_c_message_free_unpacked(&vr->base, NULL);

  cq.terraform_version = (char *)"1.8.5";
  cq.config = fw_dv(&a, good, pt);
  cr = (Tfplugin6__ConfigureProvider__Response *)fw_call(
      fo_rpc_configure_provider, &cq.base, &tfplugin6__configure_provider__response__descriptor, FO_RPC_OK);
  assert_int_equal(cr->n_diagnostics, 0);
  protobuf_c_message_free_unpacked(&cr->base, NULL);

  dt = fo_schema_block_type(&ds->schema->block);
  cfg = fw_value(dt, "{\"active\":\"secondary\"}");
  dq.type_name = (char *)"failover_regions";
  dq.config = fw_dv(&a, cfg, dt);
  dr = (Tfplugin6__ReadDataSource__Response *)fw_call(fo_rpc_read_data_source, &dq.base,
                                                      &tfplugin6__read_data_source__response__descriptor, FO_RPC_OK);
  assert_int_equal(dr->n_diagnostics, 0);
  out = fw_decode(dt, dr->state);
  assert_string_equal(fw_str(out, "primary_region"), "eu-west-1");
  assert_string_equal(fw_str(out, "active_region"), "eu-central-1");
  assert_string_equal(fw_str(out, "standby_region"), "eu-west-1");
  fo_cty_value_unref(out);
  protobuf_c_message_free_unpacked(&dr->base, NULL);

  fo_rpc_provider_install(NULL);
  fo_cty_value_unref(cfg);
  fo_cty_value_unref(bad);
  fo_cty_value_unref(good);
  fo_cty_type_unref(pt);
  fo_cty_type_unref(dt);
  fo_arena_dispose(&a);
}

/* Handlers run on several worker threads at once: configure and read the
 * shared provider configuration concurrently while planning. */
static void *worker(void *arg) {
  long id = (long)arg;
  fo_cty_type *pt = fo_schema_block_type(&fo_provider_schema()->block);
  const fo_data_source *ds = fo_registry_data_source(fo_provider_registry(), "failover_regions");
  fo_cty_type *dt = fo_schema_block_type(&ds->schema->block);
  fo_cty_value *cfg = fw_value(pt, id % 2 ? "{\"primary_region\":\"eu-west-1\",\"secondary_region\":\"eu-west-2\"}"
                                          : "{\"primary_region\":\"us-west-1\",\"secondary_region\":\"us-west-2\"}");
  fo_cty_value *dcfg = fw_value(dt, "{}");
  for (int i = 0; i < 200; i++) {
    fo_arena a = FO_ARENA_INIT;
    Tfplugin6__ConfigureProvider__Request cq = TFPLUGIN6__CONFIGURE_PROVIDER__REQUEST__INIT;
    Tfplugin6__ReadDataSource__Request dq = TFPLUGIN6__READ_DATA_SOURCE__REQUEST__INIT;
    Tfplugin6__ConfigureProvider__Response *cr;
    Tfplugin6__ReadDataSource__Response *dr;
    fo_cty_value *out;
    const char *p, *s;
    cq.config = fw_dv(&a, cfg, pt);
    cr = (Tfplugin6__ConfigureProvider__Response *)fw_call(
        fo_rpc_configure_provider, &cq.base, &tfplugin6__configure_provider__response__descriptor, FO_RPC_OK);
    protobuf_c_message_free_unpacked(&cr->base, NULL);
    dq.type_name = (char *)"failover_regions";
    dq.config = fw_dv(&a, dcfg, dt);
    dr = (Tfplugin6__ReadDataSource__Response *)fw_call(fo_rpc_read_data_source, &dq.base,
                                                        &tfplugin6__read_data_source__response__descriptor, FO_RPC_OK);
    out = fw_decode(dt, dr->state);
    p = fw_str(out, "primary_region");
    s = fw_str(out, "secondary_region");
    /* a snapshot is never torn: both regions come from the same configuration */
    if (!((strcmp(p, "eu-west-1") == 0 && strcmp(s, "eu-west-2") == 0) ||
          (strcmp(p, "us-west-1") == 0 && strcmp(s, "us-west-2") == 0)))
      fail_msg("torn configuration snapshot: %s / %s", p, s);
    fo_cty_value_unref(out);
    protobuf_c_message_free_unpacked(&dr->base, NULL);
    fo_arena_dispose(&a);
  }
  fo_cty_value_unref(cfg);
  fo_cty_value_unref(dcfg);
  fo_cty_type_unref(pt);
  fo_cty_type_unref(dt);
  return NULL;
}

static void test_concurrent_handlers(void **state) {
  pthread_t th[4];
  (void)state;
  for (long i = 0; i < 4; i++)
    assert_int_equal(pthread_create(&th[i], NULL, worker, (void *)i), 0);
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  fo_rpc_provider_install(NULL);
}

static void test_stop_provider(void **state) {
  Tfplugin6__StopProvider__Request rq = TFPLUGIN6__STOP_PROVIDER__REQUEST__INIT;
  Tfplugin6__StopProvider__Response *rs;
  (void)state;
  assert_false(fw_stop_requested());
  rs = (Tfplugin6__StopProvider__Response *)fw_call(fo_rpc_stop_provider, &rq.base,
                                                    &tfplugin6__stop_provider__response__descriptor, FO_RPC_OK);
  assert_string_equal(rs->error, "");
  assert_true(fw_stop_requested());
  protobuf_c_message_free_unpacked(&rs->base, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_get_provider_schema),
      cmocka_unit_test(test_schema_answer_cached_per_registry),
      cmocka_unit_test(test_metadata_and_functions),
      cmocka_unit_test(test_malformed_protobuf_is_invalid_argument),
      cmocka_unit_test(test_method_table),
      cmocka_unit_test(test_bad_msgpack_names_the_field),
      cmocka_unit_test(test_invalid_utf8_never_reaches_the_wire),
      cmocka_unit_test(test_unknown_resource_type),
      cmocka_unit_test(test_provider_config_and_data_source),
      cmocka_unit_test(test_concurrent_handlers),
      cmocka_unit_test(test_stop_provider), /* last: the stop is sticky */
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
