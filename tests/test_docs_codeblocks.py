"""Code written inline in docs/ runs under pytest-codeblocks; a block it would silently skip must say why."""

from __future__ import annotations

import re

import pytest

from tests.helpers import ROOT

COLLECTED = {"python", "bash", "sh"}  # the only info strings pytest-codeblocks runs (STACK-NOTES)
CODE_LIKE = {"python", "py", "python3", "py3", "pycon", "bash", "sh", "shell", "console", "zsh", "shell-session"}
SKIP_WITH_REASON = re.compile(r"""^<!--\s*pytest\.mark\.skip\(reason=(["'])(?P<reason>.+?)\1\)\s*-->$""")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<ticks>`{3,}|~{3,})\s*(?P<info>[^`]*)$")


def fences(text: str):
    """(line number, info string, previous non-blank line, body) of every fenced block."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, ticks = i, m.group("ticks")
        prev = next((ln.strip() for ln in reversed(lines[:i]) if ln.strip()), "")
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(ticks):
            j += 1
        yield start + 1, m.group("info").strip(), prev, "\n".join(lines[i + 1:j])
        i = j + 1


def problems_in(text: str, name: str) -> list[str]:
    out = []
    for line, info, prev, body in fences(text):
        language = info.split()[0].lstrip(".{") if info else ""
        if language not in CODE_LIKE:
            continue
        skipped = SKIP_WITH_REASON.match(prev)
        if info not in COLLECTED and not skipped:
            out.append(f"{name}:{line}: ```{info} is silently skipped by pytest-codeblocks: use exactly "
                       "```python/```bash/```sh, or put <!--pytest.mark.skip(reason=\"...\")--> before it")
        elif "--8<--" in body and not skipped:
            out.append(f"{name}:{line}: a block that includes a snippet cannot run inline: skip it with a reason "
                       "and test the snippet file itself")
        elif prev.startswith("<!--pytest.mark.skip") and not skipped:
            out.append(f"{name}:{line}: a skip marker needs a reason: <!--pytest.mark.skip(reason=\"...\")-->")
    return out


def test_no_code_block_in_docs_is_silently_skipped():
    found = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        found += problems_in(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == []


@pytest.mark.parametrize("block, complaint", [
    ('```py\nprint(1)\n```', "silently skipped"),
    ('```python title="x.py"\nprint(1)\n```', "silently skipped"),
    ('```python\n--8<-- "snippets/x.py"\n```', "cannot run inline"),
    ('<!--pytest.mark.skip-->\n```python\nprint(1)\n```', "needs a reason"),
])
def test_the_check_catches_blocks_that_would_not_run(block, complaint):
    problems = problems_in(f"# Page\n\n{block}\n", "page.md")
    assert len(problems) == 1 and complaint in problems[0]


def test_a_skip_with_a_reason_is_accepted():
    block = '<!--pytest.mark.skip(reason="needs AWS credentials")-->\n```bash\naws s3 ls\n```'
    assert problems_in(block, "page.md") == []
