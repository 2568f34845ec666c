#!/bin/sh
# meson test entry: capture the corpus with real tc, then check it.
# Usage: run_corpus.sh SHIM CHECKER CORPUS WORKDIR
set -eu
shim=$1 checker=$2 corpus=$3 work=$4
if [ "$(id -u)" != 0 ] || ! ip netns list >/dev/null 2>&1 ||
   ! command -v tc >/dev/null; then
	echo "SKIP: needs root, ip netns and iproute2's tc"; exit 77
fi
sh "$(dirname "$0")/capture.sh" "$shim" "$corpus" "$work"
exec "$checker" "$corpus" "$work"
