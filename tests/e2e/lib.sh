# lib.sh: shared helpers for the e2e tests, which drive the real `tofu` and
# `terraform` CLIs against the built terraform-provider-failover.
# Sourced by run.sh; every helper exits the test with a clear message on failure.
# shellcheck shell=bash

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_REPO=$(cd "$E2E_DIR/../.." && pwd)
E2E_EXAMPLE=$E2E_REPO/terraform-examples/switch

E2E_STEP=0

fail() {
	printf 'FAIL [%s %s]: %s\n' "${E2E_CLIENT:-?}" "${E2E_CASE:-?}" "$*" >&2
	exit 1
}

note() { printf '== %s\n' "$*" >&2; }

E2E_PIDS=() # background processes this test started (killed on exit)

e2e_cleanup() {
	local pid rc=$? left
	for pid in "${E2E_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${E2E_PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	# Every provider has stopped: a plugin* socket left in this test's TMPDIR
	# is one the provider did not remove (issue 8 item 14).
	if [ -n "${WORK:-}" ] && [ -d "$WORK/tmp" ]; then
		left=$(find "$WORK/tmp" -maxdepth 1 -name 'plugin*' 2>/dev/null)
		if [ -n "$left" ]; then
			printf 'FAIL [%s %s]: the provider left socket(s) behind: %s\n' "${E2E_CLIENT:-?}" "${E2E_CASE:-?}" "$left" >&2
			rc=1
		fi
	fi
	[ -n "${FO_E2E_KEEP:-}" ] || [ -z "${WORK:-}" ] || rm -rf "$WORK"
	exit "$rc"
}

# e2e_setup CLIENT CASE PROVIDER: check the tools, make a fresh working
# directory with its own HOME and CLI config location, export the client's
# environment. Sets TF (client binary), HOST (default registry host of the
# client), ADDR (full provider source address), WORK, PROVIDER.
e2e_setup() {
	E2E_CLIENT=$1 E2E_CASE=$2 PROVIDER=$3
	local tools=${FO_TOOLS_DIR:-$E2E_REPO/.tools}

	case $E2E_CLIENT in
	tofu) HOST=registry.opentofu.org ;;
	terraform) HOST=registry.terraform.io ;;
	*) fail "unknown client '$E2E_CLIENT' (expected tofu or terraform)" ;;
	esac
	ADDR=$HOST/failover/failover
	TF=$tools/bin/$E2E_CLIENT
	[ -x "$TF" ] || fail "client '$TF' is missing: run scripts/build-clients.sh (or set FO_TOOLS_DIR)"
	command -v jq >/dev/null 2>&1 || fail "'jq' is missing (apt-get install jq)"
	[ -n "$PROVIDER" ] && [ -x "$PROVIDER" ] || fail "provider binary '$PROVIDER' is missing or not executable"
	[ "$(basename "$PROVIDER")" = terraform-provider-failover ] ||
		fail "provider binary must be named terraform-provider-failover, got '$PROVIDER'"

	WORK=$(mktemp -d "${TMPDIR:-/tmp}/fo-e2e-$E2E_CLIENT-$E2E_CASE.XXXXXX") || fail "mktemp failed"
	trap e2e_cleanup EXIT
	[ -z "${FO_E2E_KEEP:-}" ] || note "keeping work directory $WORK"
	mkdir -p "$WORK/home" "$WORK/cfg" "$WORK/log" "$WORK/san" "$WORK/tmp"
	# The clients and the providers they start put their temporary files and
	# unix sockets here, so the test removes them with $WORK.
	export TMPDIR=$WORK/tmp
	# A provider built with FO_SANITIZE=ON writes its ASan/UBSan reports here
	# (the clients swallow the plugin's stderr); sanitizer_reports checks them.
	export ASAN_OPTIONS="log_path=$WORK/san/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
	export UBSAN_OPTIONS="log_path=$WORK/san/ubsan:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
	: >"$WORK/cli.tfrc"

	# Isolate from the user's ~/.terraformrc, ~/.tofurc, plugin dirs and caches.
	export HOME=$WORK/home
	export TF_CLI_CONFIG_FILE=$WORK/cli.tfrc
	export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
	unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_CLI_ARGS TF_WORKSPACE TF_REATTACH_PROVIDERS
	unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_DATA_DIRS
	# Offline for real: any registry or network lookup by the client fails fast
	# (nothing listens on port 9), so `init` can only succeed from the mirror.
	export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=
	unset https_proxy http_proxy no_proxy
	cd "$WORK/cfg" || fail "cd $WORK/cfg"
	note "$($TF version 2>&1 | head -n 1); provider $PROVIDER; work $WORK"
}

