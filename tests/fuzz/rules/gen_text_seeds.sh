#!/bin/sh
# Seeds for fuzz-rules-text: the rules of corpus-text/ (dpuctl flow syntax).
# Usage: gen_text_seeds.sh OUTDIR
set -eu
mkdir -p "$1"
cp "$(dirname "$0")"/corpus-text/* "$1"/
