#!/bin/sh
# `tokenscope diff` output must be a patch `git apply` accepts from the
# repository root, and applying it must give exactly what `fix` writes.
# Run over every golden input (CRLF, BOM, no final newline, flow jobs,
# local actions...) and the bundled example repository.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
[ -x "$bin" ] || { echo "no binary at $1"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
applied=0
check_repo() { # $1: a folder holding .github/workflows
	rm -rf "$tmp/a" "$tmp/b"
	cp -R "$1" "$tmp/a"
	cp -R "$1" "$tmp/b"
	(cd "$tmp/a" && git init -q && git add -A &&
	 git -c user.email=t@t -c user.name=t commit -qm base) || return 1
	(cd "$tmp/a" && "$bin" diff -q --no-color . >"$tmp/patch")
	rc=$?
	[ $rc -le 1 ] || { echo "diff exited $rc for $1"; return 1; }
	[ -s "$tmp/patch" ] || return 0
	applied=$((applied + 1))
	(cd "$tmp/a" && git apply "$tmp/patch") || { echo "git apply refused the diff for $1"; return 1; }
	"$bin" fix -q "$tmp/b" >/dev/null
	rm -rf "$tmp/a/.git"
	diff -r "$tmp/a" "$tmp/b" >/dev/null || { echo "applied diff != fix for $1"; return 1; }
}
for case in "$src"/golden/*/; do
	[ -f "$case/error.txt" ] && continue
	if [ -d "$case/input" ]; then
		check_repo "$case/input" || fails=$((fails + 1))
	else
		rm -rf "$tmp/repo" && mkdir -p "$tmp/repo/.github/workflows"
		cp "$case/input.yml" "$tmp/repo/.github/workflows/ci.yml"
		check_repo "$tmp/repo" || fails=$((fails + 1))
	fi
done
check_repo "$src/examples/demo" || fails=$((fails + 1))
# Most cases change something: a run that applied few patches tested nothing.
if [ $applied -lt 30 ]; then
	echo "only $applied patches were applied: the test did not run"
	exit 1
fi
[ $fails -eq 0 ] && echo "git apply: $applied diffs apply and equal fix"
exit $fails
