#!/usr/bin/env python3
"""Generate the data-derived parts of tokenscope's endpoint map.

Usage (from the repository root):

    python3 tools/gen-maps.py [REFERENCE_DIR]

REFERENCE_DIR defaults to ../shared/reference (relative to the repository
root, i.e. the parent of this script's directory).  Standard library only; the
output depends on nothing but the input files, so running it twice gives
byte-identical files.

Reads
    REFERENCE_DIR/github-docs/server-to-server-permissions.json
        github/docs src/github-apps/data/fpt-2026-03-10/, commit 02ac71cd
    REFERENCE_DIR/github-docs/server-to-server-rest.json
        same folder, commit 0b1022e4
    REFERENCE_DIR/github-token.md
        the workflow scopes table (names, levels, order)
    REFERENCE_DIR/octokit/rest-methods.tsv
        octokit/plugin-rest-endpoint-methods.js src/generated/endpoints.ts
        (HEAD 72b96943 and 197d78da)

Writes (format: docs/map-format.md)
    endpoint-map/rest.map     one `rest VERB PATH NEEDS DOC` per operation
    endpoint-map/octokit.map  one `octokit NAMESPACE.METHOD VERB PATH` per row
    endpoint-map/scopes.map   `scope` records (github-token.md table order),
                              `never` records for every permission key that is
                              not a workflow scope, and the `fact` records

and prints a short report (counts, octokit routes with no rest record) on
stderr.

Permission keys -> needs
------------------------
GitHub's permission keys map to workflow scopes by replacing `_` with `-`
(pull_requests -> pull-requests, security_events -> security-events,
artifact_metadata -> artifact-metadata, vulnerability_alerts ->
vulnerability-alerts, repository_projects -> repository-projects, id_token ->
id-token); a key is a workflow scope only if the result is in github-token.md's
table.  `metadata` is always granted, so an operation that needs only
metadata is written `-`.  Every other key (administration, secrets, workflows,
environments, actions_variables, members, organization_*, user keys such as
gists ...) is written by its GitHub key and declared with `never` in
scopes.map, so tokenscope reports the call as impossible with GITHUB_TOKEN.
GitHub's `admin` access level (organization_custom_properties only) has no
spelling in the map format; it is written `write` (the key is a `never` key,
so only the message is affected).

Operations listed under several keys: the rule
------------------------------------------------
server-to-server-permissions.json flattens GitHub's per-operation *permission
sets*: every key of every set becomes one entry.  `additional-permissions` is
true exactly when "there is more than one set, or a set with more than one
key" (github/docs src/github-apps/scripts/sync.ts,
calculateAdditionalPermissions), so it marks both "either set suffices" and
"all keys of the set are required" and cannot tell them apart.  Evidence from
the data itself: all 73 multi-key operations have additional-permissions
true, the issues+pull_requests operations (alternatives) as much as
PUT /repos/{owner}/{repo}/pages (a conjunction, below); and 30 single-key
operations also have it true (their other key was `metadata`, which sync.ts
drops from the output), e.g. PUT /orgs/{org}/actions/secrets/{secret_name}/
repositories/{repository_id}.  GitHub's page says the same: "Some endpoints
require more than one permission. Other endpoints work with any one
permission from a set of permissions. In these cases, the 'Additional
permissions' column will include a checkmark."

So the script decides per combination of keys, from evidence, and stops with
an error on a combination it has no rule for (a data refresh must be looked
at, never guessed):

  issues + pull_requests            -> a|b (either).  36 operations, e.g.
      POST /repos/{owner}/{repo}/issues/{issue_number}/comments,
      PATCH /repos/{owner}/{repo}/issues/{issue_number}, POST .../labels.
      Evidence: reference/README.md and github-token.md ("issue comments on
      PRs accept issues or pull-requests"), gh-cli-commands.md ("the REST doc
      lists two alternative permission sets"), ghsl/monitor-endpoints.tsv
      (`issues/pull-requests` = either).
  artifact_metadata + contents      -> a|b.  5 operations under
      /orgs/{org}/artifacts/...; docs.github.com/rest/orgs/artifact-metadata
      "Create an artifact deployment record": "at least one of the following
      permission sets: Contents (write), Artifact metadata (write)".
  administration + pages            -> a+b (both).  POST/PUT/DELETE
      /repos/{owner}/{repo}/pages, GET .../pages/health; github/docs
      src/rest/data/fpt-2022-11-28/pages.json (1ec98da7): progAccess.permissions
      is ONE set {Pages: write, Administration: write}.
  contents x2 + workflows           -> contents only.  The key `contents`
      appears twice for the same operation, which the flattening can only
      produce from two sets: {contents} and {contents, workflows}.  The second
      set is what a change under .github/workflows/ needs; GITHUB_TOKEN can
      never hold `workflows`, and offering it as an alternative would let
      tokenscope "choose" an impossible scope, so the need written is the
      contents level.  6 operations: PUT/DELETE .../contents/{path},
      POST .../git/refs, PATCH .../git/refs/{ref}, POST .../releases,
      PATCH .../releases/{release_id}.
  every other combination           -> a+b (both), the conservative choice
      (a block that satisfies both never fails the call), because no
      machine-readable source says otherwise:
        administration + contents (POST .../forks, POST .../generate),
        administration + members (team repository permissions),
        administration + private_repository_invitations,
        administration + repository_advisories,
        codespaces + organization_codespaces,
        codespaces_lifecycle_admin + organization_codespaces,
        organization_administration + organization_copilot_seat_management,
        contents + pull_requests (GET /repos/{owner}/{repo}/pulls/{pull_number};
        UNVERIFIED: GitHub may accept either, in which case `+` asks for one
        read scope too many).
      All but the last involve only `never` keys, so the operator changes the
      advice, not the verdict.

Other rules
-----------
* A workflow scope needed at a level no workflow can grant
  (vulnerability_alerts write: PATCH .../dependabot/alerts/{alert_number};
  the vulnerability-alerts scope is read-only) is written by its GitHub key,
  `vulnerability_alerts:write`, and that key is declared `never`, so the call
  is reported impossible instead of failing to load.
* Operations whose every entry has "server-to-server": false cannot be called
  with an installation token (GITHUB_TOKEN is one) at all.  When all their
  keys are `never` keys anyway (gists, user keys, administration ...) they
  are written normally, in a `user-only` source block: the verdict
  "impossible with GITHUB_TOKEN" is right.  When a key is a workflow scope or
  metadata (the source-import endpoints list `contents`, GET /user/repos
  lists `metadata`), the format has no way to say "not callable with
  GITHUB_TOKEN", so they get no `rest` record (tokenscope then leaves such a
  call unresolved) and are listed as comments at the end of rest.map.
* Operations in server-to-server-rest.json with no entry in the permissions
  file need `-` (reference/README.md), EXCEPT the `packages` category: GitHub
  Apps have no Packages permission, so the App data lists none, but
  GITHUB_TOKEN's `packages` scope governs these calls (docs.github.com
  "Publishing and installing a package with GitHub Actions": "The ability for
  GitHub Actions workflows to delete and restore packages using the REST API
  is currently in public preview"; actions/delete-package-versions README:
  token defaults to github.token and needs the delete and read packages
  scopes).  They are written packages:read (GET) / packages:write (others).
* Also not trusted as `-`: routes under /enterprises/ and writes (PUT/PATCH/
  DELETE/POST) in that no-permission list, except the read-like or
  self-revoking ones in NOPERM_WRITES_OK.  github/docs sync.ts drops every
  permission whose visibility is "private" before writing the files, so an
  operation listed without a permission may still need a hidden one (setting
  an enterprise's cache limits surely does).  They get no record (tokenscope
  leaves such a call unresolved) and are listed as comments in rest.map.
* POST /repos/{owner}/{repo}/releases/{release_id}/assets (served from
  uploads.github.com) is in neither GitHub file; it is added as
  contents:write, citing gh-cli-commands.md (gh release upload).
* octokit routes: RFC 6570 query suffixes (`{?key,ref}`) are dropped (query
  strings are not part of a route) and `{base}...{head}` is written as
  GitHub's `{basehead}`, so every route can be looked up among the rest
  records; the original is kept in a comment when it changed.  Rows marked
  `removed-in-newer-octokit` are kept (older actions/github-script releases
  bundle them) in their own `source` block.
"""

