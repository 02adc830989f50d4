#!/bin/sh
# bench/run.sh - the tokenscope benchmark (issue 7; see docs/performance.md).
#
# Usage: bench/run.sh [BUILD_DIR]
#
# BUILD_DIR holds the tokenscope binary (default: build/ at the top of the
# repository). If BUILD_DIR/tokenscope is missing it is configured and built
# there in Release mode.
#
# Steps:
#  1. builds bench/out/bin/baseline (parse-only, libfyaml event API) and
#     bench/out/bin/measure (wall time and peak RSS through wait4);
#  2. replicates the workflow corpus (BENCH_CORPUS, default ../shared/corpus
#     next to the repository) into bench/out/corpus/repoNNNN/ until it holds
#     at least BENCH_FILES (default 10000) workflow files; each repoNNNN is a
#     byte-identical copy of one corpus repository's .github folder (local
#     actions included, since tokenscope reads the ones workflows use);
#     workflow files tokenscope reports as errors (invalid YAML) are left
#     out, so that `check` exits 0 or 1;
#  3. runs, BENCH_REPS times (default 5), interleaved:
#       baseline                    bench/out/corpus/repo*/.github/workflows
#       tokenscope check -q -j 1    bench/out/corpus/repo*
#       tokenscope check -q -j 2    bench/out/corpus/repo*
#       two baselines at once, and two `check -q -j 1` at once, each on
#       half the folders (what two cores give, without threads)
#     (`check` exits 1 when files would change: expected; 2 or more fails);
#  4. prints the medians (files/s, MB/s, peak RSS), the ratios and whether
#     each target of issue 7 is met. Exit status 0 even when a target is
#     missed; 1 if something could not run.
#
# Environment: BENCH_REPS, BENCH_FILES, BENCH_CORPUS, CC, BENCH_CFLAGS.
# bench/profile.sh profiles tokenscope on the corpus this script builds.

# Repository folder names (owner__name, repoNNNN) hold no blanks: the
# unquoted lists below are split on purpose.
# shellcheck disable=SC2086,SC2046
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-$root/build}
reps=${BENCH_REPS:-5}
want=${BENCH_FILES:-10000}
corpus=${BENCH_CORPUS:-$root/../shared/corpus}
cc=${CC:-cc}
cflags=${BENCH_CFLAGS:--O2}
out=$root/bench/out
bin=$out/bin
dst=$out/corpus
res=$out/results

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
say() { printf '%s\n' "$*" >&2; }

case $reps in ''|*[!0-9]*|0) die "BENCH_REPS must be a positive integer";; esac
case $want in ''|*[!0-9]*|0) die "BENCH_FILES must be a positive integer";; esac
[ -d "$corpus" ] || die "no corpus at $corpus (set BENCH_CORPUS)"
corpus=$(cd "$corpus" && pwd)

# --- 1. binaries --------------------------------------------------------
ts=$build/tokenscope
if [ ! -x "$ts" ]; then
	say "bench: building tokenscope in $build (Release)"
	cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null ||
		die "cmake configure failed"
	cmake --build "$build" -j 2 --target tokenscope >/dev/null ||
		die "cmake build failed"
fi
[ -x "$ts" ] || die "no tokenscope binary in $build"
ts=$(cd "$(dirname "$ts")" && pwd)/tokenscope
btype=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
# CMakeLists.txt makes an unset build type RelWithDebInfo.
[ -n "$btype" ] || [ ! -f "$build/CMakeCache.txt" ] || btype=RelWithDebInfo
case $btype in
Release|RelWithDebInfo) ;;
*) say "bench: warning: $build is a '${btype:-unknown}' build; use Release for figures";;
esac

mkdir -p "$bin" "$res"
command -v pkg-config >/dev/null || die "pkg-config is needed to build the baseline"
fy_cflags=$(pkg-config --cflags libfyaml) || die "libfyaml not found by pkg-config"
fy_libs=$(pkg-config --libs libfyaml)
$cc -std=c11 $cflags -Wall -Wextra -o "$bin/baseline" "$here/baseline.c" \
	$fy_cflags $fy_libs || die "cannot build the baseline"
$cc -std=c11 $cflags -Wall -Wextra -o "$bin/measure" "$here/measure.c" ||
	die "cannot build measure"

