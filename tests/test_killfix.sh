#!/bin/bash
# test_killfix.sh TOKENSCOPE [ROUNDS] - issue 6, safe writes: a batch `fix`
# killed with SIGKILL at any moment leaves every workflow file either as it
# was or as the complete verified output, never partial, and with its mode.
#
# 200 workflow files (the golden inputs, some padded to ~200 KB so a write
# takes a while) in 4 repositories. A reference `fix` on a copy gives the
# expected outputs. Then, each round: a fresh copy, `fix -j 2` started on
# all 4 repositories, SIGKILL after a random delay (from 0 up to a little
# longer than a whole run), and every file checked. A temporary file left by
# the kill is allowed (nothing can remove it after SIGKILL) but only as a
# hidden `.NAME.tokenscope-XXXXXX` in the same folder, which GitHub and
# tokenscope both ignore; any other new file fails. Each round ends with a
# `fix` run to completion on the killed tree, which must give the reference.
set -u
bin=${1:?usage: test_killfix.sh TOKENSCOPE [ROUNDS]}
rounds=${2:-40}
[[ $bin == /* ]] || bin=$PWD/$bin
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
	echo "FAIL round $round: $*" >&2
	failures=$((failures + 1))
}
round=setup

# ---- the files ------------------------------------------------------------

inputs=()
for d in "$src"/golden/*/; do
	[[ -f $d/input.yml && -f $d/output.yml && ! -f $d/args ]] && inputs+=("$d/input.yml")
done
((${#inputs[@]} > 0)) || { echo "no golden inputs" >&2; exit 1; }

# Padding goes after the last line (as comments at column 0, which end any
# block scalar), and only when the file ends with a newline, so the file
# means what it meant.
pad() {
	local f=$1 lines=$2
	[[ $(tail -c 1 "$f" | od -An -c) == *'\n'* ]] || return 0
	yes '# padding so that writing this file takes a measurable time' |
		head -n "$lines" >>"$f"
}

mkdir -p "$tmp/pristine"
for i in $(seq 0 199); do
	r=$tmp/pristine/repo$((i % 4))/.github/workflows
	mkdir -p "$r"
	f=$r/wf$i.yml
	cp "${inputs[i % ${#inputs[@]}]}" "$f"
	((i % 7 == 0)) && pad "$f" 3000
	# modes vary so that a kept mode is checked, not assumed
	((i % 3 == 0)) && chmod 600 "$f" || chmod 644 "$f"
done
repos=("$tmp"/pristine/repo*)
repos=("${repos[@]#$tmp/pristine/}")

# ---- checking a tree ---------------------------------------------------------

# One line per regular file: "MODE SHA1 PATH" (PATH relative, from ./).
describe() {
	(cd "$1" && find . -type f -printf '%m %p\n' | sort -k2 >"$tmp/modes" &&
		find . -type f -exec sha1sum {} + | sort -k2 >"$tmp/sums" &&
		join -1 2 -2 2 -o 1.1,2.1,0 "$tmp/modes" "$tmp/sums")
}

# Checks one killed tree against the pristine and reference descriptions;
# sets $fixed (files holding the fixed output) and $leftover (temporary
# files). Anything else found is a failure, and a partial file is kept.
check_tree() {
	local out
	out=$(describe "$1" | awk -v P="$tmp/pristine.desc" -v R="$tmp/ref.desc" '
		BEGIN {
			while ((getline l < P) > 0) { split(l, f, " "); pm[f[3]] = f[1]; ps[f[3]] = f[2] }
			while ((getline l < R) > 0) { split(l, f, " "); rs[f[3]] = f[2] }
		}
		{
			mode = $1; sum = $2; path = $3; n = split(path, parts, "/"); name = parts[n]
			if (name ~ /^\..*\.tokenscope-/) { leftover++; next }
			if (!(path in ps)) { print "BAD a new file that is not a hidden temporary file: " path; next }
			seen++
			if (sum == rs[path]) fixed += (sum != ps[path])
			else if (sum != ps[path]) print "PARTIAL " path
			if (mode != pm[path]) print "BAD " path " changed mode " pm[path] " -> " mode
		}
		END { printf "COUNT %d %d %d\n", fixed, leftover, seen }')
	local line
	while IFS= read -r line; do
		case $line in
		COUNT*) read -r _ fixed leftover seen <<<"$line" ;;
		PARTIAL*)
			fail "${line#PARTIAL } is neither the original nor the fixed file"
			keep=${TMPDIR:-/tmp}/killfix-partial-$round-$(basename "${line#PARTIAL }")
			cp "$1/${line#PARTIAL }" "$keep" && echo "kept in $keep" >&2 ;;
		*) fail "${line#BAD }" ;;
		esac
	done <<<"$out"
	((seen == 200)) || fail "$seen workflow files where there were 200"
}

# ---- the reference run ------------------------------------------------------

cp -a "$tmp/pristine" "$tmp/ref"
start=$(date +%s%N)
(cd "$tmp/ref" && "$bin" fix -q -j 2 "${repos[@]}") >/dev/null 2>"$tmp/err"
rc=$?
took_ms=$((($(date +%s%N) - start) / 1000000))
((rc == 0)) || { echo "reference fix exited $rc: $(cat "$tmp/err")" >&2; exit 1; }
describe "$tmp/pristine" >"$tmp/pristine.desc"
describe "$tmp/ref" >"$tmp/ref.desc"
nchanged=$(join -j 3 -o 1.2,2.2 <(sort -k3 "$tmp/pristine.desc") <(sort -k3 "$tmp/ref.desc") |
	awk '$1 != $2' | wc -l)
((nchanged > 100)) || { echo "only $nchanged files change: the test proves little" >&2; exit 1; }
echo "killfix: 200 files, $nchanged change, a whole run takes ${took_ms} ms"

# ---- the rounds -------------------------------------------------------------

# Delays in milliseconds: many very short ones (the kill lands while the
# first files are written), the rest spread over a whole run.
delay_ms() {
	local r=$((RANDOM % 10))
	if ((r < 3)); then
		echo $((RANDOM % 5))
	else
		echo $((RANDOM % (took_ms + took_ms / 4 + 2)))
	fi
}

total_leftover=0 killed_mid=0
for round in $(seq 1 "$rounds"); do
	rm -rf "$tmp/work"
	cp -a "$tmp/pristine" "$tmp/work"
	ms=$(delay_ms)
	(cd "$tmp/work" && exec "$bin" fix -q -j 2 "${repos[@]}") >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	check_tree "$tmp/work"
	total_leftover=$((total_leftover + leftover))
	((fixed > 0 && fixed < nchanged)) && killed_mid=$((killed_mid + 1))
	echo "round $round: killed after ${ms} ms: $fixed of $nchanged fixed, $leftover temporary file(s) left"
	# A rerun completes the batch and is not confused by leftovers.
	(cd "$tmp/work" && "$bin" fix -q -j 2 "${repos[@]}") >/dev/null 2>"$tmp/err" ||
		fail "the rerun after the kill failed: $(cat "$tmp/err")"
	check_tree "$tmp/work"
	((fixed == nchanged)) || fail "after the rerun $fixed of $nchanged are fixed"
done

echo "killfix: $rounds rounds, $killed_mid killed mid-batch, $total_leftover temporary file(s) left in all"
((killed_mid > 0)) || echo "killfix: warning: no kill landed mid-batch" >&2
if ((failures)); then
	echo "test_killfix: $failures failure(s)" >&2
	exit 1
fi
