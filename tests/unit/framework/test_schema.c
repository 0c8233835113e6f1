/* Schema definitions: Terraform's load-time rules, cty type derivation and
 * the protobuf encoding GetProviderSchema sends. */
#include <stdlib.h>
#include <string.h>

#include "fo_provider_config.h"
#include "fo_resources.h"
#include "fo_resource.h"
#include "fo_schema.h"
#include "fo_timeouts.h"
#include "fo_validators.h"
#include "fw_test.h"

static const char *const colours[] = {"red", "blue", NULL};

static const fo_attr inner_attrs[] = {
    {.name = "port", .type = "\"number\"", .flags = FO_ATTR_REQUIRED, .description = "port"},
    {.name = "label", .type = "\"string\"", .flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED, .description = "label"},
};
static const fo_nested_attrs inner_list = {FO_NEST_LIST, inner_attrs, 2};
static const fo_block rule_block = {.attrs = inner_attrs, .n_attrs = 2, .description = "a rule"};

static const fo_attr test_attrs[] = {
    {.name = "name", .type = "\"string\"", .flags = FO_ATTR_REQUIRED, .description = "plain", .markdown = "the `name`"},
    {.name = "colour",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL,
     .description = "c",
     .validators = {{fo_validate_one_of, colours}}},
    {.name = "tags", .type = "[\"map\", \"string\"]", .flags = FO_ATTR_OPTIONAL, .description = "tags"},
    {.name = "secret",
     .type = "\"string\"",
     .flags = FO_ATTR_OPTIONAL | FO_ATTR_SENSITIVE | FO_ATTR_DEPRECATED,
     .deprecation_message = "use something else",
     .description = "s"},
    {.name = "endpoints", .nested = &inner_list, .flags = FO_ATTR_OPTIONAL, .description = "nested"},
};
static const fo_block_type test_blocks[] = {
    {.type_name = "rule", .nesting = FO_NEST_LIST, .block = &rule_block, .max_items = 3},
    {.type_name = "timeouts", .nesting = FO_NEST_SINGLE, .block = NULL, .max_items = 1},
};
static fo_block_type blocks_copy[2];
static fo_schema test_schema;

static int setup(void **state) {
  (void)state;
  blocks_copy[0] = test_blocks[0];
  blocks_copy[1] = fo_timeouts_block_type;
  test_schema.version = 2;
  test_schema.block.attrs = test_attrs;
  test_schema.block.n_attrs = FO_COUNT(test_attrs);
  test_schema.block.blocks = blocks_copy;
  test_schema.block.n_blocks = 2;
  test_schema.block.description = "test resource";
  return 0;
}

/* Every schema we ship is documented (fails naming the undocumented part). */
static void assert_documented(const char *what, const fo_block *b) {
  if (fo_schema_check_documented(b) < 0)
    fail_msg("%s: %s", what, fo_err_last());
}

static void test_registered_schemas_are_valid(void **state) {
  const fo_registry *reg = fo_provider_registry();
  size_t nr = reg->n_resources, nd = reg->n_data_sources, nf = reg->n_functions;
  const fo_resource *const *r = reg->resources;
  const fo_data_source *const *ds = reg->data_sources;
  const fo_function *const *f = reg->functions;
  (void)state;
  assert_int_equal(fo_schema_check(&fo_provider_schema()->block), 0);
  assert_documented("provider", &fo_provider_schema()->block);
  assert_true(nr >= 1 && nd >= 1 && nf == 2);
  for (size_t i = 0; i < nr; i++) {
    assert_int_equal(strncmp(r[i]->type_name, "failover_", 9), 0);
    assert_int_equal(fo_schema_check(&r[i]->schema->block), 0);
    assert_documented(r[i]->type_name, &r[i]->schema->block);
  }
  for (size_t i = 0; i < nd; i++) {
    assert_int_equal(fo_schema_check(&ds[i]->schema->block), 0);
    assert_documented(ds[i]->type_name, &ds[i]->schema->block);
  }
  for (size_t i = 0; i < nf; i++) {
    fo_cty_type *t = NULL;
    assert_true(f[i]->summary && *f[i]->summary && f[i]->description && *f[i]->description);
    for (size_t k = 0; k < f[i]->n_params; k++)
      assert_true(f[i]->params[k].description && *f[i]->params[k].description);
    assert_true(!f[i]->variadic || (f[i]->variadic->description && *f[i]->variadic->description));
    assert_int_equal(fo_cty_type_from_json(&t, f[i]->return_type, strlen(f[i]->return_type)), 0);
    fo_cty_type_unref(t);
    for (size_t k = 0; k < f[i]->n_params; k++) {
      assert_int_equal(fo_cty_type_from_json(&t, f[i]->params[k].type, strlen(f[i]->params[k].type)), 0);
      fo_cty_type_unref(t);
    }
  }
  assert_non_null(fo_registry_resource(reg, "failover_switch"));
  assert_null(fo_registry_resource(reg, "failover_nope"));
  assert_non_null(fo_registry_function(reg, "weights"));
  assert_non_null(fo_registry_function(reg, "counterpart"));
}

