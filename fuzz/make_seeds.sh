#!/bin/sh
# make_seeds.sh DEST - fills DEST with the fuzz seed corpus, one file per
# distinct content (named by its SHA-1, so reruns add nothing twice):
#
#   golden/*/input.yml and the workflow files of golden/*/input/ trees
#   ../shared/corpus: every .yml/.yaml file of the real-world snapshot
#   tests/badinput/: the bad-input cases of tests/test_badinput.sh
#   fuzz/regressions/: every input that once crashed or hung
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
dest=${1:?usage: make_seeds.sh DEST}
mkdir -p "$dest"

add() {
	[ -f "$1" ] || return 0
	sum=$(sha1sum "$1" | cut -c1-40)
	[ -e "$dest/$sum" ] || cp "$1" "$dest/$sum"
}

find "$repo/golden" -type f \( -name '*.yml' -o -name '*.yaml' \) \
	! -path '*/output*' >"$dest/.list"
[ -d "$repo/../shared/corpus" ] &&
	find "$repo/../shared/corpus" -type f \( -name '*.yml' -o -name '*.yaml' \) >>"$dest/.list"
for d in "$repo/tests/badinput" "$repo/fuzz/regressions"; do
	[ -d "$d" ] && find "$d" -type f >>"$dest/.list"
done
while IFS= read -r f; do
	add "$f"
done <"$dest/.list"
rm -f "$dest/.list"
echo "make_seeds: $(find "$dest" -type f | wc -l) seeds in $dest"
