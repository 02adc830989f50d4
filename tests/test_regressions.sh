#!/bin/sh
# Every input the fuzzer ever found a problem with (fuzz/regressions/) must
# now go through check without a crash, a hang or an internal error: each
# either verifies, or is refused as bad input with a position.
set -u
bin=$1
dir=$2
n=0
fails=0
for f in "$dir"/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	timeout 10 "$bin" check -q "$f" >/dev/null 2>"${TMPDIR:-/tmp}/ts-reg.err"
	rc=$?
	if [ $rc -gt 2 ]; then
		echo "$(basename "$f"): exit $rc"; fails=$((fails + 1))
	elif grep -q "internal error" "${TMPDIR:-/tmp}/ts-reg.err"; then
		echo "$(basename "$f"): $(cat "${TMPDIR:-/tmp}/ts-reg.err")"; fails=$((fails + 1))
	fi
done
[ $n -gt 0 ] || { echo "no regression inputs in $dir"; exit 1; }
echo "$n regression inputs, $fails failing"
exit $fails
