"""`python -m handbook diff BASE`: a reviewer's summary of what a change does to data/, from real git history."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from handbook.core.sites import CANDIDATE_SITE
from handbook.tools.diff import changes, shorten_pair, show
from tests.helpers import call_handbook, copy_valid, run_handbook

LONG_PROMPT = ("You own the deployment of a gradient-boosted churn model that scores 40k accounts nightly. Walk "
               "through how it gets from a notebook to a scheduled SageMaker batch transform job, and where it can fail.")
LONG_PROMPT_V2 = LONG_PROMPT.replace("40k accounts nightly", "2M accounts every hour")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The valid fixture data set as a git repository with one commit."""
    root = copy_valid(tmp_path / "repo")
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "config", "user.name", "Diff Test")
    git(root, "config", "user.email", "diff-test@example.com")
    edit(root / "data" / "questions" / "part2.yml", """prompt: '"Explain how you would ship a model."'""",
         f"""prompt: '"{LONG_PROMPT}"'""")  # the quoted words are what the cue card reads aloud
    commit(root, "base")
    return root


def diff(repo: Path, base: str) -> subprocess.CompletedProcess:
    """`python -m handbook diff BASE` in this process (test_an_unknown_ref... runs the real command line)."""
    return call_handbook("diff", base, root=repo)


