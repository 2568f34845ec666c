#!/bin/sh
# Run a libFuzzer target for ${FUZZ_SECONDS:-60}s on a scratch copy of its
# seed corpus (the fuzzer adds inputs to the first corpus directory).
# Any crash, timeout or sanitizer report fails the test (exit 1: libFuzzer's
# default 77 would read as "skipped" to meson).
# usage: run_fuzz.sh FUZZER SEED_DIR
set -e
fuzzer=$1
seeds=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz_esw.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$seeds"/. "$work"/ 2>/dev/null || true
"$fuzzer" -max_total_time="${FUZZ_SECONDS:-60}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-error_exitcode=1 -timeout_exitcode=1 -oom_exitcode=1 \
	-artifact_prefix="$work/" "$work"
