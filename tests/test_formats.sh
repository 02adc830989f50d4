#!/bin/sh
# The machine formats through the real binary:
#   - every format, and fix with --pr-body and --commit-message, give the
#     same bytes with -j 1 and -j 2, over the golden inputs, the demo and
#     the corpus (../shared/corpus, when it is there);
#   - the JSON validates against docs/report-schema.json;
#   - the SARIF has what GitHub code scanning needs, and applying its fixes
#     gives exactly what `tokenscope fix` writes;
#   - exit codes are the same whatever the format.
# Usage: test_formats.sh TOKENSCOPE SOURCE_DIR [CORPUS_DIR]
set -u
bin=$1
src=$2
corpus=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test_formats.sh: $*" >&2; exit 1; }
command -v python3 >/dev/null || fail "python3 is needed (Debian: apt-get install python3)"
validate() { python3 "$src/tests/formats/validate.py" "$@"; }

# The inputs, copied so that fix can write them.
mkdir -p "$tmp/in/golden"
for d in "$src"/golden/*/; do
	name=$(basename "$d")
	if [ -d "$d/input" ]; then
		cp -R "$d/input" "$tmp/in/golden/$name"
	elif [ -f "$d/input.yml" ]; then
		cp "$d/input.yml" "$tmp/in/golden/$name.yml"
	fi
done
cp -R "$src/examples/demo" "$tmp/in/demo"
if [ -n "$corpus" ] && [ -d "$corpus" ]; then
	cp -R "$corpus" "$tmp/in/corpus"
else
	echo "test_formats.sh: no corpus at '$corpus': golden inputs and the demo only"
fi
cd "$tmp/in" || fail "no input copy"
# The input paths, one word each (none holds a space), for unquoted use.
inputs="golden/*.yml golden/*/ demo"
[ -d corpus ] && inputs="$inputs corpus/*/"

# ---- -j 1 and -j 2 give the same bytes --------------------------------
same() {   # same NAME ARGS...: runs tokenscope ARGS over the inputs with -j1 and -j2
	name=$1
	shift
	# shellcheck disable=SC2086
	"$bin" "$@" -j1 $inputs >"$tmp/$name.1" 2>"$tmp/$name.1.err"
	echo $? >"$tmp/$name.1.rc"
	# shellcheck disable=SC2086
	"$bin" "$@" -j2 $inputs >"$tmp/$name.2" 2>"$tmp/$name.2.err"
	echo $? >"$tmp/$name.2.rc"
	# both streams into one: at -j2 a file is often emitted by a worker
	# other than the one that processed it, and its stdout and stderr
	# lines must still come in the order -j1 gives
	# shellcheck disable=SC2086
	"$bin" "$@" -j1 $inputs >"$tmp/$name.1.both" 2>&1
	# shellcheck disable=SC2086
	"$bin" "$@" -j2 $inputs >"$tmp/$name.2.both" 2>&1
	for x in "" .err .rc .both; do
		cmp -s "$tmp/$name.1$x" "$tmp/$name.2$x" ||
			fail "$name: -j1 and -j2 differ ($x): $(diff "$tmp/$name.1$x" "$tmp/$name.2$x" | head -5)"
	done
}
for f in json sarif markdown github text; do
	same "check.$f" check --no-color -f "$f"
done
same diff diff --no-color
same diff.color diff --color=always
same explain explain
same explain.summary explain --summary

# fix, on two copies, with the side outputs
cd "$tmp" || exit 1
cp -R in fix1
cp -R in fix2
# shellcheck disable=SC2086
(cd fix1 && "$bin" fix -j1 -f json --pr-body ../body.1 --commit-message ../msg.1 $inputs >../fix.1 2>&1)
rc1=$?
# shellcheck disable=SC2086
(cd fix2 && "$bin" fix -j2 -f json --pr-body ../body.2 --commit-message ../msg.2 $inputs >../fix.2 2>&1)
rc2=$?
[ $rc1 -eq $rc2 ] || fail "fix: exit $rc1 with -j1, $rc2 with -j2"
for x in fix body msg; do   # they name the repositories: fix1/... and fix2/...
	sed "s|$tmp/fix1|@|g" "$x.1" >"$x.1n"
	sed "s|$tmp/fix2|@|g" "$x.2" >"$x.2n"
	cmp -s "$x.1n" "$x.2n" || fail "fix: -j1 and -j2 differ in $x: $(diff "$x.1n" "$x.2n" | head -5)"
