# Two-region disaster recovery: the recorded decision (failover_switch) and the
# Route 53 weighted pair it drives. One variable, `active`, decides both: the
# switch records it (with a reason), the weight pair flips the records in one
# atomic batch. Per-region stacks live in ./region (one state per region).
# Needs OpenTofu >= 1.7 or Terraform >= 1.8.

terraform {
  required_version = ">= 1.7.0"
  required_providers {
    failover = {
      source  = "failover/failover"
      version = ">= 0.1.0"
    }
  }
}

provider "failover" {
  primary_region   = "us-east-1"
  secondary_region = "us-east-2"
  max_retries      = 5

  endpoints {
    route53     = var.route53_endpoint     # null: the real Route 53
    eks         = var.eks_endpoint         # pilot_light.tf
    autoscaling = var.autoscaling_endpoint # pilot_light.tf
    backup      = var.backup_endpoint      # backup.tf
    rds         = var.rds_endpoint         # restore.tf
    lambda      = var.lambda_endpoint      # quiesce.tf
    sqs         = var.sqs_endpoint         # quiesce.tf
  }
}

variable "active" {
  description = "The side that serves traffic: \"primary\" or \"secondary\"."
  type        = string
  default     = "primary"
}

variable "reason" {
  description = "Why this side is active. A switch of `active` needs a new reason."
  type        = string
  default     = "initial deployment"
}

variable "zone_id" {
  description = "Route 53 hosted zone of the application's name."
  type        = string
}

variable "record_name" {
  description = "The name clients resolve."
  type        = string
  default     = "app.example.com"
}

variable "primary_health_check_id" {
  description = "Route 53 health check of the primary region's endpoint (e.g. aws_route53_health_check.use1.id)."
  type        = string
}

variable "secondary_health_check_id" {
  description = "Route 53 health check of the secondary region's endpoint."
  type        = string
}

variable "route53_endpoint" {
  description = "Route 53 endpoint override (a local emulator in the demo); null for AWS."
  type        = string
  default     = null
}

# The recorded decision: which side is active, why, and since when.
resource "failover_switch" "dr" {
  active = var.active
  reason = var.reason
}

# The record clients resolve. The flip is one ChangeResourceRecordSets batch
# (255/0 -> 0/255). With a health check on both records Route 53 answers with
# the standby record by itself when the active one is unhealthy, even while
# its API (in us-east-1) is down: see docs/resources/weight_pair.md.
resource "failover_weight_pair" "app" {
  # scale the standby up (capacity ready) and restore the database before
  # traffic moves: pilot_light.tf, restore.tf
  depends_on = [failover_quiesce.primary, failover_pilot_light.workers, failover_pilot_light.queue, failover_restore.mariadb]

  zone_id = var.zone_id
  name    = var.record_name
  type    = "A"
  active  = failover_switch.dr.active

  # Never make a side active while its health check reports unhealthy.
  require_healthy_target = true

  primary {
    set_identifier  = "use1"
    records         = ["203.0.113.10"]
    ttl             = 60
    health_check_id = var.primary_health_check_id
  }

  secondary {
    set_identifier  = "use2"
    records         = ["198.51.100.10"]
    ttl             = 60
    health_check_id = var.secondary_health_check_id
  }

  timeouts {
    update = "5m"
  }
}

# ---- more DR resources -------------------------------------------------------
# pilot_light.tf: the secondary's node group and queue servers take their mode
# from the same `active` variable; the weight pair depends on them, so the
# standby is scaled up (capacity ready) before the weights move.
# backup.tf: the MariaDB backups copied to us-east-2 (failover_backup_replication_plan).
# restore.tf: the MariaDB database restored from the newest copy in us-east-2
# while the secondary is active (count from the switch), before the flip.
# ------------------------------------------------------------------------------

output "active" {
  value = failover_switch.dr.active
}

output "switched_at" {
  value = failover_weight_pair.app.switched_at
}

output "weights" {
  description = "Weights of the primary and secondary records as Route 53 holds them."
  value = {
    primary   = failover_weight_pair.app.primary_weight
    secondary = failover_weight_pair.app.secondary_weight
  }
}

output "change" {
  value = "${failover_weight_pair.app.change_id} ${failover_weight_pair.app.change_status}"
}
