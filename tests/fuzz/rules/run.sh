#!/bin/sh
# run_fuzz.sh with libFuzzer's failure exit code (77 by default, which
# meson reads as "skipped") turned into a failure.
# Usage: run.sh SEED_GEN FUZZER WORKDIR
set +e
sh "$(dirname "$0")/../run_fuzz.sh" "$@"
rc=$?
[ "$rc" = 77 ] && rc=1
exit "$rc"