done
diff -r fix1 fix2 >/dev/null || fail "fix: -j1 and -j2 wrote different files"
# and in text, the report most runs print
rm -rf fix1 fix2
cp -R in fix1
cp -R in fix2
# shellcheck disable=SC2086
(cd fix1 && "$bin" fix -j1 $inputs >../fixt.1 2>&1)
rc1=$?
# shellcheck disable=SC2086
(cd fix2 && "$bin" fix -j2 $inputs >../fixt.2 2>&1)
rc2=$?
[ $rc1 -eq $rc2 ] || fail "fix (text): exit $rc1 with -j1, $rc2 with -j2"
cmp -s fixt.1 fixt.2 || fail "fix (text): -j1 and -j2 differ: $(diff fixt.1 fixt.2 | head -5)"
diff -r fix1 fix2 >/dev/null || fail "fix (text): -j1 and -j2 wrote different files"
grep -q '^ci: ' msg.1 || fail "commit message: no conventional subject"
grep -q '^## ' body.1 || fail "pr body: no heading"
echo "ok: -j1 and -j2 agree, stream by stream and interleaved (check in 5 formats, diff, explain, fix)"

# ---- JSON against the schema --------------------------------------------
grep -v '^tokenscope:' fix.1 >fix.json
validate schema "$src/docs/report-schema.json" "$tmp/check.json.1" "$tmp/fix.json" \
	"$src/tests/formats/expected/report.json" || fail "JSON does not follow docs/report-schema.json"

# ---- SARIF: code scanning's fields, and fixes that make fix's output ------
validate sarif "$tmp/check.sarif.1" "$src/tests/formats/expected/report.sarif" ||
	fail "SARIF lacks what code scanning needs"
cp -R "$src/examples/demo" sarif-demo
cp -R "$src/examples/demo" fix-demo
(cd sarif-demo && "$bin" check -q -f sarif . >../demo.sarif)
validate apply-sarif demo.sarif sarif-demo >/dev/null || fail "cannot apply the SARIF fixes"
"$bin" fix -q fix-demo >/dev/null || fail "fix of the demo failed"
diff -r sarif-demo fix-demo || fail "the SARIF fixes do not give what fix writes"
mkdir sarif-one fix-one
for c in crlf bom utf8-multibyte flow-job tabs-in-scalars no-final-newline; do
	[ -f "$src/golden/$c/input.yml" ] || continue
	cp "$src/golden/$c/input.yml" "sarif-one/$c.yml"
	cp "$src/golden/$c/input.yml" "fix-one/$c.yml"
done
(cd sarif-one && "$bin" check -q -f sarif ./*.yml >../one.sarif)
validate apply-sarif one.sarif sarif-one >/dev/null || fail "cannot apply the SARIF fixes"
"$bin" fix -q fix-one/*.yml >/dev/null
diff -r sarif-one fix-one || fail "the SARIF fixes (CRLF, BOM, UTF-8, flow) do not give what fix writes"
echo "ok: SARIF fields and fixes"

# ---- exit codes do not depend on the format -------------------------------
for f in json sarif markdown github; do
	"$bin" check -q -f "$f" "$src/golden/block-basic/input.yml" >/dev/null 2>&1
	[ $? -eq 1 ] || fail "check -f $f: a file to change must exit 1"
	"$bin" check -q -f "$f" "$src/golden/multi-document/input.yml" >/dev/null 2>&1
	[ $? -eq 2 ] || fail "check -f $f: a bad file must exit 2"
done
"$bin" check -q -f json --pr-body /nonexistent/dir/body.md "$src/golden/has-permissions/output.yml" \
	>/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "an unwritable --pr-body must exit 2"
grep -q 'cannot write /nonexistent/dir/body.md' "$tmp/err" || fail "no message for an unwritable --pr-body"
"$bin" check -f yaml . >/dev/null 2>&1
[ $? -eq 3 ] || fail "an unknown format must exit 3"

# ---- github: one workflow command per line, escaped ------------------------
grep -v '^::\(warning\|notice\|error\) file=[^,:]*\(,line=[0-9]*\)\?\(,col=[0-9]*\)\?,title=[^:]*::' \
	"$tmp/check.github.1" && fail "github: a line is not a well-formed workflow command"
echo "ok: exit codes, github commands"
echo "1 passed, 0 failed"
