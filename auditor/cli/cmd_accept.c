/* cmd_accept: `failover-audit accept --reason TEXT`: write the current unexpected differences into the config's
 * expected_differences, so a team can adopt the gate on an estate that already drifts. The rest of the file is
 * kept byte for byte: entries are inserted as text at the end of the list (or a new list is appended). */
#include "fo_audit_cli.h"
#include "fo_audit_pipeline.h"
#include "fo_audit_snapshot.h"
#include "fo_buf.h"
#include "fo_err.h"
#include "fo_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

static int run(int argc, char **argv, const fo_audit_env *env);

static const fo_audit_opt_spec opts[] = {
    {FO_OPT_REASON, "--reason", "TEXT", "why these differences are acceptable (required)", 0},
    {FO_OPT_EXPIRES, "--expires", "DATE", "when the entries stop excusing the differences (recommended)", 0},
    {FO_OPT_CONFIG, "--config", "FILE", "the config to update (default: ./.failover-audit.yml)", 0},
};

const fo_audit_command fo_audit_cmd_accept = {
    "accept",
    "",
    "record current drift as expected_differences (--reason TEXT)",
    "Run the check and add every unexpected difference and failed side check to the config's\n"
    "expected_differences, each with the reason (and expiry) given. Without --reason the reason is asked\n"
    "for on a terminal; with no terminal and no --reason nothing is written.",
    opts,
    sizeof opts / sizeof opts[0],
    0,
    0,
    "Exit: 0 written (or nothing to accept); 2 usage/config error or no reason; 3 a source could not be read\n"
    "(nothing is written).",
    run,
};

