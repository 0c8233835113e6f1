/* fo_schema: declarative schemas (attributes, nested attributes and blocks,
 * validators, defaults, plan modifiers) plus cty type derivation and validation. */
#ifndef FO_SCHEMA_H
#define FO_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "fo_cty.h"
#include "fo_diag.h"

/* How deep blocks and nested attributes may nest (walks refuse deeper). */
#define FO_SCHEMA_MAX_DEPTH 16

/* Attribute flags. Exactly one of REQUIRED / OPTIONAL / COMPUTED / OPTIONAL|COMPUTED. */
enum {
  FO_ATTR_REQUIRED = 1u << 0,
  FO_ATTR_OPTIONAL = 1u << 1,
  FO_ATTR_COMPUTED = 1u << 2,
  FO_ATTR_SENSITIVE = 1u << 3,
  FO_ATTR_DEPRECATED = 1u << 4,
  /* plan modifiers */
  FO_ATTR_REQUIRES_REPLACE = 1u << 5,     /* a change replaces the resource */
  FO_ATTR_USE_STATE_FOR_UNKNOWN = 1u << 6 /* computed: keep the prior value in update plans */
};

typedef enum fo_nesting {
  FO_NEST_SINGLE = 1,
  FO_NEST_LIST = 2,
  FO_NEST_SET = 3,
  FO_NEST_MAP = 4,
  FO_NEST_GROUP = 5 /* blocks only */
} fo_nesting;

/* A validator looks at one known, non-null value at `path` (borrowed) and adds
 * diagnostics; `arg` is the validator's static parameter. */
typedef void (*fo_validate_fn)(const fo_cty_value *v, const fo_cty_path *path, const void *arg, fo_diags *d);
typedef struct fo_validator {
  fo_validate_fn fn;
  const void *arg;
} fo_validator;
#define FO_MAX_VALIDATORS 4

typedef struct fo_attr fo_attr;
typedef struct fo_block fo_block;

typedef struct fo_nested_attrs {
  fo_nesting nesting; /* SINGLE, LIST, SET or MAP */
  const fo_attr *attrs;
  size_t n_attrs;
} fo_nested_attrs;

struct fo_attr {
  const char *name;
  const char *type;              /* cty type JSON, e.g. "\"string\"", "[\"map\",\"string\"]"; NULL if nested */
  const fo_nested_attrs *nested; /* nested attributes (type must be NULL) */
  unsigned flags;
  const char *description;         /* plain text */
  const char *markdown;            /* markdown description (sent instead of plain when set) */
  const char *deprecation_message; /* with FO_ATTR_DEPRECATED */
  const char *default_json;        /* optional+computed: cty JSON of the value planned when unset */
  fo_validator validators[FO_MAX_VALIDATORS];
};

typedef struct fo_block_type {
  const char *type_name;
  fo_nesting nesting;
  const fo_block *block;
  int64_t min_items, max_items;
} fo_block_type;

struct fo_block {
  const fo_attr *attrs;
  size_t n_attrs;
  const fo_block_type *blocks;
  size_t n_blocks;
  const char *description;
  const char *markdown;
  int deprecated;
};

typedef struct fo_schema {
  int64_t version;
  fo_block block;
} fo_schema;

#define FO_COUNT(arr) (sizeof(arr) / sizeof((arr)[0]))

/* The cty type of a block (object of attributes and nested blocks, 6.2) and of
 * one attribute. One reference to the caller; NULL with fo_err on a bad type string. */
fo_cty_type *fo_schema_block_type(const fo_block *b);
fo_cty_type *fo_schema_attr_type(const fo_attr *a);

/* The value Terraform uses for an absent block body: every attribute null,
 * LIST/SET/MAP blocks empty, SINGLE blocks null, GROUP blocks empty objects. */
fo_cty_value *fo_schema_empty_value(const fo_block *b);

/* Checks the rules Terraform applies when it loads a schema (7.1): names,
 * required/optional/computed combinations, type xor nested, nesting limits,
 * parsable types and defaults. FO_EINVAL naming the attribute otherwise. */
int fo_schema_check(const fo_block *b);

/* Our own rule for every schema we ship: the block, each nested block and
 * each attribute (nested ones too) has a plain description (a markdown one
 * is optional and sent instead when present); `tofu providers schema -json`
 * and the docs show them. FO_EINVAL naming the first undocumented one. */
int fo_schema_check_documented(const fo_block *b);

/* Runs every attribute's validators over a (possibly partly unknown) config
 * value of the block's type, with paths. Unknown and null values are skipped;
 * set elements have no address, so their diagnostics point at the set.
 * Known string values of sensitive attributes are registered with
 * fo_log_add_secret on the way (so never logged or shown in a diagnostic). */
void fo_schema_validate(const fo_block *b, const fo_cty_value *config, fo_diags *d);

/* Looks up an attribute of a block by name, NULL when absent. */
const fo_attr *fo_schema_find_attr(const fo_block *b, const char *name);

#endif
