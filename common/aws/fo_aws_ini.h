/* fo_aws_ini: the AWS shared config and credentials files (INI dialect:
 * [default], [profile x] / [x], key = value, # and ; comments, nested blocks).
 *
 * Why our own parser (issue 7): the generic INI readers in Debian (inih,
 * GLib's GKeyFile, iniparser) know neither the indented sub-sections
 * ("s3 =" followed by "  max_concurrent_requests = 20"), nor that the config
 * file names profiles "[profile x]" while the credentials file says "[x]",
 * nor "[sso-session x]" sections next to them; the SDKs parse the
 * files themselves for the same reason. */
#ifndef FO_AWS_INI_H
#define FO_AWS_INI_H

#include <stddef.h>

#define FO_AWS_INI_MAX_BYTES   (1u << 20)
#define FO_AWS_INI_MAX_ENTRIES 4096

typedef struct fo_aws_ini fo_aws_ini;

/* Parse text (`name` is used in errors: "'~/.aws/config' line 3: ..."). */
int fo_aws_ini_parse(fo_aws_ini **out, const char *text, size_t len, const char *name);
/* Load a file; FO_ENOTFOUND when it does not exist. */
int fo_aws_ini_load(fo_aws_ini **out, const char *path);
/* Value of `key` (case-insensitive) in section `section` (exact, as written
 * between the brackets, trimmed), or NULL. Borrowed. */
const char *fo_aws_ini_get(const fo_aws_ini *ini, const char *section, const char *key);
int fo_aws_ini_has_section(const fo_aws_ini *ini, const char *section);
/* Values are wiped: the credentials file holds secrets. */
void fo_aws_ini_free(fo_aws_ini *ini);

/* Look `key` up for a profile the way the config file names it: "default"
 * is [default] (or [profile default]); others are [profile <name>]. */
const char *fo_aws_ini_config_get(const fo_aws_ini *config, const char *profile, const char *key);

#endif