/* One UTF-8 character at s: its code point and length, or 0 when the bytes are not valid UTF-8. */
static size_t utf8_char(const unsigned char *s, unsigned *cp) {
  size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
  unsigned v = n == 1 ? s[0] : n == 2 ? s[0] & 0x1Fu : n == 3 ? s[0] & 0x0Fu : s[0] & 0x07u;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    v = v << 6 | (s[i] & 0x3Fu);
  }
  /* overlong forms, surrogates and values past U+10FFFF are not characters */
  if (n == 0 || (n == 2 && v < 0x80) || (n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return n;
}

/* A YAML double-quoted scalar that reads back as exactly `s`: every character outside YAML's printable set, and
 * every line break (U+0085, U+2028, U+2029 are folded inside double quotes like a newline), is escaped. */
static int put_quoted(fo_buf *b, const char *s) {
  int err = fo_buf_puts(b, "\"");
  while (*s && err == 0) {
    unsigned cp = 0;
    size_t n = utf8_char((const unsigned char *)s, &cp);
    if (n == 0)
      return fo_err_set(FO_EINVAL, "a finding path is not valid UTF-8: it cannot be written to YAML");
    if (cp == '"' || cp == '\\')
      err = fo_buf_printf(b, "\\%c", (char)cp);
    else if (cp < 0x20 || (cp >= 0x7F && cp <= 0xA0))
      err = fo_buf_printf(b, "\\x%02x", cp);
    else if (cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF)
      err = fo_buf_printf(b, "\\u%04x", cp);
    else
      err = fo_buf_append(b, s, n);
    s += n;
  }
  return err ? err : fo_buf_puts(b, "\"");
}

/* libyaml marks count characters; the file is UTF-8, so walk it to find the byte offset. */
static size_t byte_offset(const char *data, size_t len, size_t chars) {
  size_t i = 0, n = 0;
  while (i < len && n < chars) {
    i++;
    while (i < len && ((unsigned char)data[i] & 0xC0) == 0x80)
      i++;
    n++;
  }
  return i;
}

/* Where to insert: *at (byte offset), the item indent, and whether a new `expected_differences:` key (or a
 * replacement of an empty value from *at to *end) is needed. */
static int find_insert(const char *data, size_t len, const char *name, size_t *at, size_t *end, int *indent,
                       int *mode) {
  yaml_parser_t parser;
  yaml_document_t doc;
  yaml_node_t *root;
  int err = 0;

  *mode = 0; /* 0 append a new key at EOF, 1 insert into a block list, 2 replace an empty value */
  *at = *end = len;
  *indent = 2;
  if (!yaml_parser_initialize(&parser))
    return fo_err_oom();
  yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
  if (!yaml_parser_load(&parser, &doc)) {
    yaml_parser_delete(&parser);
    return fo_err_set(FO_EINVAL, "%s: cannot parse", name);
  }
  root = yaml_document_get_root_node(&doc);
  if (root && root->type == YAML_MAPPING_NODE) {
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
      yaml_node_t *k = yaml_document_get_node(&doc, pr->key), *v = yaml_document_get_node(&doc, pr->value);
      if (k->type != YAML_SCALAR_NODE || strcmp((const char *)k->data.scalar.value, "expected_differences") != 0)
        continue;
      if (v->type == YAML_SEQUENCE_NODE && v->data.sequence.style == YAML_BLOCK_SEQUENCE_STYLE &&
          v->data.sequence.items.top > v->data.sequence.items.start) {
        *mode = 1;
        *indent = (int)v->start_mark.column;
        *at = byte_offset(data, len, v->end_mark.index);
      } else if (v->type == YAML_SCALAR_NODE || v->type == YAML_SEQUENCE_NODE) {
        /* `expected_differences:` with nothing, `~` or `[]` */
        if (v->type == YAML_SEQUENCE_NODE && v->data.sequence.items.top > v->data.sequence.items.start) {
          err = fo_err_set(FO_EINVAL,
                           "%s:%zu:%zu: expected_differences is a flow list; write it as a block list "
                           "to use accept",
                           name, v->start_mark.line + 1, v->start_mark.column + 1);
          break;
        }
        *mode = 2;
        *at = byte_offset(data, len, k->end_mark.index);
        *end = byte_offset(data, len, v->end_mark.index);
        if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
          *end = *at; /* an empty value: keep whatever follows the colon (comments) */
      }
      break;
    }
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  return err;
}

static int read_reason(char **out) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  *out = NULL;
  if (!isatty(STDIN_FILENO))
    return 0;
  fputs("reason for accepting these differences: ", stderr);
  fflush(stderr);
  n = getline(&line, &cap, stdin);
  if (n <= 0) {
    free(line);
    return 0;
  }
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
    line[--n] = '\0';
  *out = line;
  return 0;
}

