# Quiesce for the two-region example (step 2 of a failover): before the standby
# scales up, the database is restored and the weights move, the primary's
# consumers stop taking work: its Lambda SQS triggers are disabled, the Auto
# Scaling processes of its queue servers suspended, and the messages in flight
# drained. When us-east-1 does not answer (the outage itself), the stop is
# recorded as pending with a warning and the failover goes on; the next apply
# finishes it. Failing back (active = "primary") starts them again.
#
# Folded into the example: the provider's endpoints {} gain lambda and sqs,
# and failover_weight_pair.app, the pilot lights and the restore depend on
# failover_quiesce.primary, so the apply runs quiesce -> pilot light and
# restore -> weight flip. Nothing to quiesce (all lists empty): no resource.

variable "lambda_endpoint" {
  description = "Lambda endpoint override (moto in the demo); null: the real Lambda."
  type        = string
  default     = null
}

variable "sqs_endpoint" {
  description = "SQS endpoint override (moto in the demo); null: the real SQS."
  type        = string
  default     = null
}

variable "quiesce_lambda_functions" {
  description = "Primary-region Lambda functions (or event source mapping UUIDs) whose SQS triggers stop."
  type        = list(string)
  default     = []
}

variable "quiesce_autoscaling_groups" {
  description = "Primary-region Auto Scaling groups (queue servers) whose processes are suspended."
  type        = list(string)
  default     = []
}

variable "quiesce_drain_queues" {
  description = "Primary-region SQS queue URLs whose in-flight messages must reach 0."
  type        = list(string)
  default     = []
}

resource "failover_quiesce" "primary" {
  count = length(concat(var.quiesce_lambda_functions, var.quiesce_autoscaling_groups, var.quiesce_drain_queues)) > 0 ? 1 : 0

  region  = "primary"
  stopped = var.active == "secondary"

  lambda_event_source_mappings = var.quiesce_lambda_functions
  autoscaling_groups           = var.quiesce_autoscaling_groups
  drain_queues                 = var.quiesce_drain_queues

  # The primary may be down: warn and go on; each call gives up after 5s.
  unreachable  = "warn"
  call_timeout = "5s"

  timeouts {
    update = "10m"
  }
}

output "quiesce" {
  description = "The primary's quiesce: status, per-target results, when it started and finished."
  value = length(failover_quiesce.primary) == 0 ? null : {
    status      = failover_quiesce.primary[0].status
    results     = failover_quiesce.primary[0].results
    started_at  = failover_quiesce.primary[0].started_at
    finished_at = failover_quiesce.primary[0].finished_at
  }
}
