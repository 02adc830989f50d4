#!/usr/bin/env python3
"""Checks tokenscope's machine output; used by tests/test_formats.sh.

  validate.py schema SCHEMA FILE...   each FILE against the JSON Schema
  validate.py sarif FILE...           each FILE has what GitHub code scanning needs
  validate.py apply-sarif FILE DIR    applies every fix in FILE to the files under DIR

Schema validation uses the `jsonschema` package when it is installed (Debian:
python3-jsonschema) and, always, the small validator below, which knows the
keywords docs/report-schema.json uses and refuses any other, so the check
never passes by skipping a keyword. Standard library only.
"""
import json
import re
import sys

ANNOTATIONS = {"$schema", "$id", "$defs", "definitions", "title", "description",
               "default", "examples", "$comment"}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class Subset:
    """A JSON Schema validator for a subset of draft 2020-12."""

    def __init__(self, root):
        self.root = root

    def resolve(self, ref):
        if not ref.startswith("#/"):
            raise ValueError("only local $ref is supported: " + ref)
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def errors(self, inst, schema, path="$"):
        out = []
        for key in schema:
            if key not in ANNOTATIONS and key not in self.KEYWORDS:
                raise ValueError("%s: keyword %r is not supported" % (path, key))
        if "$ref" in schema:
            out += self.errors(inst, self.resolve(schema["$ref"]), path)
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(TYPES[t](inst) for t in types):
                return out + ["%s: %r is not of type %s" % (path, inst, types)]
        if "const" in schema and inst != schema["const"]:
            out.append("%s: %r is not %r" % (path, inst, schema["const"]))
        if "enum" in schema and inst not in schema["enum"]:
            out.append("%s: %r is not one of %r" % (path, inst, schema["enum"]))
        if "minimum" in schema and TYPES["number"](inst) and inst < schema["minimum"]:
            out.append("%s: %r is below %r" % (path, inst, schema["minimum"]))
        if "oneOf" in schema:
            ok = [s for s in schema["oneOf"] if not self.errors(inst, s, path)]
            if len(ok) != 1:
                out.append("%s: matches %d of oneOf, not 1" % (path, len(ok)))
        if isinstance(inst, dict):
            out += self.object(inst, schema, path)
        if isinstance(inst, list) and "items" in schema:
            for i, item in enumerate(inst):
                out += self.errors(item, schema["items"], "%s[%d]" % (path, i))
        return out

    def object(self, inst, schema, path):
        out = []
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in inst:
                out.append("%s: %r is required" % (path, name))
        extra = schema.get("additionalProperties", True)
        for name, value in inst.items():
            where = "%s.%s" % (path, name)
            if name in props:
                out += self.errors(value, props[name], where)
            elif extra is False:
                out.append("%s: not allowed" % where)
            elif isinstance(extra, dict):
                out += self.errors(value, extra, where)
        return out

    KEYWORDS = {"$ref", "type", "const", "enum", "minimum", "oneOf", "properties",
                "required", "additionalProperties", "items"}


def check_schema(schema_path, files):
    schema = json.load(open(schema_path, encoding="utf-8"))
    try:
        import jsonschema
        full = jsonschema.Draft202012Validator(schema)
        full.check_schema(schema)
    except ImportError:
        full = None
    bad = 0
    for f in files:
        inst = json.load(open(f, encoding="utf-8"))
        errs = Subset(schema).errors(inst, schema)
        if full is not None:
            errs += ["jsonschema: %s at %s" % (e.message, list(e.absolute_path))
                     for e in full.iter_errors(inst)]
        for e in errs[:20]:
            print("%s: %s" % (f, e))
        bad += bool(errs)
    print("schema: %d file(s) checked%s" % (len(files), "" if full else
          " (jsonschema not installed: the subset validator alone)"))
    return bad


def need(cond, errs, msg):
    if not cond:
        errs.append(msg)


def region_errors(r, where, empty=False):
    errs = []
    for k in ("startLine", "startColumn", "endLine", "endColumn"):
        if k in r:
            need(TYPES["integer"](r[k]) and r[k] >= 1, errs, "%s.%s: not a positive integer" % (where, k))
    need("startLine" in r, errs, where + ": no startLine")
    if empty:
        need(all(k in r for k in ("startColumn", "endLine", "endColumn")), errs,
             where + ": an insertion needs startColumn, endLine and endColumn")
        need(r.get("endLine") == r.get("startLine") and r.get("endColumn") == r.get("startColumn"),
             errs, where + ": an insertion's deleted region must be empty")
    return errs


