#!/bin/sh
# tokenscope-apply.sh - run `tokenscope fix` on the git repository it is
# started in, the way batch change tools call a script in each repository:
#
#   multi-gitter run "$PWD/contrib/tokenscope-apply.sh" -O my-org -m "..." -B least-privilege-token
#   turbolift foreach -- sh "$PWD/../contrib/tokenscope-apply.sh"
#   for r in ~/src/*/; do (cd "$r" && tokenscope-apply.sh --distinct-exit); done
#
# See docs/batch-migration.md for whole recipes.
#
# Usage: tokenscope-apply.sh [--check] [--keep-going] [--distinct-exit] [-- TOKENSCOPE-OPTION...]
#
#   --check          change nothing: report what fix would do (exit as if it had)
#   --keep-going     a workflow file tokenscope cannot process (invalid YAML, say)
#                    is left as it is and reported, and the others are still
#                    changed; without it such a file makes the run an error
#   --distinct-exit  exit 2 when there is nothing to do (for plain loops)
#   -- OPTIONS       passed to tokenscope (--map FILE, --no-top-level, ...)
#
# Exit status:
#   0  workflows were changed (or, with --check, would be); also when there
#      was nothing to do, unless --distinct-exit. This is what multi-gitter
#      and turbolift expect: they look at the working tree to see whether
#      anything changed, and count any other status as a failed repository.
#   1  error: not a git repository, tokenscope missing or refusing its
#      command line, or a file it could not process (without --keep-going)
#   2  with --distinct-exit: nothing to do
#
# When it changes something it also writes, inside the repository's git
# folder so that they are never committed:
#   .git/tokenscope/pr-body.md           the pull request body (markdown)
#   .git/tokenscope/commit-message.txt   a conventional commit message
# (`git rev-parse --git-path tokenscope` prints where, in a worktree too.)
#
# Environment: TOKENSCOPE, the tokenscope program (default: tokenscope on
# PATH); DRY_RUN=true (set by multi-gitter --dry-run) also prints the diff.
set -u

me=tokenscope-apply
check=false
keep_going=false
distinct=false
while [ $# -gt 0 ]; do
	case $1 in
	--check) check=true ;;
	--keep-going) keep_going=true ;;
	--distinct-exit) distinct=true ;;
	--) shift; break ;;
	-h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "$me: unknown option '$1' (see --help)" >&2; exit 1 ;;
	esac
	shift
done

bin=${TOKENSCOPE:-tokenscope}
if ! command -v "$bin" >/dev/null 2>&1; then
	echo "$me: cannot run '$bin': install tokenscope or set TOKENSCOPE" >&2
	exit 1
fi
top=$(git rev-parse --show-toplevel 2>/dev/null) || {
	echo "$me: $(pwd) is not in a git repository" >&2
	exit 1
}
cd "$top" || exit 1
out=$(git rev-parse --git-path tokenscope) || exit 1
case $out in /*) ;; *) out="$top/$out" ;; esac
mkdir -p "$out" || exit 1
rm -f "$out/pr-body.md" "$out/commit-message.txt"

# The body and the message exist only where something changed.
nothing() {
	rm -f "$out/pr-body.md" "$out/commit-message.txt"
	echo "$me: nothing to do"
	if $distinct; then exit 2; fi
	exit 0
}

# Only .github/workflows: given a folder without it, tokenscope would take
# the folder's own *.yml files, which in a repository root are not workflows.
[ -d .github/workflows ] || nothing

# Without --keep-going, a file that cannot be processed stops the run
# before anything is written.
if ! $keep_going && ! $check; then
	"$bin" check -q "$@" . >/dev/null
	rc=$?
	if [ $rc -ge 2 ]; then
		echo "$me: error: $bin check exited $rc: nothing was changed (--keep-going changes the files it can)" >&2
		exit 1
	fi
fi

if $check; then
	"$bin" check -q "$@" . >"$out/check.txt"
	rc=$?
	changed=$(grep -c 'needs a permissions block' "$out/check.txt")
	rm -f "$out/check.txt"
else
	"$bin" fix -q --pr-body "$out/pr-body.md" --commit-message "$out/commit-message.txt" \
		"$@" . >"$out/fix.txt"
	rc=$?
	cat "$out/fix.txt"
	changed=$(grep -c '^fixed ' "$out/fix.txt")
	rm -f "$out/fix.txt"
fi

# tokenscope: 0 done, 1 check found changes, 2 a file had an error, 3 usage
case $rc in
0|1) ;;
2)
	if ! $keep_going; then
		echo "$me: error: a workflow file could not be processed (see above)" >&2
		exit 1
	fi ;;
*)
	echo "$me: error: $bin exited $rc" >&2
	exit 1 ;;
esac
[ "$changed" -gt 0 ] || nothing
if $check; then
	echo "$me: $changed job(s) would get a permissions block"
	exit 0
fi
echo "$me: changed $changed workflow file(s); pull request body in $out/pr-body.md"
# multi-gitter --dry-run sets DRY_RUN=true and logs what the script prints.
if [ "${DRY_RUN:-}" = true ]; then
	git --no-pager diff -- .github/workflows
fi
exit 0