# --- 2. corpus ----------------------------------------------------------
# The corpus repositories: folders with a .github/workflows folder.
repos=$(cd "$corpus" && for d in */; do
	[ -d "$d.github/workflows" ] && printf '%s\n' "${d%/}"
done)
[ -n "$repos" ] || die "no */.github/workflows under $corpus"

list_workflows() { # DIR...: the workflow files under DIR/.github/workflows
	for d in "$@"; do
		find "$d/.github/workflows" -type f \( -name '*.yml' -o -name '*.yaml' \)
	done
}

# Workflow files tokenscope rejects (file:line:col: error: ...).
excl=$out/excluded.txt
(cd "$corpus" && set +e; "$ts" check -j 1 $repos >/dev/null 2>"$res/source.err"
	rc=$?; [ $rc -le 2 ] || exit 1) || die "tokenscope failed on the source corpus"
sed -n 's/^\(.*\/\.github\/workflows\/[^:]*\.ya\{0,1\}ml\):[0-9][0-9:]*: error: .*/\1/p' \
	"$res/source.err" | sed 's|^\./||' | sort -u >"$excl"

per=$(cd "$corpus" && list_workflows $repos | sed 's|^\./||' | grep -vxF -f "$excl" | awk 'END {print NR}')
per=$((per + 0))
[ "$per" -gt 0 ] || die "no usable workflow files in $corpus"
copies=$(( (want + per - 1) / per ))
nrepos=$(printf '%s\n' "$repos" | wc -l)
stamp="corpus=$corpus copies=$copies per=$per repos=$((nrepos + 0)) excluded=$(wc -l <"$excl")"
stamp="$stamp sum=$(cd "$corpus" && list_workflows $repos | sort | cksum | cut -d' ' -f1)"

