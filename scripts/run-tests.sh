#!/usr/bin/env bash
# Sets up a Debian 12 machine (as root) and runs opendpu's whole test suite:
#  1. every unit and integration test under ASan+UBSan (gcc), including the
#     real-kernel tier (suite 'vm': Debian's kernel under QEMU, tests/vm/),
#  2. every fuzz target for FUZZ_SECONDS (default 60; clang + libFuzzer,
#     seeded corpora).
# Ends with 'N passed, N failed, N skipped'; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh || exit 1

jobs=$(nproc)
export FUZZ_SECONDS=${FUZZ_SECONDS:-60}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
logs=()
build_failed=()

# meson setup that survives an existing (possibly stale) build dir.
configure() {
	local dir=$1; shift
	if [ -d "$dir" ]; then
		meson setup --reconfigure "$dir" "$@" >"$dir.setup.log" 2>&1 ||
			{ rm -rf "$dir"; meson setup "$dir" "$@" >"$dir.setup.log" 2>&1; }
	else
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1
	fi
}

run_suite() { # dir label meson-test-args...
	local dir=$1 label=$2; shift 2
	echo "== $label: build ($dir)"
	if ! ninja -C "$dir" -j"$jobs" >"$dir.build.log" 2>&1; then
		tail -n 40 "$dir.build.log"
		build_failed+=(--build-failed "$label")
		return
	fi
	echo "== $label: test"
	meson test -C "$dir" --print-errorlogs --num-processes "$jobs" "$@"
	logs+=("$dir/meson-logs/testlog.json")
}

if configure build-asan -Db_sanitize=address,undefined -Db_lundef=false \
	--buildtype=debugoptimized; then
	run_suite build-asan "sanitizers" --no-suite fuzz
else
	cat build-asan.setup.log; build_failed+=(--build-failed "configure build-asan")
fi

if CC=clang configure build-fuzz -Dfuzzing=true \
	-Db_sanitize=address,undefined -Db_lundef=false --buildtype=debugoptimized; then
	if meson introspect build-fuzz --tests | grep -q ':fuzz"'; then
		run_suite build-fuzz "fuzz (${FUZZ_SECONDS}s per target)" --suite fuzz \
			--timeout-multiplier 0
	fi
else
	cat build-fuzz.setup.log; build_failed+=(--build-failed "configure build-fuzz")
fi

echo "== summary"
exec python3 scripts/test-summary.py "${build_failed[@]}" "${logs[@]}"
