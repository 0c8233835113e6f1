/* fo_audit_pack: a JSON tree kept as compact bytes, and back. A snapshot read from a file keeps each object's
 * attributes so between parse and diff (a 64-byte cJSON node per value was most of `diff`'s memory, issue 14). */
#ifndef FO_AUDIT_PACK_H
#define FO_AUDIT_PACK_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "fo_audit_arena.h"
#include "fo_buf.h"

/* A packed node: an object node (cJSON_IsObject holds) without children whose tree is in bytes its valuestring
 * points to (an arena's, never freed with the node: cJSON_IsReference is set). Read it only through
 * fo_audit_pack_open; cJSON's accessors see an empty object. */
#define FO_AUDIT_PACK_NODE (1 << 13)

/* The bytes (exact: the same tree comes back, numbers' texts, NUL-holding strings, key order and repeated keys
 * included) of `v` and its children, appended to `out`. FO_ENOMEM, or FO_EINVAL (message set) for a node that
 * is not JSON (cJSON_Invalid) or is already packed. */
int fo_audit_pack_write(fo_buf *out, const cJSON *v);

/* Make `node` (an object node from the same arena as its tree, or malloc'ed) a packed node holding a copy of
 * `len` bytes from fo_audit_pack_write: in place of its old bytes when it is packed already and they fit, else
 * stored in `store` (the old ones' store, then). Its children (if any) are the caller's to free first.
 * FO_ENOMEM. */
int fo_audit_pack_set(cJSON *node, const unsigned char *bytes, size_t len, fo_audit_arena *store);

/* 1 when `v` is a packed node. */
int fo_audit_pack_is(const cJSON *v);

/* 1 when both are packed nodes holding the same bytes: the same tree, so no difference between them. */
int fo_audit_pack_same(const cJSON *a, const cJSON *b);

/* The tree of packed node `node`, decoded into `arena` (nodes and strings; keys interned as the JSON reader
 * interns them): an arena tree as fo_audit_json.h describes it, valid until the arena is reset or freed.
 * FO_EINVAL (message set) on bytes that are not a pack, FO_ENOMEM. */
int fo_audit_pack_open(cJSON **out, const cJSON *node, fo_audit_arena *arena);

/* The same from bytes (fo_audit_pack_write's), e.g. for the fuzz target. */
int fo_audit_pack_read(cJSON **out, const unsigned char *bytes, size_t len, fo_audit_arena *arena);

#endif
