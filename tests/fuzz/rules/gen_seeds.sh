#!/bin/sh
# Seed corpus for the flower fuzzer: the netlink requests real tc sends for
# every corpus line (see tests/unit/rules/capture.sh). Without root or
# network namespaces, the fuzzer starts from an empty corpus.
# Usage: gen_seeds.sh OUTDIR   (env: DPU_RULES_SHIM, DPU_RULES_CORPUS)
set -eu
out=$1
mkdir -p "$out"
if [ "$(id -u)" != 0 ] || ! ip netns list >/dev/null 2>&1; then
	echo "gen_seeds: no root/netns, starting without seeds" >&2
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sh "$(dirname "$0")/../../unit/rules/capture.sh" "$DPU_RULES_SHIM" \
	"$DPU_RULES_CORPUS" "$tmp/cap"
for f in "$tmp"/cap/*.bin; do
	[ -s "$f" ] && cp "$f" "$out/tc-$(basename "$f")"
done
echo "gen_seeds: $(ls "$out" | wc -l) seeds" >&2
