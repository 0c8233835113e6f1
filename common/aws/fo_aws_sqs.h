/* fo_aws_sqs: SQS queue reads (query protocol, API 2012-11-05): a queue's attributes, e.g. its depth
 * (ApproximateNumberOfMessages) and the messages in flight (ApproximateNumberOfMessagesNotVisible). */
#ifndef FO_AWS_SQS_H
#define FO_AWS_SQS_H

#include "fo_aws_client.h"

#define FO_AWS_SQS_MAX_ATTRIBUTES 16

/* GetQueueAttributes of `queue_url` for the attribute names in `names` (n 0: All). *out is an object
 * {"<Name>": "<Value>", ...}. A missing queue fails with FO_EAWS (code AWS.SimpleQueueService.NonExistentQueue
 * or QueueDoesNotExist). */
int fo_aws_sqs_get_queue_attributes(cJSON **out, fo_aws_client *c, const fo_cancel *cancel, const char *queue_url,
                                    const char *const *names, size_t n);

/* The named attribute as a count (>= 0), or -1 when absent or not a number. */
long fo_aws_sqs_attribute_count(const cJSON *attrs, const char *name);

#endif
