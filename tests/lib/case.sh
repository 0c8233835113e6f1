# Shared by the shell test cases that run one CLI command at a time (tests/audit/run.sh, tests/gitlab/run.sh):
# the caller sets case_name and work (a scratch dir) before sourcing this.
#   fail MSG...           the case fails, naming itself
#   run EXPECTED_EXIT cmd...  stdout -> $work/out, stderr -> $work/err; fails on another exit status
#   err_has TEXT          stderr of the last run holds TEXT
fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
run() {
  local want=$1; shift
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  [ "$got" = "$want" ] || { cat "$work/err" >&2; fail "'$*' exited $got, want $want"; }
}
err_has() { grep -qF -- "$1" "$work/err" || { cat "$work/err" >&2; fail "stderr lacks '$1'"; }; }