static void test_check_documented(void **state) {
  fo_attr attrs[1] = {{.name = "x", .type = "\"string\"", .flags = FO_ATTR_OPTIONAL, .description = "the x"}};
  fo_block inner = {.attrs = attrs, .n_attrs = 1, .description = "inner"};
  fo_block_type bt[1] = {{.type_name = "sub", .nesting = FO_NEST_LIST, .block = &inner}};
  fo_block b = {.attrs = attrs, .n_attrs = 1, .blocks = bt, .n_blocks = 1, .description = "outer"};
  (void)state;
  assert_int_equal(fo_schema_check_documented(&b), 0);
  inner.description = NULL;
  assert_int_not_equal(fo_schema_check_documented(&b), 0);
  assert_non_null(strstr(fo_err_last(), "'sub'"));
  inner.description = "inner";
  attrs[0].description = "";
  assert_int_not_equal(fo_schema_check_documented(&b), 0);
  assert_non_null(strstr(fo_err_last(), "'x'"));
}

static void test_check_rejects_bad_schemas(void **state) {
  fo_attr bad[1] = {{.name = "x", .type = "\"string\"", .flags = FO_ATTR_REQUIRED | FO_ATTR_OPTIONAL}};
  fo_block b = {.attrs = bad, .n_attrs = 1};
  (void)state;
  assert_int_not_equal(fo_schema_check(&b), 0);
  assert_non_null(strstr(fo_err_last(), "'x'"));
  bad[0].flags = 0;
  assert_int_not_equal(fo_schema_check(&b), 0);
  bad[0].flags = FO_ATTR_OPTIONAL;
  bad[0].name = "Bad-Name";
  assert_int_not_equal(fo_schema_check(&b), 0);
  bad[0].name = "x";
  bad[0].type = "[\"lisst\",\"string\"]";
  assert_int_not_equal(fo_schema_check(&b), 0);
  bad[0].type = "\"string\"";
  bad[0].default_json = "\"d\""; /* a default needs optional+computed */
  assert_int_not_equal(fo_schema_check(&b), 0);
  bad[0].flags = FO_ATTR_OPTIONAL | FO_ATTR_COMPUTED;
  assert_int_equal(fo_schema_check(&b), 0);
  bad[0].default_json = "[1,2]"; /* default of the wrong type */
  assert_int_not_equal(fo_schema_check(&b), 0);
}

static void test_block_type(void **state) {
  fo_cty_type *t = fo_schema_block_type(&test_schema.block);
  fo_buf json = FO_BUF_INIT;
  fo_cty_value *empty;
  (void)state;
  assert_non_null(t);
  assert_int_equal(fo_cty_type_to_json(t, &json), 0);
  assert_string_equal(json.data,
                      "[\"object\",{\"colour\":\"string\",\"endpoints\":[\"list\",[\"object\",{\"label\":\"string\","
                      "\"port\":\"number\"}]],\"name\":\"string\",\"rule\":[\"list\",[\"object\",{\"label\":\"string\","
                      "\"port\":\"number\"}]],\"secret\":\"string\",\"tags\":[\"map\",\"string\"],\"timeouts\":"
                      "[\"object\",{\"create\":\"string\",\"delete\":\"string\",\"read\":\"string\",\"update\":"
                      "\"string\"}]}]");
  empty = fo_schema_empty_value(&test_schema.block);
  assert_non_null(empty);
  assert_true(fo_cty_is_null(fo_cty_get_attr(empty, "name")));
  assert_true(fo_cty_is_null(fo_cty_get_attr(empty, "timeouts"))); /* SINGLE block: null */
  assert_false(fo_cty_is_null(fo_cty_get_attr(empty, "rule")));    /* LIST block: empty list */
  assert_int_equal(fo_cty_length(fo_cty_get_attr(empty, "rule")), 0);
  fo_cty_value_unref(empty);
  fo_buf_dispose(&json);
  fo_cty_type_unref(t);
}

