#include "fo_rpc_utf8.h"

#include <string.h>

#include "fo_err.h"

/* Length of the valid sequence at s[0..n), or 0 when it is not one. */
static size_t seq_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF; /* overlong / surrogates */
    return n >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF; /* overlong / > U+10FFFF */
    return n >= 4 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80 ? 4 : 0;
  }
  return 0;
}

int fo_rpc_utf8_valid(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, k;
  while (i < len) {
    if (!(k = seq_len(p + i, len - i)))
      return 0;
    i += k;
  }
  return 1;
}

char *fo_rpc_utf8_fix(fo_arena *a, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  size_t len = strlen(s), i = 0, o = 0, k;
  char *out;
  if (len > (((size_t)-1) - 1) / 3 || !(out = fo_arena_alloc(a, len * 3 + 1))) /* U+FFFD is 3 bytes */
    return NULL;
  while (i < len) {
    if ((k = seq_len(p + i, len - i))) {
      memcpy(out + o, p + i, k);
      o += k;
      i += k;
    } else {
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
      i++;
    }
  }
  out[o] = '\0';
  return out;
}

static int fix_string(char **field, fo_arena *a) {
  char *fixed;
  if (!*field || fo_rpc_utf8_valid(*field, strlen(*field)))
    return 0;
  if (!(fixed = fo_rpc_utf8_fix(a, *field)))
    return FO_ENOMEM;
  *field = fixed; /* the old string stays owned by whoever made it (arena or request) */
  return 1;
}

static int walk(ProtobufCMessage *msg, fo_arena *a, int depth) {
  const ProtobufCMessageDescriptor *desc;
  int fixed = 0, r;
  if (!msg)
    return 0;
  if (depth > 64) /* our responses nest a few levels; a cycle would be a bug */
    return fo_err_set(FO_ELIMIT, "response nested deeper than 64 messages");
  desc = msg->descriptor;
  for (unsigned i = 0; i < desc->n_fields; i++) {
    const ProtobufCFieldDescriptor *f = &desc->fields[i];
    char *member = (char *)msg + f->offset;
    if (f->type != PROTOBUF_C_TYPE_STRING && f->type != PROTOBUF_C_TYPE_MESSAGE)
      continue;
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
      uint32_t which = *(const uint32_t *)((const char *)msg + f->quantifier_offset);
      if (which != f->id)
        continue;
    }
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
      size_t n = *(const size_t *)((const char *)msg + f->quantifier_offset);
      void **items = *(void ***)member;
      for (size_t k = 0; k < n && items; k++) {
        r = f->type == PROTOBUF_C_TYPE_STRING ? fix_string((char **)&items[k], a)
                                              : walk((ProtobufCMessage *)items[k], a, depth + 1);
        if (r < 0)
          return r;
        fixed += r;
      }
    } else {
      r = f->type == PROTOBUF_C_TYPE_STRING ? fix_string((char **)member, a)
                                            : walk(*(ProtobufCMessage **)member, a, depth + 1);
      if (r < 0)
        return r;
      fixed += r;
    }
  }
  return fixed;
}

int fo_rpc_utf8_sanitize(ProtobufCMessage *msg, fo_arena *a) {
  return walk(msg, a, 0);
}
