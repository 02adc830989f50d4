#!/bin/sh
# Coverage of tokenscope over a corpus of repositories (default: ../shared/corpus):
#  1. the share of remote `uses:` occurrences the knowledge base describes
#     (the target is 98%), and the most used actions it does not;
#  2. the share of jobs resolved (fixed, already with a block, or inheriting
#     exactly what they need), and the most frequent unresolved causes.
# Usage: tools/coverage.sh [BUILD_DIR] [CORPUS_DIR]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build}/tokenscope
corpus=${2:-$here/../shared/corpus}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" lookup --list-actions | cut -f1 | sort -u >"$tmp/known"
python3 "$here/tools/corpus-actions.py" "$corpus" | grep -v '^#' >"$tmp/uses"
awk -F'\t' -v known="$tmp/known" '
	BEGIN { while ((getline k < known) > 0) have[k] = 1 }
	{ total += $2; if ($5 in have) covered += $2; else missing[$5] = $2 }
	END {
		printf "knowledge base: %d of %d remote uses described (%.1f%%)\n",
		       covered, total, 100 * covered / total
		n = 0
		for (m in missing) if (missing[m] > 1) n++
		printf "  names used more than once and not described: %d\n", n
	}' "$tmp/uses"
awk -F'\t' -v known="$tmp/known" '
	BEGIN { while ((getline k < known) > 0) have[k] = 1 }
	!($5 in have) { print "    " $2 "\t" $5 }' "$tmp/uses" | head -10
echo
"$bin" explain --summary -q "$corpus"/*/