static const Tfplugin6__Schema__Attribute *find_attr(const Tfplugin6__Schema__Block *b, const char *name) {
  for (size_t i = 0; i < b->n_attributes; i++)
    if (strcmp(b->attributes[i]->name, name) == 0)
      return b->attributes[i];
  return NULL;
}

static void test_to_proto(void **state) {
  fo_arena a = FO_ARENA_INIT;
  Tfplugin6__Schema *s = fo_schema_to_proto(&a, &test_schema);
  const Tfplugin6__Schema__Attribute *at;
  size_t len;
  uint8_t *buf;
  Tfplugin6__Schema *back;
  (void)state;
  assert_non_null(s);
  assert_int_equal(s->version, 2);
  assert_string_equal(s->block->description, "test resource");
  at = find_attr(s->block, "name");
  assert_non_null(at);
  assert_true(at->required);
  assert_false(at->optional);
  assert_int_equal(at->description_kind, TFPLUGIN6__STRING_KIND__MARKDOWN);
  assert_string_equal(at->description, "the `name`");
  assert_int_equal(at->type.len, strlen("\"string\""));
  assert_memory_equal(at->type.data, "\"string\"", at->type.len);
  /* type strings are normalised (no spaces) */
  at = find_attr(s->block, "tags");
  assert_memory_equal(at->type.data, "[\"map\",\"string\"]", at->type.len);
  at = find_attr(s->block, "secret");
  assert_true(at->sensitive && at->deprecated);
  assert_string_equal(at->deprecation_message, "use something else");
  at = find_attr(s->block, "endpoints");
  assert_non_null(at->nested_type);
  assert_int_equal(at->type.len, 0);
  assert_int_equal(at->nested_type->nesting, TFPLUGIN6__SCHEMA__OBJECT__NESTING_MODE__LIST);
  assert_int_equal(at->nested_type->n_attributes, 2);
  assert_int_equal(s->block->n_block_types, 2);
  assert_string_equal(s->block->block_types[0]->type_name, "rule");
  assert_int_equal(s->block->block_types[0]->nesting, TFPLUGIN6__SCHEMA__NESTED_BLOCK__NESTING_MODE__LIST);
  assert_int_equal(s->block->block_types[0]->max_items, 3);
  assert_string_equal(s->block->block_types[1]->type_name, "timeouts");
  assert_int_equal(s->block->block_types[1]->block->n_attributes, 4);

  /* and it survives the wire */
  len = tfplugin6__schema__get_packed_size(s);
  buf = fo_arena_alloc(&a, len);
  tfplugin6__schema__pack(s, buf);
  back = tfplugin6__schema__unpack(NULL, len, buf);
  assert_non_null(back);
  assert_int_equal(back->block->n_attributes, FO_COUNT(test_attrs));
  tfplugin6__schema__free_unpacked(back, NULL);
  fo_arena_dispose(&a);
}

static const int64_t port_range[2] = {1, 1024};
static const fo_attr port_attrs[] = {
    {.name = "port",
     .type = "\"number\"",
     .flags = FO_ATTR_REQUIRED,
     .validators = {{fo_validate_int_range, port_range}}},
};
static const fo_block port_block = {.attrs = port_attrs, .n_attrs = 1};
static const fo_block_type walk_blocks[] = {
    {.type_name = "rule", .nesting = FO_NEST_LIST, .block = &port_block},
};
static const fo_nested_attrs port_map = {.nesting = FO_NEST_MAP, .attrs = port_attrs, .n_attrs = 1};
static const fo_attr walk_attrs[] = {
    {.name = "colour", .type = "\"string\"", .flags = FO_ATTR_OPTIONAL, .validators = {{fo_validate_one_of, colours}}},
    {.name = "ports", .nested = &port_map, .flags = FO_ATTR_OPTIONAL},
};
static const fo_block walk_block = {.attrs = walk_attrs, .n_attrs = 2, .blocks = walk_blocks, .n_blocks = 1};

static void test_validate_walk_paths(void **state) {
  fo_cty_type *t = fo_schema_block_type(&walk_block);
  fo_cty_value *v;
  fo_diags d = FO_DIAGS_INIT;
  long i;
  (void)state;
  v = fw_value(t,
               "{\"colour\":\"green\",\"rule\":[{\"port\":80},{\"port\":99999}],"
               "\"ports\":{\"ok\":{\"port\":1},\"we\\\"b\":{\"port\":0}}}");
  fo_schema_validate(&walk_block, v, &d);
  assert_int_equal(d.n, 3);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "ports[\"we\\\"b\"].port") >= 0);
  assert_true(fo_diags_find(&d, FO_DIAG_ERROR, "colour") >= 0);
  i = fo_diags_find(&d, FO_DIAG_ERROR, "rule[1].port");
  assert_true(i >= 0);
  assert_non_null(strstr(d.items[i].detail, "99999"));
  fo_diags_dispose(&d);
  fo_cty_value_unref(v);
  fo_cty_type_unref(t);
}