import json
import os
import re
import sys
from collections import OrderedDict, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "endpoint-map")

PERM_FILE = "github-docs/server-to-server-permissions.json"
REST_FILE = "github-docs/server-to-server-rest.json"
TOKEN_MD = "github-token.md"
OCTOKIT_TSV = "octokit/rest-methods.tsv"

SRC_PERMS = ("github/docs src/github-apps/data/fpt-2026-03-10/"
             "server-to-server-permissions.json (commit 02ac71cd)")
SRC_REST = ("github/docs src/github-apps/data/fpt-2026-03-10/"
            "server-to-server-rest.json (commit 0b1022e4)")

VERB_ORDER = {"GET": 0, "HEAD": 1, "POST": 2, "PUT": 3, "PATCH": 4, "DELETE": 5}

HEADER = ("# Generated by tools/gen-maps.py from the reference files named in "
          "the source lines. Do not edit; rerun the script.\n"
          "# Format: docs/map-format.md\n")


def die(msg):
    sys.stderr.write("gen-maps.py: error: %s\n" % msg)
    sys.exit(1)


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------- scopes ---

def read_scopes(ref):
    """Workflow scopes from github-token.md's table, in the table's order."""
    path = os.path.join(ref, TOKEN_MD)
    scopes = OrderedDict()
    in_table = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## Scopes a workflow may set"):
                in_table = True
                continue
            if in_table and line.startswith("## "):
                break
            if not in_table or not line.startswith("|"):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 2 or cells[0] in ("scope", "") or set(cells[0]) <= set("-"):
                continue
            values = [v.strip() for v in cells[1].split(",")]
            levels = [v for v in values if v in ("read", "write")]
            if not levels:
                die("%s: no level for scope %s" % (path, cells[0]))
            scopes[cells[0]] = "/".join(levels)
    if not scopes:
        die("%s: scopes table not found" % path)
    return scopes