# write_dev_overrides: CLI config whose dev_overrides point the provider's
# source address at the directory of the built binary (no init needed).
write_dev_overrides() {
	cat >"$TF_CLI_CONFIG_FILE" <<EOF
provider_installation {
  dev_overrides {
    "$ADDR" = "$(dirname "$PROVIDER")"
  }
  direct {}
}
EOF
}

# write_mirror_config MIRROR: CLI config that installs failover/failover from
# the filesystem mirror only and never asks a registry for it.
write_mirror_config() {
	cat >"$TF_CLI_CONFIG_FILE" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$1"
    include = ["$HOST/failover/*"]
  }
  direct {
    exclude = ["$HOST/failover/*"]
  }
}
EOF
}

# platform: the os_arch directory name the clients use, e.g. linux_amd64.
platform() {
	local arch
	case $(uname -m) in
	x86_64) arch=amd64 ;;
	aarch64 | arm64) arch=arm64 ;;
	i?86) arch=386 ;;
	*) arch=$(uname -m) ;;
	esac
	printf '%s_%s' "$(uname -s | tr '[:upper:]' '[:lower:]')" "$arch"
}

# use_example: copy the switch example into the working directory.
# moto_provider_tf [SERVICE...]: the terraform and provider blocks of a moto case's main.tf: us-east-1 primary,
# us-east-2 secondary, one retry, each named service's endpoint at moto ($MOTO).
moto_provider_tf() {
	local s
	printf 'terraform {\n  required_providers {\n    failover = { source = "failover/failover" }\n  }\n}\n'
	printf 'provider "failover" {\n  primary_region   = "us-east-1"\n  secondary_region = "us-east-2"\n  max_retries      = 1\n'
	if [ $# -gt 0 ]; then
		printf '  endpoints {\n'
		for s in "$@"; do printf '    %-11s = "%s"\n' "$s" "$MOTO"; done
		printf '  }\n'
	fi
	printf '}\n'
}

use_example() {
	cp "$E2E_EXAMPLE"/*.tf "$WORK/cfg/" || fail "cannot copy $E2E_EXAMPLE"
}

# Every run's output goes to $WORK/log/NN-<what>.{out,err}; OUT and ERR name
# the last one. Messages that mean the provider broke a protocol rule or
# died fail the test whatever the exit code.
_run() {
	local what=$1
	shift
	E2E_STEP=$((E2E_STEP + 1))
	local base
	base=$WORK/log/$(printf '%02d' "$E2E_STEP")-$(printf '%s' "$what" | tr -c 'A-Za-z0-9_.-' '_')
	OUT=$base.out ERR=$base.err
	printf '$ %s\n' "$*" >"$base.cmd"
	set +e
	"$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	set -e
	if grep -qE 'Provider produced (inconsistent|invalid)|plugin crashed|Plugin did not respond|panic:|rpc error: code = Unavailable' "$OUT" "$ERR"; then
		show_last
		fail "$what: the client reports a provider fault (see output above)"
	fi
}

show_last() {
	printf -- '--- command (exit %s): %s\n' "$RC" "$(cat "${OUT%.out}.cmd")" >&2
	printf -- '--- stdout:\n' >&2
	tail -n 60 "$OUT" >&2
	printf -- '--- stderr:\n' >&2
	tail -n 60 "$ERR" >&2
	printf -- '---\n' >&2
}

# ok WHAT CMD...: CMD must exit 0.
ok() {
	local what=$1
	_run "$@"
	if [ "$RC" -ne 0 ]; then
		show_last
		fail "$what: expected success, exit code $RC"
	fi
	note "ok: $what"
}

# fails WHAT CMD...: CMD must exit non-zero.
fails() {
	local what=$1
	_run "$@"
	if [ "$RC" -eq 0 ]; then
		show_last
		fail "$what: expected failure, but it succeeded"
	fi
	note "ok (failed as expected, exit $RC): $what"
}

# exits WHAT CODE CMD...: CMD must exit with CODE.
exits() {
	local what=$1 code=$2
	shift 2
	_run "$what" "$@"
	if [ "$RC" -ne "$code" ]; then
		show_last
		fail "$what: expected exit code $code, got $RC"
	fi
	note "ok (exit $RC): $what"
}

# has WHAT REGEX: the last command's stdout or stderr matches REGEX (ERE).
has() {
	if ! grep -qE -- "$2" "$OUT" "$ERR"; then
		show_last
		fail "$1: output does not match /$2/"
	fi
}

# says WHAT REGEX: like `has`, but ignores what the clients echo from the
# configuration in diagnostics (source lines "  10: value = ...", the
# "on main.tf line 10" header, expression values "│ var.x is ..."), so it
# matches only what the provider and the client actually say. No grep -q at the
# end: under pipefail its early exit could SIGPIPE the writers and fail at random.
says() {
	if ! cat "$OUT" "$ERR" | grep -vE '^[[:space:]]*[0-9]+:|^[[:space:]]+on .* line [0-9]+|│ .* (is|are) ' |
		grep -E -- "$2" >/dev/null; then
		show_last
		fail "$1: the message (outside the echoed source) does not match /$2/"
	fi
}

# lacks WHAT REGEX: neither stdout nor stderr of the last command matches.
lacks() {
	if grep -qE -- "$2" "$OUT" "$ERR"; then
		show_last
		fail "$1: output unexpectedly matches /$2/"
	fi
}

# jq_true WHAT FILE FILTER [JQ-ARGS...]: jq FILTER on FILE yields true; extra
# arguments (--arg name value) go to jq.
jq_true() {
	local what=$1 file=$2 filter=$3
	shift 3
	if ! jq -e "$@" "$filter" "$file" >/dev/null 2>&1; then
		printf -- '--- %s:\n' "$file" >&2
		head -c 4000 "$file" >&2
		printf '\n---\n' >&2
		fail "$what: jq '$filter' is not true"
	fi
}

# jq_get FILE FILTER: print jq -r FILTER of FILE.
jq_get() { jq -r "$2" "$1"; }

# outputs FILE: write `output -json` of the current state to FILE.
outputs() {
	ok "output -json" "$TF" output -json -no-color
	cp "$OUT" "$1"
}

# state_json FILE: write `show -json` (the state) to FILE.
state_json() {
	ok "show -json" "$TF" show -json -no-color
	cp "$OUT" "$1"
}

# sanitizer_reports: fail when a sanitized provider wrote any report.
sanitizer_reports() {
	local f found=
	for f in "$WORK"/san/*; do
		[ -e "$f" ] || continue
		found=1
		printf -- '--- %s:\n' "$f" >&2
		head -n 60 "$f" >&2
	done
	[ -z "$found" ] || fail "the provider wrote sanitizer reports (above)"
}

# start_debug_provider NAME: start the provider with --debug (stdout/stderr in
# $WORK/NAME.out/.err), wait for its TF_REATTACH_PROVIDERS line and export it.
# Sets DEBUG_PID; the reattach JSON is in $WORK/NAME.reattach.json.
start_debug_provider() {
	local name=$1 i line=
	"$PROVIDER" --debug >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null &
	DEBUG_PID=$!
	E2E_PIDS+=("$DEBUG_PID")
	for i in $(seq 1 100); do # wait (at most ~10 s) for the line
		line=$(grep -m1 '^TF_REATTACH_PROVIDERS=' "$WORK/$name.out" || true)
		[ -z "$line" ] || break
		kill -0 "$DEBUG_PID" 2>/dev/null || break
		sleep 0.1
	done
	if [ -z "$line" ]; then
		cat "$WORK/$name.out" "$WORK/$name.err" >&2
		fail "--debug printed no TF_REATTACH_PROVIDERS line"
	fi
	line=${line#TF_REATTACH_PROVIDERS=}
	line=${line#\'}
	line=${line%\'}
	printf '%s' "$line" >"$WORK/$name.reattach.json"
	export TF_REATTACH_PROVIDERS=$line
}

# stop_debug_provider: the --debug provider must still run (the client does
# not stop a reattached provider) and must exit 0 on SIGTERM.
stop_debug_provider() {
	local rc=0
	kill -0 "$DEBUG_PID" 2>/dev/null || fail "the --debug provider exited when the client finished"
	kill -TERM "$DEBUG_PID"
	wait "$DEBUG_PID" || rc=$?
	E2E_PIDS=()
	unset TF_REATTACH_PROVIDERS
	[ "$rc" -eq 0 ] || fail "the --debug provider exited with $rc on SIGTERM"
}