/* A value too long to quote in full still gets its diagnostic (it used to be
 * dropped, so an invalid value of more than 64 KiB passed validation). */
static void test_huge_invalid_value_is_still_reported(void **state) {
  fo_cty_type *t = fo_schema_block_type(&walk_block);
  size_t n = 100 * 1024;
  char *json = malloc(n + 32);
  fo_cty_value *v;
  fo_diags d = FO_DIAGS_INIT;
  long i;
  (void)state;
  assert_non_null(json);
  memcpy(json, "{\"colour\":\"", 11);
  memset(json + 11, 'x', n);
  memcpy(json + 11 + n, "\"}", 3);
  v = fw_value(t, json);
  fo_schema_validate(&walk_block, v, &d);
  i = fo_diags_find(&d, FO_DIAG_ERROR, "colour");
  assert_true(i >= 0);
  assert_true(strlen(d.items[i].detail) < 64 * 1024);
  assert_string_equal(d.items[i].summary, "Invalid value"); /* the detail keeps its first 64 KiB */
  fo_diags_dispose(&d);
  fo_cty_value_unref(v);
  fo_cty_type_unref(t);
  free(json);
}

static void test_path_to_proto(void **state) {
  fo_arena a = FO_ARENA_INIT;
  fo_cty_path path = FO_CTY_PATH_INIT;
  Tfplugin6__AttributePath *p;
  (void)state;
  assert_null(fo_path_to_proto(&a, &path));
  assert_null(fo_path_to_proto(&a, NULL));
  assert_int_equal(fo_cty_path_push_attr(&path, "network"), 0);
  assert_int_equal(fo_cty_path_push_index(&path, 0), 0);
  assert_int_equal(fo_cty_path_push_attr(&path, "tags"), 0);
  assert_int_equal(fo_cty_path_push_key(&path, "a\"b"), 0);
  assert_int_equal(fo_cty_path_push_attr(&path, "port"), 0);
  p = fo_path_to_proto(&a, &path);
  assert_non_null(p);
  assert_int_equal(p->n_steps, 5);
  assert_string_equal(p->steps[0]->attribute_name, "network");
  assert_int_equal(p->steps[1]->selector_case, TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_INT);
  assert_int_equal(p->steps[1]->element_key_int, 0);
  assert_string_equal(p->steps[2]->attribute_name, "tags");
  assert_int_equal(p->steps[3]->selector_case, TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_STRING);
  assert_string_equal(p->steps[3]->element_key_string, "a\"b");
  assert_string_equal(p->steps[4]->attribute_name, "port");
  fo_cty_path_dispose(&path);
  fo_arena_dispose(&a);
}

static void test_timeouts(void **state) {
  fo_cty_type *t = fo_schema_block_type(&test_schema.block);
  fo_cty_value *v = fw_value(t, "{\"name\":\"x\",\"rule\":[],\"timeouts\":{\"create\":\"1h30m\",\"delete\":\"bad\"}}");
  fo_cty_value *none = fw_value(t, "{\"name\":\"x\",\"rule\":[]}");
  fo_diags d = FO_DIAGS_INIT;
  (void)state;
  assert_int_equal(fo_timeouts_seconds(v, "create", 60), 5400);
  assert_int_equal(fo_timeouts_seconds(v, "update", 60), 60); /* unset */
  assert_int_equal(fo_timeouts_seconds(v, "delete", 60), 60); /* invalid: default */
  assert_int_equal(fo_timeouts_seconds(none, "create", 7), 7);
  fo_schema_validate(&test_schema.block, v, &d);
  assert_int_equal(d.n, 1);
  assert_int_equal(fo_diags_find(&d, FO_DIAG_ERROR, "timeouts.delete"), 0);
  fo_diags_dispose(&d);
  fo_cty_value_unref(v);
  fo_cty_value_unref(none);
  fo_cty_type_unref(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_registered_schemas_are_valid),
      cmocka_unit_test(test_check_rejects_bad_schemas),
      cmocka_unit_test(test_check_documented),
      cmocka_unit_test(test_block_type),
      cmocka_unit_test(test_to_proto),
      cmocka_unit_test(test_validate_walk_paths),
      cmocka_unit_test(test_path_to_proto),
      cmocka_unit_test(test_huge_invalid_value_is_still_reported),
      cmocka_unit_test(test_timeouts),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
