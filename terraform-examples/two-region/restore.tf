# Activation step 5 for the two-region example: the MariaDB database ("backup &
# restore": daily backups in us-east-1, copied to a vault in us-east-2) is
# restored in the secondary region when, and only when, the secondary becomes
# active. `count` comes from the switch, so the same `active` variable that
# flips the Route 53 weights starts the restore; the weight pair depends on it,
# so traffic moves only once the restored database answers.
#
# Folded into the example (main.tf):
#   - the provider "failover" block's endpoints {} gains
#       rds    = var.rds_endpoint   (backup = var.backup_endpoint and
#       var.database_arn come from backup.tf)
#   - failover_weight_pair.app's depends_on gains failover_restore.mariadb
# Failing back (active = "primary") destroys this resource, which leaves the
# restored database running (delete_on_destroy defaults to false): it is the
# production database until its data is moved back on purpose.

variable "rds_endpoint" {
  description = "RDS endpoint override (moto in the demo); null: the real RDS."
  type        = string
  default     = null
}

variable "restore_vault_name" {
  description = "The vault in the secondary region that receives the copies of the database's backups (backup.tf's destination)."
  type        = string
  default     = "mariadb-dr"
}

variable "restore_role_arn" {
  description = "IAM role AWS Backup assumes to restore."
  type        = string
  default     = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
}

resource "failover_restore" "mariadb" {
  count      = failover_switch.dr.active == "secondary" ? 1 : 0
  depends_on = [failover_quiesce.primary] # quiesce.tf: the primary stops first

  region              = "secondary"
  vault_name          = var.restore_vault_name
  source_resource_arn = var.database_arn
  iam_role_arn        = var.restore_role_arn

  # The point's metadata names the primary's instance and subnet group.
  metadata_overrides = {
    DBInstanceIdentifier = "mariadb-dr"
    DBSubnetGroupName    = "use2-private"
  }

  timeouts {
    create = "3h"
  }
}

output "restore" {
  description = "The restored database while the secondary is active (empty otherwise): job, data age (the data-loss window) and endpoint."
  value = [for r in failover_restore.mariadb : {
    job_id     = r.restore_job_id
    data_as_of = r.data_as_of
    endpoint   = "${r.endpoint}:${r.port}"
  }]
}
