#!/bin/sh
# Runs one golden case: golden/NAME/. A case is data, no C:
#
#   case.txt      one line: what the case proves (required)
#   args          extra command-line arguments, one line (optional)
#   input.yml     a workflow ...
#   output.yml    ... and what `tokenscope fix` must make of it, byte for byte
# or
#   input/        a repository tree (.github/workflows, local actions) ...
#   output/       ... and the whole tree after `tokenscope fix`
# or
#   input.yml + error.txt   the file must be refused: exit 2, stderr holds
#                           the line in error.txt, and the file is untouched
# and optionally
#   explain.txt   what `tokenscope explain` prints for the input (exact)
#
# Every case also checks: a second `fix` changes nothing (idempotence), and
# the change only adds lines (unless case.txt says "flow", where one line
# of a flow mapping changes).
set -u
bin=$1
dir=$2
name=$(basename "$dir")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "golden/$name: $*" >&2; exit 1; }

[ -f "$dir/case.txt" ] || fail "no case.txt saying what the case proves"
args=""
[ -f "$dir/args" ] && args=$(cat "$dir/args")

if [ -d "$dir/input" ]; then
	cp -R "$dir/input" "$tmp/repo"
	target="$tmp/repo"
	before="$dir/input"
	after="$dir/output"
else
	mkdir "$tmp/repo"
	cp "$dir/input.yml" "$tmp/repo/input.yml"
	target="$tmp/repo/input.yml"
	before="$dir/input.yml"
	after="$dir/output.yml"
fi

# shellcheck disable=SC2086
"$bin" fix -q --no-color $args "$target" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?

if [ -f "$dir/error.txt" ]; then
	[ $rc -eq 2 ] || fail "expected exit 2 for bad input, got $rc"
	grep -qF "$(cat "$dir/error.txt")" "$tmp/stderr" ||
		fail "stderr lacks '$(cat "$dir/error.txt")': $(cat "$tmp/stderr")"
	cmp -s "$before" "$target" || fail "a refused file was changed"
	exit 0
fi

[ $rc -eq 0 ] || fail "fix exited $rc: $(cat "$tmp/stderr")"
if [ -d "$dir/input" ]; then
	diff -r "$after" "$target" >"$tmp/d" || fail "output differs: $(cat "$tmp/d")"
else
	cmp -s "$after" "$target" || { diff "$after" "$target" >&2; fail "output differs"; }
fi

# Only added lines, unless a flow mapping changes one line.
if ! grep -q "flow" "$dir/case.txt"; then
	if diff -r "$before" "$after" | grep -q '^<'; then
		fail "the change removes or alters a line"
	fi
fi

# Idempotence: a second run plans nothing.
cp -R "$tmp/repo" "$tmp/again"
# shellcheck disable=SC2086
"$bin" check -q --no-color $args "$tmp/again" >"$tmp/check" 2>&1 ||
	fail "a second run would change the output again: $(cat "$tmp/check")"

if [ -f "$dir/explain.txt" ]; then
	# Map entries are cited as [file:line]; the line moves whenever a map
	# is edited, so it is masked (the file is still compared).
	mask='s/\(\[endpoint-map\/[^]:]*\):[0-9]*\]/\1:N]/g'
	# shellcheck disable=SC2086
	(cd "$dir" && "$bin" explain -q --no-color $args "$(basename "$before")") 2>&1 |
		sed "$mask" >"$tmp/explain"
	sed "$mask" "$dir/explain.txt" | diff - "$tmp/explain" >"$tmp/d" ||
		fail "explain differs: $(cat "$tmp/d")"
fi
exit 0
