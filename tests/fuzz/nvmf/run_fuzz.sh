#!/bin/sh
# Run a libFuzzer target for FUZZ_SECONDS (default 60) on a scratch copy of
# its seed corpus; a crash/leak makes the test fail.
FUZZER=$1
SEEDS=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$SEEDS"/* "$WORK"/ 2>/dev/null
exec "$FUZZER" -max_total_time="${FUZZ_SECONDS:-60}" -timeout=20 -rss_limit_mb=4096 \
	-print_final_stats=1 "$WORK"
