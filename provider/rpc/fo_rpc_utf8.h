/* fo_rpc_utf8: every string the provider puts on the wire is valid UTF-8.
 * proto3 `string` fields must be, or Go's protobuf refuses the whole response
 * (the user then sees a transport error instead of our diagnostic). Checked
 * in one place: fo_rpc_finish runs fo_rpc_utf8_sanitize on each response. */
#ifndef FO_RPC_UTF8_H
#define FO_RPC_UTF8_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

#include "fo_arena.h"

/* 1 when s[0..len) is UTF-8 as Go's protobuf checks it (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF). */
int fo_rpc_utf8_valid(const char *s, size_t len);

/* A copy of `s` in `a` with each byte that does not start a valid sequence
 * replaced by U+FFFD. NULL when out of memory. */
char *fo_rpc_utf8_fix(fo_arena *a, const char *s);

/* Every string field of `msg`, at any depth (nested, repeated and map
 * messages, set oneof members), made valid: an invalid one is replaced by its
 * fixed copy in `a`. The number of strings fixed, or FO_ENOMEM. */
int fo_rpc_utf8_sanitize(ProtobufCMessage *msg, fo_arena *a);

#endif
