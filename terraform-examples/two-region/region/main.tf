# The per-region stack: applied once per region, each with its own state
# (`-var side=primary` in one working directory, `-var side=secondary` in
# another), so failover-audit can diff the two regions' states. It reads the
# live weight pair, so each region's state says who serves traffic.

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

  endpoints {
    route53 = var.route53_endpoint
  }
}

variable "side" {
  description = "Which region this stack is: \"primary\" or \"secondary\"."
  type        = string
}

variable "zone_id" {
  type = string
}

variable "record_name" {
  type    = string
  default = "app.example.com"
}

variable "route53_endpoint" {
  type    = string
  default = null
}

data "failover_regions" "this" {
  active = var.side
}

data "failover_weight_pair" "app" {
  zone_id                  = var.zone_id
  name                     = var.record_name
  type                     = "A"
  primary_set_identifier   = "use1"
  secondary_set_identifier = "use2"
}

# ---- more per-region DR resources join here ------------------------------------
# (e.g. failover_pilot_light_node_group in this region)
# ------------------------------------------------------------------------------

output "region" {
  value = data.failover_regions.this.active_region
}

output "serving" {
  value = data.failover_weight_pair.app.active
}
