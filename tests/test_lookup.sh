#!/bin/sh
# `tokenscope lookup`, as issue 3 shows it: a REST call with its verb, a gh
# command with a flag, and a bare URL whose call GITHUB_TOKEN can never make.
set -u
bin=$1
fails=0
expect() { # $1: what the output must contain; the rest: the command
	want=$1
	shift
	out=$("$bin" lookup "$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -qF -- "$want"; then
		echo "lookup $*: exit $rc, expected '$want' in:"; printf '%s\n' "$out"
		fails=$((fails + 1))
	fi
}
reject() { # $1: text the output must not contain
	no=$1
	shift
	if "$bin" lookup "$@" 2>&1 | grep -qF -- "$no"; then
		echo "lookup $*: must not show '$no'"; fails=$((fails + 1))
	fi
}
expect "needs: (issues: write or pull-requests: write)" 'POST /repos/o/r/issues/12/comments'
expect "POST /repos/{owner}/{repo}/issues/{issue_number}/comments" 'POST /repos/o/r/issues/12/comments'
expect "needs: contents: write and pull-requests: read" gh pr merge --auto
expect "gh pr merge --auto adds:" gh pr merge --auto
expect "GITHUB_TOKEN can never make this call" https://api.github.com/repos/o/r/actions/runners/registration-token
expect "needs: administration: write" https://api.github.com/repos/o/r/actions/runners/registration-token
reject "{runner_id}" https://api.github.com/repos/o/r/actions/runners/registration-token
expect "needs: (issues: write or pull-requests: write)" mutation addComment
expect "octokit issues.createComment = POST" github.rest.issues.createComment
expect "token input: token (defaults to github.token)" actions/checkout@v4
"$bin" lookup gh no-such-command >/dev/null 2>&1 && { echo "an unknown gh command was found"; fails=$((fails + 1)); }
[ $fails -eq 0 ] && echo "lookup: all cases as expected"
exit $fails
