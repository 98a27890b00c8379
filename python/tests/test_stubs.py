"""The type stubs describe the runtime API (names, parameters, defaults)."""

from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path
from typing import Dict

import hilok

PKG = Path(hilok.__file__).parent


def stub() -> ast.Module:
    return ast.parse((PKG / "__init__.pyi").read_text())


def stub_classes() -> Dict[str, ast.ClassDef]:
    return {n.name: n for n in stub().body if isinstance(n, ast.ClassDef)}


def test_stub_and_marker_are_installed() -> None:
    assert (PKG / "__init__.pyi").is_file()
    assert (PKG / "py.typed").is_file()


def test_stub_all_matches_runtime_all() -> None:
    for node in stub().body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "__all__":  # type: ignore[attr-defined]
            assert ast.literal_eval(node.value) == hilok.__all__
            break
    else:
        raise AssertionError("no __all__ in the stub")
    for name in hilok.__all__:
        assert hasattr(hilok, name), name


def test_stub_classes_and_bases_match() -> None:
    classes = stub_classes()
    runtime = {n for n in hilok.__all__ if inspect.isclass(getattr(hilok, n))}
    assert set(classes) == runtime
    for name, node in classes.items():
        bases = [ast.unparse(b).split(".")[-1] for b in node.bases]
        expected = [b.__name__ for b in getattr(hilok, name).__bases__ if b is not object]
        assert bases == expected, name


def test_stub_flag_values_match() -> None:
    node = stub_classes()["HiLokFlags"]
    values = {
        s.targets[0].id: ast.literal_eval(s.value)  # type: ignore[attr-defined]
        for s in node.body
        if isinstance(s, ast.Assign)
    }
    assert values == {k: int(v) for k, v in hilok.HiLokFlags.__members__.items()}


def members(node: ast.ClassDef) -> Dict[str, ast.FunctionDef]:
    return {s.name: s for s in node.body if isinstance(s, ast.FunctionDef)}


def test_stub_methods_match_runtime_signatures() -> None:
    classes = stub_classes()
    for name in ("HiLok", "HiHandle"):
        cls = getattr(hilok, name)
        stubbed = members(classes[name])
        public = {a for a in dir(cls) if not a.startswith("_")}
        assert {m for m in stubbed if not m.startswith("_")} == public, name
        for meth, fn in stubbed.items():
            if meth == "__new__":
                if sys.version_info < (3, 10):
                    continue  # abi3 on 3.9 cannot carry a constructor signature
                attr = cls
                fn.args.args = fn.args.args[1:]  # no `cls` in the class's signature
            else:
                attr = getattr(cls, meth)
            is_property = any(ast.unparse(d) == "property" for d in fn.decorator_list)
            runtime_property = isinstance(attr, property) or inspect.isgetsetdescriptor(attr)
            assert is_property == runtime_property, f"{name}.{meth}"
            if is_property:
                continue
            sig = inspect.signature(attr)
            runtime_params = [(p.name, p.default) for p in sig.parameters.values()]
            args = fn.args.args
            defaults = [None] * (len(args) - len(fn.args.defaults)) + list(fn.args.defaults)
            stub_params = [
                (a.arg, inspect.Parameter.empty if d is None else eval(ast.unparse(d), vars(hilok)))
                for a, d in zip(args, defaults)
            ]
            assert stub_params == runtime_params, f"{name}.{meth}"