def key_to_name(key, scopes):
    """A GitHub permission key as a map name: a workflow scope or the key."""
    name = key.replace("_", "-")
    if name in scopes:
        return name
    return key


def is_never(key, scopes):
    return key != "metadata" and key_to_name(key, scopes) not in scopes


def level_allowed(levels, level):
    """`levels` as in a scope record; write implies read."""
    allowed = levels.split("/")
    return level in allowed or (level == "read" and "write" in allowed)


# GitHub keys used at a level their workflow scope cannot take:
# key -> (scope name, level).  Filled by build_rest.
LEVEL_NEVER = {}


# ---------------------------------------------------------------- rest -----

# Multi-key combinations: "any" = a|b, "all" = a+b.  See the docstring.
PAIR_RULES = {
    frozenset(["issues", "pull_requests"]): ("any", "issues-or-prs"),
    frozenset(["artifact_metadata", "contents"]): ("any", "artifact-metadata"),
    frozenset(["administration", "pages"]): ("all", "pages-admin"),
    frozenset(["administration", "contents"]): ("all", "conservative"),
    frozenset(["administration", "members"]): ("all", "conservative"),
    frozenset(["administration", "private_repository_invitations"]): ("all", "conservative"),
    frozenset(["administration", "repository_advisories"]): ("all", "conservative"),
    frozenset(["codespaces", "organization_codespaces"]): ("all", "conservative"),
    frozenset(["codespaces_lifecycle_admin", "organization_codespaces"]): ("all", "conservative"),
    frozenset(["organization_administration", "organization_copilot_seat_management"]): ("all", "conservative"),
    frozenset(["contents", "pull_requests"]): ("all", "conservative"),
}