def test_a_pull_request_is_summarised_question_by_question(repo: Path) -> None:
    base = git(repo, "rev-parse", "--short", "HEAD")
    data = repo / "data"
    part2 = data / "questions" / "part2.yml"
    edit(part2, "status: active", "status: retired")
    edit(part2, "minutes: 5", "minutes: 7")
    edit(part2, LONG_PROMPT, LONG_PROMPT_V2)
    edit(part2, '      - {version: "1.0", change: added, note: "Fixture question"}\n',
         '      - {version: "1.0", change: added, note: "Fixture question"}\n'
         '      - {version: "1.1", change: retired, note: "Asked in 40% of loops last quarter"}\n')
    part1 = data / "questions" / "part1.yml"
    question = part1.read_text(encoding="utf-8").split("questions:\n", 1)[1]
    with part1.open("a", encoding="utf-8") as f:
        f.write(question.replace("id: demo-question-1", "id: demo-question-5")
                .replace("title: Demo question 1", "title: Streaming feature joins"))
    edit(data / "questions" / "part3.yml", "id: demo-question-3", "id: demo-question-6")
    rubric = data / "rubric.yml"
    edit(rubric, "    weight: 25\n", "    weight: 20\n")
    edit(rubric, "    weight: 30\n", "    weight: 35\n")
    edit(rubric, "Draws a model behind an API and stops;", "Draws one box labelled model and stops;")
    edit(rubric, "strong_margin: 0.3", "strong_margin: 0.4")
    edit(data / "interview.yml", "clarifying questions (up to 3 minutes)", "clarifying questions (up to 2 minutes)")
    commit(repo, "Rotate part 2, rebalance the rubric")
    # and an edit not committed yet: the working tree is compared, not HEAD
    edit(data / "questions" / "part4.yml", "title: Demo question 4", "title: Backfilling features after a bug")

    result = diff(repo, "HEAD~1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"""\
Compared `data/` at `HEAD~1` ({base}) with the working tree.

### Questions added

- `demo-question-5` in part1 (active): Streaming feature joins
- `demo-question-6` in part3 (active): Demo question 3

### Questions removed

- `demo-question-3` from part3: Demo question 3

### Status changes (retired, leaked, back in rotation)

- `demo-question-2`: active → retired (Demo question 2)

### Question fields changed

**`demo-question-2`** (Demo question 2)

- `minutes`: 5 → 7
- `prompt`: …n model that scores 40k accounts nightly. Walk through how it gets from a note… → …n model that scores 2M accounts every hour. Walk through how it gets from a no…
- `history[1]`: (none) → {{version: "1.1", change: "retired", note: "Asked in 40% of loops last quarter"}}

**`demo-question-4`** (Backfilling features after a bug)

- `title`: "Demo question 4" → "Backfilling features after a bug"

### Rubric

- `areas[python_oop].weight`: 25 → 20
- `areas[ml_system_design].weight`: 30 → 35
- `areas[ml_system_design].anchors[score=1].behaviour`: "Draws a model behind an API and stops; no candidate generation vs ranking spli… → "Draws one box labelled model and stops; no candidate generation vs ranking spl…
- `recommendation.strong_margin`: 0.3 → 0.4

### Interview plan

- `parts[part2].time_cues[0]`: …ate the scenario; let the candidate ask clarifying questions (up to 3 minutes)" → …ate the scenario; let the candidate ask clarifying questions (up to 2 minutes)"

Candidate site: changes (data/rubric.yml)
"""


def test_shortened_values_keep_the_difference_in_view() -> None:
    old = "Intro sentence that stays the same for a long while, long enough to be cut. " * 2 + "The end: 40 ms."
    new = old.replace("40 ms", "25 ms")
    a, b = shorten_pair(old, new)
    assert len(a) <= 80 and len(b) <= 80
    assert a.startswith("…") and b.startswith("…")
    assert "40 ms" in a and "25 ms" in b
    assert shorten_pair("short", "also short") == ('"short"', '"also short"')
    assert shorten_pair(["a", "b"], None) == ('["a", "b"]', "null")


def test_question_only_changes_leave_the_candidate_site_alone(repo: Path) -> None:
    clean = diff(repo, "HEAD")
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.splitlines()[2:] == ["No changes to the questions, rubric, plan or exercises.", "",
                                             "Candidate site: no change"]
    # red flags, signals and status are interviewer-only: the public site cannot change with them
    part1 = repo / "data" / "questions" / "part1.yml"
    edit(part1, "status: active", "status: leaked")
    edit(part1, "weak: ", "weak: Cannot name a deployment step. ")
    result = diff(repo, "HEAD")
    assert "- `demo-question-1`: active → leaked (Demo question 1)" in result.stdout
    assert result.stdout.endswith("Candidate site: no change\n")
    # the exercise brief is candidate-visible
    exercise = repo / "data" / "exercises" / "demo-review.yml"
    text = exercise.read_text(encoding="utf-8")
    assert "candidate_brief:" in text
    edit(exercise, "candidate_brief: ", "candidate_brief: Bring a laptop. ")
    assert diff(repo, "HEAD").stdout.endswith("Candidate site: changes (data/exercises/demo-review.yml)\n")


def test_a_base_that_no_longer_validates_still_diffs(repo: Path) -> None:
    """An old side written for an older model (an unknown key) or with broken YAML is compared as far as it can be."""
    rubric = repo / "data" / "rubric.yml"
    original = rubric.read_text(encoding="utf-8")
    rubric.write_text(original + "legacy_pass_mark: 2.5\n", encoding="utf-8")
    (repo / "data" / "questions" / "part4.yml").write_text("part: part4\nquestions: [\n", encoding="utf-8")
    commit(repo, "an old layout")
    rubric.write_text(original, encoding="utf-8")
    git(repo, "checkout", "HEAD~1", "--", "data/questions/part4.yml")

    result = diff(repo, "HEAD")
    assert result.returncode == 0, result.stderr
    assert "- `legacy_pass_mark`: 2.5 → (none)" in result.stdout
    assert "### Not compared (cannot be read)" in result.stdout
    assert "- data/questions/part4.yml at " in result.stdout and ": line 3: invalid YAML" in result.stdout
    assert result.stdout.endswith("Candidate site: changes (data/rubric.yml (cannot tell: it does not match the "
                                  "model on one side))\n")


def test_an_unknown_ref_or_a_folder_outside_git_is_one_clear_line(repo: Path, tmp_path: Path) -> None:
    result = run_handbook("diff", "v9.9", root=repo)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "handbook diff: unknown git ref 'v9.9' (fetch it first, e.g. `git fetch origin v9.9`)\n"

    plain = copy_valid(tmp_path / "not-a-repo")
    result = diff(plain, "main")
    assert result.returncode == 2
    assert result.stderr == f"handbook diff: {plain} is not inside a git repository\n"


@pytest.mark.parametrize("path", CANDIDATE_SITE.pages)
def test_a_change_to_the_candidate_sites_pages_theme_or_configs_is_reported(repo: Path, path: str) -> None:
    """mkdocs.candidate.yml inherits mkdocs.yml: an edit there changes the public site (this was missed once)."""
    for page in CANDIDATE_SITE.pages:
        target = repo / page if "." in Path(page).name else repo / page / "file.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("site_name: x\n" if target.suffix == ".yml" else "text\n", encoding="utf-8")
    commit(repo, "the candidate site's own files")
    assert diff(repo, "HEAD").stdout.endswith("Candidate site: no change\n")
    target = repo / path if "." in Path(path).name else repo / path / "file.md"
    target.write_text(target.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    shown = target.relative_to(repo).as_posix()
    assert diff(repo, "HEAD").stdout.endswith(f"Candidate site: changes ({shown})\n")


def test_lists_of_mappings_are_matched_by_id_and_plain_lists_aligned() -> None:
    old = [{"id": "a", "x": 1}, {"id": "b", "x": 2}]
    new = [{"id": "b", "x": 3}, {"id": "a", "x": 1}]
    assert list(changes(old, new, "qs")) == [("qs[b].x", 2, 3), ("qs (order)", "a, b", "b, a")]
    (path, before, after), = changes([1, 2, 3], [1, 9, 2, 3], "l")  # one insertion is one change, not a shift
    assert (path, show(before), after) == ("l[1]", "(none)", 9)
    assert [(p, show(a), show(b)) for p, a, b in changes({"a": 1}, {"b": 2})] == [("a", "1", "(none)"),
                                                                                 ("b", "(none)", "2")]


def test_values_are_shown_on_one_line_as_yaml_spells_them() -> None:
    import datetime

    value = {"d": datetime.date(2026, 1, 2), "b": True, "n": None, "s": "a\n  b", "l": [1.5]}
    assert show(value) == '{d: 2026-01-02, b: true, n: null, s: "a b", l: [1.5]}'
