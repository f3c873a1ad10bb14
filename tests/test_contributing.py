"""CONTRIBUTING.md: the question skeleton a contributor copies is valid data, and the commands it names exist."""

from __future__ import annotations

import re
import shutil

from tests.helpers import ROOT, run_handbook

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def yaml_blocks() -> list[str]:
    """The ```yaml blocks of the guide as a reader copies them: without the indentation of the list they sit in."""
    blocks = re.findall(r"^( *)```yaml\n(.*?)^ *```", GUIDE, re.DOTALL | re.MULTILINE)
    return ["".join(line[len(fence):] for line in body.splitlines(keepends=True)) for fence, body in blocks]


def test_the_question_skeleton_validates_when_pasted_into_a_part(tmp_path):
    skeleton = next(b for b in yaml_blocks() if "- id: " in b)
    for name in ("data", "snippets", "diagrams"):
        shutil.copytree(ROOT / name, tmp_path / name)
    part3 = tmp_path / "data" / "questions" / "part3.yml"
    part3.write_text(part3.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + skeleton, encoding="utf-8")
    before = run_handbook("validate")
    after = run_handbook("validate", root=tmp_path)
    assert after.returncode == 0, after.stderr
    count = re.compile(r"(\d+) questions \((\d+) active\)")
    (total, active), (new_total, new_active) = count.search(before.stdout).groups(), count.search(after.stdout).groups()
    assert (int(new_total), int(new_active)) == (int(total) + 1, int(active) + 1)


def test_every_make_target_and_subcommand_the_guide_names_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.MULTILINE))
    named = set(re.findall(r"`make ([a-z-]+)", GUIDE))
    assert named and named <= targets
    for command in sorted(set(re.findall(r"python -m handbook ([a-z]+)", GUIDE))):
        assert run_handbook(command, "--help").returncode == 0, command
