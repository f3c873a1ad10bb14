"""Build both sites with `mkdocs build --strict` into a temporary folder, and swap each in only on success."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CONFIGS = {"interviewer": "mkdocs.yml", "candidate": "mkdocs.candidate.yml"}
# nbconvert settings for executed notebooks: nbconvert's default preprocessors (7.x), but streams are coalesced
# AFTER execution, so a print shows as one output however the kernel happened to flush it
JUPYTER_CONFIG = Path(__file__).parent / "jupyter"
_CELL_ID = re.compile(r'id="cell-id=[0-9a-f]{8}"')


def source_date_epoch(root: Path) -> str:
    """The last commit's time, so two builds of one commit are identical (falls back to a fixed date)."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True,
                             check=True).stdout.strip()
        return out or "1767225600"
    except (OSError, subprocess.CalledProcessError):
        return "1767225600"


def mkdocs_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", source_date_epoch(root))
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in (str(JUPYTER_CONFIG), env.get("JUPYTER_CONFIG_PATH")) if p)
    return env


def number_notebook_cells(site: Path) -> None:
    """jupytext gives each cell of a .py notebook a random id; number them in page order instead."""
    for page in site.glob("notebooks/**/*.html"):
        text = page.read_text(encoding="utf-8")
        numbers = iter(range(1, 1_000_000))
        page.write_text(_CELL_ID.sub(lambda _, n=numbers: f'id="cell-id={next(n)}"', text), encoding="utf-8")


def build(root: Path, out: Path, sites: list[str]) -> int:
    """Build the named sites into out/<site>/; on any failure leave what was there untouched. Returns an exit code."""
    out.mkdir(parents=True, exist_ok=True)
    staged: dict[str, Path] = {}
    try:
        for site in sites:
            tmp = Path(tempfile.mkdtemp(prefix=f".build-{site}-", dir=out))
            staged[site] = tmp
            # not --quiet: it silences warnings before --strict can count them, so a broken link would pass
            cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", CONFIGS[site], "-d", str(tmp)]
            result = subprocess.run(cmd, cwd=root, env=mkdocs_env(root), check=False, capture_output=True, text=True)
            if result.returncode != 0:
                for line in (result.stdout + result.stderr).splitlines():
                    if line.strip() and not line.startswith(("INFO", "[IPKernelApp]")):
                        print(line, file=sys.stderr)
                print(f"{site} site: build failed; {out / site} was left as it was", file=sys.stderr)
                return 1
            number_notebook_cells(tmp)
        for site, tmp in staged.items():
            target = out / site
            old = out / f".old-{site}"
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                target.rename(old)
            tmp.rename(target)
            shutil.rmtree(old, ignore_errors=True)
            print(f"built {target}")
        staged.clear()
        return 0
    finally:
        for tmp in staged.values():
            shutil.rmtree(tmp, ignore_errors=True)
