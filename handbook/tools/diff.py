"""`python -m handbook diff BASE`: what changed in data/ between a git ref and the working tree, as Markdown.

Both sides are read with the project's YAML loader. Questions, rubric, plan and exercises are compared as plain
YAML values, so an old side that no longer matches the model still diffs; the model is used only to decide
whether the candidate site changes (the candidate-visible view of each file, `for_audience(..., "candidate")`).
"""

from __future__ import annotations

import datetime
import difflib
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..core import loader
from ..core.model import CANDIDATE, ROOT_MODELS, audience_of, for_audience
from ..core.sites import CANDIDATE_SITE
from ..core.validate import SCHEMA_DIR, check_model, kind_of

WIDTH = 80  # characters of each old and new value shown
MATCH_KEYS = ("id", "score", "level", "path")  # list items are matched by the first key unique in both lists


class DiffError(Exception):
    """The comparison cannot run (not a git repository, unknown ref); the message is one line for the user."""


class _Missing:
    def __repr__(self) -> str:
        return "(none)"


MISSING = _Missing()


@dataclass
class Side:
    """The data files of one side: parsed YAML by path, files that could not be read, and a file reader."""

    label: str
    docs: dict[str, loader.Document] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)  # path -> first problem
    root: Path | None = None  # where this side's files are on disk

    def value(self, rel: str) -> object:
        doc = self.docs.get(rel)
        return doc.data if doc else MISSING


# --- reading both sides ---------------------------------------------------------------------------


def _git(root: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=not binary, check=False)
    except OSError as exc:
        raise DiffError(f"cannot run git: {exc.strerror}") from None


def resolve(root: Path, ref: str) -> str:
    """The commit `ref` names, or DiffError with a one-line reason."""
    if _git(root, "rev-parse", "--git-dir").returncode != 0:
        raise DiffError(f"{root} is not inside a git repository")
    if ref.startswith("-"):
        raise DiffError(f"unknown git ref {ref!r}")
    found = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if found.returncode != 0:
        raise DiffError(f"unknown git ref {ref!r} (fetch it first, e.g. `git fetch origin {ref}`)")
    return found.stdout.strip()


def _read(side: Side, rel: str, path: Path, root: Path) -> None:
    doc, problems = loader.load(path, root)
    if doc is None:
        side.unreadable[rel] = f"line {problems[0].line}: {problems[0].message}" if problems else "cannot be read"
    else:
        side.docs[rel] = doc


def _is_data_file(rel: str) -> bool:
    return not rel.startswith(SCHEMA_DIR + "/") and kind_of(rel) is not None


def worktree_side(root: Path) -> Side:
    side = Side("working tree", root=root)
    data = root / "data"
    for path in sorted(data.rglob("*.yml")) if data.is_dir() else []:
        rel = path.relative_to(root).as_posix()
        if _is_data_file(rel):
            _read(side, rel, path, root)
    return side


def base_side(root: Path, commit: str, short: str, into: Path) -> Side:
    """The data files at `commit`, written under `into` and parsed there."""
    side = Side(short, root=into)
    listed = _git(root, "ls-tree", "-r", "--name-only", commit, "--", "data/")
    for rel in listed.stdout.splitlines():
        if not _is_data_file(rel):
            continue
        blob = _git(root, "show", f"{commit}:./{rel}", binary=True)
        if blob.returncode != 0:
            side.unreadable[rel] = "cannot be read from git"
            continue
        path = into / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob.stdout)
        _read(side, rel, path, into)
    return side


# --- comparing values -----------------------------------------------------------------------------


def _match_key(old: list, new: list) -> str | None:
    for key in MATCH_KEYS:
        values = []
        for items in (old, new):
            if not all(isinstance(i, dict) and isinstance(i.get(key), (str, int)) for i in items):
                break
            ids = [i[key] for i in items]
            if len(set(ids)) != len(ids):
                break
            values.append(ids)
        else:
            return key
    return None


def _join(path: str, part: str) -> str:
    return f"{path}.{part}" if path else part


