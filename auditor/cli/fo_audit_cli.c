/* fo_audit_cli: option parsing (against a command's table), config loading, report output and what the gate
 * commands share. */
#include "fo_audit_cli.h"
#include "fo_audit_collector.h"
#include "fo_audit_pipeline.h"
#include "fo_audit_render.h"
#include "fo_err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fo_audit_cli_error(const char *fmt, ...) {
  va_list ap;
  fputs("failover-audit: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static int usage_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_err(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fputs("failover-audit: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nrun 'failover-audit %s --help' for usage\n", cmd);
  return FO_AUDIT_EXIT_USAGE;
}

int fo_audit_opts_parse(fo_audit_opts *o, int argc, char **argv, const fo_audit_command *command) {
  const char *cmd = command->name;
  size_t min_args = command->min_args, max_args = command->max_args;
  memset(o, 0, sizeof *o);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *val = NULL, *eq;
    unsigned bit = 0;
    int flag = 0;
    size_t nlen;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fo_buf help = FO_BUF_INIT;
      if (fo_audit_cli_help(&help, command) < 0) {
        fo_buf_dispose(&help);
        return usage_err(cmd, "out of memory");
      }
      fputs(help.data, stdout);
      fo_buf_dispose(&help);
      o->help = 1;
      return 0;
    }
    if (!strcmp(a, "--")) {
      for (i++; i < argc; i++) {
        if (o->nargs >= max_args)
          return usage_err(cmd, "unexpected argument '%s'", argv[i]);
        o->args[o->nargs++] = argv[i];
      }
      break;
    }
    if (a[0] != '-' || !a[1]) {
      if (o->nargs >= max_args)
        return usage_err(cmd, "unexpected argument '%s'", a);
      o->args[o->nargs++] = a;
      continue;
    }
    eq = strchr(a, '=');
    nlen = eq ? (size_t)(eq - a) : strlen(a);
    for (size_t k = 0; k < command->nopts; k++)
      if (strlen(command->opts[k].name) == nlen && !strncmp(a, command->opts[k].name, nlen)) {
        bit = command->opts[k].id;
        flag = command->opts[k].value == NULL;
      }
    if (!bit)
      return usage_err(cmd, "unknown option '%s'", a);
    if (flag && eq)
      return usage_err(cmd, "option '%.*s' takes no value", (int)nlen, a);
    if (flag)
      val = "";
    else if (eq)
      val = eq + 1;
    else if (i + 1 < argc)
      val = argv[++i];
    else
      return usage_err(cmd, "option '%s' needs a value", a);
    switch (bit) {
      case FO_OPT_CONFIG:
        o->config = val;
        break;
      case FO_OPT_FORMAT:
        if (!fo_audit_renderer_find(val))
          return usage_err(cmd, "unknown format '%s' (valid: %s)", val, fo_audit_renderer_names());
        o->format = val;
        break;
      case FO_OPT_OUTPUT: {
        const char *e = strchr(val, '=');
        size_t fl = e ? (size_t)(e - val) : 0;
        if (!e || !e[1] || fl >= sizeof o->formats_buf[0])
          return usage_err(cmd, "--output wants FORMAT=PATH, not '%s'", val);
        if (o->noutputs >= FO_AUDIT_MAX_OUTPUTS)
          return usage_err(cmd, "too many --output options (at most 16): '%s'", val);
        memcpy(o->formats_buf[o->noutputs], val, fl);
        o->formats_buf[o->noutputs][fl] = '\0';
        if (!fo_audit_renderer_find(o->formats_buf[o->noutputs]))
          return usage_err(cmd, "unknown format '%s' in --output '%s' (valid: %s)", o->formats_buf[o->noutputs], val,
                           fo_audit_renderer_names());
        o->outputs[o->noutputs].format = o->formats_buf[o->noutputs];
        o->outputs[o->noutputs].path = e + 1;
        o->noutputs++;
        break;
      }
      case FO_OPT_SIDE:
        if (strcmp(val, "primary") && strcmp(val, "secondary"))
          return usage_err(cmd, "--side must be primary or secondary, not '%s'", val);
        o->side = val;
        break;
      case FO_OPT_OUT:
        o->out = val;
        break;
      case FO_OPT_BASE:
        o->base = val;
        break;
      case FO_OPT_HEAD:
        o->head = val;
        break;
      case FO_OPT_REASON:
        o->reason = val;
        break;
      case FO_OPT_EXPIRES:
        if (!fo_audit_date_valid(val))
          return usage_err(cmd, "--expires must be a date YYYY-MM-DD, not '%s'", val);
        o->expires = val;
        break;
      case FO_OPT_REPO:
        o->repo = val;
        break;
      case FO_OPT_PLAN_JSON:
        o->plan_json = val;
        break;
      case FO_OPT_REGION:
        o->region = val;
        break;
      case FO_OPT_RTO:
        o->rto = val;
        break;
      case FO_OPT_VERIFY_REPORT:
        o->verify_report = val;
        break;
      case FO_OPT_POST_MR_NOTE:
        o->post_mr_note = 1;
        break;
      default:
        break;
    }
  }
  if (o->nargs < min_args)
    return usage_err(cmd, "missing argument%s", min_args - o->nargs > 1 ? "s" : "");
  {
    /* two reports on stdout would run into each other and neither would parse */
    size_t on_stdout = o->format != NULL;
    for (size_t i = 0; i < o->noutputs; i++)
      on_stdout += !strcmp(o->outputs[i].path, "-");
    if (on_stdout > 1)
      return usage_err(cmd, "only one report can go to stdout (--format, or one --output FORMAT=-)");
  }
  return 0;
}

