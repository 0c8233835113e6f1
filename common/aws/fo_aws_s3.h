/* fo_aws_s3: S3 object reads (Terraform state) and presigned GET URLs.
 * Virtual-hosted buckets on AWS, path-style on overridden endpoints. */
#ifndef FO_AWS_S3_H
#define FO_AWS_S3_H

#include "fo_aws_client.h"

/* Append the object's bytes to `out` (at most `max` bytes; 0 = 32 MiB). */
int fo_aws_s3_get_object(fo_buf *out, fo_aws_client *c, const fo_cancel *cancel, const char *bucket, const char *key,
                         size_t max);

/* A presigned GET URL valid for `expires_seconds` (caller frees). */
int fo_aws_s3_presign_get(char **out_url, fo_aws_client *c, const fo_cancel *cancel, const char *bucket,
                          const char *key, long expires_seconds);

#endif
