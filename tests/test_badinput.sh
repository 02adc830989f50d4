#!/bin/sh
# test_badinput.sh TOKENSCOPE - issue 6: bad input gets a clear error and
# loses nothing. docs/bad-input.md lists the same cases.
#
# Each case is a fresh repository holding one good workflow (good.yml, a
# job that needs `contents: read` and one that needs nothing) and one bad
# entry. `tokenscope fix` runs on the repository, under `timeout 10` so a
# hang fails the test instead of stalling it, and the case checks:
#   - exit status 2;
#   - stderr is exactly one line: the bad file's path, `:line:col` where the
#     input has a position, and the message given here, word for word;
#   - good.yml was fixed (the batch went on), with its mode kept;
#   - everything else in the repository is as it was: the bad entry byte
#     for byte (or the same FIFO, folder or link), and no temporary file.
# Static inputs are in tests/badinput/; large ones and the entries that are
# not regular files are made here.
set -u
bin=${1:?usage: test_badinput.sh TOKENSCOPE}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
data=$(cd "$(dirname "$0")/badinput" && pwd)
tmp=$(mktemp -d)
trap 'chmod -R u+rwX "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0
WF=.github/workflows

fail() {
	echo "FAIL $case_name: $*" >&2
	failures=$((failures + 1))
}

# ---- helpers ----------------------------------------------------------

# A new repository for one case; prints nothing, sets $repo.
new_repo() {
	case_name=$1
	repo=$tmp/$1/repo
	mkdir -p "$repo/$WF"
	cp "$data/good.yml" "$repo/$WF/good.yml"
	chmod 640 "$repo/$WF/good.yml"
}

# Everything under the case folder but good.yml: type, mode, link target
# and, for regular files, content. FIFOs are never opened.
snapshot() {
	(cd "$tmp/$case_name" &&
		find . ! -path "./repo/$WF/good.yml" -printf '%y %m %p -> %l\n' | sort &&
		find . -type f ! -path "./repo/$WF/good.yml" -exec sha1sum {} + | sort)
}

