#!/usr/bin/env bash
# Runs every test from a clean checkout: installs what is missing (Debian
# packages, the Go-built tofu and terraform, the moto venv), builds with
# -Werror, runs the CTest suite (unit, protocol, e2e, aws, audit, release), rebuilds
# with ASan+UBSan for the unit tests, runs the unit tests under valgrind, and
# gives every fuzz target a short run. The tests run with their own TMPDIR;
# anything left in it at the end is a failed step ("leftovers"), listed.
# Exit status 0 only when all passed.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export FO_TOOLS_DIR=${FO_TOOLS_DIR:-$ROOT/.tools}
export PATH="$FO_TOOLS_DIR/bin:$PATH"
BUILD=${FO_BUILD_DIR:-$ROOT/build/test}
FUZZ_SECONDS=${FO_FUZZ_SECONDS:-15}
JOBS=${FO_JOBS:-2}

passed=0
failed=0
failures=()
step() { printf '\n==> %s\n' "$*" >&2; }
record() { # record NAME STATUS
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$1"); fi
}
# ctest_counts DIR LABEL-ARGS...: runs ctest, adds its per-test counts.
run_ctest() {
  local name=$1; shift
  local log; log=$(mktemp "$SCRATCH/ctest.XXXXXX")
  ctest "$@" --output-on-failure 2>&1 | tee "$log" >&2
  local rc=${PIPESTATUS[0]}
  local total nfail
  total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -1)
  nfail=$(sed -n 's/.* \([0-9]*\) tests failed out of.*/\1/p' "$log" | tail -1)
  if [ -n "$total" ]; then
    passed=$((passed + total - nfail))
    failed=$((failed + nfail))
    [ "$nfail" -eq 0 ] || failures+=("$name: $nfail failed")
  fi
  if [ "$rc" -ne 0 ] && { [ -z "$total" ] || [ "$nfail" -eq 0 ]; }; then
    failed=$((failed + 1)); failures+=("$name: ctest exit $rc")
  fi
  rm -f "$log"
}

step "dependencies"
scripts/install-deps.sh; record install-deps $?
if [ -x scripts/build-clients.sh ]; then
  step "tofu and terraform (built from their Go modules)"
  scripts/build-clients.sh; record build-clients $?
fi
if [ -x scripts/build-kube.sh ]; then
  step "etcd and kube-apiserver (built from their Go modules)"
  scripts/build-kube.sh; record build-kube $?
fi
if [ -x scripts/setup-moto.sh ]; then
  step "moto virtualenv"
  scripts/setup-moto.sh; record setup-moto $?
fi

# From here on every temporary file of the run (tests, fuzz runs, the tools they start) goes under one
# directory of its own, so what is left behind can be counted exactly; it is removed at the end.
RUN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/fo-test-all.XXXXXX") || { echo "cannot create a temp dir" >&2; exit 1; }
trap 'rm -rf "$RUN_TMP"' EXIT
export TMPDIR=$RUN_TMP TMP=$RUN_TMP TEMP=$RUN_TMP
# Scratch files of this script itself live apart (removed with it), so they are not counted.
SCRATCH=$(mktemp -d "$RUN_TMP/.test-all.XXXXXX")

step "format (.clang-format)"
scripts/check-format.sh; record format $?

step "build (-Werror)"
cmake -S "$ROOT" -B "$BUILD" -DFO_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2 \
  && cmake --build "$BUILD" -j"$JOBS" >&2
rc=$?; record build $rc
if [ $rc -eq 0 ]; then
  step "tests: unit, protocol, e2e, aws, audit, release"
  run_ctest main --test-dir "$BUILD" -LE bench -j"$JOBS"
  if command -v valgrind >/dev/null; then
    step "unit tests under valgrind"
    run_ctest valgrind --test-dir "$BUILD" -L '^unit$' -T memcheck
  fi
fi

step "ASan+UBSan build: unit, protocol and e2e tests against the sanitized binaries"
cmake -S "$ROOT" -B "$BUILD-asan" -DFO_WERROR=ON -DFO_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >&2 \
  && cmake --build "$BUILD-asan" -j"$JOBS" >&2
rc=$?; record build-asan $rc
if [ $rc -eq 0 ]; then
  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_ctest asan --test-dir "$BUILD-asan" -L '^(unit|protocol|e2e)$' -j"$JOBS"
fi

step "fuzz targets (${FUZZ_SECONDS}s each)"
CC=clang cmake -S "$ROOT" -B "$BUILD-fuzz" -DFO_FUZZ=ON -DFO_TESTS=OFF -DCMAKE_BUILD_TYPE=Debug >&2 \
  && cmake --build "$BUILD-fuzz" -j"$JOBS" >&2
rc=$?; record build-fuzz $rc
if [ $rc -eq 0 ]; then
  for bin in "$BUILD-fuzz"/tests/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    # one temp dir per run, also its TMPDIR: the corpus, the log and whatever the target creates; removed
    # afterwards (crash inputs are kept in the build tree to reproduce a failure)
    run_dir=$(mktemp -d "$SCRATCH/fuzz-$name.XXXXXX")
    mkdir -p "$run_dir/corpus" "$run_dir/tmp"
    [ -d "$ROOT/tests/fuzz/corpus/$name" ] && cp -r "$ROOT/tests/fuzz/corpus/$name/." "$run_dir/corpus/"
    (cd "$run_dir" && TMPDIR="$run_dir/tmp" "$bin" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 corpus \
      >fuzz.log 2>&1 || { tail -40 fuzz.log >&2; exit 1; })
    rc=$?; record "fuzz:$name" $rc
    if [ $rc -ne 0 ]; then
      mkdir -p "$BUILD-fuzz/artifacts/$name"
      cp "$run_dir"/crash-* "$run_dir"/leak-* "$run_dir"/timeout-* "$run_dir"/oom-* "$BUILD-fuzz/artifacts/$name/" 2>/dev/null
    fi
    echo "fuzz $name: $([ $rc -eq 0 ] && echo ok || echo "FAILED (inputs in $BUILD-fuzz/artifacts/$name)")" >&2
    fuzz_left=$(find "$run_dir/tmp" -mindepth 1 -maxdepth 1 | wc -l)
    if [ "$fuzz_left" -ne 0 ]; then
      echo "fuzz $name left $fuzz_left entries in its TMPDIR:" >&2
      find "$run_dir/tmp" -mindepth 1 -maxdepth 1 | head -20 | sed 's/^/  /' >&2
      record "leftovers: fuzz:$name ($fuzz_left entries)" 1
    fi
    rm -rf "$run_dir"
  done
fi

step "leftovers in the run's TMPDIR"
rm -rf "$SCRATCH"
left=$(find "$RUN_TMP" -mindepth 1 -maxdepth 1 | sort)
if [ -n "$left" ]; then
  n=$(printf '%s\n' "$left" | wc -l)
  echo "$n entries left behind in $RUN_TMP by the tests:" >&2
  printf '%s\n' "$left" | head -50 | sed 's/^/  /' >&2
  record "leftovers ($n entries in TMPDIR)" 1
else
  echo "nothing left behind" >&2
  record leftovers 0
fi
echo
if [ ${#failures[@]} -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
fi
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
