"""The "What changed" page: question and rubric history grouped by version, and each question's lifecycle."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import HistoryEntry, Question, Rubric
from .validate import version_key


@dataclass
class Release:
    """Everything one version changed: rubric entries first, then questions in bank order."""

    version: str
    rubric: list[HistoryEntry] = field(default_factory=list)
    questions: list[tuple[Question, HistoryEntry]] = field(default_factory=list)


@dataclass
class Lifecycle:
    """Where a question stands: the version that added it, last changed it, and retired or leaked it."""

    question: Question
    added: str | None
    last_changed: str | None
    ended: HistoryEntry | None


def releases(questions: list[Question], rubric: Rubric) -> list[Release]:
    """History entries grouped by version, newest first (versions compare as numbers: 1.10 after 1.9)."""
    by_version: dict[str, Release] = {}
    for entry in rubric.history or []:
        by_version.setdefault(entry.version, Release(entry.version)).rubric.append(entry)
    for q in questions:
        for entry in q.history or []:
            by_version.setdefault(entry.version, Release(entry.version)).questions.append((q, entry))
    return sorted(by_version.values(), key=lambda r: version_key(r.version), reverse=True)


def lifecycle(q: Question) -> Lifecycle:
    history = q.history or []
    added = next((h.version for h in history if h.change == "added"), None)
    changed = [h.version for h in history if h.change == "changed"]
    ended = [h for h in history if h.change in ("retired", "leaked")]
    return Lifecycle(q, added, changed[-1] if changed else None, ended[-1] if ended else None)
