"""One audience's view of the data set: what the renderer of that audience's site holds, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .model import INTERVIEWER, for_audience
from .validate import DataSet


@dataclass(frozen=True)
class AudienceView:
    """The data set filtered by `for_audience`: every model is the audience's view of it (for the candidate, only
    the fields marked `candidate(...)`, with their declared types). Built by `view_of`; it never refers back to
    the unfiltered data."""

    audience: str
    root: Path  # the repository: diagrams/ is read from it
    interview: Any
    rubric: Any
    # The questions this audience may read. The candidate reads only the active ones with a public brief, and of
    # those only their public fields (id, focus areas, brief): the practice page shows the brief.
    questions: tuple[Any, ...]
    question_parts: dict[str, str]  # question id -> part id, for the questions above
    active: frozenset[str]  # the ids of the active questions above
    part_files: dict[str, str]  # part id -> its questions file, for the parts with questions above
    exercises: dict[str, Any]  # id -> exercise
    sources: dict[str, str]  # "question:<id>" / "exercise:<id>" / "interview" / "rubric" -> path, for the items above

    def part_of(self, question_id: str) -> str:
        return self.question_parts[question_id]

    def questions_of(self, part_id: str, active_only: bool = False) -> list[Any]:
        qs = [q for q in self.questions if self.question_parts[q.id] == part_id]
        return [q for q in qs if q.id in self.active] if active_only else qs

    def diagram_path(self, diagram_id: str) -> Path:
        return self.root / "diagrams" / f"{diagram_id}.mmd"


def view_of(data: DataSet, audience: str) -> AudienceView:
    """What `audience` may read of `data` (ValueError for an unknown audience)."""
    if audience == INTERVIEWER:
        readable = dict(data.question_files)
    else:  # a question file's own view hides its questions; the public briefs are read from the questions alone
        readable = {rel: [q for q in qf.questions if q.status == "active" and q.candidate_brief is not None]
                    for rel, qf in data.question_files.items()}
        readable = {rel: SimpleNamespace(part=data.question_files[rel].part, questions=qs)
                    for rel, qs in readable.items() if qs}
    questions = tuple(for_audience(q, audience) for f in readable.values() for q in f.questions)
    question_parts = {q.id: f.part for f in readable.values() for q in f.questions}
    active = frozenset(q.id for f in readable.values() for q in f.questions if q.status == "active")
    exercises = {k: for_audience(v, audience) for k, v in data.exercises.items()}
    part_files: dict[str, str] = {}
    for rel, f in readable.items():
        part_files.setdefault(f.part, rel)  # the first file of a part is the one its page is edited from
    shown = {"interview", "rubric", *(f"question:{q}" for q in question_parts), *(f"exercise:{e}" for e in exercises)}
    return AudienceView(
        audience=audience, root=data.root,
        interview=for_audience(data.interview, audience), rubric=for_audience(data.rubric, audience),
        questions=questions, question_parts=question_parts, active=active,
        part_files=part_files,
        exercises=exercises, sources={k: v for k, v in data.sources.items() if k in shown})
