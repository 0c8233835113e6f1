/* fo_audit_snapshot: one side's collected state as a versioned JSON document (docs/snapshot-format.md):
 * objects keyed by identity, each with its source, identity fields, origin and attributes. */
#ifndef FO_AUDIT_SNAPSHOT_H
#define FO_AUDIT_SNAPSHOT_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "fo_buf.h"

#define FO_AUDIT_SNAPSHOT_FORMAT    "failover-audit-snapshot"
#define FO_AUDIT_SNAPSHOT_VERSION   1
#define FO_AUDIT_SNAPSHOT_MAX_BYTES ((size_t)1 << 30)
#define FO_AUDIT_JSON_MAX_DEPTH     64

/* The document owns everything; `objects` and `sources` point into it. A snapshot read from a file keeps its tree
 * in `arena` (fo_audit_json.h, "Arena trees": delete from it only with fo_audit_json_delete) and each object's
 * attributes packed (fo_audit_pack) in `packs`: read them through fo_audit_snapshot_attributes. A collected
 * snapshot's tree is plain cJSON (packs NULL). Both keep the texts normalization rewrote in the arena. */
typedef struct fo_audit_snapshot {
  cJSON *doc;
  cJSON *objects; /* {"<key>": {source, kind, ..., attributes}} */
  cJSON *sources; /* [{name, status, location, message}] */
  struct fo_audit_arena *arena;
  struct fo_audit_arena *packs;
} fo_audit_snapshot;

/* The attributes of object `obj` (an element of a snapshot's `objects`) as a tree in *out: the member itself,
 * or when it is packed, a copy opened into `scratch` (valid until the scratch is reset or freed; changing it
 * changes nothing in the snapshot). *out is NULL when the object has none. FO_ENOMEM, FO_EINVAL (bad pack). */
int fo_audit_snapshot_attributes(cJSON **out, const cJSON *obj, struct fo_audit_arena *scratch);

int fo_audit_snapshot_new(fo_audit_snapshot **out, const char *side, const char *name, const char *region,
                          const char *account_id);
void fo_audit_snapshot_free(fo_audit_snapshot *s);

/* A new object under `key`, returned borrowed (owned by the snapshot) with "source" and "attributes" set.
 * Keys must be unique per snapshot (the collectors build them from unique identities). */
int fo_audit_snapshot_add_object(cJSON **out, fo_audit_snapshot *s, const char *key, const char *source);

/* Record a source's status ("ok" / "unreadable") with what was read and, when unreadable, why. */
int fo_audit_snapshot_add_source(fo_audit_snapshot *s, const char *name, const char *status, const char *location,
                                 const char *message);

/* The source's status string, or NULL when the snapshot has no entry for it. */
const char *fo_audit_snapshot_source_status(const fo_audit_snapshot *s, const char *name);

/* Header fields; NULL when absent. */
const char *fo_audit_snapshot_get(const fo_audit_snapshot *s, const char *field);

/* Parse and validate (format name, version, shape). `name` is used in messages. FO_EINVAL on bad input. */
int fo_audit_snapshot_parse(fo_audit_snapshot **out, const char *data, size_t len, const char *name);
int fo_audit_snapshot_load(fo_audit_snapshot **out, const char *path);
/* Both sides' files at once (one thread each: reading is most of an offline diff's time). On failure both are
 * NULL and the message is the first file's error when both fail. */
int fo_audit_snapshot_load_pair(fo_audit_snapshot **primary, fo_audit_snapshot **secondary, const char *ppath,
                                const char *spath);
/* Serialize (pretty, stable key order as inserted), packed attributes included. */
int fo_audit_snapshot_write(const fo_audit_snapshot *s, fo_buf *out);

/* Shared helper for reading outside JSON (files are read with fo_file_read): check nesting depth. */
int fo_audit_json_depth_ok(const char *data, size_t len, int max_depth);
/* 1 when the text is empty or only whitespace: said plainly rather than as "invalid JSON near byte 0". */
int fo_audit_json_blank(const char *data, size_t len);
/* 1 when the text ends inside a string or with open brackets: the likely cause of a parse error. */
int fo_audit_json_unclosed(const char *data, size_t len);

#endif