def result_errors(res, rules, where):
    errs = []
    need(res.get("ruleId") in rules, errs, where + ": ruleId not among the rules")
    if "ruleIndex" in res:
        need(rules.get(res.get("ruleId")) == res["ruleIndex"], errs, where + ": ruleIndex is not the rule's")
    need(res.get("level") in ("none", "note", "warning", "error"), errs, where + ": bad level")
    need(bool(res.get("message", {}).get("text")), errs, where + ": no message.text")
    locs = res.get("locations") or []
    need(len(locs) >= 1, errs, where + ": no locations")
    for i, loc in enumerate(locs):
        pl = loc.get("physicalLocation", {})
        uri = pl.get("artifactLocation", {}).get("uri", "")
        need(bool(uri) and not uri.startswith("/") and " " not in uri, errs,
             "%s.locations[%d]: uri %r is not a URI reference" % (where, i, uri))
        errs += region_errors(pl.get("region", {}), "%s.locations[%d].region" % (where, i))
    fp = res.get("partialFingerprints", {})
    need(bool(fp) and all(isinstance(v, str) and v for v in fp.values()), errs,
         where + ": no partialFingerprints")
    for i, fix in enumerate(res.get("fixes", [])):
        for j, ch in enumerate(fix.get("artifactChanges", [])):
            need(bool(ch.get("artifactLocation", {}).get("uri")), errs, where + ": fix without uri")
            for k, rep in enumerate(ch.get("replacements", [])):
                w = "%s.fixes[%d].artifactChanges[%d].replacements[%d]" % (where, i, j, k)
                errs += region_errors(rep.get("deletedRegion", {}), w + ".deletedRegion", True)
                need(bool(rep.get("insertedContent", {}).get("text")), errs, w + ": no insertedContent.text")
    return errs


def check_sarif(files):
    bad = 0
    for f in files:
        log = json.load(open(f, encoding="utf-8"))
        errs = []
        need(log.get("version") == "2.1.0", errs, "version is not 2.1.0")
        need("sarif" in log.get("$schema", ""), errs, "no SARIF $schema")
        runs = log.get("runs") or []
        need(len(runs) == 1, errs, "not exactly one run")
        for run in runs:
            drv = run.get("tool", {}).get("driver", {})
            for k in ("name", "version"):
                need(bool(drv.get(k)), errs, "tool.driver.%s missing" % k)
            rules = {}
            for i, rule in enumerate(drv.get("rules", [])):
                need(re.match(r"^[a-z][a-z0-9-]*$", rule.get("id", "")) is not None, errs, "rule %d: bad id" % i)
                need(rule.get("id") not in rules, errs, "rule %d: id twice" % i)
                need(bool(rule.get("shortDescription", {}).get("text")), errs, "rule %d: no shortDescription" % i)
                need(bool(rule.get("help", {}).get("text")), errs, "rule %d: no help" % i)
                rules[rule.get("id")] = i
            for i, res in enumerate(run.get("results", [])):
                errs += result_errors(res, rules, "results[%d]" % i)
            for inv in run.get("invocations", []):
                need(isinstance(inv.get("executionSuccessful"), bool), errs, "invocation without executionSuccessful")
                for n in inv.get("toolExecutionNotifications", []):
                    need(bool(n.get("message", {}).get("text")), errs, "notification without text")
        for e in errs[:20]:
            print("%s: %s" % (f, e))
        bad += bool(errs)
    print("sarif: %d file(s) checked" % len(files))
    return bad


def apply_sarif(path, root):
    """Inserts each fix's text at its (line, column in code points)."""
    edits = {}
    for res in json.load(open(path, encoding="utf-8"))["runs"][0]["results"]:
        for fix in res.get("fixes", []):
            for ch in fix["artifactChanges"]:
                for rep in ch["replacements"]:
                    r = rep["deletedRegion"]
                    edits.setdefault(ch["artifactLocation"]["uri"], []).append(
                        (r["startLine"], r["startColumn"], rep["insertedContent"]["text"]))
    for uri, reps in edits.items():
        name = root + "/" + re.sub(r"%([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), uri)
        text = open(name, "rb").read().decode("utf-8")
        bom = text.startswith("\ufeff")
        starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        for line, col, ins in sorted(reps, reverse=True):
            at = starts[line - 1] + col - 1 + (bom and line == 1)
            text = text[:at] + ins + text[at:]
        open(name, "wb").write(text.encode("utf-8"))
    print("apply-sarif: %d file(s) changed" % len(edits))
    return 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "schema":
        return 1 if check_schema(argv[2], argv[3:]) else 0
    if len(argv) >= 2 and argv[1] == "sarif":
        return 1 if check_sarif(argv[2:]) else 0
    if len(argv) == 4 and argv[1] == "apply-sarif":
        return apply_sarif(argv[2], argv[3])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
