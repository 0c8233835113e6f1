# The failover provider end to end with no AWS account: the provider block,
# both provider functions and the failover_switch resource.
# Needs OpenTofu >= 1.7 or Terraform >= 1.8 (provider-defined functions).

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

# The recorded decision of which side is active. Later DR resources take their
# mode from it, so the graph orders activation steps after it.
resource "failover_switch" "dr" {
  active = var.active
  reason = var.reason
}

locals {
  # Route53 weights for the side recorded by the switch (255/0 or 0/255).
  weights = provider::failover::weights(failover_switch.dr.active)
}

output "active" {
  value = failover_switch.dr.active
}

output "generation" {
  value = failover_switch.dr.generation
}

output "previous" {
  value = failover_switch.dr.previous
}

output "switched_at" {
  value = failover_switch.dr.switched_at
}

output "weights" {
  description = "Weights of the primary and secondary records for the active side."
  value       = local.weights
}

output "weights_if_primary" {
  value = provider::failover::weights("primary")
}

output "weights_if_secondary" {
  value = provider::failover::weights("secondary")
}

output "weights_custom" {
  description = "Optional arguments override the active and the standby weight."
  value       = provider::failover::weights("secondary", 100, 10)
}

output "counterpart_region" {
  description = "The secondary region's name for the primary region."
  value       = provider::failover::counterpart("us-east-1", "us-east-1", "us-east-2")
}

output "counterpart_az" {
  value = provider::failover::counterpart("us-east-1a", "us-east-1", "us-east-2")
}

output "counterpart_arn" {
  value = provider::failover::counterpart(
    "arn:aws:backup:us-east-1:123456789012:backup-vault:dr-vault",
    "us-east-1", "us-east-2",
  )
}

output "counterpart_endpoint" {
  value = provider::failover::counterpart("eks.us-east-1.amazonaws.com", "us-east-1", "us-east-2")
}
