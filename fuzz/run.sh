#!/bin/sh
# run.sh [SECONDS [LIBFUZZER-ARGS...]] - builds the fuzz harness with clang
# and fuzzes the pipeline for SECONDS (default 60) on one core.
#
# Exits non-zero when libFuzzer finds a crash, a sanitizer report, a leak,
# a broken promise (see fuzz_pipeline.c) or an input slower than 10 s; the
# input is then saved under $BUILD/artifacts/ (crash-*, leak-*, timeout-*).
#
# Environment:
#   TS_FUZZ_BUILD   build folder (default: build-fuzz in the repository)
#   TS_FUZZ_CORPUS  the corpus libFuzzer grows; keep it between runs
#                   (default: $TS_FUZZ_BUILD/corpus)
#   TS_FUZZ_VERIFY_DIR  keep the inputs whose output fails verification
#
# A long run (say 8 hours, going on from the corpus of earlier runs):
#   fuzz/run.sh 28800
# Replay one input, or check a regression:  $BUILD/fuzz/fuzz_pipeline FILE
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
secs=${1:-60}
[ $# -gt 0 ] && shift
build=${TS_FUZZ_BUILD:-$repo/build-fuzz}
corpus=${TS_FUZZ_CORPUS:-$build/corpus}

CC=clang cmake -S "$repo" -B "$build" -DTS_FUZZ=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzz_pipeline -j "${TS_FUZZ_BUILD_JOBS:-2}" >/dev/null

# Seeds are rebuilt every run, so new golden cases and regressions join in.
rm -rf "$build/seeds"
"$here/make_seeds.sh" "$build/seeds"
mkdir -p "$corpus" "$build/artifacts"

# -max_len: workflows are small; 64 KiB leaves room for nesting and alias
# bombs. -timeout: any input taking 10 s is a hang (the per-file budget is
# far lower). The first folder is where libFuzzer adds new inputs.
# libfyaml's own leaks are suppressed, and only in this run: see lsan.supp.
LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
exec "$build/fuzz/fuzz_pipeline" \
	-max_len=65536 -timeout=10 -max_total_time="$secs" \
	-dict="$here/yaml.dict" -artifact_prefix="$build/artifacts/" \
	-print_final_stats=1 "$@" "$corpus" "$build/seeds"