static int run(int argc, char **argv, const fo_audit_env *env) {
  fo_audit_opts o;
  fo_audit_config *cfg = NULL, *check = NULL;
  fo_audit_result *r = NULL;
  char *data = NULL, *asked = NULL;
  const char *reason;
  size_t len = 0, at, end, added = 0;
  int rc, indent, mode;
  fo_buf text, ins = FO_BUF_INIT, out = FO_BUF_INIT;

  if ((rc = fo_audit_opts_parse(&o, argc, argv, &fo_audit_cmd_accept)) != 0 || o.help)
    return rc;
  if ((rc = fo_audit_cli_gate_config(&cfg, &o)) != 0)
    return rc;
  if (fo_audit_pipeline_check(&r, cfg, "accept", env) < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    rc = FO_AUDIT_EXIT_USAGE;
    goto done;
  }
  if (fo_audit_result_exit_code(r) == FO_AUDIT_EXIT_UNREADABLE) {
    fo_audit_cli_print_unreadable(r);
    fo_audit_cli_error("nothing written: fix the unreadable source first");
    rc = FO_AUDIT_EXIT_UNREADABLE;
    goto done;
  }
  for (size_t i = 0; i < r->nfindings; i++)
    added += r->findings[i].classification == FO_AUDIT_CLASS_UNEXPECTED ||
             r->findings[i].classification == FO_AUDIT_CLASS_SIDE_CHECK;
  if (!added) {
    printf("nothing to accept: no unexpected differences\n");
    rc = FO_AUDIT_EXIT_OK;
    goto done;
  }
  reason = o.reason;
  if (!reason || !*reason) {
    read_reason(&asked);
    reason = asked;
  }
  if (!reason || !*reason) {
    fo_audit_cli_error("a reason is required: pass --reason TEXT (nothing written)");
    rc = FO_AUDIT_EXIT_USAGE;
    goto done;
  }
  if (fo_file_read(&text, cfg->path, FO_AUDIT_CONFIG_MAX_BYTES) < 0 || !(data = fo_buf_detach(&text, &len)) ||
      find_insert(data, len, cfg->path, &at, &end, &indent, &mode) < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    rc = FO_AUDIT_EXIT_USAGE;
    goto done;
  }
  fo_err_clear();
  if (mode == 0 && fo_buf_printf(&ins, "%s\nexpected_differences:\n", len && data[len - 1] != '\n' ? "\n" : "") < 0)
    goto oom;
  if (mode == 2 && fo_buf_puts(&ins, "\n") < 0)
    goto oom;
  if (mode == 1 && at > 0 && data[at - 1] != '\n' && fo_buf_puts(&ins, "\n") < 0)
    goto oom;
  if (mode != 1)
    indent = 2;
  for (size_t i = 0; i < r->nfindings; i++) {
    const fo_audit_finding *f = &r->findings[i];
    if (f->classification != FO_AUDIT_CLASS_UNEXPECTED && f->classification != FO_AUDIT_CLASS_SIDE_CHECK)
      continue;
    if (fo_buf_printf(&ins, "%*s- path: ", indent, "") < 0 || put_quoted(&ins, f->full_path) < 0 ||
        fo_buf_printf(&ins, "\n%*s  rule: %s\n%*s  reason: ", indent, "", f->rule_id, indent, "") < 0 ||
        put_quoted(&ins, reason) < 0 || fo_buf_puts(&ins, "\n") < 0 ||
        (o.expires && fo_buf_printf(&ins, "%*s  expires: %s\n", indent, "", o.expires) < 0))
      goto oom;
  }
  if (mode == 2 && end > at && data[end - 1] == '\n' && ins.len && ins.data[ins.len - 1] == '\n')
    ins.data[--ins.len] = '\0'; /* the replaced span ended a line: keep one newline */
  if (fo_buf_append(&out, data, at) < 0 || fo_buf_append(&out, ins.data, ins.len) < 0 ||
      fo_buf_append(&out, data + end, len - end) < 0)
    goto oom;
  /* never write a config the next run cannot read */
  if (fo_audit_config_parse(&check, out.data, out.len, cfg->path, cfg->dir) < 0) {
    fo_audit_cli_error("internal error: the updated config would not parse (%s); nothing written", fo_err_last());
    rc = FO_AUDIT_EXIT_USAGE;
    goto done;
  }
  if (fo_audit_cli_write_file(cfg->path, &out) < 0) {
    fo_audit_cli_error("%s (nothing written)", fo_err_last());
    rc = FO_AUDIT_EXIT_USAGE;
    goto done;
  }
  printf("accepted %zu difference%s into %s\n", added, added == 1 ? "" : "s", cfg->path);
  rc = FO_AUDIT_EXIT_OK;
  goto done;
oom: /* out of memory, or a finding path YAML cannot carry (put_quoted says which) */
  fo_audit_cli_error("%s (nothing written)", *fo_err_last() ? fo_err_last() : "out of memory");
  rc = FO_AUDIT_EXIT_USAGE;
done:
  fo_buf_dispose(&ins);
  fo_buf_dispose(&out);
  free(data);
  free(asked);
  fo_audit_config_free(check);
  fo_audit_result_free(r);
  fo_audit_config_free(cfg);
  return rc;
}