# run_fix [ARGS...]: fix on the repository, from inside it ($as: run as
# another user).
as=""
run_fix() {
	# shellcheck disable=SC2086
	(cd "$repo" && exec timeout 10 $as "$bin" fix -q --no-color "$@" .) \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# Permission checks need a user that permissions apply to: as root, the
# case folder goes to nobody and the run drops to nobody (sets $as).
as_unprivileged() {
	[ "$(id -u)" -ne 0 ] && return 0
	if ! command -v setpriv >/dev/null; then
		echo "SKIP $case_name: running as root without setpriv" >&2
		return 1
	fi
	chmod 755 "$tmp"
	chown -R 65534:65534 "$tmp/$case_name"
	as="setpriv --reuid=65534 --regid=65534 --clear-groups"
}

# The one error line must be exactly PATH + SUFFIX, where PATH is the bad
# file as tokenscope opened it (with or without a leading ./).
check_error_line() {
	file=$1
	suffix=$2
	n=$(wc -l <"$tmp/err")
	[ "$n" -eq 1 ] || { fail "expected one line on stderr, got $n: $(cat "$tmp/err")"; return; }
	line=$(cat "$tmp/err")
	[ "$line" = "./$WF/$file$suffix" ] || [ "$line" = "$WF/$file$suffix" ] ||
		fail "stderr is '$line', expected '$WF/$file$suffix'"
}

check_good_fixed() {
	cmp -s "$repo/$WF/good.yml" "$tmp/good.expected" ||
		fail "good.yml was not fixed: the batch stopped at the bad file"
	mode=$(stat -c %a "$repo/$WF/good.yml")
	[ "$mode" = 640 ] || fail "good.yml lost its mode: 640 became $mode"
}

# expect_refused FILE SUFFIX [ARGS...]: the whole check for one case whose
# bad entry is already in place.
expect_refused() {
	file=$1
	suffix=$2
	shift 2
	snapshot >"$tmp/before"
	run_fix "$@"
	[ $rc -eq 124 ] && { fail "tokenscope hung (killed after 10 s)"; return; }
	[ $rc -eq 2 ] || fail "exit status $rc, expected 2"
	check_error_line "$file" "$suffix"
	check_good_fixed
	snapshot >"$tmp/after"
	diff "$tmp/before" "$tmp/after" >"$tmp/d" ||
		fail "the repository changed beyond good.yml: $(cat "$tmp/d")"
}

# The static input NAME from tests/badinput/, refused with SUFFIX.
static_case() {
	new_repo "$1"
	cp "$data/$1" "$repo/$WF/$1"
	expect_refused "$1" "$2"
}

# ---- the expected fix of good.yml, from a run on its own ----------------

case_name=reference
repo=$tmp/reference
mkdir -p "$repo/$WF"
cp "$data/good.yml" "$repo/$WF/good.yml"
run_fix
[ $rc -eq 0 ] || fail "fix on the good file alone exited $rc: $(cat "$tmp/err")"
cp "$repo/$WF/good.yml" "$tmp/good.expected"
cmp -s "$data/good.yml" "$tmp/good.expected" && fail "fix did not change good.yml"

# ---- the cases ----------------------------------------------------------

static_case invalid.yml ":5:4: error: invalid YAML: invalid indentation in mapping"

# The three bytes %"\xa6 make libfyaml 0.7.12 spin forever; they must be
# refused before it sees them, alone or after a complete workflow.
static_case utf8-directive.yml \
	":1:3: error: invalid UTF-8 (byte 0xa6): GitHub reads workflows as UTF-8"
static_case utf8-after-workflow.yml \
	":7:3: error: invalid UTF-8 (byte 0xa6): GitHub reads workflows as UTF-8"
# libfyaml stops at a NUL and reports success: the rest would go unseen.
static_case nul.yml ":4:27: error: NUL byte: a workflow is text"
static_case dupjobs.yml ":7:1: error: duplicate key 'jobs'"
static_case multidoc.yml ":5:1: error: a second YAML document: a workflow file holds one"
static_case empty.yml ": error: empty file: no workflow in it"
# a BOM, spaces, a tab, CRLF and blank lines: nothing to read either
static_case blank.yml ": error: empty file: no workflow in it"
# 100 nested flow sequences; the 65th level is at line 8, column 70
static_case deep.yml ":8:70: error: nesting deeper than 64 levels"

# A nesting bomb: 200,000 open brackets must be refused at the limit, not
# recursed into.
new_repo deep-bomb.yml
{
	printf 'on: push\njobs:\n  a:\n    runs-on: x\n    env:\n      X: '
	head -c 200000 /dev/zero | tr '\0' '['
	echo
} >"$repo/$WF/deep-bomb.yml"
expect_refused deep-bomb.yml ":6:70: error: nesting deeper than 64 levels"

# Over the default size limit (4 MiB): a valid workflow behind 4 MiB of
# comment lines.
new_repo big.yml
{
	yes '# padding padding padding padding padding padding padding padding' |
		head -c 4194304
	cat "$data/good.yml"
} >"$repo/$WF/big.yml"
size=$(stat -c %s "$repo/$WF/big.yml")
expect_refused big.yml ": error: file is $size bytes, over the limit of 4194304 (--max-size)"

# Over a --max-size limit that the good file is under.
new_repo max-size.yml
{
	cat "$data/good.yml"
	yes '# padding' | head -n 100
} >"$repo/$WF/max-size.yml"
size=$(stat -c %s "$repo/$WF/max-size.yml")
expect_refused max-size.yml ": error: file is $size bytes, over the limit of 1000 (--max-size)" \
	--max-size 1000

# A folder named like a workflow, with a file in it that must stay put.
new_repo dir.yml
mkdir "$repo/$WF/dir.yml"
cp "$data/good.yml" "$repo/$WF/dir.yml/inner.yml"
expect_refused dir.yml ": error: is a directory, not a workflow file"

# A FIFO named like a workflow: opening it to read would block forever.
new_repo fifo.yml
mkfifo "$repo/$WF/fifo.yml"
expect_refused fifo.yml ": error: not a regular file (a FIFO, socket or device): not read"

# A symlink inside the repository: read (diff shows the change) but fix
# never writes through it, and the file it points at is not changed.
new_repo inside-link.yml
mkdir "$repo/shared"
cp "$data/good.yml" "$repo/shared/wf.yml"
ln -s ../../shared/wf.yml "$repo/$WF/inside-link.yml"
expect_refused inside-link.yml ": error: not written: it is reached through a symlink"
(cd "$repo" && timeout 10 "$bin" diff --no-color .) >"$tmp/out" 2>&1
grep -q '^+++ b/.*inside-link.yml' "$tmp/out" ||
	fail "diff did not read the file behind an inside symlink: $(cat "$tmp/out")"

# A symlink out of the repository is not even read.
new_repo outside-link.yml
cp "$data/good.yml" "$tmp/outside-link.yml/outside.yml"
ln -s "$tmp/outside-link.yml/outside.yml" "$repo/$WF/outside-link.yml"
expect_refused outside-link.yml ": error: symlink points outside the repository: not followed"

new_repo dangling.yml
ln -s nowhere.yml "$repo/$WF/dangling.yml"
expect_refused dangling.yml ": error: symlink does not resolve: No such file or directory"

# An unreadable file. root reads anything, so as root the run drops to
# nobody (the case folder is handed to nobody for it).
new_repo unreadable.yml
cp "$data/good.yml" "$repo/$WF/unreadable.yml"
chmod 000 "$repo/$WF/unreadable.yml"
if as_unprivileged; then
	expect_refused unreadable.yml ": error: cannot open: Permission denied"
	as=""
fi

# An alias expansion bomb (9 levels of 9 aliases: 387 million nodes if
# expanded, as GitHub's parser would). tokenscope never expands aliases,
# but refuses the file where the expansion passes a million nodes; a hang
# would be caught by run_fix's timeout.
new_repo alias-bomb.yml
cp "$data/alias-bomb.yml" "$repo/$WF/alias-bomb.yml"
expect_refused alias-bomb.yml ":12:15: error: aliases here would expand to more than 1000000 nodes (an alias bomb)"

# Safe writes: a folder tokenscope may not write to. The temporary file
# cannot be made, so nothing is written and the file is as it was.
case_name=read-only-folder
repo=$tmp/$case_name/repo
mkdir -p "$repo/$WF"
cp "$data/good.yml" "$repo/$WF/good.yml"
if as_unprivileged; then
	chmod 555 "$repo/$WF"
	run_fix
	as=""
	[ $rc -eq 2 ] || fail "exit status $rc, expected 2"
	check_error_line good.yml ": error: cannot create a temporary file: Permission denied"
	cmp -s "$data/good.yml" "$repo/$WF/good.yml" || fail "the file changed"
	[ "$(find "$repo" -name '.*.tokenscope-*' | wc -l)" -eq 0 ] || fail "a temporary file was left"
	chmod 755 "$repo/$WF"
fi

if [ $failures -ne 0 ]; then
	echo "test_badinput: $failures failure(s)" >&2
	exit 1
fi
echo "test_badinput: all cases passed"
