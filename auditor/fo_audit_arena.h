/* fo_audit_arena: a bump allocator for one parsed document (a snapshot's tree and its strings): no per-node
 * malloc header or free, and the whole document goes at once. Not thread-safe: one owner. */
#ifndef FO_AUDIT_ARENA_H
#define FO_AUDIT_ARENA_H

#include <stddef.h>

typedef struct fo_audit_arena fo_audit_arena;

/* A new empty arena; NULL when out of memory. Free with fo_audit_arena_free (accepts NULL). */
fo_audit_arena *fo_audit_arena_new(void);
void fo_audit_arena_free(fo_audit_arena *a);
/* Hand out everything again: every pointer taken from `a` becomes invalid. The newest (largest) block is kept for
 * reuse, so a scratch arena reset once per object allocates nothing in the steady state. */
void fo_audit_arena_reset(fo_audit_arena *a);

/* `n` bytes aligned for any scalar or pointer (8 bytes), uninitialized; NULL when out of memory. Valid until
 * the arena is freed; never freed on its own. */
void *fo_audit_arena_alloc(fo_audit_arena *a, size_t n);
/* A NUL-terminated copy of `len` bytes of `s`, packed (no alignment padding); NULL when out of memory. */
char *fo_audit_arena_strndup(fo_audit_arena *a, const char *s, size_t len);

/* Bytes handed out so far (for the memory budget and the benchmarks). */
size_t fo_audit_arena_used(const fo_audit_arena *a);

#endif