# Source blocks of rest.map, in output order: id -> text.
REST_SOURCES = OrderedDict([
    ("gh-perms", SRC_PERMS),
    ("issues-or-prs", SRC_PERMS + "; listed under issues and pull_requests = "
     "either suffices (reference/README.md, github-token.md, "
     "gh-cli-commands.md, ghsl/monitor-endpoints.tsv)"),
    ("artifact-metadata", SRC_PERMS + "; listed under artifact_metadata and "
     "contents = either suffices (docs.github.com/rest/orgs/artifact-metadata: "
     "'at least one of the following permission sets')"),
    ("pages-admin", SRC_PERMS + "; administration and pages both required "
     "(github/docs src/rest/data/fpt-2022-11-28/pages.json 1ec98da7: one "
     "permission set with both keys)"),
    ("contents-workflows", SRC_PERMS + "; listed as {contents} or {contents, "
     "workflows}: workflows only when the change touches .github/workflows/, "
     "which GITHUB_TOKEN can never do; written as contents"),
    ("conservative", SRC_PERMS + "; listed under two keys, no source says "
     "whether either suffices: both required (conservative)"),
    ("user-only", SRC_PERMS + "; \"server-to-server\": false: no installation "
     "token (GITHUB_TOKEN included) can call these; their keys are user or "
     "never keys"),
    ("gh-rest", SRC_REST + "; callable with an installation token and listed "
     "under no permission: nothing beyond metadata"),
    ("packages", SRC_REST + " lists these with no App permission; GITHUB_TOKEN "
     "uses its packages scope (docs.github.com/packages/managing-github-"
     "packages-using-github-actions-workflows/publishing-and-installing-a-"
     "package-with-github-actions; actions/delete-package-versions README.md)"),
    ("upload-asset", "gh-cli-commands.md gh release upload (cli/cli v2.60.0 "
     "pkg/cmd/release/shared/upload.go): POST uploads.github.com/repos/{o}/{r}/"
     "releases/{id}/assets needs contents: write; the route is in neither "
     "GitHub data file"),
])


# Operations listed without any permission that change something but are
# plainly safe for any installation token: read-only POSTs and revoking the
# token itself.  Every other write listed without a permission (and every
# /enterprises/ route) gets no record: github/docs sync.ts drops permissions
# whose visibility is "private", so "no permission listed" does not prove
# "no permission needed" for them.
NOPERM_WRITES_OK = {
    ("POST", "/markdown/raw"),                          # render Markdown
    ("POST", "/orgs/{org}/attestations/bulk-list"),     # list attestations
    ("POST", "/users/{username}/attestations/bulk-list"),
    ("DELETE", "/installation/token"),                  # revoke the token in use
}


def load_rest(ref):
    with open(os.path.join(ref, PERM_FILE), encoding="utf-8") as f:
        perms = json.load(f)
    with open(os.path.join(ref, REST_FILE), encoding="utf-8") as f:
        rest = json.load(f)
    return perms, rest


def level_of(access):
    if access in ("read", "write"):
        return access
    if access == "admin":
        return "write"
    die("unknown access level %r" % access)


