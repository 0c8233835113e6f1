/* fo_aws_creds_http: what the credential providers that read a local HTTP
 * endpoint (ECS/EKS container agent, EC2 IMDS) share: timeouts, attempts, JSON. */
#ifndef FO_AWS_CREDS_HTTP_H
#define FO_AWS_CREDS_HTTP_H

#include "fo_aws_creds.h"
#include "fo_aws_http.h"

/* Send one request to a credentials endpoint through the context's engine.
 * Timeout per attempt: AWS_METADATA_SERVICE_TIMEOUT (seconds, as in the
 * SDKs) else `timeout_ms`; attempts: AWS_METADATA_SERVICE_NUM_ATTEMPTS else
 * `attempts`. Transport errors and 5xx are tried again, anything else is
 * returned; `cancel` (NULL: never) aborts the transfer. `secret` keeps the response body out of the debug log. Returns
 * 0 when a response arrived (any status, in `resp`, dispose it), else the
 * transport error. */
int fo_aws_creds_http_send(fo_aws_http_response *resp, const fo_aws_creds_ctx *ctx, const fo_cancel *cancel,
                           const char *method, const char *url, const fo_aws_header *headers, size_t n_headers,
                           long timeout_ms, int attempts, int secret);

/* Credentials from an endpoint's 200 JSON body ({AccessKeyId, SecretAccessKey,
 * Token, Expiration}; a "Code" other than "Success" is an error). The parsed
 * document is wiped. `label` names the provider in errors and `source`. */
int fo_aws_creds_from_http_json(fo_aws_credentials **out, const fo_aws_http_response *resp, const char *label);

#endif
