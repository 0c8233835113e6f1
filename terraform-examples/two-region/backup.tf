# Backup replication for the two-region example: the MariaDB instance in the
# primary region is backed up daily into a vault there, and every recovery
# point is copied to a vault in the secondary region, where a failover restores
# it. Every plan warns when the newest copy is older than max_copy_age_hours.
#
# Folded into the example (main.tf has the endpoint):
#   - the provider "failover" block's endpoints {} gains
#       backup = var.backup_endpoint
# Both vaults must exist before the plan: aws_backup_vault with each region's
# AWS provider in a real setup (a KMS-encrypted destination vault needs
# destination_kms_key_arn, a key in the secondary region); the demo creates
# them against moto with tests/moto_ext/seed_backup.py.

variable "backup_endpoint" {
  description = "AWS Backup endpoint override (moto in the demo); null: the real AWS Backup."
  type        = string
  default     = null
}

variable "database_arn" {
  description = "ARN of the database in the primary region that is backed up (the MariaDB RDS instance)."
  type        = string
}

variable "backup_role_arn" {
  description = "IAM role AWS Backup assumes to back up the database (e.g. AWSBackupDefaultServiceRole)."
  type        = string
}

variable "backup_source_vault" {
  description = "Backup vault in the primary region the daily backups go to."
  type        = string
  default     = "mariadb"
}

variable "backup_destination_vault_arn" {
  description = "ARN of the backup vault in the secondary region the copies go to."
  type        = string
}

resource "failover_backup_replication_plan" "mariadb" {
  name                  = "mariadb-dr"
  source_vault_name     = var.backup_source_vault
  destination_vault_arn = var.backup_destination_vault_arn
  schedule              = "cron(0 5 ? * * *)" # daily, 05:00 UTC
  retention_days        = 7                   # in the primary's vault
  copy_retention_days   = 14                  # in the secondary's vault: never "for ever"
  resources             = [var.database_arn]
  iam_role_arn          = var.backup_role_arn
  max_copy_age_hours    = 26 # a daily copy plus slack; older copies warn on every plan
}

output "backup" {
  description = "The replication plan and how old the newest copy in the secondary region is."
  value = {
    plan_id      = failover_backup_replication_plan.mariadb.id
    version_id   = failover_backup_replication_plan.mariadb.version_id
    selection_id = failover_backup_replication_plan.mariadb.selection_id
    last_copy_at = failover_backup_replication_plan.mariadb.last_copy_at
    rpo_hours    = failover_backup_replication_plan.mariadb.rpo_hours
  }
}
