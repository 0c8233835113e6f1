/* fo_aws_sigv4: AWS Signature Version 4 over an abstract request, without I/O.
 * The date, credentials and scope come from the caller; nothing reads the clock.
 *
 * Why our own signer (issue 7): libcurl's CURLOPT_AWS_SIGV4 signs only the
 * request curl is sending, so it cannot presign a URL (S3 GET URLs), does not
 * apply the S3 payload rules (UNSIGNED-PAYLOAD, x-amz-content-sha256, no path
 * normalisation or double encoding) and cannot be checked against the AWS
 * SigV4 test suite without sending; this file is pure and passes that suite. */
#ifndef FO_AWS_SIGV4_H
#define FO_AWS_SIGV4_H

#include <stddef.h>
#include <time.h>

/* One HTTP header, borrowed strings. */
typedef struct fo_aws_header {
  const char *name;
  const char *value;
} fo_aws_header;

/* The request to sign. `path` and `query` are exactly what goes on the wire
 * (path without '?', query without '?', may be NULL/empty). `headers` must
 * contain Host. */
typedef struct fo_aws_sigv4_request {
  const char *method;
  const char *path;
  const char *query;
  const fo_aws_header *headers;
  size_t n_headers;
  const void *body;
  size_t body_len;
  /* Precomputed payload hash or "UNSIGNED-PAYLOAD"; NULL hashes `body`. */
  const char *payload_hash;
} fo_aws_sigv4_request;

#define FO_AWS_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

typedef struct fo_aws_sigv4_params {
  const char *access_key_id;
  const char *secret_access_key;
  const char *session_token; /* NULL or "" when not temporary credentials */
  const char *region;        /* signing region */
  const char *service;       /* signing name, e.g. "route53", "s3" */
  time_t date;               /* UTC epoch seconds of the signature */
  /* Non-S3 services: remove dot segments / duplicate slashes and encode the
   * path once more. S3 sets both to 0: its keys are signed as sent. */
  int normalize_path;
  int double_encode;
  /* Add and sign x-amz-content-sha256 (S3 requires it). */
  int content_sha256_header;
  /* Add the session token after signing, unsigned (old STS behaviour). */
  int omit_session_token;
  long expires; /* presigning: X-Amz-Expires seconds */
} fo_aws_sigv4_params;

/* The outcome. Strings are owned and freed by fo_aws_sigv4_result_dispose.
 * `canonical_request` and `string_to_sign` are kept for tests and debug logs;
 * the canonical request may contain the session token, so log it redacted. */
typedef struct fo_aws_sigv4_result {
  char *canonical_request;
  char *string_to_sign;
  char signature[65];
  char amz_date[17];
  char payload_hash[65]; /* the hash that was signed ("UNSIGNED-PAYLOAD" fits) */
  char *authorization;   /* header signing: the Authorization header value */
  char *query;           /* query signing: the complete query string to send */
} fo_aws_sigv4_result;

/* Header signing. The caller then sends X-Amz-Date (result.amz_date),
 * X-Amz-Security-Token (when a session token is set), x-amz-content-sha256
 * (when asked) and Authorization, plus the request's own headers. */
int fo_aws_sigv4_sign_headers(fo_aws_sigv4_result *out, const fo_aws_sigv4_request *req,
                              const fo_aws_sigv4_params *params);

/* Query-string signing (presigned URLs, e.g. S3 GET): the request's own
 * query plus X-Amz-Algorithm, -Credential, -Date, -SignedHeaders, -Expires,
 * -Security-Token and -Signature, in that order, go to result.query. */
int fo_aws_sigv4_presign_query(fo_aws_sigv4_result *out, const fo_aws_sigv4_request *req,
                               const fo_aws_sigv4_params *params);

void fo_aws_sigv4_result_dispose(fo_aws_sigv4_result *r);

/* Canonical URI of `path` under `params` rules (exposed for tests). */
int fo_aws_sigv4_canonical_uri(char **out, const char *path, int normalize, int double_encode);

#endif
