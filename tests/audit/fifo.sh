#!/usr/bin/env bash
# audit.fifo: a FIFO (or a device) where failover-audit expects a file must fail at once with a clear error, never
# block: a source (state, lock file) exits 3 naming the source, --config exits 2, a snapshot given to diff exits 2.
# Every command runs under `timeout` so a regression fails instead of hanging. Needs FO_AUDIT_BIN.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${FO_AUDIT_BIN:?FO_AUDIT_BIN not set}
export FO_AUDIT_TODAY=2026-11-25 NO_COLOR=1
work=$(mktemp -d "${TMPDIR:-/tmp}/fo-audit-fifo.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
cp -r "$here/fixtures/." "$work/"
cd "$work" || exit 1
mkfifo pipe
ln -s pipe pipe-link

fail() { echo "FAIL [audit.fifo]: $*" >&2; exit 1; }
# run EXPECTED_EXIT cmd...: at most 30 s (124 = timed out: the process blocked)
run() {
  local want=$1; shift
  timeout 30 "$@" >out 2>err
  local got=$?
  [ "$got" = "$want" ] || { cat err >&2; fail "'$*' exited $got, want $want"; }
}
err_has() { grep -qF -- "$1" err || { cat err >&2; fail "stderr lacks '$1'"; }; }

# the state file of a source
sed 's#states/primary.tfstate#pipe#' .failover-audit.yml > state.yml
run 3 "$bin" check --config state.yml
err_has "source 'terraform_state' (primary) could not be read: cannot read 'pipe': not a regular file (is a FIFO)"
run 3 "$bin" snapshot --side primary --config state.yml -o snap.json
err_has "cannot read 'pipe': not a regular file (is a FIFO)"
# through a symlink, and an endless device
sed 's#states/primary.tfstate#pipe-link#' .failover-audit.yml > link.yml
run 3 "$bin" check --config link.yml
err_has "cannot read 'pipe-link': not a regular file (is a FIFO)"
sed 's#states/primary.tfstate#/dev/zero#' .failover-audit.yml > zero.yml
run 3 "$bin" check --config zero.yml
err_has "cannot read '/dev/zero': not a regular file (is a character device)"
# the lock file of a source
sed 's#states/secondary.terraform.lock.hcl#pipe#' .failover-audit.yml > lock.yml
run 3 "$bin" check --config lock.yml
err_has "source 'terraform_state' (secondary) could not be read: cannot read 'pipe': not a regular file (is a FIFO)"
# the config itself
run 2 "$bin" check --config pipe
err_has "config: cannot read 'pipe': not a regular file (is a FIFO)"
run 2 "$bin" snapshot --side primary --config pipe
err_has "config: cannot read 'pipe': not a regular file (is a FIFO)"
# a snapshot given to diff, on either side
run 0 "$bin" snapshot --side primary -o p.json
run 2 "$bin" diff p.json pipe
err_has "cannot read 'pipe': not a regular file (is a FIFO)"
run 2 "$bin" diff pipe p.json
err_has "cannot read 'pipe': not a regular file (is a FIFO)"
echo "ok: audit.fifo"
