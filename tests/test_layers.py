"""The package's layer contract: core < site < tools < cli. A lower layer never imports a higher one, and the
core knows nothing of MkDocs, Jinja or a browser."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "handbook"
RANK = {"core": 0, "site": 1, "tools": 2, "cli": 3, "__main__": 3}
CORE_MUST_NOT_IMPORT = {"mkdocs", "material", "jinja2", "markdown", "playwright", "pymdownx", "mermaid2"}


def layer_of(module: str) -> str:
    """handbook.core.model -> core; handbook.cli -> cli."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "cli"


def imports_of(path: Path, root: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in a module of the package."""
    module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
    package = module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            targets = [name] if node.module else [f"{name}.{alias.name}" for alias in node.names]
            found += [(node.lineno, target) for target in targets]
    return found


def violations(root: Path = PACKAGE) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        mine = layer_of(".".join(path.relative_to(root.parent).with_suffix("").parts))
        for line, target in imports_of(path, root):
            where = f"{path.relative_to(root.parent)}:{line}"
            if target.startswith("handbook."):
                theirs = layer_of(target)
                if theirs in RANK and RANK[theirs] > RANK[mine]:
                    out.append(f"{where}: the {mine} layer imports {target} from the higher {theirs} layer")
            elif mine == "core" and target.split(".")[0] in CORE_MUST_NOT_IMPORT:
                out.append(f"{where}: the core imports {target}")
    return out


def test_every_module_sits_in_a_layer():
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        assert rel.parts[0] in RANK or rel.stem in RANK or rel.name == "__init__.py", f"{rel}: in no layer"


def test_no_layer_imports_a_higher_one():
    assert violations() == []


@pytest.mark.parametrize(("where", "source", "expected"), [
    ("core/scoring.py", "from ..site import render\n", "the core layer imports handbook.site from the higher site layer"),
    ("core/model.py", "import mkdocs.plugins\n", "the core imports mkdocs.plugins"),
    ("site/render.py", "from handbook.tools.pdf import serve\n", "the site layer imports handbook.tools.pdf"),
])
def test_a_planted_upward_import_is_caught(tmp_path, where, source, expected):
    fake = tmp_path / "handbook"
    (fake / where).parent.mkdir(parents=True)
    (fake / where).write_text(source, encoding="utf-8")
    found = violations(fake)
    assert len(found) == 1 and expected in found[0] and found[0].startswith(f"handbook/{where}:1:")
