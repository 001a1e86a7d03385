#!/usr/bin/env python3
# tests/compat/extract_facts.py — records the FACTS of one Hive release's IDL as a
# tests/compat/releases/<release>.json: its service method names, and for each of its
# structs that our schema/hive_metastore.thrift also has, the field ids and names; fields
# it has and we lack are written with their declaration ("extra_fields"), a field whose name
# or wire type differs from ours likewise ("replaced_fields"), and its methods and structs
# we lack with their declarations ("extra_methods", "extra_structs"). make_idl.py later
# derives the release's IDL from OUR IDL and these facts. The release's IDL is read from a
# local path given on the command line (a copy you looked up; it is never committed, only
# the facts are).
#
#   extract_facts.py IDL RELEASE MODULE LABEL SOURCE_JSON > releases/RELEASE.json
#
# SOURCE_JSON: {"repo": ..., "path": ..., "commit": ..., "note": ...} — where IDL came from.

import json
import re
import sys

import make_idl

COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*|#[^\n]*", re.S)
BLOCK = re.compile(r"\b(struct|union|exception)\s+(\w+)\s*\{(.*?)\}", re.S)
FIELD = re.compile(r"(\d+)\s*:\s*(required\s+|optional\s+)?"
                   r"([\w.]+(?:\s*<(?:[^<>]|<[^<>]*>)*>)?)\s+(\w+)(\s*=\s*[^,;\n]+)?")
SERVICE = re.compile(r"\bservice\s+ThriftHiveMetastore\b[^{]*\{(.*)\}", re.S)
CALL = re.compile(r"(\w+)\s*\(")
WIRE = {"binary": "string", "byte": "i8"}
METHOD_DECL = re.compile(r"([\w.]+(?:\s*<(?:[^<>]|<[^<>]*>)*>)?)\s+(\w+)\s*\(([^)]*)\)\s*(?:throws\s*\(([^)]*)\))?")


def one_line_list(text):
    """A Thrift argument or throws list on one line: "1: string a, 2: i32 b"."""
    parts = re.split(r"[,;]\s*(?=\d+\s*:)", re.sub(r"\s+", " ", text))
    return ", ".join(p.strip() for p in parts if p.strip()).rstrip(", ")


def method_decls(text):
    """{method: one-line declaration} of the service of a Thrift IDL text."""
    body = SERVICE.search(COMMENT.sub("", text)).group(1)
    out = {}
    for m in METHOD_DECL.finditer(body):
        decl = "%s %s(%s)" % (re.sub(r"\s+", " ", m.group(1)), m.group(2), one_line_list(m.group(3)))
        if m.group(4):
            decl += " throws (%s)" % one_line_list(m.group(4))
        out[m.group(2)] = decl
    return out


def parse(text):
    """(methods, {struct: {id: (name, type, declaration)}}) of a Thrift IDL text."""
    text = COMMENT.sub("", text)
    svc = SERVICE.search(text)
    body = svc.group(1) if svc else ""
    methods = []
    for m in CALL.finditer(body):
        if m.group(1) != "throws" and m.group(1) not in methods:
            methods.append(m.group(1))
    structs = {}
    kinds = parse.kinds = {}
    for b in BLOCK.finditer(text[:svc.start()] if svc else text):
        fields = {}
        kinds[b.group(2)] = b.group(1)
        for f in FIELD.finditer(b.group(3)):
            decl = "%s: %s%s %s%s" % (f.group(1), (f.group(2) or "").strip() + " " if f.group(2) else "",
                                      re.sub(r"\s+", " ", f.group(3)), f.group(4),
                                      (" =" + f.group(5).split("=", 1)[1].rstrip()) if f.group(5) else "")
            fields[int(f.group(1))] = (f.group(4), re.sub(r"\s+", "", f.group(3)), decl)
        structs[b.group(2)] = fields
    return methods, structs


def main(argv):
    if len(argv) != 6:
        sys.stderr.write("usage: extract_facts.py IDL RELEASE MODULE LABEL SOURCE_JSON\n")
        return 2
    idl, release, module, label, source = argv[1:]
    with open(idl) as f:
        their_text = f.read()
    theirs_methods, theirs = parse(their_text)
    kinds = dict(parse.kinds)
    decls = method_decls(their_text)
    with open(make_idl.os.path.join(make_idl.SCHEMA, "hive_metastore.thrift")) as f:
        ours_text = f.read()
    ours_methods, ours = parse(ours_text)
    facts = {"release": release, "module": module, "label": label, "source": json.loads(source),
             "methods": theirs_methods, "omitted_methods": {}, "extra_methods": [], "replaced_fields": {},
             "structs": {}, "extra_fields": {}, "extra_structs": {}}
    for m in theirs_methods:
        if m in ("get_type", "create_type", "drop_type", "get_type_all"):
            facts["omitted_methods"][m] = "the Type API, left out of our IDL on purpose"
        elif m not in ours_methods:
            facts["extra_methods"].append(decls[m])
    for name, fields in theirs.items():
        if name not in ours:
            if name not in ("Type",):
                facts["extra_structs"][name] = {"kind": kinds[name],
                                                "fields": [fields[i][2] for i in sorted(fields)]}
            continue
        facts["structs"][name] = {str(i): fields[i][0] for i in sorted(fields)}
        for i, (fname, ftype, decl) in sorted(fields.items()):
            if i not in ours[name]:
                facts["extra_fields"].setdefault(name, []).append(decl)
                continue
            oname, otype, _ = ours[name][i]
            if oname != fname or WIRE.get(otype, otype) != WIRE.get(ftype, ftype):
                facts["replaced_fields"]["%s.%d" % (name, i)] = decl
    json.dump(facts, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
