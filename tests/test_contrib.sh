#!/bin/sh
# contrib/tokenscope-apply.sh against local git repositories made here: the
# exit codes batch tools expect (change made, nothing to do, error), that
# only workflow files change, that the pull request body and the commit
# message land inside .git, and a whole multi-gitter-like round: run the
# script, commit with its message, run again and find nothing to do.
# Usage: test_contrib.sh TOKENSCOPE SOURCE_DIR
set -u
bin=$1
src=$2
script="$src/contrib/tokenscope-apply.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TOKENSCOPE="$bin"
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp"
passed=0
fail() { echo "test_contrib.sh: $*" >&2; echo "$passed passed, 1 failed"; exit 1; }
ok() { passed=$((passed + 1)); echo "ok: $*"; }

# repo NAME FILE...: a repository whose workflows are the given files
repo() {
	r="$tmp/$1"
	shift
	mkdir -p "$r/.github/workflows"
	for f in "$@"; do
		cp "$f" "$r/.github/workflows/$(basename "$(dirname "$f")").yml"
	done
	git -c init.defaultBranch=main init -q "$r" && git -C "$r" add -A &&
		git -C "$r" commit -q -m init || fail "cannot make repository $r"
}

# run DIR ARGS...: the script in DIR; sets rc
run() {
	d=$1
	shift
	(cd "$d" && sh "$script" "$@") >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

changed_files() { git -C "$1" status --porcelain | sed 's/^...//' | tr '\n' ' '; }

# ---- a change is made --------------------------------------------------------
repo changes "$src/golden/block-basic/input.yml"
run "$tmp/changes"
[ $rc -eq 0 ] || fail "change made: exit $rc: $(cat "$tmp/err")"
[ "$(changed_files "$tmp/changes")" = ".github/workflows/block-basic.yml " ] ||
	fail "change made: the working tree should show only the workflow: $(changed_files "$tmp/changes")"
cmp -s "$tmp/changes/.github/workflows/block-basic.yml" "$src/golden/block-basic/output.yml" ||
	fail "change made: the workflow is not what fix makes"
gitdir="$tmp/changes/.git/tokenscope"
head -n1 "$gitdir/commit-message.txt" | grep -q '^ci: set least-privilege GITHUB_TOKEN permissions$' ||
	fail "no conventional commit message in .git/tokenscope"
grep -q '^| `test` | `contents: read` |' "$gitdir/pr-body.md" || fail "the pull request body lacks the job table"
grep -q 'changed 1 workflow file' "$tmp/out" || fail "no closing line: $(cat "$tmp/out")"
ok "a change is made: exit 0, only the workflow changed, body and message in .git"

# the round a batch tool makes: commit with the message, then nothing to do
git -C "$tmp/changes" commit -q -a -F "$gitdir/commit-message.txt" || fail "cannot commit"
git -C "$tmp/changes" log -1 --format=%s | grep -q '^ci: ' || fail "commit subject"
run "$tmp/changes" --distinct-exit
[ $rc -eq 2 ] || fail "second run: expected nothing to do (2), got $rc"
[ -z "$(changed_files "$tmp/changes")" ] || fail "second run changed something"
ok "commit with its message; a second run has nothing to do"

# multi-gitter --dry-run sets DRY_RUN=true: the script then logs the diff
repo dry "$src/golden/block-basic/input.yml"
(cd "$tmp/dry" && DRY_RUN=true sh "$script") >"$tmp/out" 2>&1
[ $? -eq 0 ] || fail "DRY_RUN: exit status"
grep -q '^+    permissions:' "$tmp/out" || fail "DRY_RUN=true: no diff in the output"
ok "DRY_RUN=true prints the diff"

# ---- nothing to do -------------------------------------------------------------
repo nothing "$src/golden/has-permissions/output.yml"
run "$tmp/nothing"
[ $rc -eq 0 ] || fail "nothing to do: exit $rc (tools expect 0)"
run "$tmp/nothing" --distinct-exit
[ $rc -eq 2 ] || fail "nothing to do with --distinct-exit: exit $rc, not 2"
[ -z "$(changed_files "$tmp/nothing")" ] || fail "nothing to do: something changed"
[ ! -e "$tmp/nothing/.git/tokenscope/pr-body.md" ] || fail "nothing to do: a pull request body was left"
ok "nothing to do: exit 0, or 2 with --distinct-exit"

# a repository without workflows: its root *.yml are not taken for workflows
mkdir -p "$tmp/noflows"
cp "$src/golden/block-basic/input.yml" "$tmp/noflows/pipeline.yml"
git -c init.defaultBranch=main init -q "$tmp/noflows" && git -C "$tmp/noflows" add -A &&
	git -C "$tmp/noflows" commit -q -m init
run "$tmp/noflows" --distinct-exit
[ $rc -eq 2 ] || fail "no .github/workflows: expected nothing to do, got $rc"
[ -z "$(changed_files "$tmp/noflows")" ] || fail "no .github/workflows: a root yml was changed"
ok "no .github/workflows: nothing to do, root files untouched"

# ---- errors --------------------------------------------------------------------
repo broken "$src/golden/block-basic/input.yml" "$src/golden/multi-document/input.yml"
run "$tmp/broken"
[ $rc -eq 1 ] || fail "a bad workflow: exit $rc, not 1"
[ -z "$(changed_files "$tmp/broken")" ] || fail "a bad workflow: files were changed before the error"
grep -q 'multi-document.yml' "$tmp/err" || fail "a bad workflow: not named on stderr"
run "$tmp/broken" --keep-going
[ $rc -eq 0 ] || fail "--keep-going: exit $rc, not 0"
[ "$(changed_files "$tmp/broken")" = ".github/workflows/block-basic.yml " ] ||
	fail "--keep-going: the good workflow should change, the bad one not"
ok "a bad workflow: exit 1 with nothing changed; --keep-going changes the rest"

mkdir "$tmp/notgit"
run "$tmp/notgit"
[ $rc -eq 1 ] || fail "not a repository: exit $rc, not 1"
(cd "$tmp/nothing" && TOKENSCOPE="$tmp/no-such-binary" sh "$script") >/dev/null 2>&1
[ $? -eq 1 ] || fail "a missing tokenscope must exit 1"
run "$tmp/nothing" -- --no-such-option
[ $rc -eq 1 ] || fail "tokenscope refusing its options must exit 1, got $rc"
run "$tmp/nothing" --bogus
[ $rc -eq 1 ] || fail "an unknown script option must exit 1"
ok "errors: not a repository, no tokenscope, bad options: exit 1"

# ---- --check, a subfolder, options through -- -----------------------------------
repo checked "$src/golden/block-basic/input.yml"
mkdir -p "$tmp/checked/sub/dir"
run "$tmp/checked/sub/dir" --check --distinct-exit
[ $rc -eq 0 ] || fail "--check with a change to make: exit $rc, not 0"
[ -z "$(changed_files "$tmp/checked")" ] || fail "--check changed something"
grep -q '2 job(s) would get' "$tmp/out" || fail "--check: $(cat "$tmp/out")"
run "$tmp/checked/sub/dir" -- --no-top-level
[ $rc -eq 0 ] || fail "from a subfolder: exit $rc"
grep -q '^permissions: {}' "$tmp/checked/.github/workflows/block-basic.yml" &&
	fail "-- --no-top-level was not passed to tokenscope"
ok "--check changes nothing; runs from a subfolder; passes options after --"

# a worktree keeps its own body and message
git -C "$tmp/changes" worktree add -q "$tmp/wt" -b other 2>/dev/null || fail "cannot add a worktree"
git -C "$tmp/wt" reset -q --hard HEAD~1
run "$tmp/wt"
[ $rc -eq 0 ] || fail "worktree: exit $rc"
[ -f "$(git -C "$tmp/wt" rev-parse --path-format=absolute --git-path tokenscope)/pr-body.md" ] ||
	fail "worktree: no body in its git folder"
[ "$(changed_files "$tmp/wt")" = ".github/workflows/block-basic.yml " ] || fail "worktree: $(changed_files "$tmp/wt")"
ok "a worktree: body and message in its own git folder"

echo "$passed passed, 0 failed"
