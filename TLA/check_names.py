"""Checks the TLA+ spec: it parses, and its names exist in the model and core.

Run by TLA/check.sh (which installs tree-sitter and the TLA+ grammar from
PyPI). Usage: python3 check_names.py REPO_ROOT
"""
import pathlib
import re
import sys

import tree_sitter_tlaplus
from tree_sitter import Language, Parser

ROOT = pathlib.Path(sys.argv[1])
TLA = ROOT / "TLA"
PARSER = Parser(Language(tree_sitter_tlaplus.language()))
failures = []


def parse(path):
    tree = PARSER.parse(path.read_bytes())
    bad = []

    def walk(n):
        if n.type == "ERROR" or n.is_missing:
            bad.append(f"{path.name}:{n.start_point[0] + 1}:{n.start_point[1] + 1}: "
                       f"{'missing' if n.is_missing else 'syntax error'} near {n.text[:40]!r}")
        for c in n.children:
            walk(c)

    walk(tree.root_node)
    failures.extend(bad)
    return tree.root_node


def top_level(root, kind):
    module = next((c for c in root.children if c.type == "module"), None)
    if module is None:
        failures.append("no module found (see the syntax errors above)")
        return []
    return [c for c in module.children if c.type == kind]


def name_of(definition):
    named = definition.child_by_field_name("name")
    node = named if named is not None else next(c for c in definition.children if c.type == "identifier")
    return node.text.decode()


def snake(name):
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def rust(path):
    return (ROOT / path).read_text()


specs = sorted(TLA.glob("*.tla"))
if not specs:
    failures.append("no .tla file in TLA/")
roots = {p.name: parse(p) for p in specs}
for cfg in TLA.glob("*.cfg"):
    if not (TLA / (cfg.stem + ".tla")).exists():
        failures.append(f"{cfg.name} has no module {cfg.stem}.tla")

spec = roots.get("HiLok.tla")
if spec is None:
    failures.append("TLA/HiLok.tla is missing")
else:
    state_rs = rust("model/src/state.rs")
    state_fields = set(re.findall(r"pub (\w+):", state_rs.split("pub struct State", 1)[1].split("}", 1)[0]))
    variables = []
    for decl in top_level(spec, "variable_declaration"):
        variables += [c.text.decode() for c in decl.children if c.type == "identifier"]
    if not variables:
        failures.append("HiLok.tla declares no variable")
    for v in variables:
        if v not in state_fields:
            failures.append(f"variable {v} is not a field of the model's State ({sorted(state_fields)})")

    definitions = {name_of(d): d for d in top_level(spec, "operator_definition")}
    action_rs = rust("model/src/action.rs")
    variants = set(re.findall(r"^    ([A-Z]\w*) \{", action_rs, re.M))
    next_def = definitions.get("Next")
    if next_def is None:
        failures.append("HiLok.tla defines no Next")
        called = set()
    else:
        body = next_def.text.decode()
        called = {n for n in re.findall(r"\b([A-Z]\w*)\(", body) if n in definitions}
    for a in sorted(called):
        if a not in variants:
            failures.append(f"action {a} in Next is not a variant of the model's Action {sorted(variants)}")
    for v in sorted(variants):
        if v not in called:
            failures.append(f"the model's Action::{v} is not an action of Next in HiLok.tla")

    core_fns = set()
    for f in (ROOT / "core" / "src").rglob("*.rs"):
        core_fns |= set(re.findall(r"pub(?:\(crate\))? fn (\w+)", f.read_text()))
    for name in sorted(definitions):
        if name.startswith("Node") and len(name) > 4:
            fn = snake(name[4:])
            if fn not in core_fns:
                failures.append(f"operator {name} names no core function {fn}()")
    print(f"HiLok.tla: variables {variables}; actions {sorted(called)}; "
          f"core transitions {sorted(n for n in definitions if n.startswith('Node'))}")

for f in failures:
    print("FAIL:", f)
print(f"{len(specs)} TLA+ modules parsed; {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
