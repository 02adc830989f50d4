#!/bin/sh
# The man page and --help must agree: the same commands, the same options,
# the same exit codes. Fails listing whatever one has and the other lacks.
set -u
bin=$1
man=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" --help >"$tmp/help" || exit 1
# options: every --long and -s spelled in each text
grep -o -- '--[a-z][a-z-]*\|^  -[a-zA-Z]\b\|, -[a-zA-Z]\b' "$tmp/help" | sed 's/^[ ,]*//' | sort -u >"$tmp/h.opts"
sed -n '/^\.SH OPTIONS/,/^\.SH EXIT/p' "$man" | sed 's/\\-/-/g' | grep -o -- '--[a-z][a-z-]*\|^\.BR -[a-zA-Z]\b\|^\.B -[a-zA-Z]\b' | sed 's/^\.BR* //' | sort -u >"$tmp/m.opts"
# commands: the indented words under "Commands:" / the .B lines under COMMANDS
sed -n '/^Commands:/,/^$/p' "$tmp/help" | awk 'NF && $1 != "Commands:" {print $1}' | sort >"$tmp/h.cmds"
sed -n '/^\.SH COMMANDS/,/^\.SH OPTIONS/p' "$man" | awk '$1 == ".B" {print $2}' | sort >"$tmp/m.cmds"
# exit codes
sed -n '/^Exit status:/,$p' "$tmp/help" | awk 'NF && $1 ~ /^[0-9]$/ {print $1}' >"$tmp/h.exit"
sed -n '/^\.SH EXIT STATUS/,/^\.SH EXAMPLES/p' "$man" | awk '$1 == ".B" {print $2}' >"$tmp/m.exit"
rc=0
for k in opts cmds exit; do
	if ! diff "$tmp/h.$k" "$tmp/m.$k" >"$tmp/d"; then
		echo "help (<) and man page (>) disagree on $k:"; cat "$tmp/d"; rc=1
	fi
	[ -s "$tmp/h.$k" ] || { echo "found no $k in --help"; rc=1; }
done
exit $rc
