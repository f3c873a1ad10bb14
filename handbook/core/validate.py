"""Load every file under data/, check it against the models and the cross-file invariants, collect all problems."""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import cards, loader, scoring
from .loader import Document, Problem, format_loc
from .model import ROOT_MODELS, Exercise, Interview, Question, QuestionFile, Rubric

SCHEMA_DIR = "data/schemas"
TIMELINE_DIAGRAM = "interview-timeline"  # generated from the parts' minutes, not a file


class DataError(Exception):
    """The data is invalid; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def summary(n: int) -> str:
    """The last line of every report of data problems: `validate`, `build` and `serve` word the count alike."""
    return f"{n} problem{'s' if n != 1 else ''} found in data/"


@dataclass
class DataSet:
    """The whole validated interview, with the file each item came from."""

    root: Path
    interview: Interview
    rubric: Rubric
    question_files: dict[str, QuestionFile]  # path -> file
    exercises: dict[str, Exercise]  # id -> exercise
    sources: dict[str, str] = field(default_factory=dict)  # "question:<id>" / "exercise:<id>" / "interview" -> path

    @property
    def questions(self) -> list[Question]:
        return [q for f in self.question_files.values() for q in f.questions]

    def part_of(self, question_id: str) -> str:
        for qf in self.question_files.values():
            if any(q.id == question_id for q in qf.questions):
                return qf.part
        raise KeyError(question_id)

    def default_plan(self, part_id: str | None = None) -> list[Question]:
        """The questions asked in every interview (`run: default`), of one part or of all parts, in file order."""
        return [q for f in self.question_files.values() if part_id in (None, f.part) for q in f.questions
                if q.in_default_plan]

    def questions_of(self, part_id: str, active_only: bool = False) -> list[Question]:
        qs = [q for f in self.question_files.values() if f.part == part_id for q in f.questions]
        return [q for q in qs if q.status == "active"] if active_only else qs

    def diagram_path(self, diagram_id: str) -> Path:
        return self.root / "diagrams" / f"{diagram_id}.mmd"


def kind_of(rel: str) -> str | None:
    if rel == "data/interview.yml":
        return "interview"
    if rel == "data/rubric.yml":
        return "rubric"
    if re.fullmatch(r"data/questions/[a-z0-9-]+\.yml", rel):
        return "questions"
    if re.fullmatch(r"data/exercises/[a-z0-9-]+\.yml", rel):
        return "exercise"
    return None


def schema_header(rel: str, kind: str) -> str:
    depth = rel.count("/") - 1  # data/x.yml -> 0, data/questions/x.yml -> 1
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{kind}.schema.json"


_MESSAGES = {
    "int_type": "must be a whole number{unit}, got {input}",
    "int_parsing": "must be a whole number{unit}, got {input}",
    "float_type": "must be a number, got {input}",
    "string_type": "must be text, got {input}",
    "bool_type": "must be true or false, got {input}",
    "list_type": "must be a list, got {input}",
    "dict_type": "must be a mapping of keys to values, got {input}",
    "model_type": "must be a mapping of keys to values, got {input}",
    "model_attributes_type": "must be a mapping of keys to values, got {input}",
    "date_type": "must be a date written as YYYY-MM-DD, got {input}",
    "date_from_datetime_parsing": "must be a date written as YYYY-MM-DD, got {input}",
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (check the spelling; the schema lists the allowed fields)",
    "literal_error": "must be one of {expected}, got {input}",
    "string_pattern_mismatch": "{pattern_message}, got {input}",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long ({len} characters, at most {max_length})",
    "too_short": "must have at least {min_length} item(s)",
    "greater_than": "must be greater than {gt}, got {input}",
    "greater_than_equal": "must be at least {ge}, got {input}",
    "less_than_equal": "must be at most {le}, got {input}",
}

_PATTERNS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "must be a kebab-case id (lowercase letters, digits and dashes)",
    r"^[a-z][a-z0-9_]*$": "must be a snake_case id (lowercase letters, digits and underscores)",
    r"^part[1-9]$": "must be a part id like part1",
    r"^\d+\.\d+(\.\d+)?$": "must be a version like 1.2",
    r"^https://[^\s/?#]+\.[^\s/?#]+(/\S*)?$": "must be an https:// URL with a host and no spaces",
}


def _show(value: object) -> str:
    if isinstance(value, str):
        s = value if len(value) <= 40 else value[:37] + "..."
        return '"' + s.replace('"', '\\"') + '"'
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return repr(value)


def _message(err: dict) -> str:
    kind = err["type"]
    ctx = dict(err.get("ctx") or {})
    loc = err["loc"]
    template = _MESSAGES.get(kind)
    if template is None:
        return err["msg"]
    field_name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    ctx.setdefault("expected", "")
    ctx["unit"] = " of minutes" if "minutes" in field_name else ""
    ctx["input"] = _show(err.get("input"))
    ctx["pattern_message"] = _PATTERNS.get(str(ctx.get("pattern")), f"must match {ctx.get('pattern')}")
    ctx["len"] = len(err["input"]) if isinstance(err.get("input"), str) else "?"
    return template.format(**ctx)


def _clean_loc(loc: tuple) -> tuple:
    # pydantic adds union/function tags to locations (e.g. 'str', 'function-after[...]'): drop them
    return tuple(p for p in loc if isinstance(p, int) or not re.match(r"^(str|int|list\[.*|function-.*|.*\[.*\])$", p))


def _fields_at(model: type, loc: tuple) -> list[str]:
    """The keys the model allows in the mapping at `loc` (empty when that is no model)."""
    current: object = model
    for part in loc:
        current = _unwrap(current, want_list=isinstance(part, int))
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            return []
    current = _unwrap(current, want_list=False)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _unwrap(tp: object, want_list: bool) -> object:
    """Annotated[X, ...] -> X; X | None -> X (the list arm or the model arm of a union)."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    args = typing.get_args(tp)
    if args and typing.get_origin(tp) in (typing.Union, types.UnionType):
        for arm in args:
            arm = _unwrap(arm, want_list)
            if (typing.get_origin(arm) is list) == want_list and arm is not type(None):
                return arm
    return tp


