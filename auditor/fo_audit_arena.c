/* fo_audit_arena: blocks of growing size, each handed out front to back. */
#include "fo_audit_arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_BLOCK ((size_t)16 << 10)
#define MAX_BLOCK   ((size_t)1 << 20) /* a big document takes many 1 MiB blocks: little waste at each end */

typedef struct block {
  struct block *prev;
  size_t size, used;
  /* the data follows, aligned as max_align_t */
  _Alignas(16) unsigned char data[];
} block;

struct fo_audit_arena {
  block *cur;
  size_t next_size, used;
};

fo_audit_arena *fo_audit_arena_new(void) {
  fo_audit_arena *a = calloc(1, sizeof *a);
  if (a)
    a->next_size = FIRST_BLOCK;
  return a;
}

void fo_audit_arena_free(fo_audit_arena *a) {
  if (!a)
    return;
  for (block *b = a->cur, *prev; b; b = prev) {
    prev = b->prev;
    free(b);
  }
  free(a);
}

void fo_audit_arena_reset(fo_audit_arena *a) {
  block *b = a->cur, *prev;
  if (!b)
    return;
  for (b = b->prev; b; b = prev) {
    prev = b->prev;
    free(b);
  }
  a->cur->prev = NULL;
  a->cur->used = 0;
  a->used = 0;
}

/* Room for `n` more bytes at `align` in the current block, or a new block. */
static unsigned char *take(fo_audit_arena *a, size_t n, size_t align) {
  block *b = a->cur;
  size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
  if (!b || at > b->size || b->size - at < n) {
    size_t size = a->next_size;
    if (n > SIZE_MAX - sizeof *b)
      return NULL;
    if (size < n)
      size = n;
    if (!(b = malloc(sizeof *b + size)))
      return NULL;
    b->prev = a->cur;
    b->size = size;
    b->used = 0;
    a->cur = b;
    if (a->next_size < MAX_BLOCK)
      a->next_size *= 2;
    at = 0;
  }
  b->used = at + n;
  a->used += n;
  return b->data + at;
}

void *fo_audit_arena_alloc(fo_audit_arena *a, size_t n) {
  return take(a, n, 8);
}

char *fo_audit_arena_strndup(fo_audit_arena *a, const char *s, size_t len) {
  char *p = len < SIZE_MAX ? (char *)take(a, len + 1, 1) : NULL;
  if (p) {
    memcpy(p, s, len);
    p[len] = '\0';
  }
  return p;
}

size_t fo_audit_arena_used(const fo_audit_arena *a) {
  return a ? a->used : 0;
}
