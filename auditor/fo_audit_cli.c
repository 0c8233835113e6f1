/* fo_audit_cli: option parsing, config loading, the compare pipeline and report output for the commands. */
#include "fo_audit_cli.h"
#include "fo_audit_classify.h"
#include "fo_audit_collector.h"
#include "fo_audit_diff.h"
#include "fo_audit_sidecheck.h"
#include "fo_err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void fo_audit_cli_error(const char *fmt, ...) {
  va_list ap;
  fputs("failover-audit: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static const char *const formats[] = {"text", "markdown", "json", "junit", "codequality"};

static int known_format(const char *f) {
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
    if (!strcmp(f, formats[i]))
      return 1;
  return 0;
}

static const struct {
  const char *name;
  unsigned bit;
} optnames[] = {
    {"--config", FO_OPT_CONFIG}, {"--format", FO_OPT_FORMAT}, {"--output", FO_OPT_OUTPUT},
    {"--side", FO_OPT_SIDE},     {"-o", FO_OPT_OUT},          {"--base", FO_OPT_BASE},
    {"--head", FO_OPT_HEAD},     {"--reason", FO_OPT_REASON}, {"--expires", FO_OPT_EXPIRES},
    {"--repo", FO_OPT_REPO},
};

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

int fo_audit_opts_parse(fo_audit_opts *o, int argc, char **argv, unsigned allowed, size_t min_args, size_t max_args,
                        const char *usage) {
  const char *cmd = argv[0];
  memset(o, 0, sizeof *o);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *val = NULL, *eq;
    unsigned bit = 0;
    size_t nlen;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage, stdout);
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
    for (size_t k = 0; k < sizeof optnames / sizeof optnames[0]; k++)
      if (strlen(optnames[k].name) == nlen && !strncmp(a, optnames[k].name, nlen))
        bit = optnames[k].bit;
    if (!bit || !(allowed & bit))
      return usage_err(cmd, "unknown option '%s'", a);
    if (eq)
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
        if (!known_format(val))
          return usage_err(cmd, "unknown format '%s' (text, markdown, json, junit, codequality)", val);
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
        if (!known_format(o->formats_buf[o->noutputs]))
          return usage_err(cmd, "unknown format in --output '%s' (text, markdown, json, junit, codequality)", val);
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

int fo_audit_cli_today(char buf[11]) {
  const char *env = getenv("FO_AUDIT_TODAY");
  time_t now;
  struct tm tm;
  if (env && *env) {
    if (!fo_audit_date_valid(env))
      return fo_err_set(FO_EINVAL, "FO_AUDIT_TODAY must be YYYY-MM-DD, not '%s'", env);
    memcpy(buf, env, 11);
    return 0;
  }
  now = time(NULL);
  if (!gmtime_r(&now, &tm) || strftime(buf, 11, "%Y-%m-%d", &tm) != 10)
    return fo_err_set(FO_ERR, "cannot read the clock");
  return 0;
}

int fo_audit_cli_compare(fo_audit_result *r, fo_audit_snapshot *p, fo_audit_snapshot *s, const fo_audit_config *cfg,
                         int report_stale) {
  char today[11];
  int err;
  const char *pn = fo_audit_snapshot_get(p, "name"), *sn = fo_audit_snapshot_get(s, "name");
  const char *pr = fo_audit_snapshot_get(p, "region"), *sr = fo_audit_snapshot_get(s, "region");

  if ((err = fo_audit_cli_today(today)) < 0)
    return err;
  if ((err = fo_audit_result_set_sides(r, pn ? pn : "primary", pr ? pr : (cfg ? cfg->sides[0].region : NULL),
                                       sn ? sn : "secondary", sr ? sr : (cfg ? cfg->sides[1].region : NULL))) < 0 ||
      (err = fo_audit_snapshots_normalize(p, s, cfg)) < 0 || (err = fo_audit_diff(r, p, s, cfg)) < 0 ||
      (err = fo_audit_sidechecks(r, p, s, cfg)) < 0 || (err = fo_audit_classify(r, cfg, today, report_stale)) < 0)
    return err;
  fo_audit_result_finish(r);
  return 0;
}

static int render(const fo_audit_result *r, const char *format, fo_buf *b, int color) {
  if (!strcmp(format, "text"))
    return fo_audit_render_text(r, b, color);
  if (!strcmp(format, "markdown"))
    return fo_audit_render_markdown(r, b);
  if (!strcmp(format, "json"))
    return fo_audit_render_json(r, b);
  if (!strcmp(format, "junit"))
    return fo_audit_render_junit(r, b);
  return fo_audit_render_codequality(r, b);
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

int fo_audit_cli_emit(const fo_audit_result *r, const fo_audit_opts *o) {
  int stdout_taken = 0;
  fo_audit_cli_print_unreadable(r);
  for (size_t i = 0; i < o->noutputs; i++)
    stdout_taken |= !strcmp(o->outputs[i].path, "-");
  if (o->format || !stdout_taken) {
    const char *fmt = o->format ? o->format : "text";
    int color = !strcmp(fmt, "text") && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    fo_buf b = FO_BUF_INIT;
    if (render(r, fmt, &b, color) < 0) {
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
    int err = render(r, o->outputs[i].format, &b, 0);
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

  for (int sd = side < 0 ? 0 : side; sd <= (side < 0 ? 1 : side); sd++) {
    fo_audit_norm_ctx_for_side(&norm, cfg, sd);
    ctx.cfg = cfg;
    ctx.side = sd;
    ctx.norm = &norm;
    for (size_t i = 0; i < n; i++)
      if (fo_audit_config_check_enabled(cfg, cs[i]->check) && cs[i]->location(&ctx))
        return 1;
  }
  /* a gate that reads nothing would pass on anything: refuse it */
  fo_audit_cli_error("%s: no sources to read: give %s a terraform_state or manifests (and enable its check)", cfg->path,
                     side < 0 ? "the sides"
                     : side   ? "sides.secondary"
                              : "sides.primary");
  return 0;
}

int fo_audit_cli_check_result(fo_audit_result **out, const fo_audit_config *cfg, const char *command) {
  fo_audit_snapshot *p = NULL, *s = NULL;
  fo_audit_result *r = NULL;
  int err;

  *out = NULL;
  if (!(r = fo_audit_result_new()) || !(r->command = strdup(command)) ||
      !(r->tool_version = strdup(FO_AUDIT_VERSION)) || !(r->config_path = strdup(cfg->path))) {
    fo_audit_result_free(r);
    return fo_err_oom();
  }
  if ((err = fo_audit_collect_side(&p, cfg, 0)) < 0 || (err = fo_audit_collect_side(&s, cfg, 1)) < 0 ||
      (err = fo_audit_cli_compare(r, p, s, cfg, 1)) < 0) {
    fo_audit_result_free(r);
    r = NULL;
  }
  fo_audit_snapshot_free(p);
  fo_audit_snapshot_free(s);
  *out = r;
  return err;
}
