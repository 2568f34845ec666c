#!/bin/sh
# Run one libFuzzer target for FUZZ_SECONDS (default 60) on a corpus seeded
# by a generator. Usage: run_fuzz.sh SEED_GEN FUZZER WORKDIR
# Fails (non-zero) on any crash, leak or sanitizer report.
set -eu
gen=$1 fuzzer=$2 work=$3
mkdir -p "$work/corpus" "$work/artifacts"
"$gen" "$work/seeds"
exec "$fuzzer" "$work/corpus" "$work/seeds" \
	-max_total_time="${FUZZ_SECONDS:-60}" -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -print_final_stats=1 \
	-artifact_prefix="$work/artifacts/"
