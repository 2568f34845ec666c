#!/bin/sh
# Run one libFuzzer target for FUZZ_SECONDS (default 60).
# Usage: run_fuzz.sh SEEDS FUZZER WORKDIR [libFuzzer flags...]
#   SEEDS: a directory of seed inputs, or a program that writes them into
#   the directory it is given. New inputs go to WORKDIR/corpus.
# Any crash, leak, timeout, OOM or sanitizer report fails the test (exit 1):
# libFuzzer's own failure code is 77, which meson would read as "skipped".
set -u
seeds=$1 fuzzer=$2 work=$3
shift 3
mkdir -p "$work/corpus" "$work/artifacts" || exit 1
if [ ! -d "$seeds" ]; then
	"$seeds" "$work/seeds" || { echo "seed generator $seeds failed"; exit 1; }
	seeds=$work/seeds
fi
"$fuzzer" "$work/corpus" "$seeds" \
	-max_total_time="${FUZZ_SECONDS:-60}" -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -print_final_stats=1 \
	-error_exitcode=1 -timeout_exitcode=1 -oom_exitcode=1 \
	-artifact_prefix="$work/artifacts/" "$@"
rc=$?
[ "$rc" = 77 ] && rc=1
exit "$rc"
