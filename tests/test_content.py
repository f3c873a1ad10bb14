"""The content an interviewer relies on: the whole seed is in, every question is complete, no placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from handbook.core.validate import load_all
from tests.helpers import ROOT


@pytest.fixture(scope="module")
def data():
    """The repository's data, loaded once for this module when its first test runs (never at import)."""
    return load_all(ROOT)

PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|XXX|lorem ipsum|add more here|coming soon)\b", re.IGNORECASE)


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def all_text(path: Path) -> str:
    return norm(yaml.safe_dump(yaml.safe_load(path.read_text(encoding="utf-8")), width=10_000))


# Every part, question, follow-up, exercise, rubric row, differentiator and red flag of the seed, with where it lives.
SEED = {
    "data/interview.yml": [
        "Advanced Python and software design", "Shell scripting and automation", "AWS and cloud infrastructure for ML",
        "ML pipeline and system design", "Distributed computing and performance optimisation",
        "MLOps and collaboration with data scientists",
        "Python & Software Engineering Fundamentals", "ML System Design", "AWS & Distributed Systems",
        "MLOps & Production Readiness", "Design an ML pipeline for a real-time recommendation system serving 10 million users",
    ],
    "data/questions/part1.yml": [
        "Process batches of data with different schemas", "Handle missing values and data validation",
        "Make it extensible for new data types", "Ensure thread-safety for concurrent processing",
        "How would you make this class modular and extensible for new data types",
        "What design patterns would you apply for validation and transformation logic",
        "How would you handle memory management with large datasets",
        "Discuss your approach to error handling and logging",
    ],
    "data/questions/part2.yml": [
        "Data Pipeline Design", "feature engineering and serving", "batch vs real-time feature computation",
        "Data versioning and schema evolution", "Model Training & Deployment", "Training pipeline architecture",
        "A/B testing strategy for model updates", "Model monitoring and drift detection", "Infrastructure & Scaling",
        "SageMaker vs custom containers", "Auto-scaling strategies", "Cost optimization considerations",
    ],
    "data/questions/part3.yml": [
        "Walk me through deploying a model on AWS from development to production",
        "How would you design a distributed training system for large datasets",
        "Compare SageMaker, ECS, and EKS for ML workloads",
        "How do you handle model versioning and rollbacks in production",
        "Your model inference latency increased by 300% overnight. Walk me through your debugging process",
    ],
    "data/questions/part4.yml": [
        "CI/CD for ML", "Design a CI/CD pipeline for ML models", "How would you automate testing of model quality",
        "reproducible builds", "Monitoring & Observability", "What metrics would you monitor in production",
        "How do you detect data drift and concept drift", "MLflow, Airflow, or similar tools",
        "Shell Scripting & Automation", "Write a shell script to automate model retraining pipeline",
        "How would you schedule and monitor periodic jobs",
    ],
    "data/rubric.yml": [
        "Python & OOP", "Code quality", "Design patterns", "Modularity", "Error handling",
        "ML System Design", "Architecture decisions", "Scalability", "Trade-off analysis",
        "AWS & Infrastructure", "Service selection", "Cost optimization", "Deployment strategies",
        "MLOps & Production", "Monitoring", "CI/CD", "Reproducibility", "Best practices",
        "Problem Solving", "Debugging approach", "Analytical thinking", "Communication",
        "Ask clarifying questions about requirements and constraints", "Discuss trade-offs between different approaches",
        "Consider monitoring and observability from the start", "Mention security, cost and maintenance implications",
        "Provide multiple solutions with pros and cons",
        "Cannot explain basic system design trade-offs", "Poor code organisation and lack of error handling",
        "No consideration for monitoring or production realities",
        "Unable to discuss past production experience in detail",
        "Focuses only on modelling accuracy, not system reliability",
    ],
    "data/exercises/code-review.yml": ["Provide a piece of ML pipeline code with intentional issues"],
    "data/exercises/system-diagram.yml": ["Ask to whiteboard a production ML system"],
    "data/exercises/debugging-session.yml": ["Present production logs and ask for root cause analysis"],
    "data/exercises/shell-challenge.yml": ["Automate a deployment or monitoring task"],
}


@pytest.mark.parametrize("rel", sorted(SEED))
def test_every_seed_item_is_in_the_data(rel):
    path = ROOT / rel
    assert path.is_file(), f"{rel} is missing"
    text = all_text(path)
    missing = [phrase for phrase in SEED[rel] if norm(phrase) not in text]
    assert missing == []


def test_rubric_weights_are_the_seeds(data):
    assert {a.title: a.weight for a in data.rubric.areas} == {
        "Python & OOP": 25, "ML System Design": 30, "AWS & Infrastructure": 20, "MLOps & Production": 15,
        "Problem Solving": 10}


def incomplete(question) -> list[str]:
    """What an interviewer would miss in this question, if anything."""
    out = []
    if not (question.prompt.strip() and question.minutes > 0):
        out.append("no prompt or no minutes")
    out += [f"{level} signal is too thin" for level in ("weak", "solid", "strong")
            if len(getattr(question.signals, level).split()) < 8]
    if len(question.level_bar.mid.split()) < 8 or len(question.level_bar.senior.split()) < 8:
        out.append("level bar is too thin")
    if not all(f.probe and f.hint.strip() and f.listen_for.strip() for f in question.follow_ups):
        out.append("a follow-up lacks a probe, hint or what to listen for")
    if len(question.model_answer) < 3:
        out.append("model answer has fewer than 3 points")
    if not (question.red_flags and question.owner and question.last_reviewed and question.history):
        out.append("no red flags, owner, review date or history")
    return out


def test_every_question_is_complete(data):
    assert [f"{q.id}: {problem}" for q in data.questions for problem in incomplete(q)] == []
    assert len(data.questions) > 20  # the check ran over the bank, not an empty list


def test_each_part_has_at_least_two_alternates_in_the_bank(data):
    for part in data.interview.parts:
        alternates = [q for q in data.questions_of(part.id) if not q.seed]
        assert len(alternates) >= 2, part.id


def test_each_part_has_a_calibration_question_with_weak_solid_and_strong_samples(data):
    for part in data.interview.parts:
        levels = [{s.level for s in q.calibration} for q in data.questions_of(part.id)]
        assert {"weak", "solid", "strong"} in levels, part.id


def test_at_least_ten_diagrams_each_used_by_a_question(data):
    files = sorted(p.stem for p in (ROOT / "diagrams").glob("*.mmd"))
    used = {d for q in data.questions for d in q.diagrams}
    assert len(files) >= 10
    assert set(files) <= used, f"unreferenced diagrams: {set(files) - used}"


def test_no_placeholder_text_in_data_pages_or_diagrams():
    found = []
    for folder, pattern in [("data", "*.yml"), ("docs", "*.md"), ("diagrams", "*.mmd"), ("handbook/site/templates", "*.j2")]:
        for path in sorted((ROOT / folder).rglob(pattern)):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if PLACEHOLDER.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:80]}")
    assert found == []


def test_the_placeholder_check_would_fire():
    assert PLACEHOLDER.search("signals: TBD") and PLACEHOLDER.search("Lorem ipsum dolor")
    assert not PLACEHOLDER.search("a TBDX-free line about todos")


def test_an_incomplete_question_is_caught(data):
    question = data.questions[0]
    thin = question.model_copy(update={"signals": question.signals.model_copy(update={"weak": "Vague."}),
                                       "model_answer": question.model_answer[:1]})
    assert incomplete(thin) == ["weak signal is too thin", "model answer has fewer than 3 points"]
