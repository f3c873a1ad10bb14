"""The unit tests mirror the package: handbook/<layer>/<module>.py is tested by tests/unit/<layer>/test_<module>.py,
which needs no browser and no site build (`make check` runs them, with coverage of the package)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

PACKAGE = ROOT / "handbook"
UNIT = ROOT / "tests" / "unit"
# Their unit tests come with the redesign of the hiring rule (issue 13, point 5: another branch); until it lands,
# tests/test_debrief.py covers them through the browser. Remove an entry when its tests/unit file exists.
PENDING: set[str] = set()
NEEDS_A_BUILD = {"built_sites"}  # the session fixture that builds both sites
NEEDS_A_BROWSER = {"tests.browser", "tests.scorecard_page", "playwright"}


def modules(package: Path = PACKAGE) -> list[str]:
    return sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py")
                  if p.name not in ("__init__.py", "__main__.py"))


def unit_test_of(module: str, unit: Path = UNIT) -> Path:
    """core/model.py -> tests/unit/core/test_model.py; cli.py -> tests/unit/test_cli.py."""
    path = Path(module)
    return unit / path.parent / f"test_{path.stem}.py"


def missing(package: Path = PACKAGE, unit: Path = UNIT, pending: frozenset[str] = frozenset(PENDING)) -> list[str]:
    return [f"handbook/{m}: no {unit_test_of(m, unit).relative_to(unit.parent.parent)}" for m in modules(package)
            if m not in pending and not unit_test_of(m, unit).is_file()]


def test_every_module_of_the_package_has_its_unit_test_file():
    assert missing() == []
    done = [m for m in PENDING if unit_test_of(m).is_file()]
    assert done == [], f"{done}: tested now, remove from PENDING"


def test_the_mirror_check_names_a_module_without_tests(tmp_path):
    package, unit = tmp_path / "handbook", tmp_path / "tests" / "unit"
    for rel in ("core/__init__.py", "core/model.py", "core/new.py", "cli.py"):
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text("")
    for rel in ("core/test_model.py", "test_cli.py"):
        (unit / rel).parent.mkdir(parents=True, exist_ok=True)
        (unit / rel).write_text("")
    assert missing(package, unit, frozenset()) == ["handbook/core/new.py: no tests/unit/core/test_new.py"]


def test_unit_tests_use_no_browser_and_no_site_build():
    offenders = []
    for path in sorted(UNIT.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        fixtures = {a.arg for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) for a in n.args.args}
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        used = (fixtures & NEEDS_A_BUILD) | {m for m in imported if m.split(".")[0] == "playwright" or
                                            m in NEEDS_A_BROWSER}
        if used:
            offenders.append(f"{path.relative_to(ROOT)}: {sorted(used)}")
    assert offenders == []


def test_test_modules_never_import_each_other():
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if "vendor" in path.parts or "fixtures" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            offenders += [f"{path.relative_to(ROOT)}: imports {n}" for n in names
                          if n.split(".")[-1].startswith("test_") and n.startswith("tests")]
    assert offenders == []


def test_make_check_starts_no_background_site_build():
    """tests/conftest.py builds both sites in the background under xdist, unless no selected test can use them."""
    from tests.conftest import may_need_sites

    assert not may_need_sites(["tests/unit", "tests/test_layers.py"])  # what make check runs
    assert may_need_sites(["tests", "docs"]) and may_need_sites(["tests/test_sites.py::test_both_sites_are_built"])
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-m pytest -n 2 -q --no-cov tests/unit tests/test_layers.py" in make
