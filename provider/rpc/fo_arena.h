/* fo_arena: a pool that owns every allocation made while building one
 * protobuf-c response, so a handler frees the whole message tree at once. */
#ifndef FO_ARENA_H
#define FO_ARENA_H

#include <stddef.h>

typedef struct fo_arena_chunk fo_arena_chunk;

typedef struct fo_arena {
  fo_arena_chunk *head;
} fo_arena;

#define FO_ARENA_INIT \
  { NULL }

/* Zeroed memory owned by the arena; NULL when out of memory (fo_err set). */
void *fo_arena_alloc(fo_arena *a, size_t size);
/* Copies (NUL-terminated); NULL in gives "" (protobuf-c strings are never NULL). */
char *fo_arena_strdup(fo_arena *a, const char *s);
char *fo_arena_memdup(fo_arena *a, const void *p, size_t len);
/* An array of `n` pointers. */
void **fo_arena_ptrs(fo_arena *a, size_t n);
void fo_arena_dispose(fo_arena *a);

#endif
