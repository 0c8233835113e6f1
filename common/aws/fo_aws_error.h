/* fo_aws_error: an AWS service error (code, message, HTTP status, request id)
 * parsed from any protocol's error body and turned into one clear message. */
#ifndef FO_AWS_ERROR_H
#define FO_AWS_ERROR_H

#include <stddef.h>

#include "fo_aws_endpoint.h"

typedef struct fo_aws_error {
  char code[128]; /* "ThrottlingException", "NoSuchHostedZone" ...; "" for transport errors */
  char message[1024];
  char request_id[128];
  long status;        /* HTTP status, 0 when no response */
  char operation[96]; /* "route53 ListHostedZones" */
  int attempts;       /* how many attempts were made */
} fo_aws_error;

/* Fill `out` from an error response of `protocol`. `errortype_header` is
 * X-Amzn-ErrorType (rest-json), `request_id_header` x-amzn-RequestId /
 * x-amz-request-id; both may be NULL. Unparseable bodies still give a code
 * ("Http<status>") and never fail. */
void fo_aws_error_parse(fo_aws_error *out, fo_aws_protocol protocol, long status, const char *body, size_t len,
                        const char *errortype_header, const char *request_id_header);

/* Record `e` as this thread's last AWS error and set the fo_err message
 * ("route53 ListHostedZones: NoSuchHostedZone: no such zone (HTTP 404, request id abc)").
 * Returns FO_EAWS. */
int fo_aws_error_raise(const fo_aws_error *e);

/* The last AWS error raised on this thread (code empty when the last failure
 * was not an AWS service error). Borrowed. */
const fo_aws_error *fo_aws_last_error(void);
void fo_aws_error_clear(void);

/* 1 when `err` (from a call that just failed on this thread) means the regional API does not answer: no
 * connection (FO_EIO), or HTTP 5xx / no status after the client's retries. What the failover path tolerates
 * in a region that is down. */
int fo_aws_unreachable(int err);

#endif
