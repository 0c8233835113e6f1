/* fo_aws_creds_parse: what the credential providers take from outside (process output, endpoint answers, the SSO
 * cache) as pure functions without processes, sockets or files, for the providers and their fuzz targets; and
 * the checks every outside value passes before it reaches a request header, a URL or a path. */
#ifndef FO_AWS_CREDS_PARSE_H
#define FO_AWS_CREDS_PARSE_H

#include <stddef.h>
#include <time.h>

#include "fo_aws_creds.h"

/* credential_process stdout: JSON with "Version": 1, AccessKeyId, SecretAccessKey, SessionToken, Expiration.
 * `source` ("profile:dev") names the provider in errors. The parsed document is wiped. */
int fo_aws_creds_process_parse(fo_aws_credentials **out, const char *data, size_t len, const char *source);

/* An SSO token cache file (~/.aws/sso/cache/<sha1>.json): accessToken (checked as a header value, the caller's,
 * free with fo_aws_free_secret) and expiresAt. `path` names the file in errors. Expiry is not judged here. */
int fo_aws_creds_sso_cache_parse(char **token, time_t *expires, const char *data, size_t len, const char *path);

/* A value that goes into an HTTP header: 1..max bytes of printable ASCII (0x20-0x7e), so no CR/LF that would
 * start another header. FO_EINVAL "<what> is not a valid header value: byte N is 0x0d" (never the value: it is
 * usually a secret). */
int fo_aws_check_header_value(const char *v, size_t max, const char *what);

/* A value used as one path segment of a URL (an IAM role name from IMDS): 1..max bytes of [A-Za-z0-9+=,.@_-],
 * not "." or "..". FO_EINVAL naming `what` and the offending byte. */
int fo_aws_check_path_segment(const char *v, size_t max, const char *what);

/* A URL or URL path taken from the environment (ECS): visible ASCII only (no space, control bytes or
 * backslash), and with `check_authority` no user info ('@') in the authority, which would move the request to
 * another host ("http://127.0.0.1:80@example.com/"). FO_EINVAL naming `what`. */
int fo_aws_check_url(const char *v, int check_authority, const char *what);

#endif