def build_rest(perms, rest, scopes):
    """Returns (records, s2s_false, hidden, never_keys, stats).

    records: list of (source_id, verb, path, needs, doc)
    """
    ops = defaultdict(list)       # (VERB, path) -> [(key, access, s2s, doc)]
    for key, group in perms.items():
        for e in group["permissions"]:
            doc = "%s/%s#%s" % (e["category"], e["subcategory"], e["slug"])
            ops[(e["verb"].upper(), e["requestPath"])].append(
                (key, e["access"], e["server-to-server"], doc))

    records = []
    s2s_false = []
    hidden = []
    never_keys = set()
    stats = defaultdict(int)

    for (verb, path), entries in ops.items():
        doc = entries[0][3]
        flags = set(x[2] for x in entries)
        if len(flags) != 1:
            die("%s %s: mixed server-to-server flags" % (verb, path))
        user_only = flags == {False}
        if user_only and not all(is_never(x[0], scopes) for x in entries):
            s2s_false.append((verb, path, sorted(set(x[0] for x in entries)), doc))
            continue

        counts = defaultdict(int)
        levels = {}
        for key, access, _, _ in entries:
            counts[key] += 1
            lv = level_of(access)
            if key in levels and levels[key] != lv:
                die("%s %s: key %s at two levels" % (verb, path, key))
            levels[key] = lv
        keys = sorted(counts)

        def term(k):
            name = key_to_name(k, scopes)
            if is_never(k, scopes):
                never_keys.add(k)
            elif name in scopes and not level_allowed(scopes[name], levels[k]):
                # A workflow scope at a level no workflow can grant
                # (vulnerability-alerts is read-only): written by its GitHub
                # key, declared `never`.
                never_keys.add(k)
                LEVEL_NEVER[k] = (name, levels[k])
                return "%s:%s" % (k, levels[k])
            return "%s:%s" % (name, levels[k])

        def add(src, needs):
            if user_only:
                src = "user-only"
            records.append((src, verb, path, needs, doc))
            stats[src] += 1

        if keys == ["metadata"]:
            add("gh-perms", "-")
            continue
        if "metadata" in keys:
            die("%s %s: metadata combined with %s" % (verb, path, keys))

        if len(keys) == 1:
            if counts[keys[0]] != 1:
                die("%s %s: key %s listed twice" % (verb, path, keys[0]))
            add("gh-perms", term(keys[0]))
            continue

        if set(keys) == {"contents", "workflows"}:
            if counts["contents"] != 2 or counts["workflows"] != 1:
                die("%s %s: unexpected contents/workflows listing" % (verb, path))
            add("contents-workflows", term("contents"))
            continue

        if len(keys) != 2 or any(counts[k] != 1 for k in keys):
            die("%s %s: no rule for keys %s" % (verb, path, dict(counts)))
        rule = PAIR_RULES.get(frozenset(keys))
        if rule is None:
            die("%s %s: no rule for the key pair %s; decide from GitHub's "
                "docs and add it to PAIR_RULES" % (verb, path, keys))
        op, src = rule
        terms = sorted(term(k) for k in keys)
        needs = ("|" if op == "any" else "+").join(terms)
        add(src, needs)

    # Operations callable with an installation token but in no permission group.
    for category, items in rest.items():
        for e in items:
            verb, path = e["verb"].upper(), e["requestPath"]
            if (verb, path) in ops:
                continue
            doc = "%s/%s#%s" % (category, e["subcategory"], e["slug"])
            if category == "packages":
                needs = "packages:read" if verb in ("GET", "HEAD") else "packages:write"
                records.append(("packages", verb, path, needs, doc))
                stats["packages"] += 1
            elif path.startswith("/enterprises/") or (
                    verb not in ("GET", "HEAD") and (verb, path) not in NOPERM_WRITES_OK):
                hidden.append((verb, path, doc))
            else:
                records.append(("gh-rest", verb, path, "-", doc))
                stats["gh-rest"] += 1

    upload = ("POST", "/repos/{owner}/{repo}/releases/{release_id}/assets")
    if upload in ops or any((e["verb"].upper(), e["requestPath"]) == upload
                            for items in rest.values() for e in items):
        die("upload-asset route now in GitHub's data; drop the supplement")
    records.append(("upload-asset", upload[0], upload[1], "contents:write",
                    "releases/assets#upload-a-release-asset"))
    stats["upload-asset"] += 1

    keys_seen = set()
    for r in records:
        k = (r[1], r[2])
        if k in keys_seen:
            die("duplicate rest record %s %s" % k)
        keys_seen.add(k)
    for verb, path, keys, _ in s2s_false:
        for k in keys:
            if is_never(k, scopes):
                never_keys.add(k)
    return records, s2s_false, hidden, never_keys, stats


def rest_sort_key(r):
    return (r[2], VERB_ORDER.get(r[1], 9), r[1])


def write_rest(records, s2s_false, hidden):
    out = [HEADER]
    out.append("# Every REST operation an installation token can call, with what "
               "GITHUB_TOKEN needs for it.\n"
               "# The rules (multi-key operations, packages, uploads) are "
               "documented in tools/gen-maps.py.\n")
    by_src = defaultdict(list)
    for r in records:
        by_src[r[0]].append(r)
    for sid, text in REST_SOURCES.items():
        recs = sorted(by_src.pop(sid, []), key=rest_sort_key)
        if not recs:
            continue
        out.append("\nsource %s %s\n" % (sid, quote(text)))
        for _, verb, path, needs, doc in recs:
            out.append("rest %s %s %s %s\n" % (verb, path, needs, doc))
    if by_src:
        die("records with unknown source ids: %s" % sorted(by_src))
    out.append("\n# Not callable with an installation token (every entry has "
               "\"server-to-server\": false in\n# %s),\n"
               "# so GITHUB_TOKEN cannot make these calls at any setting. The "
               "map format cannot say\n# \"impossible\" for a route whose key is a "
               "workflow scope, so they get no record.\n" % SRC_PERMS)
    for verb, path, keys, doc in sorted(s2s_false, key=lambda x: (x[1], VERB_ORDER.get(x[0], 9))):
        out.append("#   %s %s (%s) %s\n" % (verb, path, ",".join(keys), doc))
    out.append("\n# Listed in %s\n# with no permission, but enterprise routes or writes: the permission is "
               "probably one github/docs\n# does not publish (sync.ts skips permissions whose "
               "visibility is private), so no record.\n" % SRC_REST)
    for verb, path, doc in sorted(hidden, key=lambda x: (x[1], VERB_ORDER.get(x[0], 9))):
        out.append("#   %s %s %s\n" % (verb, path, doc))
    return "".join(out)


