"""`make serve` keeps per-page results between rebuilds (handbook.site.serve.install_caches): a rebuild that reuses
them writes exactly the site a build from nothing writes."""

from __future__ import annotations

import ast
import filecmp
import subprocess
import sys

from handbook.site.build import mkdocs_env
from tests.helpers import VALID, site_root

SCRIPT = """
import sys
from handbook.site.serve import _fresh_package, install_caches
from mkdocs.commands.build import build
from mkdocs.config import load_config

cached = sys.argv[1] == "cached"
if cached:
    install_caches()
for out in sys.argv[2:]:
    if out == "EDIT":
        path = "data/questions/part1.yml"
        text = open(path, encoding="utf-8").read()
        open(path, "w", encoding="utf-8").write(text.replace("title: Demo question 1", "title: Edited between builds"))
        continue
    _fresh_package()
    build(load_config(config_file="mkdocs.yml", site_dir=out))
from handbook.site import serve
print(serve.HITS)
"""


def differing(a, b) -> list[str]:
    out = []
    def walk(cmp, prefix=""):
        out.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.diff_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")
    walk(filecmp.dircmp(a, b))
    return sorted(out)


def test_a_rebuild_from_kept_results_equals_a_build_from_nothing(tmp_path):
    root = site_root(tmp_path / "repo", VALID)
    env = mkdocs_env(VALID, SOURCE_DATE_EPOCH="1767225600")

    def run(*args):
        result = subprocess.run([sys.executable, "-c", SCRIPT, *args], cwd=root, env=env, capture_output=True,
                                text=True, check=False)
        assert result.returncode == 0, result.stderr[-3000:]
        return result

    kept = run("cached", str(tmp_path / "first"), "EDIT", str(tmp_path / "second"))
    assert "Edited between builds" in (tmp_path / "second" / "questions" / "demo-question-1" / "index.html").read_text()
    run("plain", str(tmp_path / "fresh"))
    assert differing(tmp_path / "second", tmp_path / "fresh") == []
    assert differing(tmp_path / "first", tmp_path / "second") != []  # the edit did change pages
    assert "WARNING" not in kept.stderr
    hits = ast.literal_eval(kept.stdout.strip().splitlines()[-1])
    assert min(hits.values()) > 10, hits  # the second build reused most pages' results in each of the three steps
