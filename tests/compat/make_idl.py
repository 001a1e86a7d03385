#!/usr/bin/env python3
# tests/compat/make_idl.py — derives one client release's Thrift IDL from OUR
# schema/hive_metastore.thrift and that release's facts (tests/compat/releases/<r>.json,
# written by extract_facts.py or by hand from a read of the release's IDL):
#   - only the service methods the release has ("methods"); methods it has that our IDL
#     lacks are added from their recorded declarations ("extra_methods"), with the structs
#     they need ("extra_structs"); "omitted_methods" are left out, with the reason;
#   - for each struct the facts list ("structs": id -> name), only the fields the release
#     has; its fields we lack are added ("extra_fields"); a field whose name or wire type
#     Hive changed is declared as the release declares it ("replaced_fields").
# Structs the facts do not list keep our fields (Thrift skips fields a reader does not
# know, so extra reply fields are the same on the wire for a client that lacks them).
# Method arguments are ours: Hive only ever appended optional arguments, and the Python
# client sends an argument only when it is set, so a call made with the release's
# arguments is the same bytes as the release's client sends.
#
#   make_idl.py RELEASE.json OUTDIR     writes OUTDIR/hive_metastore.thrift and fb303.thrift
#
# The Python namespace becomes the release's "module" so several releases' generated
# clients load side by side. Nothing it writes is committed: it runs at test time into
# the build directory (tests/compat/conftest.py), then `thrift -r --gen py`.

import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(os.path.dirname(os.path.dirname(HERE)), "schema")

BLOCK_START = re.compile(r"^(struct|union|exception) (\w+) \{\s*$")
FIELD = re.compile(r"^\s+(\d+):\s*(?:required |optional )?[\w<>, .]+?\s(\w+)(\s*=.*?)?,?\s*$")
METHOD = re.compile(r"^\s+[\w<>, .]+?\s(\w+)\(")


class FactError(Exception):
    """The facts and our IDL disagree (a name under an id, a method we cannot find)."""


def derive(schema_text, facts):
    """The release's IDL text: our IDL filtered by the facts."""
    methods = set(facts["methods"])
    structs = {name: {int(i): n for i, n in fields.items()}
               for name, fields in facts.get("structs", {}).items()}
    extra_fields = facts.get("extra_fields", {})
    replaced = facts.get("replaced_fields", {})
    out, block, seen_methods, seen_structs = [], None, set(), set()
    in_service = False
    for line in schema_text.splitlines():
        if line.startswith("namespace py "):
            out.append("namespace py " + facts["module"])
            continue
        m = BLOCK_START.match(line)
        if m:
            block = m.group(2)
            seen_structs.add(block)
            out.append(line)
            continue
        if block is not None:
            if line.startswith("}"):
                out.extend("  %s," % f for f in extra_fields.get(block, []))
                block = None
                out.append(line)
                continue
            f = FIELD.match(line)
            if f and block in structs:
                fid, fname = int(f.group(1)), f.group(2)
                if fid not in structs[block]:
                    continue
                key = "%s.%d" % (block, fid)
                if key in replaced:
                    line = "  %s," % replaced[key]
                elif structs[block][fid] != fname:
                    raise FactError("%s is %r in our IDL, %r in the release" % (key, fname, structs[block][fid]))
            out.append(line)
            continue
        if line.startswith("service "):
            for name, st in facts.get("extra_structs", {}).items():
                out.append("%s %s {" % (st["kind"], name))
                out.extend("  %s," % f for f in st["fields"])
                out.append("}")
                out.append("")
            in_service = True
            out.append(line)
            continue
        if in_service:
            if line.startswith("}"):
                out.extend("  %s," % sig for sig in facts.get("extra_methods", []))
                in_service = False
                out.append(line)
                continue
            mm = METHOD.match(line)
            if mm:
                seen_methods.add(mm.group(1))
                if mm.group(1) not in methods:
                    continue
            out.append(line)
            continue
        out.append(line)
    extra_names = {METHOD.match("  " + s).group(1) for s in facts.get("extra_methods", [])}
    missing = methods - seen_methods - extra_names - set(facts.get("omitted_methods", {}))
    if missing:
        raise FactError("methods the release has, neither in our IDL nor in extra_methods: %s"
                        % ", ".join(sorted(missing)))
    unknown = set(structs) - seen_structs
    if unknown:
        raise FactError("structs in the facts that our IDL lacks: %s" % ", ".join(sorted(unknown)))
    for name, fields in structs.items():
        ours = struct_fields(schema_text, name)
        absent = {i: n for i, n in fields.items() if i not in ours}
        listed = {e.split(":")[0].strip() for e in extra_fields.get(name, [])}
        absent = {i: n for i, n in absent.items() if str(i) not in listed}
        if absent:
            raise FactError("%s: release fields missing from our IDL and from extra_fields: %r"
                            % (name, absent))
    return "\n".join(out) + "\n"


def struct_fields(schema_text, name):
    """{id: name} of one struct of our IDL."""
    fields, inside = {}, False
    for line in schema_text.splitlines():
        m = BLOCK_START.match(line)
        if m:
            inside = m.group(2) == name
            continue
        if inside:
            if line.startswith("}"):
                break
            f = FIELD.match(line)
            if f:
                fields[int(f.group(1))] = f.group(2)
    return fields


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: make_idl.py RELEASE.json OUTDIR\n")
        return 2
    with open(argv[1]) as f:
        facts = json.load(f)
    with open(os.path.join(SCHEMA, "hive_metastore.thrift")) as f:
        schema_text = f.read()
    try:
        text = derive(schema_text, facts)
    except FactError as e:
        sys.stderr.write("make_idl.py: %s: %s\n" % (argv[1], e))
        return 1
    os.makedirs(argv[2], exist_ok=True)
    with open(os.path.join(argv[2], "hive_metastore.thrift"), "w") as f:
        f.write(text)
    shutil.copy(os.path.join(SCHEMA, "fb303.thrift"), os.path.join(argv[2], "fb303.thrift"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