# ---------------------------------------------------------------- octokit --

SRC_OCTOKIT = ("octokit/plugin-rest-endpoint-methods.js src/generated/endpoints.ts "
               "(HEAD 72b96943 and 197d78da), via reference/octokit/rest-methods.tsv")


def normalise_route(path):
    p = re.sub(r"\{\?[^}]*\}", "", path)
    p = p.replace("{base}...{head}", "{basehead}")
    return p


def build_octokit(ref):
    rows = []
    with open(os.path.join(ref, OCTOKIT_TSV), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if len(cells) < 3:
                die("%s:%d: expected method, verb, path" % (OCTOKIT_TSV, n))
            method, verb, path = cells[0], cells[1].upper(), cells[2]
            note = cells[3] if len(cells) > 3 else ""
            if note not in ("", "removed-in-newer-octokit"):
                die("%s:%d: unknown note %r" % (OCTOKIT_TSV, n, note))
            rows.append((method, verb, path, note))
    names = [r[0] for r in rows]
    if len(set(names)) != len(names):
        die("duplicate octokit method names")
    return rows


def write_octokit(rows, rest_keys):
    out = [HEADER]
    out.append("# octokit REST method -> route, as github-script scripts call them "
               "(github.rest.X.Y and the older github.X.Y).\n"
               "# Routes: RFC 6570 query suffixes dropped, {base}...{head} written "
               "{basehead}, so they match rest records.\n"
               "# Methods marked \"no rest record\" name a route that no rest record "
               "covers (app, user, notification,\n# enterprise ... endpoints an "
               "installation token cannot call): tokenscope leaves them unresolved.\n")
    missing = []
    blocks = [("octokit", "", SRC_OCTOKIT),
              ("octokit-removed", "removed-in-newer-octokit",
               SRC_OCTOKIT + "; rows marked removed-in-newer-octokit: present only "
               "in older octokit releases, still bundled by older actions/github-script")]
    for sid, note, text in blocks:
        out.append("\nsource %s %s\n" % (sid, quote(text)))
        for method, verb, path, n in sorted((r for r in rows if r[3] == note),
                                            key=lambda r: r[0]):
            route = normalise_route(path)
            if route != path:
                out.append("# route in endpoints.ts: %s %s\n" % (verb, path))
            if (verb, route) not in rest_keys:
                out.append("# no rest record for this route\n")
                missing.append((method, verb, route, n))
            out.append("octokit %s %s %s\n" % (method, verb, route))
    return "".join(out), missing


# ---------------------------------------------------------------- scopes.map

SRC_TOKEN_MD = ("reference/github-token.md, summarising docs.github.com "
                "'Automatic token authentication' and workflow syntax 'permissions'")

# Keys that are not in the App permission data but must be declared anyway
# (key -> title).  Empty today: every key the hand-written maps use
# (administration, secrets, workflows, environments, actions_variables,
# dependabot_secrets, organization_*, members, gists ...) is in the data.
EXTRA_NEVER = OrderedDict()

# Hand-written advice for the keys users meet most; the rest is generated
# from the key's resource group (repository, organization, enterprise, user).
ADVICE = {
    "administration": "GITHUB_TOKEN cannot administer the repository (settings, forks, deploy keys, repository creation or deletion): use a GitHub App installation token with Administration permission, or a fine-grained PAT",
    "secrets": "GITHUB_TOKEN cannot read or write Actions secrets: use a GitHub App installation token with Secrets: write, or a fine-grained PAT",
    "workflows": "GITHUB_TOKEN cannot change files under .github/workflows/: push them with a GitHub App installation token with Workflows: write, or a fine-grained PAT with the workflow permission",
    "environments": "GITHUB_TOKEN cannot manage environments or their secrets and variables: use a GitHub App installation token with Environments permission, or a fine-grained PAT",
    "actions_variables": "GITHUB_TOKEN cannot manage Actions variables (it can read them as ${{ vars.NAME }}): use a GitHub App installation token with Variables permission, or a fine-grained PAT",
    "dependabot_secrets": "GITHUB_TOKEN cannot manage Dependabot secrets: use a GitHub App installation token with Dependabot secrets permission, or a fine-grained PAT",
    "members": "GITHUB_TOKEN has no organization permissions (teams, members, team reviewers): use a GitHub App installation token with the organization Members permission, or a PAT",
    "organization_projects": "GITHUB_TOKEN cannot use Projects (v2): use a GitHub App installation token with the organization Projects permission, or a PAT with the project scope",
    "organization_secrets": "GITHUB_TOKEN cannot manage organization secrets: use a GitHub App installation token with the organization Secrets permission, or a PAT",
    "organization_actions_variables": "GITHUB_TOKEN cannot manage organization variables: use a GitHub App installation token with the organization Variables permission, or a PAT",
    "organization_administration": "GITHUB_TOKEN has no organization permissions: use a GitHub App installation token with organization Administration permission, or a PAT of an organization owner",
    "gists": "gists belong to a user; no installation token (GITHUB_TOKEN included) can use them: use a fine-grained PAT with the Gists account permission, or a classic PAT with the gist scope",
    "repository_hooks": "GITHUB_TOKEN cannot manage repository webhooks: use a GitHub App installation token with Webhooks permission, or a fine-grained PAT",
    "secret_scanning_alerts": "GITHUB_TOKEN cannot read secret scanning alerts (security-events covers code scanning only): use a GitHub App installation token with Secret scanning alerts permission, or a fine-grained PAT",
    "repository_advisories": "GITHUB_TOKEN cannot manage repository security advisories: use a GitHub App installation token with Repository security advisories permission, or a fine-grained PAT",
}


def generated_advice(key, info):
    title = info["title"] if info else key
    dt = info["displayTitle"] if info else ""
    allows_s2s = (not info) or any(e["server-to-server"] for e in info["permissions"])
    if dt.startswith("User permissions"):
        return ("a user permission; no installation token (GITHUB_TOKEN included) "
                "can use it: use a fine-grained PAT with the \"%s\" account "
                "permission" % title)
    if not allows_s2s:
        return ("only user tokens can use this permission, no installation token "
                "(GITHUB_TOKEN included): use a fine-grained PAT with the \"%s\" "
                "permission" % title)
    if dt.startswith("Organization permissions"):
        return ("GITHUB_TOKEN has no organization permissions: use a GitHub App "
                "installation token with the \"%s\" organization permission, or a "
                "PAT" % title)
    if dt.startswith("Enterprise permissions"):
        return ("GITHUB_TOKEN has no enterprise permissions: use a GitHub App "
                "installed on the enterprise with the \"%s\" enterprise permission, "
                "or a PAT of an enterprise owner" % title)
    return ("GITHUB_TOKEN cannot hold this permission: use a GitHub App "
            "installation token with the \"%s\" repository permission, or a "
            "fine-grained PAT" % title)


GIT_HTTPS = ("gh-cli-commands.md 'Git-over-HTTPS' (from GitHubSecurityLab/"
             "actions-permissions monitor bf82d13)")
PACKAGES_DOC = ("docs.github.com/packages/managing-github-packages-using-github-"
                "actions-workflows/publishing-and-installing-a-package-with-github-actions")

# (name, needs, source id, source text)
FACTS = [
    ("git-fetch", "contents:read", "git-fetch",
     GIT_HTTPS + ": GET {repo}.git/info/refs?service=git-upload-pack and POST "
     ".../git-upload-pack (clone, fetch, pull) -> contents: read (nothing for "
     "public repositories)"),
    ("git-push", "contents:write", "git-push",
     GIT_HTTPS + ": service=git-receive-pack and POST .../git-receive-pack (push, "
     "push tags, delete a remote branch) -> contents: write; a push touching "
     ".github/workflows/ is refused whatever the block says"),
    ("oidc", "id-token:write", "oidc",
     "reference/github-token.md: id-token | write, none | OIDC token request "
     "(ACTIONS_ID_TOKEN_REQUEST_URL); no read"),
    ("registry-pull", "packages:read", "registry-pull",
     "reference/github-token.md packages row (GitHub Packages and ghcr.io); "
     + PACKAGES_DOC + " (install with packages: read)"),
    ("registry-push", "packages:write", "registry-push",
     "reference/github-token.md packages row (GitHub Packages and ghcr.io); "
     + PACKAGES_DOC + " (publish with packages: write)"),
]


def write_scopes(scopes, perms, never_keys):
    out = [HEADER]
    out.append("\n# Workflow scopes, in the order of github-token.md's table "
               "(GitHub's documented order).\n")
    out.append("source token-md %s\n" % quote(SRC_TOKEN_MD))
    for name, levels in scopes.items():
        out.append("scope %s %s\n" % (name, levels))

    keys = set(never_keys) | set(EXTRA_NEVER)
    for k in perms:
        if is_never(k, scopes):
            keys.add(k)
    out.append("\n# Permission keys GITHUB_TOKEN can never hold: every key of the "
               "App permission data that is\n# not a workflow scope (repository, "
               "organization, enterprise and user permissions).\n")
    out.append("source never-keys %s\n" % quote(
        SRC_PERMS + " (keys, titles, resource groups); reference/github-token.md "
        "('Some calls can never be made with GITHUB_TOKEN'); reference/README.md"))
    for k in sorted(keys):
        if k in LEVEL_NEVER:
            scope, level = LEVEL_NEVER[k]
            title = perms[k]["title"] if k in perms else k
            out.append("never %s %s\n" % (k, quote(
                "the %s scope goes only up to %s for GITHUB_TOKEN; %s access "
                "needs a GitHub App installation token with \"%s\": %s, or a "
                "fine-grained PAT" % (scope, scopes[scope], level, title, level))))
            continue
        if not is_never(k, scopes):
            die("never key %s is a workflow scope" % k)
        info = perms.get(k)
        if info is None and k not in EXTRA_NEVER:
            die("never key %s unknown" % k)
        if info is None:
            info = {"title": EXTRA_NEVER[k],
                    "displayTitle": "Repository permissions for \"%s\"" % EXTRA_NEVER[k],
                    "permissions": []}
        adv = ADVICE.get(k) or generated_advice(k, info)
        out.append("never %s %s\n" % (k, quote(adv)))

    out.append("\n# Needs reached without a REST route.\n")
    for name, needs, sid, text in FACTS:
        out.append("source %s %s\n" % (sid, quote(text)))
        out.append("fact %s %s\n" % (name, needs))
    return "".join(out), sorted(keys)


# ---------------------------------------------------------------- main -----

def write_file(rel, text):
    path = os.path.join(ROOT, rel)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    if len(argv) > 2:
        die("usage: tools/gen-maps.py [REFERENCE_DIR]")
    ref = argv[1] if len(argv) == 2 else os.path.join(ROOT, "..", "shared", "reference")
    ref = os.path.normpath(ref)
    for rel in (PERM_FILE, REST_FILE, TOKEN_MD, OCTOKIT_TSV):
        if not os.path.isfile(os.path.join(ref, rel)):
            die("missing %s" % os.path.join(ref, rel))

    scopes = read_scopes(ref)
    perms, rest = load_rest(ref)
    records, s2s_false, hidden, never_keys, stats = build_rest(perms, rest, scopes)
    rows = build_octokit(ref)
    rest_keys = set((r[1], r[2]) for r in records)
    octo_text, missing = write_octokit(rows, rest_keys)
    scopes_text, all_never = write_scopes(scopes, perms, never_keys)

    os.makedirs(OUT_DIR, exist_ok=True)
    write_file("endpoint-map/rest.map", write_rest(records, s2s_false, hidden))
    write_file("endpoint-map/octokit.map", octo_text)
    write_file("endpoint-map/scopes.map", scopes_text)

    err = sys.stderr
    err.write("rest.map: %d records (%s); left as comments: %d operations not "
              "callable with an installation token, %d listed without permission "
              "but not trusted\n"
              % (len(records), ", ".join("%s %d" % kv for kv in sorted(stats.items())),
                 len(s2s_false), len(hidden)))
    err.write("scopes.map: %d scopes, %d never keys, %d facts\n"
              % (len(scopes), len(all_never), len(FACTS)))
    err.write("octokit.map: %d methods, %d with no rest record\n" % (len(rows), len(missing)))
    for method, verb, route, note in missing:
        err.write("  no rest record: %s %s %s%s\n"
                  % (method, verb, route, " (" + note + ")" if note else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