int fo_audit_cli_load_config(fo_audit_config **out, const fo_audit_opts *o, int required) {
  const char *path = o->config;
  *out = NULL;
  if (!path && access(".failover-audit.yml", F_OK) == 0)
    path = ".failover-audit.yml";
  if (!path) {
    if (!required)
      return 0;
    fo_audit_cli_error("no config: pass --config FILE or create .failover-audit.yml");
    return FO_AUDIT_EXIT_USAGE;
  }
  if (fo_audit_config_load(out, path) < 0) {
    fo_audit_cli_error("%s", fo_err_last());
    return FO_AUDIT_EXIT_USAGE;
  }
  return 0;
}

/* Write `b` to an open stream and close it; 1 when all of it got there. */
static int put_all(FILE *f, const fo_buf *b) {
  int ok = fwrite(b->data ? b->data : "", 1, b->len, f) == b->len;
  return (fclose(f) == 0) && ok;
}

int fo_audit_cli_write_file(const char *path, const fo_buf *b) {
  struct stat st;
  size_t tl = strlen(path) + 16;
  char *tmp;
  FILE *f = NULL;
  int ok, fd, exists = lstat(path, &st) == 0;

  /* /dev/stdout, a pipe or a symlink: write through it. Renaming a temporary file over it would replace the
   * link or device node itself (as root in a CI container, /dev/stdout). */
  if (exists && !S_ISREG(st.st_mode)) {
    if (!(f = fopen(path, "wb")) || !put_all(f, b))
      return fo_err_set(FO_EIO, "cannot write '%s': %s", path, strerror(errno));
    return 0;
  }
  if (!(tmp = malloc(tl)))
    return fo_err_oom();
  snprintf(tmp, tl, "%s.tmp%ld", path, (long)getpid());
  /* a new file (never through a link left at the temporary name); a file replaced keeps its mode and, where
   * allowed, its owner: a read-only config stays read-only after `accept` */
  fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd >= 0 && exists) {
    if (fchmod(fd, st.st_mode & 07777) != 0 || (fchown(fd, st.st_uid, st.st_gid) != 0 && errno != EPERM)) {
      int e = errno;
      close(fd);
      remove(tmp);
      free(tmp);
      return fo_err_set(FO_EIO, "cannot write '%s': %s", path, strerror(e));
    }
  }
  if (fd < 0 || !(f = fdopen(fd, "wb"))) {
    int e = errno;
    if (fd >= 0) {
      close(fd);
      remove(tmp);
    }
    free(tmp);
    return fo_err_set(FO_EIO, "cannot write '%s': %s", path, strerror(e));
  }
  ok = put_all(f, b);
  if (!ok || rename(tmp, path) != 0) {
    int e = errno;
    remove(tmp);
    free(tmp);
    return fo_err_set(FO_EIO, "cannot write '%s': %s", path, strerror(e));
  }
  free(tmp);
  return 0;
}

void fo_audit_cli_print_unreadable(const fo_audit_result *r) {
  for (size_t i = 0; i < r->nsources; i++)
    if (r->sources[i].state == FO_AUDIT_SOURCE_UNREADABLE)
      fo_audit_cli_error("source '%s' (%s) could not be read: %s", r->sources[i].name,
                         fo_audit_side_name(r->sources[i].side), r->sources[i].message ? r->sources[i].message : "");
}

