#!/bin/sh
# bench/profile.sh - where tokenscope spends its instructions (see
# docs/performance.md).
#
# Usage: bench/profile.sh [BUILD_DIR]
#
# Runs `tokenscope check -q -j 1` under valgrind's callgrind on one copy of
# the corpus bench/run.sh replicated (bench/out/corpus/repo0001.. up to the
# number of corpus repositories; run bench/run.sh first), and the baseline
# on the same files, then prints the instruction counts, the functions with
# the highest self cost, and the inclusive cost of tokenscope's phases.
#
# BUILD_DIR (default build-prof/ at the top of the repository) is configured
# as a Release build with -g -fno-omit-frame-pointer if it has no binary.
# The raw profile stays in bench/out/callgrind.out for callgrind_annotate or
# kcachegrind.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-$root/build-prof}
out=$root/bench/out
top=${PROFILE_TOP:-15}

die() { printf 'profile: %s\n' "$*" >&2; exit 1; }

command -v valgrind >/dev/null || die "valgrind is needed (apt-get install valgrind)"
command -v callgrind_annotate >/dev/null || die "callgrind_annotate is needed"
if [ ! -f "$out/corpus/.stamp" ] || [ ! -x "$out/bin/baseline" ]; then
	die "run bench/run.sh first: it builds the baseline and the corpus"
fi

if [ ! -x "$build/tokenscope" ]; then
	cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_C_FLAGS="-g -fno-omit-frame-pointer" >/dev/null ||
		die "cmake configure failed"
	cmake --build "$build" -j 2 --target tokenscope >/dev/null ||
		die "cmake build failed"
fi
ts=$(cd "$build" && pwd)/tokenscope

# One copy of the corpus: as many folders as the corpus has repositories.
n=$(sed -n 's/.* repos=\([0-9]*\).*/\1/p' "$out/corpus/.stamp")
[ -n "$n" ] || die "cannot read $out/corpus/.stamp"
cd "$out/corpus"
dirs=$(i=1; while [ "$i" -le "$n" ]; do printf 'repo%04d\n' "$i"; i=$((i + 1)); done)
files=$(for d in $dirs; do
	find "$d/.github/workflows" -type f \( -name '*.yml' -o -name '*.yaml' \)
done | wc -l)

cg() { # OUT COMMAND...: callgrind, returns the instruction count
	o=$1
	shift
	valgrind --tool=callgrind --callgrind-out-file="$o" "$@" \
		>/dev/null 2>"$o.log" || [ $? -le 1 ] || die "valgrind failed: $o.log"
	sed -n 's/.*I *refs: *//p' "$o.log" | tr -d ,
}

printf 'profiling %s files (%s folders) with callgrind...\n' "$((files + 0))" "$n" >&2
# shellcheck disable=SC2086
ir_ts=$(cg "$out/callgrind.out" "$ts" check -q -j 1 $dirs)
# shellcheck disable=SC2086,SC2046
ir_base=$(cg "$out/callgrind-base.out" "$out/bin/baseline" \
	$(for d in $dirs; do printf '%s/.github/workflows\n' "$d"; done))

printf '\ninstructions: tokenscope %s, baseline %s: %.2fx\n' "$ir_ts" "$ir_base" \
	"$(awk -v a="$ir_ts" -v b="$ir_base" 'BEGIN {print a / b}')"

printf '\nhighest self cost (share of all tokenscope instructions):\n'
callgrind_annotate --threshold=100 --auto=no "$out/callgrind.out" 2>/dev/null |
	sed -n '/file:function/,$p' | sed '1,2d' | head -n "$top" |
	sed -e 's|\[/[^]]*/\([^/]*\)\]$|[\1]|' -e 's|^\( *[0-9,]* ([ 0-9.%]*)\) *[^ ]*/|\1  |'

printf '\ninclusive cost of the phases:\n'
callgrind_annotate --inclusive=yes --threshold=100 --auto=no "$out/callgrind.out" \
	2>/dev/null | grep -E ':(main|ts_process|ts_analyse|ts_load|ts_parse|ts_infer|ts_read_local|ts_call_workflow|ts_local_action|ts_run_analyze|ts_sh_parse|ts_sh_env_each|from_env[.a-z0-9]*|ts_has_ref|ts_verify|ts_plan_make|ts_splice|fy_token_get_text|fy_parser_parse|ts_emitter_file|ts_map_load_builtin) \[' |
	sed -e 's| *\[[^]]*\]$||' -e 's|^\( *[0-9,]* ([ 0-9.%]*)\) *[^ ]*/|\1  |'
callers() { # FUNCTION: who calls it, and at what inclusive cost
	printf '\ncalls into %s, by caller:\n' "$(printf '%s' "$1" | sed 's/\[.*//')"
	awk -v f="$1" 'BEGIN {RS = ""} {
		n = split($0, L, "\n")
		for (i = 1; i <= n; i++)
			if (L[i] ~ /\*  / && L[i] ~ (":" f " \\[")) {
				for (j = 1; j < i && j <= 6; j++) print L[j]
				exit
			}
	}' "$out/callgrind.caller" |
		sed -e 's| *\[[^]]*\]$||' -e 's|< [^ ]*/|< |'
}
callgrind_annotate --tree=caller --threshold=100 --auto=no "$out/callgrind.out" \
	>"$out/callgrind.caller" 2>/dev/null
callers ts_parse
callers '__strncasecmp[_a-z0-9]*'
callers fy_token_get_text

printf '\nraw profile: %s (callgrind_annotate --tree=caller ...)\n' "$out/callgrind.out"
