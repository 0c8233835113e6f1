/* fo_audit_json: the auditor's exact JSON reading, comparison and writing on cJSON trees. yajl parses (streaming,
 * with number text and string lengths), so no value is changed on the way in: see "Exact values" below. */
#ifndef FO_AUDIT_JSON_H
#define FO_AUDIT_JSON_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "fo_audit_arena.h"
#include "fo_buf.h"

/* Exact values in a cJSON tree, as every reader of outside data in the auditor builds them:
 * - a number keeps its canonical decimal text (same value => same text: 1, 1.0 and 1e0 read "1") in
 *   `valuestring` when its double is not exact (9007199254740993, 2^64+1, 0.1000000000000000000001); an exact
 *   one has valuestring NULL and its text follows from valuedouble. valuedouble is always the nearest double.
 * - a string holding a NUL byte is a cJSON_Raw node whose valuestring is the JSON string literal (quotes and
 *   escapes included, written as fo_audit_json_write would): so no C-string reader cuts it at the NUL, and it
 *   never equals a plain string. Keys holding a NUL are refused by the readers.
 * Compare with fo_audit_json_equal and serialize with fo_audit_json_write, never with cJSON_Compare/Print. */

/* Memory budget of one parsed input (a state, a snapshot, a manifest file): 64 MiB plus 10 bytes per byte of
 * input, never more than 1 GiB. An input over it is refused (FO_ELIMIT) naming the input. */
#define FO_AUDIT_JSON_BUDGET_BASE  ((size_t)64 << 20)
#define FO_AUDIT_JSON_BUDGET_RATIO 10
#define FO_AUDIT_JSON_BUDGET_MAX   ((size_t)1 << 30)
size_t fo_audit_json_budget(size_t input_len);

typedef struct fo_audit_json_opts {
  const char *what; /* names the input in messages: "state 'x.tfstate'" */
  int max_depth;    /* nesting limit */
  size_t max_bytes; /* input size limit (files) */
  /* Optional: record the 1-based line where each object element of the top-level member `lines_of` (an
   * array) opens, e.g. "resources" of a state v4 file. *lines is malloc'ed (NULL when none). */
  const char *lines_of;
  int **lines;
  size_t *nlines;
  /* Optional: allocate the tree's nodes and strings from this arena (a snapshot's: one malloc per node and per
   * string was a fifth of `diff`'s memory and time). Such a tree is freed with fo_audit_json_delete and then
   * the arena, never with cJSON_Delete; see "Arena trees" below. */
  fo_audit_arena *arena;
  /* Optional (with `arena`): the value of member `collapse->member` of each object in the top-level member
   * `collapse->under` (a snapshot's "attributes" of each of its "objects"), when an object, is built in
   * `collapse->scratch` and handed to `collapse->done` once closed; its children are dropped and the scratch
   * reset right after, so done keeps what it needs elsewhere (fo_audit_pack_set). A document's peak is then one
   * such value, not all of them. */
  const struct fo_audit_json_collapse *collapse;
} fo_audit_json_opts;

typedef struct fo_audit_json_collapse {
  const char *under, *member;
  fo_audit_arena *scratch;
  int (*done)(void *ud, cJSON *node); /* 0, or an error code with the message set (the parse stops) */
  void *ud;
} fo_audit_json_collapse;

/* Arena trees: a node from an arena has FO_AUDIT_JSON_IN_ARENA in its type; its valuestring (cJSON_IsReference)
 * and key (cJSON_StringIsConst) belong to the arena too. Nodes and strings added or replaced later are malloc'ed
 * as usual (whoever replaces a valuestring frees the old one only without cJSON_IsReference, and clears the flag).
 * Delete from such a tree with fo_audit_json_delete, which frees only what is malloc'ed; cJSON_Duplicate copies
 * are ordinary trees (cJSON_Delete) even though the flag is copied onto them. */
#define FO_AUDIT_JSON_IN_ARENA (1 << 12)
/* (A snapshot's tree also holds packed nodes, FO_AUDIT_PACK_NODE: fo_audit_pack.h.) */
/* cJSON_Delete for trees that may hold arena nodes: `item` and its following siblings, as cJSON_Delete does. */
void fo_audit_json_delete(cJSON *item);
/* Free a malloc'ed valuestring of `v` (not an arena's or a reference's) and give it `s` (malloc'ed, taken). */
void fo_audit_json_set_valuestring(cJSON *v, char *s);

/* The process's shared copy of an object key (the readers intern keys: they repeat in every object), or NULL
 * when it is not kept there (longer than 64 bytes, the table full, OOM). Never freed. */
const char *fo_audit_json_intern(const char *s, size_t len);

/* Parse JSON text (the first non-blank byte must be '{' or '['). FO_EINVAL with "<what>: ..." and the byte
 * offset on bad input, FO_ELIMIT over the depth or memory budget. */
int fo_audit_json_parse(cJSON **out, const char *data, size_t len, const fo_audit_json_opts *o);
/* The same, streamed from a regular file in chunks (the text is never held whole; read buffers are wiped).
 * Non-JSON is refused at its first byte, before the rest is read. */
int fo_audit_json_load(cJSON **out, const char *path, const fo_audit_json_opts *o);

/* One JSON value of any kind (a scalar too), from text such as a finding's value. */
int fo_audit_json_parse_value(cJSON **out, const char *text, size_t len, const fo_audit_json_opts *o);

/* Canonical decimal text of a number node into buf (room for 64 bytes); returns the text (valuestring or
 * buf). */
#define FO_AUDIT_JSON_NUMBUF 64
const char *fo_audit_json_number_text(const cJSON *n, char *buf);
/* A number node from decimal text (any JSON/YAML decimal form), canonical. FO_EINVAL (message set) when the
 * text is not a finite decimal within fo_cty's limits, FO_ENOMEM. */
int fo_audit_json_number_from_text(cJSON **out, const char *text, size_t len);
/* A string node from bytes (a Raw literal when they hold a NUL). NULL on OOM. */
cJSON *fo_audit_json_string_from_bytes(const char *s, size_t len);
/* 1 for a string node of either form (plain or NUL-holding Raw). */
int fo_audit_json_is_string(const cJSON *v);

/* Exact deep equality: numbers by canonical text, strings by length and bytes, objects as key sets (first of
 * repeated keys), arrays in order. 1 equal, 0 different. Deeper than `max_depth` counts as different. */
int fo_audit_json_equal(const cJSON *a, const cJSON *b, int max_depth);
/* Total order on identity values (numbers before strings; numbers by value, ties by text; strings by bytes). */
int fo_audit_json_cmp_scalar(const cJSON *a, const cJSON *b);

/* Append JSON text of v: compact, or pretty as cJSON_Print lays it out. Exact (see above). */
int fo_audit_json_write(fo_buf *out, const cJSON *v, int pretty);
/* Compact JSON text, malloc'ed (free), NULL on OOM; *len (optional) gets its length. */
char *fo_audit_json_print(const cJSON *v, size_t *len);

#endif
