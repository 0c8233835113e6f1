#!/usr/bin/env bash
# Builds the small git repository the `changes` tests run on, in $1 (emptied first). Tags: base, head
# (planted counterpart drifts), binary (a binary file changed on the primary side only), latenul-base and
# latenul (a file whose first NUL byte is past libgit2's 8000-byte binary check, changed after it).
set -euo pipefail
dir=$1
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
git init -q -b main .
git config commit.gpgsign false
mkdir -p infra/us-east-1 infra/us-east-2 k8s/overlays/use1 k8s/overlays/use2
for r in 1 2; do
  printf 'provider "aws" {\n  region = "us-east-%s"\n}\nmodule "eks" {\n  version = "1.0"\n}\n' $r > infra/us-east-$r/main.tf
  printf 'variable "size" {\n  default = "m5.large"\n}\n' > infra/us-east-$r/variables.tf
  printf 'resource "null_resource" "old" {}\n' > infra/us-east-$r/old.tf
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  LOG_LEVEL: info\n  ENDPOINT: https://api.use%s.example.com\n' $r > k8s/overlays/use$r/cm.yaml
  printf '\x00\x01\x02binary-%s\x00' $r > infra/us-east-$r/blob.bin
done
printf 'output "bucket" {\n  value = "logs-us-east-1"\n}\n' > infra/us-east-1/outputs.tf
printf 'output "bucket" {\n  value = "logs-us-east-2"\n}\noutput "queue" {\n  value = "q-us-east-2"\n}\n' > infra/us-east-2/outputs.tf
echo "# infra" > README.md
git add -A && git commit -q -m base && git tag base

# head: what a merge request might do
sed -i 's/1.0/1.1/' infra/us-east-1/main.tf infra/us-east-2/main.tf          # both sides: fine
sed -i 's/m5.large/m5.xlarge/' infra/us-east-1/variables.tf                   # primary only: drift
printf 'output "queue" {\n  value = "q-us-east-1"\n}\n' >> infra/us-east-1/outputs.tf  # equal after normalization
printf 'resource "null_resource" "new" {}\n' > infra/us-east-1/new.tf          # no counterpart
git rm -q infra/us-east-1/old.tf                                              # deleted on one side only
sed -i 's/LOG_LEVEL: info/LOG_LEVEL: debug/' k8s/overlays/use1/cm.yaml        # primary only: drift
echo "more" >> README.md                                                       # not mapped
echo "# secondary only" >> infra/us-east-2/main.tf                            # secondary-only change: allowed
git add -A && git commit -q -m head && git tag head

printf '\x00\x01\x02binary-changed\x00' > infra/us-east-1/blob.bin
git add -A && git commit -q -m binary && git tag binary

late() { head -c 9000 /dev/zero | tr '\0' a; printf '\0%s' "$1"; }
late x > infra/us-east-1/late.txt
late x > infra/us-east-2/late.txt
git add -A && git commit -q -m latenul-base && git tag latenul-base
late y > infra/us-east-1/late.txt
git add -A && git commit -q -m latenul && git tag latenul