def changes(old: object, new: object, path: str = "") -> Iterator[tuple[str, object, object]]:
    """Every (path, old, new) that differs; lists of mappings with ids are matched by id, not position."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            yield from changes(old.get(key, MISSING), new.get(key, MISSING), _join(path, str(key)))
        return
    if isinstance(old, list) and isinstance(new, list) and (old or new):
        key = _match_key(old, new)
        if key:
            olds = {i[key]: i for i in old}
            news = {i[key]: i for i in new}
            label = (lambda v: f"[{v}]") if key == "id" else (lambda v: f"[{key}={v}]")
            for k in [*olds, *(k for k in news if k not in olds)]:
                yield from changes(olds.get(k, MISSING), news.get(k, MISSING), path + label(k))
            if set(olds) == set(news) and list(olds) != list(news):
                yield f"{path} (order)", ", ".join(map(str, olds)), ", ".join(map(str, news))
            return
        # Align the items as a text diff would, so one inserted item is one change, not a shifted list.
        matcher = difflib.SequenceMatcher(a=[show(i) for i in old], b=[show(i) for i in new], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            for k in range(max(i2 - i1, j2 - j1)):
                before = old[i1 + k] if i1 + k < i2 else MISSING
                after = new[j1 + k] if j1 + k < j2 else MISSING
                index = j1 + k if after is not MISSING else i1 + k
                yield from changes(before, after, f"{path}[{index}]")
        return
    yield path, old, new


def show(value: object) -> str:
    """A value on one line, as YAML would spell it."""
    if value is MISSING:
        return "(none)"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + " ".join(value.split()) + '"'
    if isinstance(value, (datetime.date, int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _cut(text: str, width: int = WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def shorten_pair(old: object, new: object, width: int = WIDTH) -> tuple[str, str]:
    """Both values, each at most `width` characters. When the first difference lies beyond the window, both
    start a little before it (with a leading ellipsis), so the shortened texts still show what changed."""
    a, b = show(old), show(new)
    if len(a) <= width and len(b) <= width:
        return a, b
    same = 0
    while same < min(len(a), len(b)) and a[same] == b[same]:
        same += 1
    keep = width // 4  # unchanged characters shown before the difference
    if same > width - keep:
        start = min(same - keep, max(len(a), len(b)) - width + 1)
        a, b = "…" + a[start:], "…" + b[start:]
    return _cut(a, width), _cut(b, width)


def field_lines(old: object, new: object, skip: tuple[str, ...] = ()) -> list[str]:
    out = []
    for path, before, after in changes(old, new):
        if path.split(".")[0].split("[")[0] in skip:
            continue
        a, b = shorten_pair(before, after)
        out.append(f"- `{path}`: {a} → {b}")
    return out


# --- the report -----------------------------------------------------------------------------------


@dataclass
class QuestionAt:
    rel: str
    part: object
    data: dict


def _questions(side: Side) -> dict[str, QuestionAt]:
    out: dict[str, QuestionAt] = {}
    for rel, doc in side.docs.items():
        if kind_of(rel) != "questions" or not isinstance(doc.data, dict):
            continue
        for q in doc.data.get("questions") or []:
            if isinstance(q, dict) and isinstance(q.get("id"), str):
                out.setdefault(q["id"], QuestionAt(rel, doc.data.get("part"), q))
    return out


def _exercises(side: Side) -> dict[str, dict]:
    return {Path(rel).stem: doc.data for rel, doc in side.docs.items()
            if kind_of(rel) == "exercise" and isinstance(doc.data, dict)}


def _title(q: dict) -> str:
    return " ".join(str(q.get("title", "")).split())


def question_sections(old: Side, new: Side) -> list[str]:
    before, after = _questions(old), _questions(new)
    out: list[str] = []
    added = [i for i in after if i not in before]
    removed = [i for i in before if i not in after]
    if added:
        out += ["### Questions added", ""]
        out += [f"- `{i}` in {after[i].part} ({after[i].data.get('status')}): {_title(after[i].data)}" for i in added]
        out.append("")
    if removed:
        out += ["### Questions removed", ""]
        out += [f"- `{i}` from {before[i].part}: {_title(before[i].data)}" for i in removed]
        out.append("")
    common = [i for i in after if i in before]
    status = [(i, before[i].data.get("status"), after[i].data.get("status")) for i in common]
    status = [s for s in status if s[1] != s[2]]
    if status:
        out += ["### Status changes (retired, leaked, back in rotation)", ""]
        out += [f"- `{i}`: {a} → {b} ({_title(after[i].data)})" for i, a, b in status]
        out.append("")
    edited = []
    for i in common:
        lines = field_lines({"part": before[i].part, **before[i].data}, {"part": after[i].part, **after[i].data},
                            skip=("status",))
        if lines:
            edited += [f"**`{i}`** ({_title(after[i].data)})", "", *lines, ""]
    if edited:
        out += ["### Question fields changed", "", *edited]
    return out


def section(title: str, old: object, new: object) -> list[str]:
    if old is MISSING or new is MISSING:
        return [f"### {title}", "", "- file " + ("added" if old is MISSING else "removed"), ""] if old != new else []
    lines = field_lines(old, new)
    return [f"### {title}", "", *lines, ""] if lines else []


def exercise_sections(old: Side, new: Side) -> list[str]:
    before, after = _exercises(old), _exercises(new)
    out = [f"- `{i}` added: {_title(after[i])}" for i in after if i not in before]
    out += [f"- `{i}` removed: {_title(before[i])}" for i in before if i not in after]
    for i in (i for i in after if i in before):
        lines = field_lines(before[i], after[i])
        if lines:
            out += ["", f"**`{i}`**", "", *lines]
    return ["### Exercises", "", *out, ""] if out else []


def _candidate_view(side: Side, rel: str) -> tuple[object, bool]:
    """The candidate-visible part of one file as plain data, and whether the file could be typed at all."""
    doc = side.docs.get(rel)
    if doc is None:
        return None, rel not in side.unreadable
    obj, _ = check_model(doc, kind_of(rel))
    if obj is None:
        return None, False
    return for_audience(obj, CANDIDATE).model_dump(mode="json"), True


def candidate_site(root: Path, commit: str, old: Side, new: Side) -> str:
    reasons: list[str] = []
    starters: set[str] = set()
    for rel in sorted({*old.docs, *new.docs, *old.unreadable, *new.unreadable}):
        model = ROOT_MODELS[kind_of(rel)]
        if all(audience_of(model, name) != CANDIDATE for name in model.model_fields):
            continue  # nothing in this kind of file reaches the candidate site (question files)
        (a, a_ok), (b, b_ok) = _candidate_view(old, rel), _candidate_view(new, rel)
        if not (a_ok and b_ok):
            reasons.append(f"{rel} (cannot tell: it does not match the model on one side)")
        elif a != b:
            reasons.append(rel)
        for view in (a, b):
            if kind_of(rel) == "exercise" and isinstance(view, dict):
                starters.update(s["path"] for s in view.get("starter_snippets") or [])
    paths = [*CANDIDATE_SITE.pages, *sorted(starters)]  # its pages, theme and configs (mkdocs.yml: INHERIT)
    changed = _git(root, "diff", "--name-only", commit, "--", *paths).stdout.split()
    changed += _git(root, "ls-files", "--others", "--exclude-standard", "--", *paths).stdout.split()
    reasons += sorted(set(changed))
    if not reasons:
        return "Candidate site: no change"
    return "Candidate site: changes (" + ", ".join(reasons) + ")"


def report(root: Path, ref: str) -> str:
    commit = resolve(root, ref)
    short = _git(root, "rev-parse", "--short", commit).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="handbook-diff-") as tmp:
        old = base_side(root, commit, short, Path(tmp))
        new = worktree_side(root)
        body: list[str] = []
        body += question_sections(old, new)
        body += section("Rubric", old.value("data/rubric.yml"), new.value("data/rubric.yml"))
        body += section("Interview plan", old.value("data/interview.yml"), new.value("data/interview.yml"))
        body += exercise_sections(old, new)
        unreadable = [f"- {rel} at {side.label}: {why}" for side in (old, new) for rel, why in side.unreadable.items()]
        if unreadable:
            body += ["### Not compared (cannot be read)", "", *unreadable, ""]
        verdict = candidate_site(root, commit, old, new)
    head = f"Compared `data/` at `{ref}` ({short}) with the working tree."
    if not body:
        body = ["No changes to the questions, rubric, plan or exercises.", ""]
    return "\n".join([head, "", *body, verdict]) + "\n"
