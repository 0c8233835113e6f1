# Pilot light for the two-region example: the secondary's EKS node group and its
# queue servers stay at standby size (0 nodes/instances) while the primary serves,
# and scale up, waiting until the capacity is really there, when `active` becomes
# "secondary". The same variable that flips the Route 53 weights drives them.
#
# Folded into the example (main.tf has the endpoints and the depends_on):
#   - the provider "failover" block's endpoints {} gains
#       eks         = var.eks_endpoint
#       autoscaling = var.autoscaling_endpoint
#   - to scale up BEFORE traffic moves, failover_weight_pair.app gets
#       depends_on = [failover_pilot_light.workers, failover_pilot_light.queue]
# The cluster "dr", node group "workers" and group "queue" exist in both regions
# (created by the AWS provider in a real setup, with ignore_changes =
# [scaling_config]; by tests/moto_ext/seed_pilot_light.py against moto).

variable "eks_endpoint" {
  description = "EKS endpoint override (moto in the demo); null: the real EKS."
  type        = string
  default     = null
}

variable "autoscaling_endpoint" {
  description = "Auto Scaling endpoint override (moto in the demo); null: the real Auto Scaling."
  type        = string
  default     = null
}

locals {
  secondary_mode = var.active == "secondary" ? "active" : "standby"
}

# The secondary's worker nodes: as many as the primary runs (read from the
# primary region at plan time), scale-up from zero ready for cluster-autoscaler.
resource "failover_pilot_light" "workers" {
  depends_on = [failover_quiesce.primary] # quiesce.tf: the primary stops first

  region = "secondary"
  mode   = local.secondary_mode

  target {
    cluster_name    = "dr"
    node_group_name = "workers"
  }

  standby {
    min     = 0
    desired = 0
    max     = 1
  }

  active {
    min = 1
    max = 12
  }

  active_percent_of {
    percent = 100
    target {
      cluster_name    = "dr"
      node_group_name = "workers"
    }
  }

  autoscaler_node_template_tags = true

  timeouts {
    update = "10m"
  }
}

# The secondary's queue servers (an Auto Scaling group).
resource "failover_pilot_light" "queue" {
  depends_on = [failover_quiesce.primary] # quiesce.tf: the primary stops first

  region = "secondary"
  mode   = local.secondary_mode

  target {
    autoscaling_group_name = "queue"
  }

  active {
    min     = 1
    desired = 2
    max     = 4
  }

  timeouts {
    update = "10m"
  }
}

output "pilot_light" {
  description = "The secondary's compute: mode, sizes and whether the capacity is there."
  value = {
    for k, pl in {
      workers = failover_pilot_light.workers
      queue   = failover_pilot_light.queue
      } : k => {
      mode           = pl.mode
      sizes          = "${pl.min_size}/${pl.desired_size}/${pl.max_size}"
      capacity_ready = pl.capacity_ready
    }
  }
}