int fo_audit_cli_want_color(int tty, const char *no_color, const char *force_color, const char *gitlab_ci) {
  if (no_color)
    return 0; /* NO_COLOR wins over everything (no-color.org: present means no colour) */
  /* FORCE_COLOR=0 / false asks for none, as in Node's and chalk's convention */
  if (force_color && *force_color)
    return strcmp(force_color, "0") != 0 && strcmp(force_color, "false") != 0;
  /* a GitLab job log is not a terminal but renders ANSI colours */
  if (gitlab_ci && !strcmp(gitlab_ci, "true"))
    return 1;
  return tty;
}

int fo_audit_cli_emit(const fo_audit_result *r, const fo_audit_opts *o) {
  int stdout_taken = 0;
  fo_audit_cli_print_unreadable(r);
  for (size_t i = 0; i < o->noutputs; i++)
    stdout_taken |= !strcmp(o->outputs[i].path, "-");
  if (o->format || !stdout_taken) {
    const char *fmt = o->format ? o->format : "text";
    int color = !strcmp(fmt, "text") && fo_audit_cli_want_color(isatty(STDOUT_FILENO), getenv("NO_COLOR"),
                                                                getenv("FORCE_COLOR"), getenv("GITLAB_CI"));
    fo_buf b = FO_BUF_INIT;
    if (fo_audit_pipeline_report(r, fmt, &b, color) < 0) {
      fo_audit_cli_error("cannot render the %s report: %s", fmt, fo_err_last());
      fo_buf_dispose(&b);
      return FO_AUDIT_EXIT_USAGE;
    }
    fwrite(b.data ? b.data : "", 1, b.len, stdout);
    fflush(stdout);
    fo_buf_dispose(&b);
  }
  for (size_t i = 0; i < o->noutputs; i++) {
    fo_buf b = FO_BUF_INIT;
    int err = fo_audit_pipeline_report(r, o->outputs[i].format, &b, 0);
    if (err == 0) {
      if (!strcmp(o->outputs[i].path, "-")) {
        fwrite(b.data ? b.data : "", 1, b.len, stdout);
        fflush(stdout);
      } else {
        err = fo_audit_cli_write_file(o->outputs[i].path, &b);
      }
    }
    fo_buf_dispose(&b);
    if (err < 0) {
      fo_audit_cli_error("%s report: %s", o->outputs[i].format, fo_err_last());
      return FO_AUDIT_EXIT_USAGE;
    }
  }
  return fo_audit_result_exit_code(r);
}

int fo_audit_cli_gate_config(fo_audit_config **out, const fo_audit_opts *o) {
  int rc = fo_audit_cli_load_config(out, o, 1);
  if (rc == 0 && !fo_audit_cli_has_sources(*out, -1)) {
    fo_audit_config_free(*out);
    *out = NULL;
    rc = FO_AUDIT_EXIT_USAGE;
  }
  return rc;
}

int fo_audit_cli_has_sources(const fo_audit_config *cfg, int side) {
  size_t n;
  const fo_audit_collector *const *cs = fo_audit_collectors(&n);
  fo_audit_norm_ctx norm;
  fo_audit_collect_ctx ctx;
  fo_buf keys = FO_BUF_INIT;

  for (int sd = side < 0 ? 0 : side; sd <= (side < 0 ? 1 : side); sd++) {
    fo_audit_norm_ctx_for_side(&norm, cfg, sd);
    for (size_t i = 0; i < n; i++) {
      fo_audit_collect_ctx_for(&ctx, cfg, sd, &norm, cs[i], NULL);
      if (cs[i]->collect && cs[i]->location && fo_audit_config_check_enabled(cfg, cs[i]->name) && cs[i]->location(&ctx))
        return 1;
    }
  }
  /* the keys that name a snapshot source: the first key each reading collector owns */
  for (size_t i = 0; i < n; i++)
    if (cs[i]->collect && cs[i]->side_keys && cs[i]->side_keys[0])
      fo_buf_printf(&keys, "%s%s", keys.len ? " or " : "", cs[i]->side_keys[0]);
  /* a gate that reads nothing would pass on anything: refuse it */
  fo_audit_cli_error("%s: no sources to read: give %s a %s (and enable its check)", cfg->path,
                     side < 0 ? "the sides"
                     : side   ? "sides.secondary"
                              : "sides.primary",
                     keys.data ? keys.data : "source");
  fo_buf_dispose(&keys);
  return 0;
}