def _unknown_key(loc: tuple, model: type) -> str:
    key = str(loc[-1])
    allowed = _fields_at(model, loc[:-1])
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown field: did you mean `{close[0]}`?"
    return _MESSAGES["extra_forbidden"]


def check_model(doc: Document, kind: str) -> tuple[object | None, list[Problem]]:
    model = ROOT_MODELS[kind]
    if not isinstance(doc.data, dict):
        return None, [Problem(doc.path, 1, "(file)", f"must be a mapping of keys to values, got {_show(doc.data)}")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        errors = [(_clean_loc(err["loc"]), err) for err in exc.errors()]
        # a misspelt key is one mistake: "did you mean `minutes`?" says it, without "minutes: required field is missing"
        meant = {(*loc[:-1], m[1]) for loc, err in errors if err["type"] == "extra_forbidden"
                 if (m := re.match(r"unknown field: did you mean `(\w+)`", _unknown_key(loc, model)))}
        for loc, err in errors:
            if err["type"] == "missing" and loc in meant:
                continue
            message = _unknown_key(loc, model) if err["type"] == "extra_forbidden" else _message(err)
            problems.append(Problem(doc.path, doc.line_of(loc), format_loc(loc), message))
        return None, problems


def section_names(text: str) -> set[str]:
    return set(re.findall(r"--8<-- \[start:([a-z0-9_-]+)\]", text))


def load_all(root: Path) -> DataSet:
    """Load and validate everything; raise DataError with every problem found."""
    problems: list[Problem] = []
    docs: dict[str, tuple[Document, str]] = {}
    data_dir = root / "data"
    if not data_dir.is_dir():
        raise DataError([Problem("data", 1, "(folder)", "the data/ folder is missing")])
    for path in sorted(data_dir.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_dir() or rel.startswith(SCHEMA_DIR + "/"):
            continue
        kind = kind_of(rel)
        if kind is None:
            problems.append(Problem(rel, 1, "(file)", "unexpected file in data/: data files are data/interview.yml, "
                                    "data/rubric.yml, data/questions/<name>.yml and data/exercises/<id>.yml"))
            continue
        doc, found = loader.load(path, root)
        problems += found
        if doc is None:
            continue
        expected = schema_header(rel, kind)
        if doc.header.strip() != expected:
            problems.append(Problem(rel, 1, "(header)", f"first line must be `{expected}` so editors validate the file"))
        docs[rel] = (doc, kind)

    for required in ("data/interview.yml", "data/rubric.yml"):
        if required not in docs and not any(p.path == required for p in problems):
            problems.append(Problem(required, 1, "(file)", "required file is missing"))

    parsed: dict[str, object] = {}
    reported = {(p.path, p.where) for p in problems}  # a value the loader refused needs no second message
    for rel, (doc, kind) in docs.items():
        obj, found = check_model(doc, kind)
        problems += [p for p in found if (p.path, p.where) not in reported]
        if obj is not None:
            parsed[rel] = obj
    interview = parsed.get("data/interview.yml")
    rubric = parsed.get("data/rubric.yml")
    question_files = {rel: o for rel, o in parsed.items() if isinstance(o, QuestionFile)}
    exercise_files = {rel: o for rel, o in parsed.items() if isinstance(o, Exercise)}
    if problems or interview is None or rubric is None:
        raise DataError(problems)

    data = _data_set(root, interview, rubric, question_files, exercise_files)
    problems += _check_invariants(data, {rel: d for rel, (d, _) in docs.items()}, exercise_files)
    if problems:
        raise DataError(problems)
    return data


def _data_set(root: Path, interview: Interview, rubric: Rubric, question_files: dict[str, QuestionFile],
              exercise_files: dict[str, Exercise]) -> DataSet:
    """The data set of the parsed files, with the file each item came from (loading; checks report, never fill)."""
    sources = {f"question:{q.id}": rel for rel, qf in question_files.items() for q in qf.questions}
    sources |= {f"exercise:{ex.id}": rel for rel, ex in exercise_files.items()}
    sources |= {"interview": "data/interview.yml", "rubric": "data/rubric.yml"}
    return DataSet(root, interview, rubric, question_files, {ex.id: ex for ex in exercise_files.values()}, sources)


def _check_invariants(data: DataSet, docs: dict[str, Document], exercise_files: dict[str, Exercise]) -> list[Problem]:
    out: list[Problem] = []
    root = data.root

    def at(rel: str, loc: tuple, message: str) -> None:
        out.append(Problem(rel, docs[rel].line_of(loc), format_loc(loc), message))

    iv, rb = "data/interview.yml", "data/rubric.yml"
    interview, rubric = data.interview, data.rubric

    # timing: opening + parts + closing fill the slot exactly
    total = interview.opening.minutes + sum(p.minutes for p in interview.parts) + interview.closing.minutes
    if total != interview.slot_minutes:
        at(iv, ("slot_minutes",), f"opening ({interview.opening.minutes}) + parts "
           f"({' + '.join(str(p.minutes) for p in interview.parts)}) + closing ({interview.closing.minutes}) = "
           f"{total} minutes, but the slot is {interview.slot_minutes} minutes")

    part_ids = [p.id for p in interview.parts]
    area_ids = [a.id for a in rubric.areas]
    _duplicates(part_ids, lambda i: at(iv, ("parts", i, "id"), f"duplicate part id {part_ids[i]!r}"))
    _duplicates(area_ids, lambda i: at(rb, ("areas", i, "id"), f"duplicate rubric area id {area_ids[i]!r}"))
    for i, part in enumerate(interview.parts):
        for j, area in enumerate(part.rubric_areas):
            if area not in area_ids:
                at(iv, ("parts", i, "rubric_areas", j), f"unknown rubric area {area!r} (known: {_known(area_ids)})")

    # rubric: weights, scale without a midpoint, anchors per score, thresholds
    weights = sum(a.weight for a in rubric.areas)
    if weights != 100:
        at(rb, ("areas",), f"rubric weights must sum to 100, got {weights} "
           f"({' + '.join(str(a.weight) for a in rubric.areas)})")
    scores = [s.score for s in rubric.scale]
    scale_ok = False
    if scores != list(range(1, len(scores) + 1)):
        at(rb, ("scale",), f"scale scores must be 1, 2, 3, ... in order, got {scores}")
    elif len(scores) % 2 == 1:
        at(rb, ("scale",), f"the rating scale has a midpoint ({scores[len(scores) // 2]} of 1-{len(scores)}): "
           "use an even number of levels so every score commits to a side")
    else:
        scale_ok = True
    for i, area in enumerate(rubric.areas if scale_ok else []):
        anchored = [a.score for a in area.anchors]
        if sorted(anchored) != scores:
            at(rb, ("areas", i, "anchors"), f"needs exactly one anchor per score {scores}, got {anchored}")
        for lvl in ("mid", "senior"):
            value = getattr(area.expected, lvl)
            if value not in scores:
                at(rb, ("areas", i, "expected", lvl), f"must be a score on the scale {scores}, got {value}")
    anchor_texts = [" ".join(a.behaviour.split()) for area in rubric.areas for a in area.anchors]
    for i, level in enumerate(rubric.scale):
        public = " ".join(level.public.split())
        if public == " ".join(level.meaning.split()) or any(public in t or t in public for t in anchor_texts):
            at(rb, ("scale", i, "public"), "must be its own words for candidates: it is public, while meaning and "
               "the anchors are interviewer-only")
    if scale_ok and len(set(area_ids)) == len(area_ids):  # the rule's checks need a sound scale and areas
        _check_rule(rubric, scores, lambda path, m: at(rb, ("recommendation", *path), m))
    _check_history(rubric.history, lambda j, m: at(rb, ("history", j, "version"), m))

    # questions
    seen: dict[str, str] = {}
    exercise_ids = {e.id for e in exercise_files.values()}
    parts_with_files: set[str] = set()
    all_ids = {q.id for q in data.questions}
    exercise_briefs = {e.id for e in exercise_files.values() if e.candidate_brief}
    for rel, qf in data.question_files.items():
        parts_with_files.add(qf.part)
        if qf.part not in part_ids:
            at(rel, ("part",), f"unknown part {qf.part!r} (known: {_known(part_ids)})")
        for i, q in enumerate(qf.questions):
            base = ("questions", i)
            if q.id in seen:
                at(rel, (*base, "id"), f"duplicate question id {q.id!r} (also in {seen[q.id]})")
            seen.setdefault(q.id, rel)
            for j, area in enumerate(q.rubric_areas):
                if area not in area_ids:
                    at(rel, (*base, "rubric_areas", j), f"unknown rubric area {area!r} (known: {_known(area_ids)})")
            for j, d in enumerate(q.diagrams):
                if d != TIMELINE_DIAGRAM and not data.diagram_path(d).is_file():
                    at(rel, (*base, "diagrams", j), f"diagram {d!r} does not exist (expected diagrams/{d}.mmd)")
            if q.exercise and q.exercise not in exercise_ids:
                at(rel, (*base, "exercise"), f"unknown exercise {q.exercise!r} (known: {', '.join(sorted(exercise_ids))})")
            if q.alternate_for and q.alternate_for not in all_ids:
                at(rel, (*base, "alternate_for"), f"unknown question {q.alternate_for!r}")
            if q.kind == "practical" and q.status == "active" and not q.alternate_for and not q.candidate_brief \
                    and q.exercise not in exercise_briefs:
                at(rel, (*base, "candidate_brief"), "a practical problem candidates can meet needs a public brief: "
                   "candidate_brief (title, text), or an exercise with a candidate_brief")
            _check_history(q.history, lambda j, m, rel=rel, base=base: at(rel, (*base, "history", j, "version"), m))
            for j, ref in enumerate(q.snippets):
                if problem := _snippet_problem(root, ref):
                    at(rel, (*base, "snippets", j), problem)
            for j, fu in enumerate(q.follow_ups):
                for k, ref in enumerate(fu.see):
                    if problem := _snippet_problem(root, ref):
                        at(rel, (*base, "follow_ups", j, "see", k), problem)
            for j, name in enumerate(q.focus_areas):
                if name not in interview.focus_areas:
                    at(rel, (*base, "focus_areas", j), f"unknown focus area {name!r} (known: "
                       f"{'; '.join(interview.focus_areas)})")
            if q.run and q.status != "active":
                at(rel, (*base, "run"), f"a {q.status} question cannot be in the plan (run: {q.run}): "
                   "remove `run` or make it active")
            if q.run == "default" and not q.focus_areas:
                at(rel, (*base, "run"), "a question in the default plan must list the focus_areas it assesses")
            if q.anchors and sorted(a.score for a in q.anchors) != scores:
                at(rel, (*base, "anchors"), f"needs exactly one anchor per score {scores}, "
                   f"got {[a.score for a in q.anchors]}")
            for j, sample in enumerate(q.calibration):
                for area, score in sample.scores.items():
                    if area not in area_ids:
                        at(rel, (*base, "calibration", j, "scores", area), f"unknown rubric area {area!r}")
                    elif score not in scores:
                        at(rel, (*base, "calibration", j, "scores", area), f"score must be on the scale {scores}, got {score}")
    _check_cards(data, at)
    out += _check_question_minutes(data, docs)
    for i, pid in enumerate(part_ids):
        if pid not in parts_with_files:
            at(iv, ("parts", i, "id"), f"part {pid!r} has no questions file (data/questions/*.yml with part: {pid})")
    # The plan is checked on otherwise sound data (one mistake, one message) that declares one: a data set with no
    # `run: default` question (the small test fixture) has no plan; tests/test_content.py requires the real one.
    if not out and data.default_plan():
        _check_default_plan(data, lambda loc, message: at(iv, loc, message), at)

    # exercises
    in_hour = {q.exercise: q.id for q in data.default_plan() if q.exercise}
    asked = {q.exercise: q.id for q in data.questions if q.exercise}  # by any question, the bank's included
    for rel, ex in exercise_files.items():
        if Path(rel).stem != ex.id:
            at(rel, ("id",), f"id {ex.id!r} must match the file name {Path(rel).stem!r}")
        if in_hour and ex.id in in_hour and ex.outside_hour:
            at(rel, ("outside_hour",), f"the default-plan question {in_hour[ex.id]!r} uses this exercise, so it is "
                                       "in the hour: remove outside_hour")
        elif in_hour and ex.id in asked and ex.id not in in_hour and not ex.outside_hour:
            at(rel, ("outside_hour",), f"only {asked[ex.id]!r}, a question outside the default plan, uses this "
                                       "exercise: set outside_hour, how a candidate may meet it instead (the "
                                       "practice page prints it)")
        for j, pid in enumerate(ex.used_in):
            if pid not in part_ids:
                at(rel, ("used_in", j), f"unknown part {pid!r} (known: {_known(part_ids)})")
        for field_name in ("starter_snippets", "reference_snippets"):
            for j, ref in enumerate(getattr(ex, field_name)):
                if problem := _snippet_problem(root, ref):
                    at(rel, (field_name, j), problem)
        if ex.reviewed_file:
            target = root / ex.reviewed_file
            if ".." in Path(ex.reviewed_file).parts:
                at(rel, ("reviewed_file",), f"snippet {ex.reviewed_file!r} must stay inside snippets/ (no '..')")
            elif not target.is_file():
                at(rel, ("reviewed_file",), f"snippet {ex.reviewed_file!r} does not exist")
            elif (text := _read_text(target)) is None:
                at(rel, ("reviewed_file",), f"snippet {ex.reviewed_file!r} is not UTF-8 text")
            else:
                n = len(text.splitlines())
                for j, entry in enumerate(ex.answer_key):
                    for k, line in enumerate(entry.lines):
                        if line > n:
                            at(rel, ("answer_key", j, "lines", k), f"line {line} is past the end of {ex.reviewed_file} ({n} lines)")
        elif ex.answer_key:
            at(rel, ("answer_key",), "an answer key needs reviewed_file: the file whose lines it points at")
        key_ids = [e.id for e in ex.answer_key]
        _duplicates(key_ids, lambda i, rel=rel, key_ids=key_ids: at(rel, ("answer_key", i, "id"), f"duplicate id {key_ids[i]!r}"))
    return out


def uncovered_focus_areas(data: DataSet) -> list[str]:
    """The interview's focus areas that no question of the default plan assesses."""
    covered = {name for q in data.default_plan() for name in q.focus_areas}
    return [name for name in data.interview.focus_areas if name not in covered]


def _check_default_plan(data: DataSet, report, report_at) -> None:
    """Each part's default-plan questions fill its minutes; every focus area is assessed in the default plan."""
    for i, part in enumerate(data.interview.parts):
        planned = data.default_plan(part.id)
        total = sum(q.minutes for q in planned)
        if total != part.minutes:
            listing = " + ".join(f"{q.id} {q.minutes}" for q in planned) or "no question has run: default"
            report(("parts", i, "minutes"), f"{part.minutes} minutes, but the part's default-plan questions add up "
                   f"to {total} ({listing})")
    for rel, qf in data.question_files.items():
        slots = {q.minutes for q in data.default_plan(qf.part)}
        for j, q in enumerate(qf.questions):
            if q.run == "swap" and q.minutes not in slots:
                report_at(rel, ("questions", j, "minutes"), f"a swap-in takes the place of a default question, so it "
                          f"must take as long as one ({' or '.join(str(m) for m in sorted(slots)) or 'none'} minutes in "
                          f"{qf.part}), got {q.minutes}")
    missing = uncovered_focus_areas(data)
    for i, name in enumerate(data.interview.focus_areas):
        if name in missing:
            report(("focus_areas", i), f"{name!r} is assessed by no question of the default plan "
                   "(give one a `run: default` and list this area in its focus_areas)")


def _check_cards(data: DataSet, at) -> None:
    """The cue cards' rules: what a card shows must exist, fit on it, and be readable by the room page's clock."""
    iv = "data/interview.yml"
    for i, part in enumerate(data.interview.parts):
        for j, cue in enumerate(part.time_cues):
            span = cards.cue_span(cue)
            if span is None:
                at(iv, ("parts", i, "time_cues", j), "must start with the minute of the part it begins at, like "
                   f"0:05 or 0:05-0:10 (the room page's clock reads it), got {cue.split()[0]!r}")
            elif span[0] > part.minutes or (span[1] is not None and not span[0] <= span[1] <= part.minutes):
                at(iv, ("parts", i, "time_cues", j), f"{cue.split()[0]} does not fit in the part's {part.minutes} "
                   "minutes")
    on_card: dict[str, int] = {}
    for rel, qf in data.question_files.items():
        for i, q in enumerate(qf.questions):
            base = ("questions", i)
            if q.card and cards.said(q.prompt) is None:
                at(rel, (*base, "prompt"), "a question on the cue card needs the words to read aloud in double "
                   'quotes ("...") in its prompt')
            for j, fu in enumerate(q.follow_ups):
                loc = (*base, "follow_ups", j)
                if fu.card and fu.card_listen_for is None:
                    at(rel, (*loc, "card"), "a follow-up on the cue card needs card_listen_for: one line of what to "
                       "listen for")
                if fu.card_listen_for is not None and not fu.card:
                    at(rel, (*loc, "card_listen_for"), "is shown only on the cue card: add card: true or remove it")
                if fu.card_listen_for is not None and len(fu.card_listen_for.split()) > cards.MAX_LISTEN_WORDS:
                    at(rel, (*loc, "card_listen_for"), f"must be one line of at most {cards.MAX_LISTEN_WORDS} words, "
                       f"got {len(fu.card_listen_for.split())}")
                if fu.card and q.status == "active":
                    on_card[qf.part] = on_card.get(qf.part, 0) + 1
                    if on_card[qf.part] > cards.MAX_FOLLOW_UPS:
                        at(rel, (*loc, "card"), f"{qf.part}'s cue card already has {cards.MAX_FOLLOW_UPS} must-ask "
                           "follow-ups: a card holds at most that many")
    for i, part in enumerate(data.interview.parts):
        active = data.questions_of(part.id, active_only=True)
        if active and not part.scenario and not any(q.card for q in active):
            at(iv, ("parts", i, "id"), f"part {part.id!r} has no prompt on its cue card: give the part a scenario or "
               "mark an active question card: true")
def _check_question_minutes(data: DataSet, docs: dict[str, Document]) -> list[Problem]:
    """Each active question fits its part's minutes (a retired or leaked one keeps the minutes it had)."""
    out: list[Problem] = []
    parts = {p.id: p for p in data.interview.parts}
    for rel, qf in data.question_files.items():
        part = parts.get(qf.part)
        for i, q in enumerate(qf.questions):
            if part is not None and q.status == "active" and q.minutes > part.minutes:
                loc = ("questions", i, "minutes")
                out.append(Problem(rel, docs[rel].line_of(loc), format_loc(loc),
                                   f"{q.minutes} minutes do not fit {part.id}, which has {part.minutes} minutes "
                                   "(data/interview.yml): shorten the question or the part"))
    return out


def _known(ids: list[str]) -> str:
    return ", ".join(dict.fromkeys(ids))


def _duplicates(ids: list[str], report) -> None:
    seen: set[str] = set()
    for i, x in enumerate(ids):
        if x in seen:
            report(i)
        seen.add(x)


def version_key(version: str) -> tuple[int, ...]:
    """'1.10' -> (1, 10): versions compare as numbers, so 1.10 comes after 1.9."""
    return tuple(int(x) for x in version.split("."))


def _check_rule(rubric, scores: list[int], report) -> None:
    """The recommendation rule: its numbers, its worked cases recomputed, and that it is not knife-edge."""
    rule = rubric.recommendation
    if len(set(rule.levels)) != len(rule.levels):
        report(("levels",), f"each level once, highest first, got {rule.levels}")
    for name in ("strong_margin", "strong_no_hire_below"):
        value = getattr(rule, name)
        if scoring.hundredths(value) != Fraction(str(value)) * 100:
            report((name,), f"at most 2 decimals, got {value}")
    if not scores[0] <= rule.strong_no_hire_below <= scores[-1]:
        report(("strong_no_hire_below",), f"must lie on the scale 1-{scores[-1]}, got {rule.strong_no_hire_below}")
    for j, lvl in enumerate(rule.strong_hire_at):
        if lvl not in rule.levels:
            report(("strong_hire_at", j), f"unknown level {lvl!r} (the rule's levels: {', '.join(rule.levels)})")
    for lvl in rule.levels:
        shown = scoring.distinguishing(rubric, lvl)
        if scoring.lower_level(rubric, lvl) and len(shown) < rule.distinguishing_at_level:
            report(("distinguishing_at_level",), f"{lvl} expects more than {scoring.lower_level(rubric, lvl)} in "
                   f"{len(shown)} area(s), fewer than the {rule.distinguishing_at_level} a Hire at {lvl} needs")
    if rule.veto:
        at_most, panel = rule.veto.score_at_most, rule.veto.panel_mean_at_most
        if scoring.hundredths(panel) != Fraction(str(panel)) * 100 or not at_most <= panel < at_most + 1:
            report(("veto", "panel_mean_at_most"), f"at most 2 decimals, from score_at_most ({at_most}) up to "
                   f"less than {at_most + 1}, so one card is vetoed exactly as before; got {panel}")
    if rule.veto and rule.veto.outcome not in (scoring.NO_HIRE, scoring.STRONG_NO_HIRE):
        report(("veto", "outcome"), f"the veto caps at {scoring.NO_HIRE!r} or {scoring.STRONG_NO_HIRE!r}, "
               f"got {rule.veto.outcome!r}")
        return
    area_ids = [a.id for a in rubric.areas]
    for i, case in enumerate(rule.worked_cases):
        bad = False
        for j, card in enumerate(case.cards):
            for problem in scoring.check_scores(rubric, card):
                bad = True
                report(("worked_cases", i, "cards", j), problem)
        if bad:
            continue
        got = scoring.case_result(rubric, [{a: card[a] for a in area_ids} for card in case.cards])
        if (got.outcome, got.level) != (case.outcome, case.level):
            said = f"{case.outcome} at {case.level} level" if case.level else case.outcome
            report(("worked_cases", i), f"{case.name!r}: the rule gives {got.label} (weighted {got.display}), "
                   f"the case says {said}")
    for problem in scoring.knife_edges(rubric):
        report((), problem)


def _check_history(entries, report) -> None:
    for j in range(1, len(entries)):
        before, now = entries[j - 1].version, entries[j].version
        if version_key(now) < version_key(before):
            report(j, f"history must be listed oldest first: {now} comes after {before}")


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


def _snippet_problem(root: Path, ref) -> str | None:
    """Why a snippet reference does not resolve, or None."""
    path = root / ref.path
    if ".." in Path(ref.path).parts:
        return f"snippet {ref.path!r} must stay inside snippets/ (no '..')"
    if not path.is_file():
        return f"snippet {ref.path!r} does not exist"
    text = _read_text(path)
    if text is None:
        return f"snippet {ref.path!r} is not UTF-8 text"
    if ref.section and ref.section not in section_names(text):
        return f"snippet {ref.path!r} has no section {ref.section!r} (mark it with `--8<-- [start:{ref.section}]`)"
    return None