if [ "$(cat "$dst/.stamp" 2>/dev/null || true)" != "$stamp" ]; then
	say "bench: replicating $per workflow files x $copies into $dst"
	rm -rf "$dst"
	mkdir -p "$dst"
	k=0
	c=0
	while [ $c -lt "$copies" ]; do
		c=$((c + 1))
		for r in $repos; do
			k=$((k + 1))
			d=$dst/$(printf 'repo%04d' "$k")
			mkdir -p "$d"
			cp -R "$corpus/$r/.github" "$d/.github"
			while IFS= read -r f; do
				case $f in "$r"/*) rm -f "$d/${f#"$r"/}" ;; esac
			done <"$excl"
		done
	done
	printf '%s\n' "$stamp" >"$dst/.stamp"
fi

# --- 3. runs ------------------------------------------------------------
cd "$dst"
set -- repo*
nrepo=$#
wfdirs=$(for d in "$@"; do printf '%s/.github/workflows\n' "$d"; done)
half1=$(printf '%s\n' "$@" | head -n $((nrepo / 2)))
half2=$(printf '%s\n' "$@" | tail -n +$((nrepo / 2 + 1)))
rm -f "$res"/*.txt "$res"/*.err "$res"/*.cpu "$res"/*.share

run() { # NAME COMMAND...: one measured run, appended to $res/NAME.txt
	name=$1
	shift
	set +e
	"$bin/measure" "$res/$name.txt" "$@" >"$res/$name.out" 2>"$res/$name.err"
	rc=$?
	set -e
	case $name in
	base*) ok=$([ $rc -eq 0 ] && echo y || echo n) ;;
	*) ok=$([ $rc -le 1 ] && echo y || echo n) ;;
	esac
	if [ "$ok" != y ]; then
		say "bench: $name exited $rc; stderr:"
		head -20 "$res/$name.err" >&2
		exit 1
	fi
}

# How busy the CPUs were over one second before the runs, in per cent.
# (The load average is no use here: it still counts, for a minute, the
# build or the benchmark run that came just before.)
cpu_busy() {
	s1=$(head -1 /proc/stat 2>/dev/null) || { echo 0; return; }
	sleep 1
	s2=$(head -1 /proc/stat)
	printf '%s\n%s\n' "$s1" "$s2" | awk '{ idle[NR] = $5 + $6; tot[NR] = 0
		for (i = 2; i <= NF; i++) tot[NR] += $i }
		END { d = tot[2] - tot[1]
		print (d > 0 ? int(100 * (1 - (idle[2] - idle[1]) / d) + 0.5) : 0) }'
}
busy=$(cpu_busy)
say "bench: $nrepo repository folders; CPUs $busy% busy; warming up"
run warm-base "$bin/baseline" $wfdirs
run warm-ts "$ts" check -q -j 1 "$@"
read -r files bytes errs <"$res/warm-base.out"
[ "$errs" -eq 0 ] || say "bench: note: libfyaml rejected $errs of the files"

i=0
while [ $i -lt "$reps" ]; do
	i=$((i + 1))
	say "bench: repetition $i/$reps"
	run base "$bin/baseline" $wfdirs
	run j1 "$ts" check -q -j 1 "$@"
	run j2 "$ts" check -q -j 2 "$@"
	# What two cores give here: two baselines at once, against one.
	# shellcheck disable=SC2016
	run par2 sh -c 'b=$1; shift; "$b" "$@" & "$b" "$@"; wait' sh \
		"$bin/baseline" $wfdirs
	# What two cores give tokenscope without threads: two -j 1 processes
	# at once, each on half the folders (five copies of the corpus each).
	# The worse of the two exit statuses is kept.
	# shellcheck disable=SC2016
	run halves sh -c 't=$1; shift; a=; while [ "$1" != -- ]; do a="$a $1"; shift; done
		shift; "$t" check -q -j 1 $a & p=$!; "$t" check -q -j 1 "$@"; r=$?
		wait $p; s=$?; [ $r -gt $s ] && s=$r; exit $s' sh "$ts" $half1 -- $half2
done

# Memory against the number of files: -j 1 on one copy of the corpus.
nsmall=$((nrepos + 0))
run small "$ts" check -q -j 1 $(printf 'repo%04d\n' $(seq 1 "$nsmall"))
sfiles=$(cd "$dst" && list_workflows $(printf 'repo%04d\n' $(seq 1 "$nsmall")) | wc -l)

# --- 4. report ----------------------------------------------------------
median() { # FILE COLUMN
	cut -d' ' -f"$2" "$1" | sort -g | awk '{v[NR]=$1} END {
		if (NR % 2) print v[(NR+1)/2]; else printf "%.6f\n", (v[NR/2]+v[NR/2+1])/2 }'
}
t_base=$(median "$res/base.txt" 1) m_base=$(median "$res/base.txt" 2)
t_j1=$(median "$res/j1.txt" 1) m_j1=$(median "$res/j1.txt" 2)
t_j2=$(median "$res/j2.txt" 1) m_j2=$(median "$res/j2.txt" 2)
m_small=$(median "$res/small.txt" 2)
for n in base j1 j2 halves; do # CPU time, user + sys: what other load cannot change
	awk '{printf "%.6f\n", $3 + $4}' "$res/$n.txt" >"$res/$n.cpu"
done
u_base=$(median "$res/base.cpu" 1) u_j1=$(median "$res/j1.cpu" 1)
u_j2=$(median "$res/j2.cpu" 1) u_hv=$(median "$res/halves.cpu" 1)
t_par2=$(median "$res/par2.txt" 1) t_hv=$(median "$res/halves.txt" 1)
# The CPU time -j 1 got per second of wall time: below 1, other processes
# took the CPU from it.
awk '{print ($3 + $4) / $1}' "$res/j1.txt" >"$res/j1.share"
share=$(median "$res/j1.share" 1)
mx_j1=$(cut -d' ' -f2 "$res/j1.txt" | sort -g | tail -1)
mx_j2=$(cut -d' ' -f2 "$res/j2.txt" | sort -g | tail -1)
spread() { # FILE: the fastest and the slowest run's wall time
	cut -d' ' -f1 "$1" | sort -g | sed -n '1p;$p' | tr '\n' ' '
}
sp_base=$(spread "$res/base.txt") sp_j1=$(spread "$res/j1.txt")
sp_j2=$(spread "$res/j2.txt") sp_par2=$(spread "$res/par2.txt")
sp_hv=$(spread "$res/halves.txt")

cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
awk -v files="$files" -v bytes="$bytes" -v reps="$reps" -v nrepo="$nrepo" \
    -v tb="$t_base" -v t1="$t_j1" -v t2="$t_j2" \
    -v mb="$m_base" -v m1="$m_j1" -v m2="$m_j2" -v ms="$m_small" \
    -v ub="$u_base" -v u1="$u_j1" -v u2="$u_j2" \
    -v x1="$mx_j1" -v x2="$mx_j2" -v sfiles="$sfiles" -v tp="$t_par2" \
    -v spb="$sp_base" -v sp1="$sp_j1" -v sp2="$sp_j2" -v spp="$sp_par2" \
    -v th="$t_hv" -v uh="$u_hv" -v sph="$sp_hv" \
    -v busy="$busy" -v share="$share" \
    -v cpu="${cpu:-unknown}" -v ncpu="$(nproc 2>/dev/null || echo '?')" \
    -v btype="${btype:-unknown}" -v date="$(date -u +%Y-%m-%d)" '
function row(name, t, m, u) {
	printf "%-22s %9.3f %9.3f %10.0f %9.2f %10.1f\n", name, t, u, files / t,
		bytes / 1048576 / t, m / 1024
}
function verdict(ok) { return ok ? "MET" : "NOT MET" }
BEGIN {
	printf "\ntokenscope benchmark, %s; %s CPUs (%s); %s build\n", date, ncpu, cpu, btype
	printf "%d workflow files in %d repository folders, %.2f MiB; median of %d runs\n\n",
		files, nrepo, bytes / 1048576, reps
	printf "%-22s %9s %9s %10s %9s %10s\n", "", "wall s", "CPU s", "files/s",
		"MiB/s", "peak MiB"
	row("baseline (parse only)", tb, mb, ub)
	row("tokenscope -j 1", t1, m1, u1)
	row("tokenscope -j 2", t2, m2, u2)
	r1 = t1 / tb; sp = t1 / t2
	printf "\nratios: -j 1 / baseline = %.2fx   -j 2 / baseline = %.2fx   " \
		"-j 1 / -j 2 speed-up = %.2fx\n", r1, t2 / tb, sp
	printf "CPU time (user + sys): -j 1 / baseline = %.2fx   -j 2 / -j 1 = %.2fx\n",
		u1 / ub, u2 / u1
	printf "peak RSS, -j 1 on %d files: %.1f MiB; on %d files: %.1f MiB " \
		"(growth %+.1f MiB)\n", sfiles, ms / 1024, files, m1 / 1024, (m1 - ms) / 1024
	printf "two cores on this machine: 2 baselines at once run %.2fx the work of one " \
		"per second (the ceiling for -j 2)\n", 2 * tb / tp
	printf "two tokenscope -j 1 at once, each on half the folders: %.2fx the speed of " \
		"one, CPU time %.2fx (-j 2 without threads: -j 2 / them = %.2fx wall, " \
		"%.2fx CPU)\n", t1 / th, uh / u1, t2 / th, u2 / uh
	# How noisy the machine was: a wide spread means the medians moved
	# with other load, not with tokenscope.
	split(spb, b, " "); split(sp1, p, " "); split(sp2, q, " "); split(spp, r, " ")
	split(sph, h, " ")
	printf "fastest and slowest run, wall s: baseline %.3f-%.3f   -j 1 %.3f-%.3f   " \
		"-j 2 %.3f-%.3f   2 baselines %.3f-%.3f   2 halves %.3f-%.3f\n", b[1], b[2],
		p[1], p[2], q[1], q[2], r[1], r[2], h[1], h[2]
	if (busy > 10 || share < 0.9)
		printf "warning: the CPUs were %d%% busy at the start, -j 1 ran on %.0f%% " \
			"of a CPU: other processes shared the CPUs; the figures (-j 2 most) " \
			"are pessimistic\n", busy, share * 100
	printf "\ntargets:\n"
	printf "  -j 1 at most 2.5x the baseline:   %5.2fx      %s\n", r1, verdict(r1 <= 2.5)
	printf "  peak RSS under 64 MiB (worst run): %5.1f MiB   %s\n",
		(x1 > x2 ? x1 : x2) / 1024, verdict(x1 < 65536 && x2 < 65536)
	printf "  -j 2 at least 1.7x faster than -j 1: %4.2fx     %s\n", sp, verdict(sp >= 1.7)
	printf "  RSS flat in the number of files:  %+5.1f MiB   %s\n", (m1 - ms) / 1024,
		verdict(m1 - ms < 4096)
}'
printf '\nraw runs (wall s, peak KiB, user s, sys s, exit): %s/*.txt\n' "$res"
