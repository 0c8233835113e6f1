#include "fo_arena.h"

#include <stdlib.h>
#include <string.h>

#include "fo_err.h"

struct fo_arena_chunk {
  fo_arena_chunk *next;
  max_align_t data[]; /* keeps the payload aligned for any type */
};

void *fo_arena_alloc(fo_arena *a, size_t size) {
  fo_arena_chunk *c;
  if (size > ((size_t)1 << 30)) {
    fo_err_set(FO_ELIMIT, "arena allocation of %zu bytes refused", size);
    return NULL;
  }
  c = calloc(1, sizeof(*c) + size + 1);
  if (!c) {
    fo_err_oom();
    return NULL;
  }
  c->next = a->head;
  a->head = c;
  return c->data;
}

char *fo_arena_memdup(fo_arena *a, const void *p, size_t len) {
  char *s = fo_arena_alloc(a, len + 1);
  if (s && len)
    memcpy(s, p, len);
  return s;
}

char *fo_arena_strdup(fo_arena *a, const char *s) {
  if (!s)
    s = "";
  return fo_arena_memdup(a, s, strlen(s));
}

void **fo_arena_ptrs(fo_arena *a, size_t n) {
  if (n > ((size_t)1 << 24)) {
    fo_err_set(FO_ELIMIT, "arena array of %zu pointers refused", n);
    return NULL;
  }
  return fo_arena_alloc(a, (n ? n : 1) * sizeof(void *));
}

void fo_arena_dispose(fo_arena *a) {
  fo_arena_chunk *c;
  if (!a)
    return;
  c = a->head;
  while (c) {
    fo_arena_chunk *next = c->next;
    free(c);
    c = next;
  }
  a->head = NULL;
}
